"""Memory (issue 14: a cold `check` of 100,000 records within 600 MB): what each record keeps, how the
cache is written, and which timelines `check` holds on to."""

from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
import shutil
import tracemalloc
import weakref
from pathlib import Path

from mars_cli.derive.timeline import read_again
from mars_cli.framework import processes
from mars_cli.framework.load import read_workspace
from mars_cli.rules import run_rules, units
from mars_cli.store import cache, files

EXAMPLE = Path(__file__).resolve().parent.parent / "example-workspace"

SIGNED = """---
id: {rid}
kind: thematic-event
title: Neglect
signoffs:
  - for: sign-off
    by: jo
    date: 2026-01-0{day}
---

Body.
"""


def test_key_lines__records_with_the_same_keys_share_them_and_keep_a_byte_a_line():
    first = files.parse_record("records/a.md", SIGNED.format(rid="A", day=1).encode())
    second = files.parse_record("records/b.md", SIGNED.format(rid="B", day=2).encode())
    assert first.source.lines.parents is second.source.lines.parents
    assert first.source.lines.children is second.source.lines.children
    assert first.source.lines.lines.itemsize == 1
    assert second.line("signoffs", 0, "date") == 8 and second.line("title") == 4
    again = pickle.loads(pickle.dumps(second))  # as a shard of the cache gives it back: shared again
    assert again.source.lines.children is first.source.lines.children
    assert again.line("signoffs", 0, "date") == 8 and dict(again.source.lines) == dict(second.source.lines)


def test_key_lines__a_line_past_255_is_kept_whole():
    text = "---\nid: A\nkind: thematic-event\n" + "".join(f"k{n}: {n}\n" for n in range(300)) + "---\n"
    record = files.parse_record("records/a.md", text.encode())
    assert record.line("k299") == 303 and record.source.lines.lines.itemsize == 2


def _peak_of_saving(store: cache.Files, name: str, value) -> int:
    """The most memory Python held at once while the cache file was written."""
    tracemalloc.start()
    try:
        store.save(name, value)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_cache_file__pickled_straight_to_disk_not_held_whole(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.KEY_VARIABLE, "a key long enough for the test")
    (tmp_path / ".mars").mkdir()
    value = os.urandom(8_000_000)
    store = cache.Files(tmp_path)
    peak = _peak_of_saving(store, "big", value)
    assert peak < len(value) / 4  # pickled in one piece and signed after, it held two copies (16 MB)
    assert store.load("big") == value
    raw = (store.folder / "big").read_bytes()  # the signature covers the whole payload
    (store.folder / "big").write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    assert store.load("big") is None


def test_read_again__the_kinds_other_records_or_yearly_checks_ask_for():
    assert read_again(processes.default()) == {"agency-event", "section11", "schools-audit", "early-years-audit",
                                               "annual-report"}


def test_check__keeps_only_the_timelines_asked_for_again(tmp_path, monkeypatch):
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".mars"))
    held = {}
    monkeypatch.setattr(units.Remembered, "save", lambda self: held.update(ctx=self.ctx))
    ws = read_workspace(workspace, use_cache=True)
    run_rules(ws, dt.date(2026, 12, 2))
    ctx = held["ctx"]
    by_path = {r.path: r.kind for r in ws.records}
    kept = read_again(ctx.processes)
    assert {by_path[path] for path in ctx.timelines} <= kept
    assert {by_path[path] for path in ctx.timeline_reads} <= kept
    assert any(r.kind not in kept and r.kind in ctx.processes.by_kind for r in ws.records)  # some were let go


def test_cache_file__a_large_dict_is_pickled_in_parts_and_read_back_whole(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.KEY_VARIABLE, "a key long enough for the test")
    (tmp_path / ".mars").mkdir()
    shared = ("all", b"0123456789abcdef")  # shared by entries of several parts
    value = {f"records/r{n}.md": (n.to_bytes(4, "little"), shared, [f"finding {n}"] if n % 7 == 0 else [])
             for n in range(cache._PART * 2 + 17)}
    store = cache.Files(tmp_path)
    store.save("each-record", value)
    loaded = store.load("each-record")
    assert loaded == value and list(loaded) == list(value)
    store.save("small", {"a": 1})
    assert store.load("small") == {"a": 1}


def test_read__once_every_record_is_in_the_cache_index_is_let_go(tmp_path, monkeypatch):
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".mars"))
    made = []
    start = cache.RecordCache.__init__

    def noted(self, *given):
        start(self, *given)
        made.append(weakref.ref(self))

    monkeypatch.setattr(cache.RecordCache, "__init__", noted)
    for _ in range(2):  # cold (every record parsed), then warm (records from the shards)
        ws = read_workspace(workspace, use_cache=True)
        assert len(list(ws.records)) > 50  # every record loaded (counting them loads none)
        gc.collect()
        assert made[-1]() is None  # its index of every file (50 MB at 100,000 records) is not kept
        assert ws.memo.trusted()


BODY = "## Findings\n\nThe panel heard from the school, the GP and children’s social care. " * 20


def test_record__a_long_body_is_kept_compressed_and_given_back_exactly(tmp_path):
    path = tmp_path / "records" / "a.md"
    path.parent.mkdir()
    path.write_text(SIGNED.format(rid="A", day=1).replace("Body.\n", BODY), encoding="utf-8")
    record = files.read_record(tmp_path, path)
    assert isinstance(record.packed_body, bytes) and len(record.packed_body) < len(BODY) / 4
    path.write_text("---\nid: A\n---\nChanged on disk since.\n", encoding="utf-8")
    assert record.body == "\n" + BODY  # the text that was read and checked, never the file's later one
    assert pickle.loads(pickle.dumps(record)).body == "\n" + BODY  # as a shard of the cache keeps it
    record.body = "short"
    assert record.body == "short" and record.packed_body == "short"  # a short one is kept as it is


def test_cache_file__a_large_dict_does_not_note_every_object_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.KEY_VARIABLE, "a key long enough for the test")
    (tmp_path / ".mars").mkdir()
    value = {f"records/r{n}.md": (n.to_bytes(8, "little"), (f"record {n}",), [f"finding {n}"]) for n in range(40_000)}
    store = cache.Files(tmp_path)
    peak = _peak_of_saving(store, "each-record", value)
    assert peak < 2_000_000  # the pickler's memo of every object (and the whole pickle) was 10 MB
    assert store.load("each-record") == value
