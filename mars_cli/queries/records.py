"""Questions asked of a workspace: finding a record, filtering lists, "today"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.fields import did_you_mean
from mars_cli.model.records import Record, Workspace
from mars_cli.store.cache import remembered


@dataclass(frozen=True)
class AsOf:
    """The day date-dependent commands treat as today, and where it came from."""

    day: dt.date
    source: str  # "--as-of", "mars.yaml" or "today"

    def describe(self) -> str:
        where = {"--as-of": "from --as-of", "mars.yaml": "pinned by as_of in mars.yaml"}.get(self.source)
        return f"as of {dates.format_uk(self.day)}" + (f" ({where})" if where else "")


def as_of(ws: Workspace, given: str | None, *, strict: bool = True) -> AsOf:
    """The day to treat as today: --as-of, else the day mars.yaml pins, else today. A pinned day that
    is not a date is refused (`strict`), not replaced by today: a paper or a list of what is overdue
    as of the wrong day would look right. `check` passes strict=False, since it reports it anyway."""
    if given:
        return AsOf(dates.date_value("--as-of", given), "--as-of")
    if ws.config.as_of:
        return AsOf(ws.config.as_of, "mars.yaml")
    bad = [f for f in ws.findings if f.code == "bad-date" and f.message.startswith("as_of:")]
    if bad and strict:
        raise UsageError(f"{bad[0].path}:{bad[0].line}: {bad[0].message}; mars will not guess which day to use",
                         f"{bad[0].hint} Or remove the as_of line to use today, or give --as-of YYYY-MM-DD.".strip())
    return AsOf(dates.today(), "today")


def _list(value) -> list:
    return value if isinstance(value, list) else []


main_date = kinds.main_date
record_year = kinds.record_year


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
    from mars_cli.derive.context import Context, no_collection_midway
    from mars_cli.derive.timeline import timeline

    def work_out() -> dict[str, str]:
        ctx = Context(ws, day)
        with no_collection_midway():  # every timeline is worked out
            return {r.path: line.status for r in ws.records if (line := timeline(ctx, r)) is not None}

    return remembered(ws.memo, ("statuses", day), work_out)


def count(ws: Workspace) -> int:
    """How many records the workspace has (remembered: counting them would load them from the cache)."""
    return remembered(ws.memo, ("count",), lambda: len(ws.records))


def select(ws: Workspace, kind: str | None = None, status: str | None = None, year: str | None = None,
           agency: str | None = None, day: dt.date | None = None,
           derived: dict[str, str] | None = None) -> list[Record]:
    """Records matching every filter given, by main date then ID. With `day`, --status filters on the
    status a record's steps give it as of that day."""
    _check_filters(ws, kind, status, year, agency)
    if derived is None:
        derived = statuses(ws, day) if status and day else {}
    tests = _tests(ws, kind, status, year, agency, day, derived)
    found = [record for record in ws.records if all(test(record) for test in tests)]
    return sorted(found, key=lambda r: (main_date(r) or dt.date.min, r.id))


# ----------------------------------------------------------------------------- what was asked for

def _check_filters(ws: Workspace, kind: str | None, status: str | None, year: str | None,
                   agency: str | None) -> None:
    """Each filter given is one the workspace knows, or a UsageError saying what to write instead."""
    if kind:
        kinds.lookup(kind, parts_too=True)  # a record kind, or "action"
    if status:
        _check_status(kind, status)
    if year:
        check_year(ws, year)
    if agency:
        check_agency(ws, agency)


def _check_status(kind: str | None, status: str) -> None:
    if kind:
        named = kinds.get(kind)
        pool, listed, of = named.statuses, named.statuses, f" of {named.a}"
    else:
        pool = {s for k in (*kinds.registry().values(), *kinds.parts().values()) for s in k.statuses}
        listed, of = sorted(pool), ""
    if status not in pool:
        raise UsageError(f"--status '{status}' is not a status{of}",
                         f"Use one of: {', '.join(listed)}.{did_you_mean(status, pool)}")


def check_year(ws: Workspace, year: str) -> None:
    """--year names a reporting year (2025-26; 2025 when the year starts in January)."""
    if dates.year_bounds(year, ws.config.year_start_month) is None:
        raise UsageError(f"--year '{year}' is not a reporting year", "Write it like 2025-26.")


def check_agency(ws: Workspace, agency: str) -> None:
    """--agency names an agency in mars.yaml."""
    if agency not in ws.config.agencies:
        raise UsageError(f"--agency '{agency}' is not an agency in mars.yaml",
                         f"Use an agency id.{did_you_mean(agency, ws.config.agencies)}")


# ----------------------------------------------------------------------------- what a record must match

Test = Callable[[Record], bool]


def _tests(ws: Workspace, kind: str | None, status: str | None, year: str | None, agency: str | None,
           day: dt.date | None, derived: dict[str, str]) -> list[Test]:
    """One test for each filter given (the kind's always: without one, parts are left out)."""
    tests = [partial(_of_kind, kind=kind) if kind else _not_a_part]
    if day:
        tests.append(partial(_existed_on, day=day))  # looking back: leave out what did not exist yet
    if status:
        tests.append(partial(_has_status, status=status, derived=derived))
    if agency:
        tests.append(partial(_names_agency, agency=agency))
    if year:
        tests.append(partial(_in_year, year=year, start_month=ws.config.year_start_month))
    return tests


def _of_kind(record: Record, kind: str) -> bool:
    return record.kind == kind


def _not_a_part(record: Record) -> bool:
    return record.kind not in kinds.parts()


def _existed_on(record: Record, day: dt.date) -> bool:
    return record.existed_on(day)


def _has_status(record: Record, status: str, derived: dict[str, str]) -> bool:
    """Its status as its steps give it (when they do), else as written."""
    return derived.get(record.path, record.status) == status


def _names_agency(record: Record, agency: str) -> bool:
    return agency == record.text("agency") or agency in _list(record.fields.get("agencies"))


def _in_year(record: Record, year: str, start_month: int) -> bool:
    return record_year(record, start_month) == year
