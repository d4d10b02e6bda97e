"""Values people type on the command line, read as the field they are for.

A title "2025" stays text, a date must be YYYY-MM-DD (with the ISO form of a
UK-style date as the fix), "0,5" days gets "write 0.5", and a record may be
named by any part of its ID that only it has. No typer or rich here: the CLI
asks, this module understands.
"""

from __future__ import annotations

from mars_cli.framework.kinds import Kind
from mars_cli.framework.process_types import Process, deadline_dates as _anchors
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.store import yaml12

# The option that gives each value `mars new` may need; any other field is --set FIELD=VALUE.
OPTION_FOR = {"title": "--title", "agency": "--agency", "theme": "--theme", "source": "--source", "owner": "--owner",
              "marking": "--marking", "iso": "--iso", "days": "--days", "kcsie_edition": "--kcsie", "year": "--year",
              "date": "--date"}
SET_BY_MARS = ("id", "kind", "created")  # fixed when the record is made; never typed
_TEXT_TYPES = ("id", "year", "string", "text", "person", "agency", "partner", "record", "owner", "status", "enum")
_LIST_TYPES = ("list", "people", "agencies", "partners", "records")


def option_name(name: str) -> str:
    return OPTION_FOR.get(name, f"--set {name}")


def typed(kind: Kind, name: str, raw: str, option: str = ""):
    """The value of field `name` (or "date": the kind's main date) from what was typed; `option` is how
    messages name where it was typed (default: the option of `mars new` that gives it)."""
    if name in SET_BY_MARS:
        raise UsageError(f"{name} is set by mars when the record is created, so --set {name} is not allowed",
                         "Leave it out; mars chooses the ID and folder from the kind and today's date.")
    field = kind.field_for(name)
    ftype = field.type if field is not None else None
    option = option or option_name(name)
    raw = raw.strip()
    if not raw:
        raise UsageError(f"{option} is empty", "Give it a value, or leave the option out.")
    if ftype == "date":
        return dates.date_value(option, raw)
    if ftype in ("number", "int"):
        return number(option, raw)
    if ftype in _TEXT_TYPES:
        from mars_cli.model.fields import shape_problem
        problem = shape_problem("text" if ftype == "text" else "string", raw)
        if problem:
            raise UsageError(f"{option} {problem[0]}", problem[1])
        return raw
    if ftype in _LIST_TYPES:
        return _flow_list(option, raw)
    return yaml12.scalar(raw)


def from_options(kind: Kind, given: dict[str, str | None], sets: list[str] | None) -> dict:
    """What `mars new` was given: each option typed (by field name) and each --set FIELD=VALUE, read
    as its field. A field given both ways is refused."""
    values = {name: typed(kind, name, raw) for name, raw in given.items() if raw is not None}
    for item in sets or []:
        name, raw = _set_item(item)
        if name in values or (name == kind.date_field and "date" in values):
            raise UsageError(f"{name} is given twice (by --set and by {option_name(name)})",
                             "Give each value once.")
        values[name] = typed(kind, name, raw)
    return values


def _set_item(item: str) -> tuple[str, str]:
    name, sep, raw = item.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"--set '{item}' is not FIELD=VALUE", "For example: --set lead_iso=iso-1")
    return name, raw


def number(option: str, text: str) -> int | float:
    """A number typed by a person: 1.5 (a comma decimal gets a hint); 1 stays 1, not 1.0."""
    try:
        value = float(text)
    except ValueError:
        hint = f"Write {text.replace(',', '.')}." if "," in text else "Write digits, e.g. 1.5."
        raise UsageError(f"{option} '{text}' is not a number", hint) from None
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise UsageError(f"{option} '{text}' is not a number of 0 or more", "Write digits, e.g. 1.5.")
    return int(value) if value.is_integer() else value


def _flow_list(option: str, text: str) -> list:
    """`a, b` or `[a, b]` as a list of text."""
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    items = [item.strip() for item in inner.split(",") if item.strip()]
    if not items:
        raise UsageError(f"{option} is empty", "Give one or more values separated by commas, e.g. a, b.")
    return items


def needed(kind: Kind, values: dict) -> list[str]:
    """What `mars new` still needs for this kind: its title, its new_needs and its required fields."""
    required = [f.name for f in kind.fields.values() if f.required and f.name in kind.own_fields]
    # (the main date is asked for as --date, whatever the kind calls it)
    wanted = dict.fromkeys(["title", *("date" if n == kind.date_field else n for n in (*kind.new_needs, *required))])
    return [n for n in wanted if values.get(n) in (None, "") and not (n == "date" and kind.date_field in values)]


def missing(kind: Kind, names: list[str]) -> UsageError:
    """What to say when `mars new` cannot ask for what it still needs: the options that give it."""
    flags = [option_name(n) for n in names]
    return UsageError(f"a new {kind.noun} needs {', '.join(flags)}",
                      f"For example: mars new {kind.name} " + " ".join(
                          f"{f}=..." if f.startswith("--set") else f"{f} ..." for f in flags))


def deadline_dates(kind: Kind, process: Process | None) -> dict[str, tuple[str, ...]]:
    """The kind's date fields the deadlines of its process count from, each with those steps."""
    return _anchors(process, [f.name for f in kind.fields.values() if f.type == "date"])


_PURPOSES = {
    "title": "what the record is about, in a few words; its ID and file name are made from it",
    "owner": "the officer who keeps the record up to date; steps nobody else leads are theirs",
    "agency": "the agency or setting the record is about",
    "theme": "what is looked at, in a few words",
    "iso": "the Independent Scrutiny Officer whose time this was",
    "days": "the days the ISO spent on it, e.g. 1.5",
    "date": "the day it happens",
}


def prompt_words(kind: Kind, name: str, process: Process | None) -> tuple[str, str]:
    """How a prompt of `mars new` names a field and says what it is for: ("Notification date", "when the
    notification went to the national Panel; the deadline of step 'decided' counts from it")."""
    field = kind.field_for(name)
    real = kind.date_field if name == "date" else name
    label = real.replace("_", " ").capitalize()
    purpose = field.help if field is not None and field.help else _PURPOSES.get(real, "")
    steps = deadline_dates(kind, process).get(real, ())
    if steps:
        counted = (f"the deadline of step '{steps[0]}' counts" if len(steps) == 1 else
                   "the deadlines of steps " + ", ".join(f"'{s}'" for s in steps) + " count")
        purpose = f"{purpose}; {counted} from it" if purpose else f"{counted} from it"
    return label, purpose
