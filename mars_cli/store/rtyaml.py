"""Writing YAML: the only module that talks to ruamel.yaml.

ruamel writes YAML 1.2, which yaml12 reads back with the same meaning. It is
imported only by commands that write, so reading commands do not pay for it.
Settings follow shared/toolchain.md: block style, mapping indent 2, sequence
indent 4 with offset 2, a wide line width, None written as an empty value.
"""

from __future__ import annotations

import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString


def _writer(sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.version = None  # no %YAML directive in the file
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    yaml.width = 1 << 30  # never fold a long value onto a second line
    yaml.default_flow_style = False
    return yaml


_AWKWARD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\n\r]")


def _safe(value):
    """Text with line breaks or characters YAML readers disagree on (NEL, U+2028/9) is written
    double-quoted with escapes, so it reads back identically and stays on its line."""
    if isinstance(value, str) and _AWKWARD.search(value):
        return DoubleQuotedScalarString(value)
    return value


def to_commented(data: dict, comments: dict[tuple, str] | None = None) -> CommentedMap:
    """A CommentedMap of `data`, nested; `comments` puts a comment line before a key path."""
    def convert(value, path):
        if isinstance(value, dict):
            out = CommentedMap()
            for key, item in value.items():
                out[key] = convert(item, path + (key,))
                note = (comments or {}).get(path + (key,))
                if note:
                    out.yaml_set_comment_before_after_key(key, before=note, indent=2 * len(path))
            return out
        if isinstance(value, list):
            return [convert(item, path + (i,)) for i, item in enumerate(value)]
        return _safe(value)
    return convert(data, ())


def dump(data: dict, comments: dict[tuple, str] | None = None) -> str:
    """YAML text for a mapping, keys in the order given."""
    stream = io.StringIO()
    _writer().dump(to_commented(data, comments), stream)
    return stream.getvalue()


def dump_scalar(value) -> str:
    """One value as it would follow `key: ` on a line: quoted where YAML 1.2 needs it, never
    spanning lines (multi-line text is double-quoted with \\n), empty for None."""
    if value is None:
        return ""
    stream = io.StringIO()
    _writer().dump({"k": _safe(value)}, stream)
    text = stream.getvalue()
    assert text.startswith("k:"), text
    return text[2:].strip()


def dump_list(items: list) -> str:
    """List entries as block YAML with each dash in column 0 and an entry's fields at column 2."""
    stream = io.StringIO()
    _writer(sequence=2, offset=0).dump(to_commented({"k": items})["k"], stream)
    return stream.getvalue()
