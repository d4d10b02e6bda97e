"""How long `mars check` takes on a large workspace, against the unavoidable work.

Generates a workspace of N records (default 10,000) in a temporary folder, then
times, each as a fresh subprocess in the same run:
  raw      read every file and parse its front matter with PyYAML's C loader
  check    `mars check` (reads, resolves YAML 1.2, runs every rule)

Run: python benchmarks/bench_read.py [N]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = """
import os, sys, yaml
n = 0
for folder, dirs, files in os.walk(os.path.join(sys.argv[1], "records")):
    for f in files:
        text = open(os.path.join(folder, f), encoding="utf-8").read()
        yaml.load(text.split("---\\n")[1], Loader=yaml.CSafeLoader); n += 1
print(n)
"""


def generate(root: Path, count: int) -> None:
    shutil.copy(ROOT / "tests" / "conftest.py", root / "_conftest.py")
    sys.path.insert(0, str(root))
    from _conftest import CONFIG  # the tests' small but complete mars.yaml

    (root / "mars.yaml").write_text(CONFIG, encoding="utf-8")
    folder = root / "records" / "call-in" / "2025-26"
    folder.mkdir(parents=True)
    body = "\n# A call-in\n\n## Reason for the call-in\n\n" + "Some text about the call-in. " * 20 + "\n"
    for i in range(count):
        rid = f"ci-2025-06-01-call-in-number-{i}-abcd"
        (folder / f"{rid}.md").write_text(
            f"---\nid: {rid}\nkind: call-in\ntitle: Call-in number {i}\nstatus: held\nmarking: OFFICIAL\n"
            f"created: 2025-06-01\nagency: trust\ndate: 2025-07-01\nreason: specific-issue\nforum: board\n"
            f"called_by: [council, health]\nrelated: []\ntags: [one, two]\nsteps:\n  - step: scheduled\n"
            f"    date: 2025-06-02\n  - step: meeting\n    date: 2025-07-01\n---\n{body}", encoding="utf-8")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, count)
        raws, marss = [], []
        for _ in range(5):  # interleaved, so a busy moment hits both
            raws.append(timed([sys.executable, "-c", RAW, str(root)]))
            marss.append(timed([str(Path(sys.executable).with_name("mars")), "-w", str(root), "check"]))
    raw, mars = statistics.median(raws), statistics.median(marss)
    print(f"records: {count} (median of 5 interleaved runs, each a fresh process)")
    print(f"raw read + PyYAML C loader: {raw:.2f} s")
    print(f"mars check:                 {mars:.2f} s  ({mars / raw:.2f}x raw)")


if __name__ == "__main__":
    main()
