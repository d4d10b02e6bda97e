"""Finding what a command names: a record by any part of its ID that only it has, a person, an
owner, a partner. Both the queries and the writing commands use these, so they sit below both.
"""

from __future__ import annotations

from mars_cli.framework import kinds
from mars_cli.framework.kinds import Kind
from mars_cli.model.errors import UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import Finding, Record, Workspace
from mars_cli.store.cache import remembered


def find_record(ws: Workspace, ref: str) -> Record:
    """A record by its full ID, or by a part of it that only one ID contains. A record file mars could not
    read is named with its first problem, never taken for a record that does not exist."""
    broken = _unread_named(ws, ref)
    if broken is not None and ref == _file_id(broken.path):
        raise _cannot_read(ref, broken)
    unread = {f.path for f in ws.unread}
    by_id = {r.id: r for r in ws.records if r.id and r.path not in unread}
    ref = _unelided(ref, by_id)
    if ref in by_id:
        return by_id[ref]
    for mark in ("#", ":"):  # an audit's action (ID#2) or a step (ID:step), as `mars overdue` lists them
        base = ref.rpartition(mark)[0]
        if base in by_id:
            return by_id[base]
    matches = [r for r in ws.records if r.id and r.path not in unread and ref.lower() in r.id.lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches and broken is not None:
        raise _cannot_read(ref, broken)
    if matches:
        shown = sorted(r.id for r in matches)[:5]
        more = f" and {len(matches) - len(shown)} more" if len(matches) > len(shown) else ""
        raise UsageError(f"'{ref}' matches {len(matches)} records: {', '.join(shown)}{more}", "Give more of the ID.")
    raise UsageError(f"no record has the ID '{ref}'", f"`mars list` shows the IDs.{did_you_mean(ref, by_id)}")


ELISIONS = ("\u2026", "...")  # `ae-2025-06-12…k7f2`, as tables show an ID at a terminal, or typed with dots


def known_ids(ws: Workspace) -> frozenset[str]:
    """Every ID a command could be given: the records', and those of files that could not be read."""
    return remembered(ws.memo, ("known ids",), lambda: frozenset({r.id for r in ws.records if r.id}
                                                                 | {_file_id(f.path) for f in ws.unread}))


def _unelided(ref: str, by_id: dict) -> str:
    """`ae-2025-06-12…k7f2` (or `...`): the one ID that starts with the first part and ends with the
    last, and what followed it (`:step`, `#2`); the reference as given when it is not elided or not one."""
    mark = next((m for m in ELISIONS if m in ref), None)
    if mark is None:
        return ref
    head, _, tail = ref.partition(mark)
    end, item = tail, ""
    for sep in (":", "#"):
        if sep in tail:
            end, item = tail.split(sep, 1)[0], sep + tail.split(sep, 1)[1]
            break
    found = [i for i in by_id if i.startswith(head) and i.endswith(end) and len(i) >= len(head) + len(end)]
    return found[0] + item if len(found) == 1 else ref


def _file_id(path: str) -> str:
    """The ID a record file's name gives it (records/<kind>/<year>/<id>.md)."""
    name = path.rpartition("/")[2]
    return name[:-3] if name.endswith(".md") else name


def _unread_named(ws: Workspace, ref: str) -> Finding | None:
    """The first problem of the unread file whose name is the ID asked for, else of the one file whose
    name contains it (None when none or several do)."""
    files = [f for f in ws.unread if f.path.endswith(".md")]  # not a linked folder: no record is named so
    exact = [f for f in files if _file_id(f.path) == ref]
    if exact:
        return exact[0]
    named = [f for f in files if ref.lower() in _file_id(f.path).lower()]
    return named[0] if len({f.path for f in named}) == 1 else None


def _cannot_read(ref: str, problem: Finding) -> UsageError:
    """`show ID` (or a command on it) of a record whose file mars could not read: the file and why."""
    return UsageError(f"'{ref}' is in {problem.path}, which mars cannot read as a record: line {problem.line}: "
                      f"{problem.message}", problem.hint or "`mars check` says how to fix it.")


def check_person(ws: Workspace, person: str | None, option: str) -> None:
    if person is not None and person not in ws.config.people:
        raise UsageError(f"{option} '{person}' is not a person in mars.yaml",
                         f"Use a person id from mars.yaml.{did_you_mean(person, ws.config.people)}")


def check_owner(ws: Workspace, who: str, option: str = "--owner") -> None:
    cfg = ws.config
    if who not in cfg.people and who not in cfg.agencies:
        raise UsageError(f"{option} '{who}' is neither a person nor an agency in mars.yaml",
                         f"Use a person or agency id.{did_you_mean(who, [*cfg.people, *cfg.agencies])}")


def check_partner(ws: Workspace, partner: str, option: str = "--partner") -> None:
    partners = ws.config.partners
    if partner not in partners:
        raise UsageError(f"{option} '{partner}' is not a partner in mars.yaml",
                         f"Use one of: {', '.join(partners)}.{did_you_mean(partner, partners)}")


def resolve_records(ws: Workspace, kind: Kind, values: dict) -> None:
    """Let a record field name its record by any part of the ID that only it has."""
    for name, value in values.items():
        field = kind.fields.get(name)
        if field is None:
            continue
        if field.type == "record" and isinstance(value, str):
            values[name] = find_record(ws, value).id
        elif field.type == "records" and isinstance(value, list):
            values[name] = [find_record(ws, v).id for v in value]


def choices(ws: Workspace, kind: Kind, name: str) -> list[str]:
    """The values a prompt can offer for a field: eligible agencies, people, records, or its allowed words."""
    field = kind.field_for(name)
    if field is None:
        return []
    if field.type == "agency":
        return [a.id for a in ws.config.agencies.values() if kind.allows(a)]
    if field.type == "person":
        return [p.id for p in ws.config.people_with_role(field.role)] if field.role else list(ws.config.people)
    if field.type == "record":
        return [r.id for r in ws.records if r.id and r.kind in kinds.registry()]
    return list(field.values)


def _subject_words(listed) -> list[str]:
    """Every text a `subjects:` value holds, however it was written (a list of entries as it should be,
    a mapping, plain names), but the roles: names, references, other names they are known by."""
    if isinstance(listed, str):
        return [listed]
    if isinstance(listed, dict):
        return [str(v) for k, v in listed.items() if k != "role" and isinstance(v, (str, int))] + \
            [w for v in listed.values() if isinstance(v, (list, dict)) for w in _subject_words(v)]
    if isinstance(listed, list):
        return [w for entry in listed for w in _subject_words(entry)]
    return []


def case_subjects(ws: Workspace) -> list[str]:
    """The names and references every case record lists under `subjects:` (pseudonyms such as "Child A"
    name nobody, so they are not among them)."""
    out: set[str] = set()
    for record in ws.records:
        out |= subjects_of(record)
    return sorted(out)


def subjects_of(record: Record) -> frozenset[str]:
    """The names and references one case record lists under `subjects:` (none for any other record)."""
    from mars_cli.model import personal_data

    kind = kinds.get(record.kind)
    if not (kind and kind.case) or record.fields.get("subjects") is None:
        return frozenset()
    return frozenset(phrase for text in _subject_words(record.fields["subjects"]) for phrase in personal_data.phrases(text))
