"""Every year keeps its findings: a reporting year's shortfalls and overruns (three line of sight
events, ISO days...) are still reported after it ends, until that year's yearly report is published;
`mars check --year` reports any one year's."""

from __future__ import annotations

import json

from conftest import record

LOS = "records/line-of-sight/2025-26/los-2025-04-01-line-of-sight-{n}-aaa{n}.md"
AR_ID = "ar-2026-04-02-yearly-report-2025-26-bbbb"
AR = f"records/annual-report/2026-27/{AR_ID}.md"
REPORT_BODY = """
    # Yearly report 2025-26

    ## How effective it was
    Fewer children waited for a second assessment.
    """


def two_events() -> dict[str, str]:
    """Two line of sight events dated in 2025-26, where the framework asks for three."""
    return {LOS.format(n=n): record("line-of-sight", f"los-2025-04-01-line-of-sight-{n}-aaa{n}", "2025-04-01",
                                    status="planned", theme="Neglect", date=day)
            for n, day in ((1, "2025-06-10"), (2, "2025-10-14"))}


def yearly(mars, root, *options: str) -> list[dict]:
    result = mars("-w", root, "check", "--format", "json", *options)
    assert result.code in (0, 1) and "Traceback" not in result.text, result.text
    return [f for f in json.loads(result.out)["findings"] if f["rule"] == "line-of-sight.three-a-year"]


def publish_report(mars, root) -> None:
    """The 2025-26 yearly report, scrutinised, signed off by the three lead partners and published."""
    commands = [f"signoff {AR_ID} --for scrutiny --by iso-1 --as iso --date 2026-06-01",
                *(f"signoff {AR_ID} --for sign-off --by lsp-{p} --as lsp:{p} --date 2026-06-10"
                  for p in ("council", "health", "police")),
                f"step {AR_ID} published --done --date 2026-06-20"]
    for command in commands:
        result = mars("-w", root, *command.split(), "--as-of", "2026-06-20")
        assert result.code == 0, result.text


def test_years__a_closed_years_shortfall_is_reported_on_the_first_day_of_the_next(workspace_with, mars):
    root = workspace_with(two_events())
    last_day = yearly(mars, root, "--as-of", "2026-03-31")
    assert [f["message"] for f in last_day] == [
        "2 practice learning line of sight events dated in 2025-26; the framework asks for 3 a year"]
    first_day = yearly(mars, root, "--as-of", "2026-04-01")
    assert [(f["path"], f["severity"]) for f in first_day] == [("records/line-of-sight/2025-26/", "warning")]
    assert first_day[0]["message"] == (
        "2 practice learning line of sight events dated in 2025-26; the framework asks for 3 a year (2025-26 has "
        "ended; reported until its yearly report is published)")
    assert "Say it in the 2025-26 yearly report" in first_day[0]["hint"]
    assert "Plan the rest" not in first_day[0]["hint"]  # the year is over: nothing left to plan in it


def test_years__a_closed_years_findings_go_once_its_yearly_report_is_published(workspace_with, mars):
    root = workspace_with({**two_events(),
                           AR: record("annual-report", AR_ID, "2026-04-02", status="drafting", year="2025-26",
                                      publication_date="2026-06-20", body=REPORT_BODY)})
    assert len(yearly(mars, root, "--as-of", "2026-06-19")) == 1  # drafted, not yet published
    publish_report(mars, root)
    assert yearly(mars, root, "--as-of", "2026-06-20") == []
    assert len(yearly(mars, root, "--as-of", "2026-06-19")) == 1  # looking back, it was not published yet


def test_years__years_before_the_last_published_report_are_not_reported_again(workspace_with, mars):
    """A year before one whose report is published has been told, even if its own report is not recorded."""
    root = workspace_with({**two_events(),
                           AR: record("annual-report", AR_ID, "2026-04-02", status="drafting", year="2026-27",
                                      publication_date="2026-06-20", body=REPORT_BODY.replace("2025-26", "2026-27"))})
    assert len(yearly(mars, root, "--as-of", "2027-05-01")) == 2  # 2025-26 and 2026-27, neither published
    text = (root / AR).read_text(encoding="utf-8")
    (root / AR).write_text(text.replace("---\n\n", "steps:\n  - {step: published, date: 2027-04-20}\n---\n\n", 1),
                           encoding="utf-8")
    assert yearly(mars, root, "--as-of", "2027-05-01") == []


def test_years__check_year_reports_that_year_only(workspace_with, mars):
    root = workspace_with({**two_events(),
                           AR: record("annual-report", AR_ID, "2026-04-02", status="drafting", year="2025-26",
                                      publication_date="2026-06-20", body=REPORT_BODY)})
    publish_report(mars, root)
    asked = yearly(mars, root, "--as-of", "2026-10-01", "--year", "2025-26")
    assert [f["message"] for f in asked] == [
        "2 practice learning line of sight events dated in 2025-26; the framework asks for 3 a year (2025-26 has ended)"]
    assert yearly(mars, root, "--as-of", "2026-10-01", "--year", "2026-27")[0]["message"].startswith(
        "0 practice learning line of sight events dated in 2026-27")
    text = mars("-w", root, "check", "--as-of", "2026-10-01", "--year", "2025-26")
    assert "Checks across the year for 2025-26 only." in text.out


def test_years__check_year_refuses_what_is_not_a_reporting_year(workspace_with, mars):
    root = workspace_with(two_events())
    for bad in ("2025", "2025-27", "25-26"):
        result = mars("-w", root, "check", "--year", bad)
        assert result.code == 2 and "Traceback" not in result.text
        assert f"--year '{bad}' is not a reporting year" in result.err and "Write it like 2025-26." in result.err


def test_years__an_iso_overrun_in_a_closed_year_is_still_reported(workspace_with, mars):
    iso = "iso-2025-05-01-scrutiny-cccc"
    root = workspace_with({f"records/iso-activity/2025-26/{iso}.md": record(
        "iso-activity", iso, "2025-05-01", status="done", iso="iso-1", date="2026-03-10", days=16,
        activity="inspection")})
    result = mars("-w", root, "check", "--format", "json", "--as-of", "2026-04-01")
    found = [f for f in json.loads(result.out)["findings"] if f["rule"] == "iso-activity.allowance"]
    assert [f["message"] for f in found] == [
        "Gus Scrutineer has logged 16 framework days in 2025-26, over their allowance of 15 (2025-26 has ended; "
        "reported until its yearly report is published)"]


def test_years__closed_years_until_names_a_step_of_a_yearly_kind(workspace_with, mars):
    for value, words in (("annual-report.publish", "'publish' is not a step of a yearly report"),
                         ("line-of-sight.panel", "'line-of-sight.panel' should name a kind of record with a `year:`")):
        root = workspace_with({"processes.yaml": f"settings:\n  closed_years_until: {value}\n"})
        result = mars("-w", root, "check")
        assert result.code == 1 and "Traceback" not in result.text
        assert f"processes.yaml:2: error bad-process settings.closed_years_until" in result.out, result.out
        assert words in result.out
    assert "Did you mean 'published'?" in mars("-w", workspace_with(
        {"processes.yaml": "settings:\n  closed_years_until: annual-report.publish\n"}), "check").out
