"""Finding personal data in text: NHS numbers, dates of birth, full UK postcodes, and the names and
references of the people a case record lists as its `subjects`.

A hit says where (the line) and what kind, never the text matched: its report may land in a public
CI log. Look-alikes are told apart: an NHS number must pass its check digit, a date counts as a
date of birth only a few words from "born", "DOB" or "date of birth" (or in a table's column so
headed), and a postcode must be a whole UK postcode (outward and inward parts), not an outward code
or a road number.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NHS, BIRTH, POSTCODE, SUBJECT = "NHS number", "date of birth", "postcode", "a case subject's name or reference"

_NHS = re.compile(r"(?<![\d-])(\d{3})(?:[ .\-/\\]{1,2})?(\d{3})(?:[ .\-/\\]{1,2})?(\d{4})(?![\d-])")
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}|"
    rf"\d{{1,2}}[-/ ](?:{_MONTHS})[-/ ]\d{{2,4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{2,4}}|"
    rf"(?:{_MONTHS})\.?\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.I)
_BIRTH_WORDS = re.compile(r"\b(?:born|d\.?\s?o\.?\s?b\.?|date[\s\-_]+of[\s\-_]+birth|birth[\s\-_]*date|birthday)\b", re.I)
_WORDS_NEAR = 12  # "a date within a few words of born": a sentence's worth, erring on the side of the child
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[ABCDEFGHJKMNPRSTUVWXY\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.I)


_PSEUDONYM = re.compile(r"(?:child|sibling|brother|sister|mother|father|parent|carer|baby|young person|adult|person|"
                        r"family|practitioner)\s+[A-Z0-9]{1,2}", re.I)


def phrases(name: str) -> list[str]:
    """The parts of a subject's name that name someone: "Child C (Jayden Smith)" -> ["Jayden Smith"],
    "Child D - Mia Rowe" -> ["Mia Rowe"], "Child C (known as Jay)" -> ["Jay"]."""
    parts = [re.sub(r"^(?:known as|also known as|aka|a\.k\.a\.|called|named)\s+", "", p.strip(" ,;:"), flags=re.I)
             for p in re.split(r"[()\[\]]|\s[-\u2013\u2014:]\s|,\s*|;", name)]
    named = [p for p in parts if p and not is_pseudonym(p)]
    # a word in brackets that is not a name ("Child A (sibling)") names nobody; a capital or a digit does
    return [p for p in named if p is parts[0] or p[0].isupper() or any(c.isdigit() for c in p)]


def is_pseudonym(name: str) -> bool:
    """A name such as "Child A" or "Mother B": how records refer to people so that they name nobody.
    Such a name may appear anywhere; only real names and references are personal data."""
    return bool(_PSEUDONYM.fullmatch(name.strip()))


@dataclass(frozen=True)
class Hit:
    line: int  # 1-based line of the text
    kind: str


def nhs_number_valid(digits: str) -> bool:
    """The NHS number check: digits 1-9 weighted 10..2, 11 - (sum mod 11) (11 is 0, 10 invalid) is digit 10."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


# Characters that change nothing a reader sees (zero-width spaces and joiners, soft hyphens, bidi
# marks) and spaces of other widths: a number or a name written with them is the same number or name.
_INVISIBLE = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e"
                        r"\u2060-\u206f\ufeff\ufe00-\ufe0f]")
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\n]")


def find(text: str, subjects: Iterable[str] = (), allowed_postcodes: Iterable[str] = ()) -> list[Hit]:
    """Every piece of personal data in text, by line and kind, in order."""
    found = []
    for offset, kind in _hits(_Seen(text), list(subjects), allowed_postcodes):
        found.append(Hit(offset, kind))
    return sorted(set(found), key=lambda h: (h.line, h.kind))


def subject_lines(text: str, subjects: Iterable[str]) -> list[int]:
    """The lines of text that name a subject (the one kind of hit `check` looks for in every record)."""
    seen = _Seen(text)
    return sorted({seen.line(at) for at, _ in _subjects(seen.text, list(subjects))})


def names_any(texts: Iterable[str], subjects: Iterable[str]) -> bool:
    """Whether any of the texts names a subject: one search of them all, joined by line breaks (text is
    read a character at a time and a name is matched between non-letters, so a name in one of them is a
    name in the whole; a name across two of them is only a reason to look at each, as subject_lines does)."""
    return bool(_subjects(_Seen("\n".join(texts)).text, list(subjects)))


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})
_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u2032\uff07"})


def _plain(ch: str) -> str:
    """A character as it is read: compatibility forms made plain (fullwidth letters and digits, ligatures),
    every dash a hyphen, every apostrophe straight, control characters a space."""
    if unicodedata.category(ch) == "Cc" and ch != "\n":
        return " "
    return bare(ch).translate(_DASHES).translate(_QUOTES)


@functools.cache
def _latin(c: str) -> str:
    """One letter's Latin look-alike (anyascii is imported only when a text has a non-ASCII letter)."""
    from anyascii import anyascii

    return anyascii(c)


def bare(text: str) -> str:
    """Letters as their Latin look-alikes, compatibility forms made plain, accents dropped: "Ｚｏë",
    "Zoe\u0308" and "Zоe" (with a Cyrillic о) all read "Zoe". Transliteration is anyascii's (the one
    module that uses it); a letter it has no Latin for stays as it is."""
    out = []
    for c in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(c):
            continue
        out.append(c if c.isascii() or not (c.isalnum() or c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
                   else (_latin(c) or c))
    return "".join(out)


class _Seen:
    """Text as matched (invisible characters removed, spaces and line breaks made plain) and a way back
    to the line of the original text each match starts on."""

    def __init__(self, text: str) -> None:
        self._original = text
        if text.isascii():  # most text: only its control characters change (to spaces), offsets stay
            self.lined = text.translate(_ASCII_SPACES)
            self.text = self.lined.replace("\n", " ")
            self._kept: Sequence[int] = range(len(text))
            return
        out: list[str] = []
        kept: list[int] = []
        done = 0
        for run in _ASCII_RUN.finditer(text):  # ASCII in bulk: only its control characters change (to spaces)
            _plain_each(text, done, run.start(), out, kept)
            out.append(_ASCII_CONTROL.sub(" ", run.group(0)))
            kept.extend(range(run.start(), run.end()))
            done = run.end()
        _plain_each(text, done, len(text), out, kept)
        self.lined = "".join(out)  # line breaks kept; every offset the same as in `text`
        self.text = _SPACES.sub(" ", self.lined)
        self._kept = kept

    def line(self, offset: int) -> int:
        original = self._kept[offset] if offset < len(self._kept) else len(self._original)
        return self._original.count("\n", 0, original) + 1


_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # what _plain makes a space (not the line break)
_ASCII_SPACES = {c: " " for c in [*range(0x0a), *range(0x0b, 0x20), 0x7f]}  # the same, for str.translate


def _plain_each(text: str, start: int, end: int, out: list[str], kept: list[int]) -> None:
    """text[start:end] as _plain reads it, a character at a time, each kept with its offset in text."""
    for i in range(start, end):
        ch = text[i]
        if _INVISIBLE.match(ch):
            continue
        for c in _plain(ch):
            out.append(c)
            kept.append(i)


def _hits(seen: _Seen, subjects: list[str], allowed: Iterable[str]):
    for finder in (_nhs, _births):
        yield from ((seen.line(at), kind) for at, kind in finder(seen.text))
    yield from ((seen.line(at), kind) for at, kind in _birth_columns(seen.lined))
    yield from ((seen.line(at), kind) for at, kind in _postcodes(seen.text, allowed))
    yield from ((seen.line(at), kind) for at, kind in _subjects(seen.text, subjects))


def _nhs(text: str) -> list[tuple[int, str]]:
    return [(m.start(), NHS) for m in _NHS.finditer(text) if nhs_number_valid("".join(m.groups()))]


def _births(text: str) -> list[tuple[int, str]]:
    words = [m.start() for m in re.finditer(r"\S+", text)]
    triggers = [_word_index(words, m.start()) for m in _BIRTH_WORDS.finditer(text)]
    hits = []
    for match in _DATE.finditer(text):
        first, last = _word_index(words, match.start()), _word_index(words, match.end() - 1)
        if any(first - _WORDS_NEAR <= t <= last + _WORDS_NEAR for t in triggers):
            hits.append((match.start(), BIRTH))
    return hits


def _birth_columns(text: str) -> list[tuple[int, str]]:
    """Dates in a table's date-of-birth column, however far down the table (a Markdown, tab or comma
    table: a header row with a cell that says "DOB", then the rows below it that have that column)."""
    hits, column = [], None
    offset = 0
    for line in text.split("\n"):
        mark = next((m for m in ("|", "\t", ",") if m in line), None)
        cells = line.split(mark) if mark else []
        if column is not None and (mark != column[0] or len(cells) <= column[1]):
            column = None  # the table ended
        if column is not None and _DATE.search(cells[column[1]]):
            hits.append((offset, BIRTH))
        elif mark:
            heading = next((i for i, cell in enumerate(cells) if _BIRTH_WORDS.search(cell)), None)
            column = (mark, heading) if heading is not None else column
        offset += len(line) + 1
    return hits


def _word_index(words: list[int], offset: int) -> int:
    """Which word (by its start offset) holds this offset."""
    low, high = 0, len(words) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if words[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _normal_postcode(code: str) -> str:
    return re.sub(r"\s+", "", code).upper()


def _postcodes(text: str, allowed: Iterable[str]) -> list[tuple[int, str]]:
    allow = {_normal_postcode(a) for a in allowed}
    return [(m.start(), POSTCODE) for m in _POSTCODE.finditer(text) if _normal_postcode(m.group(0)) not in allow]


_SEPARATOR = r"[\s\-_./]+"


def subject_pattern(phrase: str) -> re.Pattern | None:
    """A name or reference as a whole phrase, in any case and spacing, its words joined by spaces or by
    the marks that join words in IDs and file names ("kayden-ashworth" finds Kayden Ashworth)."""
    words = [w for w in re.split(r"[\s\-_./]+", bare(phrase).translate(_DASHES).translate(_QUOTES)) if w]
    if not words:
        return None
    return re.compile(r"(?<![^\W_])" + _SEPARATOR.join(re.escape(w) for w in words) + r"(?![^\W_])", re.I)


def reference_pattern(reference: str) -> re.Pattern | None:
    """A case reference's scheme ("NL-CS-000457": two letters, two letters, six digits), so that other
    references of the same scheme are found too; None for a reference with too few digits to be one."""
    parts = re.findall(r"[A-Za-z]+|\d+", bare(reference))
    if sum(len(p) for p in parts if p.isdigit()) < 4:
        return None
    shape = _SEPARATOR.replace("+", "*").join(re.escape(p) if p.isalpha() else rf"\d{{{len(p)}}}" for p in parts)
    return re.compile(rf"(?<![^\W_]){shape}(?![^\W_])", re.I)


def _forms(phrase: str) -> list[str]:
    """A name as people also write it: "Ashworth, Kayden", and without its middle names."""
    words = unicodedata.normalize("NFKC", phrase).split()
    if len(words) < 2 or any(ch.isdigit() for ch in phrase):
        return [phrase]
    return list(dict.fromkeys([phrase, f"{words[-1]}, {' '.join(words[:-1])}", f"{words[0]} {words[-1]}"]))


def _subjects(text: str, subjects: list[str]) -> list[tuple[int, str]]:
    """Where the subjects' names and references are in the text. Only the names whose longest word is
    a word of the text are matched against it, and each reference scheme once; and, in ASCII text, only
    the patterns whose letters are all in it: a workspace's every record is read against every case
    subject, so the cost must not be records x subjects patterns."""
    names, schemes = _compiled(tuple(subjects))
    lower = text.lower()
    plain = text.isascii()
    if len(names) <= _FEW_NAMES:  # look for the few names' words first, and for the text's words only then
        keys = [key for key in names if key in lower]
        found = set(re.findall(r"[a-z]+", lower)) if keys and _possible(names, keys, plain, lower) else set()
        keys = [key for key in keys if key in found]
    else:
        keys = list(set(re.findall(r"[a-z]+", lower)) & names.keys())
    patterns = [pattern for key in keys for pattern, letters in names[key] if _has(letters, plain, lower)]
    patterns += [pattern for pattern, letters in schemes if _has(letters, plain, lower)]
    return [(m.start(), SUBJECT) for pattern in patterns for m in pattern.finditer(text)]


_FEW_NAMES = 16


def _has(letters: tuple[str, ...], plain: bool, lower: str) -> bool:
    """Whether a pattern that cannot match without these letters may match (lower is ASCII when plain)."""
    if plain:
        for part in letters:
            if part not in lower:
                return False
    return True


def _possible(names: dict, keys: list[str], plain: bool, lower: str) -> bool:
    return any(_has(letters, plain, lower) for key in keys for _, letters in names[key])


Patterns = list[tuple[re.Pattern, tuple[str, ...]]]  # each with the letters it cannot match without


@functools.lru_cache(maxsize=32)
def _compiled(subjects: tuple[str, ...]) -> tuple[dict[str, Patterns], Patterns]:
    """Every form of every subject compiled once: name patterns by their longest word (lower case), and
    the reference schemes (a reference's digits may run into its letters, so they are always tried);
    each with the parts it matches as written (lower case ASCII), which a text must have for it to match."""
    names: dict[str, Patterns] = {}
    schemes: dict[str, tuple[re.Pattern, tuple[str, ...]]] = {}
    for phrase in dict.fromkeys(form for subject in subjects for form in _forms(subject)):
        for pattern, letters in ((subject_pattern(phrase), _words(phrase)), (reference_pattern(phrase), _letters(phrase))):
            if pattern is None:
                continue
            words = re.findall(r"[A-Za-z]+", bare(phrase))
            if not words or r"\d" in pattern.pattern:
                schemes.setdefault(pattern.pattern, (pattern, letters))
            else:
                listed = names.setdefault(max(words, key=len).lower(), [])
                if pattern not in [p for p, _ in listed]:
                    listed.append((pattern, letters))
    return names, list(schemes.values())


def _words(phrase: str) -> tuple[str, ...]:
    """The words subject_pattern matches as written (lower case), those that are ASCII, longest first."""
    words = [w for w in re.split(r"[\s\-_./]+", bare(phrase).translate(_DASHES).translate(_QUOTES)) if w]
    return tuple(sorted({w.lower() for w in words if w.lower().isascii()}, key=len, reverse=True))


def _letters(phrase: str) -> tuple[str, ...]:
    """The runs of letters reference_pattern matches as written (lower case), longest first."""
    return tuple(sorted({p.lower() for p in re.findall(r"[A-Za-z]+", bare(phrase))}, key=len, reverse=True))
