"""A write killed at any moment leaves every record whole: SIGKILL a real writing `mars` process at random
moments, many times, and check every record file after each kill.

By default a dozen kills (seconds); MARS_FULL_PROOFS=1 (or `python tests/prove.py`) makes 200. The
temporary files a killed write leaves behind are counted and printed, not failed on (point 5 of issue 13
reports and cleans them).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from conftest import FULL_PROOFS
from proof_figures import count
from test_action_edits import ACT, ACT_ID
from test_action_edits import FILES as PLAN_FILES
from test_process import EVENT, EVENT_PATH

from mars_cli.model.records import Record
from mars_cli.store.files import parse_record

FILES = {**PLAN_FILES, EVENT_PATH: EVENT}

KILLS = 200 if FULL_PROOFS else 10  # kills that land: runs that finish first are not counted
ENV = {**os.environ, "NO_COLOR": "1"}


def writer(n: int) -> list[str]:
    """The n-th write: a note on the action, or an extension of it to a later date, in turn."""
    if n % 2:
        return ["action", "extend", ACT_ID, "--to", (dt.date(2026, 3, 1) + dt.timedelta(days=n)).isoformat(),
                "--reason", f"kill {n}", "--agreed-by", "lsp-police", "--as-of", "2026-02-16"]
    return ["action", "update", ACT_ID, "--note", f"kill {n}", "--by", "officer-1", "--as-of", "2026-02-16"]


def start(root: Path, args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mars_cli", "-w", str(root), *args], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_write_killed_at_any_moment_leaves_every_record_whole(workspace_with):
    """SIGKILL a writing command at random moments, KILLS times: every record file still parses, and each
    write happened whole (its note there once, the rest of the file as before) or not at all."""
    root = workspace_with(FILES, commit=True)
    took, wrote_at = min(timed(root, writer(n)) for n in range(2))  # warm
    print(f"one write takes {took:.2f} s; the record changes {wrote_at:.2f} s in")
    figures, path = Counter(), root / ACT
    n = 1  # 0 and 1 were whole
    while figures["kills"] < KILLS and n < 3 * KILLS:  # runs that finish before their kill do not count
        n += 1
        before = path.read_bytes()
        process = start(root, writer(n))
        # half the kills anywhere in the run, half in the moments around the write
        time.sleep(random.uniform(0, took) if n % 4 < 2 else max(0.0, random.uniform(wrote_at - 0.05, wrote_at + 0.01)))
        process.send_signal(signal.SIGKILL)
        code = process.wait()
        assert code in (0, -signal.SIGKILL), f"kill {n}: exit {code}: {process.stderr.read().decode()}"
        after = path.read_bytes()
        figures.update(kills=code == -signal.SIGKILL, finished=code == 0, written=after != before)
        assert after == before or whole_write(before, after, f"kill {n}"), f"kill {n}: {path} is neither\n{after!r}"
        if code == 0:  # it finished before the kill: the machine is faster now than when timed, aim earlier
            took, wrote_at = took * 0.8, wrote_at * 0.8
        elif after == before and n % 4 >= 2:  # killed before the write it aimed at: a little later next time
            wrote_at = min(took, wrote_at * 1.05)
    partial = [p for p in (root / "records").rglob("*.md")
               if not isinstance(parse_record(str(p), p.read_bytes()), Record)]
    leftovers = [p.name for p in (root / "records").rglob(".*.tmp")]
    figures.update(partial_files=len(partial), leftover_temp_files=len(leftovers))
    count(**figures)
    print(f"\nkilled mid-write: {dict(figures)}; leftover temporary files (issue 13 point 5): {leftovers}")
    assert partial == []
    assert figures["kills"] == KILLS


def timed(root: Path, args: list[str]) -> tuple[float, float]:
    """How long a whole write takes, and how far into it the record changes on disk."""
    path = root / ACT
    before = path.read_bytes()
    began = time.monotonic()
    process = start(root, args)
    wrote_at = None
    while process.poll() is None:
        if wrote_at is None and path.read_bytes() != before:
            wrote_at = time.monotonic() - began
        time.sleep(0.005)
    assert process.returncode == 0, process.stderr.read().decode()
    took = time.monotonic() - began
    return took, wrote_at or took


def whole_write(before: bytes, after: bytes, note: str) -> bool:
    """after is before with one whole entry added: it parses, names the note once and keeps every line of before
    (a line changed in place, such as `evidence: []` becoming a list, may go)."""
    record = parse_record("r.md", after)
    old, new = before.decode().splitlines(), after.decode().splitlines()
    kept = sum(line in new for line in old)
    return isinstance(record, Record) and len(re.findall(re.escape(note) + r"(?!\d)", after.decode())) == 1 and \
        kept >= len(old) - 3 and \
        re.search(r"\n---\n", after.decode()) is not None


def test_a_partial_or_doubled_write_would_be_caught():
    """The kill test can fail: a file cut short, or a note written twice, is not a whole write."""
    before = FILES[ACT].encode()
    entry = b"    - date: 2026-02-16\n      by: officer-1\n      note: kill 7\n"
    whole = before.replace(b'      note: "Training booked"\n', b'      note: "Training booked"\n' + entry)
    assert whole_write(before, whole, "kill 7")
    assert not whole_write(before, whole[: len(whole) // 2], "kill 7")  # cut short
    assert not whole_write(before, whole.replace(b"kill 7", b"kill 7; kill 7"), "kill 7")  # twice
    assert not whole_write(before, b"", "kill 7")
