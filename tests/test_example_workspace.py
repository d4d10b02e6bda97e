"""example-workspace/ is the demo, the documentation and a fixture: it must stay clean and complete."""

from __future__ import annotations

import json
import re

from conftest import ROOT, snapshot

from mars_cli.framework import kinds

EXAMPLE = ROOT / "example-workspace"


def listed(mars, *args) -> list[dict]:
    return json.loads(mars("-w", EXAMPLE, "list", *args, "--format", "json").out)["records"]


# What is genuinely late or missing in the example as of 16 February 2026, written out by hand: each one is
# in the records' own text. Anything else `check` finds is a regression in the example or in mars.
EXPECTED_WARNINGS = sorted([
    # Returned 12 days after the 31 July 2025 deadline ("Returned twelve days late").
    ("step-late", "s11-2025-06-02-probation-service-section-11-return-2025-se7q"),
    # Due 30 January 2026 on the regional tool; chased on 9 February, still not back.
    ("step-overdue", "s11-2025-12-01-emas-section-11-return-2025-26-bsug"),
    # Outcomes recorded by the local governing body on 1 December and the audit returned on 4 December,
    # after the 28 November deadline ("Returned four days late with the local authority's agreement").
    ("step-late", "sch-2025-09-08-brigg-meadows-academy-safeguarding-audit-4d8w"),
    ("step-late", "sch-2025-09-08-brigg-meadows-academy-safeguarding-audit-4d8w"),
    # The governing body recorded the outcomes on 25 November 2025; the headteacher has not signed them off.
    ("signoff-missing", "sch-2025-09-08-winterton-vale-secondary-school-usrj"),
    # The lead ISO amended the NLAG findings letter on 14 February, after the portfolio lead agreed it.
    ("signoff-stale", "ae-2025-09-25-nlag-agency-assurance-event-9bv9"),
    # The September 2025 line of sight panel's highlights are written but not yet on the website.
    ("step-overdue", "los-2025-07-01-line-of-sight-adolescents-at-risk-of-uq4d"),
    # The health visiting audit was due 19 October 2025 ("No extension agreed").
    ("overdue", "act-2025-06-03-audit-use-of-the-domestic-abuse-risk-33e9"),
    # The graded care profile was due in every early help team by 6 February 2026; two of four trained.
    ("overdue", "act-2025-10-07-embed-the-graded-care-profile-in-early-nwgw"),
    # The parents' panel was brought forward a day (the venue was double-booked); `date:` still says the 22nd.
    ("date-disagrees", "voice-2025-12-01-parents-panel-on-child-protection-knqn"),
])


def test_example__check_is_clean_and_changes_nothing(mars):
    before = snapshot(EXAMPLE)
    result = mars("-w", EXAMPLE, "check")
    assert result.code == 0, result.out
    assert re.search(r"^0 errors, 10 warnings in \d+ records\.", result.out, re.M), result.out
    assert "as of 16 February 2026 (pinned by as_of in mars.yaml)" in result.out
    findings = json.loads(mars("-w", EXAMPLE, "check", "--format", "json").out)["findings"]
    assert [f for f in findings if f["severity"] != "warning"] == []
    warnings = sorted((f["code"], re.sub(r"\.md$", "", f["path"].rsplit("/", 1)[-1])) for f in findings)
    assert warnings == EXPECTED_WARNINGS, json.dumps(findings, indent=1)
    assert snapshot(EXAMPLE) == before


def test_example__nlag_event_shows_its_sign_offs_and_derived_status(mars):
    nlag = "ae-2025-09-25-nlag-agency-assurance-event-9bv9"
    out = mars("-w", EXAMPLE, "show", nlag).out
    assert "Process, as of 16 February 2026: status letter-agreed" in out
    assert "status: letter-agreed" in out  # the record's own status agrees with its steps
    for partner, person in [("North Lincolnshire Council", "rachel-oakley"),
                            ("Humber and North Yorkshire Integrated Care Board", "claire-fenwick"),
                            ("Humberside Police", "sarah-holroyd")]:
        assert re.search(rf"given +{partner} \(dsp:\w+ or lsp:\w+\): {person}, 25 September 2025", out), out
    assert re.search(r"given +portfolio-lead: margaret-ellison, 12 February 2026", out), out
    assert "missing" not in out.split("Sign-offs:", 1)[1].split("\n# ", 1)[0]
    process = json.loads(mars("-w", EXAMPLE, "show", nlag, "--format", "json").out)["process"]
    assert process["status"] == "letter-agreed"
    assert [(a["for"], a["complete"], a["current"], len(a["signoffs"])) for a in process["approvals"]] == [
        ("agency", True, True, 3), ("letter", True, False, 1)]  # the amended letter needs agreeing again
    states = {s["step"]: s["state"] for s in process["steps"]}
    assert states["letter-agreed"] == "done" and states["letter-sent"] == "blocked"  # until it is agreed again


def test_example__list_by_derived_status(mars):
    def ids(status, *kind):
        return {r["id"] for r in listed(mars, *kind, "--status", status)}

    assert ids("letter-agreed") == {"ae-2025-09-25-nlag-agency-assurance-event-9bv9"}
    assert ids("closed", "agency-event") == {"ae-2025-06-26-humberside-police-agency-assurance-event-2bwp"}
    assert ids("published", "annual-report") == {"ar-2025-04-10-children-s-mars-board-yearly-report-2024-kmcw"}
    assert ids("drafting", "annual-report") == {"ar-2026-01-12-children-s-mars-board-yearly-report-2025-g3mf"}
    assert ids("panel-held", "line-of-sight") == {"los-2025-11-03-line-of-sight-disabled-children-with-z6n7"}
    assert ids("issued", "section11") == {"s11-2025-12-01-emas-section-11-return-2025-26-bsug",
                                          "s11-2026-02-09-humber-and-north-yorkshire-icb-section-7dau"}
    assert ids("returned", "schools-audit") == {"sch-2025-09-08-northfield-pathways-centre-safeguarding-4xxq",
                                                "sch-2025-09-08-winterton-vale-secondary-school-usrj"}
    assert ids("scheduled", "thematic-event") == {"te-2025-12-03-thematic-assurance-event-emotional-7yw3"}


def test_example__has_every_kind_and_a_realistic_year(mars):
    records = listed(mars)
    count = {k: sum(r["kind"] == k for r in records) for k in kinds.registry()}
    assert all(count.values()), [k for k, n in count.items() if not n]
    assert count["line-of-sight"] >= 3 and count["agency-event"] >= 2 and count["marpf"] >= 6
    assert count["board-meeting"] >= 4 and count["splig-meeting"] >= 4
    assert len({r["agency"] for r in records if r["kind"] == "section11"}) >= 5
    assert len({r["agency"] for r in records if r["kind"] in ("schools-audit", "early-years-audit")}) >= 5


def test_example__actions_on_track_complete_and_overdue(mars):
    actions = listed(mars, "action")
    as_of = "2026-02-16"
    open_ = [a for a in actions if a["status"] in ("not-started", "in-progress")]
    assert any(a["status"] == "complete" for a in actions)
    assert any(a["date"] > as_of for a in open_), "an action on track"
    overdue = {a["date"] for a in open_ if a["date"] < as_of}
    assert {"2026-02-06", "2025-10-19"} <= overdue  # 10 and 120 days overdue


def test_example__agency_event_takes_its_return_dates_from_the_section11_record(mars):
    # The ICB's June 2026 event names no return: its agency's one return of 2026-27 is found, issued early
    # on 10 February 2026 and recorded there only, so the event's "return sent" is done on that day.
    icb = "ae-2026-01-30-humber-and-north-yorkshire-icb-agency-6ya9"
    ret = "s11-2026-02-09-humber-and-north-yorkshire-icb-section-7dau"
    steps = {s["step"]: s for s in json.loads(mars("-w", EXAMPLE, "show", icb, "--format", "json").out)["process"]["steps"]}
    assert (steps["return-sent"]["state"], steps["return-sent"]["done"]) == ("done", "2026-02-10")
    assert steps["return-sent"]["date_from"] == f"{ret}:issued"
    assert steps["return-received"]["done"] is None and steps["return-received"]["date_from"] is None
    out = mars("-w", EXAMPLE, "show", icb).out
    assert f"done 10 February 2026 · from {ret} (its 'issued' step)" in out, out
    assert f"or when {ret} records 'returned'" in out, out


def test_example__carries_a_return_forward_from_last_year(mars):
    carried = [r for r in listed(mars, "section11") if r["path"].startswith("records/section11/2025-26/")]
    fields = [json.loads(mars("-w", EXAMPLE, "show", r["id"], "--format", "json").out)["fields"] for r in carried]
    assert any(f.get("carried_forward_from") for f in fields)


def test_example__case_records_name_nobody():
    """Subjects are only ever 'Child A'-style pseudonyms with invented references."""
    for path in (EXAMPLE / "records").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"^\s+- name: (.+)$", text, re.M):
            assert re.fullmatch(r"(Child|Sibling|Mother|Father|Parent|Carer) [A-Z]( \(.+\))?", name), (path, name)
        assert not re.search(r"\b\d{3} ?\d{3} ?\d{4}\b", text), f"{path} has an NHS-number-like figure"


# What a person reading the files finds late on 16 February 2026, named by hand:
EXPECTED_OVERDUE = [
    # Health visiting audit due 19 October 2025; SPLIG challenged the delay, no extension agreed.
    ("act-2025-06-03-audit-use-of-the-domestic-abuse-risk-33e9", 120),
    # Winterton Vale: the governors recorded the outcomes, but the head's sign-off, due 28 November, is missing.
    ("sch-2025-09-08-winterton-vale-secondary-school-usrj:recorded", 80),
    # The adolescents line of sight panel's highlights, due on the website by 23 December 2025.
    ("los-2025-07-01-line-of-sight-adolescents-at-risk-of-uq4d:highlights-published", 55),
    # EMAS's Section 11 return, due back on 30 January 2026.
    ("s11-2025-12-01-emas-section-11-return-2025-26-bsug:returned", 17),
    # Graded care profile rollout due 6 February 2026; two of four teams trained.
    ("act-2025-10-07-embed-the-graded-care-profile-in-early-nwgw", 10),
]


def test_example__overdue_lists_exactly_what_is_late_by_reading_the_files(mars):
    doc = json.loads(mars("-w", EXAMPLE, "overdue", "--format", "json").out)
    assert doc["as_of"] == "2026-02-16"
    assert [(i["id"], i["days_overdue"]) for i in doc["items"]] == EXPECTED_OVERDUE
    # Not late: extended twice to 31 March, completed late (in November), dropped, and the 2024-25 RDaSH
    # return's open actions, carried forward into this year's return.
    ids = {i["id"] for i in doc["items"]}
    assert "act-2025-10-07-publish-neglect-practice-guidance-for-wdmu" not in ids
    assert not any(i.startswith("s11-2024-06-02-rdash") for i in ids)
    assert mars("-w", EXAMPLE, "overdue", "--fail-on", "overdue").code == 1


def test_example__status_shows_the_realistic_cases(mars):
    doc = json.loads(mars("-w", EXAMPLE, "status", "--format", "json").out)
    assert doc["ageing"] == {"0-30": ["act-2025-10-07-embed-the-graded-care-profile-in-early-nwgw"], "31-90": [],
                             "90+": ["act-2025-06-03-audit-use-of-the-domestic-abuse-risk-33e9"]}
    assert doc["extended"] >= 1 and doc["completed_late"] >= 1
    assert doc["totals"]["status"]["dropped"] >= 1 and doc["totals"]["rag"]["green"] >= 1
    assert len(doc["next"]) == 10
