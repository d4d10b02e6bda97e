"""Reading a record fast (issue 14) without changing what is read: the front-matter split, the YAML 1.2
pass's limits, loops and key lines, against their plain definitions."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mars_cli.model import limits
from mars_cli.store import files, yaml12


def split_by_lines(text: str):
    """The definition of the split: YAML's line breaks (\\r\\n, \\n, \\r), a first line `---`, and the first
    later line that is `---` or `...` once trailing spaces are taken off (as it was written before issue 14)."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$", text)
    if not lines or lines[0].rstrip() != "---":
        return files.NO_FRONT_MATTER
    offset = len(lines[0])
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return files.Split(len(lines[0]), offset, offset + len(line), number + 1)
        offset += len(line)
    return files.UNCLOSED


PIECES = ["---", "...", "-- -", "----", "a: 1", "\n", "\r\n", "\r", " ", "\t", "\x85", "\u2028", "\x0c", "x", "#"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_split_front_matter__agrees_with_the_line_by_line_definition(pieces):
    text = "".join(pieces)
    assert files.split_front_matter(text) == split_by_lines(text)


@pytest.mark.parametrize("text, expected", [
    ("---\nid: x\n---\nbody\n", files.Split(4, 10, 14, 4)),
    ("---\r\nid: x\r\n...  \r\n\r\nbody", files.Split(5, 12, 19, 4)),
    ("---\rid: x\r---", files.Split(4, 10, 13, 4)),
    ("---\n---\n", files.Split(4, 4, 8, 3)),
    ("---", files.UNCLOSED),
    ("--- \nid: x\n----\n", files.UNCLOSED),
    ("id: x\n---\n", files.NO_FRONT_MATTER),
])
def test_split_front_matter__fences_and_line_breaks(text, expected):
    assert files.split_front_matter(text) == expected


def test_split_front_matter__body_line_counts_only_yaml_line_breaks():
    text = "---\na: \u2028x\r\nb: 1\rc: 2\n---\n" + "body\n" * 1000
    split = files.split_front_matter(text)
    assert split.body_line == 6 and text[split.body_start:].startswith("body")


@pytest.mark.parametrize("value, line", [
    ("9" * (limits.MAX_DIGITS + 1), 2),
    ("-" + "1_0" * 11, 2),
    ("0x" + "f" * (limits.MAX_DIGITS + 1), 2),
    ("1." + "5" * limits.MAX_DIGITS, 2),
    ("1" * (limits.MAX_DIGITS + 1) + "e5", 2),
])
def test_yaml12__a_plain_number_past_the_limit_is_refused_where_it_is(value, line):
    with pytest.raises(yaml12.TooLarge) as caught:
        yaml12.load(f"a: 1\nb:\n  - {value}\n")
    assert caught.value.line == line + 1 and "digits" in caught.value.problem and value not in str(caught.value)


@pytest.mark.parametrize("value", ["9" * limits.MAX_DIGITS, "'" + "9" * 40 + "'", "v" + "9" * 40, "9" * 30 + " x",
                                   "2026-01-01" + "0" * 20])
def test_yaml12__text_and_numbers_within_the_limit_are_read(value):
    assert yaml12.load(f"a: {value}\n").data["a"] is not None


def test_yaml12__a_long_key_or_item_is_refused_like_a_long_value():
    long = "y" * (limits.MAX_VALUE_CHARS + 1)
    for text, line in ((f"a: 1\n? {long}\n: 2\n", 2), (f"a:\n  - x\n  - {long}\n", 3), (f"a: '{long}'\n", 1)):
        with pytest.raises(yaml12.TooLarge) as caught:
            yaml12.load(text)
        assert caught.value.line == line and "longer than" in caught.value.problem


def test_yaml12__a_set_of_fields_past_the_limit_is_refused():
    text = "a:\n" + "".join(f"  k{n}: 1\n" for n in range(limits.MAX_ENTRIES + 1))
    with pytest.raises(yaml12.TooLarge) as caught:
        yaml12.load(text)
    assert caught.value.line == 2 and "set of fields has more than" in caught.value.problem


def test_yaml12__aliases_that_loop_or_explode_are_refused():
    with pytest.raises(yaml12.YamlSyntaxError, match="refers to the value that contains it"):
        yaml12.load("a: &x\n  b: *x\n")
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]\n" for n in range(6))
    with pytest.raises(yaml12.YamlSyntaxError, match="expands to too many values"):
        yaml12.load(laughs)
    assert yaml12.load("a: &x [1, 2]\nb: *x\nc: *x\n").data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_yaml12__every_key_and_item_keeps_its_line():
    loaded = yaml12.load("id: x\nsignoffs:\n  - by: p\n    on: 2026-01-02\n  -\n    by: q\nmap: {k: 1,\n  j: 2}\n"
                         "? [1, 2]\n: v\nno: 1\n3: 4\n")
    assert loaded.lines == {("id",): 0, ("signoffs",): 1, ("signoffs", 0): 2, ("signoffs", 0, "by"): 2,
                            ("signoffs", 0, "on"): 3, ("signoffs", 1): 5, ("signoffs", 1, "by"): 5, ("map",): 6,
                            ("map", "k"): 6, ("map", "j"): 7, ("<sequence at line 9>",): 8, ("no",): 10, (3,): 11}
    assert loaded.data["no"] == 1 and loaded.data[3] == 4 and loaded.data["signoffs"][1] == {"by": "q"}


def test_yaml12__keys_and_short_text_are_kept_once_across_records():
    first, second = (yaml12.load(f"status: {'op' + 'en'}\nowner: 'p-{n}'\nnote: {'z' * 80}\n").data for n in (1, 1))
    (key_1, value_1), (key_2, value_2) = next(iter(first.items())), next(iter(second.items()))
    assert key_1 is key_2 and value_1 is value_2 and first["owner"] is second["owner"]
    assert first["note"] == second["note"] and first["note"] is not second["note"]  # long text: not worth it


def test_parse_record__a_record_and_its_key_lines_survive_pickling():
    record = files.parse_record("r.md", b"---\nid: x\nkind: voice\nactions:\n  - {by: p, due: 2026-01-02}\n"
                                        b"title: T\ntitle: U\n---\nbody\n")
    again = pickle.loads(pickle.dumps(record))
    assert again == record and dict(again.source.lines) == dict(record.source.lines)
    assert again.line("actions", 0, "due") == 5 and again.line("actions", 0, "nothing", 3) == 5
    assert again.line("nothing") == 1 and again.line() == 1 and again.duplicates == [(("title",), 5)]
    assert ("actions", 0) in again.source.lines and ("actions", 1) not in again.source.lines
    assert set(again.source.lines) == {("actions",), ("actions", 0), ("actions", 0, "by"), ("actions", 0, "due"),
                                       ("id",), ("kind",), ("title",)} and len(again.source.lines) == 7


def test_read_record__one_look_at_the_file_tells_each_case(tmp_path):
    folder = tmp_path / "records" / "voice"
    folder.mkdir(parents=True)
    (folder / "ok.md").write_text("---\nid: ok\nkind: voice\n---\n")
    (folder / "dir.md").mkdir()
    (folder / "link.md").symlink_to(folder / "ok.md")
    (folder / "broken.md").symlink_to(folder / "gone.md")
    (folder / "big.md").write_bytes(b"x" * (limits.MAX_FILE_BYTES + 1))
    codes = {name: getattr(files.read_record(tmp_path, folder / name), "code", "record")
             for name in ("ok.md", "dir.md", "link.md", "broken.md", "big.md", "vanished.md")}
    assert codes == {"ok.md": "record", "dir.md": "not-a-file", "link.md": "symlink", "broken.md": "broken-link",
                     "big.md": "too-large", "vanished.md": "not-a-file"}
    assert files.read_record(tmp_path, folder / "ok.md").path == "records/voice/ok.md"


def test_relpath__inside_the_root_and_not():
    root = Path("/w/ws")
    assert files.relpath(root, root / "records" / "a b.md") == "records/a b.md"
    assert files.relpath(root, Path("/w/ws2/records/a.md")) == "/w/ws2/records/a.md"  # a longer name, not inside
    assert files.relpath(root, root) == "." and files.relpath(Path("/"), Path("/x/y.md")) == "x/y.md"


def test_key_lines__a_big_record_is_looked_up_by_index_and_says_the_same():
    text = "items:\n" + "".join(f"  - {{n: {n}, by: p}}\n" for n in range(400)) + "last: 1\n"
    lines = yaml12.load(text).lines
    assert len(lines) == 400 * 3 + 2 and lines[("items", 399, "by")] == 400 and lines[("last",)] == 401
    assert lines.get(("items", 400)) is None and ("items", 0, "n") in lines and ("items", "0") not in lines
    again = pickle.loads(pickle.dumps(lines))
    assert again == lines and again[("items", 7)] == 8 and dict(again) == dict(lines)
    small = yaml12.load("a: {b: [x, y]}\n").lines
    assert dict(small) == {("a",): 0, ("a", "b"): 0, ("a", "b", 0): 0, ("a", "b", 1): 0}
    assert ("a", "b", True) in small and ("a", "b", 2) not in small and small.get(()) is None  # True == 1, as a dict
