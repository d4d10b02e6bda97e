"""The 20 kinds and their templates: each kind's document has the headings it needs."""

from __future__ import annotations

import re

import pytest

from mars_cli.framework import kinds

# The headings that make each kind's document what the framework asks for.
EXPECTED_HEADINGS = {
    "section11": ["Summary of the self-assessment", "Areas of best practice", "Areas of risk or development",
                  "Adults with care and support needs"],
    "schools-audit": ["Recorded by governors and senior leadership team", "Local authority support and challenge"],
    "early-years-audit": ["Recorded within the setting", "Local authority support and challenge"],
    "call-in": ["Reason for the call-in", "Assurance gained"],
    "agency-event": ["Selection and endorsement", "Preparation", "Programme", "Verbal feedback", "Findings",
                     "Positive practice", "Areas for improvement", "Further consideration", "Actions"],
    "thematic-event": ["Theme and rationale", "Proposed format", "Outcomes to SPLIG",
                       "Key highlights and emerging themes"],
    "line-of-sight": ["Single-agency case audits", "Panel", "Overview", "Action plan",
                      "Key highlights and emerging themes"],
    "case-line-of-sight": ["Request and agreement", "Agencies involved and case audits", "Learning"],
    "marpf": ["Core group meeting", "Practitioners' meeting", "Overview, Learning and Improvement Record",
              "Immediate actions", "Quarterly overview to SPLIG"],
    "space-audit": ["Rationale and scope", "Allocation", "Findings", "Follow-up audit"],
    "multi-agency-audit": ["Audit focus", "Cases audited", "Multi-agency findings"],
    "voice": ["What children, young people and families told us", "Contribution to Board oversight"],
    "iso-activity": ["Activity", "Framework allowance", "Recommendations to the safeguarding partners"],
    "peer-review": ["Scope", "Terms of reference", "Findings and peer challenge"],
    "action-plan": ["Purpose", "Source of the learning", "How it will be monitored", "Progress summary"],
    "board-meeting": ["Agenda", "Papers", "Endorsements by the safeguarding partners", "Decisions"],
    "splig-meeting": ["Agenda", "Action plans monitored", "MARPF quarterly overview", "Report to the Board"],
    "annual-report": ["What we did", "How effective it was", "Learning from reviews",
                      "How children's and families' voice was used", "Areas of little progress",
                      "Priorities for next year", "Independent scrutiny"],
    "rapid-review": ["Incident summary", "Notification", "Decision on a child safeguarding practice review"],
    "cspr": ["Terms of reference", "Methodology", "Findings", "Recommendations", "Publication"],
}


def headings(kind: str, level: str = "#{2,3}") -> list[str]:
    return re.findall(rf"^{level} (.+)$", kinds.builtin_template(kind), re.M)


def test_kinds__twenty_kinds_one_line_each(mars):
    result = mars("kinds")
    assert result.code == 0
    lines = result.out.strip().splitlines()
    assert len(lines) == 20
    assert [line.split()[0] for line in lines] == [
        "section11", "schools-audit", "early-years-audit", "call-in", "agency-event", "thematic-event",
        "line-of-sight", "case-line-of-sight", "marpf", "space-audit", "multi-agency-audit", "voice",
        "iso-activity", "peer-review", "action-plan", "board-meeting", "splig-meeting", "annual-report",
        "rapid-review", "cspr"]


def test_kinds__one_kind_shows_its_fields(mars):
    result = mars("kinds", "schools-audit")
    assert "kcsie_edition: string required" in result.out
    assert "statuses: draft -> issued" in result.out


def test_kinds__unknown_kind(mars):
    result = mars("kinds", "sectoin11")
    assert result.code == 2 and "Did you mean 'section11'?" in result.err


@pytest.mark.parametrize("kind", list(EXPECTED_HEADINGS))
def test_template__has_the_headings_its_document_needs(kind):
    found = headings(kind)
    missing = [h for h in EXPECTED_HEADINGS[kind] if h not in found]
    assert not missing, f"{kind} template lacks {missing}"
    assert kinds.builtin_template(kind).startswith("# {title}")


def test_template__no_two_kinds_share_a_heading_set():
    seen: dict[frozenset, str] = {}
    for kind in kinds.registry():
        key = frozenset(headings(kind, "##"))
        assert key not in seen, f"{kind} and {seen.get(key)} share a template"
        seen[key] = kind


def test_template__every_kind_has_one_and_expectations_cover_all():
    assert set(EXPECTED_HEADINGS) == set(kinds.registry())


def test_template__case_kinds_keep_names_out_of_the_body():
    for kind in kinds.registry().values():
        if kind.case:
            assert "subjects:" in kinds.builtin_template(kind.name), kind.name


def test_kinds__every_field_type_is_one_mars_checks():
    for kind in [*kinds.registry().values(), *kinds.parts().values()]:
        for field in kind.fields.values():
            assert field.type in kinds.FIELD_TYPES, (kind.name, field.name, field.type)
            assert field.type != "enum" or field.values, (kind.name, field.name)
        assert kind.date_field in kind.fields, kind.name
        assert len(kind.prefix) <= 5 and kind.statuses, kind.name
    prefixes = [k.prefix for k in [*kinds.registry().values(), *kinds.parts().values()]]
    assert len(prefixes) == len(set(prefixes)), "two kinds share an ID prefix"


def test_kinds__structured_fields_show_their_keys_and_an_example(mars):
    marpf = mars("kinds", "marpf").out
    assert "    subjects: subjects\n      each entry may have name, ref, role and dob; for example:\n" \
           "        subjects:\n          - name: Jane Doe\n" in marpf
    section11 = mars("kinds", "section11").out
    assert "each entry may have id, action, owner, due, status, completed and note; for example:\n" \
           "        actions:\n          - id: A1\n" in section11
    assert "with rating, moderated, comment, evidence, improvement and deadline; for example:\n" \
           "        ratings:\n          leadership:\n            rating: amber\n" in section11
    assert "iso_days:\n          - iso: " in section11


def test_kinds__each_structured_field_example_reads_back_with_only_its_keys():
    from mars_cli.model.fields import ENTRY_EXAMPLES, ENTRY_FIELDS
    from mars_cli.store import yaml12

    for ftype, example in ENTRY_EXAMPLES.items():
        data = yaml12.load(example).data
        entries = list(data.values()) if ftype == "ratings" else data
        assert all(set(entry) <= set(ENTRY_FIELDS[ftype]) for entry in entries), ftype


@pytest.mark.parametrize("kind", [k for k in kinds.registry().values()
                                  if {"subjects", "actions", "ratings"} & {f.type for f in k.fields.values()}],
                         ids=lambda k: k.name)
def test_template__shows_the_keys_of_its_structured_fields(kind):
    """A new record's template shows how to write each list of entries people fill in by hand."""
    from mars_cli.model.fields import ENTRY_FIELDS

    template = kinds.builtin_template(kind.name)
    for ftype in ("subjects", "actions", "ratings"):
        if ftype in {f.type for f in kind.fields.values()}:
            assert f"{ftype}:" in template, (kind.name, ftype)
            for key in ENTRY_FIELDS[ftype]:
                assert re.search(rf"\b{key}\b", template), (kind.name, ftype, key)
            first = next(iter(ENTRY_FIELDS[ftype]))
            assert re.search(rf"^  (- )?{first}:|^    {first}:", template, re.M), (kind.name, ftype, "example")


def test_check__a_list_of_entries_of_the_wrong_shape_names_the_keys(workspace_with, mars):
    from conftest import record

    rid = "marpf-2025-06-01-forum-aaaa"
    root = workspace_with({f"records/marpf/2025-26/{rid}.md": record(
        "marpf", rid, status="core-group", core_group_date="2025-06-01", subjects="[Jane Doe, John Doe]")})
    result = mars("-w", root, "check", "--as-of", "2025-06-02")
    assert ("error bad-value subjects: should be a list of entries, each a set of fields (name, ref, role and dob)"
            in result.out), result.out
    assert "e.g. `- name: Jane Doe` then `  ref: \"LCS-123456\"` on the next line" in result.out
    assert "\n1 error, " in result.out


def test_check__ratings_of_the_wrong_shape_name_the_keys(workspace_with, mars):
    from conftest import record

    rid = "s11-2025-06-01-trust-aaaa"
    root = workspace_with({f"records/section11/2025-26/{rid}.md": record(
        "section11", rid, status="draft", agency="trust", ratings="[amber, green]")})
    result = mars("-w", root, "check", "--as-of", "2025-06-02")
    assert ("ratings: should be a set of `standard-id:` entries, each with fields of its own (rating, moderated, "
            "comment, evidence, improvement and deadline)") in result.out, result.out
    assert "e.g. `leadership:` then `  rating: amber` on the next line" in result.out
