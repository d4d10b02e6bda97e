"""The first stage of the pipeline: a workspace read and understood.

`read_workspace` reads mars.yaml into a Config, every record file, the template overrides, and the
shipped processes merged with the workspace's own processes.yaml; what cannot be read or understood
becomes a finding. The files are read by `store`; this module gives them their meaning.
"""

from __future__ import annotations

from pathlib import Path

from mars_cli.framework import kinds
from mars_cli.framework import processes as process
from mars_cli.framework.config import load_config
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Finding, Record, Workspace
from mars_cli.store import files
from mars_cli.store.settings import find_root, read_settings_file, template_links, template_overrides


def open_workspace(explicit: str | Path | None = None) -> Workspace:
    """Find the workspace (see find_root) and read it."""
    return read_workspace(find_root(explicit))


def read_workspace(root: Path) -> Workspace:
    config, findings = load_config(root)
    records: list[Record] = []
    unread: list[Finding] = []
    walked = files.survey(root)  # one walk of the workspace: its records, stray records, leftovers
    for path in walked.records:
        result = files.read_record(root, path)
        if isinstance(result, Record):
            records.append(result)
        else:
            findings.append(result)
            unread.append(result)
    strays = files.strays(root, walked.outside)
    links = [files.symlink_finding(files.relpath(root, path)) for path in template_links(root)]
    findings.extend(strays + links + files.leftover_findings(root, walked.leftovers))
    processes, process_findings = read_processes(root)
    findings.extend(process_findings)
    unread += strays + links + [f for f in map(not_a_record, records) if f is not None]
    return Workspace(root=root, config=config, records=records, findings=findings,
                     templates=template_overrides(root), processes=processes,
                     unread=sorted(unread, key=lambda f: f.path))


def not_a_record(record: Record) -> Finding | None:
    """Why a file that was read is still not a record mars can use (no id, no kind, a kind it does not
    know), else None. `check` reports the same from its rules; every other command says the file is left out."""
    if not record.id:
        return Finding(record.path, record.line("id"), ERROR, "missing-id", "the record has no `id:`",
                       "Add `id:` with the file's name (without .md) as the first field.")
    kind = record.fields.get("kind")
    if kind in (None, ""):
        return Finding(record.path, record.source.first_line, ERROR, "missing-kind", "the record has no `kind:`",
                       "Add `kind:` with one of the kinds `mars kinds` lists.")
    if not isinstance(kind, str) or kinds.get(kind) is None:
        return Finding(record.path, record.line("kind"), ERROR, "unknown-kind",
                       f"'{kind}' is not a kind of record mars knows",
                       f"`mars kinds` lists them.{did_you_mean(str(kind), [*kinds.registry(), *kinds.parts()])}")
    return None


def read_processes(root: Path) -> tuple[process.Processes, list[Finding]]:
    """The shipped processes, changed by the workspace's own processes.yaml when it has one."""
    path = root / process.OVERRIDE_FILE
    if not path.is_file():
        return process.default(), []
    # like mars.yaml: no check is trustworthy without the rules
    loaded = read_settings_file(path, " (this workspace's rules)",
                                "Fix the line named, or move the file away to use the shipped rules.")
    found = [Finding(process.OVERRIDE_FILE, line + 1, ERROR, "duplicate-key",
                     f"'{'.'.join(str(p) for p in key)}' is given twice; only one value can count",
                     "Delete one of the two lines.", rule="process.data") for key, line in loaded.duplicates]
    processes, problems = process.build(loaded)
    return processes, found + problems
