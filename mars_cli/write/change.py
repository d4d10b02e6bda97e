"""Changing a record's fields: `mars set ID FIELD=VALUE ... --unset FIELD`.

Every assignment is read as its field (values.typed: a date must be YYYY-MM-DD, a number digits, a
list comma-separated) and the fields other commands keep are refused, naming the command. The whole
change is then checked: it is refused, with nothing written, when the record would have a `check`
error it did not have before. Each value is edited in place (store/edit: only its lines change) and
the file written once, atomically. Sign-offs whose fingerprint covered a changed field are stale
afterwards, and the result says which, and who signed them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from mars_cli.derive import lookup
from mars_cli.derive.context import Context
from mars_cli.derive.timeline import timeline
from mars_cli.framework import kinds
from mars_cli.framework.kinds import Kind
from mars_cli.model import dates
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Finding, Record, Workspace
from mars_cli.rules import run_rules
from mars_cli.store import edit
from mars_cli.write import values
from mars_cli.write.kit import Recorded, read_text, reread, write_record

_LIST_TYPES = ("list", "people", "agencies", "partners", "records")
_ENTRY_TYPES = ("ratings", "actions", "subjects", "iso_days", "updates", "extensions", "steps", "signoffs")


@dataclass(frozen=True)
class Assignment:
    """One change asked for: a field set to a value, items added to a list (`+=`), or emptied."""

    name: str
    value: object  # None: emptied
    add: bool = False
    remove: bool = False  # a key that is not a field of the kind: its line goes

    def words(self) -> str:
        if self.remove:
            return f"{self.name} removed"
        if self.value is None:
            return f"{self.name} emptied"
        shown = ", ".join(_shown(v) for v in self.value) if isinstance(self.value, list) else _shown(self.value)
        return f"{self.name} {'+= ' if self.add else '= '}{shown}"


def _shown(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def managed_by(ws: Workspace, record: Record, kind: Kind, name: str) -> tuple[str, str] | None:
    """Why a field is not `mars set`'s to change, and the command that changes it; None when it is."""
    rid = record.id or "ID"
    fixed = {"id": "an ID never changes once the record is created",
             "kind": "a record's kind is fixed when it is created",
             "created": "the day a record was created fixes its folder, so it never changes"}
    if name in fixed:
        command = "mars action add PLAN" if kind.part_of else f"mars new {kind.name}"
        return fixed[name], f"If this is wrong, create the right one with `{command} ...`."
    if name == "steps":
        return "steps are recorded by `mars step`", f"Use `mars step {rid} STEP --done --date YYYY-MM-DD`."
    if name == "signoffs":
        return "sign-offs are recorded by `mars signoff`", f"Use `mars signoff {rid} --for WHAT --by PERSON --as ROLE`."
    if kind.name == "action":
        return _managed_in_action(rid, name)
    process = ws.processes.get(record.kind) if ws.processes else None
    if name == "status" and process is not None and process.steps:
        return ("the status follows the record's steps and sign-offs",
                f"Record the step that brings it with `mars step {rid} STEP --done` (`mars show {rid}` lists them).")
    return None


def _managed_in_action(rid: str, name: str) -> tuple[str, str] | None:
    if name in ("updates", "status"):
        return (f"an action's {name} {'are' if name == 'updates' else 'is'} recorded by `mars action update`",
                f"Use `mars action update {rid} --note TEXT --by PERSON [--status STATUS]`.")
    if name in ("extensions", "due"):
        return ("an action's due date moves by an extension, which keeps the date it moved from",
                f"Use `mars action extend {rid} --to YYYY-MM-DD --reason TEXT --agreed-by PERSON`.")
    return None


def assignments(ws: Workspace, record: Record, given: list[str], unset: list[str]) -> list[Assignment]:
    """What `mars set` was asked, each read as its field; a UsageError or Refused for the first that is
    wrong (nothing is written)."""
    kind = kinds.get(record.kind)
    if kind is None:
        raise Refused(f"{record.path} is of kind '{record.kind}', which mars does not know; nothing was changed",
                      "Run `mars check` to see what is wrong with it.")
    out = [_assignment(ws, record, kind, item) for item in given]
    out += [_unset(ws, record, kind, name.strip()) for name in unset]
    if not out:
        raise UsageError("nothing to change", f"For example: mars set {record.id} FIELD=VALUE, or --unset FIELD.")
    twice = [n for n, count in Counter(a.name for a in out if not a.add).items() if count > 1]
    if twice:
        raise UsageError(f"{twice[0]} is given twice", "Give each field once (FIELD+=VALUE adds to a list).")
    return out


def _assignment(ws: Workspace, record: Record, kind: Kind, item: str) -> Assignment:
    name, sep, raw = item.partition("=")
    add = name.endswith("+")
    name = name.removesuffix("+").strip()
    if not sep or not name:
        raise UsageError(f"'{item}' is not FIELD=VALUE",
                         f"For example: mars set {record.id or 'ID'} lead_iso=iso-1 (FIELD+=VALUE adds to a list).")
    name = _field(ws, record, kind, name)
    ftype = kind.fields[name].type
    if not raw.strip():
        raise UsageError(f"{name}= has no value", f"To empty it, use --unset {name}.")
    if add and ftype not in _LIST_TYPES:
        raise UsageError(f"{name} is not a list, so {name}+= cannot add to it", f"Write {name}=VALUE.")
    value = values.typed(kind, name, raw, option=name)
    if isinstance(value, list):
        value = _records_resolved(ws, kind, name, value)
    elif kind.fields[name].type == "record":
        value = lookup.find_record(ws, value).id
    return Assignment(name, value, add)


def _unset(ws: Workspace, record: Record, kind: Kind, name: str) -> Assignment:
    """A field emptied (its line stays, to fill in later), or a key the kind does not have removed."""
    if name not in kind.fields and name in record.fields:
        return Assignment(name, None, remove=True)
    return Assignment(_field(ws, record, kind, name), None)


def _records_resolved(ws: Workspace, kind: Kind, name: str, items: list) -> list:
    resolved = {name: items}
    lookup.resolve_records(ws, kind, resolved)
    return resolved[name]


def _field(ws: Workspace, record: Record, kind: Kind, name: str) -> str:
    """The field a name names, refusing the ones other commands keep and the ones mars cannot type."""
    managed = managed_by(ws, record, kind, name)
    if managed:
        raise Refused(f"{name}: {managed[0]}, not by `mars set`; nothing was changed", managed[1])
    spec = kind.fields.get(name)
    if spec is None:
        main = f" Its main date is `{kind.date_field}`." if name == "date" else did_you_mean(name, kind.fields)
        raise UsageError(f"{kind.a} has no field '{name}'", f"`mars kinds {kind.name}` lists its fields.{main}")
    if spec.type in _ENTRY_TYPES:
        raise Refused(f"{name} is a list of entries, each with fields of its own, which `mars set` does not write; "
                      "nothing was changed", f"Edit it in your editor: `mars kinds {kind.name}` shows its shape.")
    return name


def set_fields(ws: Workspace, record: Record, asked: list[Assignment], as_of: dt.date) -> Recorded:
    """Make the changes, refusing (nothing written) any that would give the record a new `check` error;
    the result's warnings name the sign-offs the change made stale."""
    text = read_text(ws, record)
    for change in asked:
        text = _apply(text, record, change)
    after = reread(ws, record, text)
    after_ws = dataclasses.replace(ws, records=[after if r is record else r for r in ws.records])
    if ws.memo is not None:  # checked with what the cache knows: only what the change can reach is worked out
        after_ws.memo = ws.memo.with_record(record.path, text.encode("utf-8"))
    warnings = [f"{f.code}: {f.message}" for f in _new_findings(ws, after_ws, record, as_of)
                if f.code != "signoff-stale"]  # (named below, with who signed)
    warnings += stale_signoffs(ws, after_ws, record, after, as_of, {a.name for a in asked})
    message = f"{record.id}: " + "; ".join(a.words() for a in asked)
    return write_record(ws, record, text, as_of, message, warnings)


def _apply(text: str, record: Record, change: Assignment) -> str:
    if change.remove:
        return edit.remove_key(text, change.name)
    if not change.add:
        return edit.replace_value(text, (change.name,), change.value)
    have = record.fields.get(change.name)
    for item in change.value:
        if not (isinstance(have, list) and item in have):
            text = edit.append_item(text, (change.name,), item)
    return text


def _new_findings(ws: Workspace, after_ws: Workspace, record: Record, as_of: dt.date) -> list[Finding]:
    """What `check` would find after the change that it does not find now (compared without lines, which
    move); refused, with nothing written, when any of it is an error."""
    before = Counter((f.path, f.severity, f.code, f.message) for f in run_rules(ws, as_of))
    new = []
    for f in run_rules(after_ws, as_of):
        key = (f.path, f.severity, f.code, f.message)
        if before[key]:
            before[key] -= 1
        else:
            new.append(f)
    errors = [f for f in new if f.severity == ERROR]
    if errors:
        raise Refused(f"the change would give {record.path} {'an error' if len(errors) == 1 else 'errors'} it does "
                      "not have now, so nothing was changed", findings=errors)
    return new


def stale_signoffs(ws: Workspace, after_ws: Workspace, record: Record, after: Record, as_of: dt.date,
                   changed: set[str]) -> list[str]:
    """The sign-offs that matched what they approved before the change and no longer do, in words."""
    before = timeline(Context(ws, as_of), record)
    now = timeline(Context(after_ws, as_of), after)
    if before is None or now is None:
        return []
    was_current = {s.index for s in before.signoffs if s.hash and not s.stale and not s.problems}
    out = []
    for s in now.signoffs:
        if s.index in was_current and s.stale:
            approval = now.process.approvals[s.approval]
            person = ws.config.people.get(s.by)
            who = f"{person.name} ({s.by})" if person else s.by
            when = f" on {dates.format_uk(s.date)}" if s.date else ""
            covered = [c for c in approval.covers if c in changed] or list(approval.covers)
            out.append(f"the sign-off of '{s.approval}' ({approval.what}) by {who} as {s.role}{when} is now stale: "
                       f"it covers {', '.join(covered)}, which changed. Re-approval is needed: "
                       f"`mars signoff {record.id} --for {s.approval} --by {s.by} --as {s.role}`")
    return out
