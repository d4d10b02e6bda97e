"""Editing a record's front matter in place: only the lines an edit must touch change.

Re-dumping a whole document (even with ruamel's round-trip mode) re-indents
lists and re-quotes values (shared/toolchain.md). Here each edit is applied at
the exact character offsets the YAML parser reports for the node it changes;
new values are written by ruamel (the writer), so they read back with the
same meaning. Every edit then re-reads its own result and refuses (nothing is
written) unless the record now holds exactly what it held before, plus the
change. Comments, key order, quoting, indentation, line endings and the
Markdown body stay byte-identical.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mars_cli.errors import Refused
from mars_cli.store import yaml12


@dataclass
class _Doc:
    text: str  # the whole file
    start: int  # offset of the YAML text in the file
    end: int  # offset just past the YAML text (the closing --- line starts here)
    root: MappingNode
    newline: str

    @property
    def yaml(self) -> str:
        return self.text[self.start:self.end]


def set_value(text: str, path: tuple, value) -> str:
    """Set a scalar (text, number, date, true/false, empty) at a key path, adding the key if missing."""
    doc = _parse(text)
    parent, key = _parent(doc, path)
    old = _child(parent, key)
    if old is None:
        new = _insert_key(doc, parent, key, _scalar(value), path)
    elif isinstance(old[1], ScalarNode):
        new = _replace_scalar(doc, old, _scalar(value))
    else:
        raise Refused(f"'{_dotted(path)}' holds a list or a set of fields, not a single value; nothing was changed")
    return _verified(text, new, path, lambda data: _put(data, path, value))


def append_item(text: str, path: tuple, item) -> str:
    """Add an entry at the end of the list at a key path (creating the list if missing or empty)."""
    doc = _parse(text)
    parent, key = _parent(doc, path)
    old = _child(parent, key)
    if old is None:
        block = _block_list(doc, [item], _key_column(doc, parent) + 2)
        new = _insert_key(doc, parent, key, None, path, block=block)
    else:
        new = _append(doc, old, item)
    return _verified(text, new, path, lambda data: _put(data, path, [*_get(data, path, []), item]))


# ----------------------------------------------------------------------------- finding nodes

def _parse(text: str) -> _Doc:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise Refused("the file has no front matter, so it cannot be edited; nothing was changed",
                      "Run `mars check` to see what is wrong with it.")
    start = len(lines[0])
    offset = start
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            break
        offset += len(line)
    else:
        raise Refused("the front matter is never closed, so it cannot be edited; nothing was changed")
    yaml_text = text[start:offset]
    loader = yaml12._Loader(yaml_text)
    try:
        root = loader.get_single_node()
    except Exception as exc:  # noqa: BLE001 - any parse failure means: do not touch the file
        raise Refused(f"the front matter is not valid YAML ({exc}); nothing was changed",
                      "Run `mars check` to see the line, and fix it first.") from None
    finally:
        loader.dispose()
    if root is None:
        root = MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, MappingNode) or (root.value and root.flow_style):
        raise Refused("the front matter is not a block of `key: value` lines; nothing was changed")
    if _shares_nodes(root):
        raise Refused("the front matter uses YAML anchors and aliases (& and *), so a change in one place "
                      "could change another; nothing was changed", "Make this change in your editor.")
    newline = "\r\n" if "\r\n" in lines[0] else "\n"
    return _Doc(text, start, offset, root, newline)


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
            node = node.value[key] if isinstance(key, int) and 0 <= key < len(node.value) else None
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


def _replace_scalar(doc: _Doc, pair: tuple[Node, Node], rendered: str) -> str:
    key_node, value_node = pair
    if value_node.start_mark.index == value_node.end_mark.index:  # `key:` with nothing after it
        colon = doc.yaml.index(":", key_node.end_mark.index)
        return _splice(doc, colon + 1, colon + 1, f" {rendered}" if rendered else "")
    if value_node.style in ("|", ">"):
        raise Refused("that value is a block of text; change it in your editor")
    return _splice(doc, value_node.start_mark.index, value_node.end_mark.index, rendered)


def _insert_key(doc: _Doc, parent: MappingNode, key: str, rendered: str | None, path: tuple,
                block: str | None = None) -> str:
    """Add `key: value` (or `key:` and a block) as the mapping's last entry."""
    line = " " * _key_column(doc, parent) + _key(key) + ":" + (f" {rendered}" if rendered else "")
    at = _end_of_node(doc, parent) if parent.value else doc.end - doc.start
    return _splice(doc, at, at, line + doc.newline + (block or ""))


def _append(doc: _Doc, pair: tuple[Node, Node], item) -> str:
    key_node, node = pair
    if isinstance(node, ScalarNode) and node.value == "" and not node.style:  # `key:` with no list yet
        column = key_node.start_mark.column + 2
        at = _line_end(doc, key_node.end_mark.index)
        return _splice(doc, at, at, _block_list(doc, [item], column))
    if not isinstance(node, SequenceNode):
        raise Refused(f"'{key_node.value}' is not a list in this record; nothing was changed")
    if node.flow_style:
        inner = doc.yaml[node.start_mark.index + 1: node.end_mark.index - 1]
        if isinstance(item, (dict, list)) or not inner.strip():  # [] becomes a block list
            column = key_node.start_mark.column + 2
            end = node.end_mark.index
            return _splice(doc, node.start_mark.index - 1, end, doc.newline + _block_list(doc, [item], column)
                           .rstrip("\r\n"))
        at = node.end_mark.index - 1
        return _splice(doc, at, at, f", {_scalar(item)}")
    first = node.value[0]
    dash = doc.yaml.rfind("-", 0, first.start_mark.index)
    column = dash - (doc.yaml.rfind("\n", 0, dash) + 1)
    at = _end_of_node(doc, node.value[-1])
    return _splice(doc, at, at, _block_list(doc, [item], column))


def _end_of_node(doc: _Doc, node: Node) -> int:
    """Just past the line holding a node's last character (nested collections: their last value)."""
    while isinstance(node, (MappingNode, SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    end = node.end_mark.index
    if end > 0 and doc.yaml[end - 1] == "\n":  # block scalars end after their newline
        return end
    return _line_end(doc, end)


def _line_end(doc: _Doc, index: int) -> int:
    newline = doc.yaml.find("\n", index)
    return len(doc.yaml) if newline < 0 else newline + 1


def _block_list(doc: _Doc, items: list, column: int) -> str:
    """List entries as block YAML with the dash at `column`, in the file's line endings."""
    from mars_cli.store import rtyaml

    text = rtyaml.dump_list(items)
    pad = " " * column
    return "".join(pad + line + doc.newline for line in text.splitlines())


def _scalar(value) -> str:
    from mars_cli.store import rtyaml

    return rtyaml.dump_scalar(value)


def _key(key: str) -> str:
    return _scalar(key)


# ----------------------------------------------------------------------------- proof

def _verified(before: str, after: str, path: tuple, change) -> str:
    """Refuse unless `after` reads as `before` with exactly the intended change, and its body is intact."""
    old_data = _fields(before)
    expected = copy.deepcopy(old_data)
    change(expected)
    if _fields(after) != expected or _body(before) != _body(after):
        raise Refused(f"editing '{_dotted(path)}' would have changed more than that field, so nothing was "
                      "written", "Check the record's layout with `mars check`, or make the change in your editor.")
    return after


def _fields(text: str) -> dict:
    doc = _parse(text)
    return yaml12.load(doc.yaml).data or {}


def _body(text: str) -> str:
    doc = _parse(text)
    return text[doc.end:]


def _get(data, path: tuple, default):
    for key in path:
        if not isinstance(data, (dict, list)):
            return default
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
