"""Text laid out for a width: lines wrapped at word boundaries with a hanging indent, table columns
sized so that no word is split, and IDs in the short form officers can type.

Plain text in, plain text out (no rich here): render.py draws with it, and the tests measure it.
"""

from __future__ import annotations

import re

ELLIPSIS = "\u2026"
# A generated ID: prefix, the day it was created, the title's words, four random characters.
_GENERATED = re.compile(r"^(?P<head>[a-z0-9]+-\d{4}-\d{2}-\d{2})-.+-(?P<tail>[a-z0-9]{4})$")
_CHUNKS = re.compile(r"`[^`\n]*`\S*\s*|\S+\s*")  # a word, or a command in backticks (kept whole, to paste)


def short_id(full: str, known: set[str] | frozenset[str]) -> str:
    """`ae-2025-06-12-hospital-trust-assurance-event-k7f2` as `ae-2025-06-12…k7f2` (the commands take it,
    as they take `k7f2`), when no other known ID starts and ends alike; else the ID as it is. An item's
    step or entry (`ID:step`, `ID#2`) is kept after it."""
    base, mark, rest = _split_item(full, known)
    found = _GENERATED.match(base)
    if not found:
        return full
    head, tail = found["head"], found["tail"]
    if sum(1 for other in known if other.startswith(head) and other.endswith("-" + tail)) > 1:
        return full
    return f"{head}{ELLIPSIS}{tail}{mark}{rest}"


def _split_item(full: str, known) -> tuple[str, str, str]:
    """An item's ID as (record ID, ':' or '#' or '', what follows)."""
    if full in known:
        return full, "", ""
    for mark in (":", "#"):
        base, found, rest = full.rpartition(mark)
        if found and (base in known or _GENERATED.match(base)):
            return base, mark, rest
    return full, "", ""


def wrap(text: str, width: int, indent: str = "", hang: str | None = None, keep_first: bool = False,
         split_long: bool = True) -> list[str]:
    """`text` in lines of at most `width` characters, the first after `indent`, the others after `hang`
    (default: `indent`). Words are never split; spaces between them are kept. A word longer than a whole
    line (a path, a long ID) is broken after a / or a - where it can be, else where it must; but the
    first word is kept whole with `keep_first` (a finding's `path:line:`, so that editors can jump to it),
    and every word with `split_long` False (it then runs past the width where it must, on its line)."""
    hang = indent if hang is None else hang
    indent += text[:len(text) - len(text.lstrip(" "))]
    lines: list[str] = []
    line = indent
    fresh = True  # nothing on the line after its indent yet
    for chunk in _CHUNKS.findall(text.strip(" ")):
        word = chunk.rstrip(" ")
        whole = word.startswith("`") or not split_long  # a command runs past the width rather than break
        if not fresh and len(line) + len(word) > width and (not whole or word.startswith("`")
                                                            or len(hang) + len(word) <= width):
            lines.append(line.rstrip(" "))
            line, fresh = hang, True
        room = max(width - len(line), 1)
        if len(word) > room and not whole and not (keep_first and len(lines) == 0 and line == indent):
            pieces = _break(word, max(width - len(hang), 1), room)
            for piece in pieces[:-1]:
                lines.append((line + piece).rstrip(" "))
                line = hang
            chunk = pieces[-1] + chunk[len(word):]
        line += chunk
        fresh = False
    lines.append(line.rstrip(" "))
    return lines


def _break(word: str, room: int, first: int) -> list[str]:
    """A word too long for its line, in pieces: the first at most `first` long, the others `room`."""
    pieces, rest, limit = [], word, first
    while len(rest) > limit:
        cut = max(rest.rfind("/", 0, limit), rest.rfind("-", 0, limit)) + 1
        cut = cut if cut > 0 else limit
        pieces.append(rest[:cut])
        rest, limit = rest[cut:], room
    return [*pieces, rest]


def wrap_block(text: str, width: int | None) -> str:
    """Several lines (`mars show`), each wrapped to `width` with a hanging indent: continuation lines start
    where its text does after a list marker, or at its second column (`done      step: label`), else 4
    columns in. Words are never split (a path longer than the width runs past it). No width: unchanged."""
    if not width:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip(" "))]
        out.extend(wrap(line[len(indent):], width, indent, " " * _hang(line, len(indent)), split_long=False))
    return "\n".join(out)


def _hang(line: str, indent: int) -> int:
    """Where a long line's continuation lines start: after a list marker, at a second column, else 4 in."""
    marker = re.match(r"(?:[-*+]|\d+[.)])\s+", line[indent:])
    if marker:
        return indent + len(marker.group(0))
    column = re.match(r"\S.*? {2,}(?=\S)", line[indent:])
    if column and len(column.group(0)) <= 16:
        return indent + len(column.group(0))
    return indent + 4


def column_widths(columns: list[list[str]], width: int, whole: set[int] = frozenset()) -> list[int] | None:
    """The width of each column of a table drawn with a border round and between its cells and a space
    each side of a cell's text (3 columns a cell, and 1), so that it is at most `width` wide and no word is
    split: each column at least its longest word (the longest line in columns listed in `whole`, which
    are never wrapped), then what is left shared out towards each column's longest line. None: it cannot fit."""
    least = [max((len(w) for cell in col for line in cell.split("\n")
                  for w in ([line] if i in whole else line.split())), default=1) for i, col in enumerate(columns)]
    most = [max((len(line) for cell in col for line in cell.split("\n")), default=1) for col in columns]
    most = [max(m, n) for m, n in zip(most, least)]
    room = width - (3 * len(columns) + 1)
    if sum(least) > room:
        return None
    sizes = list(least)
    while sum(sizes) < room:
        wanting = [i for i, (s, m) in enumerate(zip(sizes, most)) if s < m]
        if not wanting:
            break
        spare = room - sum(sizes)
        want = sum(most[i] - sizes[i] for i in wanting)
        for i in wanting:
            sizes[i] += max(1, (most[i] - sizes[i]) * spare // want) if spare > 0 else 0
            sizes[i] = min(sizes[i], most[i])
            spare = room - sum(sizes)
            if spare <= 0:
                break
    return sizes
