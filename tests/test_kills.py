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

from mars_cli.store.files import parse_record

FILES = {**PLAN_FILES, EVENT_PATH: EVENT}

KILLS = 200 if FULL_PROOFS else 10
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
    took = min(timed(root, writer(n)) for n in range(2))  # how long one whole write takes, warm
    print(f"one write takes {took:.2f} s")
    figures = Counter()
    for n in range(2, KILLS + 2):  # 0 and 1 were whole
        path = root / ACT
        before = path.read_bytes()
        process = start(root, writer(n))
        # half the kills anywhere in the run, half in its last third, where the write is
        time.sleep(random.uniform(0, took) if n % 4 < 2 else random.uniform(took * 0.6, took))
        process.send_signal(signal.SIGKILL)
        code = process.wait()
        assert code in (0, -signal.SIGKILL), f"kill {n}: exit {code}: {process.stderr.read().decode()}"
        figures.update(kills=code == -signal.SIGKILL, finished=code == 0)
        after = path.read_bytes()
        figures.update(written=after != before)
        assert after == before or whole_write(before, after, f"kill {n}"), f"kill {n}: {path} is neither\n{after!r}"
    partial = [p for p in (root / "records").rglob("*.md") if not hasattr(parse_record(str(p), p.read_bytes()), "id")]
    leftovers = [p.name for p in (root / "records").rglob(".*.tmp")]
    figures.update(partial_files=len(partial), leftover_temp_files=len(leftovers))
    count(**figures)
    print(f"\nkilled mid-write: {dict(figures)}; leftover temporary files (issue 13 point 5): {leftovers}")
    assert partial == []
    assert figures["kills"] + figures["finished"] == KILLS
    assert figures["kills"] >= KILLS // 2  # most of them really were killed


def timed(root: Path, args: list[str]) -> float:
    began = time.monotonic()
    assert start(root, args).wait() == 0
    return time.monotonic() - began


def whole_write(before: bytes, after: bytes, note: str) -> bool:
    """after is before with one whole entry added: it parses, names the note once and keeps every line of before
    (a line changed in place, such as `evidence: []` becoming a list, may go)."""
    record = parse_record("r.md", after)
    old, new = before.decode().splitlines(), after.decode().splitlines()
    kept = sum(line in new for line in old)
    return hasattr(record, "id") and after.decode().count(note) == 1 and kept >= len(old) - 3 and \
        re.search(r"\n---\n", after.decode()) is not None
