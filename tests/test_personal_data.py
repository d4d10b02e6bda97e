"""The personal-data guard tells personal data from its look-alikes, and never repeats what it found."""

from __future__ import annotations

import pytest

from mars_cli.model.personal_data import (
    BIRTH,
    NHS,
    POSTCODE,
    SUBJECT,
    find,
    is_pseudonym,
    nhs_number_valid,
    phrases,
)


@pytest.mark.parametrize("number,valid", [
    ("9434765919", True), ("4010232137", True), ("9434765918", False), ("1234567890", False),
    ("0000000000", True), ("943476591", False), ("94347659190", False),
])
def test_nhs_number__check_digit(number, valid):
    assert nhs_number_valid(number) is valid


@pytest.mark.parametrize("text,kinds", [
    ("NHS number 943 476 5919 on file", [NHS]),
    ("NHS number 943-476-5919", [NHS]),
    ("9434765919", [NHS]),
    ("943 476 5918 fails its check digit", []),
    ("Phone 01724 296400 for the team", []),
    ("Reference 2025-06-03-0001 is a date and a counter", []),
    ("Born 12/03/2015 in Scunthorpe", [BIRTH]),
    ("DOB: 2015-03-12", [BIRTH]),
    ("Her date of birth is the 4th May 2016.", [BIRTH]),
    ("The panel met on 12 March 2015 and agreed the plan.", []),
    ("Returns were due on 31/07/2025; three were late.", []),
    ("Write to us at DN16 1AB.", [POSTCODE]),
    ("write to us at dn16 1ab", [POSTCODE]),
    ("The A18 and the M180 near junction 5; SW1A; Year 6 pupils at 3pm on the 21st", []),
    ("Section 11 standard 3 of 8, 12 GB agencies", []),
])
def test_find__tells_personal_data_from_look_alikes(text, kinds):
    assert [hit.kind for hit in find(text)] == kinds


def test_find__a_subjects_name_in_any_case_and_spacing_and_only_as_a_whole_phrase():
    text = "Met kayden   ASHWORTH today.\nKayden Ashworthson is someone else.\nRef NL-CS-000457 closed."
    hits = find(text, subjects=["Kayden Ashworth", "NL-CS-000457"])
    assert [(h.line, h.kind) for h in hits] == [(1, SUBJECT), (3, SUBJECT)]


def test_find__allowed_postcodes_are_not_hits():
    assert find("Church Square House, DN15 6NL", allowed_postcodes=["dn15 6nl"]) == []


def test_find__hits_carry_the_line_and_kind_and_never_the_text():
    hits = find("first line\nborn 1 May 2014\n")
    assert [(h.line, h.kind) for h in hits] == [(2, BIRTH)]
    assert "2014" not in repr(hits)


@pytest.mark.parametrize("name,pseudonym", [
    ("Child A", True), ("child b", True), ("Mother B", True), ("Young person C", True), ("Child A (sibling)", False),
    ("Kayden Ashworth", False), ("Child Annabel", False), ("NL-CS-000457", False), ("Adam", False),
])
def test_pseudonyms_name_nobody(name, pseudonym):
    assert is_pseudonym(name) is pseudonym


@pytest.mark.parametrize("name,named", [
    ("Child A", []), ("Child C (Jayden Smith)", ["Jayden Smith"]), ("Child A (sibling)", []),
    ("Kayden Ashworth", ["Kayden Ashworth"]), ("NL-CS-000457", ["NL-CS-000457"]),
])
def test_phrases__the_parts_of_a_subjects_name_that_name_someone(name, named):
    assert phrases(name) == named


@pytest.mark.parametrize("text", [
    "NHS 943.476.5919", "NHS 943 476 59\u200b19", "NHS 943\u00a0476\u00a05919", "NHS 943 476\n5919",
])
def test_find__an_nhs_number_however_it_is_spaced_or_wrapped(text):
    assert [h.kind for h in find(text)] == [NHS]


@pytest.mark.parametrize("text", [
    "She was born on the 3rd of March 2019.",
    "Her date of birth, as recorded by the school office, is 3 March 2019.",
    "DOB\n3 March 2019",
])
def test_find__dates_of_birth_in_the_ways_people_write_them(text):
    assert BIRTH in [h.kind for h in find(text)]


def test_find__a_subjects_name_joined_by_hyphens_and_other_references_of_the_same_scheme():
    hits = find("voice-2025-10-01-jayden-smith-and-his-carers\nRef NL CS 000999\nRef NL-CS-12", ["Jayden Smith", "NL-CS-000457"])
    assert [(h.line, h.kind) for h in hits] == [(1, SUBJECT), (2, SUBJECT)]


@pytest.mark.parametrize("text", ["Kаyden Ashworth", "ＫＡＹＤＥＮ ＡＳＨＷＯＲＴＨ", "Kayden Ashwοrth"])
def test_find__a_name_written_with_look_alike_letters_from_other_scripts(text):
    assert [h.kind for h in find(text, ["Kayden Ashworth"])] == [SUBJECT]


def test_find__dates_in_a_tables_date_of_birth_column_however_far_down():
    rows = "".join(f"| Child {c} | Year {n} | 0{n}/02/201{n} |\n" for n, c in zip(range(1, 9), "ABCDEFGH"))
    table = "| Pseudonym | School year | Date of birth |\n|---|---|---|\n" + rows + "\nMet on 12/03/2025.\n"
    hits = find(table)
    assert [(h.line, h.kind) for h in hits] == [(n, BIRTH) for n in range(3, 11)]
    tabbed = "Name\tDOB\tSchool\nChild A\tnot known\tHill\nChild B\t2014-05-06\tHill\n"
    assert [(h.line, h.kind) for h in find(tabbed)] == [(3, BIRTH)]
    # a table of meeting dates is not a table of birthdays
    meetings = "| Meeting | Date |\n|---|---|\n" + "".join(f"| Board | 0{n}/03/2025 |\n" for n in range(1, 9))
    assert find(meetings) == []
