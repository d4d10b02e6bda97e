"""In-place edits change only the lines they must: proved with a line diff on hand-edited files."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest

from mars_cli.model.errors import Refused
from mars_cli.store import edit, yaml12

# A record as an officer might leave it: comments everywhere, odd quoting, a list
# indented differently from mars's own style, flow lists, a block scalar, a body.
HAND_EDITED = """\
---
# Humberside Police event - keep the letter dates up to date
id: ae-2025-06-26-police-event-2bwp
kind: agency-event
title: "Humberside Police assurance event"   # quoted on purpose
status: held
marking: OFFICIAL
created: 2025-06-26
agency: humberside-police
date: 2025-10-14
lead_iso: 'graham-tillotson'
scrutineers: [claire-fenwick, rachel-oakley]
letter_sent:
tags: []
iso_days:
    -   iso: graham-tillotson     # four-space list, as typed
        days: 1
        date: 2025-10-14
notes_for_board: |
  Two paragraphs
  kept exactly.
---

# Humberside Police assurance event

Body text: stays byte-identical, including `---` inside it.
---
"""


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    return ([d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")])


def test_edit__set_an_empty_value_touches_one_line():
    after = edit.set_value(HAND_EDITED, ("letter_sent",), dt.date(2025, 11, 18))
    assert changed_lines(HAND_EDITED, after) == (["letter_sent:\n"], ["letter_sent: 2025-11-18\n"])


def test_edit__replace_a_value_keeps_its_comment():
    after = edit.set_value(HAND_EDITED, ("title",), "Humberside Police: assurance event")
    assert changed_lines(HAND_EDITED, after) == (
        ['title: "Humberside Police assurance event"   # quoted on purpose\n'],
        ["title: 'Humberside Police: assurance event'   # quoted on purpose\n"])


def test_edit__text_that_yaml_would_misread_is_quoted():
    after = edit.set_value(HAND_EDITED, ("status",), "2025")
    assert yaml12.load(after.split("---\n")[1]).data["status"] == "2025"


def test_edit__add_a_missing_key_at_the_end_of_the_front_matter():
    after = edit.set_value(HAND_EDITED, ("owner",), "lucy-barraclough")
    removed, added = changed_lines(HAND_EDITED, after)
    assert removed == [] and added == ["owner: lucy-barraclough\n"]
    assert after.index("owner:") < after.index("---\n\n# Humberside")


def test_edit__append_to_a_hand_indented_list_matches_its_indentation():
    entry = {"iso": "aisha-rahman", "days": 0.5, "date": dt.date(2025, 11, 5)}
    after = edit.append_item(HAND_EDITED, ("iso_days",), entry)
    removed, added = changed_lines(HAND_EDITED, after)
    assert removed == []
    assert added == ["    - iso: aisha-rahman\n", "      days: 0.5\n", "      date: 2025-11-05\n"]
    assert yaml12.load(after.split("---\n")[1]).data["iso_days"][1] == entry


def test_edit__append_to_flow_lists():
    after = edit.append_item(HAND_EDITED, ("scrutineers",), "aisha-rahman")
    assert changed_lines(HAND_EDITED, after) == (
        ["scrutineers: [claire-fenwick, rachel-oakley]\n"],
        ["scrutineers: [claire-fenwick, rachel-oakley, aisha-rahman]\n"])
    after = edit.append_item(HAND_EDITED, ("tags",), "police")
    assert changed_lines(HAND_EDITED, after) == (["tags: []\n"], ["tags:\n", "  - police\n"])


def test_edit__append_creates_a_missing_list():
    note = {"date": dt.date(2026, 1, 5), "by": "lucy-barraclough", "note": "Letter: sent"}
    after = edit.append_item(HAND_EDITED, ("updates",), note)
    removed, added = changed_lines(HAND_EDITED, after)
    assert removed == []
    assert added == ["updates:\n", "  - date: 2026-01-05\n", "    by: lucy-barraclough\n", "    note: 'Letter: sent'\n"]


def test_edit__nested_value_and_crlf_line_endings():
    crlf = HAND_EDITED.replace("\n", "\r\n")
    after = edit.set_value(crlf, ("iso_days", 0, "days"), 2)
    removed, added = changed_lines(crlf, after)
    assert [r.strip() for r in removed] == ["days: 1"] and [a.strip() for a in added] == ["days: 2"]
    assert after.count("\r\n") == crlf.count("\r\n") and "\n" not in after.replace("\r\n", "")
    after = edit.append_item(crlf, ("iso_days",), {"iso": "x", "days": 1})
    assert "\r\n" in after and "\n" not in after.replace("\r\n", "")


def test_edit__body_and_everything_else_is_byte_identical():
    after = edit.set_value(HAND_EDITED, ("status",), "closed")
    assert after.split("status:")[0] == HAND_EDITED.split("status:")[0]
    assert after.split("marking:")[1] == HAND_EDITED.split("marking:")[1]


@pytest.mark.parametrize("path,value,words", [
    (("scrutineers",), "x", "holds a list"),
    (("notes_for_board",), "short", "block of text"),
    (("title", "sub"), "x", "is not a block of fields"),
])
def test_edit__refuses_what_it_cannot_do_exactly(path, value, words):
    with pytest.raises(Refused) as caught:
        edit.set_value(HAND_EDITED, path, value)
    assert words in caught.value.message


def test_edit__refuses_files_it_cannot_read():
    with pytest.raises(Refused):
        edit.set_value("no front matter\n", ("status",), "held")
    with pytest.raises(Refused):
        edit.set_value("---\ntitle: [\n---\n", ("status",), "held")


def test_edit__every_example_record_takes_edits_touching_only_their_lines():
    from conftest import ROOT
    paths = sorted((ROOT / "example-workspace" / "records").rglob("*.md"))
    assert len(paths) > 60
    for path in paths:
        text = path.read_text(encoding="utf-8")
        after = edit.set_value(text, ("retention",), dt.date(2032, 3, 31))
        assert changed_lines(text, after) == ([], ["retention: 2032-03-31\n"]), path
        after = edit.append_item(text, ("related",), "x-2026-01-01-extra-aaaa")
        removed, added = changed_lines(text, after)
        assert len(removed) <= 1 and 1 <= len(added) <= 2, (path, removed, added)
        status = yaml12.load(text.split("---\n")[1]).data["status"]
        assert edit.set_value(text, ("status",), status) == text, path  # same value: same bytes


def test_edit__refuses_anchors_and_aliases_even_recursive_ones():
    for text in ("---\na: &x\n  b: *x\n---\n", "---\na: &x foo\nb: 1\nc: *x\n---\nbody\n"):
        with pytest.raises(Refused) as caught:
            edit.set_value(text, ("d",), 1)
        assert "anchors and aliases" in caught.value.message


def test_edit__a_very_long_value_stays_on_its_line():
    text = "---\nn:\n    a: x\n---\n"
    after = edit.set_value(text, ("n", "a"), "word " * 1000)
    assert after.count("\n") == text.count("\n")


@pytest.mark.parametrize("text,path,value,expected", [
    ("---\nl:     []\n---\n", ("l",), "a", "---\nl:\n  - a\n---\n"),
    ("---\nl:\n  []\n---\n", ("l",), "a", "---\nl:\n  - a\n---\n"),
    ("---\nl: &x []\n---\n", ("l",), "a", "---\nl:\n  - a\n---\n"),
    ("---\nl: [a, b,]\n---\n", ("l",), "c", "---\nl: [a, b, c]\n---\n"),
    ("---\nl:\n---\n", ("l",), None, "---\nl:\n  -\n---\n"),
])
def test_edit__append_leaves_no_stray_spaces(text, path, value, expected):
    assert edit.append_item(text, path, value) == expected


def test_edit__set_value_on_a_value_written_on_the_next_line():
    assert edit.set_value("---\na:\n  foo\nb: 1\n---\n", ("a",), None) == "---\na:\nb: 1\n---\n"
    assert edit.set_value("---\na:\n  foo\nb: 1\n---\n", ("a",), "bar") == "---\na: bar\nb: 1\n---\n"


def test_edit__line_endings_bom_and_pasted_paragraph_marks():
    mixed = "---\r\na: 1\r\nb: 2\r\n---\r\nbody\r\n"
    assert edit.set_value(mixed, ("c",), 3) == "---\r\na: 1\r\nb: 2\r\nc: 3\r\n---\r\nbody\r\n"
    assert edit.set_value("---\nstatus: a\n---\n".replace("---\n", "---\n", 1), ("status",), "b").endswith(
        "status: b\n---\n")
    bom = "\ufeff---\nstatus: a\n---\n"
    assert edit.set_value(bom, ("status",), "b") == "\ufeff---\nstatus: b\n---\n"
    after = edit.append_item("---\nupdates: []\n---\n", ("updates",), {"note": "Para one\u2029Para two"})
    assert yaml12.load(after.split("---\n")[1]).data["updates"][0]["note"] == "Para one\u2029Para two"


def test_edit__refuses_duplicate_keys_and_non_single_values():
    with pytest.raises(Refused) as caught:
        edit.set_value("---\nstatus: a\nstatus: b\n---\n", ("status",), "c")
    assert "'status' is given twice" in caught.value.message
    for value in ([1], {"a": 1}):
        with pytest.raises(Refused):
            edit.set_value(HAND_EDITED, ("status",), value)
    with pytest.raises(Refused):
        edit.set_value(HAND_EDITED, (), "x")


def test_edit__huge_numbers_and_huge_lists_refuse_rather_than_crash():
    with pytest.raises(Refused):
        edit.set_value("---\nl: [" + ", ".join(["1"] * 200_001) + "]\n---\n", ("a",), 1)
    with pytest.raises(Refused):  # past model/limits.py: the record is not read, so not edited either
        edit.set_value("---\nd: " + "9" * 5000 + "\n---\n", ("a",), 1)


def test_edit__first_entry_keeps_the_comment_on_the_key_line():
    for empty in ("steps: []   # nothing yet", "steps:   # nothing yet"):
        text = f"---\nid: x\n{empty}\ntags: [a]\n---\nbody\n"
        after = edit.append_item(text, ("steps",), {"step": "event", "date": dt.date(2025, 7, 1)})
        assert after == "---\nid: x\nsteps:   # nothing yet\n  - step: event\n    date: 2025-07-01\ntags: [a]\n---\nbody\n"


def test_edit__entries_with_fields_are_not_added_to_a_one_line_list():
    text = "---\nid: x\nsteps: [{step: a, date: 2025-07-01}]\n---\n"
    with pytest.raises(Refused) as refused:
        edit.append_item(text, ("steps",), {"step": "b", "date": dt.date(2025, 7, 2)})
    assert "written on one line" in refused.value.message and "one entry per line" in refused.value.hint


@pytest.mark.parametrize("path, value, removed, added", [
    (("scrutineers",), ["a", "b"], ["scrutineers: [claire-fenwick, rachel-oakley]\n"], ["scrutineers: [a, b]\n"]),
    (("scrutineers",), None, ["scrutineers: [claire-fenwick, rachel-oakley]\n"], ["scrutineers:\n"]),
    (("letter_sent",), ["x"], ["letter_sent:\n"], ["letter_sent: [x]\n"]),
    (("lead_iso",), None, ["lead_iso: 'graham-tillotson'\n"], ["lead_iso:\n"]),
    (("iso_days",), None, ["    -   iso: graham-tillotson     # four-space list, as typed\n", "        days: 1\n",
                           "        date: 2025-10-14\n"], []),
    (("iso_days",), "x", ["iso_days:\n", "    -   iso: graham-tillotson     # four-space list, as typed\n",
                          "        days: 1\n", "        date: 2025-10-14\n"], ["iso_days: x\n"]),
    (("related",), ["r1"], [], ["related: [r1]\n"]),
])
def test_edit__replace_value_changes_only_its_lines(path, value, removed, added):
    after = edit.replace_value(HAND_EDITED, path, value)
    assert changed_lines(HAND_EDITED, after) == (removed, added)
    assert yaml12.load(after.split("---\n")[1]).data[path[0]] == value


def test_edit__replace_value_keeps_a_block_lists_layout_and_its_keys_comment():
    text = "---\nid: x\nscrutineers:   # who\n    - a   # first\n    - b\n# after\nlast: 1\n---\n"
    assert edit.replace_value(text, ("scrutineers",), ["c", "d", "e"]) == \
        "---\nid: x\nscrutineers:   # who\n    - c\n    - d\n    - e\n# after\nlast: 1\n---\n"
    assert edit.replace_value(text, ("scrutineers",), None) == "---\nid: x\nscrutineers:   # who\n# after\nlast: 1\n---\n"
    with pytest.raises(Refused):
        edit.replace_value(text, ("scrutineers",), [{"a": 1}])


def test_edit__remove_key_takes_its_lines_and_nothing_else():
    assert changed_lines(HAND_EDITED, edit.remove_key(HAND_EDITED, "iso_days")) == (
        ["iso_days:\n", "    -   iso: graham-tillotson     # four-space list, as typed\n", "        days: 1\n",
         "        date: 2025-10-14\n"], [])
    crlf = "---\r\nid: x\r\nstray: 1   # typo\r\nlast: 2\r\n---\r\nbody\r\n"
    assert edit.remove_key(crlf, "stray") == "---\r\nid: x\r\nlast: 2\r\n---\r\nbody\r\n"
    with pytest.raises(Refused):
        edit.remove_key(crlf, "missing")
