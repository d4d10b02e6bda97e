"""Adding an action to a plan, recording progress on it, extending its due date.

Each action is its own file in its plan's folder, so two officers adding actions
on two branches merge without a conflict. Every change checks everything first
and refuses with nothing written; then it edits the action's front matter in
place (store/edit: only the lines that must change) and writes atomically.
Updates and extensions are appended, never overwritten; an extension keeps the
date it moved from, the reason and who agreed it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from mars_cli.derive.actions import CLOSED, entries, extension_refusal, original_due, partner_of, statuses
from mars_cli.derive.context import Context
from mars_cli.derive.lookup import check_owner, check_partner, check_person, find_record
from mars_cli.derive.timeline import usable
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import Refused, UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Record, Workspace
from mars_cli.rules.records import check_record
from mars_cli.store import edit, files, rtyaml
from mars_cli.write.create import new_id
from mars_cli.write.kit import (
    Recorded,
    check_note,
    new_entry,
    only_one,
    past_day,
    read_text,
    reread,
)


def add_action(ws: Workspace, plan: Record, *, text: str, owner: str, due: dt.date, as_of: dt.date,
               lead_partner: str | None = None, details: str | None = None, evidence: tuple[str, ...] = (),
               status: str | None = None) -> Recorded:
    """Write a new action file in the plan's folder; refused (nothing written) when anything is wrong."""
    only_one(ws, plan)
    _check_plan(plan)
    check_owner(ws, owner)
    _check_action_text(text, details, evidence)
    partner = lead_partner or partner_of(ws.config, owner) or plan.text("lead_partner")
    if lead_partner:
        check_partner(ws, lead_partner, "--lead-partner")
    status = _starting_status(status)
    title = " ".join(text.split())
    action_id = new_id(kinds.parts()["action"], title, as_of)
    fields = {"id": action_id, "kind": "action", "title": title, "status": status,
              "marking": plan.text("marking") or ws.config.default_marking, "created": as_of, "owner": owner,
              "lead_partner": partner or None, "due": due, "completed": None, "evidence": list(evidence),
              "updates": [], "extensions": []}
    rel = f"{plan.path[:-3]}/{action_id}.md"
    text_out = _action_file(fields, details)
    _check_new_action(ws, rel, text_out, as_of)
    warnings = _new_action_warnings(ws, plan, title, due, as_of)
    path = ws.root / rel
    files.write_atomic(path, text_out, exclusive=True, root=ws.root)
    return Recorded(path, f"added action {action_id} to {plan.id}, owner {owner}, due {dates.format_uk(due)}", warnings)


def _check_plan(plan: Record) -> None:
    if plan.kind != "action-plan":
        found = kinds.get(plan.kind)
        raise UsageError(f"{plan.id} is {found.a if found else plan.kind}, not an action plan",
                         "Give an action plan's ID (`mars list action-plan`). An audit's own actions are "
                         "listed under `actions:` in the audit.")


def _check_action_text(text: str, details: str | None, evidence: tuple[str, ...]) -> None:
    for value, option in ((text, "--action"), (details, "--details"), *((e, "--evidence") for e in evidence)):
        check_note(value, option)
    _check_evidence(evidence)
    if not text.strip():
        raise UsageError("--action is empty", "Say what will be done, e.g. --action \"Refresh the neglect training\".")


def _starting_status(status: str | None) -> str:
    """The status a new action starts with: the first one unless told; never a closed one."""
    status = _status(status or statuses()[0])
    if status in CLOSED:
        raise UsageError(f"a new action cannot start as {status}", "Add it, then close it with `mars action update`.")
    return status


def _action_file(fields: dict, details: str | None) -> str:
    body = (details.strip() + "\n") if details and details.strip() else (
        "<!-- What will show this action is complete? Say it here. -->\n")
    return f"---\n{rtyaml.dump(fields)}---\n\n{body}"


def _check_new_action(ws: Workspace, rel: str, text: str, as_of: dt.date) -> None:
    """Refuse a new action the checks of a record would find an error in, among the workspace's records."""
    record = files.parse_record(rel, text.encode("utf-8"))
    if not isinstance(record, Record):  # rtyaml wrote it, so this would be a bug
        raise Refused(f"the new action could not be read back ({record.message}); nothing was written")
    ctx = Context(dataclasses.replace(ws, records=[*ws.records, record]), as_of)
    errors = [dataclasses.replace(f, path="", line=0) for f in check_record(ctx, record) if f.severity == ERROR]
    if errors:
        raise Refused("the new action would not be valid, so nothing was written", findings=errors)


def _new_action_warnings(ws: Workspace, plan: Record, title: str, due: dt.date, as_of: dt.date) -> list[str]:
    """Due already, dated before its plan, or the same text as an action the plan has."""
    warnings = []
    if due < as_of:
        warnings.append(f"its due date, {dates.format_uk(due)}, has already passed: it is overdue from today")
    plan_created = plan.date("created")
    if plan_created and as_of < plan_created:
        warnings.append(f"it is dated {dates.format_uk(as_of)}, before the plan was created "
                        f"({dates.format_uk(plan_created)}): check --as-of")
    same = [r.id for r in ws.records if r.kind == "action" and r.path.startswith(plan.path[:-3] + "/")
            and " ".join(r.title.split()).lower() == title.lower()]
    if same:
        warnings.append(f"the plan already has an action with this text ({same[0]}): if it was added twice, "
                        "delete one file")
    return warnings


def update_action(ws: Workspace, action: Record, *, note: str, by: str, as_of: dt.date, status: str | None = None,
                  day: dt.date | None = None, evidence: tuple[str, ...] = ()) -> Recorded:
    """Append a progress update (date, by, note, and the new status when it changes); a status of
    complete also sets `completed:`."""
    _check_action(action)
    check_person(ws, by, "--by")
    check_note(note, "--note")
    if not note.strip():
        raise UsageError("--note is empty", "Say what has happened, e.g. --note \"Two of four teams trained\".")
    for item in evidence:
        check_note(item, "--evidence")
    _check_evidence(evidence)
    when = past_day(day, as_of, "progress update")
    current = action.status
    new = _status(status) if status else None
    if current in CLOSED:
        raise Refused(f"{action.id} is already {current}; nothing was changed",
                      "A closed action is not reopened or added to: add a new action to the plan (`mars action "
                      "add`), or correct the file by hand if it was closed by mistake.")
    if new == current:
        new = None  # a note on the same status
    warnings = _out_of_order(action, when, "update")
    text = read_text(ws, action)
    for item in evidence:
        text = edit.append_item(text, ("evidence",), item)
    text = edit.append_item(text, ("updates",), new_entry(date=when, by=by, note=note, status=new))
    if new:
        text = edit.set_value(text, ("status",), new)
    if new == "complete":
        text = edit.set_value(text, ("completed",), when)
        if not evidence and not action.fields.get("evidence"):
            warnings.append("no evidence is linked: add it with --evidence (a link or a reference) when there is some")
        due = action.date("due")
        if due and when > due:
            warnings.append(f"completed {(when - due).days} days after its due date, {dates.format_uk(due)}")
    reread(ws, action, text)
    files.write_atomic(ws.root / action.path, text, root=ws.root)
    was = current or "no status"
    what = f"status {was} -> {new}" if new else f"a progress note (status {was})"
    return Recorded(ws.root / action.path, f"{action.id}: {what}, {dates.format_uk(when)}, by {by}", warnings)


def extend_action(ws: Workspace, action: Record, *, to: dt.date, reason: str, agreed_by: str, as_of: dt.date,
                  day: dt.date | None = None) -> Recorded:
    """Move the due date to `to`, keeping the date it moves from, the reason and who agreed it."""
    _check_action(action)
    check_person(ws, agreed_by, "--agreed-by")
    check_note(reason, "--reason")
    if not reason.strip():
        raise UsageError("--reason is empty", "Say why the date moves, e.g. --reason \"Waiting for the new form\".")
    when = past_day(day, as_of, "extension")
    if action.status in CLOSED:
        raise Refused(f"{action.id} is {action.status}; only an open action's due date can be extended; "
                      "nothing was changed")
    due = action.date("due")
    if due is None:
        raise Refused(f"{action.id} has no usable `due:` date to extend from; nothing was changed",
                      f"Fix `due:` in {action.path} first (`mars check` says what is wrong with it).")
    if to == due:
        raise UsageError(f"--to {to.isoformat()} is the current due date already", "Give the new due date.")
    rule = Context(ws, as_of).processes.extensions
    refusal = extension_refusal(ws.config, rule, action.text("owner"), agreed_by)
    if refusal is not None:
        raise Refused(f"{refusal[0]}; nothing was changed", f"Record who agreed it: {refusal[1]}.")
    text = read_text(ws, action)
    text = edit.append_item(text, ("extensions",), new_entry(**{"from": due, "to": to, "reason": reason,
                                                            "agreed_by": agreed_by, "date": when}))
    text = edit.set_value(text, ("due",), to)
    reread(ws, action, text)
    files.write_atomic(ws.root / action.path, text, root=ws.root)
    count = len(entries(action.fields.get("extensions"))) + 1
    warnings = _out_of_order(action, when, "extension")
    if to < due:
        warnings.append(f"this brings the due date forward, from {dates.format_uk(due)}")
    elif count > 2:
        warnings.append(f"this is extension number {count}: SPLIG will want to know why")
    original = original_due(action) or due
    return Recorded(ws.root / action.path,
                   f"{action.id}: due {dates.format_uk(due)} -> {dates.format_uk(to)} (originally "
                   f"{dates.format_uk(original)}), agreed by {agreed_by}", warnings)


def _check_evidence(evidence: tuple[str, ...]) -> None:
    if any(not item.strip() for item in evidence):
        raise UsageError("--evidence is empty", "Give a link or a reference, e.g. --evidence \"Training register\".")


def _out_of_order(action: Record, when: dt.date, what: str) -> list[str]:
    """Warnings for a back-dated entry: before the action existed, or before the latest of its kind."""
    created = action.date("created")
    if created and when < created:
        return [f"the {what} is dated {dates.format_uk(when)}, before the action was created "
                f"({dates.format_uk(created)}): check --date"]
    key = "updates" if what == "update" else "extensions"
    dated = [e["date"] for e in entries(action.fields.get(key)) if usable(e.get("date"))]
    if dated and when < max(dated):
        return [f"the {what} is dated {dates.format_uk(when)}, before the latest one ({dates.format_uk(max(dated))}); "
                "it is added after it: check --date"]
    return []


def find_action(ws: Workspace, ref: str) -> Record:
    """An action file by its ID or a part only it has."""
    if "#" in ref:
        raise UsageError(f"'{ref}' is an action written inside an audit, not an action file",
                         "Update it in the audit's `actions:` list in your editor.")
    record = find_record(ws, ref)
    _check_action(record)
    return record


def _check_action(record: Record) -> None:
    if record.kind != "action":
        found = kinds.get(record.kind)
        raise UsageError(f"{record.id} is {found.a if found else record.kind}, not an action",
                         "Give an action's ID (`mars list action` lists them).")


def _status(value: str) -> str:
    allowed = statuses()
    if value not in allowed:
        raise UsageError(f"--status '{value}' is not a status of an action",
                         f"Use one of: {', '.join(allowed)}.{did_you_mean(value, allowed)}")
    return value
