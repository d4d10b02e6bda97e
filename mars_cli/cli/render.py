"""Turning results into text: the one findings renderer, tables, JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys

from mars_cli.model import ERROR, Finding

SCHEMA_VERSION = 1


def finding_line(f: Finding) -> str:
    """`path:line: severity code message`, so editors and CI can jump to it (no path: no file yet)."""
    where = f"{f.path}:{f.line}: " if f.path else ""
    return f"{where}{f.severity} {f.code} {f.message}"


def findings_text(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        lines.append(finding_line(f))
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    return "\n".join(lines)


def summary(findings: list[Finding], files: int) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return f"No problems found in {files} record{'s' if files != 1 else ''}."
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
            f"in {files} record{'s' if files != 1 else ''}.")


def findings_json(findings: list[Finding], **extra) -> str:
    doc = {"schema_version": SCHEMA_VERSION, "kind": "check", **extra,
           "findings": [f.as_dict() for f in findings]}
    return json.dumps(doc, indent=2, default=_plain)


def to_json(kind: str, **payload) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, "kind": kind, **payload}, indent=2, default=_plain,
                      ensure_ascii=False)


def to_csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def plain(value):
    """A JSON-safe copy of front-matter values (dates as ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity
    return value


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False,
                   file=sys.stderr if stderr else sys.stdout)
