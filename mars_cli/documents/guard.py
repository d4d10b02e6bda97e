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
    yield paper.partnership, ("mars.yaml", 1)
    yield paper.contact, ("mars.yaml", 1)
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


def printed(ctx: Context, paper: Paper) -> list[Problem]:
    """What the guard finds in the paper as a reader sees it (record text joined up: emphasis, links,
    footnotes and pictures' words resolved), which the records as typed may hide."""
    from mars_cli.documents import pandoc
    from mars_cli.documents.markdown import to_markdown

    words = "\n".join([paper.title, paper.subtitle, paper.partnership, paper.contact,
                       *(f"{label} {value}" for label, value in paper.cover)])
    text = words + "\n" + pandoc.plain(to_markdown(paper))
    where = f"{paper.name} as printed"
    return [Problem(where, hit.line, hit.kind)
            for hit in personal_data.find(text, case_subjects(ctx.workspace), ctx.config.document_postcodes)]


def refuse_if_unsafe(ctx: Context, paper: Paper) -> None:
    """A public paper with anything the guard finds is refused, naming each place (exit 1): in the records
    it shows (file and line), else in the paper as printed (its line)."""
    problems = check(ctx, paper)
    if not problems:
        problems = printed(ctx, paper)
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
    files = list(dict.fromkeys(_files(paths, result)))
    for path in list(files):
        if path.suffix.lower() == ".pdf":  # its text is in compressed glyphs; mars writes every PDF with an HTML twin
            twin = next((path.with_suffix(s) for s in (".html", ".htm") if path.with_suffix(s).is_file()), None)
            (result.covered if twin else result.unread).append(str(path))
            if twin and twin not in files:
                files.append(twin)
    for path in files:
        if path.suffix.lower() == ".pdf":
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
            return _docx_text(path)
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, KeyError, zipfile.BadZipFile):
        return None
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xml"):
        return _markup_text(text)
    return {".json": _json_text, ".ics": _calendar_text}.get(suffix, lambda t: t)(text)


def _json_text(text: str) -> str:
    """JSON as its strings read: "\\u004a" is "J" (surrogate pairs joined), an escaped line break a space."""
    def one(match: re.Match) -> str:
        escaped = match.group(0)
        if escaped.startswith("\\u"):
            units = [int(u, 16) for u in re.findall(r"[0-9a-fA-F]{4}", escaped)]
            return "".join(chr(u) for u in units).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return {"n": " ", "r": " ", "t": " ", "b": " ", "f": " "}.get(escaped[1], escaped[1])
    return re.sub(r"(?:\\u[0-9a-fA-F]{4})+|\\.", one, text)


def _calendar_text(text: str) -> str:
    """iCalendar as its values read: folded lines joined (a name may be split across two), escapes
    undone. A joined line is followed by as many line breaks as it had, so later lines keep their numbers."""
    logical: list[list[str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and logical:
            logical[-1].append(line[1:])
        else:
            logical.append([line])
    unfolded = "\n".join("".join(parts) + "\n" * (len(parts) - 1) for parts in logical)
    return re.sub(r"\\([,;\\nN])", lambda m: " " if m.group(1) in "nN" else m.group(1), unfolded)


def _markup_text(text: str) -> str:
    """HTML or XML as a reader sees it: tags and comments gone (their line breaks kept), entities decoded."""
    bare = re.sub(r"<!--.*?-->|<[^>]*>", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return html.unescape(bare)


def _docx_text(path: Path) -> str:
    """Every part of a DOCX that holds text: the body, notes, headers and footers, comments, properties."""
    with zipfile.ZipFile(path) as document:
        parts = [n for n in document.namelist() if n.endswith(".xml") and n.startswith(("word/", "docProps/"))]
        xml = "\n".join(document.read(n).decode("utf-8") for n in sorted(parts))
    return _markup_text(re.sub(r"</w:p>", "\n", xml))


def _files(paths: list[Path], result: Scanned):
    """The files to read; a folder's files of a kind mars cannot read (or links) are reported, not skipped."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for found in sorted(p for p in path.rglob("*") if ".git" not in p.parts):
            if found.is_symlink() or (found.is_file() and found.suffix.lower() not in SCANNED):
                result.unread.append(str(found))
            elif found.is_file():
                yield found
