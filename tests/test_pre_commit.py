"""The pre-commit hook: `.pre-commit-hooks.yaml` defines mars-check, and the example workspace's
.pre-commit-config.yaml runs it on every commit, with the real pre-commit in a real git repository
(a `repo: local` hook against the installed mars, so pre-commit installs nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, git, record

AE = "ae-2025-06-10-police-event-2bwp"
GOOD = record("agency-event", AE, status="proposed", agency="police-force")
BAD = record("agency-event", AE, status="proposed", agency="police-farce")
PLACE = f"records/agency-event/2025-26/{AE}.md"
PLAN_ID = "ap-2025-07-01-plan-k7rt"
PLAN = record("action-plan", PLAN_ID, status="draft", source=AE)
PLAN_PLACE = f"records/action-plan/2025-26/{PLAN_ID}.md"


def manifest_hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "mars-check")


def example_hook() -> dict:
    config = yaml.safe_load((ROOT / "example-workspace" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "mars-check")


def pre_commit(root: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=root, env=env, capture_output=True,
                          text=True)


def test_pre_commit__the_manifest_and_the_example_are_valid_and_agree():
    for command in (["validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                    ["validate-config", str(ROOT / "example-workspace" / ".pre-commit-config.yaml")]):
        result = subprocess.run([sys.executable, "-m", "pre_commit", *command], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    shipped, example = manifest_hook(), example_hook()
    assert example["language"] == "system" and shipped["language"] == "python"  # the only difference
    for key in ("name", "entry", "pass_filenames", "always_run", "require_serial"):
        assert example[key] == shipped[key], key


def test_pre_commit__mars_check_runs_on_every_commit_and_stops_one_with_errors(workspace_with, tmp_path):
    root = workspace_with({PLACE: GOOD})
    shutil.copy(ROOT / "example-workspace" / ".pre-commit-config.yaml", root)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    installed = pre_commit(root, "install", env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    def commit(message: str) -> subprocess.CompletedProcess:
        git(root, "add", "-A")
        # what the hook says goes where git puts it (stderr); stdout and stderr together, in order
        return subprocess.run(["git", "commit", "-m", message], cwd=root, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)

    first = commit("a good record")
    assert first.returncode == 0, first.stdout
    assert "mars check" in first.stdout and "Passed" in first.stdout
    head = git(root, "rev-parse", "HEAD")

    (root / PLACE).write_text(BAD, encoding="utf-8")
    refused = commit("a mistyped agency")
    assert refused.returncode == 1
    assert "mars check" in refused.stdout and "Failed" in refused.stdout
    assert f"{PLACE}:8: error unknown-agency" in refused.stdout  # the finding, with its file and line
    assert git(root, "rev-parse", "HEAD") == head  # nothing was committed

    (root / PLACE).write_text(GOOD, encoding="utf-8")
    (root / PLAN_PLACE).parent.mkdir(parents=True)
    (root / PLAN_PLACE).write_text(PLAN, encoding="utf-8")
    assert (planned := commit("its action plan")).returncode == 0, planned.stdout
    (root / PLACE).unlink()  # a deletion: no record file among the changes, and still a broken reference
    orphaned = commit("the event deleted")
    assert orphaned.returncode == 1, orphaned.stdout
    assert f"{PLAN_PLACE}:8: error unknown-record source: '{AE}'" in orphaned.stdout
