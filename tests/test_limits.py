"""Huge and hostile input stays fast and safe (issue 13, point 6): past model/limits.py a file is not
read, and a `too-large` finding names its line without repeating the value; a number of 5,000 digits in
a deadline rule of processes.yaml is a finding, not a crash; a case subject's malformed value is named
without being printed. (benchmarks/bench_hostile.py measures the time each command takes.)"""

from __future__ import annotations

import json
import time

import pytest
from conftest import CONFIG, record
from test_unreadable import AS_OF, BROKEN_ACTION, BROKEN_ID, GOOD, PLAN_ID

from mars_cli.model import limits


def action(more: str = "", title: str = "Hostile") -> str:
    return record("action", BROKEN_ID, "2025-07-01", status="in-progress", owner="council-cs", due="2025-12-01",
                  title=title, more=more)


HOSTILE = {  # name: (the file, the line named, words of the message)
    "title-10mb": (action(title="x" * 10_000_000), 1, "the file is larger than 512,000 bytes"),
    "updates-100k": (action("updates:\n" + "  - {date: 2025-08-01, note: n}\n" * 100_000), 1,
                     "the file is larger than 512,000 bytes"),
    "body-1mb": (action() + "Child A was seen by the team.\n" * 40_000, 1, "the file is larger than 512,000 bytes"),
    "front-matter": (action("updates:\n" + "  - {date: 2025-08-01, note: n}\n" * 9_000), 2,
                     "the front matter is longer than 256,000 characters"),
    "list": (action("evidence:\n" + "  - e\n" * (limits.MAX_ENTRIES + 1)), 11,
             "this list has more than 10,000 entries"),
    "value": (action(f"details: {'y' * (limits.MAX_VALUE_CHARS + 1)}"), 10,
              "this value is longer than 100,000 characters"),
    "number": (action(f"priority: {'9' * 5000}"), 10, "this number has more than 20 digits"),
    "hex-number": (action(f"priority: 0x{'f' * 21}"), 10, "this number has more than 20 digits"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_limits__past_a_limit_the_file_is_named_at_its_line_and_not_read(workspace_with, mars, name):
    text, line, words = HOSTILE[name]
    root = workspace_with({**GOOD, BROKEN_ACTION: text})
    started = time.perf_counter()
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    doc = json.loads(result.out)
    found = [f for f in doc["findings"] if f["path"] == BROKEN_ACTION]
    assert [(f["line"], f["code"], f["severity"]) for f in found] == [(line, "too-large", "error")], found
    assert found[0]["message"].startswith(words) and "yyyy" not in result.out and "9999" not in result.out
    listed = mars("-w", root, "list", "--format", "json", "--as-of", AS_OF)
    problems = json.loads(listed.out)["problems"]
    assert [p["path"] for p in problems] == [BROKEN_ACTION] and PLAN_ID in listed.out
    status = mars("-w", root, "status", "--as-of", AS_OF)
    assert status.code == 0 and f"{BROKEN_ACTION}:{line}: {words}" in status.err
    assert time.perf_counter() - started < 20  # minutes on main; benchmarks/bench_hostile.py has the figures


def test_limits__just_under_every_limit_the_file_is_read(workspace_with, mars):
    text = action("evidence:\n" + "  - e\n" * limits.MAX_ENTRIES + f"details: {'y' * limits.MAX_VALUE_CHARS}\n"
                  f"priority: {'9' * limits.MAX_DIGITS}")
    root = workspace_with({**GOOD, BROKEN_ACTION: text})
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    assert not [f for f in json.loads(result.out)["findings"] if f["code"] == "too-large"]
    assert BROKEN_ID in mars("-w", root, "list", "action", "--as-of", AS_OF).out


def test_limits__a_5000_digit_deadline_in_processes_yaml_is_a_finding_not_a_crash(workspace_with, mars):
    processes = f"processes:\n  agency-event:\n    steps:\n      event:\n        due: {'5' * 5000} days after date\n"
    root = workspace_with({**GOOD, "processes.yaml": processes})
    for command in (("check",), ("list",), ("overdue",), ("status",)):
        result = mars("-w", root, *command, "--as-of", AS_OF)
        assert result.code in (0, 1, 2) and "unexpected error" not in result.text, (command, result.text)
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert "processes.yaml:5: error" in result.out and "is longer than ten years" in result.out, result.out


def test_limits__a_huge_number_in_mars_yaml_stops_with_its_line(workspace_with, mars):
    config = CONFIG.replace("as_of:", f"due_soon_days: {'7' * 30}\nas_of:", 1) if "as_of:" in CONFIG else \
        CONFIG + f"due_soon_days: {'7' * 30}\n"
    root = workspace_with(GOOD, config=config)
    result = mars("-w", root, "list")
    line = config.splitlines().index(f"due_soon_days: {'7' * 30}") + 1
    assert result.code == 2 and f"mars.yaml:{line}: this number has more than 20 digits" in result.err, result.text


CASE_ID = "clos-2025-06-01-case-aaaa"
CASE = f"records/case-line-of-sight/2025-26/{CASE_ID}.md"


def test_subjects__a_malformed_date_of_birth_is_named_but_never_printed(workspace_with, mars):
    text = record("case-line-of-sight", CASE_ID, status="requested", owner="officer-1", more="""
        subjects:
          - name: Jordan Example
            role: child
            dob: 12/03/2015
        """).replace("marking: OFFICIAL", "marking: OFFICIAL-SENSITIVE")
    root = workspace_with({CASE: text})
    for fmt in ("text", "json"):
        result = mars("-w", root, "check", "--format", fmt, "--as-of", AS_OF)
        assert "12/03/2015" not in result.text and "2015-03-12 for 12 March 2015" in result.text, result.text
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert f"{CASE}:12: error bad-value subjects.0.dob: is not a date written YYYY-MM-DD (the value is not " \
           "shown here, as it is personal data" in result.out, result.out


def test_limits__check_lists_at_most_500_problems_of_one_record_and_says_so(workspace_with, mars):
    updates = "".join(f"  - {{date: 2025-08-01, note: n, by: nobody-{i}}}\n" for i in range(600))
    root = workspace_with({**GOOD, BROKEN_ACTION: action("updates:\n" + updates)})
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    found = [f for f in json.loads(result.out)["findings"]
             if f["path"] == BROKEN_ACTION and f["rule"].startswith("record.")]
    assert len(found) == limits.MAX_FINDINGS_PER_FILE + 1  # (the action's own rules, such as overdue, still run)
    assert found[0]["code"] == "too-many-findings" and found[0]["line"] == 2
    assert found[0]["message"] == "this file has more than 500 problems; only the first 500 are listed"


def test_scan__reads_ascii_in_bulk_exactly_as_one_character_at_a_time():
    """The personal-data scan's fast reading of ASCII gives the text and offsets the careful one did."""
    import random

    from mars_cli.model import personal_data

    def one_at_a_time(text):
        out, kept = [], []
        for i, ch in enumerate(text):
            if personal_data._INVISIBLE.match(ch):
                continue
            for c in personal_data._plain(ch):
                out.append(c)
                kept.append(i)
        return "".join(out), kept

    alphabet = "ab XZ-'\n\t\r\x00\x07\x7f19é\u200bＺ\u2013\u2019ﬁoë\u00a0Кд"
    chance = random.Random(13)
    for _ in range(2000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 30)))
        seen = personal_data._Seen(text)
        assert (seen.lined, list(seen._kept)) == one_at_a_time(text), repr(text)


def test_scan__a_name_is_found_whatever_its_case_and_look_alike_letters():
    from mars_cli.model import personal_data

    for text in ("JORDAN SMITH was seen", "jordan-smith.pdf", "Jоrdan Smith (Cyrillic o)", "Smith, Jordan",
                 "Jorda\u0301n Smi\u200bth"):
        assert [h.kind for h in personal_data.find(text, ["Jordan Smith"])] == [personal_data.SUBJECT], text
    assert personal_data.find("Jordan Smyth was seen", ["Jordan Smith"]) == []


def test_subjects__a_name_written_as_a_field_is_named_but_never_printed(workspace_with, mars):
    text = record("case-line-of-sight", CASE_ID, status="requested", owner="officer-1", more="""
        subjects:
          - Jordan Smith: 12/03/2015
            role: child
        """).replace("marking: OFFICIAL", "marking: OFFICIAL-SENSITIVE")
    root = workspace_with({CASE: text})
    result = mars("-w", root, "check", "--as-of", AS_OF)
    assert "Jordan" not in result.text and "12/03/2015" not in result.text, result.text
    assert f"{CASE}:10: warning unknown-key subjects.0 has a field that is not one of name, ref, role, dob" in result.out
