"""Running every rule over a workspace: findings as data, all at once."""

from __future__ import annotations

import datetime as dt

from mars_cli.model import Finding, Workspace
from mars_cli.rules.context import Context
from mars_cli.rules.records import check_record
from mars_cli.rules.workspace import WORKSPACE_RULES


def run_rules(workspace: Workspace, as_of: dt.date) -> list[Finding]:
    """Every finding: those from reading the files, then each record's, then across records."""
    ctx = Context(workspace, as_of)
    findings = list(workspace.findings)
    for record in workspace.records:
        findings.extend(check_record(ctx, record))
    for rule in WORKSPACE_RULES:
        findings.extend(rule(ctx))
    return sorted(findings, key=lambda f: (f.path != "mars.yaml", f.path, f.line, f.code))
