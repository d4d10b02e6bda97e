"""What rules look things up in: the config, the records by ID, the date."""

from __future__ import annotations

import bisect
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from mars_cli.framework import processes as process
from mars_cli.framework.kinds import Kind
from mars_cli.model import dates
from mars_cli.model.fields import Vocabulary
from mars_cli.model.records import Config, Record, Standard, Workspace


MEETINGS, SOURCES, ACTIONS, UNREADABLE, KINDS = ("meetings",), ("sources",), ("actions",), ("unreadable",), ("kinds",)
ISO_DAYS = ("iso days",)
IDS = ("ids",)  # every record's ID (what a mistyped reference is matched against), not their content  # the records that can log ISO days: ISO activities, and any record with `iso_days:`


class Reads(dict):
    """Records by ID that note each ID looked up, so that a result worked out from them can say what it
    read (see Context.reading). Looking at all of them at once (iterating) notes them all."""

    def __init__(self, found: dict, noted, what: str = "record", every: tuple = ("all",), *also) -> None:
        super().__init__(found)
        self._noted = noted
        self._what = what  # what a key looked up is noted as: ("record", ID), ("plan actions", ID, day), ("kind", K)
        self._all = every  # what looking at all of them is noted as
        self._also = also  # what else the key's note holds (the day a plan's actions are as of)

    def get(self, key, default=None):
        self._noted((self._what, key, *self._also))
        return super().get(key, default)

    def __getitem__(self, key):
        self._noted((self._what, key, *self._also))
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._noted((self._what, key, *self._also))
        return super().__contains__(key)

    def __iter__(self):
        self._noted(self._all)
        return super().__iter__()

    def keys(self):
        self._noted(self._all)
        return super().keys()

    def values(self):
        self._noted(self._all)
        return super().values()

    def items(self):
        self._noted(self._all)
        return super().items()


ALL = ("all",)  # what a result depends on when it looked at every record


def _noting(tracking: list):
    """Context.noted for a Reads: the same noting, without holding the Context (a Context holding what
    holds it would be freed only by the garbage collector, with every timeline it keeps, walking them)."""

    def noted(*reads) -> None:
        if tracking:
            tracking[-1].update(reads)

    return noted


class _Reading:
    """Context.reading's `with`: a set noting what is read inside, given to the enclosing one after (a class,
    not a generator: it is entered twice for each record a check reads)."""

    __slots__ = ("tracking", "found")

    def __init__(self, tracking: list) -> None:
        self.tracking = tracking
        self.found: set = set()

    def __enter__(self) -> set:
        self.tracking.append(self.found)
        return self.found

    def __exit__(self, *exception) -> None:
        self.tracking.pop()
        if self.tracking:
            self.tracking[-1].update(self.found)  # what a part read, its whole read


@contextmanager
def no_collection_midway() -> Iterator[None]:
    """Python's cyclic garbage collector paused while rules or queries run (restored after, as it was).
    Each collection walks every object alive, the whole workspace as read, and the derived data made
    along the way sets one off again and again: at 10k records about half the rules' time. What they
    make is freed as usual when no longer used; the few cycles wait for the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Context:
    workspace: Workspace
    as_of: dt.date
    # What results being worked out have read from records other than their own (see `reading`):
    # a stack, shared with `latest`, of the sets being filled.
    tracking: list = field(default_factory=list, repr=False)

    @property
    def config(self) -> Config:
        return self.workspace.config

    def reading(self) -> _Reading:
        """Note what is read from other records while inside: each ID looked up (("record", id)), or which
        collection (("meetings",), ("actions",), ("kind", name)...), or every record (ALL)."""
        return _Reading(self.tracking)

    def noted(self, *reads) -> None:
        if self.tracking:
            self.tracking[-1].update(reads)

    @property
    def records(self) -> dict[str, Record]:
        return self._records

    @cached_property
    def _records(self) -> dict[str, Record]:
        return Reads(self.workspace.by_id(), _noting(self.tracking))

    def all_records(self) -> list[Record]:
        self.noted(ALL)
        return self.workspace.records

    def iso_logged(self) -> list[Record]:
        """The records that can log ISO days (ISO activities, records with `iso_days:`), in the workspace's order."""
        self.noted(ISO_DAYS)
        return self._iso_logged

    @cached_property
    def _iso_logged(self) -> list[Record]:
        return [r for r in self.workspace.records if r.kind == "iso-activity" or "iso_days" in r.fields]

    def kinds_in_use(self) -> set[str]:
        self.noted(KINDS)
        return set(self._by_kind)

    def of_kind(self, kind: str) -> list[Record]:
        """The records of one kind, in the workspace's order."""
        self.noted(("kind", kind))
        return self._by_kind.get(kind, [])

    @cached_property
    def _by_kind(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for record in self.workspace.records:
            out.setdefault(record.kind, []).append(record)
        return out

    @property
    def by_kind(self) -> dict[str, list[Record]]:
        """Kind -> its records, in the workspace's order (rules that look at one kind read only those;
        each kind looked up is noted, as of_kind notes it)."""
        return self._kind_reads

    @cached_property
    def _kind_reads(self) -> dict[str, list[Record]]:
        return Reads(self._by_kind, _noting(self.tracking), "kind", KINDS)

    def holders(self, role: str) -> list:
        """config.people_with_role(role), worked out once per role."""
        found = self._holders.get(role)
        if found is None:
            found = self._holders[role] = self.config.people_with_role(role)
        return found

    @cached_property
    def _holders(self) -> dict[str, list]:
        return {}

    @cached_property
    def questions(self) -> dict[int, tuple]:
        """id(a question set's standards) -> (those standards, their questions): derive/ratings fills it."""
        return {}

    @property
    def record_ids(self) -> Vocabulary:
        """The records' IDs, indexed once for suggesting the one a mistyped reference meant (a suggestion
        depends on every ID there is, not on what the records say)."""
        self.noted(IDS)
        return self._record_ids

    @cached_property
    def _record_ids(self) -> Vocabulary:
        return Vocabulary(self.workspace.by_id())

    @cached_property
    def today(self) -> dt.date:
        return dates.today()

    @cached_property
    def latest(self) -> Context:
        """The same workspace as of today, when the as-of day is earlier (else this one): what is
        recorded by now, for judging a written status when looking back."""
        return Context(self.workspace, self.today, self.tracking) if self.as_of < self.today else self

    @cached_property
    def timelines(self) -> dict:
        """Record path -> its timeline, computed once per Context (rules/timeline.timeline fills it)."""
        return {}

    @cached_property
    def timeline_reads(self) -> dict:
        """Record path -> what its timeline read from other records (derive/timeline.timeline fills it)."""
        return {}

    def release(self) -> None:
        """Let go of everything worked out from the records (indexes, timelines), here and in `latest`, once
        the checks are done: worked out again if asked for. (At 100,000 records, tens of MB.)"""
        latest = self.__dict__.get("latest", self)
        for ctx in (self,) if latest is self else (self, latest):
            for name in [n for n in vars(ctx) if n not in ("workspace", "as_of", "tracking")]:
                delattr(ctx, name)

    def forget(self, record: Record) -> None:
        """Let a record's timeline (and what it read) go, here and in `latest`: one nothing asks for again."""
        latest = self.__dict__.get("latest")  # only when it was made (a cached_property)
        for ctx in (self,) if latest is None or latest is self else (self, latest):
            ctx.timelines.pop(record.path, None)
            ctx.timeline_reads.pop(record.path, None)

    @cached_property
    def processes(self) -> process.Processes:
        return self.workspace.processes or process.default()

    @property
    def meetings(self) -> dict[str, list[tuple[dt.date, Record]]]:
        """Board and SPLIG meetings that are not cancelled, by kind, in date order."""
        self.noted(MEETINGS)
        return self._meetings

    @cached_property
    def _meetings(self) -> dict[str, list[tuple[dt.date, Record]]]:
        out: dict[str, list[tuple[dt.date, Record]]] = {kind: [] for kind in process.MEETINGS.values()}
        for record in self.workspace.records:
            day = record.date("date")
            if record.kind in out and day is not None and record.status != "cancelled":
                out[record.kind].append((day, record))
        for listed in out.values():
            listed.sort(key=lambda pair: (pair[0], pair[1].id))
        return out

    @property
    def presented_at(self) -> dict[str, list[tuple[dt.date, Record]]]:
        """Record ID -> the meetings that list it in their papers, in date order."""
        self.noted(MEETINGS)
        return self._presented_at

    @cached_property
    def _presented_at(self) -> dict[str, list[tuple[dt.date, Record]]]:
        out: dict[str, list[tuple[dt.date, Record]]] = {}
        for listed in self._meetings.values():
            for day, meeting in listed:
                papers = meeting.fields.get("papers")
                for paper in papers if isinstance(papers, list) else ():
                    if isinstance(paper, str):
                        out.setdefault(paper, []).append((day, meeting))
        for found in out.values():
            found.sort(key=lambda pair: pair[0])
        return out

    @property
    def sourced_from(self) -> dict[str, list[Record]]:
        """Record ID -> the records (action plans) that name it as their `source`."""
        self.noted(SOURCES)
        return self._sourced_from

    @cached_property
    def _sourced_from(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for record in self.workspace.records:
            source = record.text("source")
            if source:
                out.setdefault(source, []).append(record)
        return out

    @property
    def actions(self) -> list:
        """Every action as it stood on this day (mars_cli.derive.actions.Action), read once."""
        self.noted(ACTIONS)
        return self._actions

    @cached_property
    def _actions(self) -> list:
        from mars_cli.derive import actions

        return actions.actions(self.workspace, self.as_of)

    @property
    def plan_actions(self) -> dict[str, list]:
        """Plan (or audit) ID -> its actions as of this day (each plan looked up is noted on its own)."""
        return self._plan_reads

    @cached_property
    def _plan_reads(self) -> dict[str, list]:
        return Reads(self._plan_actions, _noting(self.tracking), "plan actions", ACTIONS, self.as_of)  # as of this day

    @cached_property
    def _plan_actions(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for action in self._actions:
            out.setdefault(action.container.id, []).append(action)
        return out

    def next_meeting(self, kind: str, ready: dt.date) -> Record | None:
        """The next available meeting for a paper ready on `ready`: the first one (in date order) whose
        papers deadline (its own papers_deadline, else settings.papers_cutoff_days before it) is on or
        after that day. A binary search of the deadlines so far (the first meeting whose deadline is late
        enough is where their running latest first reaches it), not a walk through every meeting."""
        self.noted(MEETINGS)
        latest, meetings = self._deadlines.get(kind, ((), ()))
        at = bisect.bisect_left(latest, ready)
        return meetings[at] if at < len(meetings) else None

    @cached_property
    def _deadlines(self) -> dict[str, tuple[list[dt.date], list[Record]]]:
        """Meeting kind -> (the latest papers deadline of its meetings so far, the meetings), in date order."""
        cutoff = dt.timedelta(days=self.processes.papers_cutoff_days)
        out = {}
        for kind, listed in self._meetings.items():
            latest: list[dt.date] = []
            for day, meeting in listed:
                deadline = meeting.date("papers_deadline") or day - cutoff
                latest.append(max(deadline, latest[-1]) if latest else deadline)
            out[kind] = (latest, [meeting for _, meeting in listed])
        return out

    @property
    def unreadable_ids(self) -> set[str]:
        """IDs (file names) of record files that could not be read (see _unreadable_ids)."""
        self.noted(UNREADABLE)
        return self._unreadable_ids

    @cached_property
    def _unreadable_ids(self) -> set[str]:
        """IDs (file names) of record files that could not be read (the workspace's `unread`): their own
        finding says why, so references to them are not reported again in every file that cites them."""
        ws = self.workspace
        return {f.path.rpartition("/")[2][:-3] for f in [*ws.findings, *ws.unread] if f.path.endswith(".md")}

    def known(self, rtype: str):
        cfg = self.config
        return {"person": cfg.people, "agency": cfg.agencies, "partner": cfg.partners,
                "record": self.records}[rtype]

    def standards_for(self, kind: Kind, record: Record) -> tuple[Standard, ...]:
        """The question set a self-assessment uses: `<set>-<agency type>` if defined, else `<set>`."""
        if not kind.question_set:
            return ()
        agency = self.config.agencies.get(record.text("agency"))
        if agency is not None and f"{kind.question_set}-{agency.type}" in self.config.standards:
            return self.config.standards[f"{kind.question_set}-{agency.type}"]
        return self.config.standards.get(kind.question_set, ())
