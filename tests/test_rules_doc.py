"""docs/rules.md is the shipped rules table (rule id -> where it comes from -> the test that breaches
it), generated from the process data so it cannot drift. Regenerate it with:

    python tests/test_rules_doc.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules.md"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

HEADER = """\
# The rules `mars check` applies

Generated from `mars_cli/framework/processes.yaml` (the shipped processes) by
`python tests/test_rules_doc.py`; a test fails when this file is out of date. A workspace changes
these rules in its own `processes.yaml` (README, "Changing the rules"); `mars rules` lists the
rules a workspace actually uses. Every rule has a test in `tests/breaches/` that plants a breach in a
temporary workspace and sees `mars check` name it, with its file, line and rule: the last column is the
test to run (`python -m pytest "tests/breaches/test_section11.py::test_breach[section11.returned.due]"`).

Severity: an error makes `mars check` exit 1; a warning says what is late or missing.

"""


# The framework's rules in bold in shared/domain.md §2 (the mechanisms' names, also bold there, left
# out), each with the shipped rules that check it; the few that are not a check say why.
BOLD = [
    ("summary of outcomes plus a composite of agency action plans", ("section11.summary-to-boards",), ""),
    ("progress on those actions goes to both Boards six months later", ("section11.progress-to-boards",), ""),
    ("by governors and the senior leadership team",
     ("schools-audit.recorded.due", "schools-audit.reviewed.needs"), ""),
    ("composite of all settings", ("schools-audit.composite-to-board", "early-years-audit.composite-to-board"), ""),
    ("endorsed by all three partners (agency event)",
     ("agency-event.event.needs", "agency-event.selection-letter.needs"), ""),
    ("proposed (date)", ("agency-event.selection-letter.needs",), ""),
    ("Conflict of interest", ("agency-event.conflict-of-interest", "signoff.independent"), ""),
    ("no later than 6 weeks before", ("agency-event.return-sent.due",), ""),
    ("no later than 3 weeks before", ("agency-event.return-received.due",), ""),
    ("findings letter", ("agency-event.letter-drafted.due",), ""),
    ("portfolio lead agrees", ("agency-event.letter-sent.needs",), ""),
    ("next available Board", ("agency-event.to-board.due", "meeting.next-available"), ""),
    ("next annual Section 11", ("section11.every-duty-agency",),
     "the agency's next return is required; what it says about the findings is for people to read"),
    ("theme and format, each endorsed by all three partners", ("thematic-event.event.needs",), ""),
    ("next available SPLIG", ("thematic-event.to-splig.due", "line-of-sight.to-splig.due",
                              "case-line-of-sight.to-splig.due"), ""),
    ("action plan monitored until completion", ("thematic-event.action-plan.due", "action-plan.monitoring.needs"), ""),
    ("key highlights and emerging themes published on the partnership website",
     ("thematic-event.highlights-published.due", "line-of-sight.highlights-published.due"), ""),
    ("three times a year", ("line-of-sight.three-a-year",), ""),
    ("single-agency case audits", ("line-of-sight.panel.needs",), ""),
    ("led by an ISO", ("line-of-sight.panel.needs",), ""),
    ("overview and action plan", ("line-of-sight.overview.due",), ""),
    ("agreement of all three delegated representatives", ("case-line-of-sight.meeting.needs",), ""),
    ("notifies the three partners", ("case-line-of-sight.partners-notified.due",), ""),
    ("case audit before the meeting", ("case-line-of-sight.case-audits.due",), ""),
    ("every four weeks", ("marpf.every-four-weeks",), ""),
    ("practitioners' meeting is 4 weeks after the core group meeting", ("marpf.practitioners.due",), ""),
    ("Overview, Learning and Improvement Record", ("marpf.olir.due",), ""),
    ("quarterly overview report to SPLIG", ("marpf.quarterly-overview",), ""),
    ("days spent; 15-day allowance", ("iso-activity.allowance",), ""),
    ("terms of reference agreed", ("peer-review.held.needs", "peer-review.terms-agreed.needs"), ""),
    ("non-statutory", (), "a permission (SPLIG may monitor non-statutory review plans), not a duty to check"),
    ("board pack", (), "a document: the board pack is compiled from meetings' papers (the documents work)"),
    ("at least once a year", ("annual-report.published-yearly",), ""),
    ("the arrangements and the annual report before publication", ("annual-report.published.needs",), ""),
    ("how effective it was (impact)", ("annual-report.published.needs",), ""),
    ("within 5 working days", ("rapid-review.notified.due",), ""),
    ("within 15 working days", ("rapid-review.decided.due",), ""),
    ("configuration a partnership can change without touching code", (),
     "a workspace's processes.yaml: tests/test_process.py test_override__*"),
]


def expected() -> str:
    from breaches.harness import all_breaches

    from mars_cli.framework import processes as process
    from mars_cli.rules.steps import rule_table

    modules = {rule_id: module for rule_id, (module, _) in all_breaches().items()}
    lines = ["| rule | what it asks | severity | where it comes from | breach test |", "|---|---|---|---|---|"]
    for r in rule_table(process.default()):
        test = f"tests/breaches/{modules.get(r.id, '(none)')}::test_breach[{r.id}]"
        cells = (f"`{r.id}`", r.what, r.severity, r.source, f"`{test}`")
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    bold = ["", "## The framework's bold rules", "",
            "Each rule `shared/domain.md` §2 puts in bold, and the rules above that check it.", "",
            "| the framework says | checked by |", "|---|---|"]
    for phrase, ids, note in BOLD:
        checked = ", ".join(f"`{i}`" for i in ids) + (f" ({note})" if ids and note else note)
        bold.append(f"| **{phrase}** | {checked} |")
    return HEADER + "\n".join(lines) + "\n" + "\n".join(bold) + "\n"


def test_rules_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == expected(), "docs/rules.md is stale: run python tests/test_rules_doc.py"


def test_every_bold_rule_is_checked_by_a_rule_with_a_breach_test_or_says_why_not():
    from breaches.harness import all_breaches

    BREACHES = all_breaches()

    for phrase, ids, note in BOLD:
        assert ids or note, phrase
        assert set(ids) <= set(BREACHES), (phrase, set(ids) - set(BREACHES))


def test_every_rule_in_the_doc_has_its_breach_test():
    from breaches.harness import all_breaches

    BREACHES = all_breaches()

    from mars_cli.framework import processes as process
    from mars_cli.rules.steps import rule_table

    assert {r.id for r in rule_table(process.default())} <= set(BREACHES)


if __name__ == "__main__":
    DOC.write_text(expected(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
