"""The record kinds, read from kinds.yaml, and their built-in templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from mars_cli.store import yaml12

FIELD_TYPES = frozenset(
    ["id", "year", "string", "text", "date", "int", "number", "bool", "enum", "status", "person", "people", "agency", "agencies", "partner", "partners", "record", "records", "list", "owner", "ratings", "actions", "subjects", "iso_days", "updates", "extensions", "steps", "signoffs"]
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    help: str = ""
    role: str | None = None  # for a person field: the role that person must hold in mars.yaml


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    prefix: str
    framework: str
    date_field: str
    statuses: tuple[str, ...]
    fields: dict[str, FieldSpec]  # common fields first, then the kind's own, in file order
    new_needs: tuple[str, ...] = ()
    case: bool = False
    agency_rule: object = None  # "section11", a tuple of agency types, or None
    question_set: str | None = None
    own_fields: tuple[str, ...] = field(default=())
    part_of: str | None = None  # for parts (an action): the kind of record it belongs to
    noun_override: str | None = None

    @property
    def noun(self) -> str:
        """The label inside a sentence: "agency call-in", but "SPLIG meeting" keeps its capitals."""
        label = self.noun_override or self.label
        if self.noun_override:
            return label
        return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label

    @property
    def a(self) -> str:
        """The noun with its article: "an agency call-in", "a yearly report"."""
        return f"{'an' if self.noun[0].lower() in 'aeio' else 'a'} {self.noun}"

    def field_for(self, name: str) -> FieldSpec | None:
        """A field by name; "date" is the kind's main date (what --date sets)."""
        return self.fields.get(self.date_field if name == "date" else name)

    def allows(self, agency) -> bool:
        """Whether this kind may be about that agency (Section 11 duty, or the right type of setting)."""
        if self.agency_rule == "section11":
            return agency.section11
        if isinstance(self.agency_rule, tuple):
            return agency.type in self.agency_rule
        return True

    @property
    def folder(self) -> str:
        return f"records/{self.name}"


def _spec(name: str, raw: dict) -> FieldSpec:
    return FieldSpec(
        name=name,
        type=raw["type"],
        required=bool(raw.get("required", False)),
        values=tuple(raw.get("values", ())),
        help=raw.get("help", ""),
        role=raw.get("role"),
    )


@cache
def _load() -> tuple[dict[str, Kind], dict[str, Kind]]:
    text = resources.files(__package__).joinpath("kinds.yaml").read_text(encoding="utf-8")
    data = yaml12.load(text).data
    return _kinds(data, "kinds"), _kinds(data, "parts")


def registry() -> dict[str, Kind]:
    """Every record kind, by name, in the framework's order."""
    return _load()[0]


def parts() -> dict[str, Kind]:
    """Pieces of records kept in files of their own (an action plan's actions)."""
    return _load()[1]


def _kinds(data: dict, section: str) -> dict[str, Kind]:
    common = {name: _spec(name, raw) for name, raw in data["common"].items()}
    kinds = {}
    for name, raw in data[section].items():
        own = {fname: _spec(fname, fraw) for fname, fraw in raw.get("fields", {}).items()}
        rule = raw.get("agency_rule")
        kinds[name] = Kind(
            name=name,
            label=raw["label"],
            prefix=raw["prefix"],
            framework=raw["framework"],
            date_field=raw["date_field"],
            statuses=tuple(raw["statuses"]),
            fields={**common, **own},
            new_needs=tuple(raw.get("new_needs", ())),
            case=bool(raw.get("case", False)),
            agency_rule=tuple(rule) if isinstance(rule, list) else rule,
            question_set=raw.get("question_set"),
            own_fields=tuple(own),
            part_of=raw.get("part_of"),
            noun_override=raw.get("noun"),
        )
    return kinds


def get(name: str) -> Kind | None:
    """A record kind or a part kind, by name."""
    return registry().get(name) or parts().get(name)


def lookup(name: str, *, parts_too: bool = False) -> Kind:
    """The kind a person named, or a UsageError that says what they may have meant."""
    from mars_cli.model.errors import UsageError
    from mars_cli.model.fields import did_you_mean

    kind = get(name) if parts_too else registry().get(name)
    if kind is not None:
        return kind
    if name in parts():
        part = parts()[name]
        raise UsageError(f"{part.a} is part of {get(part.part_of).a}, not a record of its own",
                         f"Create the plan with `mars new {part.part_of}`, then add each {part.noun} with "
                         f"`mars {name} add PLAN --{name} TEXT --owner WHO --due YYYY-MM-DD` (a file of its own "
                         f"in the plan's folder).")
    raise UsageError(f"'{name}' is not a kind of record", f"`mars kinds` lists them.{did_you_mean(name, registry())}")


def main_date(record) -> dt.date | None:
    """A record's main date (an event's date, a return's due date...), else the day it was created."""
    kind = get(record.kind)
    return (record.date(kind.date_field) if kind else None) or record.date("created")


def record_year(record, start_month: int) -> str:
    """The reporting year of a record's main date ('' when it has none)."""
    from mars_cli.model import dates

    day = main_date(record)
    return dates.reporting_year(day, start_month) if day else ""


def builtin_template(kind: str) -> str:
    """The Markdown body a new record of this kind starts with."""
    return resources.files(__package__).joinpath("templates", f"{kind}.md").read_text(encoding="utf-8")
