"""The checks `mars check` runs: each rule is a function returning findings (data, not
exceptions), listed once; `run_rules` runs them all and returns every finding at once.

May import: model, store, framework, derive.
"""

from __future__ import annotations

import datetime as dt

from mars_cli.derive.context import Context, no_collection_midway
from mars_cli.model.records import Finding, Workspace
from mars_cli.rules.across import WORKSPACE_RULES
from mars_cli.rules.provenance import check_provenance
from mars_cli.rules.records import check_record
from mars_cli.rules.steps import check_process
from mars_cli.rules.yearly import check_years


def run_rules(workspace: Workspace, as_of: dt.date, year: str | None = None, *,
              provenance: bool = False) -> list[Finding]:
    """Every finding: those from reading the files, then each record's (its fields, then its
    process as of that day), then across records, then across reporting years (that day's and the
    ended ones whose yearly report is not yet published; only `year`, when given); with
    `provenance`, also who committed each sign-off (git's history: `check --verify-signoffs`)."""
    with no_collection_midway():
        ctx = Context(workspace, as_of)
        findings = list(workspace.findings)
        for record in workspace.records:
            findings.extend(check_record(ctx, record))
            findings.extend(check_process(ctx, record))
        for rule in WORKSPACE_RULES:
            findings.extend(rule(ctx))
        findings.extend(check_years(ctx, year))
    if provenance:
        findings.extend(check_provenance(workspace))
    return sorted(findings, key=lambda f: (f.path != "mars.yaml", f.path, f.line, f.code))
