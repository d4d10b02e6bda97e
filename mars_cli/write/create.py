"""Creating a record: its ID, its path, its front matter and body from a template.

The new record is checked with the same rules as `mars check` (its fields and its
process) before anything is written; a record `check` would call an error is
refused with those findings and nothing is written, as `step` and `signoff` refuse.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mars_cli.derive import lookup, ratings
from mars_cli.derive.context import Context
from mars_cli.framework import kinds
from mars_cli.framework.kinds import Kind
from mars_cli.model import dates
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Record, Source, Workspace
from mars_cli.rules.records import check_record, expected_path
from mars_cli.rules.steps import check_process
from mars_cli.store.files import parse_record, write_atomic
from mars_cli.write import values as inputs

_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/i/l: easy to read aloud
_SLUG_MAX = 40
CLOSED_ACTIONS = ("complete", "dropped")


@dataclass
class NewRecord:
    path: Path
    text: str
    record: Record
    carried_from: Record | None = None

    @property
    def carried_ratings(self) -> int:
        ratings = self.record.fields.get("ratings") or {}
        return sum(1 for v in ratings.values() if isinstance(v, dict) and v.get("rating") not in (None, ""))

    @property
    def carried_actions(self) -> int:
        return len(self.record.fields.get("actions") or [])


def slug(title: str) -> str:
    """A short, readable, ASCII slug of a title, cut at a word boundary."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"(\w)['\u2019](\w)", r"\1\2", text)  # children's -> childrens, not children-s
    words = re.findall(r"[a-z0-9]+", text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > _SLUG_MAX:
            break
        out = candidate
    return out or (words[0][:_SLUG_MAX] if words else "record")


def new_id(kind: Kind, title: str, created: dt.date) -> str:
    """prefix-date-slug-xxxx: readable, and unique across branches without any counter.

    The four random characters make a clash between two officers creating a
    record with the same title on the same day on two branches about one in a
    million; `mars check` reports duplicate IDs if it ever happens.
    """
    tag = "".join(secrets.choice(_ALPHABET) for _ in range(4))
    return f"{kind.prefix}-{created.isoformat()}-{slug(title)}-{tag}"


# Asks a person for one value a new record needs, by field name; with `default`, Enter takes it (and for
# an optional field with no default, Enter leaves it out: None).
Ask = Callable[..., object]


def new_record(ws: Workspace, kind_name: str, given: dict[str, str | None], sets: list[str] | None,
               day: dt.date, *, from_last_year: bool = False, ask: Ask | None = None) -> NewRecord:
    """`mars new`: the record made from the options given (with `ask` for what is still needed, or a
    UsageError naming the options when nobody can be asked), checked and written as a new file."""
    kind = kinds.lookup(kind_name)
    values = inputs.from_options(kind, given, sets)
    lookup.resolve_records(ws, kind, values)
    check_given(ws, kind, values, day)  # a slip on the command line is refused before anything is asked
    if from_last_year:
        _carries_forward(kind)
    _fill_needed(kind, values, ask)
    _fill_deadline_dates(ws, kind, values, ask)
    _fill_owner(ws, kind, values, ask)
    result = build(ws, kind.name, values, day, from_last_year=from_last_year, as_of=day)
    try:
        write_atomic(result.path, result.text, exclusive=True, root=ws.root)
    except FileExistsError:
        raise Refused(f"{result.path} already exists; nothing was written", "Run the command again.") from None
    return result


def _fill_needed(kind: Kind, values: dict, ask: Ask | None) -> None:
    needed = inputs.needed(kind, values)
    if needed and ask is None:
        raise inputs.missing(kind, needed)
    for name in needed:
        values[name] = ask(kind, name)


def _fill_deadline_dates(ws: Workspace, kind: Kind, values: dict, ask: Ask | None) -> None:
    """At a terminal, the dates the deadlines of the kind's process count from, when not given (Enter
    leaves one for later); without one, a step's deadline cannot be known. Nobody to ask: left out."""
    if ask is None:
        return
    for name in inputs.deadline_dates(kind, ws.processes.get(kind.name)):
        if values.get(name) in (None, "") and not (name == kind.date_field and values.get("date")):
            answer = ask(kind, name, default="")
            if answer is not None:
                values["date" if name == kind.date_field else name] = answer


def check_given(ws: Workspace, kind: Kind, values: dict, day: dt.date) -> None:
    """Refuse the values given on the command line that `check` would call an error (a reporting year
    written 2025, an agency or person mars.yaml does not have, a marking not allowed), before any prompt."""
    from mars_cli.rules.records import check_agency_rule, check_references, check_types

    probe = _probe({"kind": kind.name, **_fields(ws, kind, dict(values), day)})
    ctx = Context(ws, day)
    errors = [dataclasses.replace(f, path="", line=0)
              for rule in (check_types, check_references, check_agency_rule)
              for f in rule(ctx, probe, kind) if f.severity == ERROR]
    if errors:
        raise Refused(f"the new {kind.noun} would not be valid, so nothing was written", findings=errors)


def _fill_owner(ws: Workspace, kind: Kind, values: dict, ask: Ask | None) -> None:
    """The record's owner, when --owner did not give one: asked, offering the default from mars.yaml
    (`default_owner:`, else the only mars-officer), or that default when nobody can be asked."""
    if values.get("owner") or "owner" not in kind.fields:
        return
    default = ws.config.owner_of_new_records()
    owner = ask(kind, "owner", default=default) if ask is not None else default
    if owner:
        values["owner"] = owner


def build(ws: Workspace, kind_name: str, values: dict, created: dt.date, *, from_last_year: bool = False,
          as_of: dt.date | None = None) -> NewRecord:
    """The new record's path and text, checked. Raises Refused/UsageError; writes nothing."""
    kind = kinds.lookup(kind_name)
    ctx = Context(ws, as_of or created)
    fields = _fields(ws, kind, values, created)
    previous = None
    if from_last_year:
        previous = _last_year(ws, kind, fields, created)
        _carry_forward(ctx, kind, fields, previous)
    elif kind.question_set:
        asked = ratings.questions_of(ctx, _probe(fields), kind)
        fields["ratings"] = {q.id: {"rating": None, "comment": None} for q in asked}
    record_id = new_id(kind, fields["title"], created)
    fields["id"] = record_id
    fields = _ordered(kind, fields)
    rel = expected_path(kind, record_id, created, ws.config.year_start_month)
    text = _text(ws, kind, ctx, fields)
    record = parse_record(rel, text.encode("utf-8"))
    assert isinstance(record, Record), record
    ws.records.append(record)
    try:  # the checks of `mars check` on this record, its process's among them (a conflicted scrutineer)
        errors = [f for f in (*check_record(ctx, record), *check_process(ctx, record)) if f.severity == ERROR]
    finally:
        ws.records.pop()
    if errors:
        # The file was never written, so the findings name the field, not a path and line.
        errors = [dataclasses.replace(f, path="", line=0) for f in errors]
        raise Refused(f"the new {kind.noun} would not be valid, so nothing was written", findings=errors)
    return NewRecord(ws.root / rel, text, record, previous)


def _fields(ws: Workspace, kind: Kind, values: dict, created: dt.date) -> dict:
    fields = {
        "kind": kind.name,
        "title": values.pop("title", None),
        "status": values.pop("status", None) or kind.statuses[0],
        "marking": values.pop("marking", None) or _default_marking(ws, kind),
        "created": created,
    }
    if "date" in values:
        fields[kind.date_field] = values.pop("date")
    if kind.question_set and "cycle" in kind.fields:
        fields["cycle"] = dates.reporting_year(created, ws.config.year_start_month)
    for key, value in values.items():
        if key not in kind.fields:
            raise UsageError(f"{kind.a} has no field '{key}'",
                             f"`mars kinds {kind.name}` lists its fields.{did_you_mean(key, kind.fields)}")
        fields[key] = value
    return fields


def _default_marking(ws: Workspace, kind: Kind) -> str:
    return "OFFICIAL-SENSITIVE" if kind.case else ws.config.default_marking


def _ordered(kind: Kind, fields: dict) -> dict:
    """Common fields first, then the kind's own fields (empty placeholders to fill in)."""
    head = ("id", "kind", "title", "status", "marking", "created")
    out = {key: fields[key] for key in head}
    for key in kind.fields:
        if key in head:
            continue
        if key in fields:
            out[key] = fields[key]
        elif key in kind.own_fields:
            out[key] = None
    return out


def _probe(fields: dict) -> Record:
    return Record("", fields, "", Source(""))


def _last_year(ws: Workspace, kind: Kind, fields: dict, created: dt.date) -> Record:
    _carries_forward(kind)
    agency = fields.get("agency")
    this_year = dates.reporting_year(created, ws.config.year_start_month)
    earlier = [r for r in ws.records if r.kind == kind.name and r.fields.get("agency") == agency
               and _year_of(r, ws) < this_year]
    if not earlier:
        raise Refused(f"there is no earlier {kind.noun} for agency '{agency}' to start from",
                      f"Create this year's without --from-last-year: `mars new {kind.name} --agency {agency} ...`.")
    return max(earlier, key=lambda r: (_year_of(r, ws), r.date("created") or dt.date.min))


def _carries_forward(kind: Kind) -> None:
    if not kind.question_set:
        raise UsageError(f"--from-last-year is only for self-assessments (section11, schools-audit, "
                         f"early-years-audit), not {kind.a}")


def _year_of(record: Record, ws: Workspace) -> str:
    cycle = record.fields.get("cycle")
    if isinstance(cycle, str) and dates.year_bounds(cycle, ws.config.year_start_month):
        return cycle
    created = record.date("created")
    return dates.reporting_year(created, ws.config.year_start_month) if created else ""


def _carry_forward(ctx: Context, kind: Kind, fields: dict, previous: Record) -> None:
    """This year's return starts from last year's ratings and its open actions.

    Each rating keeps its fields but not its moderated score: that was the MARS team's view of last
    year's return, and this one is moderated afresh. Keys become the question ids, as text (an item
    written `1.1:` without quotes last year is written `"1.1":`)."""
    fields["carried_forward_from"] = previous.id
    if isinstance(previous.fields.get("ratings"), dict):
        fields["ratings"] = {_carried_key(e): _carried_entry(e.value) for e in ratings.entries(ctx, previous, kind)}
    actions = previous.fields.get("actions")
    if isinstance(actions, list):
        still_open = [dict(a) for a in actions if isinstance(a, dict) and a.get("status") not in CLOSED_ACTIONS]
        if still_open:
            fields["actions"] = still_open


def _carried_key(entry: ratings.Entry) -> str:
    return entry.question.id if entry.question is not None else entry.name


def _carried_entry(value: object) -> object:
    return {k: v for k, v in value.items() if k != "moderated"} if isinstance(value, dict) else value


def _text(ws: Workspace, kind: Kind, ctx: Context, fields: dict) -> str:
    from mars_cli.store import rtyaml

    comments = {}
    if isinstance(fields.get("ratings"), dict):
        titles = _question_titles(ratings.questions_of(ctx, _probe(fields), kind))
        comments = {("ratings", sid): titles[sid] for sid in fields["ratings"] if sid in titles}
    body = ws.templates.get(kind.name) or kinds.builtin_template(kind.name)
    agency = ws.config.agencies.get(fields["agency"]) if isinstance(fields.get("agency"), str) else None
    body = (body.replace("{title}", fields["title"] or "").replace("{label}", kind.label)
            .replace("{agency}", agency.name if agency else ""))
    return f"---\n{rtyaml.dump(fields, comments)}---\n\n{body.lstrip()}"


def _question_titles(asked: list[ratings.Question]) -> dict[str, str]:
    """The comment above each question's entry in a new record: its title, and above the first item of
    a standard, the standard's title too."""
    out = {}
    for question in asked:
        standard, item = question.standard, question.item
        if item is not None and item == standard.items[0]:
            out[question.id] = f"Standard {standard.id}: {standard.title}\n{item.title}"
        else:
            out[question.id] = question.title
    return out
