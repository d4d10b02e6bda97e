"""Editing a record's front matter in place: only the lines an edit must touch change.

Re-dumping a whole document (even with ruamel's round-trip mode) re-indents
lists and re-quotes values (shared/toolchain.md). Here each edit is applied at
the exact character offsets the YAML parser reports for the node it changes;
new values are written by ruamel (the writer), so they read back with the
same meaning. Every edit then re-reads its own result and refuses (nothing is
written) unless the record now holds exactly what it held before, plus the
change, in the same order. Comments, key order, quoting, indentation, line
endings, a byte-order mark and the Markdown body stay byte-identical.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from mars_cli.model.errors import Refused
from mars_cli.store import files, rtyaml, yaml12
from mars_cli.store.yaml12 import MappingNode, Node, ScalarNode, SequenceNode

_BOM = "\ufeff"
_SINGLE = (str, int, float, bool, type(None))


@dataclass
class _Doc:
    text: str  # the whole file, without a byte-order mark
    start: int  # offset of the YAML text in the file
    end: int  # offset just past the YAML text (the closing fence starts here)
    root: MappingNode
    newline: str
    data: dict  # the front matter's values, as read

    @property
    def yaml(self) -> str:
        return self.text[self.start:self.end]


def set_value(text: str, path: tuple, value) -> str:
    """Set a single value (text, number, date, true/false, empty) at a key path; a missing key is added."""
    if not path:
        raise Refused("no field was named; nothing was changed")
    if not isinstance(value, _SINGLE) and not hasattr(value, "isoformat"):
        raise Refused(f"'{_dotted(path)}' can only be set to a single value here; nothing was changed")

    def change(doc: _Doc) -> str:
        parent, key = _parent(doc, path)
        old = _child(parent, key)
        if old is None:
            return _insert_key(doc, parent, key, rtyaml.dump_scalar(value))
        if not isinstance(old[1], ScalarNode):
            raise Refused(f"'{_dotted(path)}' holds a list or a set of fields, not a single value; "
                          "nothing was changed")
        return _replace_scalar(doc, old, rtyaml.dump_scalar(value))

    return _edit(text, path, change, lambda data: _put(data, path, value))


def replace_value(text: str, path: tuple, value) -> str:
    """Set a top-level or nested key to a single value, a list of single values, or nothing (None:
    `key:` stays, empty), whatever it held before. A list is written as the old one was: one entry per
    line when it was, else on one line ([a, b]); a comment on the key's line stays."""
    if not path:
        raise Refused("no field was named; nothing was changed")
    items = value if isinstance(value, list) else None
    if items is not None and not all(isinstance(i, _SINGLE) or hasattr(i, "isoformat") for i in items):
        raise Refused(f"'{_dotted(path)}' can only be set to a list of single values here; nothing was changed")
    if items is None and not isinstance(value, _SINGLE) and not hasattr(value, "isoformat"):
        raise Refused(f"'{_dotted(path)}' can only be set to a single value or a list here; nothing was changed")
    rendered = _flow(items) if items is not None else rtyaml.dump_scalar(value)

    def change(doc: _Doc) -> str:
        parent, key = _parent(doc, path)
        old = _child(parent, key)
        if old is None:
            return _insert_key(doc, parent, key, rendered)
        key_node, node = old
        if isinstance(node, ScalarNode):
            return _replace_scalar(doc, old, rendered)
        if node.flow_style or not node.value:  # `key: [a, b]` or `key: {}`: the value follows the colon
            return _splice(doc, _after_colon(doc, key_node), node.end_mark.index, f" {rendered}" if rendered else "")
        # a block of lines under the key: replaced by lines (a list), by a value on the key's line, or by nothing
        start = _after_colon(doc, key_node)
        line_end, newline = _line_end(doc, start)
        rest = doc.yaml[start:line_end]  # spaces and a comment, if any
        if rest.strip() and not rest.lstrip().startswith("#"):
            raise Refused(f"'{_dotted(path)}' is written in a way mars cannot change; nothing was changed",
                          "Make this change in your editor.")
        head = f" {rendered}{rest}" if items is None and rendered else rest
        block = ""
        if items:
            column = _dash_column(doc, node) if isinstance(node, SequenceNode) else _key_column(doc, parent) + 2
            block = _block_list(doc, items, column)
        return _splice(doc, start, _end_of_node(doc, node), head + (newline or doc.newline) + block)

    return _edit(text, path, change, lambda data: _put(data, path, value))


def remove_key(text: str, key: str) -> str:
    """Remove a top-level key and its value (the lines they are on, and a comment on the key's line)."""
    def change(doc: _Doc) -> str:
        found = _child(doc.root, key)
        if found is None:
            raise Refused(f"'{key}' is not in this record; nothing was changed")
        key_node, node = found
        at = key_node.start_mark.index
        start = max(doc.yaml.rfind("\n", 0, at), doc.yaml.rfind("\r", 0, at)) + 1
        if doc.yaml[start:at].strip():
            raise Refused(f"'{key}' does not start its own line; nothing was changed", "Remove it in your editor.")
        return _splice(doc, start, _end_of_node(doc, node), "")

    def expected(data: dict) -> None:
        del data[key]

    return _edit(text, (key,), change, expected)


def _flow(items: list) -> str:
    return "[" + ", ".join(rtyaml.dump_scalar(i) for i in items) + "]"


def append_item(text: str, path: tuple, item) -> str:
    """Add an entry at the end of the list at a key path (creating the list if missing or empty)."""
    if not path:
        raise Refused("no list was named; nothing was changed")

    def change(doc: _Doc) -> str:
        parent, key = _parent(doc, path)
        old = _child(parent, key)
        if old is None:
            block = _block_list(doc, [item], _key_column(doc, parent) + 2)
            return _insert_key(doc, parent, key, "", block=block)
        return _append(doc, old, item)

    return _edit(text, path, change, lambda data: _put(data, path, [*_get(data, path, []), item]))


# ----------------------------------------------------------------------------- reading the file

def _edit(text: str, path: tuple, change, expected_change) -> str:
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom):]
    before = _parse(body)
    after = change(before)
    _verify(before, after, path, expected_change)
    return bom + after


def _parse(text: str) -> _Doc:
    split = files.split_front_matter(text)
    if not isinstance(split, files.Split):
        raise Refused("the file has no complete front matter, so it cannot be edited; nothing was changed",
                      "Run `mars check` to see what is wrong with it.")
    yaml_text = text[split.yaml_start:split.yaml_end]
    try:
        root = yaml12.compose(yaml_text)
    except yaml12.YamlSyntaxError:
        raise Refused("the front matter is not valid YAML; nothing was changed",
                      "Run `mars check` to see the line, and fix it first.") from None
    if root is not None and _shares_nodes(root):
        raise Refused("the front matter uses YAML anchors and aliases (& and *), so a change in one place "
                      "could change another; nothing was changed", "Make this change in your editor.")
    try:
        loaded = yaml12.from_node(root)  # the tree already composed: no second parse
    except yaml12.YamlSyntaxError:
        raise Refused("the front matter cannot be read (see `mars check`); nothing was changed") from None
    if loaded.duplicates:
        name = _dotted(loaded.duplicates[0][0])
        raise Refused(f"'{name}' is given twice in this record, so it is unclear which to change; nothing was "
                      "changed", "Run `mars check`, and keep one of the two lines.")
    if root is None:
        root = MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, MappingNode) or (root.value and root.flow_style):
        raise Refused("the front matter is not a block of `key: value` lines; nothing was changed")
    data = loaded.data if isinstance(loaded.data, dict) else {}
    return _Doc(text, split.yaml_start, split.yaml_end, root, _newline(text[:split.yaml_end]), data)


def _newline(text: str) -> str:
    """The line ending the front matter mostly uses."""
    crlf = text.count("\r\n")
    lf, cr = text.count("\n") - crlf, text.count("\r") - crlf
    return max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"))[1]


def _shares_nodes(root: Node) -> bool:
    """True when any node is reached twice: an alias (*name), possibly one that contains itself."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return False


def _parent(doc: _Doc, path: tuple) -> tuple[MappingNode, str]:
    """The block mapping holding the last key of a path (list entries are named by their index)."""
    node: Node | None = doc.root
    for key in path[:-1]:
        if isinstance(node, SequenceNode) and not node.flow_style:
            index_ok = isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(node.value)
            node = node.value[key] if index_ok else None
        elif isinstance(node, MappingNode):
            found = _child(node, key)
            node = found[1] if found else None
        else:
            node = None
    if not isinstance(node, MappingNode) or node.flow_style:
        raise Refused(f"'{_dotted(path[:-1])}' is not a block of fields in this record; nothing was changed")
    return node, path[-1]


def _child(mapping: MappingNode, key) -> tuple[Node, Node] | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _key_column(doc: _Doc, mapping: MappingNode) -> int:
    """The column of a mapping's keys (the top level's are at column 0)."""
    if mapping is doc.root or not mapping.value:
        return 0
    return mapping.value[0][0].start_mark.column


# ----------------------------------------------------------------------------- edits as text

def _splice(doc: _Doc, start: int, end: int, replacement: str) -> str:
    """Replace [start, end) of the YAML text (offsets within it) and return the whole file."""
    return doc.text[: doc.start + start] + replacement + doc.text[doc.start + end:]


def _after_colon(doc: _Doc, key_node: Node) -> int:
    return doc.yaml.index(":", key_node.end_mark.index) + 1


def _replace_scalar(doc: _Doc, pair: tuple[Node, Node], rendered: str) -> str:
    key_node, value_node = pair
    if value_node.style in ("|", ">"):
        raise Refused("that value is a block of text; change it in your editor")
    value = f" {rendered}" if rendered else ""
    same_line = doc.yaml.count("\n", key_node.end_mark.index, value_node.start_mark.index) == 0
    if not rendered or value_node.start_mark.index == value_node.end_mark.index or not same_line:
        # emptied, `key:` with nothing after it, or a value on the next line: the value follows the colon.
        return _splice(doc, _after_colon(doc, key_node), value_node.end_mark.index, value)
    return _splice(doc, value_node.start_mark.index, value_node.end_mark.index, rendered)


def _insert_key(doc: _Doc, parent: MappingNode, key: str, rendered: str, block: str = "") -> str:
    """Add `key: value` (or `key:` and a block) as the mapping's last entry."""
    line = " " * _key_column(doc, parent) + _rendered_key(key) + ":" + (f" {rendered}" if rendered else "")
    at = _end_of_node(doc, parent) if parent.value else len(doc.yaml)
    if at > 0 and doc.yaml[at - 1] not in "\r\n":  # the last line had no line break
        line = doc.newline + line
    return _splice(doc, at, at, line + doc.newline + block)


def _rendered_key(key: str) -> str:
    return rtyaml.dump_scalar(key)


def _append(doc: _Doc, pair: tuple[Node, Node], item) -> str:
    key_node, node = pair
    column = key_node.start_mark.column + 2
    if isinstance(node, ScalarNode) and node.value in ("", "~", "null", "Null", "NULL") and not node.style:
        # `key:`, `key: ~` or `key: null`: no list yet
        return _block_instead(doc, key_node, node, _block_list(doc, [item], column))
    if not isinstance(node, SequenceNode):
        raise Refused(f"'{key_node.value}' is not a list in this record; nothing was changed")
    if node.flow_style:
        opening = doc.yaml.index("[", node.start_mark.index)  # after any &anchor or !!tag
        inner = doc.yaml[opening + 1: node.end_mark.index - 1]
        if not inner.strip():  # `key: []`: the first entry starts a block
            return _block_instead(doc, key_node, node, _block_list(doc, [item], column))
        if isinstance(item, (dict, list)):
            raise Refused(f"'{key_node.value}' is written on one line ([...]), so an entry with fields cannot be "
                          "added without rewriting the others; nothing was changed",
                          f"Write `{key_node.value}:` one entry per line (each starting with '- '), then run this "
                          "again.")
        separator = " " if inner.rstrip().endswith(",") else ", "
        at = opening + 1 + len(inner.rstrip())
        return _splice(doc, at, at, separator + rtyaml.dump_scalar(item))
    at = _end_of_node(doc, node.value[-1])
    return _splice(doc, at, at, _block_list(doc, [item], _dash_column(doc, node)))


def _dash_column(doc: _Doc, node: SequenceNode) -> int:
    """The column of the dashes of a block list."""
    dash = doc.yaml.rfind("-", 0, node.value[0].start_mark.index)
    return dash - (max(doc.yaml.rfind("\n", 0, dash), doc.yaml.rfind("\r", 0, dash)) + 1)


def _block_instead(doc: _Doc, key_node: Node, node: Node, block: str) -> str:
    """Replace an empty value (`key:` or `key: []`) by a block on the lines below; a comment after the
    value stays on the key's line."""
    start = _after_colon(doc, key_node)
    empty = node.start_mark.index == node.end_mark.index  # `key:`: the parser may place it anywhere after
    end = start if empty else max(start, node.end_mark.index)  # `key: []`, or `[]` on the next line
    line_end, newline = _line_end(doc, end)
    rest = doc.yaml[end:line_end]  # spaces and a comment, if any
    if rest.strip() and not rest.lstrip().startswith("#"):
        raise Refused(f"'{key_node.value}' has something after its value; nothing was changed")
    return _splice(doc, start, line_end + len(newline), rest.rstrip() + (newline or doc.newline) + block)


def _line_end(doc: _Doc, index: int) -> tuple[int, str]:
    """Where the line holding `index` ends, and its line break ('' at the end of the text)."""
    for at in range(index, len(doc.yaml)):
        if doc.yaml[at] in "\r\n":
            return at, "\r\n" if doc.yaml.startswith("\r\n", at) else doc.yaml[at]
    return len(doc.yaml), ""


def _end_of_node(doc: _Doc, node: Node) -> int:
    """Just past the line holding a node's last character (nested collections: their last value)."""
    while isinstance(node, (MappingNode, SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    end = node.end_mark.index
    if end > 0 and doc.yaml[end - 1] in "\r\n":  # block scalars end after their line break
        return end
    line_end, newline = _line_end(doc, end)
    return line_end + len(newline)


def _block_list(doc: _Doc, items: list, column: int) -> str:
    """List entries as block YAML with the dash at `column`, in the file's line endings."""
    pad = " " * column
    lines = rtyaml.dump_list(items).split("\n")
    return "".join(pad + line.rstrip(" ") + doc.newline for line in lines if line)


# ----------------------------------------------------------------------------- proof

def _verify(before: _Doc, after: str, path: tuple, change) -> None:
    """Refuse unless `after` reads as `before` with exactly the intended change and the same body."""
    expected = copy.deepcopy(before.data)
    change(expected)
    split = files.split_front_matter(after)
    try:
        got = yaml12.load(after[split.yaml_start:split.yaml_end]).data if isinstance(split, files.Split) else None
    except yaml12.YamlSyntaxError:
        got = None
    same_body = isinstance(split, files.Split) and after[split.yaml_end:] == before.text[before.end:]
    if got is None or not _same(got or {}, expected) or not same_body:
        raise Refused(f"mars could not make this change to '{_dotted(path)}' without touching other parts of "
                      "the record, so nothing was written", "Make this change in your editor; the record is fine.")


def _same(a, b) -> bool:
    """Equal values with keys in the same order (dict equality alone ignores order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b or (a != a and b != b)


def _get(data, path: tuple, default):
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return default
    return default if data is None else data


def _put(data, path: tuple, value) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
