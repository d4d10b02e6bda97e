"""Reading a whole workspace: mars.yaml, every record, template overrides."""

from __future__ import annotations

from pathlib import Path

from mars_cli import process
from mars_cli.errors import UsageError
from mars_cli.model import ERROR, Finding, Record, Workspace
from mars_cli.store import files, yaml12
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
    processes, process_findings = read_processes(root)
    findings.extend(process_findings)
    return Workspace(root=root, config=config, records=records, findings=findings,
                     templates=_template_overrides(root), processes=processes)


def read_processes(root: Path) -> tuple[process.Processes, list[Finding]]:
    """The shipped processes, changed by the workspace's own processes.yaml when it has one."""
    path = root / process.OVERRIDE_FILE
    if not path.is_file():
        return process.default(), []
    name = process.OVERRIDE_FILE
    try:
        loaded = yaml12.load(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"{name} is not UTF-8 text", "Re-save it as UTF-8.") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except yaml12.YamlSyntaxError as exc:  # like mars.yaml: no check is trustworthy without the rules
        raise UsageError(f"{name}:{exc.line}: {name} (this workspace's rules) is not valid YAML: {exc.describe()}",
                         "Fix the line named, or move the file away to use the shipped rules.") from None
    found = [Finding(process.OVERRIDE_FILE, line + 1, ERROR, "duplicate-key",
                     f"'{'.'.join(str(p) for p in key)}' is given twice; only one value can count",
                     "Delete one of the two lines.", rule="process.data") for key, line in loaded.duplicates]
    processes, problems = process.build(loaded)
    return processes, found + problems


def _template_overrides(root: Path) -> dict[str, str]:
    folder = root / TEMPLATES_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(folder.glob("*.md")) if p.is_file() and p.stem.lower() != "readme"}
