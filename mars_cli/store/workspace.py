"""Reading a whole workspace: mars.yaml, every record, template overrides."""

from __future__ import annotations

from pathlib import Path

from mars_cli.model import Record, Workspace
from mars_cli.store import files
from mars_cli.store.config import find_root, load_config

TEMPLATES_DIR = "templates"


def open_workspace(explicit: str | Path | None = None) -> Workspace:
    """Find the workspace (see find_root) and read it."""
    return read_workspace(find_root(explicit))


def read_workspace(root: Path) -> Workspace:
    config, findings = load_config(root)
    records: list[Record] = []
    for path in files.scan(root):
        result = files.read_record(root, path)
        if isinstance(result, Record):
            records.append(result)
        else:
            findings.append(result)
    findings.extend(files.strays(root))
    return Workspace(root=root, config=config, records=records, findings=findings,
                     templates=_template_overrides(root))


def _template_overrides(root: Path) -> dict[str, str]:
    folder = root / TEMPLATES_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(folder.glob("*.md")) if p.is_file() and p.stem.lower() != "readme"}
