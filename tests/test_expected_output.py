"""Every read command, in every format, on a copy of the example workspace, against committed output.

This is the proof that moving code around changed nothing a user sees. Each case's expected
stdout, stderr and exit code is in tests/expected/<case>.txt, with the workspace's path written as
<workspace> so it passes wherever the repository sits. An intended change is made by regenerating
the files and reading the diff:

    MARS_UPDATE_EXPECTED=1 python -m pytest tests/test_expected_output.py

"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, git

from mars_cli.cli.main import main
from mars_cli.model import dates

EXPECTED = Path(__file__).parent / "expected"
EXAMPLE = ROOT / "example-workspace"
TODAY = dt.date(2026, 3, 2)  # "today" for the copy: after the example's as_of, as in real use
FEEDS = ("table", "json", "csv", "markdown", "github", "junit", "ics")


def _first_of_each_kind() -> list[tuple[str, str]]:
    """(kind, ID) of the first record file of each kind (action files included), by path."""
    seen: dict[str, str] = {}
    for path in sorted((EXAMPLE / "records").rglob("*.md")):
        kind = "action" if path.parent.name.startswith("ap-") else path.relative_to(EXAMPLE / "records").parts[0]
        seen.setdefault(kind, path.stem)
    return sorted(seen.items())


def _kind_names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "mars_cli").rglob("templates/*.md"))


CASES: dict[str, list[str]] = {
    "check-text": ["check"],
    "check-json": ["check", "--format", "json"],
    "check-after-the-year-ended": ["check", "--as-of", "2026-04-20"],  # 2025-26's findings, its report unpublished
    "check-year": ["check", "--year", "2024-25", "--format", "json"],
    "list-table": ["list"],
    "list-json": ["list", "--format", "json"],
    "list-csv": ["list", "--format", "csv"],
    **{f"overdue-{f}": ["overdue", "--format", f] for f in FEEDS},
    **{f"due-{f}": ["due", "--within", "45d", "--format", f] for f in FEEDS},
    # Each step under who leads it: the ICB event's return is sent by its MARS officer, returned by the ICB.
    "due-agency-event-markdown": ["due", "--within", "100d", "--kind", "agency-event", "--format", "markdown"],
    "status-table": ["status"],
    "status-json": ["status", "--format", "json"],
    "status-markdown": ["status", "--format", "markdown"],
    **{f"rules-{f}": ["rules", "--format", f] for f in ("text", "json", "markdown", "yaml")},
    "kinds": ["kinds"],
    **{f"kinds-{k}": ["kinds", k] for k in _kind_names()},
    **{f"show-{k}-{f}": ["show", rid, "--format", f] for k, rid in _first_of_each_kind() for f in ("text", "json")},
}


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory) -> Path:
    """The example workspace in a git repository of its own (read-only commands share it)."""
    root = tmp_path_factory.mktemp("expected") / "repo"
    shutil.copytree(EXAMPLE, root / "example-workspace", ignore=shutil.ignore_patterns("build", ".mars"))
    env = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    os.environ.update(env)
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "example")
    return root / "example-workspace"


def _run(capsys, workspace: Path, args: list[str]) -> str:
    capsys.readouterr()
    code = main(["-w", str(workspace), *args])
    captured = capsys.readouterr()
    text = f"$ mars {' '.join(args)}\nexit: {code}\n--- stdout\n{captured.out}--- stderr\n{captured.err}"
    return text.replace(str(workspace.parent), "<repo>").replace(str(workspace), "<workspace>")


@pytest.mark.parametrize("case", sorted(CASES))
def test_read_command_output_is_unchanged(case, example_copy, capsys, monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    actual = _run(capsys, example_copy, CASES[case])
    path = EXPECTED / f"{case}.txt"
    if os.environ.get("MARS_UPDATE_EXPECTED"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.is_file(), f"no expected output for {case}: run with MARS_UPDATE_EXPECTED=1 and read the diff"
    assert actual == path.read_bytes().decode("utf-8"), f"{case}: output changed"


def test_every_expected_file_is_a_case():
    """A case dropped from the list leaves no stale file behind."""
    assert sorted(p.stem for p in EXPECTED.glob("*.txt")) == sorted(CASES)
