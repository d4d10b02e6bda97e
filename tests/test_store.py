"""The store: YAML 1.2 reading that agrees with the writer, and atomic writes."""

from __future__ import annotations

import math
import os

import pytest
from ruamel.yaml import YAML

from mars_cli.model.errors import UsageError
from mars_cli.store import files, yaml12

# Scalars on which YAML 1.1 (PyYAML) and YAML 1.2 (ruamel, the writer) disagree, and friends.
SCALARS = ["no", "yes", "NO", "on", "off", "y", "n", "12:30", "0123", "007", "08", "0o17", "0x1F", "0b101",
           "1_000", "1.5", "1e3", "1.", ".5", "+.5", "09.5", ".inf", "-.inf", ".nan", "~", "null", "", "true",
           "True", "FALSE", "2026-03-05", "05/03/2026", "2026-03-05 10:30:00", "+12", "-0", "'12'", '"no"',
           "[1, no]", "0o8", "1e", "Child A", "NHS 943 476 5919", "!!str 5", "!!str no", "!!int '7'", "!!float 2",
           "!custom x", "|\n  block text", ">-\n  folded"]


def _norm(value):
    if type(value).__name__ == "TaggedScalar":  # ruamel keeps an explicit tag; its value is text
        return ("str", str(value.value))
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", float(value))
    if isinstance(value, str):
        return ("str", str(value))
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return (type(value).__name__, str(value))


@pytest.mark.parametrize("scalar", SCALARS)
def test_yaml12__reads_every_scalar_as_ruamel_does(scalar):
    text = f"k: {scalar}\n"
    assert _norm(yaml12.load(text).data["k"]) == _norm(YAML(typ="rt").load(text)["k"])


def test_yaml12__key_lines_and_duplicates():
    loaded = yaml12.load("a: 1\nb:\n  - x\n  - y: 2\n    y: 3\na: 4\n")
    assert loaded.lines[("a",)] == 0 and loaded.lines[("b", 1, "y")] == 3
    assert loaded.duplicates == [(("b", 1, "y"), 4), (("a",), 5)]
    assert loaded.data["a"] == 1  # the first value stands; the duplicate is reported, not merged


def test_yaml12__syntax_error_names_its_line():
    with pytest.raises(yaml12.YamlSyntaxError) as caught:
        yaml12.load("a: 1\nb: [x,\nc: 2\n")
    assert caught.value.line == 4  # libyaml notices at the end of the text...
    assert "starts on line 2" in caught.value.describe()  # ...so the message says where the [ began


def test_parse_record__body_line_and_bom():
    record = files.parse_record("r.md", "\ufeff---\nid: x\nkind: voice\n---\n\n# T\n".encode())
    assert record.fields == {"id": "x", "kind": "voice"}
    assert record.line("kind") == 3 and record.body_line == 5 and record.body == "\n# T\n"


def test_write_atomic__replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "r.md"
    files.write_atomic(target, "one\n")
    files.write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    assert os.listdir(tmp_path) == ["r.md"]


def test_write_atomic__exclusive_never_replaces_a_record(tmp_path):
    target = tmp_path / "r.md"
    target.write_text("precious\n")
    with pytest.raises(FileExistsError):
        files.write_atomic(target, "other\n", exclusive=True)
    assert target.read_text() == "precious\n"
    assert os.listdir(tmp_path) == ["r.md"]


def test_write_atomic__failure_mid_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "r.md"
    target.write_text("precious\n")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(UsageError) as caught:
        files.write_atomic(target, "half")
    assert "disk full" in caught.value.message and "Nothing was changed" in caught.value.hint
    assert target.read_text() == "precious\n"
    assert os.listdir(tmp_path) == ["r.md"]


def test_write_atomic__new_files_readable_by_colleagues_and_modes_kept(tmp_path):
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.md"
        files.write_atomic(new, "x\n", exclusive=True)
        assert new.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        kept = tmp_path / "kept.md"
        kept.write_text("x\n")
        kept.chmod(0o640)
        files.write_atomic(kept, "y\n")
        assert kept.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_write_atomic__without_hard_links_still_never_replaces(tmp_path, monkeypatch):
    def no_links(*args):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "r.md"
    files.write_atomic(target, "new\n", exclusive=True)
    assert target.read_text() == "new\n"
    with pytest.raises(FileExistsError):
        files.write_atomic(target, "other\n", exclusive=True)
    assert target.read_text() == "new\n" and os.listdir(tmp_path) == ["r.md"]
