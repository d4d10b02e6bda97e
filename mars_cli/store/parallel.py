"""Work shared with a forked child process, on the machine's second processor, when there is much of
it: record files read when many must be parsed (a cold cache, as a fresh CI clone meets it, or a
checkout that changed most files), and the records' own checks when many must be worked out
(`Aside`, used by rules/__init__.py).

Reading: a forked child parses the files of about half the cache's shards and writes those shards
itself (signed and atomic, as the cache writes any), while this process parses the rest and writes
theirs. The child then sends, through a pipe, each of its files' index entry and content hash (and the
Finding of a file that is not a record); its Records stay in its shards, which this process loads
and verifies like any cached record (`cache.Reading.records_in_order`), reading a file again if its
shard lacks it.

Only where fork is safe (Linux: on macOS and Windows it is not) and worth starting (FEWEST files to
parse or records to check, or more, and a second processor that no other process wants at that
moment). Whatever goes wrong with a child (it dies, raises, hangs, sends less than it should, writes
a shard that does not verify) comes to the same: its work is done here, as if it had never been
started. A child prints nothing (its output goes to /dev/null), always ends by `os._exit` (never
returning into the caller's code), and is always waited for; when a reading child did not finish,
its temporary files are removed. `MARS_PARALLEL=0` turns it off.

The count of processes that want to run is the whole machine's (/proc/loadavg): inside a container on
a busy host it holds the child back more often than needed, never the other way. Measured on a quiet
2-processor machine: a cold `check` in about 0.7x the time of one process at 10,000 and 100,000
records, for about a fifth more CPU time (docs/performance.md, "Where it stands").
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable

from mars_cli.model.records import Record

FEWEST = 1000  # fewer files to parse (or records to check) than this: a second process would cost more than it saves
ON = "MARS_PARALLEL"
OFF_WORDS = ("0", "false", "no", "off")  # MARS_PARALLEL set to one of these turns it off
GRACE_S = 10.0  # how long past this process's own half the child may take at the least (a loaded machine)
_EXITED_S = 2.0  # how long a child that has sent everything may take to exit


def wanted(count: int) -> bool:
    """Whether count files to parse are worth a second process here."""
    return count >= FEWEST and _allowed()


def _allowed() -> bool:
    """Whether a second process may be forked here, and is likely to have a processor of its own."""
    return _why_not() is None and _spare_processor()


def _why_not() -> str | None:
    """Why no second process is ever forked here (not Linux, turned off, one processor), or None."""
    if not (sys.platform.startswith("linux") and hasattr(os, "fork")):
        return "only on Linux (where a process can be forked safely)"
    if os.environ.get(ON, "").strip().lower() in OFF_WORDS:
        return f"{ON} is set to {os.environ[ON]!r}"
    if _processors() < 2:
        return "this machine (or container) gives mars one processor"
    return None


def state() -> str:
    """Whether a second process may take part of the work here, and why not (for `mars doctor`)."""
    why_not = _why_not()
    if why_not is not None:
        return f"off: {why_not}"
    return (f"on: {_processors()} processors; a second process takes part of reading and checking 1,000 records "
            f"or more when no cache has them, if no other work wants the processor then ({ON}=0 turns it off)")


def _spare_processor() -> bool:
    """Whether a second processor is likely to be free now: there is one, and no more processes want to
    run at this moment than leave one free (/proc/loadavg's count of runnable ones, this one included).
    On a busy machine the child would only compete with other work, and its cost, about a tenth more
    CPU time, would make the command slower. (A load average over the last minute would count this
    command's own runs just before, as a benchmark or a CI job's steps make them.)"""
    processors = _processors()
    return processors >= 2 and _runnable() < processors


def _runnable() -> int:
    """How many processes want to run at this moment, this one included (/proc/loadavg's fourth field):
    the fewest of three looks a little apart, as one look can meet a passing process. Linux only (the
    only system a child is forked on); a large number when it cannot be read."""
    seen = []
    for look in range(3):
        try:
            with open("/proc/loadavg", encoding="ascii") as handle:
                seen.append(int(handle.read().split()[3].partition("/")[0]))
        except (OSError, ValueError, IndexError):
            return 1 << 30
        if look < 2:
            time.sleep(0.0005)
    return min(seen)


def _processors() -> int:
    """How many processors this process may run on: those it may be scheduled on (a container may be
    given one of many), fewer when its control group's CPU quota is less (a container limited to one
    CPU's time: Docker's --cpus, a Kubernetes limit)."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    quota = _cgroup_quota()
    return min(count, int(quota)) if quota is not None else count


def _cgroup_quota(path: str = "/sys/fs/cgroup/cpu.max") -> float | None:
    """The CPUs' worth of time this process's control group may use (cgroup v2's cpu.max: quota and
    period in microseconds), or None when it has no limit or none can be read."""
    try:
        with open(path, encoding="ascii") as handle:
            quota, period = handle.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def share(cached, pending: list, results: dict, digests: dict) -> list:
    """Parse pending (path, rel, stat) with a forked child's help, filling results and digests as
    `cached._read_one` does; return what is left to parse here (the child's files, if it failed)."""
    shard_of = cached.shard_of
    mine, theirs = split(pending, shard_of)
    started = _forked(lambda write_fd: _child(cached, theirs, results, write_fd))
    if started is None:
        return pending
    pid, read_fd = started
    report = None
    try:
        began = time.monotonic()
        for path, rel, info in mine:
            results[rel], digests[rel] = cached._read_one(path, rel, info)
        _write_own_shards(cached, results, {shard_of(rel) for _, rel, _ in mine})
        patience = max(GRACE_S, 2 * (time.monotonic() - began))
        data, read_fd = _received(read_fd, time.monotonic() + patience), None
        report = _report(data, {rel for _, rel, _ in theirs})
    finally:
        if read_fd is not None:
            os.close(read_fd)
        if _reaped(pid, _EXITED_S if report is not None else 0) != 0:
            report = None
        if report is None:
            _tidy(cached.files.folder, pid)
    if report is None:
        return theirs
    for rel, (entry, found, finding) in report.items():
        if entry is None:
            cached.index.pop(rel, None)
        else:
            cached.index[rel] = entry
        results[rel], digests[rel] = finding, found  # None: a Record, in the child's shard
    cached._touched = True  # the index has the child's entries: it is written
    return []


def split(pending: list, shard_of) -> tuple[list, list]:
    """Pending files in two halves, whole shards each (largest first, each to the smaller half)."""
    shards: dict[int, list] = {}
    for job in pending:
        shards.setdefault(shard_of(job[1]), []).append(job)
    halves: tuple[list, list] = ([], [])
    for number in sorted(shards, key=lambda n: (-len(shards[n]), n)):
        (halves[0] if len(halves[0]) <= len(halves[1]) else halves[1]).extend(shards[number])
    return halves


def _write_own_shards(cached, results: dict, numbers: set[int]) -> None:
    """Write this process's shards now, while the child writes its own; the final save writes the
    index (and any shard changed since)."""
    fresh = cached._fresh(results, numbers)
    for number in sorted(numbers):
        cached._write_shard(number, results, fresh[number])
    cached._parsed.clear()


def _child(cached, jobs: list, results: dict, write_fd: int) -> None:
    """The child's whole life: parse its files, write their shards, send the report, exit."""
    def work():
        cached.files.tag = f"child{os.getpid()}-"
        return _child_work(cached, jobs, results)
    _child_life(work, write_fd)


def _forked(life: Callable[[int], None]) -> tuple[int, int] | None:
    """A child started on life(write end of a pipe), which never returns: (its pid, the read end), or
    None when no pipe or process could be made. Ctrl-C is held back across the fork, so that it can
    never reach the child before the child has set itself up (it would raise into the caller's code
    there: its `finally` blocks, a lock's release among them, would run in the child)."""
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(read_fd), os.close(write_fd)
        return None
    if pid == 0:  # the child: never returns
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once; the parent does its work
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(read_fd)
            life(write_fd)
        finally:
            os._exit(3)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    os.close(write_fd)
    return pid, read_fd


def _child_life(work: Callable[[], object], write_fd: int) -> None:
    """A forked child's whole life: work() with no output of its own, its result sent pickled through
    the pipe, then os._exit (never back into the caller's code)."""
    code = 3
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        _send(write_fd, len(data).to_bytes(8, "little") + data)
        code = 0
    except BaseException:  # noqa: BLE001 - any failure: the parent does the work itself
        pass
    finally:
        os._exit(code)


class Aside:
    """work() done by a forked child while this process goes on with its own part, when that is worth
    it (`worth`, and see `wanted`); `result(instead)` gives what it returned, or instead() when no
    child was started or the child failed in any way (died, raised, hung, sent something `whole` does
    not accept). work must return something pickle can carry. A child that writes files in `folder`
    names its temporary files with `.child<pid>-` (cache.Files.tag): they are removed if it fails."""

    def __init__(self, work: Callable[[], object], worth: bool, whole: Callable[[object], bool] = lambda v: True,
                 folder=None) -> None:
        self.work = work
        self.whole = whole
        self.folder = folder
        self.pid: int | None = None
        self.read_fd: int | None = None
        self.began = time.monotonic()
        if worth and _allowed():
            self._start()

    def _start(self) -> None:
        started = _forked(lambda write_fd: _child_life(self.work, write_fd))
        if started is not None:
            self.pid, self.read_fd = started

    def abandon(self) -> None:
        """Stop the child if its result was never asked for (this process failed, or was interrupted,
        meanwhile): killed, waited for, its temporary files removed."""
        if self.pid is None:
            return
        if self.read_fd is not None:
            os.close(self.read_fd)
            self.read_fd = None
        _reaped(self.pid, 0)
        if self.folder is not None:
            _tidy(self.folder, self.pid)
        self.pid = None

    @property
    def started(self) -> bool:
        return self.pid is not None

    def result(self, instead: Callable[[], object]):
        if self.pid is None:
            return instead()
        patience = max(GRACE_S, 2 * (time.monotonic() - self.began))
        data, self.read_fd = _received(self.read_fd, time.monotonic() + patience), None
        value = _unpacked(data)
        if value is not _FAILED and not self.whole(value):
            value = _FAILED
        if _reaped(self.pid, _EXITED_S if value is not _FAILED else 0) != 0:
            value = _FAILED
        if value is _FAILED and self.folder is not None:
            _tidy(self.folder, self.pid)
        self.pid = None
        return instead() if value is _FAILED else value


_FAILED = object()


def _unpacked(data: bytes | None):
    """What a child sent (length, then a pickle), or _FAILED when it is not whole."""
    if data is None or len(data) < 8 or int.from_bytes(data[:8], "little") != len(data) - 8:
        return _FAILED
    try:
        return pickle.loads(memoryview(data)[8:])  # from our own child, through our own pipe (a view: no copy)
    except Exception:  # noqa: BLE001
        return _FAILED


def _child_work(cached, jobs: list, results: dict) -> dict:
    """In the child: parse jobs, write their shards; each file's (index entry, hash, Finding or None)."""
    report = {}
    for path, rel, info in jobs:
        result, found = cached._read_one(path, rel, info)
        results[rel] = result
        report[rel] = (cached.index.get(rel), found, None if isinstance(result, Record) else result)
    numbers = {cached.shard_of(rel) for _, rel, _ in jobs}
    fresh = cached._fresh(results, numbers)
    for number in sorted(numbers):
        cached._write_shard(number, results, fresh[number])
    return report


def _send(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)


def _received(fd: int, deadline: float) -> bytes | None:
    """Everything the child sent, once it closed the pipe; None when it did not by the deadline."""
    chunks = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def _report(data: bytes | None, expected: set[str]) -> dict | None:
    """The child's report when it is whole and covers exactly its files, else None."""
    report = _unpacked(data)
    return report if isinstance(report, dict) and report.keys() == expected else None


def _reaped(pid: int, patience: float) -> int | None:
    """The child's exit code, once it has ended; killed (None) if it has not within patience seconds."""
    end = time.monotonic() + patience
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() >= end:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            time.sleep(0.001)
    except OSError:  # already reaped elsewhere (a SIGCHLD handler): its work cannot be trusted
        return None


def _tidy(folder, pid: int) -> None:
    """Remove the temporary files of a child that was stopped or failed while writing."""
    mark = f".child{pid}-"
    try:
        for entry in os.scandir(folder):
            if mark in entry.name and entry.name.endswith(".tmp"):
                os.unlink(entry.path)
    except OSError:
        pass
