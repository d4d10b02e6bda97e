"""Each record's findings, remembered in the cache between runs: a record's own checks (its fields,
its process, a case subject named in it) are worked out again only when the record changed, or the
settings, or the day, or something they read from another record.

What a record's checks read from other records is noted as they run (derive/context.Context.reading):
the records they looked up by ID, or a whole collection (the meetings, the actions, the records of a
kind, every record). The cache keeps, with the findings, a hash of each thing read as it was; the
findings are taken from the cache only when every one of those hashes is the same today.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from functools import cached_property

from mars_cli.derive.actions import has_own_actions
from mars_cli.derive.context import ACTIONS, ALL, IDS, ISO_DAYS, KINDS, MEETINGS, SOURCES, UNREADABLE, Context
from mars_cli.framework import processes as process
from mars_cli.model import dates
from mars_cli.model.records import Finding, Record

SUBJECTS = ("subjects",)


def _hash(parts: Iterable[bytes]) -> bytes:
    hashed = hashlib.blake2b(digest_size=16)
    for part in parts:
        hashed.update(len(part).to_bytes(4, "little") + part)
    return hashed.digest()


class Hashes:
    """The hash, today, of each thing a record's checks can read from other records."""

    def __init__(self, ctx: Context, digests: dict[str, bytes], subjects: list[str]) -> None:
        self.ctx = ctx
        self.digests = digests  # record path -> its content's hash
        self.subjects = subjects
        self._found: dict[tuple, bytes] = {}

    def of(self, read: tuple) -> bytes:
        found = self._found.get(read)
        if found is None:
            found = self._found[read] = self._work_out(read)
        return found

    def _work_out(self, read: tuple) -> bytes:
        one = {"record": self._record, "kind": self._kind, "plan actions": self._plan}.get(read[0])
        if one is not None:
            return one(*read[1:])
        whole = {KINDS: self._kinds, SUBJECTS: self._subjects, UNREADABLE: self._unreadable,
                 MEETINGS: self._meetings, SOURCES: self._sources, ACTIONS: self._actions,
                 ISO_DAYS: lambda: self._of(self.ctx._iso_logged),
                 IDS: lambda: _hash(i.encode() for i in self._by_id if i)}.get(read)  # IDS in order: suggestions follow it
        return whole() if whole is not None else self._of(self.ctx.workspace.records)  # ALL, and anything else

    def _record(self, record_id: str) -> bytes:
        found = self._by_id.get(record_id, ())
        return _hash(self._keyed(r.path) for r in (found if found.__class__ in (list, tuple) else (found,)))

    def _kind(self, kind: str) -> bytes:
        return self._of(self._by_kind.get(kind, ()))

    def _kinds(self) -> bytes:
        return _hash(sorted(k.encode() for k in self._by_kind))

    def _subjects(self) -> bytes:
        return _hash(s.encode() for s in self.subjects)

    def _unreadable(self) -> bytes:
        return _hash(sorted(i.encode() for i in self.ctx._unreadable_ids))

    def _meetings(self) -> bytes:
        return self._of(r for kind in sorted(set(process.MEETINGS.values())) for r in self._by_kind.get(kind, ()))

    def _sources(self) -> bytes:
        return self._of(r for r in self.ctx.workspace.records if "source" in r.fields)

    def _actions(self) -> bytes:
        sources = {r.fields.get("source") for r in self._by_kind.get("action-plan", ())}
        return self._of(r for r in self.ctx.workspace.records
                        if r.kind in ("action", "action-plan") or has_own_actions(r) or r.id in sources)

    def _plan(self, plan_id: str, day=None) -> bytes:
        """A plan's (or audit's) actions as of `day` (the check's own day, or today's when a status is
        judged by what is recorded by now): which they are, and the files they come from, with the plan's
        source (whose kind an action reports)."""
        ctx = self.ctx if day in (None, self.ctx.as_of) else self.ctx.latest
        if ctx.as_of != (day or ctx.as_of):
            return os.urandom(16)  # a day this check does not work out: never the same as before
        found = ctx._plan_actions.get(plan_id, [])
        source = next((a.container.text("source") for a in found), None) or ""
        return _hash([*(f"{a.id}\0".encode() + self._keyed(a.record.path) + self._keyed(a.container.path)
                        for a in found), self.of(("record", source))])

    def _keyed(self, path: str) -> bytes:
        """A record's path and the hash of its content, as one (made when asked: kept for 100,000 records,
        they took 16 MB)."""
        return path.encode() + b"\0" + self.digests.get(path, b"?")

    @cached_property
    def _by_id(self) -> dict[str, Record | list[Record]]:
        """ID -> its record, or the records when several have it (a list for each ID was 9 MB at 100k)."""
        out: dict[str, Record | list[Record]] = {}
        for record in self.ctx.workspace.records:
            found = out.setdefault(record.id, record)
            if found is not record:
                if found.__class__ is list:
                    found.append(record)
                else:
                    out[record.id] = [found, record]
        return out

    @cached_property
    def _by_kind(self) -> dict[str, list[Record]]:
        return self.ctx._by_kind

    def _of(self, records: Iterable[Record]) -> bytes:
        keyed = self._keyed
        return _hash(keyed(r.path) for r in records)


def settings_of(memo, as_of) -> bytes:
    """What every unit depends on besides records: the settings, the as-of day and today."""
    return memo.settings + as_of.isoformat().encode() + dates.today().isoformat().encode()


class Stored:
    """The units the last checks kept: a whole check's (FILE, with its base), a child's (CHILD_FILE), and
    those that checks after a few changes worked out again since (MORE: small, written instead of FILE)."""

    FILE = "each-record"
    CHILD_FILE = "each-record-child"  # the units a child process worked out (store/parallel.Aside)
    MORE = "each-record-more"
    BASE = ("base",)  # not a unit: the base a check after a few changes starts from (rules/delta.py)
    TOKEN = ("token",)  # not a unit: the run whose child wrote CHILD_FILE
    FILE_TOKEN = ("file",)  # not a unit: which FILE this is (MORE adds to that one alone)
    ON = ("on",)  # not a unit: in MORE, the FILE_TOKEN of the FILE it adds to
    CHANGES = ("changes",)  # not a unit: in MORE, how the base moved on since FILE (rules/delta.py)
    MOST_MORE = 2000  # units in MORE: beyond, FILE is written whole again

    def __init__(self, memo) -> None:
        own, child, more = (memo.files.load(name) for name in (self.FILE, self.CHILD_FILE, self.MORE))
        self.own: dict = dict(own) if isinstance(own, dict) else {}
        self.child: dict = dict(child) if isinstance(child, dict) else {}
        self.base = self.own.pop(self.BASE, None)
        self.file_token = self.own.pop(self.FILE_TOKEN, None)
        self.token = self.child.pop(self.TOKEN, None)
        more = dict(more) if isinstance(more, dict) else {}
        self.changes = None  # since FILE: {"entries": {place: catalog entry}, "containers": [...]}
        self.more: dict = {}
        if self.file_token is not None and more.pop(self.ON, None) == self.file_token:
            self.changes = more.pop(self.CHANGES, None)
            self.more = more
            self.own.update(more)

    def units(self) -> dict:
        return {**self.child, **self.own}


class Remembered:
    """Findings worked out in units (a record's own checks, one yearly rule for one year), each taken from
    the cache where its record (if any), the settings, the day and everything it read are as they were;
    else worked out, noting what it reads. `save()` keeps this run's units for the next."""

    def __init__(self, ctx: Context, memo, subjects: list[str], stored: Stored | None = None) -> None:
        self.ctx = ctx
        self.memo = memo
        self.settings = settings_of(memo, ctx.as_of)
        self.hashes = Hashes(ctx, memo.digests, subjects)
        self.stored = stored or Stored(memo)
        self.before: dict = self.stored.units()
        self.keep: dict = {}
        self.child_kept = False  # a child saved the units it worked out in CHILD_FILE this run
        self.token = os.urandom(8)  # this run's: in the child's file, and in the base that goes with it
        self.base: dict | None = None  # what a check after a few changes starts from (rules/delta.py)
        self._pairs: dict[tuple, tuple[tuple, bytes]] = {}

    def unit(self, key, work_out: Callable[[], list[Finding]], own: bytes = b"") -> list[Finding]:
        entry = self.known(key, own)
        if entry is None:
            entry = self.worked_out(work_out, own)
        self.keep[key] = entry
        return entry[3]

    def worked_all_out(self) -> None:
        """Let go of the hashes of what units read (and the Context's indexes): every unit is known now."""
        self.hashes = Hashes(self.ctx, self.memo.digests, self.hashes.subjects)
        self._pairs.clear()
        self.ctx.release()

    def known(self, key, own: bytes = b""):
        """The unit's entry from the cache when its record (own), the settings and everything it read
        are as they were; else None."""
        entry = self.before.get(key)
        if (entry is not None and entry[0] == own and entry[1] == self.settings
                and all(self.hashes.of(read) == value for read, value in entry[2])):
            return entry
        return None

    def worked_out(self, work_out: Callable[[], list[Finding]], own: bytes = b"") -> tuple:
        """A unit's entry, worked out now: (own, the settings, (what it read, its hash)..., its findings)."""
        with self.ctx.reading() as read:
            found = work_out()
        return (own, self.settings, tuple(self._pair(r) for r in sorted(read, key=repr)), found)

    def _pair(self, read: tuple) -> tuple[tuple, bytes]:
        """(what was read, its hash): one object for each, shared by every unit that read it, so that
        100,000 records' units are kept (and pickled) once per thing read, not once per unit."""
        found = self._pairs.get(read)
        if found is None:
            found = self._pairs[read] = (read, self.hashes.of(read))
        return found

    def save(self) -> None:
        """Keep this run's units for the next: in FILE, with the base when there is one (and which child's
        file goes with it), and, when a child worked some out, in its own."""
        if self.memo.trusted():
            kept = {**self.keep, Stored.FILE_TOKEN: self.token}
            if self.base is not None:
                kept[Stored.BASE] = {**self.base, "child": self.token if self.child_kept else None}
            self.memo.files.save(Stored.FILE, kept)
            self.memo.files.drop(Stored.MORE)
            if not self.child_kept:
                self.memo.files.drop(Stored.CHILD_FILE)

    def save_more(self, units: dict, changes: dict) -> bool:
        """Keep the units a check after a few changes worked out again, and how the base moved on, in MORE
        beside FILE (not FILE again: it is large); False when MORE has grown too large and FILE is due."""
        stored = self.stored
        if stored.file_token is None or len(stored.more) + len(units) > Stored.MOST_MORE:
            return False
        if self.memo.trusted():
            self.memo.files.save(Stored.MORE, {**stored.more, **units, Stored.ON: stored.file_token,
                                               Stored.CHANGES: changes})
        return True

    def save_child(self, entries: dict) -> None:
        """In a child process: keep the units it worked out (so that it sends only their findings)."""
        if self.memo.trusted():
            self.memo.files.tag = f"child{os.getpid()}-"
            self.memo.files.save(Stored.CHILD_FILE, {**entries, Stored.TOKEN: self.token})


__all__ = ["ALL", "Hashes", "Remembered"]
