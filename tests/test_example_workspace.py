"""example-workspace/ is the demo, the documentation and a fixture: it must stay clean and complete."""

from __future__ import annotations

import json
import re

from conftest import ROOT, snapshot

from mars_cli import kinds

EXAMPLE = ROOT / "example-workspace"


def listed(mars, *args) -> list[dict]:
    return json.loads(mars("-w", EXAMPLE, "list", *args, "--format", "json").out)["records"]


def test_example__check_is_clean_and_changes_nothing(mars):
    before = snapshot(EXAMPLE)
    result = mars("-w", EXAMPLE, "check", "--strict")
    assert result.code == 0, result.out
    assert "No problems found" in result.out
    assert "as of 16 February 2026 (pinned by as_of in mars.yaml)" in result.out
    assert snapshot(EXAMPLE) == before


def test_example__has_every_kind_and_a_realistic_year(mars):
    records = listed(mars)
    count = {k: sum(r["kind"] == k for r in records) for k in kinds.registry()}
    assert all(count.values()), [k for k, n in count.items() if not n]
    assert count["line-of-sight"] >= 3 and count["agency-event"] >= 2 and count["marpf"] >= 6
    assert count["board-meeting"] >= 4 and count["splig-meeting"] >= 4
    assert len({r["agency"] for r in records if r["kind"] == "section11"}) >= 5
    assert len({r["agency"] for r in records if r["kind"] in ("schools-audit", "early-years-audit")}) >= 5


def test_example__actions_on_track_complete_and_overdue(mars):
    actions = listed(mars, "action")
    as_of = "2026-02-16"
    open_ = [a for a in actions if a["status"] in ("not-started", "in-progress")]
    assert any(a["status"] == "complete" for a in actions)
    assert any(a["date"] > as_of for a in open_), "an action on track"
    overdue = {a["date"] for a in open_ if a["date"] < as_of}
    assert {"2026-02-06", "2025-10-19"} <= overdue  # 10 and 120 days overdue


def test_example__carries_a_return_forward_from_last_year(mars):
    carried = [r for r in listed(mars, "section11") if r["path"].startswith("records/section11/2025-26/")]
    fields = [json.loads(mars("-w", EXAMPLE, "show", r["id"], "--format", "json").out)["fields"] for r in carried]
    assert any(f.get("carried_forward_from") for f in fields)


def test_example__case_records_name_nobody():
    """Subjects are only ever 'Child A'-style pseudonyms with invented references."""
    for path in (EXAMPLE / "records").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"^\s+- name: (.+)$", text, re.M):
            assert re.fullmatch(r"(Child|Sibling|Mother|Father|Parent|Carer) [A-Z]( \(.+\))?", name), (path, name)
        assert not re.search(r"\b\d{3} ?\d{3} ?\d{4}\b", text), f"{path} has an NHS-number-like figure"
