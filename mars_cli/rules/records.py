"""Rules about each record on its own: fields, types, values, references, place.

Each rule is `rule(ctx, record, kind) -> Iterable[Finding]`, listed once in
RECORD_RULES. The kind is known (records of unknown kind stop at check_kind).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from itertools import islice

from mars_cli.derive import ratings
from mars_cli.derive.actions import statuses as action_statuses
from mars_cli.derive.context import Context
from mars_cli.framework import kinds
from mars_cli.framework.kinds import Kind
from mars_cli.model import dates, limits
from mars_cli.model.fields import ENTRY_FIELDS, did_you_mean, score_problem, shape_problem
from mars_cli.model.records import ERROR, WARNING, Finding, Record

ACTION_FIELDS = ENTRY_FIELDS["actions"]
SUBJECT_FIELDS = ENTRY_FIELDS["subjects"]
ISO_DAY_FIELDS = ENTRY_FIELDS["iso_days"]
RATING_FIELDS = ENTRY_FIELDS["ratings"]
UPDATE_FIELDS = ENTRY_FIELDS["updates"]
EXTENSION_FIELDS = ENTRY_FIELDS["extensions"]
STEP_FIELDS = ENTRY_FIELDS["steps"]
SIGNOFF_FIELDS = ENTRY_FIELDS["signoffs"]


GOVERNANCE = "UK Government Security Classifications and the partnership's Information Sharing Agreement"


def finding(record: Record, line: int, severity: str, code: str, message: str, hint: str = "",
            source: str = "") -> Finding:
    """A finding about a record. `source` says where a framework or governance rule comes from."""
    return Finding(record.path, line, severity, code, message, hint, rule=f"record.{code}", source=source)


def check_duplicate_keys(ctx: Context, record: Record, kind: Kind | None) -> Iterator[Finding]:
    for path, line in record.duplicates:
        name = ".".join(str(p) for p in path)
        yield finding(record, line + record.source.first_line, ERROR, "duplicate-key",
                      f"'{name}' is given twice; only one value can count",
                      "Delete one of the two lines (other YAML tools silently keep the last).")


def check_required(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    for spec in kind.fields.values():
        if spec.required and record.fields.get(spec.name) in (None, "", []):
            yield finding(record, record.source.first_line, ERROR, "missing-field",
                          f"required field '{spec.name}' is missing or empty",
                          f"Add `{spec.name}:` to the front matter" + (f" ({spec.help})." if spec.help else "."))


def check_unknown_keys(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    for key in record.fields:
        if key not in kind.fields:
            yield finding(record, record.line(key), WARNING, "unknown-key",
                          f"'{key}' is not a field of {kind.a}",
                          f"Remove it or correct its name.{did_you_mean(key, kind.fields)}"
                          f" `mars kinds {kind.name}` lists the fields.")


def check_types(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    for key, value in record.fields.items():
        spec = kind.fields.get(key)
        if spec is None or value is None:
            continue
        values = kind.statuses if spec.type == "status" else spec.values
        problem = shape_problem("enum" if spec.type == "status" else spec.type, value, values)
        if problem:
            yield finding(record, record.line(key), ERROR, "bad-value", f"{key}: {problem[0]}", problem[1])


def check_marking(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    if kind.case and record.fields.get("subjects") and record.fields.get("marking") == "OFFICIAL":
        yield finding(record, record.line("marking"), WARNING, "marking-too-low",
                      "this case record names its subjects but is marked OFFICIAL",
                      "Records naming children or family members are normally OFFICIAL-SENSITIVE.", GOVERNANCE)


def check_references(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    for key, value in record.fields.items():
        spec = kind.fields.get(key)
        if spec is None or value is None:
            continue
        if spec.type in ("person", "agency", "partner", "record") and isinstance(value, str):
            yield from _reference(ctx, record, spec.type, value, (key,))
            if spec.role and value in ctx.config.people and not ctx.config.has_role(value, spec.role):
                yield finding(record, record.line(key), ERROR, "wrong-role",
                              f"{key}: {ctx.config.people[value].name} does not have the {spec.role} role in mars.yaml",
                              f"Name someone who does ({', '.join(p.id for p in ctx.holders(spec.role))})"
                              f", or add the role to their roles.")
        elif spec.type == "owner" and isinstance(value, str) and value not in ctx.config.agencies:
            yield from _reference(ctx, record, "person", value, (key,))
        elif spec.type in ("people", "agencies", "partners", "records") and isinstance(value, list):
            single = {"people": "person", "agencies": "agency", "partners": "partner", "records": "record"}[spec.type]
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield from _reference(ctx, record, single, item, (key, index))


def _reference(ctx: Context, record: Record, rtype: str, ref: str, at: tuple) -> Iterator[Finding]:
    known = ctx.known(rtype)
    if rtype == "record" and ref in ctx.unreadable_ids:
        return
    if ref in known:
        if rtype == "record" and ref == record.id:
            yield finding(record, record.line(*at), ERROR, "self-reference", f"{at[0]} points at this record itself",
                          "Name another record's ID.")
        return
    where = {"person": "a person in mars.yaml", "agency": "an agency in mars.yaml",
             "partner": "a partner in mars.yaml", "record": "the ID of a record in this workspace"}[rtype]
    fix = {"record": "Use `mars list` to find the right ID."}.get(rtype, "Add it to mars.yaml or correct the id.")
    yield finding(record, record.line(*at), ERROR, f"unknown-{rtype}",
                  f"{at[0]}: '{ref}' is not {where}", f"{fix}{did_you_mean(ref, ctx.record_ids if rtype == 'record' else known)}")


def check_agency_rule(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    agency = ctx.config.agencies.get(record.text("agency"))
    if agency is None or kind.agency_rule is None:
        return
    if kind.allows(agency):
        return
    if kind.agency_rule == "section11":
        yield finding(record, record.line("agency"), ERROR, "agency-not-section11",
                      f"{agency.name} has no Section 11 duty in mars.yaml, so it cannot have {kind.a}",
                      "Set `section11: true` on the agency in mars.yaml if it has the duty.", kind.framework)
    else:
        yield finding(record, record.line("agency"), ERROR, "wrong-agency-type",
                      f"{agency.name} is a {agency.type} agency; {kind.a} is for "
                      f"{' / '.join(kind.agency_rule)} settings",
                      "Choose a setting of the right type, or correct the agency's type in mars.yaml.", kind.framework)


def check_ratings(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    """Each entry of `ratings:` answers a question of the record's question set, once, with scores on
    the rating scale and fields of the right shape; and no item of the set is left out."""
    if not isinstance(record.fields.get("ratings"), dict):
        return
    asked = ratings.questions_of(ctx, record, kind)
    read = ratings.entries(ctx, record, kind)
    seen: set[str] = set()
    for entry in read:
        yield from _rating_question(record, kind, asked, entry, seen)
        yield from _rating_fields(ctx, record, entry)
    # Items only: a question set of plain standards has never required every standard, and
    # workspaces that leave some out would otherwise get new warnings.
    for question in asked:
        if question.item and question.id not in seen:
            yield finding(record, record.line("ratings"), WARNING, "missing-field",
                          f"ratings has no entry for item '{question.id}' ({question.title})",
                          f"Add `'{question.id}':` under ratings: with its rating (leave the rating empty until "
                          "it is rated).")


def _rating_question(record: Record, kind: Kind, asked: list, entry, seen: set[str]) -> Iterator[Finding]:
    """The question an entry answers: known to the set, and answered only once."""
    if entry.question is not None:
        if entry.question.id in seen:
            yield finding(record, entry.line, ERROR, "duplicate-key", f"ratings: '{entry.name}' is rated twice",
                          "Keep one entry for it (one may be written with quotes and one without).")
        seen.add(entry.question.id)
        return
    if not asked:
        return
    ids = [q.id for q in asked]
    parent = next((q.standard for q in asked if q.item and q.standard.id == entry.name), None)
    if parent is not None:
        yield finding(record, entry.line, WARNING, "unknown-standard",
                      f"'{entry.name}' is a standard with items, so it is rated item by item",
                      f"Move the rating under its items: {', '.join(i.id for i in parent.items)}.")
        return
    if isinstance(entry.key, float) and entry.name in ids:
        yield finding(record, entry.line, WARNING, "unknown-standard",
                      f"{entry.key} without quotes is a number, which more than one id of the question set matches",
                      'Put the id in quotes, as written in mars.yaml (e.g. "1.10":).')
        return
    items = sum(1 for q in asked if q.item)
    noun = "a standard" if not items else "an item" if items == len(asked) else "a standard or item"
    yield finding(record, entry.line, WARNING, "unknown-standard",
                  f"'{entry.name}' is not {noun} of the '{kind.question_set}' question set",
                  f"Check mars.yaml standards.{did_you_mean(entry.name, ids)}")


def _rating_fields(ctx: Context, record: Record, entry) -> Iterator[Finding]:
    """An entry's own fields: known names, scores on the scale, text, a deadline that is a date."""
    at = ("ratings", entry.key)
    value, scale = entry.value, ctx.config.rating_scale
    if value is None:
        return
    if not isinstance(value, dict):
        yield finding(record, record.line(*at), ERROR, "bad-value",
                      f"ratings.{entry.name} must have `rating:` and `comment:` below it",
                      f"Indent `rating: {scale[-1]}` and `comment: ...` under the standard.")
        return
    yield from _entry_fields(record, at, value, RATING_FIELDS)
    for key in ("rating", "moderated"):
        problem = None if value.get(key) is None else score_problem(value[key], scale)
        if problem:
            yield finding(record, record.line(*at, key), ERROR, "bad-rating",
                          f"ratings.{entry.name}.{key}: {problem[0]}", problem[1])


def check_actions(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    actions = record.fields.get("actions")
    if not isinstance(actions, list):
        return
    for index, entry in enumerate(actions):
        if not isinstance(entry, dict):
            continue
        at = ("actions", index)
        yield from _entry_fields(record, at, entry, ACTION_FIELDS)
        if not entry.get("action"):
            yield finding(record, record.line(*at), ERROR, "missing-field", f"action {index + 1} has no `action:` text",
                          "Say what will be done.")
        status, allowed = entry.get("status"), action_statuses()
        if status is not None and status not in allowed:
            yield finding(record, record.line(*at, "status"), ERROR, "bad-value",
                          f"action {index + 1} status '{status}' is not allowed",
                          f"Use one of: {', '.join(allowed)}.{did_you_mean(status, allowed)}")


def check_subjects(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    subjects = record.fields.get("subjects")
    if subjects is None:
        return
    if not kind.case:
        yield finding(record, record.line("subjects"), ERROR, "subjects-not-allowed",
                      f"{kind.a} is not about a case, so it must not name subjects",
                      "Remove `subjects:`; only case records may name children or family members.", GOVERNANCE)
        return
    if isinstance(subjects, list):
        for index, entry in enumerate(subjects):
            if isinstance(entry, dict):
                yield from _entry_fields(record, ("subjects", index), entry, SUBJECT_FIELDS, private=True)
                if not entry.get("name") and not entry.get("ref"):
                    yield finding(record, record.line("subjects", index), ERROR, "missing-field",
                                  f"subject {index + 1} has neither a name nor a reference", "Add `name:` or `ref:`.")


def check_iso_days(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    logged = record.fields.get("iso_days")
    if not isinstance(logged, list):
        return
    isos = {p.id for p in ctx.holders("iso")}
    for index, entry in enumerate(logged):
        if not isinstance(entry, dict):
            continue
        at = ("iso_days", index)
        yield from _entry_fields(record, at, entry, ISO_DAY_FIELDS)
        iso = entry.get("iso")
        if isinstance(iso, str) and iso not in isos:
            yield finding(record, record.line(*at, "iso"), ERROR, "not-an-iso",
                          f"iso_days: '{iso}' is not a person with the iso role in mars.yaml",
                          f"Name an ISO.{did_you_mean(iso, isos)}")
        if entry.get("days") is None:
            yield finding(record, record.line(*at), ERROR, "missing-field", "iso_days entry has no `days:`",
                          "Say how many days were spent, e.g. days: 1.5.")


def check_history(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    """An action's progress updates and due-date extensions: complete entries, real people."""
    for key, spec, required in (("updates", UPDATE_FIELDS, ("date", "note")),
                                ("extensions", EXTENSION_FIELDS, ("from", "to", "reason", "agreed_by"))):
        entries = record.fields.get(key)
        if key not in kind.fields or not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            at = (key, index)
            yield from _entry_fields(record, at, entry, spec)
            for name in required:
                if entry.get(name) in (None, ""):
                    yield finding(record, record.line(*at), ERROR, "missing-field",
                                  f"{key} entry {index + 1} has no `{name}:`", f"Add `{name}:` to it.")
            for name, ftype in spec.items():
                if ftype == "person" and isinstance(entry.get(name), str):
                    yield from _reference(ctx, record, "person", entry[name], at + (name,))


_PRIVATE_SHAPES = {"date": ("a date written YYYY-MM-DD", "Write it as YYYY-MM-DD, e.g. 2015-03-12 for 12 March 2015.")}


def _entry_fields(record: Record, at: tuple, entry: dict, spec: dict[str, str],
                  private: bool = False) -> Iterator[Finding]:
    """Each field of a list entry: known, and of its shape. With `private` (a case's subjects), a value
    of the wrong shape is not repeated in the finding: check output may be a public CI log."""
    name = ".".join(str(a) for a in at)
    for key, value in entry.items():
        if key not in spec and private:  # `- Jordan Smith: 12/03/2015` makes a name a key
            yield finding(record, record.line(*at, key), WARNING, "unknown-key",
                          f"{name} has a field that is not one of {', '.join(spec)} (not shown here, as it may be "
                          "personal data: open the file at this line to see it)",
                          "Write each subject's fields as `name:`, `ref:`, `role:` and `dob:`.")
            continue
        if key not in spec:
            yield finding(record, record.line(*at, key), WARNING, "unknown-key", f"'{key}' is not a field of {name}",
                          f"Remove it or correct its name.{did_you_mean(key, spec)}")
            continue
        if value is None or spec[key] in ("enum", "person", "score"):
            continue
        problem = shape_problem(spec[key], value)
        if problem and private:
            shape, hint = _PRIVATE_SHAPES.get(spec[key], ("one line of plain text", "Keep it on one line, as text."))
            problem = (f"is not {shape} (the value is not shown here, as it is personal data: open the file at "
                       "this line to see it)", hint)
        if problem:
            yield finding(record, record.line(*at, key), ERROR, "bad-value", f"{name}.{key}: {problem[0]}", problem[1])


def check_progress_entries(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    """`steps:` and `signoffs:` entries: known keys, the right shapes, real people (their meaning is
    the process rules' business)."""
    process = ctx.processes.get(kind.name)
    for key, spec in (("steps", STEP_FIELDS), ("signoffs", SIGNOFF_FIELDS)):
        entries = record.fields.get(key)
        if not isinstance(entries, list) or not entries:
            continue
        if process is None or not process.steps:
            yield finding(record, record.line(key), WARNING, "no-process",
                          f"{kind.a} has no process, so its `{key}:` mean nothing to mars",
                          "Remove them, or give the kind a process in processes.yaml (`mars rules` lists them).")
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                at = (key, index)
                yield from _entry_fields(record, at, entry, spec)
                if isinstance(entry.get("by"), str) and key == "steps":
                    yield from _reference(ctx, record, "person", entry["by"], at + ("by",))


def check_reports(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    """A meeting's `reports:` name standing reports the process data knows (a typo would hide one)."""
    reports = record.fields.get("reports")
    known = ctx.processes.reports
    for index, name in enumerate(reports if "reports" in kind.fields and isinstance(reports, list) else ()):
        if isinstance(name, str) and name not in known:
            yield finding(record, record.line("reports", index), WARNING, "unknown-report",
                          f"'{name}' is not a standing report mars knows",
                          f"Reports: {', '.join(known)} (processes.yaml `reports:` adds more).{did_you_mean(name, known)}")


def check_place(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    if kind.part_of:
        yield from _check_part_place(ctx, record, kind)
        return
    created = record.date("created")
    if not record.id or created is None:
        return
    expected = expected_path(kind, record.id, created, ctx.config.year_start_month)
    if record.path != expected:
        yield finding(record, 1, ERROR, "wrong-place", f"{kind.a} created on "
                      f"{dates.format_uk(created)} belongs at {expected}",
                      f"Move it there with `{_git_mv(record.path, expected)}` (its kind, created date or id changed).")


def _check_part_place(ctx: Context, record: Record, kind: Kind) -> Iterator[Finding]:
    """A part lives in a folder named after its record's ID, beside that record's file."""
    folder, _, name = record.path.rpartition("/")
    owner_id = folder.rpartition("/")[2]
    owner = ctx.records.get(owner_id)
    parent_kind = kinds.get(kind.part_of)
    label = parent_kind.noun if parent_kind else kind.part_of
    if owner is None or owner.kind != kind.part_of:
        yield finding(record, 1, ERROR, "orphan-part", f"this {kind.noun} is in folder '{owner_id}', "
                      f"which is not the ID of any {label}",
                      f"Keep each {kind.noun} in the folder named after its {label}'s ID, beside that file.")
        return
    expected = f"{owner.path[:-3]}/{record.id}.md"
    if record.id and record.path != expected:
        yield finding(record, 1, ERROR, "wrong-place", f"this {kind.noun} belongs at {expected}",
                      f"Move it with `{_git_mv(record.path, expected)}`.")


def _git_mv(source: str, target: str) -> str:
    """The command that moves a file, each path quoted for the shell: a file named `$(...)` runs nothing
    when the hint is pasted."""
    return f"git mv -- {shlex.quote(source)} {shlex.quote(target)}"


def expected_path(kind: Kind, record_id: str, created, start_month: int) -> str:
    return f"{kind.folder}/{dates.reporting_year(created, start_month)}/{record_id}.md"


RECORD_RULES = (
    check_required,
    check_unknown_keys,
    check_types,
    check_marking,
    check_references,
    check_agency_rule,
    check_ratings,
    check_actions,
    check_subjects,
    check_iso_days,
    check_history,
    check_progress_entries,
    check_reports,
    check_place,
)


def check_record(ctx: Context, record: Record) -> list[Finding]:
    """Every per-record finding for one record."""
    out = list(check_duplicate_keys(ctx, record, None))
    kind_name = record.fields.get("kind")
    kind = kinds.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        if kind_name in (None, ""):
            out.append(finding(record, record.source.first_line, ERROR, "missing-kind", "the record has no `kind:`",
                               "Add `kind:` with one of the kinds `mars kinds` lists."))
        else:
            out.append(finding(record, record.line("kind"), ERROR, "unknown-kind",
                               f"'{kind_name}' is not a kind of record mars knows",
                               f"`mars kinds` lists them.{did_you_mean(kind_name, kinds.registry())}"))
        return out
    most = limits.MAX_FINDINGS_PER_FILE
    for rule in RECORD_RULES:  # lazily, so a file with thousands of mistakes costs no more than `most` of them
        out.extend(islice(rule(ctx, record, kind), most + 1 - len(out)))
        if len(out) > most:
            return [*out[:most], finding(record, record.source.first_line, WARNING, "too-many-findings",
                                         f"this file has more than {limits.size(most)} problems; only the first "
                                         f"{limits.size(most)} are listed", "Fix those, then run `mars check` again.")]
    return out
