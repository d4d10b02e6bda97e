"""`mars check` for CI: GitHub workflow annotations and JUnit XML (the text is in cli/render.py, the JSON
in the envelope). Each takes the findings and returns the whole text; what comes from the records goes
through the escaper for the format (escape.py), so no finding can write a workflow command of its own.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from mars_cli.model.records import ERROR, Finding
from mars_cli.outputs import escape


def _from_root(prefix: str, path: str) -> str:
    """A workspace path as seen from the git repository's root (`prefix`: the workspace's folder there)."""
    return f"{prefix}/{path}" if prefix and path else path


def _detail(f: Finding) -> str:
    """The message and its hint, on one line (a value quoted in a message may hold a line break)."""
    return escape.one_line(" ".join(part for part in (f.message.rstrip(".") + ".", f.hint) if part))


def to_github(findings: list[Finding], prefix: str = "", strict: bool = False) -> str:
    """A workflow command per finding: ::error for an error (and, with --strict, a warning), else
    ::warning; on its file and line, titled with its code."""
    out = []
    for f in findings:
        level = "error" if f.severity == ERROR or strict else "warning"
        where = [f"file={escape.github_property(_from_root(prefix, f.path))}"] if f.path else []
        where += [f"line={f.line}"] if f.path and f.line > 0 else []
        where.append(f"title={escape.github_property(f'mars check: {f.code}')}")
        out.append(f"::{level} {','.join(where)}::{escape.github_data(_detail(f))}")
    return "".join(line + "\n" for line in out)


def to_junit(findings: list[Finding], records: int, as_of: dt.date, prefix: str = "", strict: bool = False) -> str:
    """JUnit XML: a test case per finding, failed when it is an error (or, with --strict, any finding);
    a warning passes with its text as output. No findings: one passing case for the records checked."""
    failing = [f for f in findings if f.severity == ERROR or strict]
    tests = str(max(len(findings), 1))
    suites = ET.Element("testsuites", name="mars check", tests=tests, failures=str(len(failing)))
    suite = ET.SubElement(suites, "testsuite", name=f"mars check as of {as_of.isoformat()}", tests=tests,
                          failures=str(len(failing)), errors="0", skipped="0", timestamp=f"{as_of.isoformat()}T00:00:00")
    if not findings:
        ET.SubElement(suite, "testcase", classname="check", name=f"{records} record{'s' * (records != 1)} checked")
    for f in findings:
        path = escape.xml_text(_from_root(prefix, f.path))
        path = escape.one_line(path)
        where = f"{path}:{f.line}" if path else "(workspace)"
        case = ET.SubElement(suite, "testcase", classname=escape.xml_text(f"check.{f.code}"),
                             name=escape.xml_text(f"{where}: {f.code}"), file=path, line=str(f.line))
        text = escape.xml_text(f"{where}: {f.severity} {f.code} {_detail(f)}")
        if f in failing:
            failure = ET.SubElement(case, "failure", type=f.severity, message=escape.xml_text(escape.one_line(f.message)))
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = text
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
