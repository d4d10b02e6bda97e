"""A paper written out as pandoc Markdown, and its metadata (title, marking, cover) as JSON.

Text mars wrote is escaped (every ASCII punctuation mark gets a backslash, which pandoc reads as
that character and nothing else); Prose from records passes as Markdown, with HTML comments (the
templates' guidance) taken out and its headings moved below the section that holds it.
"""

from __future__ import annotations

import json
import re

from mars_cli.documents.paper import Bullets, Chart, Paper, Para, Prose, Section, Table

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)  # template guidance in a record: never printed
_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Text that pandoc reads back exactly as written: one line, no markup."""
    flat = " ".join(_CONTROL.sub("", str(text)).split())
    return _PUNCTUATION.sub(r"\\\1", flat)


def prose(markdown: str, level: int) -> str:
    """A record's Markdown, without comments, its headings below `level` and never skipping one (an
    accessible document's headings go down one level at a time; PDF/UA-1 refuses a skip)."""
    text = _CONTROL.sub("", COMMENT.sub("", markdown)).strip()
    previous = level

    def relevel(match: re.Match) -> str:
        nonlocal previous
        previous = min(6, max(level + 1, min(len(match.group(1)) - _shallowest + level + 1, previous + 1)))
        return "#" * previous

    _shallowest = min((len(m.group(1)) for m in _HEADING.finditer(text)), default=1)
    return _HEADING.sub(relevel, text)


def to_markdown(paper: Paper, chart=lambda number, chart: "") -> str:
    """The paper as Markdown; `chart(number, chart)` gives the Markdown that stands for each chart (the
    build's choice per format), and the chart's table of numbers follows it."""
    parts: list[str] = []
    charts = iter(range(1, 1000))
    for section in paper.sections:
        parts += _section(section, 1, lambda c: chart(next(charts), c))
    return "\n\n".join(parts) + "\n"


def _section(section: Section, level: int, chart) -> list[str]:
    out = [f"{'#' * level} {escape(section.title)}"]
    for block in section.blocks:
        if isinstance(block, Chart):
            out += [chart(block), _table(block.table())]
        else:
            out.append(_block(block, level))
    for child in section.children:
        out += _section(child, min(level + 1, 6), chart)
    return [part for part in out if part.strip()]


def image(data_uri: str, chart: Chart, token: str) -> str:
    """A chart as a Markdown image the build's filter lets through: marked with the build's secret token,
    its description the caption, its alt text the numbers."""
    alt = chart.alt.replace("\\", "\\\\").replace('"', '\\"')
    return f'![{escape(chart.caption)}]({data_uri}){{.{token} alt="{alt}"}}'


def _block(block, level: int) -> str:
    if isinstance(block, Prose):
        return prose(block.markdown, level)
    if isinstance(block, Para):
        lead = f"**{escape(block.lead)}** " if block.lead else ""
        return lead + escape(block.text)
    if isinstance(block, Bullets):
        return "\n".join(f"- {escape(item)}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    raise TypeError(f"not a block of a paper: {block!r}")


def _table(table: Table) -> str:
    """A pipe table whose separator line is long enough that pandoc sizes the columns by its dashes:
    words get room in proportion to what they hold, numbers only what they need."""
    def row(cells) -> str:
        return "| " + " | ".join(escape(c) or " " for c in cells) + " |"

    widths = _widths(table)
    dashes = [max(3, round(100 * w / sum(widths))) for w in widths]
    rule = "|" + "|".join(("-" * (d - 1) + ":") if i in table.numeric else (":" + "-" * (d - 1))
                          for i, d in enumerate(dashes)) + "|"
    lines = [row(table.header), rule, *(row(r) for r in table.rows)]
    return "\n".join(lines) + f"\n\n: {escape(table.caption)}"


LINE = 95  # characters of table text across an A4 page at the template's table size


def _widths(table: Table) -> list[float]:
    """Each column's share of the line: first room for its longest word (so no word runs out of its cell),
    then what is left shared by how much more each column's text needs."""
    columns = range(len(table.header))
    cells = [[str(r[i]) for r in table.rows if i < len(r)] + [table.header[i]] for i in columns]
    longest = [max((len(w) for c in column for w in c.split()), default=1) for column in cells]
    least = [longest[i] + (4 if i in table.numeric else 2) for i in columns]  # headings are bold, so wider
    wanted = [least[i] if i in table.numeric else max(least[i], min(max(len(c) for c in cells[i]), 40))
              for i in columns]
    spare = LINE - sum(least)
    more = [w - m for w, m in zip(wanted, least)]
    if spare <= 0 or not sum(more):
        return [float(m) for m in least]
    return [m + spare * extra / sum(more) for m, extra in zip(least, more)]


def metadata(paper: Paper, token: str = "") -> str:
    """The template's variables. Values are Markdown text, so they are escaped like any other."""
    data = {
        "title": escape(_shortened(paper.title)),
        "subtitle": escape(paper.subtitle),
        "partnership": escape(paper.partnership),
        "marking": paper.marking,
        "accent": ", ".join(str(int(c)) for c in paper.accent),
        "cover": [{"label": escape(label), "value": escape(value)} for label, value in paper.cover],
        "contact": escape(paper.contact),
        "lang": "en-GB",
        "toc-title": "Contents",
        "mars-token": token,
    }
    if paper.draft:
        data["draft"] = escape(paper.draft)
    if paper.compact:
        data["compact"] = True
    return json.dumps(data, ensure_ascii=False)


def _shortened(title: str, most: int = 200) -> str:
    """A title short enough for a cover: a pasted paragraph is cut at a word, with an ellipsis."""
    flat = " ".join(title.split())
    return flat if len(flat) <= most else flat[:most].rsplit(" ", 1)[0] + "…"
