"""`check` after a few records changed works out again only what the changes reach, over the records
that needs (rules/delta.py), and says byte for byte what a check of the whole workspace without the
cache says. Each test counts the checks that took that path, so that it is known to be tested, and the
ones that gave up and checked everything (a change it cannot follow), which must say the same too.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, git, record

from mars_cli.rules import delta
from mars_cli.rules.units import Stored
from mars_cli.store import cache, parallel

EXAMPLE = ROOT / "example-workspace"
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402


@pytest.fixture
def taken(monkeypatch) -> dict[str, int]:
    """How many checks took the path of a few changes ('part') and how many checked everything."""
    counts = {"part": 0, "whole": 0}
    check = delta.check

    def counted(*args, **kwargs):
        found = check(*args, **kwargs)
        counts["whole" if found is None else "part"] += 1
        return found

    monkeypatch.setattr(delta, "check", counted)
    return counts


def _aged(root: Path) -> Path:
    past = time.time() - 3600
    for path in root.rglob("*"):
        if ".git" not in path.parts and not path.is_symlink():
            os.utime(path, (past, past))
    return root


@pytest.fixture
def example(tmp_path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build", ".mars"))
    git(root, "init", "--quiet")
    return _aged(root)


def _same(mars, monkeypatch, root: Path, *extra: str) -> str:
    """`check` through the cache and without it: the same output and exit code, as JSON (given back) and
    as text. The cached one first (the text one is then answered whole, from the JSON one's result)."""
    outputs = ""
    for fmt in ("json", "text"):
        cached = mars("-w", root, "check", "--format", fmt, *extra)
        monkeypatch.setenv(cache.OFF, "1")
        plain = mars("-w", root, "check", "--format", fmt, *extra)
        monkeypatch.delenv(cache.OFF)
        assert (cached.code, cached.out, cached.err) == (plain.code, plain.out, plain.err), fmt
        outputs = outputs if fmt == "text" else cached.out
    return outputs


def _edit(path: Path, chooser: random.Random) -> None:
    """One ordinary edit of a record: a line of text added, a date moved, a status, a title or an
    owner changed, a field taken out."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    fields = re.findall(r"^(\w+): (.+)$", head, re.M)
    choice = chooser.randrange(6)
    dated = [(k, v) for k, v in fields if re.fullmatch(r"\d{4}-\d\d-\d\d", v) and k != "created"]
    if choice == 1 and dated:
        key, value = chooser.choice(dated)
        moved = f"{int(value[:4]) + chooser.choice((-1, 1))}{value[4:]}"
        head = head.replace(f"{key}: {value}", f"{key}: {moved}", 1)
    elif choice == 2 and "\nstatus: " in head:
        status = re.search(r"^status: (.+)$", head, re.M).group(1)
        head = head.replace(f"status: {status}", f"status: {chooser.choice(['open', 'complete', 'done', status])}", 1)
    elif choice == 3:
        head = re.sub(r"^title: (.+)$", lambda m: f"title: {m.group(1)} (revised)", head, count=1, flags=re.M)
    elif choice == 4 and "\nowner: " in head:
        head = re.sub(r"^owner: (.+)$", "owner: graham-tillotson", head, count=1, flags=re.M)
    elif choice == 5:
        removable = [k for k, _ in fields if k not in ("id", "kind", "created", "title", "marking")]
        if removable:
            key = chooser.choice(removable)
            head = re.sub(rf"^{key}: .+\n?", "", head, count=1, flags=re.M)
    else:
        body += f"\nA line added in review {chooser.randrange(1000)}.\n"
    path.write_text(f"{head}\n---\n{body}", encoding="utf-8")


def test_delta__an_edit_to_a_record_of_every_kind_says_what_a_whole_check_says(example, mars, monkeypatch, taken):
    _same(mars, monkeypatch, example)
    chooser = random.Random(2026)
    by_folder: dict[str, list[Path]] = {}
    for path in sorted((example / "records").rglob("*.md")):
        by_folder.setdefault(path.relative_to(example).parts[1], []).append(path)
    for _, paths in sorted(by_folder.items()):
        for path in chooser.sample(paths, min(2, len(paths))):
            _edit(path, chooser)
            _same(mars, monkeypatch, example)
    assert taken["part"] >= 20, taken  # most edits took the path of a few changes


@pytest.mark.parametrize("most_more", [Stored.MOST_MORE, 4])
def test_delta__random_edits_to_a_generated_workspace_say_what_a_whole_check_says(tmp_path, mars, monkeypatch, taken,
                                                                                   most_more):
    """Thirty rounds of one to three edits, each check after the last: what they work out again is added
    beside the whole check's units, which are written whole again when that grows large (most_more)."""
    monkeypatch.setattr(Stored, "MOST_MORE", most_more)
    root = tmp_path / "generated"
    generate.Generator().generate(root, 300)
    _aged(root)
    _same(mars, monkeypatch, root)
    chooser = random.Random(7)
    records = sorted((root / "records").rglob("*.md"))
    for _ in range(30):
        for path in chooser.sample(records, chooser.choice((1, 1, 1, 2, 3))):
            _edit(path, chooser)
        _same(mars, monkeypatch, root)
    assert taken["part"] >= 20, taken  # most: some edits break a file, or change which years are checked


def test_delta__an_action_edited_works_out_its_plan_alone(example, mars, monkeypatch, taken):
    """An action's due date moved past today: it is overdue, and so is its plan; nothing else is
    worked out again, and what the next check finds is what a whole check finds."""
    _same(mars, monkeypatch, example)
    action = next(p for p in sorted((example / "records" / "action-plan").rglob("act-*.md"))
                  if "status: complete" not in p.read_text(encoding="utf-8"))
    text = action.read_text(encoding="utf-8")
    action.write_text(re.sub(r"^due: .+$", "due: 2025-05-01", text, count=1, flags=re.M), encoding="utf-8")
    found = json.loads(_same(mars, monkeypatch, example))["findings"]
    assert taken["part"] == 1
    assert [f for f in found if f["path"] == action.relative_to(example).as_posix() and f["rule"] == "action.overdue"]


def test_delta__changes_it_cannot_follow_check_everything(example, mars, monkeypatch, taken):
    """A record added, removed or renamed, an ID changed, two records given one ID, a plan's source
    changed: the whole workspace is checked, and says the same as without the cache."""
    _same(mars, monkeypatch, example)
    records = sorted((example / "records").rglob("*.md"))
    plan = next(p for p in records if p.parent.name == "2025-26" and "/action-plan/" in p.as_posix())
    text = plan.read_text(encoding="utf-8")
    source = re.search(r"^source: (.+)$", text, re.M).group(1)
    other = next(p.stem for p in records if "/line-of-sight/" in p.as_posix() and p.stem != source)
    steps = [
        lambda: plan.write_text(text.replace(f"source: {source}", f"source: {other}"), encoding="utf-8"),
        lambda: plan.write_text(text, encoding="utf-8"),
        lambda: (example / "records" / "call-in" / "ci-2026-01-05-extra-call-in-zzzz.md").write_text(
            record("call-in", "ci-2026-01-05-extra-call-in-zzzz", "2026-01-05", status="requested"), encoding="utf-8"),
        lambda: (example / "records" / "call-in" / "ci-2026-01-05-extra-call-in-zzzz.md").unlink(),
        lambda: records[3].rename(records[3].with_name("renamed-" + records[3].name)),
    ]
    for step in steps:
        before = taken["whole"]
        step()
        _same(mars, monkeypatch, example)
        assert taken["whole"] == before + 1  # the first of the two: the second is answered whole from the cache
    events = sorted((example / "records" / "line-of-sight").rglob("*.md"))
    first_id = re.search(r"^id: (.+)$", events[0].read_text(encoding="utf-8"), re.M).group(1)
    second = events[1]
    second.write_text(re.sub(r"^id: .+$", f"id: {first_id}", second.read_text(encoding="utf-8"), count=1,
                             flags=re.M), encoding="utf-8")
    assert "duplicate-id" in _same(mars, monkeypatch, example)


def test_delta__after_a_check_shared_with_a_child_process(example, mars, monkeypatch, taken, forks):
    """The units a child checked are kept in a file of its own: a check after a change takes them only
    when they are that check's, and says what a whole check says."""
    monkeypatch.setattr(parallel, "FEWEST", 10)
    _same(mars, monkeypatch, example)
    assert forks, "a child was started"
    action = sorted((example / "records" / "action-plan").rglob("act-*.md"))[0]
    action.write_text(action.read_text(encoding="utf-8") + "\nReviewed.\n", encoding="utf-8")
    _same(mars, monkeypatch, example)
    assert taken["part"] == 1


def test_delta__a_record_another_reads_reaches_it_and_a_new_reference_is_followed(example, mars, monkeypatch, taken):
    """A learning review reads its rapid review (`rapid_review:`): a change to the rapid review's dates or
    decision reaches the learning review's findings; pointed at another record, the learning review reads
    a record the last check did not load for it, and what it finds is still what a whole check finds."""
    _same(mars, monkeypatch, example)
    review = next((example / "records" / "rapid-review").rglob("rr-*.md"))
    learning = next((example / "records" / "cspr").rglob("cspr-*.md"))
    assert f"rapid_review: {review.stem}" in learning.read_text(encoding="utf-8")
    original = review.read_text(encoding="utf-8")
    for old, new in (("meeting_date: 2025-11-20", "meeting_date: 2025-12-20"), ("decision: no-cspr", "decision: cspr"),
                     ("decision: no-cspr", "decision: not-yet")):
        review.write_text(original.replace(old, new, 1), encoding="utf-8")
        _same(mars, monkeypatch, example)
    review.write_text(original, encoding="utf-8")
    _same(mars, monkeypatch, example)
    other = sorted((example / "records" / "line-of-sight").rglob("*.md"))[0].stem
    text = learning.read_text(encoding="utf-8")
    learning.write_text(text.replace(f"rapid_review: {review.stem}", f"rapid_review: {other}"), encoding="utf-8")
    _same(mars, monkeypatch, example)
    assert taken["part"] >= 4, taken


def test_delta__a_change_to_a_named_record_reaches_the_record_naming_it(example, mars, monkeypatch, taken):
    """An agency's assurance event names its Section 11 return (`section11:`): the return given to another
    agency is reported on the event, and no longer once it is given back."""
    _same(mars, monkeypatch, example)
    event = next((example / "records" / "agency-event").rglob("ae-*humberside-police*.md"))
    named = re.search(r"^section11: (.+)$", event.read_text(encoding="utf-8"), re.M).group(1)
    section11 = next((example / "records" / "section11").rglob(f"{named}.md"))
    original = section11.read_text(encoding="utf-8")
    section11.write_text(original.replace("agency: humberside-police", "agency: nlag", 1), encoding="utf-8")
    found = json.loads(_same(mars, monkeypatch, example))["findings"]
    assert [f for f in found if f["path"] == event.relative_to(example).as_posix() and "link-wrong-agency" in f["code"]]
    section11.write_text(original, encoding="utf-8")
    found = json.loads(_same(mars, monkeypatch, example))["findings"]
    assert not [f for f in found if "link-wrong-agency" in f["code"]]
    assert taken["part"] == 2, taken


def test_delta__a_read_it_does_not_know_is_taken_to_change_with_anything(example, mars, monkeypatch, taken):
    """Were a check to note a kind of read this path does not know the records of, every unit that reads
    it is worked out again over the whole workspace after any change, never taken as it was."""
    from mars_cli.rules import records as record_rules

    novel = record_rules.check_record
    seen: list[str] = []  # the call-ins checked

    def noting(ctx, record):
        if record.kind == "call-in":
            ctx.noted(("novel",))
            seen.append(record.path)
        return novel(ctx, record)

    monkeypatch.setattr(record_rules, "check_record", noting)
    _same(mars, monkeypatch, example)
    assert seen and taken == {"part": 0, "whole": 1}  # the first check: nothing to start from
    action = sorted((example / "records" / "action-plan").rglob("act-*.md"))[0]
    action.write_text(action.read_text(encoding="utf-8") + "\nReviewed.\n", encoding="utf-8")
    _same(mars, monkeypatch, example)
    assert taken == {"part": 0, "whole": 2}  # the call-ins' checks read it: worked out again, by a whole check


def test_delta__a_creation_date_given_a_time_checks_everything(example, mars, monkeypatch, taken):
    """`created:` written with a time is no date mars counts with (Record.date): the record then has no
    creation date, which moves the first year the workspace has records in, and the years checked (read
    from every record, not noted). The same day with a time is a change of creation date: checked whole."""
    first = next(p for p in sorted((example / "records").rglob("*.md"))
                 if "\ncreated: 2024-06-02\n" in p.read_text(encoding="utf-8"))
    _same(mars, monkeypatch, example, "--as-of", "2025-09-01")
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("\ncreated: 2024-06-02\n", "\ncreated: 2024-06-02 09:30:00\n", 1), encoding="utf-8")
    assert "2024-25 has ended" not in _same(mars, monkeypatch, example, "--as-of", "2025-09-01")
    first.write_text(text, encoding="utf-8")
    assert "2024-25 has ended" in _same(mars, monkeypatch, example, "--as-of", "2025-09-01")
    assert taken["whole"] >= 3, taken
