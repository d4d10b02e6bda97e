"""The composites of the year's self-assessments: the Section 11 summary of outcomes with the composite
of agency action plans (and its six-month progress report), and the schools and early-years composites.

Built from the returns' ratings (read once, by derive/ratings.py): which returns are in and which are
missing, the ratings by question (a chart and its numbers), every agency against every question with
the self-assessed score and, where moderated, the moderated one beside it, and the returns' actions.
The rating scale is printed with every table, since its meaning differs between partnerships.
"""

from __future__ import annotations

from dataclasses import dataclass

from mars_cli.derive.context import Context
from mars_cli.derive.ratings import Rated, ratings_of
from mars_cli.documents import common
from mars_cli.documents.paper import Chart, Paper, Para, Section, Table
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.errors import UsageError
from mars_cli.model.records import Record


@dataclass(frozen=True)
class Composite:
    kind: str  # the record kind of the returns
    title: str
    report: str  # the standing report's name in processes.yaml
    expected: str  # who is expected to return one


COMPOSITES = {
    "section11": Composite("section11", "Section 11 summary of outcomes and composite of agency action plans",
                           "section11-summary", "every agency with a Section 11 duty"),
    "schools": Composite("schools-audit", "Composite of the schools, colleges and alternative provision audits",
                         "schools-composite", "the settings audited"),
    "early-years": Composite("early-years-audit", "Composite of the early years audits", "early-years-composite",
                             "the providers audited"),
}


def composite(ctx: Context, which: str, year: str, progress: bool = False) -> Paper:
    spec = COMPOSITES[which]
    if dates.year_bounds(year, ctx.config.year_start_month) is None:
        raise UsageError(f"'{year}' is not a reporting year", "Write it like 2025-26.")
    returns = _returns(ctx, spec, year)
    rated = {r.id: ratings_of(ctx, r) for r in returns}
    actions = [a for r in returns for a in ctx.plan_actions.get(r.id, [])]
    scale = ", ".join(str(s) for s in ctx.config.rating_scale)
    sections = [
        Section("Returns", _returns_blocks(ctx, spec, returns, year)),
        Section("Ratings by question", _by_question(ctx, returns, rated, scale)),
        Section("Each return against each question", _matrix(ctx, returns, rated, scale)),
        Section("Progress on the actions" if progress else "Composite of the action plans",
                [_actions(ctx, returns, progress)] if actions else [Para("The returns list no actions.")]),
        common.provenance(ctx, returns, ctx.today),
    ]
    title = f"{'Six-month progress: ' if progress else ''}{spec.title}, {year}"
    return Paper(
        kind=f"{which}-composite", title=title, subtitle=f"Reporting year {year}",
        partnership=ctx.config.partnership, as_of=ctx.as_of, sections=sections,
        sources=[*returns, *(a.record for a in actions)],
        cover=[("For", "Children's MARS Board"), ("Reporting year", year), ("Returns", str(len(returns))),
               ("Rating scale, worst first", scale)],
        accent=ctx.config.document_colour, contact=common.contact(ctx),
        name=f"{which}-composite-{year}{'-progress' if progress else ''}",
        warnings=[] if returns else [f"no {kinds.get(spec.kind).noun} is recorded for {year}: the paper is empty"],
    )


def _returns(ctx: Context, spec: Composite, year: str) -> list[Record]:
    start = ctx.config.year_start_month
    found = [r for r in ctx.workspace.records if r.kind == spec.kind and r.existed_on(ctx.as_of)
             and (r.text("cycle") or kinds.record_year(r, start)) == year]
    return sorted(found, key=lambda r: (common.agency(ctx, r.text("agency")), r.id))


def _returns_blocks(ctx: Context, spec: Composite, returns: list[Record], year: str) -> list:
    rows = tuple((common.agency(ctx, r.text("agency")), common.uk(r.date("returned")) or "not yet",
                  r.text("kcsie_edition") or "", r.status) for r in returns)
    header = ("Agency", "Returned", "KCSIE edition", "Status") if spec.kind == "schools-audit" else \
        ("Agency", "Returned", "Status")
    rows = rows if spec.kind == "schools-audit" else tuple((a, b, d) for a, b, _, d in rows)
    back = sum(bool(r.date("returned") and r.date("returned") <= ctx.as_of) for r in returns)
    blocks = [Para(f"{back} of the {len(returns)} returns issued for {year} are back, as at {common.uk(ctx.as_of)}; "
                   f"returns are expected from {spec.expected}."),
              Table(f"Returns for {year}", header, rows)]
    missing = _missing(ctx, spec, returns)
    if missing:
        blocks.append(Para(f"{', '.join(missing)}.", "Returns missing:"))
    return blocks


def _missing(ctx: Context, spec: Composite, returns: list[Record]) -> list[str]:
    if spec.kind != "section11":
        return []
    have = {r.text("agency") for r in returns}
    return [a.name for a in ctx.config.agencies.values() if a.section11 and a.id not in have]


def _questions(rated: dict[str, list[Rated]]) -> list[tuple[str, str]]:
    """(question id, title) in question-set order, across every return."""
    seen: dict[str, str] = {}
    for answers in rated.values():
        for r in answers:
            seen.setdefault(r.question, r.item_title or r.standard_title)
    return list(seen.items())


def _by_question(ctx: Context, returns: list[Record], rated: dict[str, list[Rated]], scale: str) -> list:
    questions = _questions(rated)
    if not questions:
        return [Para("No return has ratings yet.")]
    levels = tuple(str(s) for s in reversed(ctx.config.rating_scale))  # best first reads better in a bar

    def count(question: str, level: str) -> int:
        return sum(str(r.self_assessed) == level for answers in rated.values() for r in answers if r.question == question)

    chart = Chart("Self-assessed ratings by question", tuple(f"{i}. {title}" for i, (_, title) in enumerate(questions, 1)),
                  tuple((level, tuple(count(q, level) for q, _ in questions)) for level in levels),
                  unit="Returns", label="Question")
    return [Para(f"Rating scale, worst first: {scale}. Self-assessed scores; the next section shows moderated "
                 "scores beside them where the MARS team moderated a return."), chart]


def _matrix(ctx: Context, returns: list[Record], rated: dict[str, list[Rated]], scale: str) -> list:
    questions = _questions(rated)
    if not questions or not returns:
        return [Para("No return has ratings yet.")]
    key = Table("The questions", ("No.", "Question"), tuple((str(i), title) for i, (_, title) in enumerate(questions, 1)),
                numeric=(0,))
    moderated = any(r.moderated is not None for answers in rated.values() for r in answers)
    then = ", then the moderated one after a slash where the return was moderated" if moderated else ""
    note = Para(f"Each cell is the self-assessed score{then}. Rating scale, worst first: {scale}.", "Key:")
    rows = []
    for record in returns:
        by_question = {r.question: r for r in rated[record.id]}
        rows.append((common.agency(ctx, record.text("agency")),
                     *(_cell(by_question.get(q)) for q, _ in questions)))
    matrix = Table("Every return against every question", ("Agency", *(str(i) for i in range(1, len(questions) + 1))),
                   tuple(rows))
    return [note, key, matrix]


def _cell(rated: Rated | None) -> str:
    if rated is None or rated.self_assessed is None:
        return "-"
    if rated.moderated is not None and rated.moderated != rated.self_assessed:
        return f"{rated.self_assessed} / {rated.moderated}"
    return str(rated.self_assessed)


def _actions(ctx: Context, returns: list[Record], progress: bool) -> Table:
    rows = []
    for record in returns:
        for action in ctx.plan_actions.get(record.id, []):
            late = action.days_overdue(ctx.as_of)
            state = f"{action.status}, {late} days overdue" if late else action.status
            latest = str(action.updates[-1].get("note") or "") if progress and action.updates else ""
            rows.append((common.agency(ctx, record.text("agency")), action.title, common.uk(action.due), state,
                         *((latest,) if progress else ())))
    header = ("Agency", "Action", "Due", "Status", *(("Latest progress",) if progress else ()))
    return Table("The returns' actions", header, tuple(rows))
