"""`mars overdue`, `mars due` and `mars status`: what is late, in every format, parsed by real parsers.

Each test writes a small workspace inline: a thematic event, its action plan, one file per action,
and a Section 11 return whose deadline passes (a process step).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import icalendar
from conftest import ROOT, git, snapshot, write_files

TE_ID = "te-2025-06-01-neglect-aaaa"
AP_ID = "ap-2025-07-01-neglect-plan-aaaa"
PLAN_DIR = f"records/action-plan/2025-26/{AP_ID}"
S11_ID = "s11-2025-06-01-trust-aaaa"


def action(slug: str, *, owner: str, due: str, status: str = "in-progress", completed: str = "",
           extra: str = "", marking: str = "OFFICIAL", created: str = "2025-07-01") -> tuple[str, str]:
    aid = f"act-{created}-{slug}"
    text = f"""\
---
id: {aid}
kind: action
title: {slug.replace('-', ' ').capitalize()}
status: {status}
marking: {marking}
created: {created}
owner: {owner}
due: {due}
completed: {completed}
{extra}---

What done looks like.
"""
    return f"{PLAN_DIR}/{aid}.md", text


BASE = {
    f"records/thematic-event/2025-26/{TE_ID}.md": f"""\
---
id: {TE_ID}
kind: thematic-event
title: Neglect thematic event
status: proposed
marking: OFFICIAL
created: 2025-06-01
theme: neglect
---

# Neglect
""",
    f"records/action-plan/2025-26/{AP_ID}.md": f"""\
---
id: {AP_ID}
kind: action-plan
title: Neglect action plan
status: draft
marking: OFFICIAL
created: 2025-07-01
source: {TE_ID}
owner: officer-1
---

## Purpose
Improve the response to neglect.
""",
    f"records/section11/2025-26/{S11_ID}.md": f"""\
---
id: {S11_ID}
kind: section11
title: Trust Section 11 return 2025-26
status: issued
marking: OFFICIAL
created: 2025-06-01
owner: officer-1
agency: trust
cycle: 2025-26
due: 2026-01-31
---

# Return
""",
}

ACTIONS = dict([
    action("late-by-ten-days-aaaa", owner="council-cs", due="2026-02-06"),
    action("late-by-120-days-bbbb", owner="dsp-police", due="2025-10-19"),
    action("due-today-cccc", owner="officer-1", due="2026-02-16"),
    action("due-in-two-weeks-dddd", owner="officer-1", due="2026-03-02", status="not-started"),
    action("on-track-eeee", owner="council-cs", due="2026-06-30"),
    action("completed-late-ffff", owner="officer-1", due="2025-11-30", status="complete", completed="2025-12-10"),
    action("dropped-gggg", owner="police-force", due="2025-09-30", status="dropped"),
])
LATE_10 = "act-2025-07-01-late-by-ten-days-aaaa"
LATE_120 = "act-2025-07-01-late-by-120-days-bbbb"
STEP = f"{S11_ID}:returned"  # due 31 January 2026, not returned: 16 days late on 16 February
AS_OF = "2026-02-16"


def make(workspace_with, extra: dict | None = None):
    return workspace_with({**BASE, **ACTIONS, **(extra or {})})


def listed(mars, root, *args, command="overdue"):
    result = mars("-w", root, command, "--format", "json", "--as-of", AS_OF, *args)
    assert result.code == 0, result.text
    return [(i["id"], i["days_overdue"]) for i in json.loads(result.out)["items"]]


def test_overdue__lists_late_actions_and_steps_most_overdue_first(workspace_with, mars):
    root = make(workspace_with)
    before = snapshot(root)
    assert listed(mars, root) == [(LATE_120, 120), (STEP, 16), (LATE_10, 10)]
    assert snapshot(root) == before


def test_overdue__due_today_is_not_overdue_until_tomorrow(workspace_with, mars):
    root = make(workspace_with)
    today = "act-2025-07-01-due-today-cccc"
    assert today not in dict(listed(mars, root))
    result = mars("-w", root, "overdue", "--format", "json", "--as-of", "2026-02-17")
    assert {i["id"]: i["days_overdue"] for i in json.loads(result.out)["items"]}[today] == 1


def test_due__within_days_or_weeks_lists_what_falls_due_soonest_first(workspace_with, mars):
    root = make(workspace_with)
    soon = [("act-2025-07-01-due-today-cccc", 0), ("act-2025-07-01-due-in-two-weeks-dddd", 0)]
    assert listed(mars, root, "--within", "14d", command="due") == soon
    assert listed(mars, root, "--within", "2w", command="due") == soon
    assert listed(mars, root, "--within", "13", command="due") == soon[:1]
    bad = mars("-w", root, "due", "--within", "a fortnight")
    assert bad.code == 2 and "--within 'a fortnight' is not a number of days" in bad.err


def test_overdue__filters_by_owner_agency_partner_plan_and_kind(workspace_with, mars):
    root = make(workspace_with)
    assert listed(mars, root, "--owner", "council-cs") == [(LATE_10, 10)]
    assert listed(mars, root, "--agency", "trust") == [(STEP, 16)]
    assert listed(mars, root, "--partner", "police") == [(LATE_120, 120)]  # Fay is police's DSP
    assert listed(mars, root, "--plan", "neglect-plan") == [(LATE_120, 120), (LATE_10, 10)]
    assert listed(mars, root, "--kind", "section11") == [(STEP, 16)]
    assert listed(mars, root, "--kind", "thematic-event") == [(LATE_120, 120), (LATE_10, 10)]
    for option, value, words in (("--owner", "counci", "Did you mean 'council-cs'?"),
                                 ("--agency", "trus", "Did you mean 'trust'?"),
                                 ("--partner", "polic", "Did you mean 'police'?"),
                                 ("--plan", "no-such-plan", "no record has the ID"),
                                 ("--plan", TE_ID, "not an action plan"),
                                 ("--kind", "sectin11", "not a kind of record")):
        result = mars("-w", root, "overdue", option, value)
        assert result.code == 2 and words in result.err, (option, result.err)


def test_overdue__fail_on_overdue_exits_1_only_when_something_is_overdue(workspace_with, mars):
    root = make(workspace_with)
    assert mars("-w", root, "overdue", "--fail-on", "overdue", "--as-of", AS_OF).code == 1
    assert mars("-w", root, "overdue", "--fail-on", "overdue", "--as-of", "2025-07-02").code == 0
    assert mars("-w", root, "overdue", "--as-of", AS_OF).code == 0  # without it, a list is not a failure
    assert mars("-w", root, "due", "--fail-on", "overdue", "--as-of", AS_OF).code == 1
    assert mars("-w", root, "overdue", "--fail-on", "overdue", "--owner", "police-force", "--as-of", AS_OF).code == 0
    wrong = mars("-w", root, "overdue", "--fail-on", "late")
    assert wrong.code == 2 and "--fail-on 'late' is not one of: overdue" in wrong.err


def test_overdue__looking_back_an_action_completed_later_was_open_and_an_extension_not_yet_agreed(
        workspace_with, mars):
    extended = action("extended-hhhh", owner="officer-1", due="2026-03-31", extra=(
        "extensions:\n  - from: 2025-12-31\n    to: 2026-03-31\n    reason: Waiting for housing\n"
        "    agreed_by: dsp-police\n    date: 2026-01-10\n"))
    root = make(workspace_with, dict([extended]))
    on_5_jan = dict(listed(mars, root, "--as-of", "2026-01-05"))
    assert on_5_jan["act-2025-07-01-extended-hhhh"] == 5  # due 31 December until the extension on 10 January
    assert "act-2025-07-01-completed-late-ffff" not in on_5_jan  # completed on 10 December 2025
    assert dict(listed(mars, root, "--as-of", "2025-12-05"))["act-2025-07-01-completed-late-ffff"] == 5
    assert "act-2025-07-01-extended-hhhh" not in dict(listed(mars, root))


def test_overdue__an_audits_own_actions_count_until_carried_into_next_years_return(workspace_with, mars):
    old = "s11-2024-06-01-trust-zzzz"
    inline = f"""\
---
id: {old}
kind: section11
title: Trust Section 11 return 2024-25
status: closed
marking: OFFICIAL
created: 2024-06-01
agency: trust
cycle: 2024-25
due: 2024-07-31
returned: 2024-07-20
actions:
  - action: Supervision for perinatal staff
    owner: trust
    due: 2025-06-30
    status: in-progress
  - action: Training compliance to 90%
    owner: trust
    due: 2025-03-31
    status: complete
    completed: 2025-03-20
  - action: Audit supervision records
    owner: trust
    due: 2025-09-30
    status: not-started
---

# Return
"""
    root = make(workspace_with, {f"records/section11/2024-25/{old}.md": inline})
    assert (f"{old}#1", 231) in listed(mars, root)
    carried = (root / f"records/section11/2025-26/{S11_ID}.md")
    carried.write_text(carried.read_text().replace("due: 2026-01-31\n", (
        f"due: 2026-01-31\ncarried_forward_from: {old}\nactions:\n  - action: Supervision for perinatal staff\n"
        "    owner: trust\n    due: 2026-06-30\n    status: in-progress\n")))
    now = dict(listed(mars, root))
    assert f"{old}#1" not in now  # followed in this year's return, where it is not yet due
    assert now[f"{old}#3"] == 139  # not carried forward: still late where it was written
    # Pointing at another agency's return (a typing mistake) hides nothing.
    carried.write_text(carried.read_text().replace("agency: trust", "agency: council-cs"))
    assert f"{old}#1" in dict(listed(mars, root))


# --------------------------------------------------------------------------- every format, read back by a parser

def output(mars, root, fmt, *args, command="overdue"):
    result = mars("-w", root, command, "--format", fmt, "--as-of", AS_OF, *args)
    assert result.code == 0, result.text
    return result.out


def test_format_json__schema_and_fields(workspace_with, mars):
    root = make(workspace_with)
    doc = json.loads(output(mars, root, "json"))
    assert doc["schema_version"] == 2 and doc["as_of"] == AS_OF and doc["kind"] == "overdue"
    first = doc["items"][0]
    for key in ("id", "type", "title", "owner", "due", "days_overdue", "record", "path", "line"):
        assert key in first
    assert first == {**first, "id": LATE_120, "type": "action", "owner": "dsp-police", "due": "2025-10-19",
                     "days_overdue": 120, "record": AP_ID, "path": f"{PLAN_DIR}/{LATE_120}.md", "line": 9}
    step = doc["items"][1]
    assert step["type"] == "step" and step["record"] == S11_ID and step["step"] == "returned"
    assert (root / step["path"]).read_text().splitlines()[step["line"] - 1] == "due: 2026-01-31"


def test_format_csv__one_row_per_item_read_by_the_csv_module(workspace_with, mars):
    root = make(workspace_with)
    rows = list(csv.DictReader(io.StringIO(output(mars, root, "csv"))))
    assert [(r["id"], r["type"], r["days_overdue"]) for r in rows] == [
        (LATE_120, "action", "120"), (STEP, "step", "16"), (LATE_10, "action", "10")]
    assert rows[0]["owner_name"] == "Fay Delegate" and rows[0]["line"] == "9"


def test_format_ics__an_icalendar_feed_of_due_dates(workspace_with, mars):
    root = make(workspace_with)
    calendar = icalendar.Calendar.from_ical(output(mars, root, "ics", "--within", "30d", command="due"))
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"act-2025-07-01-due-today-cccc@mars", "act-2025-07-01-due-in-two-weeks-dddd@mars"}
    event = events["act-2025-07-01-due-in-two-weeks-dddd@mars"]
    assert event.decoded("dtstart").isoformat() == "2026-03-02"
    assert event.decoded("dtend").isoformat() == "2026-03-03"  # an all-day event
    assert str(event["summary"]) == "Due: Due in two weeks dddd"
    late = icalendar.Calendar.from_ical(output(mars, root, "ics"))
    assert [str(e["summary"]).split(":")[0] for e in late.walk("VEVENT")] == ["OVERDUE"] * 3


def test_format_junit__overdue_items_are_failures_in_junit_xml(workspace_with, mars):
    root = make(workspace_with)
    suites = ET.fromstring(output(mars, root, "junit").encode())
    assert suites.tag == "testsuites" and suites.get("tests") == "3" and suites.get("failures") == "3"
    cases = suites.findall("./testsuite/testcase")
    assert [c.get("name").split(":")[0] for c in cases] == [LATE_120, S11_ID, LATE_10]
    assert cases[0].find("failure").get("message") == "120 days overdue"
    soon = ET.fromstring(output(mars, root, "junit", command="due").encode())
    assert soon.get("failures") == "0" and len(soon.findall("./testsuite/testcase")) == 2


def test_format_github__annotations_with_paths_from_the_repository_root(workspace_with, mars, tmp_path):
    root = make(workspace_with)
    lines = output(mars, root, "github").splitlines()
    assert lines[0].startswith(f"::warning file={PLAN_DIR}/{LATE_120}.md,line=9,title=Overdue action (120 days overdue)::")
    # The workspace as a subfolder of a bigger repository: paths start at the repository's root.
    repo = tmp_path / "repo"
    (repo / "safeguarding").mkdir(parents=True)
    git(repo, "init", "--quiet")
    write_files(repo / "safeguarding", {"mars.yaml": (root / "mars.yaml").read_text(), **BASE, **ACTIONS})
    nested = mars("-w", repo / "safeguarding", "overdue", "--format", "github", "--as-of", AS_OF).out.splitlines()
    assert nested[0].startswith(f"::warning file=safeguarding/{PLAN_DIR}/{LATE_120}.md,line=9,")
    for line in nested:
        path = line.split("file=", 1)[1].split(",", 1)[0]
        assert (repo / path).is_file()


def test_format_markdown__a_digest_grouped_by_owner_with_the_marking(workspace_with, mars):
    root = make(workspace_with, dict([action("sensitive-iiii", owner="council-cs", due="2026-01-01",
                                             marking="OFFICIAL-SENSITIVE")]))
    text = output(mars, root, "markdown")
    lines = text.strip().splitlines()
    assert lines[0] == lines[-1] == "**OFFICIAL-SENSITIVE**"  # the highest marking of what it lists
    assert "## Overdue actions and steps as of 16 February 2026" in text
    owners = [line for line in lines if line.startswith("### ")]
    # Each owner with their e-mail from mars.yaml, to send it on (an agency has none). The Section 11
    # return is the trust's to send back (its step's lead is the agency), not the record owner's.
    assert owners == ["### Fay Delegate (fay@example.org)", "### Testshire Children's Services",
                      "### Testshire Hospitals NHS Trust"]
    assert "**120 days overdue**" in text and f"`{PLAN_DIR}/{LATE_120}.md:9`" in text


def test_format_table__grouped_by_owner_with_days_overdue(workspace_with, mars):
    root = make(workspace_with)
    out = mars("-w", root, "overdue", "--as-of", AS_OF).out
    assert out.splitlines()[0] == "OFFICIAL" and out.rstrip().splitlines()[-1] == "OFFICIAL"
    assert "Days overdue" in out and "Fay Delegate" in out and "120" in out
    assert out.index("Fay Delegate") < out.index("Testshire Hospitals") < out.index("Testshire Children's Services")
    assert "3 items." in out
    narrow = mars("-w", root, "overdue", "--as-of", "2025-07-02").out
    assert "Nothing is overdue." in narrow


# --------------------------------------------------------------------------- the dashboard

def test_status__actions_by_status_and_rag_ageing_and_next_deadlines(workspace_with, mars):
    root = make(workspace_with)
    doc = json.loads(mars("-w", root, "status", "--format", "json", "--as-of", AS_OF).out)
    totals = doc["totals"]
    assert totals["total"] == 7
    assert totals["status"] == {"not-started": 1, "in-progress": 4, "complete": 1, "dropped": 1}
    assert totals["rag"] == {"red": 2, "amber": 2, "green": 1, "complete": 1, "dropped": 1}
    assert doc["ageing"] == {"0-30": [LATE_10], "31-90": [], "90+": [LATE_120]}
    assert doc["completed_late"] == 1 and doc["overdue_steps"] == 1
    assert [p["id"] for p in doc["plans"]] == [AP_ID]
    agencies = {a["id"]: a["total"] for a in doc["agencies"]}
    assert agencies == {"council-cs": 2, "police-force": 1, "": 4}  # officer-1 and Fay have no agency
    assert [i["id"] for i in doc["next"]] == ["act-2025-07-01-due-today-cccc", "act-2025-07-01-due-in-two-weeks-dddd",
                                              "act-2025-07-01-on-track-eeee"]
    text = mars("-w", root, "status", "--as-of", AS_OF).out
    for words in ("7 actions", "By plan", "By agency", "Overdue actions, by how long", "90+", "Next 3 deadlines"):
        assert words in text, words


def test_overdue__filters_repeat_and_type_picks_actions_or_steps(workspace_with, mars):
    root = make(workspace_with)
    assert listed(mars, root, "--owner", "council-cs", "--owner", "dsp-police") == [(LATE_120, 120), (LATE_10, 10)]
    assert listed(mars, root, "--type", "step") == [(STEP, 16)]
    assert listed(mars, root, "--type", "action") == [(LATE_120, 120), (LATE_10, 10)]
    wrong = mars("-w", root, "overdue", "--kind", "action")
    assert wrong.code == 2 and "--type action" in wrong.err
    far = mars("-w", root, "due", "--within", "99999")
    assert far.code == 2 and "more than ten years ahead" in far.err


def test_due__fail_on_overdue_says_why_when_the_overdue_are_not_in_its_list(workspace_with, mars):
    root = make(workspace_with)
    result = mars("-w", root, "due", "--format", "github", "--fail-on", "overdue", "--as-of", AS_OF)
    assert result.code == 1 and "3 items are overdue (`mars overdue` lists them)" in result.err
    assert "::warning" not in result.out  # due soon, not overdue: notices only


def test_status_markdown__a_committee_paper_of_completed_extended_and_outstanding_actions(workspace_with, mars):
    extended = action("extended-hhhh", owner="officer-1", due="2026-03-31", extra=(
        "extensions:\n  - from: 2025-12-31\n    to: 2026-03-31\n    reason: Waiting for housing.\n"
        "    agreed_by: dsp-police\n    date: 2026-01-10\n"))
    root = make(workspace_with, dict([extended]))
    result = mars("-w", root, "status", "--format", "markdown", "--as-of", AS_OF)
    assert result.code == 0, result.text
    lines = result.out.strip().splitlines()
    assert lines[0] == lines[-1] == "**OFFICIAL**"
    assert "| **All** | 8 | 1 | 5 | 1 | 1 | 2 | 2 | 2 |" in lines
    assert ("- Extended hhhh: 31 December 2025 to 31 March 2026 (1 extension; latest: Waiting for housing, "
            "agreed by Fay Delegate)") in lines
    assert "- Completed late ffff: due 30 November 2025, completed 10 December 2025 (10 days late)" in lines
    assert any(line.startswith("- **90+ days**: 1: Late by 120 days bbbb (Fay Delegate, 120 days)") for line in lines)


def test_formats__hostile_text_from_a_hand_edited_file_stays_inert_in_every_format(workspace_with, mars):
    hostile = action("hostile-jjjj", owner="council-cs", due="2026-01-01")
    path, text = hostile
    text = text.replace("title: Hostile jjjj", 'title: "=HYPERLINK(1)\\n\\x1b[31mred\\x1b[0m [bold]*x* a, b; c"')
    root = make(workspace_with, {path: text})
    table = mars("-w", root, "overdue", "--as-of", AS_OF).out
    assert "\x1b" not in table and "[bold]" in table
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(output(mars, root, "csv")))}
    assert rows["act-2025-07-01-hostile-jjjj"]["title"].startswith("'=HYPERLINK(1) ")  # not run as a formula
    item = next(i for i in json.loads(output(mars, root, "json"))["items"] if i["id"].endswith("jjjj"))
    assert "\n" not in item["title"] and "\x1b" not in item["title"]
    events = icalendar.Calendar.from_ical(output(mars, root, "ics")).walk("VEVENT")
    assert any("=HYPERLINK(1)" in str(e["summary"]) for e in events)
    ET.fromstring(output(mars, root, "junit").encode())
    assert "\\*x\\*" in output(mars, root, "markdown")
    assert all(line.startswith("::warning file=") for line in output(mars, root, "github").splitlines())


def test_overdue__an_item_with_two_owners_is_under_each_and_the_count_says_so(mars):
    """The example's school audit step is led by the headteacher and the safeguarding governor: it is
    listed under both, so the lines add up to one more than the count, and the count says why."""
    example = ROOT / "example-workspace"
    table = mars("-w", example, "overdue", "--width", "120").out
    assert table.count("sch-2025-09-08-winterton-vale-secondary-school-usrj:recorded") == 2
    assert "5 items (1 has more than one owner and is listed under each)." in table
    digest = mars("-w", example, "overdue", "--format", "markdown").out
    assert "2 actions and 3 steps, by owner (1 has more than one owner and is listed under each)." in digest
    one = mars("-w", example, "overdue", "--owner", "paul-ridley").out  # under one owner only: nothing to say
    assert "1 item. `mars show ID` opens one." in one
