"""The records' own checks shared with a forked child when many must be worked out (a cold cache, or
none): `check` says, byte for byte, what one process says; whatever happens to the child, its records
are checked by the parent; the units the child worked out are kept in the cache as the parent's are
(a later check after a change says what one process says); and the child is started only for many
records to check.

The commands run in-process, so the child is forked from the test process: a test replaces
`parallel._child_life` (which only a child runs) to make it fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, git, reaped

import mars_cli.rules as rules
from mars_cli.store import cache, parallel

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

CHECK = ("check", "--as-of", "2026-12-02", "--format", "json")
real_child_life = parallel._child_life


@pytest.fixture(scope="module")
def generated_once(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "ws"
    generate.Generator().generate(root, 1100)
    git(root, "init", "--quiet")
    past = time.time() - 3600
    for path in root.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, (past, past))
    return root


def _settled(root: Path) -> Path:
    """A copied workspace, once its files' change times (the copy's) are two seconds old: the cache
    then takes them as they are, rather than parsing them again (store/cache.py, _RACY_NS)."""
    time.sleep(2.1)
    return root


@pytest.fixture
def generated(generated_once, tmp_path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(generated_once, root, symlinks=True)
    return _settled(root)


def _said(mars, root: Path, command: tuple = CHECK) -> tuple:
    got = mars("-w", root, *command)
    return got.code, got.out, got.err


def _one_process(mars, monkeypatch, root: Path, command: tuple = CHECK, *, cached: bool = False) -> tuple:
    """What one process says (and, unless cached, with no cache either)."""
    with monkeypatch.context() as m:
        m.setenv(parallel.ON, "0")
        if not cached:
            m.setenv(cache.OFF, "1")
        return _said(mars, root, command)


def _units_only(root: Path) -> None:
    """Delete the cache's whole results (a `check` over the same files is answered by its saved result
    first), so that the next check goes through each record's units."""
    for path in (root / ".mars" / "cache").glob("result-*"):
        path.unlink()


@contextlib.contextmanager
def _terminal(path: Path):
    """Standard output and error, as file descriptors 1 and 2 (what a forked child would write to),
    sent to path meanwhile."""
    sys.stdout.flush(), sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "wb") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        try:
            yield path
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0]), os.close(saved[1])


def _child_file(root: Path) -> Path:
    return root / ".mars" / "cache" / "each-record-child"


def test_parallel_rules__a_cold_check_says_what_one_process_says(generated, mars, monkeypatch, forks):
    """1,100 records, no cache: the records are parsed by two processes, and checked by two."""
    plain = _one_process(mars, monkeypatch, generated)
    assert '"severity": "warning"' in plain[1] and '"severity": "error"' not in plain[1]
    assert _said(mars, generated) == plain
    assert len(forks) == 2 and reaped(forks)
    assert _child_file(generated).is_file()  # the units the child worked out, kept by the child
    _units_only(generated)
    assert _said(mars, generated) == plain  # warm: every record's findings from the units, no child
    assert len(forks) == 2
    assert _child_file(generated).is_file()  # still the child's units: the parent's file names it as its own
    monkeypatch.setenv(cache.OFF, "1")  # no cache at all: the records' checks are still shared
    assert _said(mars, generated) == plain
    assert len(forks) == 3 and reaped(forks)
    plain_text = _one_process(mars, monkeypatch, generated, ("check", "--as-of", "2026-12-02"))
    assert _said(mars, generated, ("check", "--as-of", "2026-12-02")) == plain_text


def test_parallel_rules__what_the_child_worked_out_is_kept_for_the_next_check(generated, mars, monkeypatch, forks):
    """The child's units go into the cache with the parent's: after a change to records the child checked
    (one edited, one made to break a rule), the next check works out only those again, and says what one
    process with no cache says."""
    _said(mars, generated)
    assert len(forks) == 2
    children = sorted((generated / "records" / "action-plan").rglob("act-*.md"))
    edited, broken = children[10], children[11]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    text = broken.read_text(encoding="utf-8")
    broken.write_text(re.sub(r"\nstatus: .*", "\nstatus: nearly-done", text, count=1), encoding="utf-8")
    worked: list[int] = []
    real = rules._record_checks

    def counting(ctx, subjects):
        checks = real(ctx, subjects)

        def counted(record):
            worked.append(1)
            return checks(record)
        return counted

    monkeypatch.setattr(rules, "_record_checks", counting)
    got = _said(mars, generated)
    assert 2 <= len(worked) < 20  # the two changed records and a few that read them, not 1,100
    assert len(forks) == 2
    assert got == _one_process(mars, monkeypatch, generated)
    assert "nearly-done" in got[1]


def _killed(work, fd):
    os.kill(os.getpid(), signal.SIGKILL)


def _exits_early(work, fd):
    os._exit(0)


def _raises(work, fd):
    def broken():
        raise RuntimeError("a rule broke in the child")
    real_child_life(broken, fd)


def _sends_too_little(work, fd):
    real_child_life(lambda: work()[:-1], fd)


def _sends_garbage(work, fd):
    os.write(fd, (12).to_bytes(8, "little") + b"not a pickle")
    os._exit(0)


def _prints_then_exits(work, fd):
    def noisy():
        print("a child must never print")
        os.write(1, b"nor write to the terminal\n")
        os.write(2, b"nor to stderr\n")
        raise SystemExit(0)
    real_child_life(noisy, fd)


def _hangs(work, fd):
    time.sleep(120)
    os._exit(0)


@pytest.mark.parametrize("failure", [_killed, _exits_early, _raises, _sends_too_little, _sends_garbage,
                                     _prints_then_exits, _hangs])
def test_parallel_rules__whatever_happens_to_the_child_its_records_are_checked_here(generated, mars, monkeypatch,
                                                                                      forks, failure, tmp_path):
    plain = _one_process(mars, monkeypatch, generated)
    _said(mars, generated, ("list",))  # the records read and cached: only the checks' child is started
    assert len(forks) == 1
    monkeypatch.setattr(parallel, "GRACE_S", 1.0)
    monkeypatch.setattr(parallel, "_child_life", failure)
    began = time.monotonic()
    with _terminal(tmp_path / "terminal") as terminal:
        assert _said(mars, generated) == plain
    assert time.monotonic() - began < 30  # a hanging child is stopped, not waited for
    assert len(forks) == 2 and reaped(forks)
    assert terminal.read_bytes() == b""  # nothing from the child reached the terminal
    assert not _child_file(generated).exists()
    assert not [p for p in (generated / ".mars").rglob("*.tmp")]
    monkeypatch.setattr(parallel, "_child_life", real_child_life)
    _units_only(generated)
    assert _said(mars, generated) == plain  # and the units kept are right
    assert len(forks) == 2  # every one of them kept: nothing to check again


def test_parallel_rules__started_only_for_many_records_to_check(mars, monkeypatch, forks, tmp_path):
    """Not for the example's ~130 records, not when every record's findings come from the cache, not
    when turned off (MARS_PARALLEL=0)."""
    root = tmp_path / "example"
    shutil.copytree(ROOT / "example-workspace", root, ignore=shutil.ignore_patterns("build", ".mars"))
    git(root, "init", "--quiet")
    _settled(root)
    plain = _one_process(mars, monkeypatch, root)
    assert _said(mars, root) == plain
    assert forks == []
    monkeypatch.setattr(parallel, "FEWEST", 10)
    _units_only(root)
    assert _said(mars, root) == plain  # warm: nothing to check again
    assert forks == []
    for off in ("0", "off", "False", "no"):
        monkeypatch.setenv(parallel.ON, off)
        shutil.rmtree(root / ".mars")
        assert _said(mars, root) == plain
        assert forks == []
    monkeypatch.delenv(parallel.ON)
    shutil.rmtree(root / ".mars")
    assert _said(mars, root) == plain
    assert len(forks) == 2 and reaped(forks)


def test_parallel_rules__the_child_takes_a_spread_share_and_none_of_the_kinds_read_again():
    class R:
        def __init__(self, n: int, kind: str) -> None:
            self.path, self.kind = f"records/{kind}/{n}.md", kind

    todo = [R(n, ("action", "marpf", "section11", "board-meeting")[n % 4]) for n in range(4000)]
    theirs = rules._their_share(todo, frozenset({"section11"}))
    assert len(theirs) == int(4000 * rules.CHILD_SHARE)
    assert not [r for r in theirs if r.kind == "section11"]
    assert {r.kind for r in theirs} == {"action", "marpf", "board-meeting"}
    spread = [todo.index(r) for r in theirs]
    assert spread == sorted(spread) and spread[0] == 0 and spread[-1] > 3900  # from first to last, in order
    assert len(set(map(id, rules._their_share(todo[:10], frozenset())))) == 6
    assert rules._their_share([R(1, "section11")] * 10, frozenset({"section11"})) == []


def test_parallel_rules__a_child_whose_result_is_never_asked_for_is_stopped(generated, mars, monkeypatch, forks):
    """The parent fails (or is interrupted) while the child works: the child is killed and waited for,
    and leaves no temporary file."""
    _said(mars, generated, ("list",))

    def slow(work, fd):
        time.sleep(60)
        os._exit(0)

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "_child_life", slow)
    monkeypatch.setattr(rules, "_across", broken)
    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        rules.run_rules(_read(generated), __import__("datetime").date(2026, 12, 2))
    assert time.monotonic() - began < 30
    assert len(forks) == 2 and reaped(forks)
    assert not [p for p in (generated / ".mars").rglob("*.tmp")]


def _read(root: Path):
    from mars_cli.framework.load import read_workspace

    return read_workspace(root)


def test_parallel_rules__a_container_limited_to_one_cpu_starts_no_child(monkeypatch, tmp_path):
    limit = tmp_path / "cpu.max"
    limit.write_text("100000 100000\n", encoding="ascii")
    assert parallel._cgroup_quota(str(limit)) == 1.0
    limit.write_text("max 100000\n", encoding="ascii")
    assert parallel._cgroup_quota(str(limit)) is None
    assert parallel._cgroup_quota(str(tmp_path / "none")) is None
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(parallel, "_cgroup_quota", lambda: 1.5)
    assert parallel._processors() == 1
    monkeypatch.setattr(parallel, "_runnable", lambda: 0)
    assert not parallel._spare_processor()
    monkeypatch.setattr(parallel, "_cgroup_quota", lambda: None)
    assert parallel._processors() == 4 and parallel._spare_processor()
