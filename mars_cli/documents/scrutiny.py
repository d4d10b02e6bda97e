"""The Independent Scrutiny Officers' report for a reporting year: what each ISO did, on which record,
how many days it took against the allowance, and what they observed."""

from __future__ import annotations

import datetime as dt

from mars_cli.derive.context import Context
from mars_cli.documents import common
from mars_cli.documents.paper import Paper, Para, Section, Table
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.records import Record


def _entries(ctx: Context, first: dt.date, last: dt.date, iso: str | None):
    """(day, iso, days, activity, record, within framework) of every ISO day logged in the period."""
    for record in ctx.workspace.records:
        if not record.existed_on(ctx.as_of):
            continue
        if record.kind == "iso-activity":
            yield (kinds.main_date(record), record.text("iso"), record.fields.get("days"),
                   record.text("activity") or record.title, record, record.fields.get("within_framework") is not False)
        logged = record.fields.get("iso_days")
        for entry in logged if isinstance(logged, list) else ():
            if isinstance(entry, dict):
                day = entry.get("date") if isinstance(entry.get("date"), dt.date) else kinds.main_date(record)
                yield (day, entry.get("iso"), entry.get("days"), str(entry.get("activity") or ""), record,
                       entry.get("outside_framework") is not True)


def iso_report(ctx: Context, year: str, iso: str | None = None) -> Paper:
    bounds = dates.year_bounds(year, ctx.config.year_start_month)
    if bounds is None:
        raise UsageError(f"'{year}' is not a reporting year", "Write it like 2025-26.")
    if iso is not None and not ctx.config.holds(iso, "iso"):
        raise UsageError(f"'{iso}' is not an Independent Scrutiny Officer in mars.yaml",
                         "Give the id of a person with the iso role, or leave it out for every ISO.")
    rows = _logged(ctx, bounds, iso)
    people = sorted({e[1] for e in rows})
    sections = [
        Section("Days against the allowance", [_allowance(ctx, rows, people)]),
        Section("What the ISOs did", [Table(f"ISO activity, {year}", ("Date", "ISO", "Activity", "Record", "Days",
                                                                      "In the framework"),
                                            tuple((common.uk(d), common.person(ctx, who), what.replace("-", " "),
                                                   r.title, f"{days:g}",
                                                   "yes" if within else "no")
                                                  for d, who, days, what, r, within in rows), numeric=(4,))]
                if rows else [Para("No ISO activity is logged in the year.")]),
        Section("Observations", [], [Section(r.title, [w.prose()]) for r in _activities(ctx, bounds, iso)
                                     if (w := common.section(r, "Observations"))]),
        common.provenance(ctx, sorted({e[4].path: e[4] for e in rows}.values(), key=lambda r: r.path), ctx.today),
    ]
    sources = list({e[4].path: e[4] for e in rows}.values())
    who = common.person(ctx, iso) if iso else "the Independent Scrutiny Officers"
    return Paper(
        kind="iso-report", title=f"Independent scrutiny report {year}", subtitle=who,
        partnership=ctx.config.partnership, as_of=ctx.as_of, sections=sections, sources=sources,
        cover=[("Reporting year", year), ("Independent Scrutiny Officers", ", ".join(common.person(ctx, p)
                                                                                    for p in people) or "none")],
        accent=ctx.config.document_colour, contact=common.contact(ctx),
        name=f"iso-report-{year}{'-' + iso if iso else ''}",
        warnings=[] if rows else [f"no ISO activity is logged in {year}: the paper is empty"],
    )


def _logged(ctx: Context, bounds, iso: str | None) -> list[tuple]:
    """The period's ISO days, one ISO's or all, by date: entries without a date, an ISO or a number of
    days are the check's to report, not the report's to count."""
    def usable(entry) -> bool:
        day, who, days = entry[0], entry[1], entry[2]
        return (bool(day) and bounds[0] <= day <= bounds[1] and isinstance(who, str) and (iso is None or who == iso)
                and isinstance(days, (int, float)) and not isinstance(days, bool))

    return sorted((e for e in _entries(ctx, *bounds, iso) if usable(e)), key=lambda e: (e[0], e[1]))


def _activities(ctx: Context, bounds, iso: str | None) -> list[Record]:
    return sorted((r for r in ctx.workspace.records if r.kind == "iso-activity" and r.existed_on(ctx.as_of)
                   and (d := kinds.main_date(r)) and bounds[0] <= d <= bounds[1]
                   and (iso is None or r.text("iso") == iso)), key=kinds.main_date)


def _allowance(ctx: Context, rows, people: list[str]) -> Table | Para:
    cfg = ctx.config
    spent = {p: sum(e[2] for e in rows if e[1] == p and e[5]) for p in people}
    outside = {p: sum(e[2] for e in rows if e[1] == p and not e[5]) for p in people}
    if cfg.iso_allowance_basis == "pool":
        total = sum(spent.values())
        return Para(f"The ISOs together gave {total:g} days of framework work against a pooled allowance of up to "
                    f"{cfg.iso_allowance_days:g} days ({sum(outside.values()):g} further days outside the framework).")
    table_rows = []
    for person in people:
        allowance = cfg.people[person].iso_days if person in cfg.people and cfg.people[person].iso_days is not None \
            else cfg.iso_allowance_days
        table_rows.append((common.person(ctx, person), f"{spent[person]:g}", f"{allowance:g}", f"{outside[person]:g}"))
    return Table("Framework days against each ISO's allowance", ("ISO", "Days in the framework", "Allowance",
                                                                 "Days outside the framework"),
                 tuple(table_rows), numeric=(1, 2, 3))
