"""Text from hand-edited files made safe for each kind of output: one escaper per kind.

A title, a name or a file name can hold anything a text editor or a paste puts there: an escape
sequence that clears a terminal or retitles its window, a line break that starts a new GitHub
workflow command, a `=` that a spreadsheet runs as a formula, a backtick that ends a code span.
Every output writes such text through the escaper for its kind:

- terminal: `terminal` (several lines) and `terminal_line` (a field that must stay one line), neither
  with a word that starts `::` (a GitHub workflow command when a line starts with it: `no_command`);
- CSV: `csv_cell` (one line, and text a spreadsheet would run as a formula defused);
- JSON: `json_text`, over the serialised document (json.dumps escapes only C0);
- XML (JUnit): `xml_text`;
- GitHub workflow commands: `github_data` and `github_property`;
- Markdown: `markdown` (text), `markdown_code` (a code span), `markdown_cell` (a table cell of Markdown);
- iCalendar: `calendar_text` (the icalendar library escapes its own syntax, not control characters).

What is removed is replaced by U+FFFD, so a reader sees that something was there.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# Bidirectional formatting characters reorder what is shown ("Trojan Source"): never output.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0, DEL, C1, the bidi controls and the Unicode line and paragraph separators.
_CONTROLS = f"\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029"
_ANY_CONTROL = re.compile(f"[{_CONTROLS}]")
_LINE_BREAKS = re.compile(r"(?:\r\n|[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029])+")

FORMULA_START = ("=", "+", "-", "@")  # what makes a spreadsheet read a cell as a formula


def _replace(text: str, keep: str = "") -> str:
    """Every control character not in `keep` replaced by U+FFFD."""
    return _ANY_CONTROL.sub(lambda m: m.group(0) if m.group(0) in keep else REPLACEMENT, text)


def one_line(text: str) -> str:
    """Text on one line: each run of line breaks (and tabs) becomes a space, any other control U+FFFD.
    (Text Python calls printable has none of them: every one is a control, a format character or a
    line or paragraph separator. Most text is, and is given back as it is without a regex's pass:
    4,600 findings' lines took a quarter of a second.)"""
    return text if not text or text.isprintable() else _replace(_LINE_BREAKS.sub(" ", text))


def lines(text: str) -> str:
    """Text on several lines: line breaks become \\n, tabs stay, any other control becomes U+FFFD."""
    return text if not text or text.isprintable() else _replace(text.replace("\r\n", "\n"), keep="\n\t")


# --- terminal -------------------------------------------------------------------------------------

# `::` where a line could start with it (GitHub reads such a line, after its spaces, as a workflow command).
_COMMAND_START = re.compile(r"(^|\s)::", re.MULTILINE)


def no_command(text: str) -> str:
    """Text in which no word starts with `::`, so that no line of it (however it is wrapped, or pasted
    into a CI log) is a GitHub workflow command: U+FFFD is put before such a `::`."""
    return _COMMAND_START.sub(lambda m: m.group(1) + REPLACEMENT + "::", text) if text and "::" in text else text


def terminal(text: str) -> str:
    """Several lines for a terminal: nothing in them can move the cursor, clear the screen, retitle
    the window or reorder what is shown, or start a workflow command in a CI log."""
    return no_command(lines(text))


def terminal_line(text: str) -> str:
    """One field for a terminal that must stay on its line (a table cell, a title after a label)."""
    return no_command(one_line(text))


# --- CSV ------------------------------------------------------------------------------------------

def csv_cell(value):
    """One CSV cell: None is empty, a list is joined with '; ', text is one line, and text a
    spreadsheet would run as a formula (first character after any spaces = + - or @, or a tab or
    carriage return first) starts with ' so it is shown, not run. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raw = str(value)
    text = one_line(raw)
    if raw[:1] in ("\t", "\r") or text.lstrip(" ")[:1] in FORMULA_START:
        return "'" + text
    return text


# --- JSON -----------------------------------------------------------------------------------------

_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def json_text(document: str) -> str:
    """A serialised JSON document with what json.dumps leaves raw (DEL, C1, bidi controls, U+2028,
    U+2029) written as \\u escapes: the same data, inert when the JSON is shown in a terminal."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", document)


# --- XML ------------------------------------------------------------------------------------------

# What XML 1.0 forbids (C0 but tab, LF and CR; surrogates; U+FFFE and U+FFFF), and what it asks
# documents to avoid (DEL and C1 but NEL), and the bidi controls.
_NOT_XML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff{_BIDI}]")


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can hold (ElementTree escapes & < > and quotes itself)."""
    return _NOT_XML.sub(REPLACEMENT, text)


# --- GitHub workflow commands ---------------------------------------------------------------------

def github_data(text: str) -> str:
    """The message of a workflow command (after the second ::). Per GitHub's rules % CR and LF are
    written %25 %0D %0A, so the command stays one line and no line of the text can start a command
    of its own; other control characters (colours in the log) become U+FFFD."""
    text = _replace(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property of a workflow command (file=, title=): as the message, and : and , as %3A %2C."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# --- Markdown -------------------------------------------------------------------------------------

_MARKUP = "\\`*_[]<>#|~&!"


def markdown(text: str) -> str:
    """Text shown as typed in Markdown: one line, each character that could start markup, a link,
    an HTML tag or an entity escaped with a backslash."""
    return "".join("\\" + c if c in _MARKUP else c for c in one_line(text))


def markdown_code(text: str) -> str:
    """A code span that holds the text whatever it is: its fence is one backtick longer than the
    longest run of backticks inside, and padded with a space when the text starts or ends with a
    backtick or a space (CommonMark strips one space each side)."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_cell(text: str) -> str:
    """A table cell of text that is Markdown already (our own code spans): one line, | escaped."""
    return one_line(text).replace("|", "\\|")


# --- iCalendar ------------------------------------------------------------------------------------

def calendar_text(text: str) -> str:
    """An iCalendar TEXT value: RFC 5545 allows no control character but tab; line breaks are kept
    (the icalendar library writes them as \\n, with , ; and \\ escaped)."""
    return lines(text)
