"""Record files read by two processes on a cold cache (store/parallel.py): the output is byte for byte
what one process (and no cache at all) gives; whatever happens to the child, its files are parsed by
the parent, and no child, temporary file or stray output is left; and the child is started only on
Linux, only for many files to parse, and never when the cache cannot be written.

The child is forked from the test process itself (the commands run in-process), so a test replaces
the child's work (`parallel._child_work`) to make it fail: the child inherits the replacement.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, git, reaped

from mars_cli.store import cache, parallel

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

COMMANDS = [
    ("check", "--format", "json"),
    ("check",),
    ("list", "--format", "json"),
    ("status", "--format", "json"),
    ("overdue", "--format", "json"),
]


def _age(root: Path) -> None:
    past = time.time() - 3600
    for path in root.rglob("*"):
        if ".git" not in path.parts and not path.is_symlink():
            os.utime(path, (past, past))


def _plain(mars, monkeypatch, root: Path, command: tuple) -> tuple:
    """What one process and no cache say."""
    was = os.environ.get(parallel.ON)
    monkeypatch.setenv(cache.OFF, "1")
    monkeypatch.setenv(parallel.ON, "0")
    try:
        got = mars("-w", root, *command)
    finally:
        monkeypatch.delenv(cache.OFF)
        monkeypatch.setenv(parallel.ON, was) if was is not None else monkeypatch.delenv(parallel.ON)
    return got.code, got.out, got.err


def _cold(mars, root: Path, command: tuple) -> tuple:
    shutil.rmtree(root / ".mars", ignore_errors=True)
    got = mars("-w", root, *command)
    return got.code, got.out, got.err


def _no_temporary_files(root: Path) -> bool:
    return not [p for p in (root / ".mars").rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def generated(tmp_path) -> Path:
    root = tmp_path / "generated"
    generate.Generator().generate(root, 1100)
    git(root, "init", "--quiet")
    _age(root)
    time.sleep(2.1)  # aging changed the files' ctime: the cache trusts a file changed 2 s before its writing
    return root


@pytest.fixture
def example(tmp_path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(ROOT / "example-workspace", root, ignore=shutil.ignore_patterns("build", ".mars"))
    git(root, "init", "--quiet")
    _age(root)
    return root


def test_parallel_read__a_generated_workspace_says_the_same_in_one_process_and_two(generated, mars, monkeypatch,
                                                                                     forks):
    """At the shipped threshold (1,100 records to parse): the child is started on a cold cache, never on
    a warm one, and every command says what one process and no cache say. (`check` starts a second
    child, for the records' checks: tests/test_parallel_rules.py.)"""
    for command in COMMANDS:
        plain = _plain(mars, monkeypatch, generated, command)
        before, started = len(forks), 2 if command[0] == "check" else 1
        assert _cold(mars, generated, command) == plain, command
        assert len(forks) == before + started, command
        warm = mars("-w", generated, *command)  # from the shards both wrote
        assert (warm.code, warm.out, warm.err) == plain, command
        assert len(forks) == before + started, command
        monkeypatch.setenv(parallel.ON, "0")
        assert _cold(mars, generated, command) == plain, command
        monkeypatch.setenv(parallel.ON, "1")
        assert len(forks) == before + started, command
    assert reaped(forks) and _no_temporary_files(generated)


def test_parallel_read__the_example_says_the_same_in_one_process_and_two(example, mars, monkeypatch, forks):
    monkeypatch.setattr(parallel, "FEWEST", 10)
    commands = [*COMMANDS, ("check", "--as-of", "2026-12-02", "--format", "json")]
    for command in commands:
        assert _cold(mars, example, command) == _plain(mars, monkeypatch, example, command), command
    assert len(forks) == len(commands) + sum(c[0] == "check" for c in commands) and reaped(forks)


def test_parallel_read__a_mostly_cold_cache_says_the_same(generated, mars, monkeypatch, forks):
    """Most files changed since the cache was written (a checkout), some gone, a few unreadable: the
    child rewrites its shards with the records still cached, and the answer is still the same."""
    mars("-w", generated, "list", "--format", "json")
    records = sorted((generated / "records").rglob("*.md"))
    for number, path in enumerate(records):
        if number % 50 == 7:
            path.unlink()
        elif number % 97 == 3:
            path.write_bytes(b"\xff\xfe not text")
        elif number % 5:
            path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Again ", 1), encoding="utf-8")
    _age(generated)
    time.sleep(2.1)
    before = len(forks)
    for command in COMMANDS:
        got = mars("-w", generated, *command)
        assert (got.code, got.out, got.err) == _plain(mars, monkeypatch, generated, command), command
    assert len(forks) == before + 1 and reaped(forks) and _no_temporary_files(generated)


def _raises(cached, jobs, results):
    raise RuntimeError("the child broke")


def _killed(cached, jobs, results):
    os.kill(os.getpid(), signal.SIGKILL)


def _exits_early(cached, jobs, results):
    os._exit(0)


def _says_too_little(cached, jobs, results):
    report = parallel_child_work(cached, jobs, results)
    report.pop(next(iter(report)))
    return report


def _prints_then_raises(cached, jobs, results):
    print("a child must never print")
    os.write(1, b"nor write to the terminal\n")
    os.write(2, b"nor to stderr\n")
    raise SystemExit(0)


def _writes_a_shard_that_does_not_verify(cached, jobs, results):
    report = parallel_child_work(cached, jobs, results)
    for name in os.listdir(cached.files.folder):
        if name.startswith("records-"):
            path = cached.files.folder / name
            data = bytearray(path.read_bytes())
            data[-1] ^= 1
            path.write_bytes(bytes(data))
    return report


def _hangs_while_writing(cached, jobs, results):
    tempfile.mkstemp(prefix=f".records-00.{cached.files.tag}", suffix=".tmp", dir=cached.files.folder)
    time.sleep(120)


parallel_child_work = parallel._child_work
REAL_SPARE = parallel._spare_processor


@pytest.mark.parametrize("failure", [_raises, _killed, _exits_early, _says_too_little, _prints_then_raises,
                                     _writes_a_shard_that_does_not_verify, _hangs_while_writing])
def test_parallel_read__whatever_happens_to_the_child_its_files_are_parsed_here(example, mars, monkeypatch, forks,
                                                                                  failure):
    monkeypatch.setattr(parallel, "FEWEST", 10)
    monkeypatch.setattr(parallel, "GRACE_S", 1.0)
    command = ("check", "--as-of", "2026-12-02", "--format", "json")
    plain = _plain(mars, monkeypatch, example, command)
    monkeypatch.setattr(parallel, "_child_work", failure)
    began = time.monotonic()
    assert _cold(mars, example, command) == plain
    assert time.monotonic() - began < 30  # a hanging child is stopped, not waited for
    # the read's child, and the records' checks' (test_parallel_rules.py)
    assert len(forks) == 2 and reaped(forks) and _no_temporary_files(example)
    monkeypatch.setattr(parallel, "_child_work", parallel_child_work)
    got = mars("-w", example, *command)  # and the cache left behind answers right
    assert (got.code, got.out, got.err) == plain


def test_parallel_read__started_only_where_intended(example, mars, monkeypatch, forks):
    """Not when turned off (MARS_PARALLEL=0), not for fewer files than FEWEST, not without a cache to write
    the child's records in, not with one processor or when the other is busy, and not where fork is
    unsafe (macOS) or missing (Windows)."""
    mars("-w", example, "list")  # the example's ~100 records: fewer than the shipped threshold
    monkeypatch.setattr(parallel, "FEWEST", 10)
    monkeypatch.setenv(parallel.ON, "0")
    _cold(mars, example, ("list",))
    monkeypatch.delenv(parallel.ON)
    monkeypatch.setenv(cache.OFF, "1")
    mars("-w", example, "list")
    monkeypatch.delenv(cache.OFF)
    shutil.rmtree(example / ".mars")
    (example / ".mars").write_text("in the way", encoding="utf-8")  # no cache can be written
    assert mars("-w", example, "list").code == 0
    assert forks == []
    assert parallel.wanted(10)
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert not parallel.wanted(100_000)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(parallel, "_spare_processor", REAL_SPARE)
    monkeypatch.setattr(parallel, "_runnable", lambda: 1)  # only mars runs
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert parallel.wanted(100_000)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})  # a container given one processor
    assert not parallel.wanted(100_000)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(parallel, "_runnable", lambda: 2)  # the other processor is busy
    assert not parallel.wanted(100_000)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    assert parallel.wanted(100_000)
    monkeypatch.delattr(os, "fork")
    assert not parallel.wanted(100_000)


def test_parallel_read__halves_are_whole_shards_of_about_the_same_size():
    jobs = [("", f"records/x/{n}.md", None) for n in range(5000)]
    mine, theirs = parallel.split(jobs, cache.shard_of)
    assert sorted(mine + theirs) == sorted(jobs)
    assert not {cache.shard_of(j[1]) for j in mine} & {cache.shard_of(j[1]) for j in theirs}
    assert abs(len(mine) - len(theirs)) < 250


def test_cold_read__the_collector_never_runs_while_records_are_read(example, monkeypatch):
    """Python's cycle collector, run between records, went over every record read so far each time
    (about a tenth of a cold check at 10,000 records): it stays off for the whole read."""
    import gc

    monkeypatch.setenv(parallel.ON, "0")
    runs: list[str] = []
    paths = [str(p) for p in sorted((example / "records").rglob("*.md"))]
    reader = cache.RecordCache(example)
    counting = lambda phase, info: runs.append(phase) if phase == "start" else None  # noqa: E731
    gc.callbacks.append(counting)
    try:
        reading = reader.read(paths)
    finally:
        gc.callbacks.remove(counting)
    assert len(paths) > 80 and len(reading.results) == len(paths)
    assert runs == []
    assert gc.isenabled()
