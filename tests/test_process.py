"""Processes as data: recording steps and sign-offs, overriding the rules, timelines and status.

The breach of every shipped rule is in tests/breaches/; here are the commands and the data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os

from conftest import CONFIG, record, snapshot

from mars_cli.framework import processes as process
from mars_cli.model import dates

EVENT_ID = "ae-2025-06-01-trust-event-abcd"
EVENT_PATH = f"records/agency-event/2025-26/{EVENT_ID}.md"
EVENT = f"""\
---
id: {EVENT_ID}
kind: agency-event
title: Trust assurance event   # chosen at the June Board
status: proposed
marking: OFFICIAL
created: 2025-06-01
agency: trust
date: 2025-10-20
lead_iso: iso-1
---

# Trust assurance event

## Findings
The emergency department knows which children are known to social care.
"""

# The trust's own people, and a deputy for when the portfolio lead is from the agency scrutinised.
CONFIG_WITH_DEPUTY = CONFIG.replace(
    "  - {id: dsp-health, name: Dan Delegate, email: dan@example.org, roles: [portfolio-lead]}",
    "  - {id: dsp-health, name: Dan Delegate, email: dan@example.org, roles: [portfolio-lead], agency: trust}\n"
    "  - {id: deputy, name: Deb Deputy, email: deb@example.org, roles: [portfolio-deputy]}")


def endorse(mars, root, day="2025-06-10"):
    for person, role in (("dsp-council", "dsp:council"), ("dsp-health", "dsp:health"), ("dsp-police", "dsp:police")):
        result = mars("-w", root, "signoff", EVENT_ID, "--for", "agency", "--by", person, "--as", role, "--date", day,
                      "--evidence", "Board minutes", "--as-of", "2025-11-01")
        assert result.code == 0, result.text


def draft_letter(mars, root, day="2025-10-25"):
    result = mars("-w", root, "step", EVENT_ID, "letter-drafted", "--done", "--date", day, "--as-of", "2025-11-01")
    assert result.code == 0, result.text


def hold_event_and_agree_letter(mars, root):
    """Endorsed, held on 20 October 2025, letter drafted and agreed by the portfolio lead on 30 October."""
    endorse(mars, root)
    assert mars("-w", root, "step", EVENT_ID, "event", "--done", "--date", "2025-10-20", "--as-of", "2025-11-01").code == 0
    draft_letter(mars, root)
    agreed = mars("-w", root, "signoff", EVENT_ID, "--for", "letter", "--by", "dsp-health", "--as", "portfolio-lead",
                  "--date", "2025-10-30", "--as-of", "2025-11-01")
    assert agreed.code == 0, agreed.text


def findings(mars, root, as_of):
    result = mars("-w", root, "check", "--format", "json", "--as-of", as_of)
    return json.loads(result.out)["findings"]


# --------------------------------------------------------------------------- the shipped data

def test_shipped_processes_load_without_a_finding():
    processes, problems = process.build(None)
    assert problems == []
    assert processes.get("agency-event").steps["return-sent"].due.text == "6 weeks before date"


def test_working_days_skip_weekends_and_england_bank_holidays():
    # Friday 19 December 2025 + 15 working days: Christmas, Boxing Day and New Year's Day do not count.
    assert dates.shift(dt.date(2025, 12, 19), 15, "working days") == dt.date(2026, 1, 14)
    assert dates.shift(dt.date(2026, 1, 31), 1, "months") == dt.date(2026, 2, 28)
    # outside the written-out years the holidays package answers: Christmas 2050 is a Sunday, so the
    # bank holidays are Monday 26 and Tuesday 27 December
    assert dates.shift(dt.date(2050, 12, 23), 1, "working days") == dt.date(2050, 12, 28)


def test_the_written_out_bank_holidays_are_the_holidays_package_s():
    """The file of bank holidays mars reads is the package's, year by year, names included; when a new
    release of the package adds a bank holiday (a coronation, a jubilee), this fails:
    MARS_UPDATE_EXPECTED=1 python -m pytest tests/test_process.py rewrites the file."""
    lines = ["# England and Wales bank holidays, from the holidays package (tests/test_process.py)"]
    for year in dates.TABLED_YEARS:
        lines += [f"{day.isoformat()} {name}" for day, name in sorted(dates.library_bank_holidays(year).items())]
    expected = "\n".join(lines) + "\n"
    if os.environ.get("MARS_UPDATE_EXPECTED"):
        dates.BANK_HOLIDAYS_FILE.write_text(expected, encoding="utf-8")
    assert dates.BANK_HOLIDAYS_FILE.read_text(encoding="utf-8") == expected
    assert dt.date(2023, 5, 8) in dates._bank_holidays(2023)  # the coronation's bank holiday


# --------------------------------------------------------------------------- mars step

def test_step__refused_without_the_endorsements_and_nothing_is_written(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    before = snapshot(root)
    result = mars("-w", root, "step", EVENT_ID, "event", "--done", "--date", "2025-10-20", "--as-of", "2025-11-01")
    assert result.code == 1
    assert "cannot be recorded as done on 20 October 2025" in result.err
    assert "sign-off 'agency' from Testshire Council (dsp:council or lsp:council)" in result.err
    assert snapshot(root) == before


def test_step__endorsements_given_after_the_event_do_not_open_the_gate(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    endorse(mars, root, day="2025-10-25")  # after the event date
    result = mars("-w", root, "step", EVENT_ID, "event", "--done", "--date", "2025-10-20", "--as-of", "2025-11-01")
    assert result.code == 1 and "cannot be recorded as done" in result.err


def test_step__changes_only_the_lines_it_must(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    endorse(mars, root)
    before = (root / EVENT_PATH).read_text()
    result = mars("-w", root, "step", EVENT_ID, "event", "--done", "--date", "2025-10-20", "--by", "officer-1",
                  "--as-of", "2025-11-01")
    assert result.code == 0, result.text
    assert "Status: held" in result.err  # the furthest step done: the selection letter, not recorded, holds nothing back
    after = (root / EVENT_PATH).read_text()
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changed == ["- status: endorsed", "+ status: held",
                       "+ steps:", "+   - step: event", "+     date: 2025-10-20", "+     by: officer-1"]
    assert "title: Trust assurance event   # chosen at the June Board" in after


def test_step__keeps_the_written_status_in_step(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    endorse(mars, root)
    text = (root / EVENT_PATH).read_text()
    assert "status: endorsed" in text  # the third endorsement moved it on
    for step, day in (("selection-letter", "2025-06-20"), ("event", "2025-10-20")):
        assert mars("-w", root, "step", EVENT_ID, step, "--done", "--date", day, "--as-of", "2025-11-01").code == 0
    assert "status: held" in (root / EVENT_PATH).read_text()
    listed = json.loads(mars("-w", root, "list", "--status", "held", "--format", "json", "--as-of", "2025-11-01").out)
    assert [r["id"] for r in listed["records"]] == [EVENT_ID]


def test_step__a_field_step_sets_its_field(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    hold_event_and_agree_letter(mars, root)
    result = mars("-w", root, "step", EVENT_ID, "letter-sent", "--done", "--date", "2025-10-31", "--as-of", "2025-11-01")
    assert result.code == 0, result.text
    assert "letter_sent: 2025-10-31" in (root / EVENT_PATH).read_text()


def test_step__usage_mistakes(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    before = snapshot(root)
    cases = [
        (("event",), "say --done or --skip"),
        (("evnet", "--done"), "Did you mean 'event'?"),
        (("endorsed", "--done"), "is done by its sign-offs"),
        (("programme", "--done", "--date", "2025-12-01"), "is after today"),
        (("event", "--skip", "--note", "not needed"), "cannot be skipped"),
        (("return-sent", "--skip"), "--skip needs --note"),
    ]
    for args, message in cases:
        result = mars("-w", root, "step", EVENT_ID, *args, "--as-of", "2025-11-01")
        assert result.code in (1, 2) and message in result.err, (args, result.err)
    for args in ((EVENT_ID, "--done"), (f"{EVENT_ID}:", "--done"), (":event", "--done")):
        result = mars("-w", root, "step", *args, "--as-of", "2025-11-01")
        assert result.code == 2 and "say which step" in result.err and "ID:STEP" in result.err, (args, result.err)
    assert snapshot(root) == before


def test_step__takes_id_and_step_as_overdue_lists_them(workspace_with, mars):
    """`mars overdue` lists a step as ID:STEP: pasted as one argument, it is the record and its step."""
    root = workspace_with({EVENT_PATH: EVENT})
    hold_event_and_agree_letter(mars, root)
    result = mars("-w", root, "step", f"{EVENT_ID}:letter-sent", "--done", "--date", "2025-10-31", "--as-of", "2025-11-01")
    assert result.code == 0, result.text
    assert "letter_sent: 2025-10-31" in (root / EVENT_PATH).read_text()


def test_step__skip_an_optional_step_with_a_reason(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    result = mars("-w", root, "step", EVENT_ID, "return-sent", "--skip", "--note", "May return still current",
                  "--date", "2025-08-01", "--as-of", "2025-11-01")
    assert result.code == 0, result.text
    codes = [(f["code"], f["rule"]) for f in findings(mars, root, "2025-11-01")]
    assert ("step-overdue", "agency-event.return-sent.due") not in codes
    again = mars("-w", root, "step", EVENT_ID, "return-sent", "--done", "--as-of", "2025-11-01")
    assert again.code == 1 and "already recorded as skipped" in again.err


# --------------------------------------------------------------------------- mars signoff

def test_signoff__refusals_write_nothing(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    before = snapshot(root)
    cases = [
        (("--for", "agency", "--by", "dsp-police", "--as", "dsp:health"), "does not hold the role dsp:health"),
        (("--for", "agency", "--by", "iso-1", "--as", "iso"), "is not signed off as 'iso'"),
        (("--for", "agenda", "--by", "dsp-police", "--as", "dsp:police"), "Did you mean 'agency'?"),
        (("--for", "agency", "--by", "nobody", "--as", "dsp:police"), "is not a person in mars.yaml"),
        (("--for", "agency", "--by", "dsp-police", "--as", "dsp:police", "--date", "2026-01-01"), "is after today"),
    ]
    for args, message in cases:
        result = mars("-w", root, "signoff", EVENT_ID, *args, "--as-of", "2025-11-01")
        assert result.code in (1, 2) and message in result.err, (args, result.err)
    assert snapshot(root) == before


def test_signoff__the_portfolio_lead_from_the_agency_scrutinised_is_refused(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT}, config=CONFIG_WITH_DEPUTY)
    before = snapshot(root)
    result = mars("-w", root, "signoff", EVENT_ID, "--for", "letter", "--by", "dsp-health", "--as", "portfolio-lead",
                  "--as-of", "2025-11-01")
    assert result.code == 1
    assert "works for Testshire Hospitals NHS Trust, the agency under scrutiny" in result.err
    assert "portfolio-deputy" in result.err and snapshot(root) == before
    draft_letter(mars, root)
    deputy = mars("-w", root, "signoff", EVENT_ID, "--for", "letter", "--by", "deputy", "--as", "portfolio-deputy",
                  "--as-of", "2025-11-01")
    assert deputy.code == 0, deputy.text


def test_signoff__stores_evidence_and_a_fingerprint_and_goes_stale_on_change(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    endorse(mars, root)
    draft_letter(mars, root)
    mars("-w", root, "signoff", EVENT_ID, "--for", "letter", "--by", "dsp-health", "--as", "portfolio-lead",
         "--date", "2025-10-30", "--evidence", "e-mail 30 October", "--as-of", "2025-11-01")
    text = (root / EVENT_PATH).read_text()
    assert "    evidence: e-mail 30 October\n    hash: " in text
    assert [f for f in findings(mars, root, "2025-11-01") if f["code"] == "signoff-stale"] == []
    (root / EVENT_PATH).write_text(text.replace("knows which children", "does not know which children"))
    stale = [f for f in findings(mars, root, "2025-11-01") if f["code"] == "signoff-stale"]
    assert len(stale) == 1 and "the sign-off of 'letter' by dsp-health" in stale[0]["message"]  # the endorsements stay fresh
    shown = mars("-w", root, "show", EVENT_ID, "--as-of", "2025-11-01").out
    assert "STALE: re-approval needed" in shown
    blocked = mars("-w", root, "step", EVENT_ID, "letter-sent", "--done", "--as-of", "2025-11-01")
    assert blocked.code == 1 and "re-approval of 'letter'" in blocked.err
    again = mars("-w", root, "signoff", EVENT_ID, "--for", "letter", "--by", "dsp-health", "--as", "portfolio-lead",
                 "--as-of", "2025-11-01")
    assert again.code == 0 and not [f for f in findings(mars, root, "2025-11-01") if f["code"] == "signoff-stale"]


def test_signoff__the_same_approval_twice_is_refused(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    endorse(mars, root)
    result = mars("-w", root, "signoff", EVENT_ID, "--for", "agency", "--by", "dsp-police", "--as", "dsp:police",
                  "--as-of", "2025-11-01")
    assert result.code == 1 and "has already signed off" in result.err


# --------------------------------------------------------------------------- show and the timeline

def test_show__timeline_with_due_dates_states_and_sources(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    out = mars("-w", root, "show", EVENT_ID, "--as-of", "2025-09-01").out
    assert "Process, as of 1 September 2025: status proposed" in out
    assert "OVERDUE   return-sent" not in out
    assert "due soon  return-sent: Section 11 return sent to the agency to update" in out
    assert "due 8 September 2025 (6 weeks before `date`)" in out
    assert 'this should be no later than six weeks prior to the proposed date' in out
    assert "blocked   letter-sent" in out and "missing   Testshire Police (dsp:police or lsp:police)" in out
    doc = json.loads(mars("-w", root, "show", EVENT_ID, "--format", "json", "--as-of", "2025-09-10").out)
    steps = {s["step"]: s for s in doc["process"]["steps"]}
    assert steps["return-sent"]["state"] == "overdue" and steps["return-sent"]["due"] == "2025-09-08"


# --------------------------------------------------------------------------- a workspace's own rules

EIGHT_WEEKS = """\
# Our Board republished the framework: the return goes out eight weeks ahead.
processes:
  agency-event:
    steps:
      return-sent:
        due: 8 weeks before date
"""


def test_override__eight_weeks_changes_every_date_and_check(workspace_with, mars):
    shipped = workspace_with({EVENT_PATH: EVENT})
    rules = lambda f: [x["rule"] for x in f]
    assert "agency-event.return-sent.due" not in rules(findings(mars, shipped, "2025-09-01"))
    shipped.rename(shipped.parent / "shipped")

    ours = workspace_with({EVENT_PATH: EVENT, "processes.yaml": EIGHT_WEEKS})
    found = findings(mars, ours, "2025-09-01")
    late = [f for f in found if f["rule"].startswith("agency-event.return-sent.due")]
    assert len(late) == 1 and "was due on 25 August 2025 (8 weeks before `date`)" in late[0]["message"]
    assert "due 25 August 2025 (8 weeks before `date`)" in mars("-w", ours, "show", EVENT_ID, "--as-of", "2025-09-01").out
    table = json.loads(mars("-w", ours, "rules", "--format", "json").out)["rules"]
    assert any(r["id"] == "agency-event.return-sent.due" and "8 weeks before `date`" in r["what"] for r in table)


def test_override__null_removes_a_step_and_a_new_step_is_checked(workspace_with, mars):
    rules = """\
processes:
  agency-event:
    steps:
      return-sent: null
      young-people-briefed:
        label: Young scrutineers briefed
        due: 1 week before date
"""
    root = workspace_with({EVENT_PATH: EVENT, "processes.yaml": rules})
    found = [f["rule"] for f in findings(mars, root, "2025-10-15")]
    assert "agency-event.young-people-briefed.due" in found
    assert not any(r.startswith("agency-event.return-sent") for r in found)


def test_override__mistakes_are_reported_at_their_line_and_block_recording(workspace_with, mars):
    rules = """\
processes:
  agency-event:
    steps:
      return-sent:
        due: six weeks before date
      event:
        status: happened
  hospital-visit:
    steps: {}
"""
    root = workspace_with({EVENT_PATH: EVENT, "processes.yaml": rules})
    found = {(f["path"], f["line"], f["code"]) for f in findings(mars, root, "2025-09-01")}
    assert ("processes.yaml", 5, "bad-process") in found
    assert ("processes.yaml", 7, "bad-process") in found
    assert ("processes.yaml", 8, "bad-process") in found
    before = snapshot(root)
    result = mars("-w", root, "step", EVENT_ID, "programme", "--done", "--as-of", "2025-09-01")
    assert result.code == 1 and "processes.yaml:5" in result.err and snapshot(root) == before


def test_override__not_yaml_stops_with_the_line(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT, "processes.yaml": "processes:\n  agency-event: [\n"})
    result = mars("-w", root, "check")
    assert result.code == 2 and "processes.yaml:" in result.err and "not valid YAML" in result.err


# --------------------------------------------------------------------------- status follows the steps

def test_status__written_status_that_contradicts_the_steps_is_a_warning(workspace_with, mars):
    root = workspace_with({"records/call-in/2025-26/ci-2025-06-01-trust-aaaa.md":
                           record("call-in", "ci-2025-06-01-trust-aaaa", status="held", agency="trust",
                                  date="2025-07-01")})
    found = [f for f in findings(mars, root, "2025-06-15") if f["code"] == "status-differs"]
    assert len(found) == 1 and found[0]["line"] == 5
    assert "status says 'held', but its steps say 'proposed'" in found[0]["message"]


# --------------------------------------------------------------------------- what a review found

def test_override__impossible_settings_are_errors_not_hangs_or_crashes(workspace_with, mars):
    rules = """\
processes:
  marpf:
    yearly:
      quarterly-overview:
        every: 0 months
  agency-event:
    steps:
      to-board:
        meeting: [board]
      return-sent:
        due: 99999999 months before date
  section11:
    yearly:
      every-duty-agency:
        cycle_years: 5000
"""
    root = workspace_with({EVENT_PATH: EVENT, "processes.yaml": rules})
    result = mars("-w", root, "check", "--format", "json", "--as-of", "2025-09-01")
    assert result.code == 1 and "Traceback" not in result.text
    lines = {(f["path"], f["line"]) for f in json.loads(result.out)["findings"] if f["code"] == "bad-process"}
    assert lines == {("processes.yaml", 5), ("processes.yaml", 9), ("processes.yaml", 11), ("processes.yaml", 15)}


def test_override__steps_that_need_each_other_are_an_error(workspace_with, mars):
    rules = "processes:\n  call-in:\n    steps:\n      scheduled:\n        needs: [meeting]\n" \
            "      meeting:\n        needs: [scheduled]\n"
    root = workspace_with({"processes.yaml": rules})
    found = [f for f in findings(mars, root, "2025-09-01") if f["code"] == "bad-process"]
    assert {f["line"] for f in found} == {5, 7} and "could never be recorded" in found[0]["message"]


def test_as_of__implausible_dates_are_refused(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    for day in ("0001-01-01", "9999-12-31"):
        result = mars("-w", root, "check", "--as-of", day)
        assert result.code == 2 and "is not a plausible date" in result.err
    assert "is not a real date" in mars("-w", root, "check", "--as-of", "2026-02-30").err


def test_step__never_takes_a_written_status_back(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT.replace("status: proposed", "status: held")})
    result = mars("-w", root, "step", EVENT_ID, "programme", "--done", "--date", "2025-09-01", "--as-of", "2025-09-01")
    assert result.code == 0 and "Status: proposed" in result.err  # what the steps say
    assert "status: held" in (root / EVENT_PATH).read_text()  # what the officer wrote stays


def test_step__already_recorded_later_is_refused_when_looking_back(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    assert mars("-w", root, "step", EVENT_ID, "programme", "--done", "--date", "2025-10-01",
                "--as-of", "2025-11-01").code == 0
    before = snapshot(root)
    result = mars("-w", root, "step", EVENT_ID, "programme", "--done", "--date", "2025-09-01", "--as-of", "2025-09-15")
    assert result.code == 1 and "already recorded as done on 1 October 2025" in result.err
    assert snapshot(root) == before


def test_signoff__with_no_partners_in_mars_yaml_endorsements_can_never_be_complete(workspace_with, mars):
    no_partners = CONFIG.split("partners:\n", 1)[0] + "partners: []\nagencies:\n" + CONFIG.split("agencies:\n", 1)[1]
    root = workspace_with({EVENT_PATH: EVENT.replace("lead_iso: iso-1\n", "")}, config=no_partners)
    result = mars("-w", root, "step", EVENT_ID, "event", "--done", "--date", "2025-10-20", "--as-of", "2025-11-01")
    assert result.code == 1 and "mars.yaml lists none" in result.err


def test_conflict_of_interest__anyone_from_the_partner_scrutinised(workspace_with, mars):
    config = CONFIG.replace("  - {id: officer-1, name: Hal Officer, email: hal@example.org, roles: [mars-officer]}",
                            "  - {id: officer-1, name: Hal Officer, email: hal@example.org, roles: [mars-officer]}\n"
                            "  - {id: pc-1, name: Ian Constable, email: ian@example.org, agency: police-force}")
    event = (EVENT.replace("agency: trust", "agency: police-force").replace(EVENT_ID, "ae-2025-06-01-police-abcd")
             .replace("lead_iso: iso-1", "scrutineers: [iso-1, pc-1]"))
    root = workspace_with({"records/agency-event/2025-26/ae-2025-06-01-police-abcd.md": event}, config=config)
    found = [f for f in findings(mars, root, "2025-07-01") if f["code"] == "conflict-of-interest"]
    assert len(found) == 1 and "Ian Constable represents Testshire Police" in found[0]["message"]


def test_step__a_field_step_keeps_who_and_a_note_beside_its_date(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    hold_event_and_agree_letter(mars, root)
    result = mars("-w", root, "step", EVENT_ID, "letter-sent", "--done", "--date", "2025-10-31", "--by", "officer-1",
                  "--note", "e-mailed to the chief nurse", "--as-of", "2025-11-01")
    assert result.code == 0, result.text
    text = (root / EVENT_PATH).read_text()
    assert "letter_sent: 2025-10-31" in text
    assert "  - step: letter-sent\n    date: 2025-10-31\n    by: officer-1\n    note: e-mailed to the chief nurse" in text
    assert [f for f in findings(mars, root, "2025-11-01") if f["code"] == "bad-step"] == []
    (root / EVENT_PATH).write_text(text.replace("letter_sent: 2025-10-31", "letter_sent: 2025-10-29"))
    bad = [f for f in findings(mars, root, "2025-11-01") if f["code"] == "bad-step"]
    assert len(bad) == 1 and "which says 2025-10-29, not 2025-10-31" in bad[0]["message"]


def test_signoff__a_letter_cannot_be_agreed_before_it_is_drafted(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    before = snapshot(root)
    result = mars("-w", root, "signoff", EVENT_ID, "--for", "letter", "--by", "dsp-health", "--as", "portfolio-lead",
                  "--date", "2025-08-01", "--as-of", "2025-11-01")
    assert result.code == 1 and "needs step 'letter-drafted' (Findings letter drafted) to be done first" in result.err
    assert f"mars step {EVENT_ID} letter-drafted --done" in result.err and snapshot(root) == before


def test_step__the_hint_names_the_command_for_each_thing_missing(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    endorse(mars, root)
    result = mars("-w", root, "step", EVENT_ID, "letter-sent", "--done", "--date", "2025-10-31", "--as-of", "2025-11-01")
    assert result.code == 1
    assert f"mars signoff {EVENT_ID} --for letter" in result.err
    assert f"mars step {EVENT_ID} event --done" in result.err and "--for event" not in result.err


def test_signoff__a_second_signoff_for_the_same_partner_is_kept_with_a_warning(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    endorse(mars, root)
    result = mars("-w", root, "signoff", EVENT_ID, "--for", "agency", "--by", "lsp-police", "--as", "lsp:police",
                  "--date", "2025-06-12", "--as-of", "2025-11-01")
    assert result.code == 0 and "Testshire Police (dsp:police or lsp:police) had already signed it off" in result.err


def test_override__names_signers_and_steps_that_could_never_work_are_errors(workspace_with, mars):
    rules = """\
processes:
  agency-event:
    approvals:
      2025-01-01:
        what: a date as a name
        signers: [iso]
      letter:
        signers: ["", "nobody-role", "head:{partner}"]
    steps:
      1:
        label: a number as a name
      letter-sent:
        meeting: board
      endorsed:
        status: closed
    conflict_of_interest:
      fields: [date]
  marpf:
    yearly:
      by-agency:
        check: every-agency
        cycle_years: 1
"""
    root = workspace_with({EVENT_PATH: EVENT, "processes.yaml": rules})
    result = mars("-w", root, "check", "--format", "json", "--as-of", "2025-09-01")
    assert "Traceback" not in result.text
    found = {f["line"] for f in json.loads(result.out)["findings"] if f["code"] == "bad-process"}
    assert found >= {4, 8, 10, 13, 15, 17, 21}
    step = mars("-w", root, "step", EVENT_ID, "nope", "--done", "--as-of", "2025-09-01")
    assert step.code == 1 and "processes.yaml" in step.err and "Traceback" not in step.text


def test_list__looking_back_leaves_out_records_not_yet_created(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    ids = lambda day: [r["id"] for r in json.loads(mars("-w", root, "list", "--format", "json",
                                                          "--as-of", day).out)["records"]]
    assert ids("2025-05-31") == [] and ids("2025-06-01") == [EVENT_ID]


def test_step__recorded_twice_is_an_error_and_a_null_list_takes_the_first_entry(workspace_with, mars):
    twice = EVENT.replace("lead_iso: iso-1\n", "lead_iso: iso-1\nsteps:\n  - {step: programme, date: 2025-09-01}\n"
                          "  - {step: programme, date: 2025-09-03}\n")
    root = workspace_with({EVENT_PATH: twice})
    found = [f for f in findings(mars, root, "2025-09-10") if f["code"] == "bad-step"]
    assert [(f["line"], "recorded 2 times" in f["message"]) for f in found] == [(13, True)]

    empty = EVENT.replace("lead_iso: iso-1\n", "lead_iso: iso-1\nsteps: null\n")
    (root / EVENT_PATH).write_text(empty)
    result = mars("-w", root, "step", EVENT_ID, "programme", "--done", "--date", "2025-09-01", "--as-of", "2025-09-10")
    assert result.code == 0, result.text
    assert "steps:\n  - step: programme\n    date: 2025-09-01\n" in (root / EVENT_PATH).read_text()


def test_override__an_approval_nobody_can_give_is_never_complete(workspace_with, mars):
    rules = "processes:\n  agency-event:\n    approvals:\n      agency:\n        signers: []\n"
    root = workspace_with({EVENT_PATH: EVENT, "processes.yaml": rules})
    result = mars("-w", root, "show", EVENT_ID, "--format", "json", "--as-of", "2025-09-01")
    assert result.code == 0, result.text
    approvals = {a["for"]: a for a in json.loads(result.out)["process"]["approvals"]}
    assert approvals["agency"]["complete"] is False
    assert any(f["line"] == 4 and f["code"] == "bad-process" for f in findings(mars, root, "2025-09-01"))


def test_override__actions_closed_only_on_an_action_plans_step(workspace_with, mars):
    rules = """\
processes:
  agency-event:
    steps:
      closed:
        actions: closed
  action-plan:
    steps:
      complete:
        actions: all
"""
    root = workspace_with({EVENT_PATH: EVENT, "processes.yaml": rules})
    found = [(f["line"], f["message"]) for f in findings(mars, root, "2025-09-01") if f["path"] == "processes.yaml"]
    assert [line for line, _ in found] == [5, 9]
    assert all("`actions: closed` is the only value, and only for an action plan's step" in m for _, m in found)


def test_two_files_with_one_id_stop_steps_and_signoffs(workspace_with, mars):
    copy = EVENT_PATH.replace(".md", "-copy.md")
    root = workspace_with({EVENT_PATH: EVENT, copy: EVENT})
    before = snapshot(root)
    for args in (("step", EVENT_ID, "letter-drafted", "--done", "--date", "2025-10-25"),
                 ("signoff", EVENT_ID, "--for", "agency", "--by", "dsp-council", "--as", "dsp:council",
                  "--date", "2025-06-10", "--evidence", "Board minutes")):
        result = mars("-w", root, *args, "--as-of", "2025-11-01")
        assert result.code == 1, (args, result.text)
        assert f"ID '{EVENT_ID}' is carried by 2 files (" in result.err
        assert EVENT_PATH in result.err and copy in result.err
        assert snapshot(root) == before


def test_next_meeting__the_first_in_date_order_whose_papers_deadline_is_not_past(workspace_with):
    """A meeting's own papers_deadline may be later than a later meeting's (an extraordinary meeting
    called at short notice): the next meeting for a paper is still the first, in date order, whose
    deadline the paper can meet."""
    from mars_cli.derive.context import Context
    from mars_cli.framework.load import read_workspace

    meetings = {
        f"records/board-meeting/2025-26/{rid}.md": record("board-meeting", rid, status="scheduled", date=day,
                                                          papers_deadline=deadline)
        for rid, day, deadline in (("board-2025-06-01-a-aaaa", "2026-01-10", "2026-01-09"),
                                   ("board-2025-06-01-b-bbbb", "2026-01-12", "2026-01-03"),
                                   ("board-2025-06-01-c-cccc", "2026-03-01", "2026-02-15"))}
    ctx = Context(read_workspace(workspace_with(meetings)), dt.date(2026, 1, 1))
    found = {ready: getattr(ctx.next_meeting("board-meeting", dt.date.fromisoformat(ready)), "id", None)
             for ready in ("2025-12-01", "2026-01-05", "2026-01-09", "2026-01-10", "2026-02-15", "2026-02-16")}
    assert found == {"2025-12-01": "board-2025-06-01-a-aaaa", "2026-01-05": "board-2025-06-01-a-aaaa",
                     "2026-01-09": "board-2025-06-01-a-aaaa", "2026-01-10": "board-2025-06-01-c-cccc",
                     "2026-02-15": "board-2025-06-01-c-cccc", "2026-02-16": None}


def test_a_missing_signoff_hint_is_a_command_to_paste_naming_who_is_still_needed(workspace_with, mars):
    root = workspace_with({EVENT_PATH: EVENT})
    found = json.loads(mars("-w", root, "check", "--format", "json", "--as-of", "2025-10-01").out)["findings"]
    hints = [f["hint"] for f in found if f["message"].startswith("step 'endorsed'")]
    assert hints, found
    assert f"`mars signoff {EVENT_ID} --for agency --by PERSON --as dsp:council`" in hints[0]
    assert "Still needed: Testshire Council (dsp:council or lsp:council); Testshire ICB" in hints[0]
