"""The framework's processes: steps, deadlines, sign-offs and yearly checks for each kind.

The shipped defaults are `processes.yaml` beside this file. A workspace may
change any of it in its own `processes.yaml` (same shape): mappings merge key
by key, a list replaces the shipped list, and `null` removes a step, an
approval or a check. Reading is tolerant: what is understood is used, and every
problem is a Finding with its file and line.

The parts of a process are the dataclasses of `process_types`; `process_reader`
turns the merged data into them. Callers import both from here.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources

from mars_cli.framework.process_reader import Reader
from mars_cli.framework.process_types import (
    LIMITS,
    MEETINGS,
    UNITS,
    Approval,
    ConflictRule,
    Due,
    ExtensionRule,
    Process,
    Processes,
    Step,
    YearRule,
    need_of,
    parse_due,
    parse_duration,
    signer_words,
)
from mars_cli.model.records import Finding
from mars_cli.store import yaml12

__all__ = ["LIMITS", "MEETINGS", "OVERRIDE_FILE", "UNITS", "Approval", "ConflictRule", "Due", "ExtensionRule", "Process", "Processes",
           "Step", "YearRule", "build", "default", "need_of", "parse_due", "parse_duration", "shipped_text",
           "signer_words"]

OVERRIDE_FILE = "processes.yaml"


def shipped_text() -> str:
    return resources.files(__package__).joinpath("processes.yaml").read_text(encoding="utf-8")


@cache
def _shipped() -> yaml12.Loaded:
    return yaml12.load(shipped_text())


def default() -> Processes:
    """The shipped processes (a test proves they load without a finding)."""
    processes, findings = build(None)
    assert not findings, findings
    return processes


def build(override: yaml12.Loaded | None, override_path: str = OVERRIDE_FILE) -> tuple[Processes, list[Finding]]:
    """The shipped processes merged with a workspace's override, and what is wrong with the result."""
    base = _shipped()
    data = copy.deepcopy(base.data)
    reader = Reader(base, override, override_path)
    _merge(data, reader.changes(override))
    processes = reader.processes(data)
    processes.overridden = override is not None and bool(override.data)
    return processes, reader.findings


def _merge(into: dict, changes: dict) -> None:
    for key, value in changes.items():
        if value is None:
            into.pop(key, None)
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)
