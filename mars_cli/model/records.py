"""The plain data `mars` works with. No I/O, no outside libraries."""

from __future__ import annotations

import array
import datetime as dt
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One thing `check` (or a refused command) has to say about a file.

    `path` is relative to the workspace; `line` is 1-based (0 when the finding is
    about the file as a whole). `rule` names the rule; `source`, for framework
    rules, says where it comes from.
    """

    path: str
    line: int
    severity: str
    code: str
    message: str
    hint: str = ""
    rule: str = ""  # the rule's id, as `mars rules` lists it
    source: str = ""  # where the rule comes from: the framework's words, or the governance it follows

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "rule": self.rule or self.code,
            "source": self.source,
            "message": self.message,
            "hint": self.hint,
        }


class KeyLines(Mapping):
    """The 0-based line of each key path in a YAML text, such as ("signoffs", 0, "by") -> 12. It reads like
    the dict of paths it replaces (get, in, [], iteration) and pickles as plain data.

    Kept compact, for 100,000 records each with some 65 keys (a dict and a tuple for every key was most of
    the memory reading took): the paths that have children (`parents`), each one's keys in order
    (`children`: a tuple, or range(n) for a list's items) and all their lines, one after another (`lines`). A record has a few
    parents of a few keys, so looking one up is a short scan; a big record gets a dict on first look.

    Records of a kind mostly have the same keys in the same order: `parents` and `children` are shared
    between all the key lines that have equal ones (see _shared), so each record keeps only its own lines,
    one byte a line when they are all below 256."""

    __slots__ = ("parents", "children", "lines", "_index")
    _SCANNED = 256  # up to this many keys, a look-up scans; past it, a dict is made (a hostile record)

    def __init__(self, parents: tuple = (), children: tuple = (), lines: Sequence[int] = ()) -> None:
        self.parents = _shared(parents)
        self.children = _shared(tuple(map(_shared, children)))  # (not `keys`: a Mapping's keys() is a method)
        self.lines = _compact(lines)
        self._index: dict[tuple, int] | None = None

    def get(self, path: tuple, default=None):
        if not path:
            return default
        if len(self.lines) > self._SCANNED:
            if self._index is None:
                self._index = dict(zip(self, self.lines))
            return self._index.get(path, default)
        parent, key, start = path[:-1], path[-1], 0
        for candidate, keys in zip(self.parents, self.children):
            if candidate == parent:
                return self.lines[start + keys.index(key)] if key in keys else default
            start += len(keys)
        return default

    def __getitem__(self, path: tuple) -> int:
        line = self.get(path)
        if line is None:
            raise KeyError(path)
        return line

    def __contains__(self, path) -> bool:
        return self.get(path) is not None

    def __iter__(self) -> Iterator[tuple]:
        for parent, keys in zip(self.parents, self.children):
            for key in keys:
                yield (*parent, key)

    def __len__(self) -> int:
        return len(self.lines)

    def __reduce__(self):
        return KeyLines, (self.parents, self.children, self.lines)  # not the index: it is made again when needed

    def __repr__(self) -> str:
        return f"KeyLines({dict(zip(self, self.lines))!r})"


_SHAPES: dict = {}  # each tuple of keys or of paths KeyLines have kept, once
_MOST_SHAPES = 100_000  # past this many (a workspace of records each unlike the others), no more are kept


def _shared(value):
    """The one copy of an equal tuple (or range) kept already, else this one, kept from now on."""
    found = _SHAPES.get(value)
    if found is None:
        found = value
        if len(_SHAPES) < _MOST_SHAPES:
            _SHAPES[value] = value
    return found


def _compact(lines: Sequence[int]) -> Sequence[int]:
    """The lines in the smallest array that holds them: one byte each for a front matter under 256 lines."""
    if isinstance(lines, array.array) and lines.itemsize == 1:
        return lines
    most = max(lines, default=0)
    return array.array("B" if most < 1 << 8 else "H" if most < 1 << 16 else "I", lines)


@dataclass(slots=True)
class Source:
    """Where a value sits: the file (relative to the workspace) and the line of each key."""

    path: str
    lines: Mapping[tuple, int] = field(default_factory=dict)  # a KeyLines when read from YAML
    first_line: int = 1  # the file line of the first line of YAML text

    def line(self, *key) -> int:
        """The file line of a key path, else of its closest parent that has one."""
        lines = self.lines
        while key:
            line = lines.get(key)
            if line is not None:
                return line + self.first_line
            key = key[:-1]
        return max(self.first_line - 1, 1)


@dataclass(slots=True)
class Record:
    """One record: a Markdown file with YAML front matter, as read. (Slots: 100,000 of them are held at once.)"""

    path: str  # relative to the workspace, with forward slashes
    fields: dict
    packed_body: str | bytes  # the body as given; kept compressed when long (see `body`)
    source: Source
    body_line: int = 1  # file line where the body starts
    duplicates: Sequence[tuple[tuple, int]] = ()  # (key path, YAML line): a list when there are any

    def __post_init__(self) -> None:
        self.packed_body = _packed(self.packed_body)

    @property
    def body(self) -> str:
        """The Markdown body, exactly as read. A long one is kept zlib-compressed (100,000 records' bodies
        took 140 MB, half that so) and given back whole each time it is asked for."""
        packed = self.packed_body
        return packed if packed.__class__ is str else zlib.decompress(packed).decode("utf-8")

    @body.setter
    def body(self, text: str) -> None:
        self.packed_body = _packed(text)

    @property
    def id(self) -> str:
        return self.text("id") or ""

    @property
    def kind(self) -> str:
        return self.text("kind") or ""

    @property
    def title(self) -> str:
        return self.text("title") or ""

    @property
    def status(self) -> str:
        return self.text("status") or ""

    def text(self, name: str) -> str | None:
        """A field's value when it is text (an ID, a name), else None: safe to look up in a dict."""
        value = self.fields.get(name)
        return value if isinstance(value, str) else None

    def date(self, name: str) -> dt.date | None:
        value = self.fields.get(name)
        return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None

    def line(self, *key) -> int:
        return self.source.line(*key)

    def existed_on(self, day: dt.date) -> bool:
        """False for a record created after that day (looking back, it did not exist yet)."""
        created = self.date("created")
        return created is None or created <= day


_PACKED = 256  # a body this long or longer is kept compressed


def _packed(body: str | bytes) -> str | bytes:
    if body.__class__ is not str or len(body) < _PACKED:
        return body
    return zlib.compress(body.encode("utf-8"), 1)


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    lead: str | None = None  # person id of the lead safeguarding partner (LSP)
    delegate: str | None = None  # person id of the delegated safeguarding partner (DSP)


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    type: str = "other"
    section11: bool = False
    partner: str | None = None  # the partner id, when the agency is a safeguarding partner
    commissioners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str = ""  # the address mars writes to (the first one listed)
    roles: tuple[str, ...] = ()
    agency: str | None = None
    iso_days: float | None = None  # an ISO's own day allowance, when per ISO
    emails: tuple[str, ...] = ()  # every address listed, lower case: commits by any of them are theirs


Score = str | int | float  # a value of the rating scale: a word (red) or a number (2)


@dataclass(frozen=True)
class Item:
    """A numbered question under a standard (1.1 under standard 1), rated on its own."""

    id: str
    title: str


@dataclass(frozen=True)
class Standard:
    """A standard of a question set. With `items`, records rate each item rather than the standard."""

    id: str
    title: str
    items: tuple[Item, ...] = ()


@dataclass
class Config:
    """mars.yaml, as far as it could be understood (findings say the rest)."""

    partnership: str = ""
    year_start_month: int = 4
    default_marking: str = "OFFICIAL"
    as_of: dt.date | None = None
    partners: dict[str, Partner] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    rating_scale: tuple[Score, ...] = ("red", "amber", "green")  # worst first: all words or all numbers
    standards: dict[str, tuple[Standard, ...]] = field(default_factory=dict)
    iso_allowance_days: float = 15
    iso_allowance_basis: str = "per-iso"
    document_colour: tuple[int, int, int] = (29, 79, 124)  # headings and the partnership's name on papers
    document_contact: str = ""  # who to ask for a paper in another format (printed on every paper)
    document_postcodes: tuple[str, ...] = ()  # the partnership's own postcodes, which public papers may print
    document_small_counts: int = 5  # counts of children, families or cases below this are not published
    default_owner: str = ""  # the person who owns a new record unless `mars new --owner` says otherwise
    require_signed_commits: bool = False  # `check --verify-signoffs` wants each sign-off's commit signed
    source: Source = field(default_factory=lambda: Source("mars.yaml"))
    entry_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # ("agencies", id) -> its line

    def line_of(self, section: str, ident: str) -> int:
        return self.entry_lines.get((section, ident), self.source.line(section))

    def has_role(self, person_id: str, role: str) -> bool:
        """Whether a person holds a role: listed in their roles (`dsp` matches `dsp:police`), or, for
        lsp and dsp, by being a partner's lead or delegate."""
        person = self.people.get(person_id)
        if person is None:
            return False
        if any(r == role or r.startswith(role + ":") for r in person.roles):
            return True
        if role in ("lsp", "dsp"):
            attribute = "lead" if role == "lsp" else "delegate"
            return any(getattr(p, attribute) == person_id for p in self.partners.values())
        return False

    def holds(self, person_id: str, role: str) -> bool:
        """Whether a person holds exactly this role: `dsp:police` needs police's DSP, `iso` any ISO."""
        if ":" not in role:
            return self.has_role(person_id, role)
        person = self.people.get(person_id)
        if person is None:
            return False
        if role in person.roles:
            return True
        base, _, target = role.partition(":")
        partner = self.partners.get(target)
        attribute = {"lsp": "lead", "dsp": "delegate"}.get(base)
        return bool(partner and attribute and getattr(partner, attribute) == person_id)

    def people_with_role(self, role: str) -> list[Person]:
        return [p for p in self.people.values() if self.holds(p.id, role)]

    def owner_of_new_records(self) -> str:
        """Who owns a new record unless told otherwise: `default_owner:`, else the only mars-officer
        ('' when there are several and none is named)."""
        if self.default_owner:
            return self.default_owner
        officers = self.people_with_role("mars-officer")
        return officers[0].id if len(officers) == 1 else ""


@dataclass
class Workspace:
    """Everything `mars` read from one workspace folder."""

    root: Path
    config: Config
    records: list[Record]
    findings: list[Finding]  # what reading found: unreadable files, bad YAML, bad config
    templates: dict[str, str] = field(default_factory=dict)  # kind -> body override
    processes: object = None  # mars_cli.framework.processes.Processes: the shipped rules with the workspace's changes
    # The files that should be records but are not read as one (a file's first problem each, by path): a file
    # that cannot be read or parsed, a record with no id or kind. Every command says so, never silently less.
    unread: list[Finding] = field(default_factory=list)
    # With the cache (store/cache.py): a hash of everything read, and what commands worked out from exactly
    # that. Not copied by dataclasses.replace: a workspace with other records is not the one read.
    fingerprint: bytes = field(default=b"", init=False, repr=False)
    memo: object = field(default=None, init=False, repr=False)

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records if r.id}


class LazyRecords(list):
    """A workspace's records, taken from the cache only when first used: a command the cache answers
    whole (a warm `check`, `overdue`, `status`) never loads them."""

    def __init__(self, load, size: int | None = None) -> None:
        super().__init__()
        self._load = load
        self._size = size  # how many there are, when known before loading them (counting needs no load)

    def _filled(self) -> LazyRecords:
        if self._load is not None:
            load, self._load = self._load, None
            super().extend(load())
        return self

    def __iter__(self):
        return super(LazyRecords, self._filled()).__iter__()

    def __len__(self) -> int:
        if self._load is not None and self._size is not None:
            return self._size
        return super(LazyRecords, self._filled()).__len__()

    def __getitem__(self, index):
        return super(LazyRecords, self._filled()).__getitem__(index)

    def __contains__(self, item) -> bool:
        return super(LazyRecords, self._filled()).__contains__(item)

    def __reversed__(self):
        return super(LazyRecords, self._filled()).__reversed__()

    def __eq__(self, other) -> bool:
        return super(LazyRecords, self._filled()).__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return super(LazyRecords, self._filled()).__repr__()

    def __add__(self, other):
        return list(self) + other

    def index(self, *args):
        return super(LazyRecords, self._filled()).index(*args)

    def count(self, item) -> int:
        return super(LazyRecords, self._filled()).count(item)

    def copy(self) -> list:
        return list(self)


def _filling(method):
    def filled(self, *args, **kwargs):
        return method(self._filled(), *args, **kwargs)

    filled.__name__ = method.__name__
    return filled


for _name in ("append", "extend", "insert", "sort", "remove", "pop", "clear", "reverse", "__setitem__",
              "__delitem__", "__iadd__"):
    setattr(LazyRecords, _name, _filling(getattr(list, _name)))
