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
RAG_SERIES = ("red", "amber", "green", "complete", "dropped")  # open actions by RAG, closed ones by how they closed


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


@dataclass(frozen=True)
class Chart:
    """Counts as a horizontal bar chart, stacked by series; its numbers are also in its alt text and in
    a table printed after it, so no reader depends on the picture or its colours."""

    caption: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (name, one count per category)
    unit: str = "Actions"
    label: str = ""  # what the categories are ("Agency"), the table's first column heading

    @property
    def alt(self) -> str:
        parts = []
        for i, category in enumerate(self.categories):
            counts = ", ".join(f"{values[i]} {name}" for name, values in self.series if values[i])
            parts.append(f"{category}: {counts or 'none'}")
        return f"Bar chart. {self.caption}. " + "; ".join(parts) + "."

    def table(self) -> Table:
        names = tuple(name.capitalize() for name, _ in self.series)
        rows = tuple((category, *(str(values[i]) for _, values in self.series),
                      str(sum(values[i] for _, values in self.series)))
                     for i, category in enumerate(self.categories))
        return Table(f"{self.caption}: the numbers", (self.label or "Of", *names, "Total"), rows,
                     numeric=tuple(range(1, len(names) + 2)))


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
    compact: bool = False  # a short paper (a letter, highlights): no cover page and no contents

    @property
    def marking(self) -> str:
        """The highest protective marking of anything the paper contains."""
        return SENSITIVE if any(sensitive(r) for r in self.sources) else OFFICIAL


def sensitive(record: Record) -> bool:
    """Whether a record must be treated as OFFICIAL-SENSITIVE: unless its marking is exactly OFFICIAL
    (a misspelt, missing or unknown marking is `check`'s error, and here the safe reading)."""
    return (record.text("marking") or "").strip() != OFFICIAL
