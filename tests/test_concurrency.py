"""Two officers writing at the same moment: every update lands, and none is reported done that is not on
disk. Real processes (not threads), started together, many times; the counts are the proof.

The default suite runs a few rounds; MARS_FULL_PROOFS=1 runs 50 of each race.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import CONFIG, git
from proof_figures import count
from test_action_edits import ACT, ACT_ID, FILES
from test_process import EVENT, EVENT_ID, EVENT_PATH

ROUNDS = 50 if os.environ.get("MARS_FULL_PROOFS") else 3
ENV = {**os.environ, "NO_COLOR": "1"}


def together(root: Path, *commands: list[str]) -> list[subprocess.CompletedProcess]:
    """Start every command at once, as separate `mars` processes, and wait for them all."""
    running = [subprocess.Popen([sys.executable, "-m", "mars_cli", "-w", str(root), *command], env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for command in commands]
    return [subprocess.CompletedProcess(p.args, p.wait(), *p.communicate()) for p in running]


def test_updates_and_extensions_at_the_same_moment_are_all_kept(workspace_with):
    root = workspace_with(FILES, commit=True)
    reported = []
    for n in range(ROUNDS):
        results = together(
            root,
            ["action", "update", ACT_ID, "--note", f"note {n} from Ann", "--by", "officer-1", "--as-of", "2026-02-16"],
            ["action", "update", ACT_ID, "--note", f"note {n} from Bob", "--by", "officer-1", "--as-of", "2026-02-16"],
            ["action", "extend", ACT_ID, "--to", f"2026-{3 + n % 9:02d}-{1 + n % 28:02d}", "--reason", f"reason {n}",
             "--agreed-by", "lsp-police", "--as-of", "2026-02-16"],
        )
        assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
        reported += [f"note {n} from Ann", f"note {n} from Bob", f"reason {n}"]
    text = (root / ACT).read_text(encoding="utf-8")
    # how often each is on disk: "reason 1" is not counted in "reason 10"
    times = {what: len(re.findall(re.escape(what) + r"(?!\d)", text)) for what in reported}
    lost = [what for what in reported if times[what] == 0]
    print(f"{len(reported)} writes in {ROUNDS} rounds of three at once; {len(lost)} lost")
    count(races=ROUNDS, raced_writes=len(reported), lost_writes=len(lost))
    assert lost == []
    assert [what for what in reported if times[what] > 1] == []  # and none twice
    assert subprocess.run([sys.executable, "-m", "mars_cli", "-w", str(root), "check", "--as-of", "2026-02-16"],
                          env=ENV, capture_output=True).returncode == 0


def test_partners_endorsing_at_the_same_moment_are_all_recorded(workspace_with):
    lost = 0
    rounds = max(1, ROUNDS // 4)
    for n in range(rounds):
        root = workspace_with({EVENT_PATH: EVENT}, config=CONFIG)
        results = together(root, *[
            ["signoff", EVENT_ID, "--for", "agency", "--by", person, "--as", role, "--date", "2025-06-10",
             "--evidence", "Board minutes", "--as-of", "2025-11-01"]
            for person, role in (("dsp-council", "dsp:council"), ("dsp-health", "dsp:health"),
                                 ("dsp-police", "dsp:police"))])
        assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
        text = (root / EVENT_PATH).read_text(encoding="utf-8")
        lost += sum(person not in text for person in ("dsp-council", "dsp-health", "dsp-police"))
    count(races=rounds, raced_writes=3 * rounds, lost_writes=lost)
    assert lost == 0


def test_a_writer_waits_for_the_lock_and_says_so(workspace_with):
    """While another process holds the workspace's write lock, a writing command waits (and says so),
    then writes once the lock is let go; reading commands do not wait."""
    root = workspace_with(FILES, commit=True)
    holder = hold_lock(root)
    assert together(root, ["list", "--format", "json"])[0].returncode == 0  # a reader does not wait
    writer = subprocess.Popen([sys.executable, "-m", "mars_cli", "-w", str(root), "action", "update", ACT_ID,
                               "--note", "after the wait", "--by", "officer-1", "--as-of", "2026-02-16"],
                              env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stderr.readline().startswith("Another mars command is writing in this workspace: waiting")
    assert "after the wait" not in (root / ACT).read_text(encoding="utf-8")
    holder.communicate("go\n")  # let go
    assert writer.wait(timeout=30) == 0, writer.stderr.read()
    assert "after the wait" in (root / ACT).read_text(encoding="utf-8")
    assert ".mars/" not in git(root, "status", "--porcelain", "--untracked-files=all")


def hold_lock(root: Path) -> subprocess.Popen:
    """Another process holding the workspace's write lock until it reads a line."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; from pathlib import Path; from mars_cli.store import lock\n"
        "with lock.writing(Path(sys.argv[1]), lambda: None):\n"
        "    print('held', flush=True); sys.stdin.readline()\n"), str(root)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_writer_that_cannot_get_the_lock_in_time_writes_nothing(workspace_with, monkeypatch):
    import pytest

    from mars_cli.model.errors import Refused
    from mars_cli.store import lock

    root = workspace_with(FILES)
    holder = hold_lock(root)
    waited = []
    with pytest.raises(Refused, match="another mars command has been writing in this workspace for 0 seconds"):
        with lock.writing(root, lambda: waited.append(True), wait=0.2):
            raise AssertionError("the lock was held elsewhere")
    holder.communicate("go\n")
    assert waited == [True]
