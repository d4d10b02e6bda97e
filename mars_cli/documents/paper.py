"""A paper as data: what a document says, before any format is chosen.

Two kinds of text meet in a paper and are never confused: `Prose` is Markdown people wrote in a
record (read by pandoc with raw output-format content switched off), everything else is text mars
wrote (titles, names, counts, table cells), which is escaped so it can never be read as markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mars_cli.model.records import Record

OFFICIAL, SENSITIVE = "OFFICIAL", "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Prose:
    """Markdown from a record's body; its headings are placed below the section holding it."""

    markdown: str
    origin: tuple[str, int] | None = None  # (record path, file line of its first line), for the guard


@dataclass(frozen=True)
class Para:
    """A paragraph mars wrote; `lead` is set in bold before it (e.g. "Purpose:")."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row (repeated on every page it runs over) and a caption."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns of numbers, set right


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class Paper:
    kind: str  # board-pack, splig-pack, findings-letter...
    title: str
    partnership: str
    as_of: dt.date
    sections: list[Section]
    sources: list[Record]  # every record the paper was built from, for its marking and provenance
    subtitle: str = ""
    cover: list[tuple[str, str]] = field(default_factory=list)  # (label, value) on the cover
    draft: str = ""  # why it is still a draft ('' when it is final)
    serves: tuple[Record, str] | None = None  # the record and the step this paper is for
    warnings: list[str] = field(default_factory=list)  # what the officer should know before sending it
    contact: str = ""
    accent: tuple[int, int, int] = (29, 79, 124)  # headings and the partnership name
    name: str = ""  # the file name, without extension
    public: bool = False  # published: through the personal-data guard, never anything OFFICIAL-SENSITIVE

    @property
    def marking(self) -> str:
        """The highest protective marking of anything the paper contains."""
        markings = {(r.text("marking") or OFFICIAL).strip().upper() for r in self.sources}
        return SENSITIVE if SENSITIVE in markings else OFFICIAL
