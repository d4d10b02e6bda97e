"""A value of the wrong shape, in any field of any kind or any setting, is reported at its line, and
crashes nothing.

Every field of every kind (and every key of a `steps:` or `signoffs:` entry, and every mars.yaml
setting and key of a partner, agency or person) is given values of every shape a hand-edited file
can hold (SHAPES, written as a person would type them). Each value that is wrong for the field's
type must give an error whose path is the file and whose line is that field's line.

Those proofs run in-process (`run_rules` on a workspace read once, `load_config` on a written
mars.yaml) and try every shape in every field on every run: a couple of seconds. The slow proofs
run the reading commands (`check`, `list`, `show`, `status`, `due`, `overdue`) through the command
line on workspaces of planted records, which must not crash. By default they plant one shape per
field, in turn (conftest.some_of: each field starts where the one before left off), so every field
and every shape is still planted somewhere; the full proof plants every shape in every field:

    MARS_FULL_PROOFS=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_robustness.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re

import pytest
from conftest import CONFIG, some_of, write_files

from mars_cli.framework import kinds
from mars_cli.framework.config import load_config
from mars_cli.framework.load import read_workspace
from mars_cli.rules import run_rules
from mars_cli.store import yaml12
from mars_cli.store.files import parse_record

# Every shape of value, as typed in a file: empty, text, numbers, a flag, dates good and bad, a time,
# lists and maps of all depths, a UK-style date, an impossible date, not-a-number.
SHAPES = ["~", '""', "text", "0", "-1", "2.5", "true", "2026-02-28", "2026-01-01 09:30:00", "[]", "[a, 1]",
          "[{x: 1}]", "[[1]]", "{}", "{a: {b: [1]}}", "{1: 2}", "05/03/2026", "2026-02-30", ".nan"]
AS_OF = dt.date(2026, 2, 16)


def value(shape: str):
    """What mars reads the shape as (YAML 1.2)."""
    return yaml12.load(f"v: {shape}").data["v"]


# ----------------------------------------------------------------------------- what is wrong for a type

def is_date(v) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def is_count(v, whole: bool) -> bool:
    return (isinstance(v, int) or (not whole and isinstance(v, float))) and not isinstance(v, bool) \
        and math.isfinite(v) and v >= 0


def names(v) -> bool:
    return isinstance(v, list) and all(isinstance(i, str) for i in v)


def entries(v) -> bool:
    return isinstance(v, list) and all(isinstance(i, dict) for i in v)


def an_id(v) -> bool:
    return isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", v) is not None


def text(v) -> bool:
    """Text, or a number where text is expected (kcsie_edition: 2025); not a flag, a date, a list or a map."""
    return not isinstance(v, (bool, dt.date, list, dict))


# A value of each field type (kinds.yaml) must be...
TYPES = {
    "date": is_date, "string": text, "text": text, "id": an_id,
    "person": lambda v: isinstance(v, str), "agency": lambda v: isinstance(v, str),
    "partner": lambda v: isinstance(v, str), "record": lambda v: isinstance(v, str),
    "owner": lambda v: isinstance(v, str),
    "year": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}", v) is not None,
    "int": lambda v: is_count(v, whole=True), "number": lambda v: is_count(v, whole=False),
    "bool": lambda v: isinstance(v, bool),
    "list": names, "people": names, "agencies": names, "partners": names, "records": names,
    "ratings": lambda v: isinstance(v, dict),
    **dict.fromkeys(("actions", "subjects", "iso_days", "updates", "extensions", "steps", "signoffs"), entries),
}


def wrong(must_be, v) -> bool:
    """Whether v is wrong for what it must be. Empty (~ or "") is not: a missing value is another rule's business."""
    return v not in (None, "") and not must_be(v)


# ----------------------------------------------------------------------------- the planted records

@dataclasses.dataclass(frozen=True)
class Planted:
    path: str
    text: str
    line: int  # the line of the value under test
    wrong: bool
    what: str  # for messages: kind.field = shape


def folder(kind: kinds.Kind) -> str:
    return f"records/{kind.name}/2025-26" if not kind.part_of else "records/action-plan/2025-26/ap-x"


def all_kinds() -> list[kinds.Kind]:
    return [*kinds.registry().values(), *kinds.parts().values()]


def field_record(kind: kinds.Kind, name: str, shape: str, n: int) -> Planted:
    rid = f"{kind.prefix}-2025-06-01-sweep-{n:04d}"
    fields = {"id": rid, "kind": kind.name, "title": "T", "status": kind.statuses[0], "marking": "OFFICIAL",
              "created": "2025-06-01", name: shape}
    spec = kind.fields[name]
    allowed = kind.statuses if spec.type == "status" else spec.values
    must_be = (lambda v: v in allowed) if allowed else TYPES[spec.type]
    return Planted(f"{folder(kind)}/{rid}.md", "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n",
                   [*fields].index(name) + 2, wrong(must_be, value(shape)), f"{kind.name}.{name} = {shape}")


def field_sweep(per_field: int) -> dict[str, list[Planted]]:
    """Kind -> a record for each (field, shape) tried."""
    out: dict[str, list[Planted]] = {kind.name: [] for kind in all_kinds()}
    n = 0
    for kind in all_kinds():
        for name in kind.fields:
            out[kind.name] += [field_record(kind, name, shape, len(out[kind.name]) + i)
                               for i, shape in enumerate(some_of(SHAPES, n, per_field))]
            n += 1
    return out


# A good entry of each; its keys in the order written, one a line.
ENTRIES = {
    "steps": {"step": ("string", "event"), "date": ("date", "2025-07-01"), "skipped": ("bool", "false"),
              "by": ("person", "officer-1"), "note": ("text", "n")},
    "signoffs": {"for": ("string", "agency"), "by": ("person", "dsp-police"), "as": ("string", "dsp:police"),
                 "date": ("date", "2025-06-10"), "evidence": ("text", "minutes"), "hash": ("string", "0123456789abcdef")},
}


def entry_record(name: str, key: str, shape: str, n: int) -> Planted:
    """An agency event whose one `name:` entry has `key: shape`; its keys are on lines 11 on, one a line."""
    rid = f"ae-2025-06-01-{name}-{n:04d}"
    entry = [f"{k}: {shape if k == key else good}" for k, (_, good) in ENTRIES[name].items()]
    lines = ["---", f"id: {rid}", "kind: agency-event", "title: T", "status: proposed", "marking: OFFICIAL",
             "created: 2025-06-01", "agency: trust", "date: 2025-07-01", f"{name}:",
             "  - " + entry[0], *("    " + e for e in entry[1:]), "---"]
    must_be = TYPES[ENTRIES[name][key][0]]
    return Planted(f"records/agency-event/2025-26/{rid}.md", "\n".join(lines) + "\n",
                   11 + [*ENTRIES[name]].index(key), wrong(must_be, value(shape)), f"{name}[0].{key} = {shape}")


def entry_sweep(per_key: int) -> dict[str, list[Planted]]:
    out: dict[str, list[Planted]] = {name: [] for name in ENTRIES}
    n = 0
    for name, keys in ENTRIES.items():
        for key in keys:
            out[name] += [entry_record(name, key, shape, len(out[name]) + i)
                          for i, shape in enumerate(some_of(SHAPES, n, per_key))]
            n += 1
    return out


EVERY = len(SHAPES)
FIELDS, ENTRY_RECORDS = field_sweep(EVERY), entry_sweep(EVERY)  # every shape in every field
# The commands read one workspace of planted records: by default one shape a field, in turn.
READ = [p for ps in [*field_sweep(1).values(), *entry_sweep(1).values()] for p in ps]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> object:
    """The workspace every planted record is checked in: conftest's mars.yaml and the shipped rules, read once."""
    root = tmp_path_factory.mktemp("base")
    write_files(root, {"mars.yaml": CONFIG})
    workspace = read_workspace(root)
    assert workspace.findings == []
    return workspace


# Wrong values mars does not report at their line yet. This sweep found them; once mars_cli reports
# one, test_the_known_gaps_are_still_gaps fails and its line here goes.
KNOWN_GAPS = {
    "steps[0].by": "a step's `by:` that is not text (0, [a, 1], a date...) is not reported at all",
    "signoffs[0].by": "a sign-off's `by:` that is not text is reported at the entry's first line, not at `by:`",
    "standards": "`standards: 0` or `standards: []` is read as no standards, without a finding",
    "iso_allowance": "`iso_allowance: 0` or `iso_allowance: []` is read as the default, without a finding",
}


def known_gap(what: str) -> bool:
    return what.partition(" = ")[0] in KNOWN_GAPS


def checked(base, p: Planted) -> list:
    """The findings of a planted record checked on its own (every finding well formed)."""
    record = parse_record(p.path, p.text.encode())
    findings = run_rules(dataclasses.replace(base, records=[record], findings=[]), AS_OF)
    assert all(f.path and f.line >= 0 and f.message for f in findings), p.what
    return findings


def reported_at_its_line(p: Planted, findings) -> bool:
    return any(f.path == p.path and f.line == p.line and f.severity == "error" for f in findings)


def misplaced(base, planted: list[Planted]) -> list[str]:
    """Each planted record checked on its own: each wrong value not reported at its line."""
    problems = []
    for p in planted:
        findings = checked(base, p)
        if p.wrong and not reported_at_its_line(p, findings) and not known_gap(p.what):
            problems.append(f"{p.what}: no error at line {p.line}; found {[(f.line, f.code) for f in findings]}")
    return problems


# ----------------------------------------------------------------------------- the proofs

def test_every_field_is_given_every_shape_and_the_commands_read_them_all():
    tried = [p.what.rpartition(" = ") for ps in [*FIELDS.values(), *ENTRY_RECORDS.values()] for p in ps]
    fields = {f"{k.name}.{f}" for k in all_kinds() for f in k.fields}
    entry_keys = {f"{name}[0].{key}" for name, keys in ENTRIES.items() for key in keys}
    assert sorted(tried) == sorted((field, " = ", shape) for field in fields | entry_keys for shape in SHAPES)
    # the slow proofs, reduced or not: every field and every shape planted for the commands
    assert {p.what.partition(" = ")[0] for p in READ} == fields | entry_keys
    assert {p.what.rpartition(" = ")[2] for p in READ} == set(SHAPES)
    assert {kind for kind, _ in show_cases()} == {k.name for k in all_kinds()}
    assert {turn for _, turn in show_cases()} == set(range(len(SHAPES)))


@pytest.mark.parametrize("kind", [k.name for k in all_kinds()])
def test_a_wrong_value_in_any_field_is_reported_at_its_line(base, kind):
    assert misplaced(base, FIELDS[kind]) == []


@pytest.mark.parametrize("name", ENTRIES)
def test_a_wrong_value_in_a_step_or_signoff_entry_is_reported_at_its_line(base, name):
    """A hand-edited `steps:` or `signoffs:` entry: each key's wrong value at the key's line."""
    assert misplaced(base, ENTRY_RECORDS[name]) == []


def test_the_reading_commands_survive_every_planted_value(workspace_with, mars):
    root = workspace_with({p.path: p.text for p in READ})
    result = mars("-w", root, "check", "--format", "json", "--as-of", AS_OF)
    assert result.code == 1, result.err
    found = {(f["path"], f["line"]) for f in json.loads(result.out)["findings"] if f["severity"] == "error"}
    assert [p.what for p in READ if p.wrong and (p.path, p.line) not in found and not known_gap(p.what)] == []
    for args in (["check"], ["list"], ["list", "--format", "json"], ["list", "--format", "csv"],
                 ["list", "--agency", "trust", "--year", "2025-26", "--status", "proposed"],
                 ["status"], ["due"], ["overdue"]):
        result = mars("-w", root, *args, "--as-of", AS_OF)
        assert result.code in (0, 1) and "Traceback" not in result.text and "unexpected" not in result.err, args


def every_field_wrong(kind: kinds.Kind, turn: int) -> tuple[str, str, str]:
    """(id, path, text) of a record of this kind whose every field but its id and kind has a shape,
    field i the shape `turn + i` along."""
    rid = f"{kind.prefix}-2025-06-01-all-{turn:02d}"
    lines = [f"id: {rid}", f"kind: {kind.name}"]
    lines += [f"{name}: {SHAPES[(turn + i) % len(SHAPES)]}" for i, name in enumerate(kind.fields) if name not in
              ("id", "kind")]
    return rid, f"{folder(kind)}/{rid}.md", "---\n" + "\n".join(lines) + "\n---\n\n# Body\n"


def show_cases() -> list[tuple[str, int]]:
    """(kind, turn): by default one turn per kind, each kind starting one shape further on."""
    return [(k.name, turn) for i, k in enumerate(all_kinds()) for turn in some_of(range(len(SHAPES)), i, 1)]


@pytest.mark.parametrize("kind", [k.name for k in all_kinds()])
def test_show_survives_a_record_with_every_field_of_the_wrong_shape(workspace_with, mars, kind):
    spec = kinds.get(kind)
    turns = [turn for name, turn in show_cases() if name == kind]
    planted = [every_field_wrong(spec, turn) for turn in turns]
    root = workspace_with({path: text for _, path, text in planted})
    for rid, _, _ in planted:
        for fmt in ("text", "json"):
            result = mars("-w", root, "show", rid, "--format", fmt, "--as-of", AS_OF)
            assert result.code == 0 and "Traceback" not in result.text, (rid, fmt, result.text)


# ----------------------------------------------------------------------------- mars.yaml

SETTINGS = {  # mars.yaml's settings, and what a value of each must be
    "partnership": text,
    "reporting_year_start_month": lambda v: is_count(v, whole=True) and 1 <= v <= 12,
    "default_marking": lambda v: v in ("OFFICIAL", "OFFICIAL-SENSITIVE"),
    "as_of": is_date,
    "partners": entries, "agencies": entries, "people": entries,
    "rating_scale": names,
    "standards": lambda v: isinstance(v, dict) and all(entries(s) for s in v.values()),
    "iso_allowance": lambda v: isinstance(v, dict),
}
ENTRY_KEYS = {  # the keys of a partner, agency or person, and what a value of each must be
    "id": lambda v: isinstance(v, str), "name": text, "lead": text, "delegate": text, "type": text,
    "section11": lambda v: isinstance(v, bool), "partner": text, "commissioners": names,
    "email": lambda v: text(v) or (isinstance(v, list) and bool(v) and all(text(a) for a in v)),  # one or several
    "roles": names, "agency": text, "iso_days": lambda v: is_count(v, whole=False),
}

KEYS_OF = {"partners": ("id", "name", "lead", "delegate"),
           "agencies": ("id", "name", "type", "section11", "partner", "commissioners"),
           "people": ("id", "name", "email", "roles", "agency", "iso_days")}
# Each key of an entry, and keys of the other sections that are not its own.
KEY_CASES = [(section, key) for section, own in KEYS_OF.items() for key in dict.fromkeys([*own, *ENTRY_KEYS])
             if key in own or key in ("roles", "section11", "commissioners", "iso_days", "type")]


def blocks(config: str) -> dict[str, list[str]]:
    """mars.yaml's lines, by top-level setting."""
    out: dict[str, list[str]] = {}
    for line in config.splitlines():
        if line and not line[0].isspace():
            out[line.partition(":")[0]] = [line]
        else:
            out[next(reversed(out))].append(line)
    return out


def with_setting(setting: str, shape: str) -> tuple[str, int]:
    """conftest's mars.yaml with `setting: shape` (added at the end if it has none), and that line."""
    parts = blocks(CONFIG)
    parts[setting] = [f"{setting}: {shape}"]
    return joined(parts, setting, 0)


def with_entry_key(section: str, key: str, shape: str) -> tuple[str, int]:
    """conftest's mars.yaml with `key: shape` in the section's first entry, written one key a line."""
    parts = blocks(CONFIG)
    first = {**yaml12.load(CONFIG).data[section][0], key: None}
    written = [f"{k}: {shape if k == key else yaml_of(v)}" for k, v in first.items()]
    others = [line for line in parts[section] if line.startswith("  - ")][1:]
    parts[section] = [f"{section}:", "  - " + written[0], *("    " + w for w in written[1:]), *others]
    return joined(parts, section, 1 + [*first].index(key))


def joined(parts: dict[str, list[str]], setting: str, offset: int) -> tuple[str, int]:
    """The file, and the line `offset` lines into the setting's block."""
    before = 0
    for name, block in parts.items():
        if name == setting:
            break
        before += len(block)
    return "\n".join(line for block in parts.values() for line in block) + "\n", before + offset + 1


def yaml_of(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    return f"[{', '.join(v)}]" if isinstance(v, list) else str(v)


@pytest.fixture
def load(tmp_path):
    def read(config: str):
        write_files(tmp_path, {"mars.yaml": config})
        return load_config(tmp_path)[1]
    return read


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_wrong_setting_is_reported_at_its_line(load, setting):
    missed = []
    for shape in SHAPES:
        config, line = with_setting(setting, shape)
        findings = load(config)
        if wrong(SETTINGS[setting], value(shape)) and not at_line(findings, line, "error") and not known_gap(setting):
            missed.append(f"{setting}: {shape}")
    assert missed == []


@pytest.mark.parametrize("section,key", KEY_CASES, ids=[f"{s}-{k}" for s, k in KEY_CASES])
def test_a_wrong_key_of_a_partner_agency_or_person_is_reported_at_its_line(load, section, key):
    """A key of the section's first entry given each shape in turn; a key the section does not have
    is reported at its line whatever its value."""
    missed = []
    for shape in SHAPES:
        config, line = with_entry_key(section, key, shape)
        findings = load(config)
        if key not in KEYS_OF[section]:
            if not at_line(findings, line, "warning"):
                missed.append(f"{section}[0].{key}: {shape} (not a key of {section})")
        elif wrong(ENTRY_KEYS[key], value(shape)) and not at_line(findings, line, "error"):
            missed.append(f"{section}[0].{key}: {shape}")
    assert missed == []


def test_the_known_gaps_are_still_gaps(base, load):
    """Each known gap, planted: when mars reports one at its line, delete it from KNOWN_GAPS."""
    still = {name: not reported_at_its_line(p, checked(base, p))
             for name, p in (("steps[0].by", entry_record("steps", "by", "0", 0)),
                             ("signoffs[0].by", entry_record("signoffs", "by", "0", 0)))}
    for setting in ("standards", "iso_allowance"):
        config, line = with_setting(setting, "0")
        still[setting] = not at_line(load(config), line, "error")
    assert still == dict.fromkeys(KNOWN_GAPS, True)


def at_line(findings, line: int, severity: str) -> bool:
    assert all(f.path == "mars.yaml" and f.line >= 1 and f.message for f in findings)
    return any(f.line == line and f.severity == severity for f in findings)
