"""How much one huge or hostile record slows the everyday commands (issue 13, point 6).

Copies the example workspace to a temporary folder and times `mars list`, `mars status` and
`mars check` as fresh processes (the median of --runs, in CPU seconds of the process, which other work
on a shared machine disturbs less than the wall clock), first as it is, then with one hostile file
added at a time, and prints each time and its ratio to the clean workspace's. The target is a ratio
of at most 2. Past a limit of model/limits.py a file is not read at all; just under them it is read,
so those files are the slowest a workspace can hold. The files:

  title-10mb        an action whose title is 10 MB long (past the file limit)
  updates-100k      an action with 100,000 `updates:` entries (past the file limit)
  front-matter      an action with 9,000 `updates:` entries (past the front-matter limit, under the file's)
  list-10k          an action with 10,001 short `evidence:` entries (past the list limit)
  value-200kb       an action with a 200 kB `details:` (past the value limit)
  digits-5000       an action with a number of 5,000 digits (past the number limit)
  updates-under     an action with updates by 2,500 people nobody knows, just under the front-matter limit
  signoffs-under    an assurance event with 3,300 sign-offs, just under the front-matter limit
  evidence-under    an action with 10,000 `evidence:` entries, just under the list limit
  body-under        an action with a 500 kB body (naming a child's pseudonym), just under the file limit

Run: python benchmarks/bench_hostile.py [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (("list",), ("status",), ("check",))
ACTION = "act-2026-01-05-hostile-benchmark-zzzz"
EVENT = "records/agency-event/2025-26/ae-2025-06-26-humberside-police-agency-assurance-event-2bwp.md"


def _action(title: str = "Hostile benchmark", more: str = "") -> str:
    return (f"---\nid: {ACTION}\nkind: action\ntitle: {title}\nstatus: in-progress\nmarking: OFFICIAL\n"
            f"created: 2026-01-05\nowner: claire-fenwick\ndue: 2026-06-30\n{more}---\n\nBenchmark.\n")


def _updates(count: int, by: bool = False) -> str:
    return "updates:\n" + "".join(f"  - date: 2026-01-05\n    note: update {i} of the plan\n"
                                  + (f"    by: somebody-unknown-{i}\n" if by else "") for i in range(count))


def hostile_actions() -> dict[str, str]:
    """The hostile files that are an action of the example's first plan."""
    return {
        "title-10mb": _action(title="x" * 10_000_000),
        "updates-100k": _action(more=_updates(100_000)),
        "front-matter": _action(more=_updates(9_000)),
        "list-10k": _action(more="evidence:\n" + "".join(f"  - e{i}\n" for i in range(10_001))),
        "value-200kb": _action(more=f"details: {'y' * 200_000}\n"),
        "digits-5000": _action(more=f"priority: {'9' * 5000}\n"),
        "updates-under": _action(more=_updates(2_500, by=True)),
        "evidence-under": _action(more="evidence:\n" + "".join(f"  - e{i}\n" for i in range(10_000))),
        "body-under": _action() + ("Child A was seen by the team on 12 March. " * 20 + "\n\n") * 590,
    }


def _signoffs(text: str) -> str:
    entry = "  - {for: agency, by: rachel-oakley, as: 'dsp:council', date: 2025-06-26}\n"
    return text.replace("signoffs:\n", "signoffs:\n" + entry * 3_300, 1)


def cpu_seconds(root: Path, args: tuple[str, ...], runs: int) -> float:
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "mars_cli", "-w", str(root), *args], capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def _row(name: str, root: Path, base: dict, runs: int) -> float:
    cells, worst = [], 0.0
    for args in COMMANDS:
        took = cpu_seconds(root, args, runs)
        worst = max(worst, took / base[args])
        cells.append(f"{took:>7.2f}s x{took / base[args]:<5.2f}")
    print(f"{name:<15} " + " ".join(cells), flush=True)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(ROOT / "example-workspace", root)
        base = {args: cpu_seconds(root, args, runs) for args in COMMANDS}
        print(f"{'file':<15} " + " ".join(f"{' '.join(a):>15}" for a in COMMANDS))
        print(f"{'(none)':<15} " + " ".join(f"{base[a]:>7.2f}s       " for a in COMMANDS))
        plan = sorted(p for p in (root / "records" / "action-plan").glob("*/*") if p.is_dir())[0]
        worst = 0.0
        for name, text in hostile_actions().items():
            path = plan / f"{ACTION}.md"
            path.write_text(text, encoding="utf-8")
            worst = max(worst, _row(name, root, base, runs))
            path.unlink()
        event = root / EVENT
        original = event.read_text(encoding="utf-8")
        event.write_text(_signoffs(original), encoding="utf-8")
        worst = max(worst, _row("signoffs-under", root, base, runs))
        event.write_text(original, encoding="utf-8")
        print(f"worst ratio: {worst:.2f} (target: at most 2)")


if __name__ == "__main__":
    main()
