"""No shape of bad value, in any field of any kind or any setting, may crash mars.

This drives the core directly (fast) rather than the CLI: every field of every
kind, and every mars.yaml setting, gets every shape of wrong value.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import CONFIG

from mars_cli.cli.render import _field_lines, plain, record_row, record_text
from mars_cli.framework import kinds
from mars_cli.framework.config import _Builder
from mars_cli.model.records import Workspace
from mars_cli.queries import records as queries
from mars_cli.rules import run_rules
from mars_cli.store import rtyaml, yaml12
from mars_cli.store.files import parse_record

WEIRD = [None, "", "text", 0, -1, 2.5, True, dt.date(2026, 2, 30 - 2), dt.datetime(2026, 1, 1, 9, 30), [], ["a", 1],
         [{"x": 1}], [[1]], {}, {"a": {"b": [1]}}, {1: 2}, "05/03/2026", "2026-02-30", float("nan")]


def config():
    loaded = yaml12.load(CONFIG)
    return _Builder(loaded.data, __import__("mars_cli.model.records", fromlist=["Source"]).Source("mars.yaml", loaded.lines),
                    []).build()[0]


def all_fields():
    for kind in [*kinds.registry().values(), *kinds.parts().values()]:
        for name in kind.fields:
            yield kind.name, name


@pytest.mark.parametrize("kind,field", list(all_fields()))
def test_every_field_survives_every_shape_of_value(kind, field):
    cfg = config()
    spec = kinds.get(kind)
    folder = f"records/{kind}/2025-26" if not spec.part_of else "records/action-plan/2025-26/ap-x"
    for value in WEIRD:
        fields = {"id": "x-1", "kind": kind, "title": "T", "status": spec.statuses[0], "marking": "OFFICIAL",
                  "created": dt.date(2025, 6, 1), field: value}
        text = f"---\n{rtyaml.dump(fields)}---\n"
        record = parse_record(f"{folder}/x-1.md", text.encode())
        ws = Workspace(Path("."), cfg, [record], [])
        findings = run_rules(ws, dt.date(2026, 2, 16))  # must not raise
        assert all(f.path and f.line >= 0 and f.message for f in findings)
        for record_ in queries.select(ws, agency="trust", status=spec.statuses[0], year="2025-26"):
            record_row(record_)
        _field_lines(field, value, "")
        record_text(record)
        json.dumps(plain(record.fields), default=str)


ENTRIES = {
    "steps": {"step": "event", "date": dt.date(2025, 7, 1), "skipped": False, "by": "officer-1", "note": "n"},
    "signoffs": {"for": "agency", "by": "dsp-police", "as": "dsp:police", "date": dt.date(2025, 6, 10),
                 "evidence": "minutes", "hash": "0123456789abcdef"},
}


@pytest.mark.parametrize("name,key", [(n, k) for n, entry in ENTRIES.items() for k in entry])
def test_every_step_and_signoff_entry_survives_every_shape_of_value(name, key):
    """A hand-edited `steps:` or `signoffs:` entry never crashes check, show or list."""
    from mars_cli.cli.render import timeline_dict, timeline_text

    cfg = config()
    for value in WEIRD:
        entry = {**ENTRIES[name], key: value}
        fields = {"id": "ae-1", "kind": "agency-event", "title": "T", "status": "proposed", "marking": "OFFICIAL",
                  "created": dt.date(2025, 6, 1), "agency": "trust", "date": dt.date(2025, 7, 1), name: [entry]}
        record = parse_record("records/agency-event/2025-26/ae-1.md", f"---\n{rtyaml.dump(fields)}---\n".encode())
        ws = Workspace(Path("."), cfg, [record], [])
        findings = run_rules(ws, dt.date(2025, 11, 1))
        assert all(f.path and f.line >= 0 and f.message for f in findings)
        line = queries.timeline_of(ws, record, dt.date(2025, 11, 1))
        timeline_text(line)
        json.dumps(timeline_dict(line))
        queries.select(ws, status="held", day=dt.date(2025, 11, 1))


SETTINGS = ["partnership", "reporting_year_start_month", "default_marking", "as_of", "partners", "agencies",
            "people", "rating_scale", "standards", "iso_allowance"]


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_setting_survives_every_shape_of_value(setting):
    from mars_cli.model.records import Source
    base = yaml12.load(CONFIG).data
    for value in WEIRD:
        data = {**base, setting: value}
        _Builder(data, Source("mars.yaml"), []).build()
        for section in ("partners", "agencies", "people"):
            entry = dict(base[section][0])
            for key in list(entry) + ["roles", "section11", "commissioners", "iso_days", "type"]:
                bad = {**base, section: [{**entry, key: value}]}
                _Builder(bad, Source("mars.yaml"), []).build()
