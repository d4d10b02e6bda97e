"""The output layer: one JSON envelope, one CSV writer, one escaper per kind of output.

A hostile title (a spreadsheet formula, escape sequences that clear the screen and retitle the
window, a line break, a GitHub workflow command, a backtick, an HTML tag and an ampersand) goes
through every format and must come out inert in each, read by the real parser of that format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import icalendar
import pytest
from conftest import record
from markdown_it import MarkdownIt

from mars_cli.outputs import envelope, escape, spreadsheet

HOSTILE_YAML = '"=HYPERLINK(\\"http://x\\")\\e[2J\\e]0;pwned\\a\\n::error file=a,line=1::owned `tick` <b>tag</b> & done"'
HOSTILE = '=HYPERLINK("http://x")\x1b[2J\x1b]0;pwned\x07\n::error file=a,line=1::owned `tick` <b>tag</b> & done'
DRIVES_A_TERMINAL = ("\x1b", "\x07", "\x9b")

PLAN_ID = "ap-2025-07-01-hostile-plan-aaaa"
PLAN_DIR = f"records/action-plan/2025-26/{PLAN_ID}"
ACTION_ID = "act-2025-07-01-hostile-aaaa"
VOICE_ID = "voice-2025-06-01-forum-aaaa"
AS_OF = "2026-02-16"


def plan(action_id: str = ACTION_ID, title: str = HOSTILE_YAML) -> dict[str, str]:
    """An action plan with one overdue action whose title is `title` (YAML, as written in the file)."""
    return {
        f"records/action-plan/2025-26/{PLAN_ID}.md": f"""\
            ---
            id: {PLAN_ID}
            kind: action-plan
            title: Hostile plan
            status: draft
            marking: OFFICIAL
            created: 2025-07-01
            owner: officer-1
            ---

            ## Purpose
            Nothing.
            """,
        f"{PLAN_DIR}/{action_id}.md": f"""\
            ---
            id: "{action_id}"
            kind: action
            title: {title}
            status: in-progress
            marking: OFFICIAL
            created: 2025-07-01
            owner: council-cs
            due: 2026-01-01
            ---

            What done looks like.
            """,
    }


def voice(title: str = HOSTILE_YAML) -> dict[str, str]:
    text = record("voice", VOICE_ID, status="held").replace("title: Test voice", f"title: {title}")
    return {f"records/voice/2025-26/{VOICE_ID}.md": text}


def out(mars, root, *args) -> str:
    result = mars("-w", root, *args, "--as-of", AS_OF)
    assert result.code == 0, result.text
    assert not any(c in result.out for c in DRIVES_A_TERMINAL), result.out
    return result.out


# --- each escaper ---------------------------------------------------------------------------------

def test_escape_terminal__keeps_lines_and_tabs_and_replaces_every_other_control():
    assert escape.terminal("a\tb\r\nc\x1b[2J\x9b1m\u202eevil\rX") == "a\tb\nc\ufffd[2J\ufffd1m\ufffdevil\ufffdX"


def test_escape__printable_text_is_given_back_as_it_is_and_no_control_is_printable():
    """one_line and lines give back printable text (str.isprintable) without a regex's pass: that holds
    only because no character they replace is printable, checked here over every code point."""
    printable = "".join(c for c in map(chr, range(0x110000)) if c.isprintable())
    assert not escape._ANY_CONTROL.search(printable) and not escape._LINE_BREAKS.search(printable)
    for text in ("Trust assurance event 2025-26: £1,200 — “quoted” ✓", "a::b", "x " * 40):
        assert escape.one_line(text) is text and escape.lines(text) is text
    assert escape.no_command(":: at the start") == "\ufffd:: at the start" and escape.no_command("a::b") == "a::b"
    assert escape.one_line("") == "" and escape.terminal_line("") == ""


def test_escape_terminal_line__a_field_stays_on_its_line():
    assert escape.terminal_line("one\ntwo\r\n\tthree\u2028four\x1b]0;x\x07") == "one two three four\ufffd]0;x\ufffd"


@pytest.mark.parametrize(("value", "cell"), [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("+44 1234", "'+44 1234"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("  =1+1", "'  =1+1"),
    ("\t5", "' 5"),
    ("\r=1", "' =1"),
    ("line\nbreak\x1b", "line break\ufffd"),
    ("Plain title", "Plain title"),
    (-46, -46),
    (None, ""),
    (["a", "b"], "a; b"),
])
def test_escape_csv_cell__formulas_defused_and_one_line(value, cell):
    assert escape.csv_cell(value) == cell


def test_escape_json_text__what_json_leaves_raw_becomes_unicode_escapes_and_reads_back_the_same():
    data = {"title": "a\x9bb\u202ec\u2028d\x7fé"}
    text = escape.json_text(json.dumps(data, ensure_ascii=False))
    assert not any(c in text for c in "\x9b\u202e\u2028\x7f") and "é" in text
    assert json.loads(text) == data


def test_escape_xml_text__what_xml_forbids_is_replaced_and_the_document_parses():
    text = escape.xml_text("a\x00b\x1bc\ud800d\uffffe\tf\ng")
    assert text == "a\ufffdb\ufffdc\ufffdd\ufffde\tf\ng"
    element = ET.Element("case", name=text)
    element.text = text
    assert ET.fromstring(ET.tostring(element)).text == text


def test_escape_github__data_and_properties_by_the_workflow_command_rules():
    assert escape.github_data("50% done\r\n::error::x\x1b[31m") == "50%25 done%0D%0A::error::x\ufffd[31m"
    assert escape.github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_escape_markdown__markup_is_shown_as_typed():
    parsed = MarkdownIt("commonmark").parseInline(escape.markdown("<b>x</b> & [a](b) *y* `z`\n# h"))[0]
    assert [t.type for t in parsed.children] == ["text"]
    assert parsed.children[0].content == "<b>x</b> & [a](b) *y* `z` # h"


@pytest.mark.parametrize("text", ["a`b", "``x", "`", " a ", "x```", "records/x/act-`rm -rf`.md:9"])
def test_escape_markdown_code__a_backtick_cannot_end_the_code_span(text):
    parsed = MarkdownIt("commonmark").parseInline(escape.markdown_code(text))[0]
    assert [(t.type, t.content) for t in parsed.children] == [("code_inline", text)]


def test_escape_markdown_cell__one_line_with_the_pipe_escaped():
    assert escape.markdown_cell("a | `b`\nc") == "a \\| `b` c"


def test_escape_calendar_text__keeps_line_breaks_and_replaces_controls():
    assert escape.calendar_text("a\r\nb\x1bc") == "a\nb\ufffdc"


# --- the one JSON envelope ------------------------------------------------------------------------

def test_envelope__schema_version_and_kind_first_dates_iso_and_never_nan():
    text = envelope.to_json("x", day=dt.date(2026, 2, 16), values=(dt.date(2026, 1, 1), float("nan")), n={1: 2})
    assert text.endswith("}\n")
    doc = json.loads(text)
    assert list(doc)[:2] == ["schema_version", "kind"] and doc["schema_version"] == envelope.SCHEMA_VERSION == 2
    assert doc == {"schema_version": 2, "kind": "x", "day": "2026-02-16", "values": ["2026-01-01", "nan"],
                   "n": {"1": 2}}


@pytest.mark.parametrize(("args", "kind"), [
    (["check"], "check"), (["list"], "list"), (["show", VOICE_ID], "record"), (["overdue"], "overdue"),
    (["due"], "due"), (["status"], "status"), (["rules"], "rules"),
])
def test_envelope__every_json_output_is_in_it(workspace_with, mars, args, kind):
    root = workspace_with({**plan(), **voice()})
    result = mars("-w", root, *args, "--format", "json", *(["--as-of", AS_OF] if args[0] != "rules" else []))
    doc = json.loads(result.out)
    assert list(doc)[:2] == ["schema_version", "kind"] and (doc["schema_version"], doc["kind"]) == (2, kind)


def test_envelope__check_writes_text_as_utf8_like_every_other_json(workspace_with, mars):
    """check --format json used to write § as \\u00a7 while list, show and overdue wrote it as itself."""
    root = workspace_with(plan(title="Late action"))
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    assert "Framework §5" in result.out and "\\u00a7" not in result.out


# --- the one CSV writer ---------------------------------------------------------------------------

def test_spreadsheet__header_then_rows_each_ending_crlf():
    text = spreadsheet.to_csv([{"a": "=1", "b": 2, "c": "x"}, {"a": None}], ["a", "b"])
    assert text == "a,b\r\n'=1,2\r\n,\r\n"


def test_list_csv__a_formula_title_is_defused(workspace_with, mars):
    root = workspace_with(voice(title='"=HYPERLINK(\\"http://x\\")"'))
    rows = list(csv.DictReader(io.StringIO(out(mars, root, "list", "--format", "csv"))))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://x")']


def test_list_csv__every_row_ends_crlf_like_overdue(workspace_with, mars):
    root = workspace_with({**plan(title="Late action"), **voice(title="Forum")})
    for args in (["list"], ["overdue"]):
        text = out(mars, root, *args, "--format", "csv")
        lines = text.split("\n")
        assert len(lines) > 2 and lines[-1] == "" and all(line.endswith("\r") for line in lines[:-1])


# --- a hostile title through every format ---------------------------------------------------------

def test_hostile_title__list_csv_json_table_show_and_check_are_inert(workspace_with, mars):
    root = workspace_with(voice())
    (row,) = csv.DictReader(io.StringIO(out(mars, root, "list", "--format", "csv")))
    assert row["title"] == "'" + escape.one_line(HOSTILE) and "\n" not in row["title"]
    (listed,) = json.loads(out(mars, root, "list", "--format", "json"))["records"]
    assert listed["title"] == HOSTILE  # JSON keeps the data; it escapes what drives a terminal
    table = out(mars, root, "list")
    assert "<b>tag</b>" in table and "\n::error" not in table
    shown = out(mars, root, "show", VOICE_ID)
    assert shown.splitlines()[1] == escape.terminal_line(HOSTILE)  # one line, no word starting ::
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert not any(c in result.out for c in DRIVES_A_TERMINAL)


def test_hostile_title__overdue_in_every_format_is_inert(workspace_with, mars):
    root = workspace_with(plan())
    title = escape.one_line(HOSTILE)

    (row,) = csv.DictReader(io.StringIO(out(mars, root, "overdue", "--format", "csv")))
    assert row["title"] == "'" + title

    (item,) = json.loads(out(mars, root, "overdue", "--format", "json"))["items"]
    assert "\n" not in item["title"] and item["title"].startswith("=HYPERLINK")

    markdown = out(mars, root, "overdue", "--format", "markdown")
    line = next(line for line in markdown.splitlines() if line.startswith("- **"))
    inline = MarkdownIt("commonmark").parseInline(line)[0].children
    assert [t.type for t in inline if t.type in ("html_inline", "link_open")] == []
    assert "\\<b\\>tag\\</b\\> \\& done" in line and "\\`tick\\`" in line

    github = out(mars, root, "overdue", "--format", "github").splitlines()
    assert len(github) == 1 and github[0].startswith(f"::warning file={PLAN_DIR}/{ACTION_ID}.md,line=")

    suites = ET.fromstring(out(mars, root, "overdue", "--format", "junit").encode())
    case = suites.find("testsuite/testcase")
    assert case.get("name") == f"{ACTION_ID}: {title}" and "<b>tag</b> & done" in case.find("failure").text

    (event,) = icalendar.Calendar.from_ical(out(mars, root, "overdue", "--format", "ics")).walk("VEVENT")
    assert str(event["summary"]) == f"OVERDUE: {title}"

    table = out(mars, root, "overdue")
    assert "<b>tag</b>" in table


def test_markdown__a_backtick_in_a_file_name_stays_inside_its_code_span(workspace_with, mars):
    action_id = "act-2025-07-01-tick`y-aaaa"
    root = workspace_with(plan(action_id=action_id, title="Late action"))
    markdown = out(mars, root, "overdue", "--format", "markdown")
    line = next(line for line in markdown.splitlines() if line.startswith("- **"))
    code = [t.content for t in MarkdownIt("commonmark").parseInline(line)[0].children if t.type == "code_inline"]
    assert code == [f"{PLAN_DIR}/{action_id}.md:9"]


def test_the_schema_version_in_use_is_explained_in_the_changelog_and_the_readme():
    """A CI job that finds a new schema_version must be able to read what changed: the CHANGELOG has a
    heading for the version in use, and the README states the policy and the version."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert f"(JSON `schema_version` {envelope.SCHEMA_VERSION})" in changelog
    assert f"Version {envelope.SCHEMA_VERSION} (this one)" in readme
    assert "A stable contract for machine readers" in readme and "leaves `schema_version` as it is" in readme
