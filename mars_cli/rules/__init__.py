"""The checks `mars check` runs: each rule is a function returning findings (data, not
exceptions), listed once; `run_rules` runs them all and returns every finding at once.

May import: model, store, framework, derive.
"""

from __future__ import annotations

import datetime as dt

from mars_cli.model.records import Finding, Workspace
from mars_cli.store.cache import remembered


def run_rules(workspace: Workspace, as_of: dt.date, year: str | None = None, *,
              provenance: bool = False) -> list[Finding]:
    """Every finding: those from reading the files, then each record's (its fields, then its
    process as of that day), then across records, then across reporting years (that day's and the
    ended ones whose yearly report is not yet published; only `year`, when given); with
    `provenance`, also who committed each sign-off (git's history: `check --verify-signoffs`)."""
    if provenance:  # git's history is not part of what the cache knows of: never remembered
        from mars_cli.rules.provenance import check_provenance

        return _sorted([*_run(workspace, as_of, year), *check_provenance(workspace)])
    return remembered(workspace.memo, ("check", as_of, year), lambda: _run(workspace, as_of, year))


def _run(workspace: Workspace, as_of: dt.date, year: str | None) -> list[Finding]:
    """Every finding, worked out (the rules are loaded only now: a check the cache answers needs none)."""
    from mars_cli.derive.context import no_collection_midway

    with no_collection_midway():
        return _worked_out(workspace, as_of, year)


def _worked_out(workspace: Workspace, as_of: dt.date, year: str | None) -> list[Finding]:
    """Every finding: after a few records changed, only what they reach (rules/delta.py); else all."""
    from mars_cli.derive.context import Context
    from mars_cli.derive.lookup import case_subjects
    from mars_cli.derive.timeline import read_again
    from mars_cli.rules import delta
    from mars_cli.rules.actions import check_actions_of
    from mars_cli.rules.units import Remembered, Stored

    memo = workspace.memo
    stored = None if memo is None else Stored(memo)
    if stored is not None:
        found = delta.check(workspace, as_of, year, stored, _record_checks,
                            lambda ctx, plan: list(check_actions_of(ctx, plan)))
        if found is not None:
            return _sorted(found)
    ctx = Context(workspace, as_of)
    findings = list(workspace.findings)
    subjects = case_subjects(workspace)
    units = None if memo is None else Remembered(ctx, memo, subjects, stored)
    across: dict = {"year": year, "subjects": subjects}
    findings.extend(_each_record_then_across(ctx, _record_checks(ctx, subjects), units, read_again(ctx.processes),
                                             lambda: _across(ctx, year, units, across)))
    if units is not None:
        units.worked_all_out()
        units.base = delta.build(ctx, memo, across) if memo.reading is not None and memo.keeps_results else None
        units.save()
    return _sorted(findings)


def _record_checks(ctx, subjects: list[str]):
    """A record's own checks: its fields, its process as of that day, case subjects named in it. Its
    timeline is then let go unless other records' checks read it (memory: see read_again)."""
    from mars_cli.derive.timeline import read_again
    from mars_cli.rules.privacy import subjects_named_in
    from mars_cli.rules.records import check_record
    from mars_cli.rules.steps import check_process
    from mars_cli.rules.units import SUBJECTS

    kept = read_again(ctx.processes)

    def checks(record) -> list[Finding]:
        ctx.noted(SUBJECTS)
        found = [*check_record(ctx, record), *check_process(ctx, record), *subjects_named_in(record, subjects)]
        if record.kind not in kept:
            ctx.forget(record)
        return found

    return checks


def _each_record_then_across(ctx, checks, units, kept: frozenset[str], across) -> list[Finding]:
    """Each record's own findings (from the cache where nothing they read changed), then across()'s. When
    many records must be checked (a cold cache), a forked child checks part of them meanwhile
    (store/parallel.Aside), on the machine's second processor: it keeps their units in the cache itself
    and sends only their findings. The records whose timelines the checks across records read again
    (kept) are checked here, where those run."""
    from mars_cli.store import parallel

    each = _Each(checks, units)
    records = ctx.workspace.records
    known = each.known(records)
    todo = [r for r in records if r.path not in known]
    theirs = _their_share(todo, kept) if len(todo) >= parallel.FEWEST else []
    if theirs:
        _shared_before_fork(ctx, units)
    aside = parallel.Aside(lambda: each.in_child(theirs), bool(theirs),
                           lambda got: isinstance(got, list) and len(got) == len(theirs), units and units.memo.files.folder)
    theirs = theirs if aside.started else []
    try:
        taken = {r.path for r in theirs}
        worked = each.work([r for r in todo if r.path not in taken])
        then = across()  # while the child checks its records
        if theirs:
            worked.update(each.sent(theirs, aside.result(lambda: None)))
    finally:
        aside.abandon()  # a child whose result was never asked for (a failure here, Ctrl-C) is stopped
    return each.findings(records, known, worked) + then


class _Each:
    """Each record's own checks, as a unit of the cache (units) when it has one."""

    def __init__(self, checks, units) -> None:
        self.checks = checks
        self.units = units

    def own(self, record) -> bytes | None:
        return None if self.units is None else self.units.hashes.digests.get(record.path)

    def known(self, records: list) -> dict:
        """Path -> the unit's entry, for the records whose findings the cache has."""
        if self.units is None:
            return {}
        return {r.path: e for r in records if (e := self.units.known(r.path, self.own(r))) is not None}

    def work(self, batch: list) -> dict:
        """Path -> each record's unit entry (or its findings, when it has no unit: no cache)."""
        return {r.path: self.checks(r) if (own := self.own(r)) is None
                else self.units.worked_out(lambda r=r: self.checks(r), own) for r in batch}

    def in_child(self, batch: list) -> list:
        """In a child process: work the batch out, keep its units in the cache, give its findings."""
        entries = self.work(batch)
        if self.units is not None:
            self.units.save_child({path: entry for path, entry in entries.items() if entry.__class__ is tuple})
        return [entry[3] if entry.__class__ is tuple else entry for entry in entries.values()]

    def sent(self, batch: list, findings: list | None) -> dict:
        """Path -> the findings the child sent for its batch; worked out here when it sent none."""
        if findings is None:
            return self.work(batch)
        if self.units is not None:
            self.units.child_kept = True
        return dict(zip([r.path for r in batch], findings))

    def findings(self, records: list, known: dict, worked: dict) -> list[Finding]:
        """Every record's findings, in order; each unit kept for the next run."""
        found: list[Finding] = []
        for record in records:
            entry = known.get(record.path) or worked[record.path]
            if entry.__class__ is tuple:
                self.units.keep[record.path] = entry
                entry = entry[3]
            found.extend(entry)
        return found


CHILD_SHARE = 0.6  # of the records to check, at most: this process also has the checks across records


def _their_share(todo: list, kept: frozenset[str]) -> list:
    """The records a child checks: up to CHILD_SHARE of them, spread over the workspace (kinds differ in
    cost), none of a kind in kept (the heavier ones, as it happens: section 11s, audits, events)."""
    others = [r for r in todo if r.kind not in kept]
    want = min(int(len(todo) * CHILD_SHARE), len(others))
    if want <= 0:
        return []
    step = len(others) / want
    return [others[int(i * step)] for i in range(want)]


def _shared_before_fork(ctx, units) -> None:
    """Work out before forking what every record's checks look up (indexes of the workspace), so that the
    child inherits it rather than working it out again."""
    ctx.workspace.by_id()
    for name in ("_by_kind", "_meetings", "_deadlines", "_plan_actions", "_unreadable_ids"):
        getattr(ctx, name)
    if units is not None:
        units.hashes._by_id


def _across(ctx, year: str | None, units=None, parts: dict | None = None) -> list[Finding]:
    """The checks across records, then across reporting years (each plan's actions, and each year's rule,
    a unit of its own); parts notes what a check after a few changes takes from this one (rules/delta.py)."""
    from mars_cli.rules.across import WORKSPACE_RULES
    from mars_cli.rules.actions import check_all_actions
    from mars_cli.rules.yearly import check_years, year_units

    found = [finding for rule in WORKSPACE_RULES for finding in rule(ctx)]
    if units is None:
        return found + check_all_actions(ctx) + check_years(ctx, year)
    actions = check_all_actions(ctx, units.unit)
    with ctx.reading() as read:  # what the choice of years and rules reads, besides each unit's own reads
        keys = year_units(ctx, year)
    if parts is not None:
        parts.update(fixed=found, yearly_keys=keys, containers=list(ctx._plan_actions), year_reads=read)
    return found + actions + check_years(ctx, year, units.unit, keys)


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path != "mars.yaml", f.path, f.line, f.code))
