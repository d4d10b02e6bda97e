"""The record kinds, read from kinds.yaml, and their built-in templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from mars_cli.store import yaml12

FIELD_TYPES = frozenset(
    "string text date int number bool enum status person people agency agencies partner "
    "partners record records list ratings actions subjects iso_days".split()
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    help: str = ""


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
    )


@cache
def registry() -> dict[str, Kind]:
    """Every kind, by name, in the framework's order."""
    text = resources.files(__package__).joinpath("kinds.yaml").read_text(encoding="utf-8")
    data = yaml12.load(text).data
    common = {name: _spec(name, raw) for name, raw in data["common"].items()}
    kinds = {}
    for name, raw in data["kinds"].items():
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
        )
    return kinds


def get(name: str) -> Kind | None:
    return registry().get(name)


def builtin_template(kind: str) -> str:
    """The Markdown body a new record of this kind starts with."""
    return resources.files(__package__).joinpath("templates", f"{kind}.md").read_text(encoding="utf-8")
