"""Questions asked of a workspace: finding a record, filtering lists, "today"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import Record, Workspace


@dataclass(frozen=True)
class AsOf:
    """The day date-dependent commands treat as today, and where it came from."""

    day: dt.date
    source: str  # "--as-of", "mars.yaml" or "today"

    def describe(self) -> str:
        where = {"--as-of": "from --as-of", "mars.yaml": "pinned by as_of in mars.yaml"}.get(self.source)
        return f"as of {dates.format_uk(self.day)}" + (f" ({where})" if where else "")


def as_of(ws: Workspace, given: str | None) -> AsOf:
    if given:
        return AsOf(dates.date_value("--as-of", given), "--as-of")
    if ws.config.as_of:
        return AsOf(ws.config.as_of, "mars.yaml")
    return AsOf(dates.today(), "today")


def _list(value) -> list:
    return value if isinstance(value, list) else []


main_date = kinds.main_date
record_year = kinds.record_year


def timeline_of(ws: Workspace, record: Record, day: dt.date):
    """The record's process as of `day` (None when its kind has none)."""
    from mars_cli.derive.context import Context
    from mars_cli.derive.timeline import timeline

    return timeline(Context(ws, day), record)


def timeline_and_actions(ws: Workspace, record: Record, day: dt.date):
    """What `mars show` adds to a record, as of `day`: its process timeline (None when its kind has
    none) and its actions (a plan's, an audit's own, or an action file's own), from one reading."""
    from mars_cli.derive.context import Context
    from mars_cli.derive.timeline import timeline

    ctx = Context(ws, day)
    if record.kind == "action":
        found = [a for a in ctx.actions if a.record is record]
    else:
        found = ctx.plan_actions.get(record.id, [])
    return timeline(ctx, record), found


def statuses(ws: Workspace, day: dt.date) -> dict[str, str]:
    """Record path -> the status its steps give it, for records whose kind has a process."""
    from mars_cli.derive.context import Context
    from mars_cli.derive.timeline import timeline

    ctx = Context(ws, day)
    return {r.path: line.status for r in ws.records if (line := timeline(ctx, r)) is not None}


def select(ws: Workspace, kind: str | None = None, status: str | None = None, year: str | None = None,
           agency: str | None = None, day: dt.date | None = None,
           derived: dict[str, str] | None = None) -> list[Record]:
    """Records matching every filter given, by main date then ID. With `day`, --status filters on the
    status a record's steps give it as of that day."""
    if kind:
        kinds.lookup(kind, parts_too=True)  # a record kind, or "action"
    if status:
        pool = kinds.get(kind).statuses if kind else {s for k in (*kinds.registry().values(), *kinds.parts().values())
                                                       for s in k.statuses}
        if status not in pool:
            raise UsageError(f"--status '{status}' is not a status{' of ' + kinds.get(kind).a if kind else ''}",
                             f"Use one of: {', '.join(sorted(pool) if not kind else pool)}.{did_you_mean(status, pool)}")
    if year and dates.year_bounds(year, ws.config.year_start_month) is None:
        raise UsageError(f"--year '{year}' is not a reporting year", "Write it like 2025-26.")
    if agency and agency not in ws.config.agencies:
        raise UsageError(f"--agency '{agency}' is not an agency in mars.yaml",
                         f"Use an agency id.{did_you_mean(agency, ws.config.agencies)}")
    out = []
    if derived is None:
        derived = statuses(ws, day) if status and day else {}
    for record in ws.records:
        if (kind and record.kind != kind) or (not kind and record.kind in kinds.parts()):
            continue
        if day and not record.existed_on(day):
            continue  # looking back: it did not exist yet
        if status and derived.get(record.path, record.status) != status:
            continue
        if agency and agency != record.text("agency") and agency not in _list(record.fields.get("agencies")):
            continue
        if year and record_year(record, ws.config.year_start_month) != year:
            continue
        out.append(record)
    return sorted(out, key=lambda r: (main_date(r) or dt.date.min, r.id))
