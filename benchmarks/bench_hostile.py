"""How much one huge or hostile record slows the everyday commands (issue 13, point 6).

Copies the example workspace to a temporary folder and times `mars list`, `mars status` and
`mars check` as fresh processes (the median of --runs), first as it is, then with one hostile file
added at a time, and prints each time and its ratio to the clean workspace's. The target is a ratio
of at most 2 (model/limits.py keeps oversized files from being read at all). The files:

  title-10mb        a record whose title is 10 MB long (past the front-matter limit)
  updates-100k      an action with 100,000 `updates:` entries (past the front-matter limit)
  list-10k          an action with 10,001 short `evidence:` entries (past the list limit, under 1 MB)
  value-200kb       a record with a 200 kB `summary:` (past the value limit, under 1 MB)
  digits-5000       a record with a number of 5,000 digits
  under-limits      an action with 9,000 `updates:` entries of ~100 bytes: the largest file that is read

Run: python benchmarks/bench_hostile.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (("list",), ("status",), ("check",))

ACTION = "act-2026-01-05-hostile-benchmark-zzzz"

def _record(title: str = "Hostile benchmark", more: str = "") -> str:
    return (f"---\nid: {ACTION}\nkind: action\ntitle: {title}\nstatus: in-progress\nmarking: OFFICIAL\n"
            f"created: 2026-01-05\nowner: claire-fenwick\ndue: 2026-06-30\n{more}---\n\nBenchmark.\n")

def hostile_files() -> dict[str, str]:
    updates = lambda n, pad: "updates:\n" + "".join(  # noqa: E731
        f"  - date: 2026-01-05\n    note: update {i} {pad}\n" for i in range(n))
    return {
        "title-10mb": _record(title="x" * 10_000_000),
        "updates-100k": _record(more=updates(100_000, "")),
        "list-10k": _record(more="evidence:\n" + "".join(f"  - e{i}\n" for i in range(10_001))),
        "value-200kb": _record(more=f"details: {'y' * 200_000}\n"),
        "digits-5000": _record(more=f"priority: {'9' * 5000}\n"),
        "under-limits": _record(more=updates(9_000, "z" * 60)),
    }

def timed(root: Path, args: tuple[str, ...], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mars_cli", "-w", str(root), *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)

def plan_folder(root: Path) -> Path:
    found = sorted((root / "records" / "action-plan").glob("*/*/"))
    return found[0]

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(ROOT / "example-workspace", root)
        base = {args: timed(root, args, runs) for args in COMMANDS}
        print(f"{'file':<14} " + " ".join(f"{' '.join(a):>16}" for a in COMMANDS))
        print(f"{'(none)':<14} " + " ".join(f"{base[a]:>9.2f}s      " for a in COMMANDS))
        worst = 0.0
        for name, text in hostile_files().items():
            path = plan_folder(root) / f"{ACTION}.md"
            path.write_text(text, encoding="utf-8")
            row = []
            for args in COMMANDS:
                took = timed(root, args, runs)
                worst = max(worst, took / base[args])
                row.append(f"{took:>9.2f}s x{took / base[args]:<4.2f}")
            path.unlink()
            print(f"{name:<14} " + " ".join(row))
        print(f"worst ratio: {worst:.2f} (target: at most 2)")

if __name__ == "__main__":
    main()
