"""The rules pass stays cheap at ten thousand records, and its shortcuts change no finding."""

from __future__ import annotations

import difflib
import random

from mars_cli.model.fields import Vocabulary, _likely, did_you_mean


def _ids(count: int) -> list[str]:
    """IDs like a large workspace's: many records of each kind and day, the same titles again and again."""
    titles = ["audit-use-of-the-domestic-abuse-risk", "publish-neglect-practice-guidance-for", "train-the-teams"]
    return [f"act-2025-{1 + n % 6:02d}-0{1 + n % 3}-{titles[n % 3]}-{n:04x}" for n in range(count)]


def test_did_you_mean__suggests_what_difflib_would_among_random_words():
    """The bounds only skip choices that cannot win: the suggestion is difflib's best, ties included."""
    rng = random.Random(14)
    for _ in range(3000):
        word = "".join(rng.choice("ab-12c") for _ in range(rng.randint(0, 9)))
        choices = list(dict.fromkeys("".join(rng.choice("ab-12c") for _ in range(rng.randint(0, 9)))
                                     for _ in range(rng.randint(0, 30))))
        close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
        assert did_you_mean(word, choices) == (f" Did you mean '{close[0]}'?" if close else ""), (word, choices)


def test_did_you_mean__a_vocabulary_narrows_to_the_same_ids_as_a_list():
    ids = _ids(5000)
    vocabulary = Vocabulary(ids)
    for word in (ids[77][:-1] + "z", ids[1234].replace("2025", "2024", 1), "act-", "zz", "", ids[9].upper().lower()):
        assert sorted(vocabulary.likely(word)) == sorted(_likely(word, ids)), word
        assert did_you_mean(word, vocabulary) == did_you_mean(word, ids), word


def test_did_you_mean__compares_few_ids_among_thousands(monkeypatch):
    """A mistyped reference among thousands of IDs sharing its kind, day and title works out the full
    similarity of a few of them, not of every likely one (each costs about as much as checking a record)."""
    compared = []
    ratio = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", lambda self: compared.append(1) or ratio(self))
    ids = _ids(6000)
    slip = ids[1234][:-1] + "q"
    likely = _likely(slip, ids)
    assert len(likely) > 300
    expected = difflib.get_close_matches(slip, likely, n=1)[0]
    compared.clear()
    assert did_you_mean(slip, Vocabulary(ids)) == f" Did you mean '{expected}'?"
    assert 0 < len(compared) < 30
