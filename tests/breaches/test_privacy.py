"""Personal data where it does not belong: a case subject named outside its case records (domain §3)."""

from __future__ import annotations

import pytest
from conftest import record

from breaches.harness import CI, CI_ID, CLOS, CLOS_ID, WARNING, Case, assert_breach

SUBJECT = """
    subjects:
      - name: Kayden Ashworth
        ref: TS-CS-000457
        role: subject child
    """

BREACHES = {
    "privacy.subject-named": Case(
        files={CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-07-10", more=SUBJECT),
               # Lines 1-9 the front matter, 10 `---`, 11 blank, 12 the heading, 13 blank, 14 the name.
               CI: record("call-in", CI_ID, status="proposed", agency="trust", date="2025-07-01",
                          body="# Test\n\nThe panel heard how KAYDEN  ashworth's school raised the alarm.\n")},
        as_of="2025-07-02", path=CI, line=14, severity=WARNING, code="subject-named",
        words="a name or reference listed as a case record's subject appears here (not shown)",
        not_words=("Kayden", "Ashworth"), hint="Refer to the child by pseudonym (Child A)",
        fix=((CI, "KAYDEN  ashworth's", "Child A's"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])


def test_privacy__a_reference_in_a_field_is_found_and_pseudonyms_and_case_records_are_not(workspace_with, mars):
    root = workspace_with({
        CLOS: record("case-line-of-sight", CLOS_ID, status="requested", date="2025-07-10", more=SUBJECT,
                     body="# Test\n\nKayden Ashworth (Child A) was discussed.\n"),
        CI: record("call-in", CI_ID, status="proposed", agency="trust", date="2025-07-01",
                   title="Follow-up of TS-CS-000457", body="# Test\n\nChild A's school raised the alarm.\n"),
    })
    result = mars("-w", root, "check", "--format", "json", "--as-of", "2025-07-02")
    named = [f for f in __import__("json").loads(result.out)["findings"] if f["code"] == "subject-named"]
    assert [(f["path"], f["line"]) for f in named] == [(CI, 4)]  # the title
    assert "TS-CS" not in result.out
