"""mars's benchmark: whole commands, timed as fresh processes, against bare baselines, in one run.

    python benchmarks/run.py [--runs 5]

Today it times the papers: building the example's next Board pack as a PDF with `mars pack`
(reading the workspace, composing the pack, drawing its charts, pandoc, Typst), against a bare Python
process that runs pypandoc and typst.compile on the same assembled Markdown, with the same charts
already drawn and the same pandoc conversion (mars's template, metadata and Lua filter, sandboxed),
so that both write the same PDF: the ratio is what mars adds to the tools' own work. The target is a median ratio of at most 1.5. Runs are interleaved (mars, bare, mars,
bare...), so both meet the same machine; it prints the median, minimum and maximum of each and the
ratio of the medians. (The performance work adds the workspace-size measurements to this harness.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])}... failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (at least 5 for the target)")
    args = parser.parse_args()
    mars = shutil.which("mars") or str(Path(sys.executable).with_name("mars"))
    with tempfile.TemporaryDirectory(prefix="mars-bench-") as folder:
        base = Path(folder)
        workspace = base / "example-workspace"
        shutil.copytree(ROOT / "example-workspace", workspace, ignore=shutil.ignore_patterns("build"))
        (base / "bare").mkdir()
        bare = prepare(base / "bare", workspace)
        pack = [mars, "-w", str(workspace), "pack", "--next", "board", "--format", "pdf", "-o", str(base / "out")]
        timed(pack), timed(bare)  # warm the disk cache for both, and write their bytecode
        times: dict[str, list[float]] = {"mars pack (PDF)": [], "bare pypandoc + typst": []}
        for _ in range(args.runs):
            times["mars pack (PDF)"].append(timed(pack))
            times["bare pypandoc + typst"].append(timed(bare))
    print(f"Board pack of the example workspace, {args.runs} interleaved runs each (seconds):")
    for name, values in times.items():
        print(f"  {name:24} median {statistics.median(values):.2f}  min {min(values):.2f}  max {max(values):.2f}")
    ratio = statistics.median(times["mars pack (PDF)"]) / statistics.median(times["bare pypandoc + typst"])
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"  ratio of medians: {ratio:.2f}x ({verdict} the target of {TARGET}x)")


if __name__ == "__main__":
    main()
