"""Checking one value against a field type, with plain-English messages.

The field types are few and domain-specific (a person, an agency, a record ID,
a date): each check returns what is wrong and how to fix it, so `mars check`
and `mars new` explain problems the same way.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable

from mars_cli.model import dates

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_TYPE_WORDS = {
    "string": "text",
    "text": "text",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "list": "a list",
    "people": "a list of person IDs",
    "agencies": "a list of agency IDs",
    "partners": "a list of partner IDs",
    "records": "a list of record IDs",
}


def did_you_mean(word: str, choices: Iterable[str] | Vocabulary) -> str:
    """' Did you mean "x"?' for the closest choice, or ''. Many suggestions among the same thousands of
    choices (record IDs) are cheaper from a Vocabulary of them, made once."""
    word = str(word).lower()
    if isinstance(choices, Vocabulary):
        by_lower, likely = choices.by_lower, choices.likely(word)
    else:
        by_lower = {str(c).lower(): str(c) for c in choices}
        likely = _likely(word, list(by_lower))
    close = _closest(word, likely)
    return f" Did you mean '{by_lower[close]}'?" if close is not None else ""


class Vocabulary:
    """Choices to suggest from, indexed once: `likely(word)` is what `_likely` gives (in another order),
    found by halving sorted lists rather than by reading every choice."""

    def __init__(self, choices: Iterable[str]) -> None:
        self.by_lower = {str(c).lower(): str(c) for c in choices}
        self._forward = sorted(self.by_lower)
        self._backward = sorted(c[::-1] for c in self.by_lower)

    def likely(self, word: str) -> list[str]:
        if len(self._forward) <= _FEW:
            return list(self.by_lower)
        kind = word.split("-", 1)[0] + "-"
        head, tail = word[:len(kind) + 11], word[-4:]
        likely = dict.fromkeys(_starting(self._forward, head))
        likely.update(dict.fromkeys(c[::-1] for c in _starting(self._backward, tail[::-1])))
        if likely:
            return list(likely)
        size = len(word)
        return [c for c in _starting(self._forward, kind) if abs(len(c) - size) <= 2]


def _starting(ordered: list[str], prefix: str) -> list[str]:
    """The strings of a sorted list that start with `prefix` (they stand together)."""
    at = bisect.bisect_left(ordered, prefix)
    end = at
    while end < len(ordered) and ordered[end].startswith(prefix):
        end += 1
    return ordered[at:end]


def _closest(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    """What `difflib.get_close_matches(word, choices, n=1, cutoff)` gives (the highest ratio, the greater
    choice on a tie), without working out every ratio: the choices are tried best bound first, and the
    rest are left once no bound can beat (or tie with a greater choice) the best found. The bounds hold
    because difflib's matching blocks are a common subsequence: at most the common beginning and end,
    plus the middles' length (or, closer, the letters the middles have in common)."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    for (bound, choice, middle_a, middle_b, ends) in sorted(map(_ends, [word] * len(choices), choices), reverse=True):
        if bound < cutoff or (best is not None and (bound, choice) < best):
            break
        if best is not None and (_ratio(ends + _shared(middle_a, middle_b), word, choice), choice) < best:
            continue
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score >= cutoff and (best is None or (score, choice) > best):
            best = (score, choice)
    return best[1] if best else None


def _ends(a: str, b: str) -> tuple[float, str, str, str, int]:
    """(a first bound on the ratio of b to a, b, the two middles, the length of their common ends)."""
    start = _common_start(a, b)
    end = _common_start(a[:start - 1:-1] if start else a[::-1], b[:start - 1:-1] if start else b[::-1])
    middle_a, middle_b = a[start:len(a) - end], b[start:len(b) - end]
    ends = start + end
    return _ratio(ends + min(len(middle_a), len(middle_b)), a, b), b, middle_a, middle_b, ends


def _common_start(a: str, b: str) -> int:
    """How long a beginning a and b have in common, found by halving."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _shared(a: str, b: str) -> int:
    """How many letters a and b have in common, counted with repeats."""
    return sum(min(a.count(ch), b.count(ch)) for ch in set(a)) if a and b else 0


def _ratio(matches: int, a: str, b: str) -> float:
    """difflib's ratio for that many matching letters (its own arithmetic, so ties stay ties)."""
    total = len(a) + len(b)
    return 2.0 * matches / total if total else 1.0


_FEW = 300  # below this many choices, every one is compared


def _likely(word: str, choices: list[str]) -> list[str]:
    """The choices worth comparing with `word`. Among thousands of record IDs (a mistyped reference in a
    large workspace), comparing every one costs more than the rest of `check`: a choice close enough to
    suggest shares the word's beginning (an ID's kind and date), its end (an ID's four characters) or
    nearly its length, so only those are compared."""
    if len(choices) <= _FEW:
        return choices
    kind = word.split("-", 1)[0] + "-"
    head, tail = word[:len(kind) + 11], word[-4:]  # "ae-2025-06-12", and the four characters that end an ID
    likely = [c for c in choices if c.startswith(head) or c.endswith(tail)]
    if likely:
        return likely
    size = len(word)  # mistyped at both ends: the same kind and nearly the same length
    return [c for c in choices if c.startswith(kind) and abs(len(c) - size) <= 2]


Problem = tuple[str, str] | None  # (what is wrong, how to fix it), or None when the value is fine


def shape_problem(ftype: str, value: object, values: tuple[str, ...] = ()) -> Problem:
    """Whether `value` has the shape of `ftype` (references are checked elsewhere).

    Returns (problem, hint) or None. None values are not checked here: a missing
    value is the `required` rule's business.
    """
    check = _CHECKS.get(ftype)
    return check(ftype, value, values) if check else None


def _date(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    return dates.date_problem(value)


def _one_line_text(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    """Text and IDs of records, people and choices: a string without control characters."""
    if isinstance(value, str):
        return _control_problem(ftype, value)
    if ftype in ("string", "text") and _is_number(value):
        return None  # a number where text is expected is harmless (e.g. kcsie_edition: 2025)
    return (f"should be {_TYPE_WORDS.get(ftype, 'an ID')}, not {_describe(value)}",
            "Put the value in quotes if it is meant as text.")


def _control_problem(ftype: str, value: str) -> Problem:
    bad = _CONTROL.search(value) if ftype == "text" else _CONTROL_OR_BREAK.search(value)
    if not bad:
        return None
    where = "a line break" if bad.group(0) in "\n\r\x85\u2028\u2029" else "a control character"
    if ftype == "text":
        return (f"contains {where}", "Remove the control character (it may have come from a paste).")
    return (f"contains {where}", "Keep it on one line, as plain text.")


def _enum(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if value in values:
        return None
    return (f"'{value}' is not allowed here", f"Use one of: {', '.join(values)}.{did_you_mean(value, values)}")


def _id(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if isinstance(value, str) and _ID.fullmatch(value):
        return None
    return (f"{_describe(value)} is not a usable ID",
            ("IDs are letters, digits and dashes, e.g. ae-2025-06-12-hospital-event-k7f2; "
             "they never change once created."))


def _year(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if isinstance(value, str) and dates.year_label_ok(value):
        return None
    return (f"{_describe(value)} is not a reporting year", "Write it like 2025-26.")


def _whole_number(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return None
    return (f"should be a whole number of 0 or more, not {_describe(value)}", "Write digits only, e.g. 3.")


def _number(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if _is_number(value) and math.isfinite(value) and value >= 0:
        return None
    return (f"should be a number of 0 or more, not {_describe(value)}", "Write digits, e.g. 1.5.")


def _bool(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if isinstance(value, bool):
        return None
    hint = "Write true or false (YAML 1.2: yes/no are text, not true/false)."
    return (f"should be true or false, not {_describe(value)}", hint)


def _list_of_text(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    if isinstance(value, str):
        return (f"should be {_TYPE_WORDS[ftype]}, not a single value",
                f"Write it as a list: [{value}]." if "[" not in value else "Write it as a list: [a, b].")
    return (f"should be {_TYPE_WORDS[ftype]}", "Write one item per line starting with '- ', or [a, b].")


def _ratings(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if isinstance(value, dict):
        return None
    return (f"should be a set of `standard-id:` entries, each with fields of its own ({entry_keys('ratings')})",
            "Write each standard's (or item's) id, then its fields indented under it, e.g. `leadership:` then "
            "`  rating: amber` on the next line; `mars kinds section11` shows the layout.")


def on_scale(value: object, scale: tuple) -> bool:
    """Whether a score is one of the scale's values: a word for a scale of words, a number for a scale
    of numbers (2 and 2.0 are the same score; true/false is never one, though Python counts True as 1)."""
    if value is None or isinstance(value, bool) or not scale:
        return False
    if isinstance(value, str) != isinstance(scale[0], str):
        return False
    return value in scale


def score_problem(value: object, scale: tuple) -> Problem:
    """Whether a score in a record is on the rating scale, and if not, what to write instead.

    The text "2" is not the number 2. A numeric scale does not accept it: scores are added up and
    compared in composites, where a quoted "2" would not count as 2 (or would count only because
    something guessed). The fix is one pair of quotes, so the message says exactly that.
    """
    if on_scale(value, scale):
        return None
    words = [str(s) for s in scale]
    if isinstance(value, str) and scale and _is_number(scale[0]) and _number_in(value) in scale:
        return (f"'{value}' is text in quotes, not the number {value.strip()}",
                f"Write it without quotes: {value.strip()}.")
    if _is_number(value) and str(value) in scale:
        return (f"the number {value} is not on the rating scale, which is text ('{value}')",
                f"Write '{value}' in quotes, or make mars.yaml's rating_scale numbers without quotes.")
    shown = f"'{value}'" if isinstance(value, str) else _describe(value)
    return f"{shown} is not on the rating scale", f"Use one of: {', '.join(words)}.{did_you_mean(str(value), words)}"


def _number_in(text: str) -> int | float | None:
    """The number a piece of text spells ("2", " 1.5 "), or None."""
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def scale_problem(scale: object) -> Problem:
    """Whether `rating_scale:` in mars.yaml is usable: a non-empty list of unique words, or of unique
    numbers, worst first."""
    example = "For example [red, amber, green] or [0, 1, 2, 3], worst first (numbers without quotes)."
    if not isinstance(scale, list) or not scale:
        return "rating_scale must be a list of ratings", example
    for value in scale:
        if not (isinstance(value, str) and value.strip()) and not (_is_number(value) and math.isfinite(value)):
            return f"rating_scale: {_describe(value)} is neither a word nor a number", example
    if len({isinstance(v, str) for v in scale}) > 1:
        return "rating_scale mixes words and numbers", "Use all words, or all numbers without quotes. " + example
    for index, value in enumerate(scale):
        if value in scale[:index]:
            return f"rating_scale lists {value} twice", "Give each score once, worst first."
    return None


# The fields of each entry of a structured field, by the field's type, with their types; the first
# is what an entry is mostly known by. Rules check entries against these; `mars kinds`, the templates
# and the shape errors show them.
ENTRY_FIELDS: dict[str, dict[str, str]] = {
    "actions": {"id": "string", "action": "string", "owner": "string", "due": "date", "status": "enum",
                "completed": "date", "note": "text"},
    "subjects": {"name": "string", "ref": "string", "role": "string", "dob": "date"},
    "iso_days": {"iso": "person", "days": "number", "date": "date", "activity": "string", "outside_framework": "bool"},
    # a rating entry: the self-assessed score, the moderated score, and what supports and follows them
    "ratings": {"rating": "score", "moderated": "score", "comment": "text", "evidence": "text", "improvement": "text",
                "deadline": "date"},
    "updates": {"date": "date", "by": "person", "note": "text", "status": "string"},
    "extensions": {"from": "date", "to": "date", "reason": "text", "agreed_by": "person", "date": "date"},
    "steps": {"step": "string", "date": "date", "skipped": "bool", "by": "person", "note": "text"},
    "signoffs": {"for": "string", "by": "person", "as": "string", "date": "date", "evidence": "text", "note": "text",
                 "hash": "string"},
}

# One entry of each, as it is written under its field (ratings: under a standard's id).
ENTRY_EXAMPLES: dict[str, str] = {
    "actions": """\
- id: A1
  action: Refresh safeguarding training for all staff
  owner: designated safeguarding lead
  due: 2026-03-31
  status: in-progress
  note: Two of five teams trained""",
    "subjects": """\
- name: Jane Doe
  ref: "LCS-123456"
  role: child
  dob: 2015-04-01""",
    "iso_days": """\
- iso: graham-tillotson
  days: 1.5
  date: 2026-01-20
  activity: event""",
    "ratings": """\
leadership:
  rating: amber
  moderated: red
  comment: Most staff trained this year; refresher dates are not tracked.
  evidence: Training log, March 2025.
  improvement: Track refresher dates for every member of staff.
  deadline: 2026-03-31""",
    "updates": """\
- date: 2026-01-20
  by: rachel-oakley
  note: Three of four teams trained
  status: in-progress""",
    "extensions": """\
- from: 2026-01-31
  to: 2026-03-31
  reason: Health visiting vacancies
  agreed_by: nadia-brennan
  date: 2026-01-20""",
    "steps": """\
- step: selection-letter
  date: 2026-02-05
  by: lucy-barraclough
  note: sent by e-mail""",
    "signoffs": """\
- for: agency
  by: rachel-oakley
  as: dsp:council
  date: 2026-01-29
  evidence: Board minutes 29 January 2026
  hash: 4af7d9f14403b2e6""",
}


def entry_keys(ftype: str) -> str:
    """The fields an entry of a structured field may have, in words: "name, ref, role and dob"."""
    keys = list(ENTRY_FIELDS.get(ftype, ()))
    return ", ".join(keys[:-1]) + f" and {keys[-1]}" if len(keys) > 1 else "".join(keys)


def _list_of_entries(ftype: str, value: object, values: tuple[str, ...]) -> Problem:
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return None
    first = ENTRY_EXAMPLES[ftype].splitlines()[:2]
    example = f"`{first[0]}` then `{first[1]}` on the next line"
    return (f"should be a list of entries, each a set of fields ({entry_keys(ftype)})",
            f"Start each entry with '- ' and indent its fields under it, e.g. {example}.")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_CHECKS: dict[str, Callable[[str, object, tuple[str, ...]], Problem]] = {
    "date": _date,
    **dict.fromkeys(("string", "text", "person", "agency", "partner", "record", "status", "owner"),
                    _one_line_text),
    "enum": _enum,
    "id": _id,
    "year": _year,
    "int": _whole_number,
    "number": _number,
    "bool": _bool,
    **dict.fromkeys(("list", "people", "agencies", "partners", "records"), _list_of_text),
    "ratings": _ratings,
    **dict.fromkeys(("actions", "subjects", "iso_days", "updates", "extensions", "steps", "signoffs"),
                    _list_of_entries),
}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return f"'{value}'"
