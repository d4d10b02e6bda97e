"""The breach cases are complete: one for every rule `mars rules` lists, in the module its name says,
expecting the severity `mars rules` gives it."""

from __future__ import annotations

import mars_cli.framework.processes
from breaches.harness import all_breaches
from mars_cli.rules.steps import rule_table

SHARED = ("signoff", "steps", "progress", "status", "meeting")  # prefixes of the rules every process shares


def module_for(rule_id: str) -> str:
    prefix = rule_id.partition(".")[0]
    return "test_every_process.py" if prefix in SHARED else f"test_{prefix.replace('-', '_')}.py"


def test_every_shipped_rule_has_a_breach_test():
    shipped = {row.id for row in rule_table(mars_cli.framework.processes.default())}
    cases = set(all_breaches())
    assert shipped == cases, (
        f"rules without a breach test: {sorted(shipped - cases)}; "
        f"breach tests for rules that are not shipped: {sorted(cases - shipped)}")


def test_every_case_is_in_the_module_its_rule_names():
    assert {rule_id: module for rule_id, (module, _) in all_breaches().items()} == \
        {rule_id: module_for(rule_id) for rule_id in all_breaches()}


def test_every_shipped_rule_has_the_severity_mars_rules_lists():
    """The cases' expected severities agree with `mars rules` (so a case cannot quietly expect another)."""
    severities = {row.id: row.severity for row in rule_table(mars_cli.framework.processes.default())}
    assert {rule_id: case.severity for rule_id, (_, case) in all_breaches().items()} == severities
