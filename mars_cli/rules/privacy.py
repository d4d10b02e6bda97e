"""Personal data where it does not belong: a case subject's name or reference outside case records.

Only case records may name the people they are about (their `subjects:` list); every other record is
read more widely and some are published. The finding names the file, the line and the kind of hit,
never the name itself, since `check`'s output may land in a public CI log.
"""

from __future__ import annotations

from collections.abc import Iterator

from mars_cli.derive.context import Context
from mars_cli.derive.lookup import case_subjects
from mars_cli.framework import kinds
from mars_cli.model import personal_data
from mars_cli.model.records import WARNING, Finding, Record

PRIVACY_RULES = {  # id -> (what it asks, where it comes from, severity)
    "privacy.subject-named": ("a case subject's name or reference appears only in its case records",
                              "information governance: public outputs and wide circulation carry no personal data "
                              "(domain §3)", WARNING),
}


def check_subjects_named(ctx: Context) -> Iterator[Finding]:
    names = case_subjects(ctx.workspace)
    for record in ctx.workspace.records:
        yield from subjects_named_in(record, names)


def subjects_named_in(record: Record, names: list[str]) -> list[Finding]:
    """Where a record that is not a case record names one of the case subjects (`names`)."""
    kind = kinds.get(record.kind)
    if not names or kind is None or kind.case:
        return []
    return [Finding(record.path, line, WARNING, "subject-named",
                    "a name or reference listed as a case record's subject appears here (not shown)",
                    "Refer to the child by pseudonym (Child A) or by role; the name stays in the case "
                    "record's subjects: list.", rule="privacy.subject-named",
                    source=PRIVACY_RULES["privacy.subject-named"][1])
            for line in _lines_naming(record, names)]


def _lines_naming(record: Record, names: list[str]) -> list[int]:
    texts = [value for value in record.fields.values() if isinstance(value, str)]
    if not personal_data.names_any([record.body, *texts], names):  # most records: one search, not one a field
        return []
    lines = {record.body_line + line - 1 for line in personal_data.subject_lines(record.body, names)}
    for key, value in record.fields.items():
        if isinstance(value, str) and personal_data.subject_lines(value, names):
            lines.add(record.line(key))
    return sorted(lines)
