"""Other partnerships' scales and question sets, with no code change (issue 11, point 10).

A scale of numbers (`rating_scale: [0, 1, 2, 3]`) with scores written as numbers; a question set
whose numbered standards hold numbered items, each rated on its own with a self-assessed and a
moderated score, evidence, areas for improvement and a deadline. Records are written inline; the
configuration is the test one with its scale and section11 question set replaced.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import CONFIG, ROOT, record, snapshot

from mars_cli.derive.context import Context
from mars_cli.derive.ratings import Rated, ratings_of
from mars_cli.framework.load import read_workspace
from mars_cli.store import yaml12

NUMBERED = CONFIG.split("rating_scale:")[0] + """\
rating_scale: [0, 1, 2, 3]
standards:
  section11:
    - id: "1"
      title: Leadership and accountability
      items:
        - {id: "1.1", title: A named senior lead for safeguarding}
        - {id: "1.2", title: Safeguarding reports to the board}
    - id: "2"
      title: Safer recruitment
  schools:
    - {id: dsl, title: Designated safeguarding lead}
"""

S11 = "records/section11/2025-26/s11-2025-06-01-test-aaaa.md"


def s11(ratings: str) -> str:
    """A draft Section 11 record of the trust with this `ratings:` block (`ratings:` on line 9)."""
    text = record("section11", "s11-2025-06-01-test-aaaa", status="draft", agency="trust")
    return text.replace("---\n\n#", f"ratings:\n{ratings}---\n\n#")


GOOD = """\
  "1.1":
    rating: 2
    moderated: 1
    comment: Named lead in post since April.
    evidence: Board minutes, March 2025.
    improvement: Deputy lead not yet trained.
    deadline: 2026-03-31
  "1.2":
    rating: 3
  "2":
    rating: 0
    comment: No single central record.
"""


def check(mars, root):
    before = snapshot(root)
    result = mars("-w", root, "check")
    assert snapshot(root) == before, "check must never change a file"
    assert "Traceback" not in result.text
    return result


def about_the_record(result) -> list[str]:
    """The findings on the Section 11 record (the workspace as a whole has others: agencies without one)."""
    return [line for line in result.out.splitlines() if line.startswith(S11)]


# --------------------------------------------------------------------------- mars.yaml


@pytest.mark.parametrize("scale,words", [
    ("[0, red]", "rating_scale mixes words and numbers"),
    ("[0, 1, 1]", "rating_scale lists 1 twice"),
    ("[red, amber, red]", "rating_scale lists red twice"),
    ("[]", "rating_scale must be a list of ratings"),
    ("green", "rating_scale must be a list of ratings"),
    ("[0, true]", "rating_scale: true/false (true) is neither a word nor a number"),
    ("[0, .nan]", "rating_scale: the number nan is neither a word nor a number"),
])
def test_scale__must_be_unique_words_or_unique_numbers(workspace_with, mars, scale, words):
    config = NUMBERED.replace("rating_scale: [0, 1, 2, 3]", f"rating_scale: {scale}")
    result = check(mars, workspace_with(config=config))
    line = config.splitlines().index(f"rating_scale: {scale}") + 1
    assert f"mars.yaml:{line}: error bad-setting {words}" in result.out
    assert "[0, 1, 2, 3]" in result.out or "Give each score once" in result.out


def test_standards__items_need_text_ids_and_unique_ones(workspace_with, mars):
    config = NUMBERED.replace('{id: "1.2", title', "{id: 1.2, title").replace(
        '    - id: "2"\n', '    - id: "2"\n      itmes: []\n')
    result = check(mars, workspace_with(config=config))
    lines = config.splitlines()
    at = next(i for i, text in enumerate(lines, 1) if "id: 1.2" in text)
    assert (f"mars.yaml:{at}: error bad-setting item 2 of standard '1': id 1.2 must be in quotes"
            in result.out)
    assert 'Write id: "1.2"' in result.out
    at = lines.index("      itmes: []") + 1
    assert f"mars.yaml:{at}: warning unknown-key unknown field 'itmes' in standards.section11" in result.out
    assert "Did you mean 'items'?" in result.out


def test_standards__an_item_id_used_twice(workspace_with, mars):
    config = NUMBERED.replace('"1.2", title', '"1.1", title')
    result = check(mars, workspace_with(config=config))
    assert "error duplicate-id item '1.1' is listed twice in 'section11'" in result.out


# --------------------------------------------------------------------------- scores in records


def test_scores__numbers_on_a_numeric_scale_unquoted(workspace_with, mars):
    result = check(mars, workspace_with({S11: s11(GOOD)}, config=NUMBERED))
    assert result.code == 0, result.out
    assert about_the_record(result) == []


def test_standards__a_whole_number_id_is_its_digits(workspace_with, mars):
    config = NUMBERED.replace('    - id: "2"\n', "    - id: 2\n")
    result = check(mars, workspace_with({S11: s11(GOOD.replace('  "2":', "  2:"))}, config=config))
    assert result.code == 0, result.out
    assert about_the_record(result) == []


def test_scores__off_the_numeric_scale(workspace_with, mars):
    ratings = '  "1.1":\n    rating: 4\n    moderated: amber\n  "1.2":\n    rating: true\n  "2":\n    rating: 1.5\n'
    result = check(mars, workspace_with({S11: s11(ratings)}, config=NUMBERED))
    assert result.code == 1
    assert ":11: error bad-rating ratings.1.1.rating: the number 4 is not on the rating scale" in result.out
    assert "Use one of: 0, 1, 2, 3." in result.out
    assert ":12: error bad-rating ratings.1.1.moderated: 'amber' is not on the rating scale" in result.out
    assert ":14: error bad-rating ratings.1.2.rating: true/false (true) is not on the rating scale" in result.out
    assert ":16: error bad-rating ratings.2.rating: the number 1.5 is not on the rating scale" in result.out


def test_scores__quoted_number_is_text_not_the_number(workspace_with, mars):
    """Decided: the text "2" is not the number 2. Composites add and compare scores, so a quoted
    score is refused with the one-line fix, rather than silently counted."""
    ratings = '  "1.1":\n    rating: "2"\n    moderated: \'1\'\n'
    result = check(mars, workspace_with({S11: s11(ratings)}, config=NUMBERED))
    assert ":11: error bad-rating ratings.1.1.rating: '2' is text in quotes, not the number 2" in result.out
    assert "hint: Write it without quotes: 2." in result.out
    assert ":12: error bad-rating ratings.1.1.moderated: '1' is text in quotes, not the number 1" in result.out


def test_scores__a_number_on_a_scale_of_words(workspace_with, mars):
    text = record("section11", "s11-2025-06-01-test-aaaa", status="returned", agency="trust").replace(
        "---\n\n#", "ratings:\n  leadership:\n    rating: 2\n---\n\n#")
    result = check(mars, workspace_with({S11: text}))
    assert ":11: error bad-rating ratings.leadership.rating: the number 2 is not on the rating scale" in result.out
    assert "Use one of: red, amber, green." in result.out


def test_scores__a_number_on_a_scale_of_quoted_numbers(workspace_with, mars):
    config = NUMBERED.replace("rating_scale: [0, 1, 2, 3]", "rating_scale: ['0', '1', '2', '3']")
    result = check(mars, workspace_with({S11: s11('  "1.1":\n    rating: 2\n    moderated: \'1\'\n')}, config=config))
    assert ":11: error bad-rating ratings.1.1.rating: the number 2 is not on the rating scale, which is text ('2')" \
        in result.out
    assert "make mars.yaml's rating_scale numbers without quotes" in result.out
    assert "ratings.1.1.moderated" not in result.out


def test_scores__each_field_of_an_entry_is_checked(workspace_with, mars):
    ratings = ('  "1.1":\n    rating: 2\n    deadline: 31/03/2026\n    evidence: [a, b]\n'
               '    improvments: More training.\n')
    result = check(mars, workspace_with({S11: s11(ratings)}, config=NUMBERED))
    assert ":12: error bad-value ratings.1.1.deadline:" in result.out
    assert "YYYY-MM-DD" in result.out or "2026-" in result.out
    assert ":13: error bad-value ratings.1.1.evidence:" in result.out
    assert ":14: warning unknown-key 'improvments' is not a field of ratings.1.1" in result.out
    assert "Did you mean 'improvement'?" in result.out


# --------------------------------------------------------------------------- items in records


def test_items__unknown_item_and_a_standard_rated_whole(workspace_with, mars):
    ratings = '  "1.3":\n    rating: 1\n  "1":\n    rating: 2\n  "1.1":\n    rating: 2\n  "1.2":\n    rating: 2\n'
    result = check(mars, workspace_with({S11: s11(ratings)}, config=NUMBERED))
    assert ":10: warning unknown-standard '1.3' is not a standard or item of the 'section11' question set" \
        in result.out
    assert ":12: warning unknown-standard '1' is a standard with items, so it is rated item by item" in result.out
    assert "Move the rating under its items: 1.1, 1.2." in result.out


def test_items__a_missing_item_is_named(workspace_with, mars):
    ratings = '  "1.1":\n    rating: 2\n  "2":\n    rating: 1\n'
    result = check(mars, workspace_with({S11: s11(ratings)}, config=NUMBERED))
    assert (":9: warning missing-field ratings has no entry for item '1.2' (Safeguarding reports to the board)"
            in result.out)


def test_items__unquoted_item_ids_are_read_as_their_ids(workspace_with, mars):
    """`1.1:` without quotes is the number 1.1; it is item "1.1" because no other id is that number."""
    result = check(mars, workspace_with({S11: s11(GOOD.replace('"1.1":', "1.1:").replace('"2":', "2:"))},
                                        config=NUMBERED))
    assert result.code == 0, result.out
    assert about_the_record(result) == []


def test_items__an_unquoted_id_two_items_match_asks_for_quotes(workspace_with, mars):
    config = NUMBERED.replace('        - {id: "1.2", title: Safeguarding reports to the board}\n',
                              '        - {id: "1.2", title: Reports}\n        - {id: "1.10", title: Ten}\n')
    ratings = '  1.10:\n    rating: 2\n  "1.1":\n    rating: 2\n  "1.2":\n    rating: 2\n'
    result = check(mars, workspace_with({S11: s11(ratings)}, config=config))
    assert ":10: warning unknown-standard 1.1 without quotes is a number, which more than one id" in result.out
    assert "missing-field ratings has no entry for item '1.10'" in result.out


def test_items__an_item_rated_twice(workspace_with, mars):
    ratings = '  1.1:\n    rating: 2\n  "1.1":\n    rating: 3\n  "1.2":\n    rating: 2\n'
    result = check(mars, workspace_with({S11: s11(ratings)}, config=NUMBERED))
    assert ":12: error duplicate-key ratings: '1.1' is rated twice" in result.out


# --------------------------------------------------------------------------- the one reading, and show


def test_ratings_of__every_question_in_order_with_its_fields(workspace_with):
    root = workspace_with({S11: s11(GOOD.replace('  "1.2":\n    rating: 3\n', "").replace('"2":', "2:"))},
                          config=NUMBERED)
    ws = read_workspace(root)
    record = next(r for r in ws.records if r.path == S11)
    rated = ratings_of(Context(ws, dt.date(2025, 7, 1)), record)
    assert [(r.standard, r.item) for r in rated] == [("1", "1.1"), ("1", "1.2"), ("2", None)]
    first, missing, whole = rated
    assert first == Rated(standard="1", standard_title="Leadership and accountability", item="1.1",
                          item_title="A named senior lead for safeguarding", self_assessed=2, moderated=1,
                          comment="Named lead in post since April.", evidence="Board minutes, March 2025.",
                          improvement="Deputy lead not yet trained.", deadline=dt.date(2026, 3, 31), line=10)
    assert (missing.self_assessed, missing.moderated, missing.line) == (None, None, 9)  # the `ratings:` line
    assert (whole.question, whole.item_title, whole.self_assessed, whole.line) == ("2", "", 0, 17)


def test_ratings_of__the_example_workspace_reads_as_before():
    ws = read_workspace(ROOT / "example-workspace")
    record = next(r for r in ws.records if r.id == "s11-2024-06-02-rdash-section-11-return-2024-25-x5k3")
    rated = ratings_of(Context(ws, dt.date(2025, 7, 1)), record)
    assert [r.standard for r in rated][:2] == ["senior-commitment", "accountability"]
    assert rated[-1].self_assessed == "red" and rated[-1].item is None
    assert rated[-1].standard_title == "Supervision and support for staff"


def test_show__numeric_scores_and_items(workspace_with, mars):
    root = workspace_with({S11: s11(GOOD)}, config=NUMBERED)
    result = mars("-w", root, "show", "s11-2025-06-01-test-aaaa")
    assert result.code == 0
    assert "  1.1:\n    rating: 2\n    moderated: 1\n" in result.out
    assert "    deadline: 31 March 2026\n" in result.out


# --------------------------------------------------------------------------- new records


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml12.load(text.split("---\n")[1]).data


def test_new__an_item_set_starts_with_an_entry_for_each_item(workspace_with, mars):
    root = workspace_with(config=NUMBERED)
    result = mars("-w", root, "new", "section11", "--title", "Trust return", "--agency", "trust",
                  "--as-of", "2025-06-01")
    assert result.code == 0, result.text
    path = Path(result.out.strip())
    assert list(front_matter(path)["ratings"]) == ["1.1", "1.2", "2"]
    text = path.read_text()
    assert "  # Standard 1: Leadership and accountability\n  # A named senior lead for safeguarding\n  '1.1':\n" in text
    assert "  # Safer recruitment\n  '2':\n" in text
    assert check(mars, root).code == 0


def test_new__from_last_year_carries_numeric_scores_not_the_moderated_one(workspace_with, mars):
    last = record("section11", "s11-2024-06-01-trust-aaaa", created="2024-06-01", status="closed", agency="trust",
                  cycle="2024-25").replace("---\n\n#", "ratings:\n" + GOOD.replace('"1.1":', "1.1:") + "---\n\n#")
    root = workspace_with({"records/section11/2024-25/s11-2024-06-01-trust-aaaa.md": last}, config=NUMBERED)
    result = mars("-w", root, "new", "section11", "--title", "Trust return 2025-26", "--agency", "trust",
                  "--from-last-year", "--as-of", "2025-06-02")
    assert result.code == 0, result.text
    assert "Carried forward 3 rating(s)" in result.err  # a score of 0 is a rating too
    ratings = front_matter(Path(result.out.strip()))["ratings"]
    assert list(ratings) == ["1.1", "1.2", "2"]  # written as text ids, whatever last year's file did
    assert ratings["1.1"] == {"rating": 2, "comment": "Named lead in post since April.",
                              "evidence": "Board minutes, March 2025.", "improvement": "Deputy lead not yet trained.",
                              "deadline": dt.date(2026, 3, 31)}
    assert ratings["2"]["rating"] == 0
    assert check(mars, root).code == 0
