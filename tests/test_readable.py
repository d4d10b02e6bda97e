"""Output people can read: tables that fit 80, 100, 120 and 160 columns with no word split, short IDs
at a terminal that the commands accept, `show` and `check` wrapped with hanging indents at a terminal
(never when piped), severity in colour and in a word, -q, and `check` for CI (github, junit).

"At a terminal" is forced with TTY_COMPATIBLE=1 (rich's own switch) and COLUMNS; piped output is what
the tests capture anyway, laid out for --width.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, record

from mars_cli.cli import layout

EXAMPLE = ROOT / "example-workspace"
WIDTHS = (80, 100, 120, 160)
TABLES = {"list": ["list"], "overdue": ["overdue"], "due": ["due", "--within", "45d"], "status": ["status"]}
EDGES = "()[]{},;:.'\"`!?"
BOX = re.compile("[\u2500-\u257f]")


@pytest.fixture
def terminal(monkeypatch):
    """Render as at a terminal of `width` columns."""
    def at(width: int) -> None:
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
        monkeypatch.setenv("COLUMNS", str(width))
    return at


def tokens(text: str) -> set[str]:
    """The words of some output, box lines taken out, punctuation trimmed from each end; a step's ID
    (`ID:step`) also as its parts, since a narrow ID column puts the step under its record's ID."""
    found = set()
    for token in BOX.sub(" ", text).split():
        core = token.strip(EDGES)
        if core:
            found.add(core)
            found.update(p.strip(EDGES) for p in re.split(r"(?=:)", core) if p.strip(EDGES))
    return found


def vocabulary(mars, args: list[str]) -> set[str]:
    """Every word the command may show: its output at a width where nothing wraps (piped and at a
    terminal), and every value of its JSON."""
    words = tokens(mars("-w", EXAMPLE, *args, "--width", "1000").out)
    data = json.loads(mars("-w", EXAMPLE, *args, "--format", "json").out)

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif value is not None:
            words.update(tokens(str(value)))
    walk(data)
    return words


@pytest.mark.parametrize("name", sorted(TABLES))
def test_tables__fit_every_width_with_no_word_split_at_a_terminal_and_piped(name, mars, monkeypatch, terminal):
    args = TABLES[name]
    known = vocabulary(mars, args)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "1000")
    known |= tokens(mars("-w", EXAMPLE, *args).out)
    known |= {"day", "days", "overdue", "due", "in", "today", "action", "actions", "step"}  # the list layout's words
    for width in WIDTHS:
        for mode in ("terminal", "piped"):
            if mode == "terminal":
                terminal(width)
                result = mars("-w", EXAMPLE, *args)
            else:
                monkeypatch.delenv("TTY_COMPATIBLE")
                monkeypatch.delenv("COLUMNS")
                result = mars("-w", EXAMPLE, *args, "--width", str(width))
            assert result.code == 0, result.text
            long = [line for line in result.out.splitlines() if len(line) > width]
            assert not long, f"{name} {mode} at {width}: {long[:3]}"
            split = sorted(tokens(result.out) - known)
            assert not split, f"{name} {mode} at {width}: words split or unknown: {split[:10]}\n{result.out}"


def test_overdue__at_120_columns_names_and_titles_are_whole_and_ids_short(mars, terminal):
    terminal(120)
    out = mars("-w", EXAMPLE, "overdue").out
    assert all(word in out for word in ("Safeguarding", "Governor", "Ambulance", "Headteacher"))
    assert "act-2025-06-03\u202633e9" in out
    assert "act-2025-06-03-audit-use-of-the-domestic-abuse-risk-33e9" not in out  # short at a terminal
    assert max(len(line) for line in out.splitlines()) <= 120


def test_piped_tables__are_100_columns_unless_told_and_keep_full_ids(mars, monkeypatch):
    monkeypatch.delenv("COLUMNS")
    out = mars("-w", EXAMPLE, "overdue").out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "act-2025-06-03-audit-use-of-the-domestic-abuse-risk-33e9" in out
    wide = mars("-w", EXAMPLE, "overdue", "--width", "160").out
    assert 120 < max(len(line) for line in wide.splitlines()) <= 160


@pytest.mark.parametrize("command", [["show"], ["action", "update"]])
def test_short_ids__the_form_a_table_shows_is_accepted_by_the_commands(command, workspace_with, mars):
    plan_id = "ap-2025-07-01-a-plan-aaaa"
    root = workspace_with({
        f"records/action-plan/2025-26/{plan_id}.md": record("action-plan", plan_id, "2025-07-01", status="draft",
                                                             owner="officer-1"),
        f"records/action-plan/2025-26/{plan_id}/act-2025-07-01-train-staff-b2c3.md":
            record("action", "act-2025-07-01-train-staff-b2c3", "2025-07-01", status="in-progress",
                   owner="council-cs", due="2026-01-01"),
    })
    short = layout.short_id("act-2025-07-01-train-staff-b2c3", {"act-2025-07-01-train-staff-b2c3", plan_id})
    assert short == "act-2025-07-01\u2026b2c3"
    for typed in (short, "act-2025-07-01...b2c3"):
        args = [*command, typed] + (["--note", "Done", "--by", "officer-1"] if command[0] == "action" else [])
        result = mars("-w", root, *args, "--as-of", "2026-02-16")
        assert result.code == 0, result.text
    assert "act-2025-07-01-train-staff-b2c3" in mars("-w", root, "show", "act-2025-07-01...b2c3").out


def test_short_ids__whole_when_another_id_starts_and_ends_alike():
    ids = {"ae-2025-06-12-one-k7f2", "ae-2025-06-12-two-k7f2"}
    assert layout.short_id("ae-2025-06-12-one-k7f2", ids) == "ae-2025-06-12-one-k7f2"
    assert layout.short_id("my-own-id", {"my-own-id"}) == "my-own-id"
    assert layout.short_id("ae-2025-06-12-one-k7f2:letter-sent", ids | {"x"}) == "ae-2025-06-12-one-k7f2:letter-sent"


def test_wrap__never_splits_a_word_and_hangs_its_continuation():
    lines = layout.wrap("Northern Lincolnshire and Goole NHS Foundation Trust", 20, "  ", "      ")
    assert lines == ["  Northern", "      Lincolnshire", "      and Goole NHS", "      Foundation", "      Trust"]
    assert layout.wrap("records/a/b.md:3: error x y", 10, "", "    ", keep_first=True)[0] == "records/a/b.md:3:"


def test_column_widths__each_column_at_least_its_longest_word_else_none():
    columns = [["Owner", "Northern Lincolnshire Trust"], ["ID", "ae-2025-06-12\u2026k7f2"]]
    sizes = layout.column_widths(columns, 40, {1})
    assert sizes[0] >= len("Lincolnshire") and sizes[1] == 18 and sum(sizes) + 7 <= 40
    assert layout.column_widths(columns, 30, {1}) is None


def _broken_workspace(workspace_with):
    long_title = "An action plan with a very long title that goes on about multi-agency safeguarding arrangements"
    return workspace_with({"records/voice/2025-26/voice-2025-06-01-forum-aaaa.md": record(
        "voice", "voice-2025-06-01-forum-aaaa", status="held", title=long_title, owner="nobody-known")})


def test_check__at_a_terminal_wraps_with_hanging_indents_and_keeps_path_line_whole(workspace_with, mars, terminal):
    root = _broken_workspace(workspace_with)
    terminal(60)
    out = mars("-w", root, "check").out
    lines = out.splitlines()
    first = next(line for line in lines if "records/voice" in line)
    assert first.startswith("records/voice/2025-26/voice-2025-06-01-forum-aaaa.md:")
    # only a path:line and a command to paste (kept whole, in backticks) may run past the width
    assert all(len(line) <= 60 or line.startswith("records/") or line.lstrip().startswith("`mars ")
               for line in lines), out
    commands = [line.strip() for line in lines if line.lstrip().startswith("`mars ")]
    assert commands and all(c.rstrip(".,;").endswith("`") for c in commands), out  # each on one line
    follow = lines[lines.index(first) + 1]
    assert follow.startswith("    ") and not follow.startswith("    hint:"), out  # the message, hanging


def test_check__piped_is_not_wrapped(workspace_with, mars, monkeypatch):
    root = _broken_workspace(workspace_with)
    monkeypatch.setenv("COLUMNS", "60")
    out = mars("-w", root, "check").out
    finding = next(line for line in out.splitlines() if "records/voice" in line)
    assert len(finding) > 60 and "\x1b" not in out


def test_check__severity_in_colour_and_a_word_and_no_color_turns_it_off(workspace_with, mars, terminal, monkeypatch):
    root = _broken_workspace(workspace_with)
    terminal(200)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    out = mars("-w", root, "check").out
    assert re.search(r"\.md:\d+: \x1b\[31m\x1b\[1merror\x1b\[0m ", out), repr(out)
    plain = mars("-w", root, "check", "--no-color").out
    assert "\x1b" not in plain and re.search(r"\.md:\d+: error ", plain)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in mars("-w", root, "check").out


def test_check__severity_in_colour_when_the_path_fills_the_first_line(workspace_with, mars, terminal, monkeypatch):
    """At 80 columns a long path stands alone on the finding's first line: its severity, first on the next
    line, is still in colour."""
    long_id = "voice-2025-06-01-young-peoples-forum-on-the-multi-agency-safeguarding-arrangements-aaaa"
    root = workspace_with({f"records/voice/2025-26/{long_id}.md": record(
        "voice", long_id, status="held", owner="nobody-known")})
    terminal(80)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    lines = mars("-w", root, "check").out.splitlines()
    alone = [n for n, line in enumerate(lines) if re.fullmatch(r"\S+\.md:\d+:", line)]
    assert alone, lines  # the path fills the first line
    for n in alone:
        assert re.match(r" +\x1b\[(31m\x1b\[1merror|33m\x1b\[22mwarning)\x1b\[0m ", lines[n + 1]), lines[n + 1]


def test_check__its_summary_fits_the_terminal(workspace_with, mars, terminal):
    """The last line says how many problems in how many records, and the day checked: wrapped at a
    terminal's width (piped, it stays one line, as every finding does)."""
    root = _broken_workspace(workspace_with)
    terminal(60)
    shown = mars("-w", root, "check", "--as-of", "2026-01-10").out.splitlines()
    start = max(n for n, line in enumerate(shown) if re.match(r"\d+ errors?, \d+ warnings? in ", line))
    said = shown[start:]
    assert len(said) > 1 and all(len(line) <= 60 for line in said), said
    assert " ".join(said).endswith("Checked as of 10 January 2026 (from --as-of).")


def test_show__at_a_terminal_wraps_with_hanging_indents_piped_does_not(workspace_with, mars, monkeypatch, terminal):
    root = _broken_workspace(workspace_with)
    monkeypatch.setenv("COLUMNS", "50")
    piped = mars("-w", root, "show", "forum-aaaa").out
    assert any(len(line) > 50 for line in piped.splitlines())
    terminal(50)
    shown = mars("-w", root, "show", "forum-aaaa").out
    lines = shown.splitlines()
    assert all(len(line) <= 50 or "/" in line.split()[-1] for line in lines), shown  # a path is never split
    title = lines.index("An action plan with a very long title that goes on")
    assert lines[title + 1] == "    about multi-agency safeguarding arrangements", shown
    step = next(n for n, line in enumerate(lines) if line.startswith("  to do     reported:"))
    assert lines[step + 1] == " " * 12 + "Board", shown  # under the step's text, not its state


def test_quiet__silences_summaries_and_progress_never_findings_or_markings(workspace_with, mars):
    root = _broken_workspace(workspace_with)
    loud = mars("-w", root, "check")
    quiet = mars("-w", root, "check", "-q")
    assert "error" in quiet.out and "error" in loud.out
    assert "in 1 record" in loud.out and "in 1 record" not in quiet.out
    assert quiet.out == "\n".join(loud.out.splitlines()[:-1]) + "\n"
    overdue = mars("-q", "-w", EXAMPLE, "overdue")
    assert overdue.out.splitlines()[0] == "OFFICIAL" and overdue.out.splitlines()[-1] == "OFFICIAL"
    assert "`mars show ID` opens one" not in overdue.out and "OVERDUE" not in overdue.err
    status = mars("-w", EXAMPLE, "status", "-q")
    assert status.err == "" and status.out.startswith("OFFICIAL")


def test_quiet__a_writing_command_prints_its_result_and_warnings_not_its_summary(workspace_with, mars):
    plan_id = "ap-2025-07-01-a-plan-aaaa"
    action = "act-2025-07-01-train-staff-b2c3"
    root = workspace_with({
        f"records/action-plan/2025-26/{plan_id}.md": record("action-plan", plan_id, "2025-07-01", status="draft",
                                                             owner="officer-1"),
        f"records/action-plan/2025-26/{plan_id}/{action}.md":
            record("action", action, "2025-07-01", status="in-progress", owner="council-cs", due="2026-01-01"),
    })
    result = mars("-w", root, "-q", "action", "update", "b2c3", "--note", "Started", "--by", "officer-1",
                  "--as-of", "2026-02-16")
    assert result.code == 0 and result.err == "" and result.out.strip().endswith(f"{action}.md"), result.text
    loud = mars("-w", root, "action", "update", "b2c3", "--note", "More", "--by", "officer-1", "--as-of", "2026-02-16")
    assert "Recorded:" in loud.err


def test_errors_go_to_stderr_and_data_to_stdout(mars):
    bad = mars("-w", EXAMPLE, "show", "no-such-record-zzzz")
    assert bad.code == 2 and bad.out == "" and "no record has the ID" in bad.err
    data = mars("-w", EXAMPLE, "overdue", "--format", "json")
    assert json.loads(data.out)["kind"] == "overdue" and data.err == ""


def test_check_github__an_annotation_per_finding_on_its_line(workspace_with, mars):
    root = _broken_workspace(workspace_with)
    result = mars("-w", root, "check", "--format", "github")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines and all(re.match(r"::(error|warning) file=records/voice/2025-26/voice-2025-06-01-forum-aaaa\.md,"
                                  r"line=\d+,title=mars check%3A [a-z.-]+::", line) for line in lines), lines
    assert any(line.startswith("::error ") for line in lines)


def test_check_junit__errors_fail_warnings_pass_and_it_parses(workspace_with, mars):
    root = _broken_workspace(workspace_with)
    result = mars("-w", root, "check", "--format", "junit")
    assert result.code == 1
    suite = ET.fromstring(result.out.encode()).find("testsuite")
    cases = suite.findall("testcase")
    assert cases and int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases) >= 1
    clean = mars("-w", EXAMPLE, "check", "--format", "junit")
    assert clean.code == 0 and ET.fromstring(clean.out.encode()).find("testsuite").get("failures") == "0"


def test_list_piped__a_records_facts_stay_on_one_line_when_they_do_not_fit_beside_its_id(mars):
    """Piped at 100 columns, a long ID with its facts does not fit one line: the facts (kind, status,
    date, agency) go on together under the ID, never an agency alone on a line where a title could be."""
    out = mars("-w", EXAMPLE, "list", "--width", "100").out.splitlines()
    records = json.loads(mars("-w", EXAMPLE, "list", "--format", "json").out)["records"]
    moved = 0
    for listed in records:
        at = next(n for n, line in enumerate(out) if line.split()[:1] == [listed["id"]])
        facts = [listed[name] for name in ("kind", "status", "date", "agency") if listed.get(name)]
        line = out[at] if len(out[at].split()) > 1 else out[at + 1]
        moved += line is not out[at]
        assert line.split()[-len(facts):] == facts, (out[at:at + 3], facts)
        assert all(len(line) <= 100 for line in out[at:at + 3]) or len(out[at]) > 100
    assert moved  # the example has such IDs (a Section 11 return of an agency with a long name)
