"""The names a shell completes, found without reading the workspace: record IDs from the file names
under records/ (a record's file is named by its ID: `check` reports one that is not), and the ids of
people, agencies and partners from mars.yaml alone. No record is opened, so completing a name in a
workspace of ten thousand records takes as long as listing its folders."""

from __future__ import annotations

import os
from pathlib import Path

from mars_cli.framework import kinds
from mars_cli.model.errors import MarsError
from mars_cli.store import files
from mars_cli.store.settings import CONFIG_FILE, read_settings_file

RECORDS = "records"  # any record or action
PLANS = "plans"  # action plans
ACTIONS = "actions"  # the actions in plans' folders


def record_ids(root: Path, which: str = RECORDS, only_kinds: tuple[str, ...] = ()) -> list[str]:
    """The IDs of the record files under records/ (records/KIND/YEAR/ID.md; an action is
    records/action-plan/YEAR/PLAN/ID.md), by file name: `which` chooses records, plans or actions,
    `only_kinds` the kinds' folders."""
    base = root / files.RECORDS_DIR
    found: list[str] = []
    if not base.is_dir():
        return found
    for folder, dirs, names in os.walk(base):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        parts = Path(folder).relative_to(base).parts
        if not parts or (only_kinds and parts[0] not in only_kinds):
            continue
        in_plan = parts[0] == "action-plan" and len(parts) > 2
        if (which == PLANS and (parts[0] != "action-plan" or in_plan)) or (which == ACTIONS and not in_plan):
            continue
        found.extend(n[:-3] for n in names if n.endswith(".md") and not n.startswith("."))
    return sorted(found)


def config_ids(root: Path, section: str) -> list[str]:
    """The ids listed under `section:` (people, agencies, partners) in mars.yaml, as written; none when
    mars.yaml cannot be read (completion says nothing rather than fail)."""
    try:
        loaded = read_settings_file(root / CONFIG_FILE, "", "")
    except MarsError:
        return []
    entries = loaded.data.get(section) if isinstance(loaded.data, dict) else None
    return [str(e["id"]) for e in entries or () if isinstance(e, dict) and isinstance(e.get("id"), (str, int))]


def kind_names(with_parts: bool = False) -> list[str]:
    """The kinds of record; with their parts (an action) for the commands that take them too."""
    return [*kinds.registry(), *(kinds.parts() if with_parts else ())]


def matching(names: list[str], incomplete: str) -> list[str]:
    """The names that start with what was typed; when none does, those that contain it (a record is
    often named by the four characters at the end of its ID)."""
    starting = [n for n in names if n.startswith(incomplete)]
    return starting or [n for n in names if incomplete and incomplete in n]
