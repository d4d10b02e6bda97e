"""Test fixtures: real files in real temporary git repositories.

`workspace_with({"records/...md": "..."})` writes a workspace (a small but
complete mars.yaml unless one is given) in a fresh git repository and returns its root.
`mars(...)` runs the real command line in-process and returns exit code and output.
`record(...)` writes a record's text. Sweeping proofs try a rotating part of their values
(`some_of`); MARS_FULL_PROOFS=1 makes them try every value.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from mars_cli.cli.main import main

CONFIG = """\
partnership: Testshire Safeguarding Partnership
reporting_year_start_month: 4
default_marking: OFFICIAL
partners:
  - id: council
    name: Testshire Council
    lead: lsp-council
    delegate: dsp-council
  - id: health
    name: Testshire ICB
    lead: lsp-health
    delegate: dsp-health
  - id: police
    name: Testshire Police
    lead: lsp-police
    delegate: dsp-police
agencies:
  - id: council-cs
    name: Testshire Children's Services
    type: local-authority
    section11: true
    partner: council
  - id: police-force
    name: Testshire Police
    type: police
    section11: true
    partner: police
  - id: trust
    name: Testshire Hospitals NHS Trust
    type: health
    section11: true
  - id: housing
    name: Testshire Homes
    type: housing
    section11: false
  - id: hill-primary
    name: Hill Primary School
    type: school
  - id: tots
    name: Tiny Tots Nursery
    type: early-years
people:
  - {id: lsp-council, name: Ann Lead, email: ann@example.org}
  - {id: dsp-council, name: Bob Delegate, email: bob@example.org}
  - {id: lsp-health, name: Cat Lead, email: cat@example.org}
  - {id: dsp-health, name: Dan Delegate, email: dan@example.org, roles: [portfolio-lead]}
  - {id: lsp-police, name: Eve Lead, email: eve@example.org}
  - {id: dsp-police, name: Fay Delegate, email: fay@example.org, roles: [splig-chair]}
  - {id: iso-1, name: Gus Scrutineer, email: gus@example.org, roles: [iso]}
  - {id: officer-1, name: Hal Officer, email: hal@example.org, roles: [mars-officer]}
rating_scale: [red, amber, green]
standards:
  section11:
    - {id: leadership, title: Senior leadership}
    - {id: training, title: Training}
  schools:
    - {id: dsl, title: Designated safeguarding lead}
    - {id: recruitment, title: Safer recruitment}
  early-years:
    - {id: key-person, title: Key person}
"""

ROOT = Path(__file__).resolve().parent.parent


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes below root, outside .git and .mars (mars's own folder, never committed: the
    write lock a refused writer took is there): to prove a command changed nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not {".git", ".mars"} & set(p.relative_to(root).parts)}




@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch, tmp_path):
    """Pin width and colour so output assertions are stable; never read the developer's env."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)  # tests that render as at a terminal set it
    monkeypatch.delenv("MARS_WORKSPACE", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the cache's signing key
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.org")


@pytest.fixture(scope="session")
def _fresh_git(tmp_path_factory) -> Path:
    """What `git init` makes, made once: each workspace gets a copy of it, the same files `git init`
    would write there, without starting git hundreds of times."""
    root = tmp_path_factory.mktemp("git-init")
    git(root, "init", "--quiet", "--template=")  # no sample hooks: fewer files to copy and delete
    return root / ".git"


@pytest.fixture
def workspace_with(tmp_path, _fresh_git):
    """Each call makes another workspace, a fresh git repository: the first in tmp_path/ws, then ws-2,
    ws-3... Its files are committed only with commit=True (mars reads the files, never git's history)."""
    made = []

    def make(files: dict[str, str | bytes] | None = None, config: str | None = CONFIG, commit: bool = False) -> Path:
        made.append(len(made) + 1)
        root = tmp_path / ("ws" if len(made) == 1 else f"ws-{len(made)}")
        root.mkdir()
        shutil.copytree(_fresh_git, root / ".git")
        if config is not None:
            write_files(root, {"mars.yaml": config})
        write_files(root, files or {})
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "--quiet", "--allow-empty", "-m", "test workspace")
        return root
    return make


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The pids of the child processes mars forks (store/parallel.py), each of which mars itself must
    reap (see `reaped`); children are started on any machine, however busy (not when turned off)."""
    from mars_cli.store import parallel

    started: list[int] = []
    real = os.fork

    def counted() -> int:
        pid = real()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    monkeypatch.setattr(parallel, "_spare_processor", lambda: True)
    monkeypatch.delenv(parallel.ON, raising=False)
    return started


def reaped(pids: list[int]) -> bool:
    """Whether every one of these child processes has been waited for already."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


@pytest.fixture
def mars(capsys):
    def run(*args: str, cwd: Path | None = None) -> Result:
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            capsys.readouterr()
            code = main([str(a) for a in args])
        finally:
            os.chdir(old)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)
    return run


def record(kind: str, rid: str, created: str = "2025-06-01", *, status: str, title: str | None = None,
           more: str = "", body: str = "# Test\n", **fields) -> str:
    """A record's text, for tests to break on purpose. It starts with the seven lines every record has
    (1 `---`, 2 id, 3 kind, 4 title, 5 status, 6 marking, 7 created), then `fields` one a line from
    line 8 in the order given (None writes `key:` with no value), then `more`: YAML lines as written
    (dedented), for lists and entries. Then `---`, a blank line and the body."""
    lines = ["---", f"id: {rid}", f"kind: {kind}", f"title: {title or f'Test {kind}'}", f"status: {status}",
             "marking: OFFICIAL", f"created: {created}"]
    lines += [f"{k}:" if v is None else f"{k}: {v}" for k, v in fields.items()]
    lines += textwrap.dedent(more).strip("\n").splitlines()
    return "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).lstrip("\n")


FULL_PROOFS = os.environ.get("MARS_FULL_PROOFS", "") == "1"


def some_of(values: list, case: int, per_case: int) -> list:
    """The values a sweeping proof tries in its `case`-th case. All of them when MARS_FULL_PROOFS=1;
    else `per_case` of them, taking up where case `case - 1` left off, so that consecutive cases go
    round every value in turn (the same ones on every run)."""
    if FULL_PROOFS or per_case >= len(values):
        return list(values)
    return [values[(case * per_case + i) % len(values)] for i in range(per_case)]
