"""A record's timeline through the commands officers run: latest dates worked back from the dated steps,
status from the furthest step done, and steps whose day a date field also says.

The breach of each rule is in tests/breaches/; here are `show`, `overdue`, `due`, `list` and `step`.
"""

from __future__ import annotations

import json
import re

from conftest import ROOT, record

AE_ID = "ae-2025-06-01-trust-event-abcd"
AE = f"records/agency-event/2025-26/{AE_ID}.md"
TE_ID = "te-2025-06-01-neglect-abcd"
TE = f"records/thematic-event/2025-26/{TE_ID}.md"
RR_ID = "rr-2025-06-01-child-abcd"
RR = f"records/rapid-review/2025-26/{RR_ID}.md"

# The event is on 30 September 2025: the Section 11 return goes out six weeks before (19 August), after
# the selection letter, which follows the partners' endorsement.
EVENT = record("agency-event", AE_ID, status="proposed", agency="trust", date="2025-09-30")


def ok(result):
    assert result.code == 0, result.text
    return result


def endorse(mars, root, rid, approval, day):
    for p in ("council", "health", "police"):
        ok(mars("-w", root, "signoff", rid, "--for", approval, "--by", f"dsp-{p}", "--as", f"dsp:{p}",
                "--date", day, "--as-of", "2025-10-01"))


def show_steps(mars, root, rid, as_of):
    doc = json.loads(ok(mars("-w", root, "show", rid, "--format", "json", "--as-of", as_of)).out)
    return {s["step"]: s for s in doc["process"]["steps"]}, doc


# --------------------------------------------------------------------------- latest dates

def test_show__a_step_needed_by_a_dated_step_shows_that_deadline_as_its_latest_date(workspace_with, mars):
    root = workspace_with({AE: EVENT})
    text = ok(mars("-w", root, "show", AE_ID, "--as-of", "2025-07-01")).out
    assert "latest 19 August 2025 (step 'return-sent' needs it by then)" in text
    steps, _ = show_steps(mars, root, AE_ID, "2025-07-01")
    # Endorsement and selection letter: through the chain, by the return's deadline, the earliest of the
    # dated steps that need them (the event, which also needs the endorsement, is later).
    assert (steps["endorsed"]["latest"], steps["endorsed"]["latest_for"]) == ("2025-08-19", "return-sent")
    assert (steps["selection-letter"]["latest"], steps["selection-letter"]["latest_for"]) == ("2025-08-19",
                                                                                               "return-sent")
    assert steps["preparation"]["latest"] is None and steps["return-sent"]["latest"] is None  # needed by none; dated


def test_show__a_skipped_step_gives_no_latest_date(workspace_with, mars):
    # Without the return (skipped: it was current), the endorsement is due by the event itself.
    root = workspace_with({AE: EVENT.replace("date: 2025-09-30\n", "date: 2025-09-30\nsteps:\n  - {step: return-sent, "
                                                                  "date: 2025-07-01, skipped: true, note: current}\n")})
    steps, _ = show_steps(mars, root, AE_ID, "2025-07-02")
    assert (steps["endorsed"]["latest"], steps["endorsed"]["latest_for"]) == ("2025-09-30", "event")
    assert steps["selection-letter"]["latest"] is None


def test_overdue_and_due__list_a_step_by_its_latest_date(workspace_with, mars):
    root = workspace_with({AE: EVENT})
    due = json.loads(ok(mars("-w", root, "due", "--within", "14", "--format", "json", "--as-of", "2025-08-10")).out)
    soon = {i["step"]: i for i in due["items"] if i["type"] == "step"}
    assert soon["endorsed"]["due"] == "2025-08-19" and soon["endorsed"]["rule"] == "agency-event.endorsed.latest"
    late = json.loads(ok(mars("-w", root, "overdue", "--format", "json", "--as-of", "2025-08-25")).out)
    items = {i["step"]: i for i in late["items"] if i["type"] == "step"}
    assert items["endorsed"]["days_overdue"] == 6 and items["selection-letter"]["days_overdue"] == 6
    assert mars("-w", root, "overdue", "--fail-on", "overdue", "--as-of", "2025-08-20").code == 1


def test_check__warns_when_the_latest_date_passes_not_on_the_event_day(workspace_with, mars):
    root = workspace_with({AE: EVENT})
    rules = lambda day: [f["rule"] for f in json.loads(mars("-w", root, "check", "--format", "json",
                                                             "--as-of", day).out)["findings"]]
    assert "agency-event.endorsed.latest" not in rules("2025-08-19")  # due that day
    found = rules("2025-08-20")
    assert "agency-event.endorsed.latest" in found and "agency-event.selection-letter.latest" in found
    assert "agency-event.event.due" not in found  # the event itself is weeks away
    result = mars("-w", root, "check", "--as-of", "2025-08-20")
    assert result.code == 0  # warnings ("should"): check does not fail


# --------------------------------------------------------------------------- status from the steps

HELD = record("thematic-event", TE_ID, status="scheduled", theme="Neglect", date="2025-09-30")


def test_status__the_furthest_step_done_gives_it_and_list_finds_it(workspace_with, mars):
    root = workspace_with({TE: HELD})
    endorse(mars, root, TE_ID, "theme", "2025-07-01")
    endorse(mars, root, TE_ID, "format", "2025-07-01")
    result = ok(mars("-w", root, "step", TE_ID, "event", "--done", "--date", "2025-09-30", "--as-of", "2025-10-01"))
    assert "Status: held" in result.err  # the dates step (which brings 'scheduled') was never recorded
    listed = json.loads(ok(mars("-w", root, "list", "--status", "held", "--format", "json",
                                "--as-of", "2025-10-01")).out)
    assert [r["id"] for r in listed["records"]] == [TE_ID]
    found = json.loads(mars("-w", root, "check", "--format", "json", "--as-of", "2025-10-01").out)["findings"]
    passed = [f for f in found if f["rule"] == "status.steps-recorded"]
    assert len(passed) == 1 and "'dates' (Dates identified)" in passed[0]["message"]
    assert "preparation" not in passed[0]["message"] and "programme" not in passed[0]["message"]


def test_status__a_rapid_review_is_notified_only_once_the_notification_is_recorded(workspace_with, mars):
    root = workspace_with({RR: record("rapid-review", RR_ID, status="aware", aware_date="2025-06-01",
                                      notification_date="2025-06-05")})
    _, before = show_steps(mars, root, RR_ID, "2025-06-03")
    _, after = show_steps(mars, root, RR_ID, "2025-06-05")
    assert (before["process"]["status"], after["process"]["status"]) == ("aware", "notified")


def test_new__a_rapid_review_starts_before_its_notification(workspace_with, mars):
    root = workspace_with({})
    result = ok(mars("-w", root, "new", "rapid-review", "--title", "Child G", "--date", "2025-06-05",
                     "--as-of", "2025-06-02"))
    path = result.out.strip().splitlines()[-1]
    assert "status: aware" in open(path, encoding="utf-8").read()


# --------------------------------------------------------------------------- dates that disagree

def test_step__held_earlier_than_date_says_the_two_disagree_and_how_to_correct_it(workspace_with, mars):
    root = workspace_with({TE: HELD})
    endorse(mars, root, TE_ID, "theme", "2025-07-01")
    endorse(mars, root, TE_ID, "format", "2025-07-01")
    result = ok(mars("-w", root, "step", TE_ID, "event", "--done", "--date", "2025-09-26", "--as-of", "2025-10-01"))
    assert "recorded as done on 26 September 2025, but `date:` says 30 September 2025" in result.err
    assert f"run `mars set {TE_ID} date=2025-09-26`" in result.err
    found = json.loads(mars("-w", root, "check", "--format", "json", "--as-of", "2025-10-01").out)["findings"]
    assert [f["rule"] for f in found if f["code"] == "date-disagrees"] == ["steps.date-agrees"]
    hint = next(f["hint"] for f in found if f["code"] == "date-disagrees")  # the other way: the line to change
    at = int(re.search(r"change the step's `date:` on line (\d+) to 2025-09-30", hint).group(1))
    assert (root / TE).read_text(encoding="utf-8").splitlines()[at - 1].strip() == "date: 2025-09-26"
    ok(mars("-w", root, "set", TE_ID, "date=2025-09-26", "--as-of", "2025-10-01"))  # the hint, followed
    found = json.loads(mars("-w", root, "check", "--format", "json", "--as-of", "2025-10-01").out)["findings"]
    assert [f for f in found if f["code"] == "date-disagrees"] == []


def test_step__held_later_than_date_is_a_disagreement_not_a_late_step(workspace_with, mars):
    root = workspace_with({AE: EVENT})
    endorse(mars, root, AE_ID, "agency", "2025-06-20")
    result = ok(mars("-w", root, "step", AE_ID, "event", "--done", "--date", "2025-10-01", "--as-of", "2025-10-01"))
    assert "`date:` says 30 September 2025" in result.err
    assert "the deadlines of 'return-sent', 'return-received' rest on `date:`" in result.err
    assert "after its deadline" not in result.err
    found = json.loads(mars("-w", root, "check", "--format", "json", "--as-of", "2025-10-02").out)["findings"]
    rules = [f["rule"] for f in found]
    assert "steps.date-agrees" in rules and "agency-event.event.due" not in rules


def test_step__on_the_day_date_says_nothing_disagrees(workspace_with, mars):
    root = workspace_with({AE: EVENT})
    endorse(mars, root, AE_ID, "agency", "2025-06-20")
    result = ok(mars("-w", root, "step", AE_ID, "event", "--done", "--date", "2025-09-30", "--as-of", "2025-10-01"))
    assert "disagree" not in result.err


def test_example__the_yearly_report_shows_its_latest_dates(mars):
    """The example's 2025-26 report is a draft: its ISO scrutiny and the lead partners' sign-off have no
    deadline of their own, but publication (by 30 September 2026) needs both."""
    rid = "ar-2026-01-12-children-s-mars-board-yearly-report-2025-g3mf"
    out = ok(mars("-w", ROOT / "example-workspace", "show", rid)).out
    assert out.count("latest 30 September 2026 (step 'published' needs it by then)") == 2


def test_status__a_written_status_ahead_of_the_steps_names_the_next_step_not_one_passed_over(workspace_with, mars):
    root = workspace_with({TE: HELD.replace("status: scheduled", "status: reported")})
    endorse(mars, root, TE_ID, "theme", "2025-07-01")
    endorse(mars, root, TE_ID, "format", "2025-07-01")
    text = (root / TE).read_text(encoding="utf-8").replace("date: 2025-09-30\n", "date: 2025-09-30\nsteps:\n"
                                                            "  - {step: event, date: 2025-09-30}\n")
    (root / TE).write_text(text, encoding="utf-8")
    found = json.loads(mars("-w", root, "check", "--format", "json", "--as-of", "2025-10-01").out)["findings"]
    [differs] = [f for f in found if f["rule"] == "status.from-steps"]
    assert "its steps say 'held'; the next step with a status is 'to-splig'" in differs["message"]


def test_rules__dated_by_names_a_date_field_of_a_step_not_done_by_its_own(workspace_with, mars):
    rules = """\
processes:
  thematic-event:
    steps:
      event:
        dated_by: dat
  rapid-review:
    steps:
      meeting:
        dated_by: notification_date
"""
    root = workspace_with({"processes.yaml": rules})
    found = json.loads(mars("-w", root, "check", "--format", "json").out)["findings"]
    bad = {(f["line"], f["message"]) for f in found if f["rule"] == "process.data"}
    assert (5, "'dat' is not a date field of a thematic assurance event") in bad
    assert (9, "step 'meeting' is done by its field `meeting_date`, so no other field can say its day") in bad
