"""Which record a record is linked to by a `same_as` step: an agency event's Section 11 return.

An agency event's "return sent" and "return received" steps and its agency's `section11` record
describe the same return. The event names it in `section11:`; when it does not, the agency's one
return of the event's reporting year is it. What goes wrong (a record of another kind or another
agency named, two returns found) is said by `rules/linked.py`; here it only stops the link.
"""

from __future__ import annotations

from dataclasses import dataclass

from mars_cli.derive.context import Context
from mars_cli.framework import kinds
from mars_cli.model.records import Record

NAMED, FOUND = "named", "found"


@dataclass(frozen=True)
class Link:
    """The record of kind `kind` this record is linked to, and how it was found.

    record    the linked record, or None (nothing to link, or a problem below)
    how       NAMED (in the field), FOUND (by agency and reporting year) or "" (none)
    problem   why nothing is linked although something was named or found: (code, message, hint)
    """

    kind: str
    record: Record | None = None
    how: str = ""
    problem: tuple[str, str, str] | None = None


def reporting_year(ctx: Context, record: Record) -> str:
    """The reporting year a record is for: its `cycle:`, else the year of its main date (an event's
    `date:`, else the day it was created)."""
    return record.text("cycle") or kinds.record_year(record, ctx.config.year_start_month)


def link(ctx: Context, record: Record, kind: str) -> Link:
    """The record of `kind` that `record` names in its field of that name, else the one of the same
    agency and reporting year (records created after the as-of day do not count)."""
    named = record.fields.get(kind)
    if isinstance(named, str) and named:
        return _named(ctx, record, kind, named)
    if named not in (None, ""):
        return Link(kind)  # not text: the field's type check says so
    agency, year = record.text("agency"), reporting_year(ctx, record)
    found = [r for r in ctx.by_kind.get(kind, ()) if r.text("agency") == agency and agency
             and r.existed_on(ctx.as_of) and reporting_year(ctx, r) == year]
    if len(found) == 1:
        return Link(kind, found[0], FOUND)
    if len(found) > 1:
        noun = kinds.get(kind).noun
        ids = ", ".join(sorted(r.id for r in found))
        return Link(kind, None, "", ("link-ambiguous",
                                     f"{_agency_name(ctx, agency)} has {len(found)} {noun} records for {year} ({ids}), so mars cannot "
                                     f"tell which one this {kinds.get(record.kind).noun} uses",
                                     f"Name it: `{kind}: ID` (one of {ids})."))
    return Link(kind)


def _named(ctx: Context, record: Record, kind: str, named: str) -> Link:
    other = ctx.records.get(named)
    if other is None:
        return Link(kind)  # an unknown ID: the reference check says so
    noun, agency = kinds.get(kind).noun, record.text("agency")
    if other.kind != kind:
        return Link(kind, None, "", ("link-wrong-kind", f"{kind}: {named} is {kinds.get(other.kind).a}, not "
                                     f"{kinds.get(kind).a}", f"Name the agency's {noun} (`mars list {kind} "
                                     f"--agency {agency}`)."))
    if other.text("agency") != agency:
        return Link(kind, None, "", ("link-wrong-agency", f"{kind}: {named} is the {noun} of "
                                     f"{_agency_name(ctx, other.text('agency'))}, not of "
                                     f"{_agency_name(ctx, agency)}, the agency of this record",
                                     f"Name {_agency_name(ctx, agency)}'s own {noun} (`mars list {kind} --agency "
                                     f"{agency}`), or leave `{kind}:` empty to use its return of the year."))
    return Link(kind, other, NAMED)


def _agency_name(ctx: Context, agency: str | None) -> str:
    found = ctx.config.agencies.get(agency or "")
    return found.name if found else (agency or "no agency")
