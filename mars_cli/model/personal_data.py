"""Finding personal data in text: NHS numbers, dates of birth, full UK postcodes, and the names and
references of the people a case record lists as its `subjects`.

A hit says where (the line) and what kind, never the text matched: its report may land in a public
CI log. Look-alikes are told apart: an NHS number must pass its check digit, a date counts as a
date of birth only a few words from "born", "DOB" or "date of birth", and a postcode must be a
whole UK postcode (outward and inward parts), not an outward code or a road number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

NHS, BIRTH, POSTCODE, SUBJECT = "NHS number", "date of birth", "postcode", "a case subject's name or reference"

_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{2,4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.I)
_BIRTH_WORDS = re.compile(r"\b(?:born|d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|birthday)\b", re.I)
_WORDS_NEAR = 5  # "a date within a few words of born"
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[ABCDEFGHJKMNPRSTUVWXY\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.I)


_PSEUDONYM = re.compile(r"(?:child|sibling|brother|sister|mother|father|parent|carer|baby|young person|adult|person|"
                        r"family|practitioner)\s+[A-Z0-9]{1,2}(?:\s+\(.*\))?", re.I)


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


def find(text: str, subjects: Iterable[str] = (), allowed_postcodes: Iterable[str] = ()) -> list[Hit]:
    """Every piece of personal data in text, by line and kind, in order."""
    hits = [*_nhs(text), *_births(text), *_postcodes(text, allowed_postcodes), *_subjects(text, subjects)]
    return sorted(set(hits), key=lambda h: (h.line, h.kind))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _nhs(text: str) -> list[Hit]:
    return [Hit(_line(text, m.start()), NHS) for m in _NHS.finditer(text) if nhs_number_valid("".join(m.groups()))]


def _births(text: str) -> list[Hit]:
    words = [m.start() for m in re.finditer(r"\S+", text)]
    triggers = [_word_index(words, m.start()) for m in _BIRTH_WORDS.finditer(text)]
    hits = []
    for match in _DATE.finditer(text):
        first, last = _word_index(words, match.start()), _word_index(words, match.end() - 1)
        if any(first - _WORDS_NEAR <= t <= last + _WORDS_NEAR for t in triggers):
            hits.append(Hit(_line(text, match.start()), BIRTH))
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


def _postcodes(text: str, allowed: Iterable[str]) -> list[Hit]:
    allow = {_normal_postcode(a) for a in allowed}
    return [Hit(_line(text, m.start()), POSTCODE) for m in _POSTCODE.finditer(text)
            if _normal_postcode(m.group(0)) not in allow]


def subject_pattern(phrase: str) -> re.Pattern | None:
    """A name or reference as a whole phrase, in any case and spacing ("Child  a" finds "child A")."""
    words = phrase.split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.I)


def _subjects(text: str, subjects: Iterable[str]) -> list[Hit]:
    hits = []
    for phrase in subjects:
        pattern = subject_pattern(phrase)
        if pattern is not None:
            hits += [Hit(_line(text, m.start()), SUBJECT) for m in pattern.finditer(text)]
    return hits
