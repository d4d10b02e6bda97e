"""Building a paper: Markdown → pandoc → Typst → a tagged PDF, a styled DOCX, a standalone HTML.

The pipeline, in one function (`build`): the paper is written as Markdown and its metadata; in a
private build folder holding nothing else, pandoc writes each format (Typst source for the PDF);
Typst compiles the PDF with PDF/UA-1; each file is moved into place atomically.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mars_cli.documents import docx, pandoc, typst
from mars_cli.documents.markdown import escape, metadata, to_markdown
from mars_cli.documents.paper import Paper
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
          on_step: Callable[[str], None] = lambda _: None) -> Result:
    """Write the paper in each format to `out/<paper.name>.<format>`; what was written."""
    markdown = to_markdown(paper)
    result = Result()
    with tempfile.TemporaryDirectory(prefix="mars-paper-") as folder:
        work = Path(folder)
        meta = work / "metadata.json"
        meta.write_text(metadata(paper), encoding="utf-8")
        for fmt in formats:
            on_step(fmt)
            made = _WRITERS[fmt](paper, markdown, work, meta, when)
            target = out / f"{paper.name}.{fmt}"
            write_atomic(target, made.path.read_bytes())
            result.files.append(Built(fmt, target, made.pages))
            result.dropped += [d for d in made.dropped if d not in result.dropped]
    return result


@dataclass
class _Made:
    path: Path
    pages: int | None
    dropped: list[str]


def _pdf(paper: Paper, markdown: str, work: Path, meta: Path, when: dt.datetime) -> _Made:
    source = pandoc.convert(markdown, "typst", work / "paper.typ", meta)
    pages = typst.compile_pdf(source.path, work / "paper.pdf", when)
    return _Made(work / "paper.pdf", pages, source.dropped)


def _docx(paper: Paper, markdown: str, work: Path, meta: Path, when: dt.datetime) -> _Made:
    reference = work / "reference.docx"
    reference.write_bytes(docx.reference(pandoc.default_reference_docx(), paper.marking, bool(paper.draft)))
    made = pandoc.convert(_docx_front(paper) + markdown, "docx", work / "paper.docx", meta,
                          [f"--reference-doc={reference}", "--toc", "--toc-depth=2"])
    return _Made(made.path, None, made.dropped)


def _html(paper: Paper, markdown: str, work: Path, meta: Path, when: dt.datetime) -> _Made:
    made = pandoc.convert(markdown, "html", work / "paper.html", meta,
                          ["--toc", "--toc-depth=2", "--shift-heading-level-by=1", "--embed-resources"])
    return _Made(made.path, None, made.dropped)


def _docx_front(paper: Paper) -> str:
    """DOCX has no cover template: the cover's facts open the document instead."""
    lines = [f"**{escape(label)}:** {escape(value)}\\" for label, value in paper.cover]
    if paper.draft:
        lines.append(f"**DRAFT:** {escape(paper.draft)}\\")
    return ("\n".join(lines).rstrip("\\") + "\n\n") if lines else ""


_WRITERS = {"pdf": _pdf, "docx": _docx, "html": _html}
