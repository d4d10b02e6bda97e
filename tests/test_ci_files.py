"""The scheduled CI files shipped in example-workspace/ parse, run weekly, and only use real mars commands.

Every shell line that runs `mars` in the GitHub workflow and the GitLab job is run here, in-process,
against the example workspace: a renamed command or option fails this test, not a partnership's
Monday-morning job.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import yaml
from conftest import ROOT

EXAMPLE = ROOT / "example-workspace"
GITHUB = EXAMPLE / ".github" / "workflows" / "mars-weekly.yml"
GITLAB = EXAMPLE / ".gitlab-ci.yml"



def load(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_triggers(workflow: dict) -> dict:
    """The `on:` mapping; YAML 1.1 (PyYAML) reads the bare key `on` as True."""
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict), workflow
    return triggers


def github_steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def gitlab_jobs(config: dict) -> dict[str, dict]:
    return {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}


def shell_lines(script: str | list[str]) -> list[str]:
    """The lines of a `run:` block or `script:` list, with backslash continuations joined."""
    entries = [script] if isinstance(script, str) else script
    text = "\n".join(entries).replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip()]


def mars_words(line: str) -> list[str] | None:
    """The words after `mars` on a line that runs it, without redirections or pipes; else None."""
    line = re.sub(r"(?<=\s)\d+(?=[<>])", "", line)  # 2>&1 -> >&1: shlex would split off the fd as a word
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)  # comments (# ...) are dropped
    if not tokens or tokens[0] != "mars":
        return None
    words = []
    for token in tokens[1:]:
        if set(token) <= set("<>|&;()"):
            break  # a redirection (> file, 2>&1), a pipe (| tee file) or the next command (&&, ;)
        words.append(token)
    return words


def github_commands() -> list[list[str]]:
    runs = [step["run"] for step in github_steps(load(GITHUB)) if "run" in step]
    return [w for run in runs for line in shell_lines(run) if (w := mars_words(line)) is not None]


def gitlab_commands() -> list[list[str]]:
    commands = []
    for job in gitlab_jobs(load(GITLAB)).values():
        for key in ("before_script", "script", "after_script"):
            for line in shell_lines(job.get(key, [])):
                if (words := mars_words(line)) is not None:
                    commands.append(words)
    return commands


def test_ci_files__are_not_ignored_by_git():
    for path in (GITHUB, GITLAB):
        assert path.is_file(), path
        ignored = subprocess.run(["git", "check-ignore", "--no-index", "-v", str(path.relative_to(ROOT))],
                                 cwd=ROOT, capture_output=True, text=True)
        assert ignored.returncode == 1, ignored.stdout + ignored.stderr  # 1: no ignore rule matches it


def test_github_workflow__runs_weekly_and_on_demand():
    workflow = load(GITHUB)
    triggers = github_triggers(workflow)
    assert "workflow_dispatch" in triggers
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons, triggers
    for cron in crons:
        fields = cron.split()
        assert len(fields) == 5, cron
        assert all(re.fullmatch(r"[0-9A-Za-z*/,\-]+", f) for f in fields), cron
        minute, hour, day, month, weekday = fields
        assert weekday != "*" and day == "*" and month == "*", f"not weekly: {cron}"
        assert minute.isdigit() and hour.isdigit(), f"more than once a day: {cron}"
    assert workflow["permissions"] == {"contents": "read"}


def test_github_workflow__uses_the_expected_actions():
    uses = [step["uses"] for step in github_steps(load(GITHUB)) if "uses" in step]
    assert {"actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4"} <= set(uses), uses
    upload = next(step for step in github_steps(load(GITHUB)) if step.get("uses") == "actions/upload-artifact@v4")
    assert "overdue.md" in upload["with"]["path"]
    assert "always()" in upload["if"]


def test_gitlab_job__runs_only_on_schedules_and_by_hand():
    jobs = gitlab_jobs(load(GITLAB))
    assert jobs
    for name, job in jobs.items():
        conditions = [rule["if"] for rule in job["rules"]]
        assert any('$CI_PIPELINE_SOURCE == "schedule"' in c for c in conditions), name
        assert all(re.search(r'== "(schedule|web)"', c) for c in conditions), conditions
        assert job["image"] == "python:3.12-slim"
        assert job["artifacts"]["when"] == "always"
        assert "overdue.md" in job["artifacts"]["paths"]
        assert job["artifacts"]["reports"]["junit"] == ["overdue-junit.xml", "check-junit.xml"]


def test_ci_files__run_mars_check_and_fail_on_overdue():
    github = github_commands()
    assert ["check", "--verify-signoffs", "--format", "github"] in github, github  # findings as annotations
    assert ["overdue", "--format", "github", "--fail-on", "overdue"] in github, github
    assert github[-1][-2:] == ["--fail-on", "overdue"], "the failing command comes last"
    gitlab = gitlab_commands()
    assert ["check", "--verify-signoffs"] in gitlab, gitlab
    assert ["check", "--verify-signoffs", "--format", "junit"] in gitlab, gitlab  # findings in the Tests tab
    assert any(w[0] == "overdue" and w[-2:] == ["--fail-on", "overdue"] for w in gitlab), gitlab
    assert gitlab[-1][-2:] == ["--fail-on", "overdue"], "the failing command comes last"


def test_ci_files__every_mars_command_exists_and_runs_on_the_example(mars, tmp_path):
    commands = github_commands() + gitlab_commands()
    assert len(commands) >= 6, commands
    assert ["pack", "--next", "board", "--format", "pdf", "-o", "mars-papers"] in commands
    for words in commands:
        result = mars("-w", EXAMPLE, *words, cwd=tmp_path)  # files they write land in the job's folder
        shown = f"mars {' '.join(words)} -> {result.code}\n{result.text}"
        assert result.code in (0, 1), shown  # 1: findings or overdue items; 2: usage error
        assert "No such command" not in result.text, shown
        assert "No such option" not in result.text, shown
        assert result.out.strip(), shown
    assert [p.suffix for p in (tmp_path / "mars-papers").iterdir()] == [".pdf"]


def test_ci_files__fetch_the_full_history_for_the_signoff_check():
    """A shallow clone cannot say who committed a sign-off: both examples fetch every commit."""
    checkout = next(step for step in github_steps(load(GITHUB)) if step.get("uses") == "actions/checkout@v4")
    assert checkout["with"]["fetch-depth"] == 0, checkout
    for name, job in gitlab_jobs(load(GITLAB)).items():
        assert job["variables"]["GIT_DEPTH"] == "0", name
        assert job["variables"]["GIT_STRATEGY"] == "clone", name


def test_ci_files__keep_mars_s_cache_and_its_key_between_runs():
    """A weekly job over unchanged records should not read them all again: both examples keep
    .mars/cache; GitHub keeps the key it is signed with in the runner's home, GitLab takes it from a
    masked variable (without the key the cache is ignored)."""
    from mars_cli.store.cache import FOLDER

    step = next(step for step in github_steps(load(GITHUB)) if step.get("uses") == "actions/cache@v4")
    assert step["with"]["path"].split() == [FOLDER, "~/.cache/mars"]
    assert "run_id" in step["with"]["key"] and step["with"]["restore-keys"]  # a new cache each run, the last one restored
    assert github_steps(load(GITHUB)).index(step) < next(
        n for n, s in enumerate(github_steps(load(GITHUB))) if "mars check" in s.get("run", ""))
    for name, job in gitlab_jobs(load(GITLAB)).items():  # GitLab keeps only what is in the project: the key is a
        assert job["cache"]["paths"] == [FOLDER], name    # CI secret (MARS_CACHE_KEY), never a file among the records
        assert "XDG_CACHE_HOME" not in job["variables"], name
    assert "MARS_CACHE_KEY" in GITLAB.read_text(encoding="utf-8")


def test_overdue_github_format__annotates_files_that_exist(mars):
    result = mars("-w", EXAMPLE, "overdue", "--format", "github", "--fail-on", "overdue")
    assert result.code == 1, result.text  # the example has overdue items as of its pinned date
    lines = result.out.splitlines()
    assert lines, result.text
    for line in lines:
        match = re.match(r"::(warning|notice) file=([^,]+),line=(\d+)[,:]", line)
        assert match, line
        path = match.group(2)
        assert path.startswith("example-workspace/"), line  # relative to the repository root
        assert (ROOT / path).is_file(), line
    assert any(line.startswith("::warning file=") for line in lines)


def test_example__check_ignores_the_ci_files(mars):
    result = mars("-w", EXAMPLE, "check", "--format", "json")
    assert result.code == 0, result.text
    assert ".github" not in result.out and ".gitlab-ci" not in result.out, result.out
