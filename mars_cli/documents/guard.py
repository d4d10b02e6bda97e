"""The guard in front of anything published: no OFFICIAL-SENSITIVE record, no personal data.

It reads every piece of text a public paper holds (the records' prose, with the file and line it
came from, and the titles, names and counts mars writes) and reports the file, the line and the
kind of each hit, never the matched text (its report may land in a public CI log).
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mars_cli.derive.context import Context
from mars_cli.derive.lookup import case_subjects
from mars_cli.documents.paper import Bullets, Paper, Para, Prose, Table, sensitive
from mars_cli.model import personal_data
from mars_cli.model.errors import Refused
from mars_cli.model.records import ERROR, Finding, Record


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    kind: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}"


def check(ctx: Context, paper: Paper) -> list[Problem]:
    """What keeps a public paper from being published: sensitive records, then each piece of personal data."""
    marked = [Problem(r.path, r.line("marking"), "a record not marked OFFICIAL") for r in paper.sources if sensitive(r)]
    names = case_subjects(ctx.workspace)
    allowed = ctx.config.document_postcodes
    found = []
    for text, origin in _texts(paper):
        for hit in personal_data.find(text, names, allowed):
            found.append(Problem(origin[0], origin[1] + hit.line - 1, hit.kind))
    return marked + sorted(set(found), key=lambda p: (p.path, p.line, p.kind))


def _texts(paper: Paper):
    """(text, (path, first line)) of everything the paper says."""
    first: Record | None = paper.sources[0] if paper.sources else None
    mine = (first.path, first.line("title")) if first else ("(the paper)", 1)
    yield "\n".join([paper.title, paper.subtitle, *(v for _, v in paper.cover)]), mine
    for record in paper.sources:  # the whole of each record shown: its excerpts and counts come from it
        yield record.title, (record.path, record.line("title"))
        yield record.body, (record.path, record.body_line)
    for section in _all_sections(paper.sections):
        yield section.title, mine
        for block in section.blocks:
            if isinstance(block, Prose):
                yield block.markdown, block.origin or mine
            elif isinstance(block, Para):
                yield f"{block.lead} {block.text}", mine
            elif isinstance(block, Bullets):
                yield "\n".join(block.items), mine
            elif isinstance(block, Table):
                yield "\n".join(" ".join(row) for row in (block.header, *block.rows)), mine


def _all_sections(sections):
    for section in sections:
        yield section
        yield from _all_sections(section.children)


def refuse_if_unsafe(ctx: Context, paper: Paper) -> None:
    """A public paper with anything the guard finds is refused, naming each place (exit 1)."""
    problems = check(ctx, paper)
    if problems:
        findings = [Finding(p.path, p.line, ERROR, "not-for-publication", f"{p.kind} would be published",
                            "Take it out of the record's text (or correct its marking), then build again.")
                    for p in problems]
        raise Refused(f"{paper.title} is for publication, and {len(problems)} "
                      f"place{'s' if len(problems) != 1 else ''} in it must not be published; nothing was written",
                      "Each line above names the file and line; the matched text is not shown.", findings)


SCANNED = (".md", ".html", ".htm", ".txt", ".csv", ".json", ".xml", ".ics", ".yaml", ".yml", ".typ", ".docx", ".pdf")


@dataclass
class Scanned:
    problems: list[Problem]
    unread: list[str]  # files that could not be read, so are not known to be clean
    covered: list[str]  # PDFs whose HTML twin (same name, same folder) was read instead


def scan(paths: list[Path], names: list[str], allowed: tuple[str, ...]) -> Scanned:
    """Personal data in files (folders are walked): what was found, and what could not be read."""
    result = Scanned([], [], [])
    for path in _files(paths):
        if path.suffix.lower() == ".pdf":  # its text is in compressed glyphs; mars writes every PDF with an HTML twin
            twin = next((path.with_suffix(s) for s in (".html", ".htm") if path.with_suffix(s).is_file()), None)
            (result.covered if twin else result.unread).append(str(path))
            continue
        text = _text(path)
        if text is None:
            result.unread.append(str(path))
            continue
        result.problems += [Problem(str(path), hit.line, hit.kind) for hit in personal_data.find(text, names, allowed)]
    return result


def _text(path: Path) -> str | None:
    try:
        if path.suffix.lower() == ".docx":
            with zipfile.ZipFile(path) as document:
                xml = document.read("word/document.xml").decode("utf-8")
            return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml)))
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, KeyError, zipfile.BadZipFile):
        return None
    return html.unescape(text) if path.suffix.lower() in (".html", ".htm", ".xml") else text


def _files(paths: list[Path]):
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink()
                              and p.suffix.lower() in SCANNED and ".git" not in p.parts)
        else:
            yield path
