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
    from mars_cli.derive.context import Context
    from mars_cli.derive.lookup import case_subjects
    from mars_cli.derive.timeline import read_again
    from mars_cli.model.records import Record
    from mars_cli.rules.privacy import subjects_named_in
    from mars_cli.rules.records import check_record
    from mars_cli.rules.steps import check_process
    from mars_cli.rules.units import SUBJECTS, Remembered

    ctx = Context(workspace, as_of)
    findings = list(workspace.findings)
    subjects = case_subjects(workspace)
    kept = read_again(ctx.processes)

    def checks(record: Record) -> list[Finding]:
        """A record's own checks: its fields, its process as of that day, case subjects named in it. Its
        timeline is then let go unless other records' checks read it (memory: see read_again)."""
        ctx.noted(SUBJECTS)
        found = [*check_record(ctx, record), *check_process(ctx, record), *subjects_named_in(record, subjects)]
        if record.kind not in kept:
            ctx.forget(record)
        return found

    if workspace.memo is None:
        findings.extend(finding for record in workspace.records for finding in checks(record))
        findings.extend(_across(ctx, year))
        return _sorted(findings)
    units = Remembered(ctx, workspace.memo, subjects)
    findings.extend(finding for record in workspace.records for finding in units.record(record, checks))
    findings.extend(_across(ctx, year, units.unit))
    units.save()
    return _sorted(findings)


def _across(ctx, year: str | None, unit=None) -> list[Finding]:
    """The checks across records, then across reporting years (each year's rule a unit of its own)."""
    from mars_cli.rules.across import WORKSPACE_RULES
    from mars_cli.rules.yearly import check_years

    found = [finding for rule in WORKSPACE_RULES for finding in rule(ctx)]
    return found + (check_years(ctx, year, unit) if unit else check_years(ctx, year))


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path != "mars.yaml", f.path, f.line, f.code))
