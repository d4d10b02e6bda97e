"""A self-assessment's ratings, read one way for everything that uses them.

A record of a kind with a question set (section11, schools-audit, early-years-audit) rates the
questions of its set under `ratings:`, keyed by question id:

    ratings:
      training:                  # a standard of the set, or
      "1.1":                     # an item, when its standard has `items:` in mars.yaml
        rating: amber            # the self-assessed score, on mars.yaml's rating_scale
        moderated: red           # the score after moderation by the MARS team
        comment: ...
        evidence: ...
        improvement: ...         # areas for improvement
        deadline: 2026-03-31

`ratings_of` gives one `Rated` per question, in question-set order: what the composites and
papers print. `entries` gives the keys as written, each with the question it answers: what the
checks in mars_cli.rules.records judge. Both read the values as written; whether a score is on
the scale, or a deadline a date, is for `mars check` to say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mars_cli.derive.context import Context
from mars_cli.framework import kinds
from mars_cli.framework.kinds import Kind
from mars_cli.model.records import Item, Record, Score, Standard


@dataclass(frozen=True)
class Question:
    """What a record rates: a standard, or one item of a standard that has items."""

    standard: Standard
    item: Item | None = None

    @property
    def id(self) -> str:
        return self.item.id if self.item else self.standard.id

    @property
    def title(self) -> str:
        return self.item.title if self.item else self.standard.title


@dataclass(frozen=True)
class Rated:
    """One question of a record's question set and what the record says about it.

    Scores are as written (a word or a number of the rating scale; None when not rated yet).
    `line` is the file line of the question's entry under `ratings:` (of `ratings:` itself, or the
    front matter's first line, when the record has no entry for it).
    """

    standard: str  # the standard's id
    standard_title: str
    item: str | None  # the item's id, when the standard has items
    item_title: str  # '' when there is no item
    self_assessed: Score | None  # `rating:`
    moderated: Score | None  # `moderated:`
    comment: str | None
    evidence: str | None
    improvement: str | None  # areas for improvement
    deadline: dt.date | None  # for the improvement
    line: int

    @property
    def question(self) -> str:
        """The id the record's `ratings:` uses for it: the item's, else the standard's."""
        return self.item or self.standard


@dataclass(frozen=True)
class Entry:
    """One key of a record's `ratings:`, as written, and the question it answers."""

    key: object  # the key as read (text, or a number when written without quotes)
    name: str  # the key as text, for messages
    question: Question | None  # None: no question of the set has this id
    value: object  # what is below the key: normally a set of fields
    line: int


def questions(standards: tuple[Standard, ...]) -> list[Question]:
    """The questions of a question set, in order: each standard, or its items when it has them."""
    return [Question(s, item) for s in standards for item in (s.items or (None,))]


def questions_of(ctx: Context, record: Record, kind: Kind | None = None) -> list[Question]:
    """The questions the record's question set asks (none for a kind without one)."""
    kind = kind or kinds.get(record.kind)
    if not kind:
        return []
    standards = ctx.standards_for(kind, record)
    held = ctx.questions.get(id(standards))
    if held is None or held[0] is not standards:  # each question set once per Context (they are frozen)
        held = ctx.questions[id(standards)] = (standards, questions(standards))
    return list(held[1])


def entries(ctx: Context, record: Record, kind: Kind | None = None) -> list[Entry]:
    """The record's `ratings:` entries in file order, each matched to its question."""
    ratings = record.fields.get("ratings")
    if not isinstance(ratings, dict):
        return []
    by_id = {q.id: q for q in questions_of(ctx, record, kind)}
    out = []
    for key, value in ratings.items():
        name, question = _question_for(key, by_id)
        out.append(Entry(key, name, question, value, record.line("ratings", key)))
    return out


def ratings_of(ctx: Context, record: Record) -> list[Rated]:
    """One Rated per question of the record's question set, in the set's order, with what the record
    says about it (None where it says nothing). Keys the set does not know are left out (`mars check`
    reports them). With no question set in mars.yaml, the record's own entries, in file order."""
    asked = questions_of(ctx, record)
    read = entries(ctx, record)
    if not asked:
        return [_rated(Question(Standard(e.name, e.name)), e, e.line) for e in read]
    answers: dict[str, Entry] = {}
    for entry in read:
        if entry.question is not None:
            answers.setdefault(entry.question.id, entry)
    empty = record.line("ratings")
    return [_rated(q, answers.get(q.id), empty) for q in asked]


def _rated(question: Question, entry: Entry | None, line: int) -> Rated:
    fields = entry.value if entry is not None and isinstance(entry.value, dict) else {}
    item = question.item
    return Rated(
        standard=question.standard.id,
        standard_title=question.standard.title,
        item=item.id if item else None,
        item_title=item.title if item else "",
        self_assessed=_score(fields.get("rating")),
        moderated=_score(fields.get("moderated")),
        comment=_text(fields.get("comment")),
        evidence=_text(fields.get("evidence")),
        improvement=_text(fields.get("improvement")),
        deadline=_date(fields.get("deadline")),
        line=entry.line if entry is not None else line,
    )


def _question_for(key: object, by_id: dict[str, Question]) -> tuple[str, Question | None]:
    """A key as text, and the question it names. Ids are text, but a key written without quotes may
    be read as a number: `2:` is standard "2"; `1.1:` is item "1.1" when exactly one id of the set
    is that number. With items "1.1" and "1.10" both, unquoted 1.10 is the number 1.1, which could be
    either: it names neither, and `mars check` asks for quotes."""
    if isinstance(key, float):
        same = [ident for ident in by_id if _as_float(ident) == key]
        return (same[0], by_id[same[0]]) if len(same) == 1 else (str(key), None)
    name = key if isinstance(key, str) else str(key)
    return name, by_id.get(name)


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _score(value: object) -> Score | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    return value if isinstance(value, (str, int, float)) else None


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
