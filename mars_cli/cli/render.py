"""Results as text for the terminal: the one findings renderer, records, processes and tables (rich).

JSON, CSV and the feeds are in mars_cli.outputs. What is shown here goes through outputs.escape's
terminal escapers, so nothing in a record can drive the terminal (the rules table, which `mars rules
--format markdown` prints, through its Markdown ones).
"""

from __future__ import annotations

import datetime as dt
import sys

from mars_cli.model import dates
from mars_cli.model.records import ERROR, Finding
from mars_cli.outputs.envelope import plain  # noqa: F401  (kept importable from here: tests drive it)
from mars_cli.outputs.escape import (
    markdown_cell,
    markdown_code,
    terminal,
    terminal_line,
)


def finding_line(f: Finding) -> str:
    """`path:line: severity code message`, so editors and CI can jump to it (no path: no file yet)."""
    where = f"{f.path}:{f.line}: " if f.path else ""
    return terminal_line(f"{where}{f.severity} {f.code} {f.message}")


def findings_text(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        lines.append(finding_line(f))
        if f.hint:
            lines.append(terminal_line(f"    hint: {f.hint}"))
        if f.source:
            lines.append(terminal_line(f"    rule: {f.rule} ({f.source})"))
    return "\n".join(lines)


def unread_note(problems: list[Finding], shown: int = 5) -> str:
    """What every command says on stderr when record files could not be read: how many, the first
    few with their first problem, and where to learn the fix. Empty when every file was read."""
    first: dict[str, Finding] = {}
    for f in problems:
        first.setdefault(f.path, f)
    paths = list(first)
    if not paths:
        return ""
    count = len(paths)
    lines = [f"warning: {count} file{'s could' if count != 1 else ' could'} not be read as "
             f"{'records' if count != 1 else 'a record'}, so what follows may be incomplete:"]
    lines += [terminal_line(f"  {p}:{first[p].line}: {first[p].message}") for p in paths[:shown]]
    if count > shown:
        lines.append(f"  ...and {count - shown} more.")
    lines.append("`mars check` lists them all and says how to fix each.")
    return "\n".join(lines)


def summary(findings: list[Finding], files: int) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return f"No problems found in {files} record{'s' if files != 1 else ''}."
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
            f"in {files} record{'s' if files != 1 else ''}.")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


ROW_COLUMNS = ["id", "kind", "title", "status", "date", "agency", "marking", "path"]


def record_row(record, status: str | None = None) -> dict:
    """One record as a row of `mars list` (status: the one its steps give it, when it has a process)."""
    from mars_cli.queries.records import main_date

    day = main_date(record)
    return {"id": record.id, "kind": record.kind, "title": record.title, "status": status or record.status,
            "date": day.isoformat() if day else "", "agency": record.fields.get("agency") or "",
            "marking": record.fields.get("marking") or "", "path": record.path}


def table(rows: list[dict], columns: list[str], caption: str) -> None:
    """A table that stays readable: IDs are never broken; a narrow screen gets two lines a row."""
    from rich.table import Table

    out = console()
    needed = sum(max([len(c), *(len(_cell(r.get(c))) for r in rows)]) + 3 for c in columns)
    if needed > out.width and out.width < 120:
        for row in rows:
            out.print(f"[bold]{_shown(row['id'])}[/]  {_shown(_cell(row.get('status')))}  "
                      f"{_shown(_cell(row.get('date')))}", highlight=False)
            out.print(f"    {terminal_line(_cell(row.get('title')))}", highlight=False, markup=False)
        out.print(caption)
        return
    grid = Table(caption=caption)
    for col in columns:
        grid.add_column(col, overflow="fold", no_wrap=col in ("id", "date", "status"))
    for row in rows:
        grid.add_row(*[_shown(_cell(row.get(c))) for c in columns])
    out.print(grid)


def record_text(record, process: str = "") -> str:
    """A record for reading: marking top and bottom, fields (dates in UK style), its process, then its text."""
    from mars_cli.framework import kinds

    spec = kinds.get(record.kind)
    marking = record.fields.get("marking") if isinstance(record.fields.get("marking"), str) else "UNMARKED"
    out = [marking, terminal_line(record.title), f"{spec.label if spec else record.kind} - {record.status}",
           f"file: {record.path}", ""]
    for key, value in record.fields.items():
        if key not in ("title", "steps", "signoffs"):
            out.extend(_field_lines(key, value, ""))
    if process:
        out.extend(["", process])
    return terminal("\n".join([*out, "", record.body.strip(), "", marking]))


def _field_lines(key, value, indent: str) -> list[str]:
    from mars_cli.model.dates import format_uk

    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for sub, item in value.items():
            lines.extend(_field_lines(sub, item, indent + "  "))
        return lines
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        lines = [f"{indent}{key}:"]
        for item in value:
            entry = [line for sub, v in (item.items() if isinstance(item, dict) else [("", item)])
                     for line in _field_lines(sub, v, indent + "    ")]
            if entry:
                entry[0] = f"{indent}  - {entry[0].lstrip()}"
            lines.extend(entry)
        return lines
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        text = format_uk(value)
    else:
        text = "" if value is None else str(value)
    return [f"{indent}{key}: {text}".rstrip()]


def console(stderr: bool = False):
    """Rich output. Piped or redirected output is not wrapped at 80 columns (like git's)."""
    import os

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 200
    return Console(stderr=stderr, highlight=False, soft_wrap=False, file=stream, width=width)


def timeline_dict(line) -> dict:
    """A record's process as plain data (show --format json)."""
    def day(value):
        return value.isoformat() if value else None

    return {
        "as_of": line.as_of.isoformat(),
        "status": line.status,
        "steps": [{"step": name, "label": s.step.label, "state": s.state, "due": day(s.due), "due_rule": s.step.due.text
                   if s.step.due else None, "done": day(s.done), "late_by_days": s.late_by, "needs": s.unmet,
                   "waiting_for": s.waiting_for or None, "source": s.step.source or None,
                   "date_from": f"{s.linked}:{s.step.same_as[1]}" if s.borrowed else None,
                   "latest": day(s.latest), "latest_for": s.latest_for or None}
                  for name, s in line.steps.items()],
        "approvals": [{"for": name, "what": a.approval.what, "complete": a.complete, "current": a.current,
                       "signoffs": [{"from": n.label, "by": n.signoff.by if n.signoff else None,
                                     "as": n.signoff.role if n.signoff else None,
                                     "date": day(n.signoff.date) if n.signoff else None,
                                     "stale": bool(n.signoff and n.signoff.stale)} for n in a.needs]}
                      for name, a in line.approvals.items()],
    }


def timeline_text(line) -> str:
    """A record's steps and sign-offs for reading: state, deadline, done date, what is missing, the source."""
    out = [f"Process, as of {dates.format_uk(line.as_of)}: status {line.status}"]
    for name, s in line.steps.items():
        out.extend(_step_lines(name, s))
    if line.approvals:
        out.append("Sign-offs:")
    for name, a in line.approvals.items():
        out.extend(_approval_lines(name, a))
    return terminal("\n".join(out))


def _step_lines(name: str, s) -> list[str]:
    """A step: its state and label, then what to know about it, then where the framework says it."""
    out = [f"  {s.state.upper() if s.state == 'overdue' else s.state:<9} {name}: {terminal_line(s.step.label)}"]
    detail = (_done_detail(s) if s.done else _open_detail(s)) + _link_detail(s)
    if detail:
        out.append(" " * 12 + " · ".join(detail))
    if s.step.source:
        out.append(" " * 12 + terminal_line(s.step.source))
    return out


def _done_detail(s) -> list[str]:
    """A done step: when, and when it was due if it was late."""
    if not s.late_by:
        return [f"done {dates.format_uk(s.done)}"]
    done = f"done {dates.format_uk(s.done)}, {s.late_by} day{'s' * (s.late_by != 1)} late"
    return [done, f"due {dates.format_uk(s.due)} ({s.step.due})"] if s.due else [done]


def _link_detail(s) -> list[str]:
    """A `same_as` step: the record whose same step gives its date (or would), or why none does."""
    if s.link_problem:
        return [terminal_line(s.link_problem)]
    if not s.linked or (s.done and not s.borrowed):
        return []
    target = s.step.same_as[1]
    return [f"from {s.linked} (its '{target}' step)" if s.borrowed else f"or when {s.linked} records '{target}'"]


def _open_detail(s) -> list[str]:
    """A step not done: its deadline (or what it waits for), what it needs first, whether it is optional."""
    detail = []
    if s.due:
        detail.append(f"due {dates.format_uk(s.due)} ({s.step.due})")
    elif s.latest:
        detail.append(f"latest {dates.format_uk(s.latest)} (step '{s.latest_for}' needs it by then)")
    elif s.waiting_for:
        detail.append(terminal_line(s.waiting_for))
    if s.unmet:
        detail.append("needs " + "; ".join(s.unmet))
    if s.step.optional:
        detail.append("optional")
    return detail


def _approval_lines(name: str, a) -> list[str]:
    """A sign-off: what it approves, then each signer given or missing (and stale when its text changed)."""
    out = [f"  {name}: {terminal_line(a.approval.what)}" + ("" if a.complete else " (incomplete)")]
    for n in a.needs:
        if n.signoff is None:
            out.append(f"    missing   {n.label}")
        else:
            stale = "  STALE: re-approval needed" if n.signoff.stale else ""
            out.append(f"    given     {n.label}: {terminal_line(str(n.signoff.by))}, "
                       f"{dates.format_uk(n.signoff.date)}{stale}")
    return out


def actions_text(found, day, soon_days: int, one: bool = False) -> str:
    """A plan's (or an audit's) actions, assembled from its folder, for `mars show`; `one`: an action's own."""
    format_uk = dates.format_uk
    plan = found[0].plan if one and found else None
    out = [f"Action of {plan.id} ({plan.title}), as of {format_uk(day)}:" if plan
           else f"Actions, as of {format_uk(day)}: {len(found)}"]
    for a in found:
        rag = a.rag(day, soon_days)
        late = f", {a.days_overdue(day)} days overdue" if a.days_overdue(day) else ""
        moved = f" (was {format_uk(a.original_due)}, extended {len(a.extensions)}x)" if a.extensions else ""
        done = f", completed {format_uk(a.completed)}" if a.completed else ""
        out.append(f"  {rag.upper() if rag == 'red' else rag:<8} {a.status:<11} {a.id}")
        out.append(f"{' ' * 11}{a.title}")
        out.append(f"{' ' * 11}owner {a.owner or '-'} · due {format_uk(a.due) or '-'}{moved}{late}{done}")
        if a.updates:
            last = a.updates[-1]
            when = format_uk(last["date"]) if dates.usable(last.get("date")) else ""
            out.append(f"{' ' * 11}latest update {when}: {last.get('note', '')}")
    return terminal("\n".join(out))


def action_dict(a, day) -> dict:
    return {"id": a.id, "title": a.title, "owner": a.owner, "status": a.status, "due": a.due,
            "original_due": a.original_due, "completed": a.completed, "days_overdue": a.days_overdue(day),
            "extensions": len(a.extensions), "updates": len(a.updates), "path": a.path}


def rules_text(rows) -> str:
    """Each rule on three lines: its id and severity, what it asks, where the framework says it."""
    return "\n".join(f"{terminal_line(r.id)}  [{r.severity}]\n    {terminal_line(r.what)}\n"
                     f"    {terminal_line(r.source)}" for r in rows)


def rules_markdown(rows) -> str:
    """The rules as a Markdown table (what a rule asks is Markdown already: its code spans stay)."""
    lines = ["| rule | what it asks | severity | where it comes from |", "|---|---|---|---|"]
    for r in rows:
        cells = (markdown_code(r.id), r.what, r.severity, r.source)
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def agenda_table(listing) -> None:
    """`mars overdue` / `mars due` at a terminal: marking top and bottom, a table per owner."""
    from rich.table import Table

    from mars_cli.outputs.feeds import when

    out = console()
    out.print(f"[bold]{listing.marking}[/]")
    out.print(f"[bold]{listing.title()}[/]")
    if not listing.items:
        out.print(listing.empty_text())
    groups = listing.by_owner()
    if out.width < 100:  # two lines an item, so nothing is cut
        for owner, items in groups:
            out.print(f"\n[bold]{_shown(owner.name or 'No owner named')}[/]")
            for item in items:
                late = f"[red]{when(item)}[/]" if item.overdue else when(item)
                out.print(f"  {dates.format_uk(item.due)}  {late}  {item.type}  {_shown(item.id)}")
                out.print(f"      {_shown(item.title)}  ({_shown(item.path)}:{item.line})")
    elif groups:
        grid = Table()
        late_column = "Days overdue" if listing.what == "overdue" else "When"
        for name in ("Owner", "Due", late_column, "Type", "What", "ID"):
            grid.add_column(name, overflow="fold", no_wrap=name in ("Due", "ID"),
                            justify="right" if name == "Days overdue" else "left")
        for owner, items in groups:
            for n, item in enumerate(items):
                late = str(item.days_overdue) if listing.what == "overdue" else when(item)
                what = item.title if item.type == "action" else f"{item.title} ({item.record_title})"
                grid.add_row(_shown(owner.name or "No owner named") if n == 0 else "", dates.format_uk(item.due),
                             f"[red]{late}[/]" if item.overdue else late, item.type, _shown(what), _shown(item.id),
                             end_section=n == len(items) - 1)
        out.print(grid)
    count = len(listing.items)
    out.print(f"{count} item{'s' * (count != 1)}. `mars show ID` opens one.")
    out.print(f"[bold]{listing.marking}[/]")


def dashboard(board, when: str) -> None:
    """`mars status`: the action plans at a glance."""
    out = console()
    out.print(f"[bold]{board.marking}[/]")
    total = board.totals
    out.print(f"[bold]Action plans {when}[/]: {total.total} actions, {board.extended} extended, "
              f"{len(board.completed_late)} completed late; {board.overdue_steps} process step"
              f"{'s' * (board.overdue_steps != 1)} overdue (`mars overdue`).")
    rag_words = (f"RAG of open actions: red overdue, amber due within {board.soon_days} days (or no due date), "
                 "green on track.")
    narrow = out.width < 120
    for title, groups in (("By plan", board.plans), ("By agency", board.agencies)):
        if narrow:  # a line a group: nothing is cut
            _group_lines(out, title, [*groups, total], total)
        else:
            out.print(_group_grid(title, groups, total, rag_words))
    if narrow:
        out.print(rag_words)
    _ageing_and_next(out, board)
    out.print(f"[bold]{board.marking}[/]")


def _group_lines(out, title: str, groups, total) -> None:
    """Plans (or agencies) on a narrow screen: a line for the name, a line for its counts."""
    from mars_cli.derive.actions import RAG_OPEN, statuses

    out.print(f"\n[bold]{title}[/]")
    for group in groups:
        name = "All" if group is total else f"{group.name} ({group.id})" if title == "By plan" else group.name
        counts = ", ".join(f"{group.statuses.get(s, 0)} {s}" for s in statuses())
        rag = ", ".join(f"{group.rag.get(r, 0)} {r}" for r in RAG_OPEN)
        out.print(f"  {_shown(name)}")
        out.print(f"      {group.total} action{'s' * (group.total != 1)}: {counts}; {rag}")


def _group_grid(title: str, groups, total, caption: str):
    """Plans (or agencies) as a table: a row each and one for all, a column per status and per RAG."""
    from rich.table import Table

    from mars_cli.derive.actions import RAG_OPEN, statuses

    grid = Table(title=title, title_justify="left", title_style="bold", caption=caption, caption_justify="left")
    grid.add_column("Plan" if title == "By plan" else "Agency", overflow="fold")
    grid.add_column("actions", justify="right")
    for status in statuses():
        grid.add_column(status, justify="right")
    for rag in RAG_OPEN:
        grid.add_column(rag, justify="right", style=_RAG_STYLE[rag])
    for group in [*groups, total]:
        if group is total:
            name = "All"
        else:
            name = f"{_shown(group.name)}\n{_shown(group.id)}" if title == "By plan" else _shown(group.name)
        grid.add_row(name, *group.cells(), end_section=bool(groups) and group is groups[-1])
    return grid


def _ageing_and_next(out, board) -> None:
    """How long the overdue actions have been overdue, then the next deadlines."""
    from mars_cli.outputs.feeds import when as in_words

    out.print("\n[bold]Overdue actions, by how long[/]")
    for band, items in board.ageing.items():
        which = ", ".join(f"{i.id} ({i.days_overdue})" for i in items)
        out.print(f"  {band} days: {len(items)}" + (f"  {_shown(which)}" if which else ""))
    count = len(board.next)
    out.print(f"\n[bold]Next {count} deadline{'s' * (count != 1)}[/]")
    for item in board.next:
        out.print(f"  {dates.format_uk(item.due)}  {in_words(item)}  {item.type}  {_shown(item.id)}")
        out.print(f"      {_shown(item.title)}  (owner: {_shown(item.owner_names or '-')})")


_RAG_STYLE = {"red": "red", "amber": "yellow", "green": "green"}


def _shown(text: str) -> str:
    """Text shown as typed, on its line: no control character, and rich markup in a title not applied."""
    from rich.markup import escape as rich_escape

    return rich_escape(terminal_line(text))
