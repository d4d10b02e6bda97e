"""Rules across records: IDs that clash, templates for kinds that do not exist."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mars_cli.derive.context import Context
from mars_cli.framework import kinds
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, WARNING, Finding


def check_duplicate_ids(ctx: Context) -> Iterator[Finding]:
    holders = defaultdict(list)
    for record in ctx.workspace.records:
        if record.id:
            holders[record.id].append(record)
    for record_id, records in holders.items():
        if len(records) < 2:
            continue
        for record in records:
            others = ", ".join(r.path for r in records if r is not record)
            yield Finding(record.path, record.line("id"), ERROR, "duplicate-id",
                          f"ID '{record_id}' is also used by {others}",
                          "IDs never change once created: keep the older record's ID and recreate the other "
                          "with `mars new`.", rule="workspace.duplicate-id")


def check_template_overrides(ctx: Context) -> Iterator[Finding]:
    for name in ctx.workspace.templates:
        if kinds.get(name) is None:
            yield Finding(f"templates/{name}.md", 1, WARNING, "unknown-template",
                          f"templates/{name}.md overrides no kind, so it is never used",
                          f"Name it after a kind (`mars kinds`).{did_you_mean(name, kinds.registry())}",
                          rule="workspace.unknown-template")


# (a case subject named outside its case records is each record's own check: rules/privacy.subjects_named_in)
# (each plan's actions are checked as a unit of their own: rules/actions.check_all_actions)
WORKSPACE_RULES = (check_duplicate_ids, check_template_overrides)
