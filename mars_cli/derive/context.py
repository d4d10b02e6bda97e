"""What rules look things up in: the config, the records by ID, the date."""

from __future__ import annotations

import bisect
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from mars_cli.framework import processes as process
from mars_cli.framework.kinds import Kind
from mars_cli.model import dates
from mars_cli.model.fields import Vocabulary
from mars_cli.model.records import Config, Record, Standard, Workspace


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

    @property
    def config(self) -> Config:
        return self.workspace.config

    @cached_property
    def records(self) -> dict[str, Record]:
        return self.workspace.by_id()

    @cached_property
    def by_kind(self) -> dict[str, list[Record]]:
        """Kind -> its records, in the workspace's order (rules that look at one kind read only those)."""
        out: dict[str, list[Record]] = {}
        for record in self.workspace.records:
            out.setdefault(record.kind, []).append(record)
        return out

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

    @cached_property
    def record_ids(self) -> Vocabulary:
        """The records' IDs, indexed once for suggesting the one a mistyped reference meant."""
        return Vocabulary(self.records)

    @cached_property
    def today(self) -> dt.date:
        return dates.today()

    @cached_property
    def latest(self) -> Context:
        """The same workspace as of today, when the as-of day is earlier (else this one): what is
        recorded by now, for judging a written status when looking back."""
        return Context(self.workspace, self.today) if self.as_of < self.today else self

    @cached_property
    def timelines(self) -> dict:
        """Record path -> its timeline, computed once per Context (rules/timeline.timeline fills it)."""
        return {}

    @cached_property
    def processes(self) -> process.Processes:
        return self.workspace.processes or process.default()

    @cached_property
    def meetings(self) -> dict[str, list[tuple[dt.date, Record]]]:
        """Board and SPLIG meetings that are not cancelled, by kind, in date order."""
        out: dict[str, list[tuple[dt.date, Record]]] = {kind: [] for kind in process.MEETINGS.values()}
        for record in self.workspace.records:
            day = record.date("date")
            if record.kind in out and day is not None and record.status != "cancelled":
                out[record.kind].append((day, record))
        for listed in out.values():
            listed.sort(key=lambda pair: (pair[0], pair[1].id))
        return out

    @cached_property
    def presented_at(self) -> dict[str, list[tuple[dt.date, Record]]]:
        """Record ID -> the meetings that list it in their papers, in date order."""
        out: dict[str, list[tuple[dt.date, Record]]] = {}
        for listed in self.meetings.values():
            for day, meeting in listed:
                papers = meeting.fields.get("papers")
                for paper in papers if isinstance(papers, list) else ():
                    if isinstance(paper, str):
                        out.setdefault(paper, []).append((day, meeting))
        for found in out.values():
            found.sort(key=lambda pair: pair[0])
        return out

    @cached_property
    def sourced_from(self) -> dict[str, list[Record]]:
        """Record ID -> the records (action plans) that name it as their `source`."""
        out: dict[str, list[Record]] = {}
        for record in self.workspace.records:
            source = record.text("source")
            if source:
                out.setdefault(source, []).append(record)
        return out

    @cached_property
    def actions(self) -> list:
        """Every action as it stood on this day (mars_cli.derive.actions.Action), read once."""
        from mars_cli.derive import actions

        return actions.actions(self.workspace, self.as_of)

    @cached_property
    def plan_actions(self) -> dict[str, list]:
        """Plan (or audit) ID -> its actions as of this day."""
        out: dict[str, list] = {}
        for action in self.actions:
            out.setdefault(action.container.id, []).append(action)
        return out

    def next_meeting(self, kind: str, ready: dt.date) -> Record | None:
        """The next available meeting for a paper ready on `ready`: the first one (in date order) whose
        papers deadline (its own papers_deadline, else settings.papers_cutoff_days before it) is on or
        after that day. A binary search of the deadlines so far (the first meeting whose deadline is late
        enough is where their running latest first reaches it), not a walk through every meeting."""
        latest, meetings = self._deadlines.get(kind, ((), ()))
        at = bisect.bisect_left(latest, ready)
        return meetings[at] if at < len(meetings) else None

    @cached_property
    def _deadlines(self) -> dict[str, tuple[list[dt.date], list[Record]]]:
        """Meeting kind -> (the latest papers deadline of its meetings so far, the meetings), in date order."""
        cutoff = dt.timedelta(days=self.processes.papers_cutoff_days)
        out = {}
        for kind, listed in self.meetings.items():
            latest: list[dt.date] = []
            for day, meeting in listed:
                deadline = meeting.date("papers_deadline") or day - cutoff
                latest.append(max(deadline, latest[-1]) if latest else deadline)
            out[kind] = (latest, [meeting for _, meeting in listed])
        return out

    @cached_property
    def unreadable_ids(self) -> set[str]:
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
