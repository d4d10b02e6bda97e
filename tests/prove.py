"""The full proof, in one command: thousands of hostile cases through the command line, 200 writes killed
mid-way, 50 rounds of writers racing, then the figures.

    .venv/bin/python tests/prove.py            # run it and print the figures
    .venv/bin/python tests/prove.py --record   # and write them into docs/proofs.md as the last full run

It runs tests/test_proofs.py, tests/test_kills.py and tests/test_concurrency.py with MARS_FULL_PROOFS=1
(their everyday forms run in the default suite), gathers what each counted (tests/proof_figures.py), and
exits as pytest did: 0 only when every proof held.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["tests/test_proofs.py", "tests/test_kills.py", "tests/test_concurrency.py"]
COMMAND = "python tests/prove.py"
# What the figures mean, in the order printed; the last column is what a held proof shows.
FIGURES = [
    ("fuzz_cases", "hostile commands run (front matter, mars.yaml, processes.yaml, arguments)", None),
    ("fuzz_tracebacks", "tracebacks or unexpected errors (exit 3)", 0),
    ("fuzz_hangs", "hangs (a command still running after 60 s)", 0),
    ("fuzz_outside", "files read or written outside the workspace", 0),
    ("fuzz_forged", "forged CI lines (an output line starting `::` without --format github)", 0),
    ("fuzz_exit_0", "of which answered with exit 0 (done, nothing wrong)", None),
    ("fuzz_exit_1", "... exit 1 (findings, or refused)", None),
    ("fuzz_exit_2", "... exit 2 (a usage or configuration error)", None),
    ("kills", "writes killed mid-way (SIGKILL)", None),
    ("written", "of which already on disk, whole", None),
    ("partial_files", "partial or unreadable record files after the kills", 0),
    ("leftover_temp_files", "temporary files left by the kills (issue 13 point 5 reports them)", None),
    ("races", "rounds of writers started at the same moment", None),
    ("raced_writes", "writes in those rounds, each reported done", None),
    ("lost_writes", "writes reported done but not on disk", 0),
]
BEGIN, END = "<!-- last full run: begin (python tests/prove.py --record) -->", "<!-- last full run: end -->"


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        figures_file = Path(folder) / "figures.jsonl"
        env = {**os.environ, "MARS_FULL_PROOFS": "1", "MARS_PROOF_FIGURES": str(figures_file)}
        began = time.monotonic()
        code = subprocess.call([sys.executable, "-m", "pytest", *MODULES, "-q", "-p", "no:cacheprovider",
                                "-n", "2"], cwd=ROOT, env=env)
        took = time.monotonic() - began
        totals: Counter = Counter()
        if figures_file.exists():
            for line in figures_file.read_text(encoding="utf-8").splitlines():
                totals.update(json.loads(line))
    report = table(totals, code, took)
    print("\n" + report)
    if "--record" in argv:
        record(report)
    return code


def table(totals: Counter, code: int, took: float) -> str:
    rows = [f"| {what} | {totals.get(key, 0)} |" for key, what, _ in FIGURES]
    held = code == 0 and all(totals.get(key, 0) == must for key, _, must in FIGURES if must is not None)
    machine = f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return "\n".join([
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine}, in {took / 60:.1f} minutes: "
        f"`{COMMAND}` ({'every proof held' if held else 'A PROOF FAILED: see the pytest output'}).", "",
        "| figure | count |", "| --- | ---: |", *rows])


def record(report: str) -> None:
    doc = ROOT / "docs" / "proofs.md"
    text = doc.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    doc.write_text(pattern.sub(lambda _: f"{BEGIN}\n{report}\n{END}", text), encoding="utf-8")
    print(f"\nrecorded in {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
