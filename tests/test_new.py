"""`mars new`: every kind from its template, validated before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import record, snapshot

from mars_cli.framework import kinds
from mars_cli.store import yaml12

SOURCE = "ci-2025-06-01-test-aaaa"
EXISTING = {f"records/call-in/2025-26/{SOURCE}.md": record("call-in", SOURCE, status="held", agency="trust")}

# What each kind needs, as a newcomer would type it without a terminal.
OPTIONS = {
    "section11": ["--agency", "trust"],
    "schools-audit": ["--agency", "hill-primary", "--kcsie", "2025"],
    "early-years-audit": ["--agency", "tots"],
    "call-in": ["--agency", "housing"],
    "agency-event": ["--agency", "police-force", "--date", "2026-03-10", "--set", "lead_iso=iso-1"],
    "thematic-event": ["--theme", "Neglect"],
    "line-of-sight": ["--theme", "Exploitation"],
    "case-line-of-sight": ["--set", "requested_by=dsp-police"],
    "marpf": ["--date", "2026-01-12"],
    "space-audit": ["--theme", "Missing from education"],
    "multi-agency-audit": [],
    "voice": [],
    "iso-activity": ["--iso", "iso-1", "--days", "1.5"],
    "peer-review": [],
    "action-plan": ["--source", SOURCE],
    "board-meeting": ["--date", "2026-03-26"],
    "splig-meeting": ["--date", "2026-03-05"],
    "annual-report": ["--year", "2025-26"],
    "rapid-review": ["--date", "2026-01-20"],
    "cspr": [],
}


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml12.load(text.split("---\n")[1]).data


def test_options_table_covers_every_kind():
    assert set(OPTIONS) == set(kinds.registry())


@pytest.mark.parametrize("kind", list(OPTIONS))
def test_new__every_kind_without_a_terminal_passes_check(workspace_with, mars, kind):
    root = workspace_with(EXISTING)
    result = mars("-w", root, "new", kind, "--title", f"A {kind} for the test", "--as-of", "2025-11-03", *OPTIONS[kind])
    assert result.code == 0, result.text
    path = Path(result.out.strip())
    assert path.is_file()
    spec = kinds.get(kind)
    assert re.fullmatch(rf"records/{kind}/2025-26/{spec.prefix}-2025-11-03-a-[a-z0-9-]+-[a-z2-9]{{4}}\.md",
                        path.relative_to(root).as_posix())
    fields = front_matter(path)
    assert fields["kind"] == kind and fields["id"] == path.stem
    assert fields["status"] == spec.statuses[0]
    assert fields["marking"] == ("OFFICIAL-SENSITIVE" if spec.case else "OFFICIAL")
    assert f"# A {kind} for the test" in path.read_text()
    assert "{title}" not in path.read_text() and "{agency}" not in path.read_text()
    check = mars("-w", root, "check")
    assert check.code == 0 and ": error " not in check.out, check.out


def test_new__missing_options_without_terminal_exit_2_and_list_them(workspace_with, mars):
    root = workspace_with()
    before = snapshot(root)
    result = mars("-w", root, "new", "schools-audit")
    assert result.code == 2
    assert "needs --title, --agency, --kcsie" in result.err
    assert snapshot(root) == before


def at_a_terminal(monkeypatch, answers):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    asked = []

    def prompt(text, **kw):
        asked.append(text)
        answer = next(answers)
        if answer is KeyboardInterrupt:
            import typer
            raise typer.Abort()
        return answer or kw.get("default") or ""  # Enter takes the default, as typer's prompt does

    monkeypatch.setattr("typer.prompt", prompt)
    return asked


def test_new__prompts_for_missing_fields_at_a_terminal(workspace_with, mars, monkeypatch):
    root = workspace_with()
    asked = at_a_terminal(monkeypatch, iter(["Hospital call-in", "Trust", "trust", "", ""]))
    result = mars("-w", root, "new", "call-in")
    assert result.code == 0, result.text
    fields = front_matter(Path(result.out.strip()))
    assert fields["title"] == "Hospital call-in" and fields["agency"] == "trust"
    assert asked[1].startswith("Agency (council-cs, police-force, trust, housing")  # the choices are offered
    assert "'Trust' is not one of them. Did you mean 'trust'?" in result.err  # and a slip is asked again


def test_new__prompt_reasks_a_bad_date_and_ctrl_c_exits_130(workspace_with, mars, monkeypatch):
    root = workspace_with()
    at_a_terminal(monkeypatch, iter(["Board", "26/03/2026", "2026-03-26", ""]))
    result = mars("-w", root, "new", "board-meeting")
    assert result.code == 0 and "write 2026-03-26" in result.err
    before = snapshot(root)
    at_a_terminal(monkeypatch, iter(["Board", KeyboardInterrupt]))
    result = mars("-w", root, "new", "board-meeting")
    assert result.code == 130
    assert snapshot(root) == before


@pytest.mark.parametrize("args,code,words", [
    (["--date", "05/03/2026"], 2, "for 5 March 2026 write 2026-03-05"),
    (["--agency", "nowhere"], 1, "'nowhere' is not an agency in mars.yaml"),
    (["--set", "colour=blue"], 2, "an agency call-in has no field 'colour'"),
    (["--set", "novalue"], 2, "is not FIELD=VALUE"),
    (["--marking", "SECRET"], 1, "'SECRET' is not allowed here"),
], ids=["uk-date", "unknown-agency", "unknown-field", "bad-set", "bad-marking"])
def test_new__bad_values_are_refused_and_nothing_written(workspace_with, mars, args, code, words):
    root = workspace_with()
    before = snapshot(root)
    base = ["-w", root, "new", "call-in", "--title", "X", "--agency", "trust"]
    result = mars(*base, *args)
    assert result.code == code, result.text
    assert words in result.err
    assert "Traceback" not in result.text
    assert snapshot(root) == before


def test_new__unknown_kind_suggests(workspace_with, mars):
    result = mars("-w", workspace_with(), "new", "agency-evnt", "--title", "X")
    assert result.code == 2 and "Did you mean 'agency-event'?" in result.err


def test_new__same_title_same_day_gets_distinct_ids(workspace_with, mars):
    root = workspace_with()
    paths = {mars("-w", root, "new", "voice", "--title", "Young people's forum", "--as-of", "2025-05-01").out.strip()
             for _ in range(5)}
    assert len(paths) == 5


def test_new__uses_as_of_from_mars_yaml_and_says_so(workspace_with, mars):
    from conftest import CONFIG
    root = workspace_with(config=CONFIG + "as_of: 2026-02-16\n")
    result = mars("-w", root, "new", "voice", "--title", "Forum")
    assert "as of 16 February 2026 (pinned by as_of in mars.yaml)" in result.err
    assert "records/voice/2025-26/voice-2026-02-16-forum-" in result.out


def test_new__audit_starts_with_a_rating_for_each_standard(workspace_with, mars):
    root = workspace_with()
    path = Path(mars("-w", root, "new", "section11", "--title", "Trust return", "--agency", "trust").out.strip())
    fields = front_matter(path)
    assert list(fields["ratings"]) == ["leadership", "training"]
    assert "  # Senior leadership\n  leadership:\n" in path.read_text()


def test_new__from_last_year_carries_ratings_and_open_actions(workspace_with, mars):
    last = record("section11", "s11-2024-06-01-trust-aaaa", created="2024-06-01", status="closed", agency="trust",
                  cycle="2024-25")
    last = last.replace("---\n\n#", """ratings:
  leadership:
    rating: amber
    comment: New safeguarding lead in post.
  training:
    rating: green
    comment: 94% compliance.
actions:
  - action: Appoint named lead
    owner: Chief Nurse
    due: 2024-12-31
    status: complete
  - action: Audit supervision records
    owner: Head of Safeguarding
    due: 2025-03-31
    status: in-progress
---

#""")
    root = workspace_with({"records/section11/2024-25/s11-2024-06-01-trust-aaaa.md": last})
    result = mars("-w", root, "new", "section11", "--title", "Trust return 2025-26", "--agency", "trust",
                  "--from-last-year", "--as-of", "2025-06-02")
    assert result.code == 0, result.text
    assert "Carried forward 2 rating(s) and 1 open action(s) from s11-2024-06-01-trust-aaaa" in result.err
    fields = front_matter(Path(result.out.strip()))
    assert fields["carried_forward_from"] == "s11-2024-06-01-trust-aaaa"
    assert fields["ratings"]["leadership"] == {"rating": "amber", "comment": "New safeguarding lead in post."}
    assert [a["action"] for a in fields["actions"]] == ["Audit supervision records"]
    assert fields["cycle"] == "2025-26"
    assert mars("-w", root, "check").code == 0


def test_new__from_last_year_without_one_is_refused(workspace_with, mars):
    root = workspace_with()
    before = snapshot(root)
    result = mars("-w", root, "new", "section11", "--title", "X", "--agency", "trust", "--from-last-year")
    assert result.code == 1 and "no earlier Section 11 joint self-assessment" in result.err
    assert snapshot(root) == before


def test_new__workspace_template_overrides_builtin(workspace_with, mars):
    root = workspace_with({"templates/voice.md": "# {title}\n\n## What they said\n\n## What changed\n"})
    path = Path(mars("-w", root, "new", "voice", "--title", "Forum").out.strip())
    body = path.read_text().split("---\n", 2)[2]
    assert body == "\n# Forum\n\n## What they said\n\n## What changed\n"


def test_new__edit_opens_editor(workspace_with, mars, monkeypatch, tmp_path):
    root = workspace_with()
    opened = tmp_path / "opened.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    result = mars("-w", root, "new", "voice", "--title", "Forum", "--edit")
    assert opened.read_text().strip() == str(Path(result.out.strip()).resolve())


def test_new__written_text_round_trips_through_ruamel(workspace_with, mars):
    """What mars writes (ruamel, YAML 1.2) reads back identically through its fast reader."""
    from ruamel.yaml import YAML
    root = workspace_with()
    path = Path(mars("-w", root, "new", "call-in", "--title", "no", "--agency", "trust",
                     "--set", "reason=specific-issue", "--date", "2026-01-05").out.strip())
    text = path.read_text().split("---\n")[1]
    assert yaml12.load(text).data == dict(YAML(typ="safe").load(text))
    assert yaml12.load(text).data["title"] == "no"


def test_new__required_date_is_asked_for_as_an_option(workspace_with, mars):
    result = mars("-w", workspace_with(), "new", "marpf", "--title", "MARPF January")
    assert result.code == 2
    assert "a new multi-agency reflective practice forum needs --date" in result.err


def test_new__slug_keeps_words_whole():
    from mars_cli.write.create import slug
    assert slug("Children's services’ return") == "childrens-services-return"
    assert slug("Élan Nursery: audit 2025/26") == "elan-nursery-audit-2025-26"
    assert slug("!!!") == "record"


def test_new__set_values_typed_by_their_field(workspace_with, mars):
    root = workspace_with()
    result = mars("-w", root, "new", "voice", "--title", "2025", "--set", "theme=no", "--set", "date=2026-01-05")
    assert result.code == 0, result.text
    fields = front_matter(Path(result.out.strip()))
    assert fields["title"] == "2025" and fields["theme"] == "no"
    assert str(fields["date"]) == "2026-01-05"
    bad = mars("-w", root, "new", "voice", "--title", "X", "--set", "date=31/01/2026")
    assert bad.code == 2 and "write 2026-01-31" in bad.err


def test_new__an_action_is_part_of_a_plan_not_a_record(workspace_with, mars):
    result = mars("-w", workspace_with(), "new", "action", "--title", "Do a thing")
    assert result.code == 2
    assert "an action is part of an action plan" in result.err and "mars new action-plan" in result.err
    shown = mars("kinds", "action")
    assert shown.code == 0 and "part of an action plan" in shown.out and "extensions: extensions" in shown.out


def test_new__record_named_by_a_unique_part_of_its_id(workspace_with, mars):
    root = workspace_with(EXISTING)
    result = mars("-w", root, "new", "action-plan", "--title", "Plan", "--source", "test-aaaa")
    assert result.code == 0, result.text
    assert front_matter(Path(result.out.strip()))["source"] == SOURCE


def test_new__fields_mars_sets_cannot_be_typed(workspace_with, mars):
    root = workspace_with()
    for field in ("id=zzz", "kind=marpf", "created=2020-01-01"):
        result = mars("-w", root, "new", "voice", "--title", "X", "--set", field)
        assert result.code == 2 and "is set by mars when the record is created" in result.err


def test_new__list_fields_from_the_command_line(workspace_with, mars):
    root = workspace_with()
    result = mars("-w", root, "new", "voice", "--title", "X", "--set", "tags=[voice, send]",
                  "--set", "agencies=trust, housing")
    fields = front_matter(Path(result.out.strip()))
    assert fields["tags"] == ["voice", "send"] and fields["agencies"] == ["trust", "housing"]


def test_new__value_given_twice_is_refused(workspace_with, mars):
    result = mars("-w", workspace_with(), "new", "voice", "--title", "X", "--set", "title=Y")
    assert result.code == 2 and "title is given twice" in result.err


@pytest.mark.parametrize("title,words", [("   ", "--title is empty"), ("a\nb", "--title contains a line break"),
                                         ("x\x1b]0;pwned\x07", "--title contains a control character")])
def test_new__titles_must_be_one_plain_line(workspace_with, mars, title, words):
    root = workspace_with()
    before = snapshot(root)
    result = mars("-w", root, "new", "voice", "--title", title)
    assert result.code == 2 and words in result.err
    assert snapshot(root) == before


def test_new__people_must_hold_the_role_their_field_needs(workspace_with, mars):
    root = workspace_with()
    result = mars("-w", root, "new", "iso-activity", "--title", "X", "--iso", "officer-1", "--days", "1")
    assert result.code == 1
    assert "iso: Hal Officer does not have the iso role in mars.yaml" in result.err
    assert "(iso-1)" in result.err


def test_new__prompt_takes_part_of_an_id_and_reasks_blank_answers(workspace_with, mars, monkeypatch):
    root = workspace_with(EXISTING)
    at_a_terminal(monkeypatch, iter(["Plan", "", "test-aaaa", ""]))
    result = mars("-w", root, "new", "action-plan")
    assert result.code == 0, result.text
    assert "Please type a value" in result.err
    assert front_matter(Path(result.out.strip()))["source"] == SOURCE


def test_new__a_broken_editor_does_not_lose_the_record(workspace_with, mars, monkeypatch):
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    root = workspace_with()
    result = mars("-w", root, "new", "voice", "--title", "Forum", "--edit")
    assert result.code == 0 and "Could not start your editor" in result.err
    assert Path(result.out.strip()).is_file()


@pytest.mark.parametrize("args,code,words", [
    (["annual-report", "--year", "2025-27"], 1, "year: '2025-27' is not a reporting year"),
    (["call-in", "--agency", "nowhere"], 1, "'nowhere' is not an agency in mars.yaml"),
    (["agency-event", "--agency", "housing"], 1, "has no Section 11 duty"),
    (["iso-activity", "--iso", "officer-1"], 1, "does not have the iso role"),
    (["voice", "--set", "colour=blue"], 2, "has no field 'colour'"),
    (["call-in", "--from-last-year"], 2, "--from-last-year is only for self-assessments"),
], ids=["year", "agency", "agency-rule", "role", "unknown-field", "from-last-year"])
def test_new__options_are_checked_before_anything_is_asked(workspace_with, mars, monkeypatch, args, code, words):
    root = workspace_with()
    before = snapshot(root)
    asked = at_a_terminal(monkeypatch, iter(["A title typed for nothing", "", "", "", ""]))
    result = mars("-w", root, "new", *args)
    assert result.code == code and words in result.err, result.text
    assert asked == []  # refused before the first prompt
    assert snapshot(root) == before


def test_new__agency_event_asks_for_its_date_and_says_what_it_is_for(workspace_with, mars, monkeypatch):
    root = workspace_with()
    asked = at_a_terminal(monkeypatch, iter(["Hospital trust event", "trust", "2026-03-10", ""]))
    result = mars("-w", root, "new", "agency-event")
    assert result.code == 0, result.text
    assert front_matter(Path(result.out.strip()))["date"] == dt.date(2026, 3, 10)
    assert asked[2] == "Date (YYYY-MM-DD) (Enter for none)"
    assert ("Date: the proposed date of the event; the deadlines of steps 'return-sent', 'return-received', "
            "'event', 'verbal-feedback' count from it.") in result.err
    assert "Title: what the record is about" in result.err and "Agency: the agency scrutinised." in result.err


def test_new__agency_event_date_may_be_left_for_later(workspace_with, mars, monkeypatch):
    root = workspace_with()
    at_a_terminal(monkeypatch, iter(["Hospital trust event", "trust", "", ""]))
    result = mars("-w", root, "new", "agency-event")
    assert result.code == 0, result.text
    assert front_matter(Path(result.out.strip()))["date"] is None


def test_new__rapid_review_asks_for_the_notification_date_by_its_name(workspace_with, mars, monkeypatch):
    root = workspace_with()
    asked = at_a_terminal(monkeypatch, iter(["Child A", "2026-02-02", "2026-01-28", ""]))
    result = mars("-w", root, "new", "rapid-review")
    assert result.code == 0, result.text
    fields = front_matter(Path(result.out.strip()))
    assert fields["notification_date"] == dt.date(2026, 2, 2) and fields["aware_date"] == dt.date(2026, 1, 28)
    assert asked[1:3] == ["Notification date (YYYY-MM-DD)", "Aware date (YYYY-MM-DD) (Enter for none)"]
    assert ("Notification date: when the notification went to the national Panel; the deadline of step "
            "'decided' counts from it.") in result.err
    assert "Aware date: when the local authority became aware of the incident; the deadline of step 'notified'" \
        in result.err
