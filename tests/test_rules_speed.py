"""The rules pass stays cheap at ten thousand records, and its shortcuts change no finding."""

from __future__ import annotations

import difflib
import random

from mars_cli.model.fields import Vocabulary, _likely, did_you_mean


def _ids(count: int) -> list[str]:
    """IDs like a large workspace's: many records of each kind and day, the same titles again and again."""
    titles = ["audit-use-of-the-domestic-abuse-risk", "publish-neglect-practice-guidance-for", "train-the-teams"]
    return [f"act-2025-{1 + n % 6:02d}-0{1 + n % 3}-{titles[n % 3]}-{n:04x}" for n in range(count)]


def test_did_you_mean__suggests_what_difflib_would_among_random_words():
    """The bounds only skip choices that cannot win: the suggestion is difflib's best, ties included."""
    rng = random.Random(14)
    for _ in range(3000):
        word = "".join(rng.choice("ab-12c") for _ in range(rng.randint(0, 9)))
        choices = list(dict.fromkeys("".join(rng.choice("ab-12c") for _ in range(rng.randint(0, 9)))
                                     for _ in range(rng.randint(0, 30))))
        close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
        assert did_you_mean(word, choices) == (f" Did you mean '{close[0]}'?" if close else ""), (word, choices)


def test_did_you_mean__a_vocabulary_narrows_to_the_same_ids_as_a_list():
    ids = _ids(5000)
    vocabulary = Vocabulary(ids)
    for word in (ids[77][:-1] + "z", ids[1234].replace("2025", "2024", 1), "act-", "zz", "", ids[9].upper().lower()):
        assert sorted(vocabulary.likely(word)) == sorted(_likely(word, ids)), word
        assert did_you_mean(word, vocabulary) == did_you_mean(word, ids), word


def test_did_you_mean__compares_few_ids_among_thousands(monkeypatch):
    """A mistyped reference among thousands of IDs sharing its kind, day and title works out the full
    similarity of a few of them, not of every likely one (each costs about as much as checking a record)."""
    compared = []
    ratio = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", lambda self: compared.append(1) or ratio(self))
    ids = _ids(6000)
    slip = ids[1234][:-1] + "q"
    likely = _likely(slip, ids)
    assert len(likely) > 300
    expected = difflib.get_close_matches(slip, likely, n=1)[0]
    compared.clear()
    assert did_you_mean(slip, Vocabulary(ids)) == f" Did you mean '{expected}'?"
    assert 0 < len(compared) < 30


NAMES = ["Kayden Ashworth", "NL-CS-000457", "Zoë O'Brien", "Ashworth, Kayden"]
TEXTS = ["Kayden Ashworth", "kayden-ashworth's file", "NL CS 000457", "nl-cs-123456 and more", "only online",
         "O\u2019Brien, Zoe", "Zo\u00eb O'Brien", "ZOE  O'BRIEN\tmet", "Ashworth,\x0bKayden", "Kay\u200bden Ashworth",
         "no names here", "", "\n\n", "Child A", "kaydenashworth", "Ｋａｙｄｅｎ Ashworth", "NL\u2013CS\u2013000457"]


def test_subject_lines__ascii_text_read_at_once_finds_the_lines_read_a_character_at_a_time():
    """ASCII text skips the character-at-a-time reading; a non-ASCII letter at its end forces that
    reading, and the lines found are the same."""
    from mars_cli.model.personal_data import subject_lines

    rng = random.Random(7)
    for _ in range(400):
        text = "\n".join(rng.choice(TEXTS) + rng.choice(["", " ", "\t", "\x01", "\r"]) for _ in range(rng.randint(1, 6)))
        assert subject_lines(text, NAMES) == subject_lines(text + "\n\u00e9", NAMES), text


def test_names_any__true_exactly_when_one_of_the_texts_names_a_subject():
    """check reads a record's body and fields in one search: it names a subject whenever one of them
    does (and only then is each read for its lines)."""
    from mars_cli.model.personal_data import names_any, subject_lines

    rng = random.Random(8)
    for _ in range(400):
        texts = [rng.choice(TEXTS) for _ in range(rng.randint(1, 4))]
        if any(subject_lines(t, NAMES) for t in texts):
            assert names_any(texts, NAMES), texts
    assert not names_any(["no names here", "Child A", "only online"], NAMES)
    assert names_any(["no names here", "filed under nl-cs-999999"], NAMES)


def test_check_subjects_named__one_search_per_record_that_names_nobody(workspace_with, monkeypatch):
    """A record that names no subject is read once (its body and fields together), not once per field."""
    from conftest import record

    from mars_cli.derive.context import Context
    from mars_cli.framework.load import read_workspace
    from mars_cli.model import personal_data
    from mars_cli.rules.privacy import check_subjects_named

    files = {"records/case-line-of-sight/2025-26/clos-2025-07-01-test-aaaa.md": record(
        "case-line-of-sight", "clos-2025-07-01-test-aaaa", status="requested", date="2025-07-10",
        more="subjects:\n  - name: Kayden Ashworth\n    ref: TS-CS-000457\n")}
    for n in range(20):
        rid = f"ci-2025-06-{n + 1:02d}-test-{n:04x}"
        files[f"records/call-in/2025-26/{rid}.md"] = record(
            "call-in", rid, status="proposed", agency="trust", date="2025-07-01", owner="nobody", theme="neglect",
            body="# Test\n\nKayden Ashworth was named.\n" if n == 0 else "# Test\n\nChild A's school raised it.\n")
    ws = read_workspace(workspace_with(files))
    read = []
    seen = personal_data._Seen
    monkeypatch.setattr(personal_data, "_Seen", lambda text: read.append(text) or seen(text))
    found = list(check_subjects_named(Context(ws, ws.records[0].date("created"))))
    assert [(f.path.rpartition("/")[2], f.line) for f in found] == [("ci-2025-06-01-test-0000.md", 16)]
    assert len(read) < 20 + 12  # once for each record, and once a field for the one that names the child


def test_run_rules__no_garbage_collection_midway_and_the_collector_left_as_it_was(monkeypatch):
    """Each collection walks the whole workspace as read: the collector is paused while the rules run,
    and left enabled (or disabled) as it was found."""
    import gc
    from pathlib import Path

    import mars_cli.rules as rules
    from mars_cli.framework.load import read_workspace
    from mars_cli.rules import yearly

    ws = read_workspace(Path(__file__).parent.parent / "example-workspace", use_cache=False)  # worked out each time
    during = []
    years = yearly.check_years
    monkeypatch.setattr(yearly, "check_years", lambda *a: during.append(gc.isenabled()) or years(*a))
    try:
        assert rules.run_rules(ws, ws.config.as_of)
        assert gc.isenabled()
        gc.disable()
        rules.run_rules(ws, ws.config.as_of)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert during == [False, False]


def test_queries__no_garbage_collection_while_every_timeline_is_worked_out(monkeypatch):
    """overdue, due, status and list work out every record's timeline: with the collector paused."""
    import gc
    from pathlib import Path

    from mars_cli.derive import timeline as timelines
    from mars_cli.framework.load import read_workspace
    from mars_cli.queries import agenda
    from mars_cli.queries import records as queries

    ws = read_workspace(Path(__file__).parent.parent / "example-workspace")
    during = set()
    work = timelines._timeline
    monkeypatch.setattr(timelines, "_timeline", lambda *a: during.add(gc.isenabled()) or work(*a))
    agenda.overdue(ws, ws.config.as_of)
    agenda.dashboard(ws, ws.config.as_of)
    queries.statuses(ws, ws.config.as_of)
    assert during == {False} and gc.isenabled()


def _section_line_by_line(body: str, heading: str):
    """content.section as it was: every line matched against the fence and the heading patterns."""
    import re

    from mars_cli.derive.content import _normal

    heading_re, fence_re = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$"), re.compile(r"^[ \t]{0,3}(```|~~~)")
    match = heading_re.match(heading.strip())
    level, title = len(match.group(1)), match.group(2).strip().lower()
    parts, inside, fenced = [], False, False
    for line in body.splitlines():
        if fence_re.match(line):
            fenced = not fenced
        found = None if fenced else heading_re.match(line)
        if found and inside and len(found.group(1)) <= level:
            inside = False
        if inside:
            parts[-1].append(line)
        elif found and len(found.group(1)) == level and found.group(2).strip().lower() == title:
            inside = True
            parts.append([])
    return "\n\n".join(_normal("\n".join(p)) for p in parts) if parts else None


def test_section__skipping_plain_lines_finds_the_same_sections():
    from mars_cli.derive.content import section

    rng = random.Random(21)
    lines = ["## Findings", "## findings ##", "# Findings", "### Detail", "## Other", "```", "   ~~~", "    ```",
             "\t```python", "text", "  indented", "", "- a list", "#not a heading", "####### seven", "## Findings\r"]
    for _ in range(2000):
        body = "\n".join(rng.choice(lines) for _ in range(rng.randint(0, 14)))
        for heading in ("## Findings", "# Findings", "### Detail"):
            assert section(body, heading) == _section_line_by_line(body, heading), (body, heading)


def test_follow_up_report__reads_each_meeting_a_few_times_not_once_per_pair(workspace_with, monkeypatch):
    """Whether a Board that received the Section 11 summary was followed by one that received the progress
    is told by the last Board that received it: each meeting's reports are read a few times, not once for
    every earlier meeting (at 100,000 records, 5 million reads of 4,600 meetings' reports), and the Boards
    never followed up are those the pairwise reading found."""
    import datetime as dt

    from conftest import record

    from mars_cli.framework.load import read_workspace
    from mars_cli.rules import run_rules, yearly

    s11 = "s11-2025-06-01-trust-aaaa"
    files = {f"records/section11/2025-26/{s11}.md": record("section11", s11, status="draft", agency="trust")}
    meetings = 60
    for n in range(meetings):
        day = dt.date(2021, 1, 4) + dt.timedelta(weeks=4 * n)
        reports = "[section11-progress]" if n == 40 else "[section11-summary]"
        rid = f"board-{day.isoformat()}-{n:04x}"
        files[f"records/board-meeting/2020-21/{rid}.md"] = record(
            "board-meeting", rid, "2021-01-01", status="held", date=day.isoformat(), reports=reports)
    ws = read_workspace(workspace_with(files), use_cache=False)
    read = []
    reports = yearly._reports
    monkeypatch.setattr(yearly, "_reports", lambda meeting: read.append(meeting) or reports(meeting))
    found = [f for f in run_rules(ws, dt.date(2025, 11, 1)) if f.code == "yearly-follow-up-report"]
    # the Boards after the one that received the progress (the 41st) were never followed up, those before were;
    # the last three's follow-up is not due by 1 November 2025
    assert sorted(f.path.rpartition("-")[2] for f in found) == [f"{n:04x}.md" for n in range(41, meetings - 3)]
    assert len(read) < 10 * meetings


def test_context__freed_as_soon_as_unused_without_the_garbage_collector():
    """A Context keeps every timeline the rules worked out: it holds nothing that holds it, so it is
    freed when the rules are done with it, not by the collector walking all of it once it runs again."""
    import gc
    import weakref
    from pathlib import Path

    from mars_cli.derive.context import Context
    from mars_cli.derive.timeline import timeline
    from mars_cli.framework.load import read_workspace

    ws = read_workspace(Path(__file__).parent.parent / "example-workspace", use_cache=False)
    gc.disable()
    try:
        ctx = Context(ws, ws.config.as_of)
        with ctx.reading() as read:
            assert [timeline(ctx, r) for r in ws.records]
            assert ctx.records.get(ws.records[0].id) is ws.records[0] and ctx.by_kind.get("action") is not None
            ctx.plan_actions.get("nothing")
        assert ("record", ws.records[0].id) in read and ("kind", "action") in read
        gone = weakref.ref(ctx)
        del ctx
        assert gone() is None
    finally:
        gc.enable()
