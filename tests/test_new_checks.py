"""`mars new` never writes what `mars check` calls an error: like `step` and `signoff`, it refuses with
the same finding, exits 1 and writes nothing. Its process's rules count, not only its fields'."""

from __future__ import annotations

import json

from conftest import record, snapshot

CONFLICTED = ("new", "agency-event", "--title", "Police assurance event", "--agency", "police-force",
              "--date", "2025-09-01", "--set", "scrutineers=[iso-1, dsp-police]", "--as-of", "2025-06-01")


def test_new__refuses_a_conflicted_scrutineer_and_writes_nothing(workspace_with, mars):
    root = workspace_with()
    before = snapshot(root)
    result = mars("-w", root, *CONFLICTED)
    assert result.code == 1 and "Traceback" not in result.text
    assert result.out == ""  # no path: nothing was created
    assert "would not be valid, so nothing was written" in result.err
    assert ("error conflict-of-interest scrutineers: Fay Delegate represents Testshire Police, the partner under "
            "scrutiny") in result.err
    assert "rule: agency-event.conflict-of-interest" in result.err
    assert snapshot(root) == before


def test_new__refuses_with_the_finding_check_reports_for_the_same_record(workspace_with, mars):
    """The refusal and `check` of the same record written by hand name the same rule and message."""
    rid = "ae-2025-06-01-police-assurance-event-aaaa"
    root = workspace_with({f"records/agency-event/2025-26/{rid}.md": record(
        "agency-event", rid, status="proposed", agency="police-force", date="2025-09-01",
        more="scrutineers: [iso-1, dsp-police]")})
    check = json.loads(mars("-w", root, "check", "--format", "json", "--as-of", "2025-06-01").out)
    by_hand = [f for f in check["findings"] if f["severity"] == "error"]
    assert [f["rule"] for f in by_hand] == ["agency-event.conflict-of-interest"]
    refused = mars("-w", root, *CONFLICTED)
    assert refused.code == 1 and by_hand[0]["message"] in refused.err


def test_new__an_independent_scrutineer_is_written_and_checks_clean(workspace_with, mars):
    root = workspace_with()
    args = [a.replace("scrutineers=[iso-1, dsp-police]", "scrutineers=[iso-1, dsp-health]") for a in CONFLICTED]
    result = mars("-w", root, *args)
    assert result.code == 0, result.text
    written = (root / result.out.strip()).read_text(encoding="utf-8")
    assert "- iso-1\n" in written and "- dsp-health\n" in written, written
    check = mars("-w", root, "check", "--as-of", "2025-06-01")
    assert check.code == 0 and ": error " not in check.out, check.out
