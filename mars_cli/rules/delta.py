"""`check` after a few records changed: only what those changes can reach is worked out again.

Every check leaves a base in the cache, beside its units (rules/units.py): each record's catalog entry
(its ID, its kind and what ties it to other records), the records each thing a check can read holds
(the members of each read), the findings of the checks across records that are not units, and what
the choice of the years and rules to check read. The next check, when the same records are there with
the same IDs and kinds and only a few of them changed:

1. finds the reads the changed records are members of, before and after the change;
2. works out again the units that read any of them (and the changed records' own), over a workspace of
   only the records those units read, never every record; then makes sure that everything they read
   this time was all there (else it gives up);
3. takes every other finding from the cache.

Whenever it cannot be sure it gives up (None), and the whole workspace is checked as before: a record
added, removed or renamed, or whose ID, kind, creation date or case subjects changed; an ID two records
share; a file that cannot be read; a change to what decides the years and rules to check; a plan's
source changed; a unit that reads every record, every kind or every ID; more than a few records changed,
or a large part of the workspace to check again.

What it works out again is kept beside the whole check's units (rules/units.Stored.MORE), not in them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from array import array
from collections.abc import Callable, Iterable

from mars_cli.derive.actions import has_own_actions, plan_folder
from mars_cli.derive.context import ACTIONS, ALL, IDS, ISO_DAYS, KINDS, MEETINGS, SOURCES, UNREADABLE, Context
from mars_cli.derive.lookup import subjects_of
from mars_cli.framework import processes as process
from mars_cli.model import dates
from mars_cli.model.records import Finding, Record, Workspace
from mars_cli.rules.units import SUBJECTS, Remembered, Stored, settings_of
from mars_cli.rules.yearly import yearly_work

MOST_CHANGED = 16  # records changed at once: beyond, the whole workspace is checked
MOST_SHARE = 0.25  # of the records, at most, checked again: beyond, the whole check (shared with a child) is as quick
# The reads a part of the workspace can answer, knowing their members: the collections, and one record, one
# kind or one plan's actions (derive/context.py notes them). Every record, every kind or every ID cannot be
# (a unit reading one is never worked out here: given up); a read not known here changes with anything.
UNCHANGED = frozenset([KINDS, IDS])  # as long as the same records have the same IDs and kinds
FOLLOWED = frozenset([MEETINGS, SOURCES, ACTIONS, ISO_DAYS, SUBJECTS, UNREADABLE])
FOLLOWED_ONE = frozenset(["record", "kind", "plan actions"])

# A record's catalog entry: a tuple (they load fastest), its fields at these places. Records are known by
# their place in the workspace's order (the same files in the same order, or the base is not used).
ID, KIND, FOLDER, SOURCE, CARRIED, HAS_SOURCE, ISO, OWN_ACTIONS, CREATED, NAMES = range(10)  # NAMES: case subjects
PLAN = "plan actions"


def catalog_entry(record: Record) -> tuple:
    """What ties a record to other records' checks, as the reads in derive/context.py find them."""
    created = record.date("created")  # a date-time is none (Record.date): what existed_on and the years go by
    return (record.id, sys.intern(record.kind), sys.intern(plan_folder(record)) if record.kind == "action" else "",
            record.text("source") or "", record.text("carried_forward_from") or "", "source" in record.fields,
            record.kind == "iso-activity" or "iso_days" in record.fields, has_own_actions(record),
            created if created is not None else repr(record.fields.get("created")),  # the record's own date: no copy
            tuple(sorted(subjects_of(record))))


class Catalog:
    """Every record's catalog entry, by place, kept as columns (a list per field): at 100,000 records a tuple
    per record cost 7 MB more, on top of a check's peak."""

    __slots__ = ("columns",)

    def __init__(self, entries: Iterable[tuple] = ()) -> None:
        self.columns: tuple[list, ...] = tuple([] for _ in range(NAMES + 1))
        for entry in entries:
            for column, value in zip(self.columns, entry):
                column.append(value)

    def __len__(self) -> int:
        return len(self.columns[ID])

    def __getitem__(self, at: int) -> tuple:
        return tuple(column[at] for column in self.columns)

    def __setitem__(self, at: int, entry: tuple) -> None:
        for column, value in zip(self.columns, entry):
            column[at] = value

    def __iter__(self):
        return zip(*self.columns)


def normal(read: tuple) -> tuple:
    """A read as the catalog knows it: a plan's actions whatever the day."""
    return read[:2] if read[0] == PLAN else read


def memberships(entry: tuple, plans_by_source: dict[str, list[str]]) -> set[tuple]:
    """The reads (normal) whose records include this one: the same collections rules/units.Hashes hashes,
    and, for a plan's actions, every record that derive/actions reads to find them (its action files, the
    plan itself, its source, and an audit carrying its actions forward). ("record", ID) is left out: the
    IDs say it."""
    record_id, kind = entry[ID], entry[KIND]
    out = {("kind", kind)}
    meeting = kind in set(process.MEETINGS.values())
    out.update(read for read, member in ((MEETINGS, meeting), (SOURCES, entry[HAS_SOURCE]), (ISO_DAYS, entry[ISO]))
               if member)
    sourced = plans_by_source.get(record_id, ())
    container = _container(entry)
    if container or sourced:
        out.add(ACTIONS)
    out.update((PLAN, plan) for plan in (record_id if container else "", entry[FOLDER], entry[CARRIED], *sourced)
               if plan)
    return out


def _container(entry: tuple) -> bool:
    """Whether the record can hold actions as their plan (or audit): an action plan, an audit listing its own,
    or an action file whose plan is missing (it then stands for itself)."""
    return entry[KIND] in ("action", "action-plan") or entry[OWN_ACTIONS]


def _plans_by_source(entries: Iterable[tuple]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for entry in entries:
        if entry[KIND] == "action-plan" and entry[SOURCE]:
            out.setdefault(entry[SOURCE], []).append(entry[ID])
    return out


def _order(paths: list[str]) -> bytes:
    """The record files, in order, as one hash (path by path: one string of them all was 17 MB at 100k)."""
    hashed = hashlib.blake2b(digest_size=16)
    for path in paths:
        hashed.update(path.encode() + b"\0")
    return hashed.digest()


def build(ctx: Context, memo, across: dict) -> dict:
    """The base a later check starts from, made from the whole workspace just checked."""
    records = ctx.workspace.records
    entries = Catalog(map(catalog_entry, records))
    by_source = _plans_by_source(entries)
    members: dict[tuple, array] = {}  # arrays of places: 4 bytes each, not an int object (memory at 100k)
    for at, entry in enumerate(entries):
        for read in memberships(entry, by_source):
            found = members.get(read)
            if found is None:
                found = members[read] = array("i")
            found.append(at)
    return {"key": _key(memo, ctx.as_of, across["year"]), "order": _order([r.path for r in records]),
            "entries": entries, "members": members, "by_source": by_source, "unreadable": ctx._unreadable_ids,
            **across}


def _key(memo, as_of: dt.date, year: str | None) -> tuple:
    return (memo.settings, as_of, year, dates.today())


class _GiveUp(Exception):
    """The change cannot be followed from the base: the whole workspace is checked."""


def check(workspace: Workspace, as_of: dt.date, year: str | None, stored: Stored,
          record_checks: Callable[[Context, list[str]], Callable[[Record], list[Finding]]],
          actions_of: Callable[[Context, str], list[Finding]]) -> list[Finding] | None:
    """Every finding, in the order a whole check gives them before sorting; None when the whole workspace
    must be checked. stored: the units the last check kept, with its base; record_checks(ctx, subjects)
    gives a record's own checks; actions_of(ctx, id) a plan's (or audit's) actions' checks."""
    memo = workspace.memo
    if memo.reading is None or not memo.keeps_results or not memo.trusted():
        return None
    base = stored.base
    if not (isinstance(base, dict) and base.get("key") == _key(memo, as_of, year)):
        return None
    if base["child"] is not None and base["child"] != stored.token:
        return None  # the child's file is another run's
    if stored.changes is not None:  # what checks after a few changes found since the base was made
        _moved_on(base, stored.changes["entries"])
        base["containers"] = [*base["containers"], *stored.changes["containers"]]
    try:
        return _Delta(workspace, as_of, base, stored).run(record_checks, actions_of)
    except _GiveUp:
        return None


class _Delta:
    def __init__(self, workspace: Workspace, as_of: dt.date, base: dict, stored: Stored) -> None:
        self.workspace = workspace
        self.memo = workspace.memo
        self.as_of = as_of
        self.base = base
        self.units = stored.units() if base["child"] is not None else stored.own
        self.stored = stored
        self._ids: dict[str, list[int]] | None = None

    def run(self, record_checks, actions_of) -> list[Finding]:
        now = self._same_records()
        fresh = self._changed(now)
        dirty = self._dirty(fresh)
        containers = list(dict.fromkeys([*self.base["containers"], *self._plans(fresh)]))
        records, plans, years = self._to_redo(now, fresh, dirty, containers)
        wanted = self._wanted(now, fresh, records, plans, years)
        loaded = self.memo.reading.some(now[at] for at in sorted(wanted))
        _give_up_unless(not self.memo.reading.stale and all(isinstance(r, Record) for r in loaded.values()))
        ctx = Context(self._part(list(loaded.values())), self.as_of)
        remembered = Remembered(ctx, self.memo, self.base["subjects"], self.stored)
        checks = record_checks(ctx, self.base["subjects"])
        redone = {rel: remembered.worked_out(lambda record=loaded[rel]: checks(record), self.memo.digests[rel])
                  for rel in (now[at] for at in records)}
        redone.update({("actions", plan): remembered.worked_out(lambda plan=plan: actions_of(ctx, plan))
                       for plan in plans})
        redone.update({key: remembered.worked_out(yearly_work(ctx, key)) for key in years})
        self._all_there(redone.values(), wanted)
        return self._findings(remembered, now, redone, containers, fresh)

    def _same_records(self) -> list[str]:
        """The record files, in the workspace's order: the base's, or given up."""
        now = [rel for rel, result in self.memo.reading.results.items() if not isinstance(result, Finding)]
        _give_up_unless(len(now) == len(self.base["entries"]) and _order(now) == self.base["order"])
        _give_up_unless(Context(self.workspace, self.as_of)._unreadable_ids == self.base["unreadable"])
        return now

    def _changed(self, now: list[str]) -> dict[int, tuple]:
        """The records changed since their units were worked out: their catalog entries now, by place."""
        units, digests = self.units, self.memo.digests
        changed = [at for at, rel in enumerate(now) if (unit := units.get(rel)) is None or unit[0] != digests[rel]]
        _give_up_unless(len(changed) <= MOST_CHANGED)
        return self._entries(changed, self.memo.reading.some(now[at] for at in changed), now)

    def _to_redo(self, now: list[str], fresh: dict[int, tuple], dirty: set[tuple], containers: list[str]):
        """The units to work out again: records' (by place), plans' actions', years' (none that the choice of
        years and rules reads)."""
        _give_up_unless(not dirty & {normal(read) for read in self.base["year_reads"]})
        stale = self._stale_test(settings_of(self.memo, self.as_of), dirty)
        digests = self.memo.digests
        records = [at for at, rel in enumerate(now) if at in fresh or stale(rel, digests[rel])]
        plans = [plan for plan in containers if stale(("actions", plan), b"")]
        years = [key for key in self.base["yearly_keys"] if stale(key, b"")]
        _give_up_unless(len(records) + len(plans) <= max(MOST_SHARE * len(now), MOST_CHANGED))
        return records, plans, years

    def _wanted(self, now: list[str], fresh: dict[int, tuple], records: list[int], plans: list[str],
                years: list[tuple]) -> set[int]:
        """The places of the records the units to work out again read (as they did last time)."""
        keys = [*(now[at] for at in records), *(("actions", plan) for plan in plans), *years]
        reads = {normal(read) for key in keys for read, _ in self.units.get(key, (None, None, ()))[2]}
        reads.update((PLAN, plan) for plan in plans)
        _give_up_unless(all(map(_followed, reads)))
        return set(records).union(fresh, *(self._members(read) for read in reads))

    def _entries(self, changed: list[int], records: dict, now: list[str]) -> dict[int, tuple]:
        """The changed records' catalog entries (by place), as long as only what a base can follow changed."""
        entries = self.base["entries"]
        out = {}
        for at in changed:
            record = records[now[at]]
            _give_up_unless(isinstance(record, Record))
            entry, was = catalog_entry(record), entries[at]
            _give_up_unless(entry[ID] and (entry[ID], entry[KIND], entry[CREATED], entry[NAMES])
                            == (was[ID], was[KIND], was[CREATED], was[NAMES]))
            _give_up_unless(len(self._members(("record", entry[ID]))) == 1)  # no ID another record has
            out[at] = entry
        return out

    def _members(self, read: tuple) -> list[int]:
        """The places of the records a read (normal) covers, as the base knows them."""
        if read[0] != "record":
            return self.base["members"].get(read, ())
        if self._ids is None:
            self._ids = {}
            for at, record_id in enumerate(self.base["entries"].columns[ID]):
                self._ids.setdefault(record_id, []).append(at)
        return self._ids.get(read[1], [])

    def _dirty(self, fresh: dict[int, tuple]) -> set[tuple]:
        """The reads (normal) that the changes reach: every record, and those a changed record is a member
        of, before or after. (A plan whose source changed moves two other records between reads: given up.)"""
        entries, by_source = self.base["entries"], self.base["by_source"]
        _give_up_unless(all(entries[at][SOURCE] == entry[SOURCE] for at, entry in fresh.items()
                            if entry[KIND] == "action-plan"))
        dirty = {ALL}
        for at, entry in fresh.items():
            dirty |= memberships(entries[at], by_source) | memberships(entry, by_source) | {("record", entry[ID])}
        return dirty

    def _stale_test(self, settings: bytes, dirty: set[tuple]):
        """stale(key, own): whether a unit must be worked out again (each read judged once)."""
        units, judged = self.units, {}

        def stale(key, own: bytes) -> bool:
            entry = units.get(key)
            if entry is None or entry[0] != own or entry[1] != settings:
                return True
            for read, _ in entry[2]:
                found = judged.get(read)
                if found is None:
                    seen = normal(read)
                    found = judged[read] = seen in dirty or not (_followed(seen) or seen in UNCHANGED)
                if found:
                    return True
            return False

        return stale

    def _plans(self, fresh: dict[int, tuple]) -> list[str]:
        """The plans (or audits) whose actions a changed record may now be among, or may have let go."""
        entries = self.base["entries"]
        return [plan for at, entry in fresh.items()
                for plan in (entry[ID] if _container(entry) else "", entry[FOLDER], entry[CARRIED], entries[at][CARRIED])
                if plan]

    def _part(self, records: list[Record]) -> Workspace:
        whole = self.workspace
        part = Workspace(root=whole.root, config=whole.config, records=records, findings=whole.findings,
                         templates=whole.templates, processes=whole.processes)
        part.unread = whole.unread
        return part

    def _all_there(self, entries: Iterable[tuple], wanted: set[int]) -> None:
        """Every read of the units worked out again had all its records in the part of the workspace (the
        changed records, members now of whatever they are, are always in it)."""
        for entry in entries:
            for read, _ in entry[2]:
                read = normal(read)
                _give_up_unless(_followed(read) and wanted.issuperset(self._members(read)))

    def _findings(self, remembered: Remembered, now: list[str], redone: dict, containers: list[str],
                  fresh: dict[int, tuple]) -> list[Finding]:
        """Every finding, in a whole check's order; the units and the base kept for the next check."""
        base, units = self.base, self.units
        found = list(self.workspace.findings)
        keep = {}
        for rel in now:
            keep[rel] = entry = redone.get(rel) or units[rel]
            found.extend(entry[3])
        found.extend(base["fixed"])
        for plan in containers:
            keep[("actions", plan)] = entry = redone.get(("actions", plan)) or units[("actions", plan)]
            found.extend(entry[3])
        for key in base["yearly_keys"]:
            keep[key] = entry = redone.get(key) or units[key]
            found.extend(entry[3])
        if not (redone or fresh):
            return found  # nothing changed: nothing to keep
        earlier = self.stored.changes or {"entries": {}, "containers": []}
        added = containers[len(self.base["containers"]):]  # plans found since the base's: at the end
        if not remembered.save_more(redone, {"entries": {**earlier["entries"], **fresh},
                                             "containers": [*earlier["containers"], *added]}):
            remembered.keep = keep
            _moved_on(base, fresh)
            remembered.base = {**base, "containers": containers}
            remembered.save()
        return found


def _moved_on(base: dict, fresh: dict[int, tuple]) -> None:
    """The base (loaded for this run alone: changed in place) with these records' entries as they are now."""
    entries, members, by_source = base["entries"], base["members"], base["by_source"]
    for at, entry in fresh.items():
        before, after = memberships(entries[at], by_source), memberships(entry, by_source)
        for read in before - after:
            members[read].remove(at)
        for read in after - before:
            members.setdefault(read, array("i")).append(at)  # order within a read does not matter
        entries[at] = entry


def _followed(read: tuple) -> bool:
    """Whether a part of the workspace can answer a read (normal), its members known."""
    return read in FOLLOWED or (len(read) == 2 and read[0] in FOLLOWED_ONE)


def _give_up_unless(sure: bool) -> None:
    if not sure:
        raise _GiveUp
