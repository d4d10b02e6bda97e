"""Building a paper: Markdown → pandoc → Typst → a tagged PDF, a styled DOCX, a standalone HTML.

The pipeline, in one function (`build`): the paper is written as Markdown and its metadata; in a
private build folder holding nothing else, pandoc writes each format (Typst source for the PDF);
Typst compiles the PDF with PDF/UA-1; each file is moved into place atomically.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mars_cli.documents import charts, docx, pandoc, typst
from mars_cli.documents.markdown import escape, image, metadata, to_markdown
from mars_cli.documents.paper import Chart, Paper
from mars_cli.store.files import write_atomic

FORMATS = ("pdf", "docx", "html")


@dataclass
class Built:
    format: str
    path: Path
    pages: int | None = None  # PDFs only


@dataclass
class Result:
    files: list[Built] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # what record text could not carry into the paper


def build(paper: Paper, formats: tuple[str, ...], out: Path, *, when: dt.datetime,
          on_step: Callable[[str], None] = lambda _: None, inside: Path | None = None) -> Result:
    """Write the paper in each format to `out/<paper.name>.<format>`; what was written. With `inside`
    (the workspace, when `out` is its build/ folder), refuses to write through a symbolic link."""
    result = Result()
    with tempfile.TemporaryDirectory(prefix="mars-paper-") as folder:
        work = Path(folder)
        job = _Job(paper, work, when, token=f"marschart{secrets.token_hex(8)}")
        job.metadata.write_text(metadata(paper, job.token), encoding="utf-8")
        for fmt in formats:
            on_step(fmt)
            made = _WRITERS[fmt](job)
            target = out / f"{paper.name}.{fmt}"
            write_atomic(target, made.path.read_bytes(), root=inside)
            result.files.append(Built(fmt, target, made.pages))
            result.dropped += [d for d in made.dropped if d not in result.dropped]
    return result


@dataclass
class _Made:
    path: Path
    pages: int | None
    dropped: list[str]


class _Job:
    """One build: the paper, its private folder, its charts (drawn once in each picture format
    a format needs), the token that marks them."""

    MIME = {"svg": "image/svg+xml", "png": "image/png"}

    def __init__(self, paper: Paper, work: Path, when: dt.datetime, token: str) -> None:
        self.paper, self.work, self.when, self.token = paper, work, when, token
        self.metadata = work / "metadata.json"
        self.dropped: list[str] = []
        self.charts: list[Chart] = list(_charts(paper.sections))
        self._drawn: dict[str, list[bytes]] = {}

    def markdown(self, chart) -> str:
        return to_markdown(self.paper, chart)

    def drawn(self, fmt: str) -> list[bytes]:
        """Every chart as SVG (PDF, HTML) or PNG (DOCX), drawn on first asking."""
        if fmt not in self._drawn:
            self._drawn[fmt] = charts.draw(self.charts, self.work / f"charts-{fmt}", fmt) if self.charts else []
        return self._drawn[fmt]

    def uri(self, fmt: str, number: int) -> str:
        return f"data:{self.MIME[fmt]};base64," + base64.b64encode(self.drawn(fmt)[number - 1]).decode("ascii")


def _charts(sections):
    for section in sections:
        yield from (block for block in section.blocks if isinstance(block, Chart))
        yield from _charts(section.children)


def typst_source(paper: Paper, when: dt.datetime) -> str:
    """The Typst source a paper's PDF is compiled from (the charts' token made stable), to compare
    with a committed copy: a change in the templates, pandoc or Typst's input shows as a diff of text."""
    with tempfile.TemporaryDirectory(prefix="mars-paper-") as folder:
        job = _Job(paper, Path(folder), when, token="marschartpictures")
        job.metadata.write_text(metadata(paper, job.token), encoding="utf-8")
        return _typst_source(job, draw=False).read_text(encoding="utf-8")


def pictures(paper: Paper, out: Path, pages: dict[int, str], when: dt.datetime) -> str:
    """PNG pictures of some pages (number -> file name), to look at a paper without a PDF reader;
    returns the Typst source they were drawn from (with the charts' token made stable)."""
    with tempfile.TemporaryDirectory(prefix="mars-paper-") as folder:
        job = _Job(paper, Path(folder), when, token="marschartpictures")
        job.metadata.write_text(metadata(paper, job.token), encoding="utf-8")
        source = _typst_source(job)
        drawn = typst.render_png(source, Path(folder) / "page-{page}.png", sorted(pages))
        for path in drawn:
            write_atomic(out / pages[int(path.stem.split("-")[1])], path.read_bytes())
        return source.read_text(encoding="utf-8")


def _pdf(job: _Job) -> _Made:
    source = _typst_source(job)
    pages = typst.compile_pdf(source, job.work / "paper.pdf", job.when)
    return _Made(job.work / "paper.pdf", pages, job.dropped)


def _typst_source(job: _Job, draw: bool = True) -> Path:
    """Typst source by pandoc, each chart's placeholder then replaced by a figure with its alt text
    (pandoc's Typst writer would drop it, and PDF/UA-1 requires it). The charts are drawn while
    pandoc runs."""
    placeholder = job.token.upper()
    running = pandoc.start(job.markdown(lambda n, c: f"{placeholder}N{n}"), "typst", job.work / "paper.typ",
                           job.metadata)
    try:
        for number, svg in enumerate(job.drawn("svg") if draw else [], 1):
            (job.work / f"chart-{number}.svg").write_bytes(svg)
    except BaseException:
        running.stop()
        raise
    source = running.finish()
    text = re.sub(rf"^{placeholder}N(\d+)$", lambda m: _typst_figure(int(m.group(1)), job.charts[int(m.group(1)) - 1]),
                  source.path.read_text(encoding="utf-8"), flags=re.M)
    source.path.write_text(text, encoding="utf-8")
    job.dropped = source.dropped
    return source.path


def _typst_figure(number: int, chart: Chart) -> str:
    alt = chart.alt.replace("\\", "\\\\").replace('"', '\\"')
    caption = re.sub(r"([^\w\s])", r"\\\1", chart.caption)
    return f'#figure(image("chart-{number}.svg", alt: "{alt}", width: 100%), kind: image, caption: [{caption}])'


def _docx(job: _Job) -> _Made:
    reference = job.work / "reference.docx"
    reference.write_bytes(docx.reference(pandoc.default_reference_docx(), job.paper.marking, bool(job.paper.draft)))
    text = _docx_front(job.paper) + job.markdown(lambda n, c: image(job.uri("png", n), c, job.token))
    made = pandoc.convert(text, "docx", job.work / "paper.docx", job.metadata,
                          [f"--reference-doc={reference}", "--toc", "--toc-depth=2"])
    return _Made(made.path, None, made.dropped)


def _html(job: _Job) -> _Made:
    made = pandoc.convert(job.markdown(lambda n, c: image(job.uri("svg", n), c, job.token)), "html",
                          job.work / "paper.html", job.metadata,
                          ["--toc", "--toc-depth=2", "--shift-heading-level-by=1", "--embed-resources"])
    return _Made(made.path, None, made.dropped)


def _docx_front(paper: Paper) -> str:
    """DOCX has no cover template: the cover's facts open the document instead."""
    lines = [f"**{escape(label)}:** {escape(value)}\\" for label, value in paper.cover]
    if paper.draft:
        lines.append(f"**DRAFT:** {escape(paper.draft)}\\")
    return ("\n".join(lines).rstrip("\\") + "\n\n") if lines else ""


_WRITERS = {"pdf": _pdf, "docx": _docx, "html": _html}
