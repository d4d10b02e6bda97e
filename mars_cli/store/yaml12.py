"""Fast YAML 1.2 reading: the only module that talks to PyYAML.

Reading goes through PyYAML's C parser (libyaml) because it is ~10x faster than
ruamel (see shared/toolchain.md). PyYAML resolves scalars by YAML 1.1 rules
(`no` -> False, `0123` -> 83), but `mars` writes with ruamel, which follows
YAML 1.2. So scalars are resolved here with the YAML 1.2 rules ruamel uses,
and a value means the same whether `mars` reads it or writes it
(tests/test_store.py compares the two on every tricky scalar).

The result of `load` keeps, for every mapping key, the line it is on, and
reports duplicate keys instead of keeping the last one silently.
"""

from __future__ import annotations

import array
import datetime as dt
import functools
import math
import re
import sys
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mars_cli.model import limits
from mars_cli.model.records import KeyLines

__all__ = ["Loaded", "MappingNode", "Node", "ScalarNode", "SequenceNode", "TooLarge", "YamlSyntaxError", "compose",
           "from_node", "load", "scalar"]

try:  # libyaml is in the PyYAML wheels; fall back to the Python parser if not.
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

_PLAIN_TAG = "tag:mars,2026:plain"


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """PyYAML's parser with its YAML 1.1 guessing switched off: every untagged plain scalar
    is tagged `plain` and resolved here by YAML 1.2, so an explicit `!!str 5` stays text."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return _PLAIN_TAG if implicit[0] else "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"

    # Called for every node: mars adds no path resolvers, so there is nothing to do (PyYAML's own look first).
    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

# The YAML 1.2 core-schema resolvers, as ruamel.yaml (the writer) applies them.
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.VERBOSE,
)
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DATETIME = re.compile(
    r"""^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2})
    :([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?
    (?:[ \t]*(Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$""",
    re.VERBOSE,
)

class YamlSyntaxError(Exception):
    """The text is not YAML. Lines are 1-based within the YAML text.

    `line` is where the parser gave up; `context_line`, when known, is where the
    construct it was reading began (an unclosed `[` is found lines later).
    """

    def __init__(self, problem: str, line: int, context: str = "", context_line: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.context = context
        self.context_line = context_line

    def describe(self, offset: int = 0) -> str:
        """The problem in plain words, with the context's line shifted by `offset` to a file line."""
        plain = next((words for start, words in _PLAIN if self.problem.startswith(start)), None)
        where = ""
        if self.context_line is not None and self.context_line != self.line:
            where = f" (it starts on line {self.context_line + offset})"
        if plain:
            return f"{plain}{where} [YAML: {self.problem}]"
        if self.context and where:
            return f"{self.problem} ({self.context} that starts on line {self.context_line + offset})"
        return self.problem


class TooLarge(YamlSyntaxError):
    """A value, list or number past model/limits.py: the file is not read. The message never repeats
    the value (it may be personal data, or hostile)."""

    def __init__(self, problem: str, line: int, hint: str) -> None:
        super().__init__(problem, line)
        self.hint = hint

    def describe(self, offset: int = 0) -> str:
        return self.problem


# libyaml's wording for the mistakes people make, said plainly.
_PLAIN = (
    ("mapping values are not allowed", "a value contains ': ' - put the whole value in quotes"),
    ("did not find expected ',' or ']'", "a list opened with [ is not closed with ]"),
    ("did not find expected ',' or '}'", "a set opened with { is not closed with }"),
    ("found a tab character", "a tab is used for indentation - use spaces"),
    ("found character '\\t' that cannot start any token", "a tab is used for indentation - use spaces"),
    ("found unexpected end of stream", "a quote is opened but never closed"),
    ("did not find expected key", "the indentation is uneven - line up fields at the same level"),
    ("could not find expected ':'", "a line has no ': ' between its key and value"),
    ("found undefined alias", "an alias (*name) has no anchor (&name)"),
    ("found character", "a value starts with a character YAML reserves (@ or `) - put it in quotes"),
    ("did not find expected '-' indicator", "a list item is indented differently from the ones before it"),
    ("expected <block end>, but found", "the indentation is uneven - line up fields at the same level"),
)


@dataclass
class Loaded:
    """A parsed YAML document and where each mapping key sits.

    `lines` maps a key path such as ("ratings", "training") or ("actions", 0)
    to its 0-based line in the YAML text; `duplicates` lists (path, line) of
    every key that appears a second time in the same mapping.
    """

    data: object
    lines: KeyLines = field(default_factory=KeyLines)
    duplicates: list[tuple[tuple, int]] = field(default_factory=list)


def compose(text: str) -> Node | None:
    """The node tree of one document, with exact character offsets (for in-place edits).
    Raises YamlSyntaxError."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        context_line = exc.context_mark.line + 1 if exc.context_mark is not None else None
        raise YamlSyntaxError(exc.problem or str(exc), line, exc.context or "", context_line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc).splitlines()[0], 1) from None
    finally:
        loader.dispose()


def load(text: str) -> Loaded:
    """Parse one YAML document by YAML 1.2 rules. Raises YamlSyntaxError."""
    return from_node(compose(text))


def from_node(node: Node | None) -> Loaded:
    """The values of a composed document, with each key's line and any duplicate keys.
    Raises YamlSyntaxError for aliases that contain themselves or expand without end, and TooLarge
    for a value, list, set of fields or number past model/limits.py."""
    out = Loaded(data=None)
    if node is not None:
        builder = _Builder(out)
        out.data = builder.value(node, ())
        out.lines = builder.key_lines()
    return out


MAX_NODES = 200_000  # far beyond any record; stops "billion laughs" alias expansion


class _Builder:
    """One pass over a composed tree: values by YAML 1.2, the size limits, key lines and duplicates.

    It is the hot loop of reading a workspace (some 65 nodes a record), so scalars, which are most
    nodes, take the shortest path: a plain word is returned after one length check, and only a value
    that can be a number has its digits counted. Each collection's key lines go in one table (KeyLines)."""

    __slots__ = ("parents", "keys", "lines", "duplicates", "open", "count")

    def __init__(self, out: Loaded) -> None:
        self.parents: list[tuple] = []  # the paths of the collections with entries, each with its keys
        self.keys: list[tuple | range] = []
        self.lines = array.array("I")  # their keys' lines, one collection after another
        self.duplicates = out.duplicates
        self.open: set[int] = set()  # the collections being built: an alias to one of them is a loop
        self.count = 1  # the nodes built so far, an alias's counted each time it is used

    def key_lines(self) -> KeyLines:
        return KeyLines(tuple(self.parents), tuple(self.keys), self.lines)

    def value(self, node, path: tuple):
        if node.__class__ is ScalarNode:
            return _scalar_checked(node)
        if id(node) in self.open:
            raise YamlSyntaxError("an alias (*name) refers to the value that contains it", node.start_mark.line + 1)
        entries = len(node.value)
        if entries > _MAX_ENTRIES:
            raise _too_many(node)
        self.count += entries * 2 if node.__class__ is MappingNode else entries
        if self.count > MAX_NODES:
            raise YamlSyntaxError("the YAML expands to too many values (aliases repeating aliases?)",
                                  node.start_mark.line + 1)
        self.open.add(id(node))
        try:
            if node.__class__ is MappingNode:
                return self.mapping(node, path)
            return self.sequence(node, path)
        finally:
            self.open.discard(id(node))

    def table(self, path: tuple, keys: tuple | range, lines: list[int]) -> None:
        if lines:
            self.parents.append(path)
            self.keys.append(keys)
            self.lines.extend(lines)

    def sequence(self, node, path: tuple) -> list:
        value, items = self.value, []
        for index, child in enumerate(node.value):
            items.append(_scalar_checked(child) if child.__class__ is ScalarNode else value(child, (*path, index)))
        self.table(path, range(len(items)), [child.start_mark.line for child in node.value])
        return items

    def mapping(self, node, path: tuple) -> dict:
        value, mapping, lines = self.value, {}, []
        for key_node, value_node in node.value:
            key = _key(key_node)
            if key in mapping:
                self.duplicates.append(((*path, key), key_node.start_mark.line))
                continue
            lines.append(key_node.start_mark.line)
            mapping[key] = (_scalar_checked(value_node) if value_node.__class__ is ScalarNode
                            else value(value_node, (*path, key)))
        self.table(path, tuple(mapping), lines)
        return mapping


def _key(node):
    """A mapping key as a dict key: a scalar's value (text for one that cannot be a key), else a placeholder."""
    if node.__class__ is ScalarNode:
        key = _scalar_checked(node)
        if key.__class__ is str or (key is not None and isinstance(key, (int, float, bool, dt.date))):
            return key
        return str(key)
    return f"<{type(node).__name__.replace('Node', '').lower()} at line {node.start_mark.line + 1}>"


_MAX_VALUE = limits.MAX_VALUE_CHARS
_MAX_ENTRIES = limits.MAX_ENTRIES


# Keys and short text (IDs, statuses, names) repeat across thousands of records: each is kept once, which
# halves the memory a workspace's front matter takes (sys.intern keeps a text only while it is used).
_SHARED = 64


def _scalar_checked(node: ScalarNode):
    """A scalar's value, or TooLarge for a value or number past model/limits.py."""
    value = node.value
    if node.tag == _PLAIN_TAG and value and value[0] not in _MAYBE_TYPED and len(value) <= _MAX_VALUE:
        # a word: most values, and text by YAML 1.2 whatever follows its first character
        return sys.intern(value) if len(value) <= _SHARED else value
    value = _scalar_sized(node)
    return sys.intern(value) if value.__class__ is str and len(value) <= _SHARED else value


def _scalar_sized(node: ScalarNode):
    value = node.value
    if len(value) > _MAX_VALUE:
        raise TooLarge(f"this value is longer than {limits.size(limits.MAX_VALUE_CHARS)} characters, far more "
                       "than any field needs", node.start_mark.line + 1, "Shorten it, or move long text into the "
                       "body, below the second `---`.")
    if node.tag != _PLAIN_TAG:
        return _scalar_node(node)
    if len(value) > limits.MAX_DIGITS and _number_digits(value) > limits.MAX_DIGITS:
        raise TooLarge(f"this number has more than {limits.MAX_DIGITS} digits, far more than any field needs",
                       node.start_mark.line + 1, "Correct the number, or put it in quotes if it is meant as text.")
    return _short_scalar(value) if len(value) <= _SHARED else scalar(value)


def _too_many(node) -> TooLarge:
    what = "list" if isinstance(node, SequenceNode) else "set of fields"
    return TooLarge(f"this {what} has more than {limits.size(limits.MAX_ENTRIES)} entries, far more than any "
                    "record needs", node.start_mark.line + 1, "Split the record, or remove entries added by mistake.")


def _number_digits(value: str) -> int:
    """How many digits a plain scalar YAML 1.2 reads as a number has; 0 for anything else."""
    if not value or value[0] not in _MAYBE_TYPED or not (_INT.match(value) or _FLOAT.match(value)):
        return 0
    text = value.lstrip("+-").replace("_", "")
    if text[:2] in ("0x", "0o", "0b"):
        return len(text) - 2
    return sum(c.isdigit() for c in re.split("[eE]", text)[0])


_EXPLICIT = {
    "tag:yaml.org,2002:int": _INT, "tag:yaml.org,2002:float": _FLOAT, "tag:yaml.org,2002:bool": _BOOL,
    "tag:yaml.org,2002:null": _NULL, "tag:yaml.org,2002:timestamp": _DATE,
}


def _scalar_node(node: ScalarNode):
    if node.tag == _PLAIN_TAG:
        return scalar(node.value)
    if node.tag == "tag:yaml.org,2002:float" and (_FLOAT.match(node.value) or _INT.match(node.value)):
        return _float(node.value)  # !!float 2 is 2.0
    pattern = _EXPLICIT.get(node.tag)
    if pattern is not None and pattern.match(node.value):  # e.g. !!int "5": the tag decides
        return scalar(node.value)
    return node.value  # quoted, !!str, or a tag mars does not know: text


_MAYBE_TYPED = frozenset("~nNtTfF0123456789+-.")  # the first characters a non-text scalar can have


def scalar(value: str):
    """Resolve one untagged plain scalar by the YAML 1.2 rules ruamel.yaml uses."""
    if not value:
        return None
    if value[0] not in _MAYBE_TYPED:  # most values are words: no pattern can match
        return value
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return _int(value)
    if _FLOAT.match(value):
        return _float(value)
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # 2026-02-30: kept as text; the date check names it.
    if _DATETIME.match(value):
        return _datetime(value)
    return value


# A workspace has a few hundred short values that are not plain words (dates, `note`, `true`), each in
# thousands of records: each is resolved once. What it gives is immutable (a date, a number, True, None or
# the text), so every record can share it.
_short_scalar = functools.lru_cache(maxsize=4096)(scalar)


def _int(value: str):
    try:
        return _int_digits(value)
    except ValueError:  # more digits than Python converts (4300): no real record has that; keep the text
        return value


def _int_digits(value: str):
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    if text.startswith("0b"):
        return sign * int(text[2:], 2)
    if text.startswith("0x"):
        return sign * int(text[2:], 16)
    if text.startswith("0o"):
        return sign * int(text[2:], 8)
    return sign * int(text)  # 1.2: a leading zero is decimal (0123 -> 123)


def _float(value: str) -> float:
    text = value.replace("_", "").lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


def _datetime(value: str):
    match = _DATETIME.match(value)
    assert match
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0").ljust(6, "0")[:6])
    tz = None
    if zone:
        if zone == "Z":
            tz = dt.UTC
        else:
            sign = -1 if zone[0] == "-" else 1
            hours, _, minutes = zone[1:].partition(":")
            tz = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes or 0)))
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz)
    except ValueError:
        return value
