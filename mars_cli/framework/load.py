"""The first stage of the pipeline: a workspace read and understood.

`read_workspace` reads mars.yaml into a Config, every record file, the template overrides, and the
shipped processes merged with the workspace's own processes.yaml; what cannot be read or understood
becomes a finding. The files are read by `store`; this module gives them their meaning.
"""

from __future__ import annotations

from pathlib import Path

from mars_cli.framework import kinds
from mars_cli.framework import processes as process
from mars_cli.framework.config import CONFIG_FILE, load_config
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import ERROR, Finding, LazyRecords, Record, Workspace
from mars_cli.store import cache, files
from mars_cli.store.settings import find_root, read_settings_file, template_links, template_overrides


def open_workspace(explicit: str | Path | None = None) -> Workspace:
    """Find the workspace (see find_root) and read it."""
    return read_workspace(find_root(explicit))


def read_workspace(root: Path, *, use_cache: bool | None = None) -> Workspace:
    """Read the workspace: through its cache under .mars/ (store/cache.py) unless `use_cache` is False
    or MARS_NO_CACHE is set. Read either way, the workspace is the same; with the cache it also has a
    fingerprint of everything read and a memo of what commands worked out from exactly that."""
    config, findings = load_config(root)
    walked = files.survey(root)  # one walk of the workspace: its records, stray records, leftovers
    cached = cache.RecordCache(root, not_a_record) if (cache.enabled() if use_cache is None else use_cache) else None
    if cached is None:
        results = [files.read_record(root, Path(path)) for path in walked.records]
        records = [r for r in results if isinstance(r, Record)]
    else:
        reading = cached.read(walked.records)
        results = [r for r in reading.results.values() if r is not None]  # the Findings; Records load later
        records = LazyRecords(lambda: _loaded(cached, reading),
                              sum(not isinstance(r, Finding) for r in reading.results.values()))
    unread = [r for r in results if isinstance(r, Finding)]
    findings.extend(unread)
    strays = files.strays(root, walked.outside)
    links = [files.symlink_finding(files.relpath(root, path)) for path in template_links(root)]
    findings.extend(strays + links + files.leftover_findings(root, walked.leftovers))
    processes, process_findings = read_processes(root)
    findings.extend(process_findings)
    templates = template_overrides(root)
    ws = Workspace(root=root, config=config, records=records, findings=findings, templates=templates,
                   processes=processes)
    if cached is None:
        ws.unread = _unread(unread + strays + links, records)
        return ws
    cached.save(reading)
    settings = _settings(root, templates)
    ws.fingerprint = cache.fingerprint([*settings, *_records_read(reading), repr(findings).encode()])
    ws.memo = cache.Memo(cached.files, ws.fingerprint, trusted=lambda: not reading.stale)
    ws.memo.settings = cache.fingerprint(settings)  # what every record's checks read besides records
    ws.memo.digests = reading.digests
    ws.memo.reading = reading
    ws.unread = sorted(unread + strays + links + reading.judged, key=lambda f: f.path)  # as _unread: no record loaded
    return ws


def _unread(found: list[Finding], records: list[Record]) -> list[Finding]:
    return sorted(found + [f for f in map(not_a_record, records) if f is not None], key=lambda f: f.path)


def _loaded(cached: cache.RecordCache, reading: cache.Reading) -> list[Record]:
    """The records, from the cache's shards (and any the shards lack, from disk, saved for next time)."""
    results = reading.records_in_order()
    if reading.reread_any:
        cached.save(reading)
    return [r for r in results if isinstance(r, Record)]


def _settings(root: Path, templates: dict) -> list[bytes]:
    """What the workspace's settings were read from, for the cache: the folder, mars.yaml, processes.yaml
    and the templates."""
    return [str(root).encode(), *(_bytes(root / name) for name in (CONFIG_FILE, process.OVERRIDE_FILE)),
            repr(sorted(templates.items())).encode()]


def _records_read(reading: cache.Reading) -> list[bytes]:
    """Each record file's path and content hash, in order."""
    return [rel.encode() + b"\0" + digest for rel, digest in sorted(reading.digests.items())]


def _bytes(path: Path) -> bytes:
    try:
        return b"\1" + path.read_bytes() if not path.is_symlink() else b"\2"
    except OSError:
        return b"\0"


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
