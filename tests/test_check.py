"""`mars check`: every planted fault is reported with its file and line, all at once.

Each bad-input case asserts the message, the exit code, and that nothing on
disk changed. None may produce a traceback.
"""

from __future__ import annotations

import json

import pytest
from conftest import CONFIG, record, snapshot

CALLIN = "records/call-in/2025-26/ci-2025-06-01-test-aaaa.md"


def good_callin(**fields) -> str:
    """A valid call-in; the fields given come after `agency:` on line 8, from line 9 on."""
    return record("call-in", "ci-2025-06-01-test-aaaa", **{"status": "proposed", "agency": "trust", **fields})


def check(mars, root, *extra):
    before = snapshot(root)
    result = mars("-w", root, "check", *extra)
    assert snapshot(root) == before, "check must never change a file"
    assert "Traceback" not in result.text
    return result


def test_check__clean_workspace_exits_0(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin()})
    result = check(mars, root)
    assert result.code == 0
    assert "No problems found in 1 record" in result.out


# --------------------------------------------------------------------------- bad input, one per case

BAD_INPUT = [
    # (file content, expected line, code, words in the message)
    ("---\nid: x\nkind: call-in\ntitle: [unclosed\n---\n", 5, "yaml-syntax", "not valid YAML"),
    ("# Just a heading\n\nNo front matter here.\n", 1, "no-front-matter", "no front matter"),
    ("", 1, "empty-file", "the file is empty"),
    ("   \n\n", 1, "empty-file", "the file is empty"),
    (b"---\nid: x\ntitle: caf\xe9\n---\n", 3, "not-utf8", "not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "binary-file", "binary file"),
    ("---\nid: x\nkind: call-in\ntitle: never closed\n", 1, "unclosed-front-matter", "never closed"),
    ("---\n- a\n- b\n---\n", 2, "front-matter-not-mapping", "key: value"),
]


@pytest.mark.parametrize("content,line,code,words", BAD_INPUT, ids=[c for _, _, c, _ in BAD_INPUT])
def test_check__bad_file_is_reported_not_crashed(workspace_with, mars, content, line, code, words):
    root = workspace_with({"records/call-in/2025-26/broken.md": content})
    result = check(mars, root)
    assert result.code == 1
    assert f"records/call-in/2025-26/broken.md:{line}: error {code} " in result.out
    assert words in result.out
    assert "hint:" in result.out


def test_check__unknown_kind_with_did_you_mean(workspace_with, mars):
    text = good_callin().replace("kind: call-in", "kind: agency-evnt")
    root = workspace_with({CALLIN: text})
    result = check(mars, root)
    assert result.code == 1
    assert f"{CALLIN}:3: error unknown-kind 'agency-evnt' is not a kind" in result.out
    assert "Did you mean 'agency-event'?" in result.out


def test_check__duplicate_keys_are_errors_not_silently_merged(workspace_with, mars):
    text = good_callin().replace("agency: trust", "agency: trust\nagency: housing")
    root = workspace_with({CALLIN: text})
    result = check(mars, root)
    assert result.code == 1
    line = text.splitlines().index("agency: housing") + 1
    assert f"{CALLIN}:{line}: error duplicate-key 'agency' is given twice" in result.out


def test_check__wrong_types(workspace_with, mars):
    text = record("agency-event", "ae-2025-06-01-test-aaaa", status="proposed", agency="trust",
                  young_scrutineers="three", scrutineers="iso-1")
    root = workspace_with({"records/agency-event/2025-26/ae-2025-06-01-test-aaaa.md": text})
    result = check(mars, root)
    assert result.code == 1
    assert ":9: error bad-value young_scrutineers: should be a whole number of 0 or more, not 'three'" in result.out
    assert ":10: error bad-value scrutineers: should be a list of person IDs, not a single value" in result.out
    assert "Write it as a list: [iso-1]" in result.out


def test_check__uk_style_date_gets_iso_suggestion(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin(date="05/03/2026")})
    result = check(mars, root)
    assert result.code == 1
    assert f"{CALLIN}:9: error bad-value date: '05/03/2026' is not an ISO date" in result.out
    assert "for 5 March 2026 write 2026-03-05" in result.out


def test_check__impossible_date(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin(date="2026-02-30")})
    result = check(mars, root)
    assert "error bad-value date: '2026-02-30' is not a real date" in result.out


def test_check__yaml_1_2_no_is_text_not_false(workspace_with, mars):
    # In YAML 1.1 (PyYAML) `no` would silently become false; mars reads YAML 1.2.
    text = record("iso-activity", "iso-2025-06-01-test-aaaa", status="done", iso="iso-1", days=1,
                  within_framework="no")
    root = workspace_with({"records/iso-activity/2025-26/iso-2025-06-01-test-aaaa.md": text})
    result = check(mars, root)
    assert "within_framework: should be true or false, not 'no'" in result.out


def test_check__unknown_key_is_a_warning_with_did_you_mean(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin(agnecy="trust")})
    result = check(mars, root)
    assert result.code == 0
    assert f"{CALLIN}:9: warning unknown-key 'agnecy' is not a field" in result.out
    assert "Did you mean 'agency'?" in result.out
    assert check(mars, root, "--strict").code == 1


def test_check__missing_required_field(workspace_with, mars):
    text = good_callin().replace("agency: trust\n", "")
    root = workspace_with({CALLIN: text})
    result = check(mars, root)
    assert result.code == 1
    assert "error missing-field required field 'agency' is missing" in result.out


def test_check__status_not_allowed_for_kind(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin(status="published")})
    result = check(mars, root)
    assert f"{CALLIN}:5: error bad-value status: 'published' is not allowed here" in result.out
    assert "proposed, scheduled, held, closed" in result.out


def test_check__references_must_exist(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin(agency="trsut", owner="nobody", related="[ap-missing]")})
    result = check(mars, root)
    assert result.code == 1
    assert f"{CALLIN}:8: error unknown-agency agency: 'trsut' is not an agency in mars.yaml" in result.out
    assert "Did you mean 'trust'?" in result.out
    assert f"{CALLIN}:9: error unknown-person owner: 'nobody'" in result.out
    assert f"{CALLIN}:10: error unknown-record related: 'ap-missing'" in result.out


def test_check__duplicate_ids_report_both_files(workspace_with, mars):
    other = "records/call-in/2025-26/copy.md"
    root = workspace_with({CALLIN: good_callin(), other: good_callin()})
    result = check(mars, root)
    assert result.code == 1
    assert f"{CALLIN}:2: error duplicate-id ID 'ci-2025-06-01-test-aaaa' is also used by {other}" in result.out
    assert f"{other}:2: error duplicate-id" in result.out


def test_check__file_in_wrong_place(workspace_with, mars):
    wrong = "records/call-in/2024-25/ci-2025-06-01-test-aaaa.md"
    root = workspace_with({wrong: good_callin()})
    result = check(mars, root)
    assert result.code == 1
    assert f"{wrong}:1: error wrong-place" in result.out
    assert f"belongs at {CALLIN}" in result.out


def test_check__kind_in_wrong_folder(workspace_with, mars):
    wrong = "records/voice/2025-26/ci-2025-06-01-test-aaaa.md"
    root = workspace_with({wrong: good_callin()})
    assert f"belongs at {CALLIN}" in check(mars, root).out


def test_check__reports_all_findings_at_once(workspace_with, mars):
    root = workspace_with({
        CALLIN: good_callin(date="31/12/2025"),
        "records/voice/2025-26/empty.md": "",
        "records/voice/2025-26/bad.md": "---\nkind: [\n---\n",
    })
    result = check(mars, root)
    assert result.out.count(": error ") == 3
    assert "3 errors, 0 warnings in 1 record." in result.out


def test_check__subjects_only_on_case_records(workspace_with, mars):
    text = good_callin() .replace("---\n\n#", "subjects:\n  - name: Child A\n---\n\n#")
    root = workspace_with({CALLIN: text})
    result = check(mars, root)
    assert "error subjects-not-allowed" in result.out


def test_check__ratings_use_the_scale_and_question_set(workspace_with, mars):
    text = record("section11", "s11-2025-06-01-test-aaaa", status="returned", agency="trust") .replace(
        "---\n\n#", "ratings:\n  leadership:\n    rating: purple\n    comment: ok\n  trainig:\n    rating: green\n---\n\n#")
    root = workspace_with({"records/section11/2025-26/s11-2025-06-01-test-aaaa.md": text})
    result = check(mars, root)
    assert ":11: error bad-rating ratings.leadership.rating: 'purple' is not on the rating scale" in result.out
    assert ":13: warning unknown-standard 'trainig'" in result.out
    assert "Did you mean 'training'?" in result.out


def test_check__section11_only_for_agencies_with_the_duty(workspace_with, mars):
    text = record("section11", "s11-2025-06-01-test-aaaa", status="draft", agency="housing")
    root = workspace_with({"records/section11/2025-26/s11-2025-06-01-test-aaaa.md": text})
    assert "error agency-not-section11 Testshire Homes has no Section 11 duty" in check(mars, root).out


def test_check__schools_audit_needs_a_school(workspace_with, mars):
    text = record("schools-audit", "sch-2025-06-01-test-aaaa", status="draft", agency="trust", kcsie_edition=2025)
    root = workspace_with({"records/schools-audit/2025-26/sch-2025-06-01-test-aaaa.md": text})
    assert "error wrong-agency-type" in check(mars, root).out


# --------------------------------------------------------------------------- mars.yaml

def test_check__config_that_does_not_parse_exits_2_naming_its_line(workspace_with, mars):
    root = workspace_with(config="partnership: X\npartners:\n  - id: a\n   name: b\n")
    result = check(mars, root)
    assert result.code == 2
    assert "mars.yaml:4: mars.yaml is not valid YAML" in result.err


def test_check__config_problems_are_findings_with_lines(workspace_with, mars):
    config = CONFIG.replace("default_marking: OFFICIAL", "default_marking: SECRET\nreporting_yaer_start: 4") \
                   .replace("lead: lsp-health", "lead: lsp-helth")
    root = workspace_with(config=config)
    result = check(mars, root)
    assert result.code == 1
    assert "mars.yaml:3: error bad-setting default_marking 'SECRET' is not a marking" in result.out
    assert "mars.yaml:4: warning unknown-key unknown setting 'reporting_yaer_start'" in result.out
    assert "mars.yaml:12: error unknown-person partner 'health' lead 'lsp-helth' is not in people" in result.out


def test_check__duplicate_key_in_config(workspace_with, mars):
    root = workspace_with(config=CONFIG + "partnership: Other\n")
    result = check(mars, root)
    assert f"mars.yaml:{CONFIG.count(chr(10)) + 1}: error duplicate-key 'partnership' is given twice" in result.out


def test_check__no_workspace_exits_2(tmp_path, mars):
    result = mars("check", cwd=tmp_path)
    assert result.code == 2
    assert "no mars workspace here" in result.err
    assert "mars init" in result.err


# --------------------------------------------------------------------------- JSON

def test_check__json_form(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin(date="05/03/2026", agnecy="x")})
    result = check(mars, root, "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["schema_version"] == 2 and doc["kind"] == "check"
    first = doc["findings"][0]
    assert set(first) == {"path", "line", "severity", "code", "rule", "source", "message", "hint"}
    assert {(f["path"], f["line"], f["severity"], f["code"]) for f in doc["findings"]} == {
        (CALLIN, 9, "error", "bad-value"), (CALLIN, 10, "warning", "unknown-key")}


def test_check__record_outside_records_folder_is_reported(workspace_with, mars):
    root = workspace_with({"notes/ci.md": good_callin(), "README.md": "# About this workspace\n"})
    result = check(mars, root)
    assert result.code == 1
    assert "notes/ci.md:1: error outside-records this looks like a record but is outside records/" in result.out
    assert "README.md" not in result.out


def test_check__role_must_name_a_real_agency_or_partner(workspace_with, mars):
    config = CONFIG.replace("roles: [mars-officer]", "roles: [mars-officer, 'head:hill-primry', 'dsp:polce']")
    result = check(mars, workspace_with(config=config))
    assert "error bad-role role 'head:hill-primry' must name one of the agencies" in result.out
    assert "Did you mean 'hill-primary'?" in result.out
    assert "error bad-role role 'dsp:polce' must name one of the partners" in result.out


def test_check__config_slips_are_reported_at_their_lines(workspace_with, mars):
    """An id used twice, a mistyped role, a standard listed twice, an allowance that is not a number."""
    config = (CONFIG.replace("  - id: housing", "  - id: trust")
              .replace("roles: [iso]", "roles: [isso]")
              .replace("{id: recruitment, title: Safer recruitment}", "{id: dsl, title: Safer recruitment}")
              + "iso_allowance: {days: fifteen, basis: per-person}\n")
    lines = config.splitlines()

    def line(text: str) -> int:  # the last line holding it (the second `id: trust`)
        return max(i for i, written in enumerate(lines, 1) if text in written)

    result = check(mars, workspace_with(config=config))
    assert result.code == 1
    for expected in (
            f"mars.yaml:{line('- id: trust')}: error duplicate-id agencies id 'trust' is used twice",
            f"mars.yaml:{line('isso')}: warning unknown-role role 'isso' is not one mars knows",
            f"mars.yaml:{line('  schools:')}: error duplicate-id standard 'dsl' is listed twice in 'schools'",
            f"mars.yaml:{line('iso_allowance')}: error bad-setting iso_allowance days must be a number",
            f"mars.yaml:{line('iso_allowance')}: error bad-setting iso_allowance basis 'per-person' is unknown"):
        assert expected in result.out, expected
    assert "Did you mean 'iso'?" in result.out


def test_check__config_sections_of_the_wrong_shape(workspace_with, mars):
    config = CONFIG.split("rating_scale:")[0] + "standards: [a, b]\niso_allowance: 15\npeople_extra: 1\n"
    result = check(mars, workspace_with(config=config))
    assert result.code == 1
    assert "error bad-setting standards must be a set of named question sets" in result.out
    assert "error bad-setting iso_allowance must have `days:` and `basis:`" in result.out


def test_check__impossible_numbers_and_ids(workspace_with, mars):
    text = record("iso-activity", "iso-2025-06-01-test-aaaa", status="done", iso="iso-1", days=".nan")
    other = record("voice", "20250925", status="held")
    root = workspace_with({"records/iso-activity/2025-26/iso-2025-06-01-test-aaaa.md": text,
                           "records/voice/2025-26/20250925.md": other})
    result = check(mars, root)
    assert "days: should be a number of 0 or more, not the number nan" in result.out
    assert "records/voice/2025-26/20250925.md:2: error bad-value id: the number 20250925 is not a usable ID" \
        in result.out


def test_check__reporting_year_labels(workspace_with, mars):
    text = record("annual-report", "ar-2025-06-01-test-aaaa", status="drafting", year="2025")
    root = workspace_with({"records/annual-report/2025-26/ar-2025-06-01-test-aaaa.md": text})
    assert "year: the number 2025 is not a reporting year" in check(mars, root).out


def test_check__commissioners_must_be_agencies(workspace_with, mars):
    config = CONFIG.replace("    type: health\n    section11: true\n",
                            "    type: health\n    section11: true\n    commissioners: [icb]\n", 1)
    result = check(mars, workspace_with(config=config))
    assert "error unknown-agency agency 'trust' commissioners 'icb' is not in agencies" in result.out


def test_check__an_unreadable_record_is_reported_once_not_in_every_file_citing_it(workspace_with, mars):
    broken = "records/voice/2025-26/voice-2025-06-01-forum-bbbb.md"
    root = workspace_with({CALLIN: good_callin(related="[voice-2025-06-01-forum-bbbb]"),
                           broken: "---\ntitle: [\n---\n"})
    result = check(mars, root)
    assert result.out.count(": error ") == 1 and f"{broken}:" in result.out


def test_check__json_rule_names_where_a_framework_rule_comes_from(workspace_with, mars):
    text = record("agency-event", "ae-2025-06-01-test-aaaa", status="proposed", agency="housing")
    root = workspace_with({"records/agency-event/2025-26/ae-2025-06-01-test-aaaa.md": text})
    doc = json.loads(check(mars, root, "--format", "json").out)
    found = {f["code"]: f for f in doc["findings"]}
    assert found["agency-not-section11"]["rule"] == "record.agency-not-section11"
    assert found["agency-not-section11"]["source"] == "Framework §2, Agency Specific Assurance Events"


def test_check__a_quoted_iso_date_is_text_and_the_hint_says_remove_the_quotes(workspace_with, mars):
    root = workspace_with({CALLIN: good_callin(date="'2025-09-01'")})
    result = check(mars, root)
    assert result.code == 1
    assert f"{CALLIN}:9: error" in result.out and "'2025-09-01' is in quotes, so it is text, not a date" in result.out
    assert "Remove the quotes around it." in result.out


def test_did_you_mean__finds_a_mistyped_id_among_thousands():
    """Among thousands of record IDs only the likely ones are compared (the same kind and day, or the
    same four characters at the end), and the right one is still suggested for the usual slips."""
    from mars_cli.model.fields import _likely, did_you_mean

    ids = [f"act-2025-{1 + n % 12:02d}-{1 + n % 28:02d}-train-the-{n}-teams-{n:04x}" for n in range(5000)]
    meant = ids[1234]
    for slip in (meant[:-1] + "z",                  # the last of the four characters
                 meant.replace("2025", "2024", 1),   # the year of the day it was created
                 meant.replace("train", "trian"),    # the title
                 meant.upper()):                     # capitals
        assert did_you_mean(slip, ids) == f" Did you mean '{meant}'?", slip
    assert len(_likely(meant[:-1] + "z", ids)) < 500
    assert did_you_mean("ae-2031-01-01-nothing-like-it-zzzz", ids) == ""
