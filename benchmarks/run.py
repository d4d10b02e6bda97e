"""mars's benchmark: whole commands, timed as fresh processes, against bare baselines, in one run.

    python benchmarks/run.py [--runs 5]                     the Board pack
    python benchmarks/run.py --records 10000 [100000 ...]   a generated workspace of each size, and the pack
    python benchmarks/run.py --records 10000 --only workspace

The papers: building the example's next Board pack as a PDF with `mars pack` (reading the workspace,
composing the pack, drawing its charts, pandoc, Typst), against a bare Python process that runs pypandoc
and typst.compile on the same assembled Markdown, with the same charts already drawn and the same pandoc
conversion (mars's template, metadata and Lua filter, sandboxed), so that both write the same PDF: the
ratio is what mars adds to the tools' own work. The target is a median ratio of at most 1.5.

The workspace (--records): a workspace made by benchmarks/generate.py from every record of the example
(all its kinds, sign-offs, steps, action files in plan folders; new IDs per batch, references kept), and
a second one of the same size with 30 dangling references. Timed: `mars check` cold (`.mars/` deleted
first, as a fresh CI clone meets it) and warm (files unchanged since the last run), `check` after one
ordinary record changed, `overdue --format json`, `list --format json`, `status`, `mars --help`, and a
bare typer app with as many commands as mars whose `check` reads every file raw (a) or also parses every
front matter with PyYAML's C loader (b), and its `--help`. The targets (issue 14) are ratios of medians.

A round: one record changed and `check` timed; each warm command run once untimed, then timed (so
each meets files unchanged since its own last run, as a second look does); `check` cold; the rest.
Every run is a fresh process, interleaved (one of each, then again), so all meet the same machine; it
prints the median, minimum and maximum of each, its peak memory (the process's maximum resident set),
the ratio of the medians and whether each target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5

BARE = r"""
import sys, re, pypandoc, typst
from pathlib import Path
work = Path(sys.argv[1])
pypandoc.convert_file(str(work / "paper.md"), "typst", format=sys.argv[2], outputfile=str(work / "paper.typ"),
                      extra_args=["--sandbox", "--standalone", f"--template={sys.argv[3]}",
                                  f"--metadata-file={work / 'metadata.json'}", f"--lua-filter={sys.argv[5]}"])
text = (work / "paper.typ").read_text(encoding="utf-8")
figures = (work / "figures.txt").read_text(encoding="utf-8").split("\n\x00\n")
text = re.sub(r"^MARSCHARTPICTURESN(\d+)$", lambda m: figures[int(m.group(1)) - 1], text, flags=re.M)
(work / "paper.typ").write_text(text, encoding="utf-8")
pdf = typst.compile(str(work / "paper.typ"), root=str(work), font_paths=[sys.argv[4]], ignore_system_fonts=True,
                    pdf_standards=["ua-1"])
(work / "paper.pdf").write_bytes(pdf)
"""


def prepare(work: Path, workspace: Path) -> list[str]:
    """The bare baseline's input, made by mars once: the Markdown, metadata and charts of the same pack."""
    sys.path.insert(0, str(ROOT))
    from mars_cli.derive.context import Context
    from mars_cli.documents import build, markdown, packs, pandoc, typst
    from mars_cli.framework.load import read_workspace
    from mars_cli.queries.records import as_of

    ws = read_workspace(workspace)
    ctx = Context(ws, as_of(ws, None).day)
    paper = packs.pack(ctx, packs.next_meeting(ctx, "board"))
    job = build._Job(paper, work, dt.datetime.now(dt.timezone.utc), token="marschartpictures")
    (work / "paper.md").write_text(job.markdown(lambda n, c: f"MARSCHARTPICTURESN{n}"), encoding="utf-8")
    (work / "metadata.json").write_text(markdown.metadata(paper, job.token), encoding="utf-8")
    figures = []
    for number, (chart, svg) in enumerate(zip(job.charts, job.drawn("svg")), 1):
        (work / f"chart-{number}.svg").write_bytes(svg)
        figures.append(build._typst_figure(number, chart))
    (work / "figures.txt").write_text("\n\x00\n".join(figures), encoding="utf-8")
    (work / "bare.py").write_text(BARE, encoding="utf-8")
    template = str(pandoc.TEMPLATES / "paper.typ")
    return [sys.executable, str(work / "bare.py"), str(work), pandoc.READER, template, str(typst.font_folder()),
            str(pandoc.TEMPLATES / "filter.lua")]


# Both run as an installed program does: with Python's compiled bytecode, which pip writes when it
# installs a package and the warm-up run writes here (a machine that sets PYTHONDONTWRITEBYTECODE would
# otherwise time Python compiling mars's source on every run).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> float:
    return measured(command)[0]


# Every command is started by one small helper process, not by this one: Linux counts the memory of the
# process a command is started from in the command's peak (its pages are the child's until exec), so
# starting a command from a harness that holds mars and a generator would report the harness's size as
# the peak of every small command. The helper holds only the standard library.
SPAWNER = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    command, env = json.loads(line)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the most of all so far
        elapsed = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read().decode(errors="replace") if code else ""
    print(json.dumps([elapsed, usage.ru_maxrss * 1024, code, message]), flush=True)  # ru_maxrss: KiB on Linux
"""
_spawner: list[subprocess.Popen] = []


def measured(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Seconds and peak memory (bytes) of one run of `command` as a fresh process; its output is not kept."""
    if not _spawner:
        _spawner.append(subprocess.Popen([sys.executable, "-c", SPAWNER], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, env=ENV))
    spawner = _spawner[0]
    spawner.stdin.write(json.dumps([command, ENV]) + "\n")
    spawner.stdin.flush()
    elapsed, peak, code, message = json.loads(spawner.stdout.readline())
    if code not in ok:
        raise SystemExit(f"{' '.join(command[:5])}... failed ({code}):\n{message}")
    return elapsed, peak


def pack_benchmark(runs: int, mars: str) -> None:
    with tempfile.TemporaryDirectory(prefix="mars-bench-") as folder:
        base = Path(folder)
        workspace = base / "example-workspace"
        shutil.copytree(ROOT / "example-workspace", workspace, ignore=shutil.ignore_patterns("build"))
        (base / "bare").mkdir()
        bare = prepare(base / "bare", workspace)
        pack = [mars, "-w", str(workspace), "pack", "--next", "board", "--format", "pdf", "-o", str(base / "out")]
        timed(pack), timed(bare)  # warm the disk cache for both, and write their bytecode
        times: dict[str, list[float]] = {"mars pack (PDF)": [], "bare pypandoc + typst": []}
        for _ in range(runs):
            times["mars pack (PDF)"].append(timed(pack))
            times["bare pypandoc + typst"].append(timed(bare))
    print(f"Board pack of the example workspace, {runs} interleaved runs each (seconds):")
    for name, values in times.items():
        print(f"  {name:24} median {statistics.median(values):.2f}  min {min(values):.2f}  max {max(values):.2f}")
    ratio = statistics.median(times["mars pack (PDF)"]) / statistics.median(times["bare pypandoc + typst"])
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"  ratio of medians: {ratio:.2f}x ({verdict} the target of {TARGET}x)")


# The workspace benchmark's baseline: a bare typer app with as many commands as mars and the same help
# style, whose `check` reads every record file raw (a) or, with --parse, also parses each front matter
# with PyYAML's C loader (b). A one-line launcher imports it, as mars's console script imports mars, so
# both run from compiled bytecode.
BARE_APP = r"""
import os
import typer

app = typer.Typer(name="bare", help="A bare app with as many commands as mars.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})
WORKSPACE = "."


@app.callback()
def _root(workspace: str = typer.Option(".", "-w", "--workspace", metavar="PATH", help="The workspace folder.")):
    global WORKSPACE
    WORKSPACE = workspace


@app.command()
def check(parse: bool = typer.Option(False, "--parse", help="Also parse each front matter with PyYAML's C loader.")):
    "Read every record file (and parse its front matter)."
    load = None
    if parse:
        import yaml
        load = lambda text: yaml.load(text, Loader=yaml.CSafeLoader)
    count = 0
    for folder, _, names in os.walk(os.path.join(WORKSPACE, "records")):
        for name in names:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    text = handle.read()
                if load:
                    load(text.split("---\n", 2)[1])
                count += 1
    print(count, "records")
"""


def bare_app(commands: dict[str, int]) -> str:
    """The bare app's source: `check`, then a command (or a group of as many) for each other command of mars."""
    out = [BARE_APP]
    for number, (name, subcommands) in enumerate(commands.items()):
        if name == "check":
            continue
        if subcommands:
            out.append(f"group{number} = typer.Typer(help='A group of commands.')\n"
                       f"app.add_typer(group{number}, name={name!r})\n")
            out += [f"@group{number}.command({f'{name}-{k}'!r})\n"
                    f"def g{number}_{k}(what: str = typer.Argument(None)):\n"
                    f"    'A command of the group, with help text like mars has.'\n" for k in range(subcommands)]
        else:
            out.append(f"@app.command({name!r})\ndef c{number}(what: str = typer.Argument(None), "
                       f"fmt: str = typer.Option('text', '--format', help='text or json.')):\n"
                       f"    'A command that does nothing, with help text like mars has.'\n")
    return "\n".join(out)


def mars_commands() -> dict[str, int]:
    """mars's commands, each with how many commands it holds when it is a group."""
    sys.path.insert(0, str(ROOT))
    from mars_cli.cli.main import command

    return {name: len(getattr(c, "commands", {})) for name, c in command().commands.items()}


@dataclass
class Measure:
    """One thing timed: its command, what is done before each run (not timed), and the runs' figures."""

    name: str
    command: list[str]
    before: Callable[[], None] | None = None
    ok: tuple[int, ...] = (0,)
    times: list[float] = field(default_factory=list)
    memory: list[int] = field(default_factory=list)
    repeat: int = 1  # runs a round: a command of a tenth of a second is timed more often (its noise is larger)

    def run(self) -> None:
        for _ in range(self.repeat):
            if self.before:
                self.before()
            elapsed, peak = measured(self.command, self.ok)
            self.times.append(elapsed)
            self.memory.append(peak)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def forget_cache(workspace: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(workspace / ".mars", ignore_errors=True)


def ordinary_record(workspace: Path) -> Path:
    """A record that is neither a meeting nor a setting, with no sign-off that a change would make stale."""
    for path in sorted((workspace / "records").rglob("*.md")):
        if "meeting" not in path.relative_to(workspace).parts[1] and "signoffs:" not in path.read_text("utf-8"):
            return path
    raise SystemExit(f"no ordinary record in {workspace}")


def change(path: Path) -> Callable[[], None]:
    """An edit of the record's text, a different one each time."""
    count = [0]

    def edit() -> None:
        count[0] += 1
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\nA line added by the benchmark, change {count[0]}.\n")
    return edit


def size_class(records: int) -> int:
    """The size the issue's targets name (1,000, 10,000, 100,000) nearest to a workspace's record count."""
    return 10 ** round(math.log10(records))


# (what, measured, against, target ratio, the sizes it applies at (None: every size)), from issue 14
TARGETS = [
    ("check warm, files unchanged", "check warm", "bare check (a) raw read", 1.5, {10_000}),
    ("check after one record changed", "check changed", "bare check (a) raw read", 2.0, {10_000}),
    ("overdue --format json, warm", "overdue json", "bare check (a) raw read", 1.5, {10_000}),
    ("list --format json, warm", "list json", "bare check (a) raw read", 1.5, {10_000}),
    ("status, warm", "status", "bare check (a) raw read", 1.5, {10_000}),
    ("check cold", "check cold", "bare check (b) PyYAML-C", 1.5, {10_000, 100_000}),
    ("mars --help", "mars --help", "bare --help", 1.1, None),
    ("dangling references, check cold", "check cold, dangling", "check cold", 1.1, {10_000}),
]
MEMORY_MB = {10_000: 200, 100_000: 600}
SCALING = 1.05  # 10.5x the time for 10x the records


def workspace_benchmark(sizes: list[int], runs: int, large_runs: int, dangling: int, mars: str) -> None:
    """Each size: generate, one warm-up round, then `runs` interleaved rounds; its report; then the scaling."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import Generator

    generator = Generator()
    python = Path(mars).with_name("python")  # mars's own interpreter, for the baseline too
    python = str(python) if python.exists() else sys.executable
    results: dict[int, tuple[int, dict[str, Measure]]] = {}
    with tempfile.TemporaryDirectory(prefix="mars-bench-") as folder:
        base = Path(folder)
        (base / "bare_app.py").write_text(bare_app(mars_commands()), encoding="utf-8")
        (base / "bare.py").write_text("from bare_app import app\napp()\n", encoding="utf-8")
        bare = [python, str(base / "bare.py")]
        for measure in _one_size(generator, base / "warm-up", 1, 1, [mars], bare)[1].values():
            measure.run()  # every command once on a small workspace: Python's bytecode written
        for size in sizes:
            count, measures = _one_size(generator, base / str(size), size, dangling, [mars], bare)
            rounds = runs if size_class(count) < 100_000 else min(runs, large_runs)
            measured(measures["bare check (a) raw read"].command)  # the files in the disk cache
            measured(measures["check cold"].command)  # the cache as a run before this one left it
            for number in range(1, rounds + 1):
                for measure in measures.values():
                    measure.run()
                print(f"  round {number}/{rounds}: " + ", ".join(f"{m.name} {m.times[-1]:.2f}"
                                                                  for m in measures.values()), flush=True)
            results[size] = (count, measures)
            report(count, rounds, measures)
            shutil.rmtree(base / str(size))
    scaling(results)


def _one_size(generator, folder: Path, size: int, dangling: int, mars: list[str], bare: list[str]):
    workspace, broken = folder / "workspace", folder / "dangling"
    start = time.perf_counter()
    count = generator.generate(workspace, size)
    print(f"\nGenerated {count} records in {time.perf_counter() - start:.1f} s.", flush=True)
    ws = ["-w", str(workspace)]
    warm = [[*mars, *ws, "check"], [*mars, *ws, "overdue", "--format", "json"],
            [*mars, *ws, "list", "--format", "json"], [*mars, *ws, "status"]]
    measures = [
        # A round: one record changed, then each warm command run once untimed, so that the timed warm
        # runs meet files unchanged since their last run; the cold run (no .mars/) comes last.
        Measure("check changed", [*mars, *ws, "check"], change(ordinary_record(workspace))),
        Measure("check warm", warm[0], lambda: [measured(command) for command in warm]),
        Measure("overdue json", warm[1]),
        Measure("list json", warm[2]),
        Measure("status", warm[3]),
        Measure("check cold", [*mars, *ws, "check"], forget_cache(workspace)),
        Measure("mars --help", [*mars, "--help"], repeat=5),
        Measure("bare check (a) raw read", [*bare, *ws, "check"]),
        Measure("bare check (b) PyYAML-C", [*bare, *ws, "check", "--parse"]),
        Measure("bare --help", [*bare, "--help"], repeat=5),
    ]
    if dangling and count < 50_000:  # at 100,000 records it would take hours today
        generator.generate(broken, size, dangling)
        measures.append(Measure("check cold, dangling", [*mars, "-w", str(broken), "check"], forget_cache(broken),
                                ok=(1,)))  # its errors are the point
    return count, {m.name: m for m in measures}


def report(count: int, runs: int, measures: dict[str, Measure]) -> None:
    print(f"{count} records, {runs} interleaved runs each (seconds; peak memory):")
    for m in measures.values():
        print(f"  {m.name:26} median {m.median:6.2f}  min {min(m.times):6.2f}  max {max(m.times):6.2f}"
              f"  {max(m.memory) / 1e6:6.0f} MB")
    size = size_class(count)
    print(f"  targets (ratio of medians; the issue sets them at {size:,} records unless it says none):")
    for what, name, against, target, at in TARGETS:
        if name in measures:
            ratio = measures[name].median / measures[against].median
            verdict = ("meets" if ratio <= target else "MISSES") if at is None or size in at else "none at this size"
            print(f"    {what:34} {ratio:6.2f}x {against:24} target <= {target}x: {verdict}")
    peak = max(max(m.memory) for name, m in measures.items() if not name.startswith("bare"))
    limit = MEMORY_MB.get(size)
    verdict = ("meets" if peak <= limit * 1e6 else "MISSES") if limit else "none at this size"
    print(f"    {'peak memory of mars':34} {peak / 1e6:6.0f} MB{'':24} target <= {limit or '-'} MB: {verdict}",
          flush=True)


def scaling(results: dict[int, tuple[int, dict[str, Measure]]]) -> None:
    """How the time grows with the records, from one size to the next: at most 10.5x for 10x."""
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:]):
        (n1, m1), (n2, m2) = results[small], results[large]
        growth = n2 / n1
        print(f"\nScaling {n1} -> {n2} records ({growth:.2f}x the records; target: at most {SCALING * growth:.2f}x "
              f"the time, 10.5x for 10x):")
        for name in ("check cold", "check warm"):
            ratio = m2[name].median / m1[name].median
            print(f"  {name:26} {ratio:6.2f}x the time: {'meets' if ratio <= SCALING * growth else 'MISSES'}")


def machine() -> None:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, mars at "
          f"{commit.stdout.strip() or '?'}; started {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (at least 5 for the target)")
    parser.add_argument("--records", type=int, nargs="+", metavar="N",
                        help="time generated workspaces of about N records (several sizes: also how time grows)")
    parser.add_argument("--only", choices=["pack", "workspace"],
                        help="only the Board pack, or only the workspace (default: the pack, and the workspace "
                             "too when --records is given)")
    parser.add_argument("--large-runs", type=int, default=3, help="runs at about 100,000 records (default 3)")
    parser.add_argument("--dangling", type=int, default=30, help="dangling references planted (default 30)")
    args = parser.parse_args()
    if args.only == "workspace" and not args.records:
        parser.error("--only workspace needs --records N")
    mars = shutil.which("mars") or str(Path(sys.executable).with_name("mars"))
    machine()
    if args.records and args.only != "pack":
        workspace_benchmark(sorted(args.records), args.runs, args.large_runs, args.dangling, mars)
    if args.only != "workspace":
        print()
        pack_benchmark(args.runs, mars)


if __name__ == "__main__":
    main()
