"""Results as text for the terminal: the one findings renderer, records, processes and tables (rich).

JSON, CSV and the feeds are in mars_cli.outputs. What is shown here goes through outputs.escape's
terminal escapers, so nothing in a record can drive the terminal (the rules table, which `mars rules
--format markdown` prints, through its Markdown ones).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from mars_cli.cli import layout
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


SEVERITY_STYLE = {"error": ("red", True), "warning": ("yellow", False)}


def findings_text(findings: list[Finding], width: int | None = None, colour: bool = False) -> str:
    """Each finding, then its hint and the rule it comes from. With a `width` (at a terminal) each is
    wrapped with a hanging indent, its `path:line:` kept whole; with `colour` its severity is coloured."""
    lines = []
    for f in findings:
        first = finding_line(f)
        wrapped = layout.wrap(first, width, "", "    ", keep_first=True) if width else [first]
        if colour:
            _coloured(wrapped, f)
        lines.extend(wrapped)
        for extra in ([f"hint: {f.hint}"] if f.hint else []) + ([f"rule: {f.rule} ({f.source})"] if f.source else []):
            text = terminal_line(extra)
            lines.extend(layout.wrap(text, width, "    ", "          ") if width else [f"    {text}"])
    return "\n".join(lines)


def _coloured(wrapped: list[str], f: Finding) -> None:
    """The severity word of a finding's wrapped first line in its colour (ANSI, for a terminal that takes
    it): after its `path:line:`, or first on the next line when the path filled the first."""
    import typer

    where = f"{f.path}:{f.line}: " if f.path else ""
    if f.severity not in SEVERITY_STYLE:
        return
    places = [(0, len(where))] + ([(1, len(wrapped[1]) - len(wrapped[1].lstrip()))]
                                  if len(wrapped) > 1 and wrapped[0] == where.rstrip() else [])
    for at, start in places:
        if wrapped[at][start:].startswith(f.severity + " ") or wrapped[at][start:] == f.severity:
            fg, bold = SEVERITY_STYLE[f.severity]
            line = wrapped[at]
            wrapped[at] = line[:start] + typer.style(f.severity, fg=fg, bold=bold) + line[start + len(f.severity):]
            return


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


def table(rows: list[dict], columns: list[str], caption: str, known=()) -> None:
    """`mars list`: a table when every column fits the width with no word split (IDs and dates are never
    wrapped), else two lines a record (its ID and facts, then its title; three when the ID and the facts
    do not fit on one line: the facts go on together under the ID)."""
    out = console()
    known = known if out.is_terminal else ()  # piped: IDs whole
    rows = [{**row, "id": shown_id(row["id"], known)} for row in rows]
    whole = {i for i, c in enumerate(columns) if c in ("id", "date")}
    cells = [[c, *(terminal_line(_cell(r.get(c))) for r in rows)] for c in columns]
    sizes = layout.column_widths(cells, out.width, whole)
    if sizes is None:
        for row in rows:
            facts = [terminal_line(_cell(row.get(c))) for c in columns if c != "title" and row.get(c)]
            if len("  ".join(facts)) > out.width and len(facts) > 1:  # its ID alone, then its facts together
                lines = [facts[0], *layout.wrap("  ".join(facts[1:]), out.width, "    ")]
            else:
                lines = layout.wrap("  ".join(facts), out.width, "", "    ")
            _print(out, lines, bold=len(terminal_line(row["id"])))
            _print(out, layout.wrap(terminal_line(_cell(row.get("title"))), out.width, "    "))
        _print(out, layout.wrap(caption, out.width))
        return
    _print_grid(out, cells, sizes, whole, caption=caption)


def _print(out, lines: list[str], bold: int = 0, red: str = "") -> None:
    """Lines laid out already (they fit), printed as they are: the first `bold` characters of the first
    line in bold (-1: every line bold, a heading), and `red` in red where the first line has it. Piped or
    redirected, there is no style to show: the lines are written as they are (rich would take a thousand
    times as long over a workspace's worth of lines)."""
    if not out.is_terminal:
        out.file.write("".join(f"{line}\n" for line in lines))
        return
    from rich.text import Text

    for n, line in enumerate(lines):
        text = Text(line, end="\n")
        if bold == -1 or (bold and n == 0):
            text.stylize("bold", 0, len(line) if bold == -1 else bold)
        if red and n == 0 and red in line:
            start = line.index(red)
            text.stylize("red", start, start + len(red))
        out.print(text, soft_wrap=True)


def _print_grid(out, cells: list[list], sizes: list[int], whole: set[int], caption: str = "", ends=(),
                styles=None, justify=None, title: str = "") -> None:
    """A rich table with the column widths given (layout.column_widths): cells[c][0] is column c's
    header, cells[c][1:] its rows; `ends`: the rows that end a section; `styles`: {(column, row): style}."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(caption=caption or None, caption_justify="left", title=title or None, title_justify="left",
                 title_style="bold")
    for c, size in enumerate(sizes):
        grid.add_column(cells[c][0], width=size, overflow="fold", no_wrap=c in whole,
                        justify=(justify or {}).get(c, "left"))
    for r in range(1, len(cells[0])):
        grid.add_row(*[Text(cells[c][r], style=(styles or {}).get((c, r), "")) for c in range(len(sizes))],
                     end_section=r - 1 in ends)
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
        lines = [f"{indent}{terminal_line(str(key))}:"]
        for sub, item in value.items():
            lines.extend(_field_lines(sub, item, indent + "  "))
        return lines
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        lines = [f"{indent}{terminal_line(str(key))}:"]
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
    return [f"{indent}{terminal_line(str(key))}: {terminal_line(text)}".rstrip()]


PIPED_WIDTH = 100  # piped or redirected output, unless --width or $COLUMNS says otherwise


@dataclass(frozen=True)
class Screen:
    """Where output goes. At a terminal IDs are shortened and text is wrapped to its width; piped or
    redirected, IDs are whole and only tables are laid out (for --width, else $COLUMNS, else 100)."""
    terminal: bool
    width: int
    colour: bool


def screen(stderr: bool = False) -> Screen:
    """The screen now: TTY_COMPATIBLE=1 (rich's own switch) renders as at a terminal, =0 as piped."""
    import os
    import shutil

    from mars_cli.cli.app import State

    stream = sys.stderr if stderr else sys.stdout
    forced = os.environ.get("TTY_COMPATIBLE", "")
    try:
        terminal = forced == "1" or (forced != "0" and stream.isatty())
    except ValueError:  # a closed stream
        terminal = False
    columns = os.environ.get("COLUMNS", "")
    width = State.width or (int(columns) if columns.isdigit() and int(columns) > 0 else None)
    if width is None:
        width = shutil.get_terminal_size((80, 25)).columns if terminal else PIPED_WIDTH
    colour = (terminal and not State.no_color and not os.environ.get("NO_COLOR")
              and os.environ.get("TERM", "").lower() not in ("dumb", "unknown"))
    return Screen(terminal, max(width, 20), colour)


def console(stderr: bool = False):
    """Rich output for the screen now: its width, and colour only at a terminal that takes it."""
    from rich.console import Console

    here = screen(stderr)
    return Console(stderr=stderr, highlight=False, soft_wrap=False, file=sys.stderr if stderr else sys.stdout,
                   width=here.width, height=25, force_terminal=here.terminal, no_color=not here.colour,
                   color_system="auto" if here.colour else None)  # a height: rich asks the terminal on every line without


def _quiet() -> bool:
    from mars_cli.cli.app import State

    return State.quiet


def shown_id(full: str, known) -> str:
    """An ID as a table shows it: short at a terminal (see layout.short_id), whole when piped. `known` is
    every ID (see lookup.known_ids); when it holds none, IDs are shown whole."""
    if not known:
        return full
    return layout.short_id(full, known) if screen().terminal else full


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
        out.append(terminal_line(f"  {rag.upper() if rag == 'red' else rag:<8} {a.status:<11} {a.id}"))
        out.append(f"{' ' * 11}{terminal_line(a.title)}")
        out.append(f"{' ' * 11}owner {terminal_line(str(a.owner or '-'))} · due {format_uk(a.due) or '-'}{moved}{late}{done}")
        if a.updates:
            last = a.updates[-1]
            when = format_uk(last["date"]) if dates.usable(last.get("date")) else ""
            out.append(f"{' ' * 11}latest update {when}: {terminal_line(str(last.get('note', '')))}")
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


def agenda_table(listing, known=()) -> None:
    """`mars overdue` / `mars due` for reading: marking top and bottom, a table with a section per owner
    when it fits the width with no word split, else each owner's items in a few lines each."""
    out = console()
    known = known if out.is_terminal else ()  # piped: IDs whole
    _print(out, [listing.marking], bold=len(listing.marking))
    _print(out, layout.wrap(listing.title(), out.width), bold=-1)
    if not listing.items:
        _print(out, layout.wrap(listing.empty_text(), out.width))
    groups = [(terminal_line(owner.name or "No owner named"), items) for owner, items in listing.by_owner()]
    cells, styles, ends = _agenda_cells(listing, groups, known)
    cells, sizes = _agenda_sizes(cells, out.width) if groups else (cells, None)
    if sizes is not None:
        _print_grid(out, cells, sizes, AGENDA_WHOLE, ends=ends, styles=styles,
                    justify={2: "right"} if listing.what == "overdue" else None)
    else:
        for name, items in groups:
            _agenda_items(out, name, items, known)
    if not _quiet():
        _print(out, layout.wrap(f"{listing.count_said()}. `mars show ID` opens one.", out.width))
    _print(out, [listing.marking], bold=len(listing.marking))


AGENDA_WHOLE = {1, 2, 5}  # Due, Days overdue (or When) and ID are never wrapped


def _agenda_cells(listing, groups, known):
    """The table's columns (header first), the red cells, and the rows that end an owner's section."""
    from mars_cli.outputs.feeds import when

    late_column = "Days overdue" if listing.what == "overdue" else "When"
    cells: list[list[str]] = [["Owner"], ["Due"], [late_column], ["Type"], ["What"], ["ID"]]
    styles, ends = {}, []
    for name, items in groups:
        for n, item in enumerate(items):
            row = [name if n == 0 else "", dates.format_uk(item.due),
                   str(item.days_overdue) if listing.what == "overdue" else when(item), item.type,
                   terminal_line(_what(item)), terminal_line(shown_id(item.id, known))]
            for c, text in enumerate(row):
                cells[c].append(text)
            if item.overdue:
                styles[(2, len(cells[0]) - 1)] = "red"
        ends.append(len(cells[0]) - 2)
    return cells, styles, ends


def _agenda_sizes(cells, width: int):
    """The columns and their widths, a step's name put under its record's ID when that leaves What more
    room; no widths when What would get less than 24 columns (a word or two a line: a list reads better)."""
    sizes = layout.column_widths(cells, width, AGENDA_WHOLE)
    if sizes is None or sizes[4] < 30:
        split = [*cells[:5], [cell.replace(":", "\n:", 1) for cell in cells[5]]]
        sizes_split = layout.column_widths(split, width, AGENDA_WHOLE)
        if sizes_split is not None and (sizes is None or sizes_split[4] > sizes[4]):
            cells, sizes = split, sizes_split
    return (cells, sizes) if sizes is not None and sizes[4] >= 24 else (cells, None)


def _what(item) -> str:
    return item.title if item.type == "action" else f"{item.title} ({item.record_title})"


def _agenda_items(out, owner: str, items, known) -> None:
    """An owner's items on a screen too narrow for the table: when, how late and its ID, then what it is."""
    from mars_cli.outputs.feeds import when

    _print(out, [""])
    _print(out, layout.wrap(owner, out.width, "", "  "), bold=-1)
    for item in items:
        late = when(item)
        _print(out, layout.wrap(f"  {dates.format_uk(item.due)}  {late}  {item.type}  "
                                f"{terminal_line(shown_id(item.id, known))}", out.width, "", "  "),
               red=late if item.overdue else "")
        _print(out, layout.wrap(terminal_line(_what(item)), out.width, "      "))


def dashboard(board, when: str, known=()) -> None:
    """`mars status`: the action plans at a glance."""
    out = console()
    known = known if out.is_terminal else ()  # piped: IDs whole, so no need to know the others
    _print(out, [board.marking], bold=len(board.marking))
    total = board.totals
    head = f"Action plans {when}"
    _print(out, layout.wrap(f"{head}: {total.total} actions, {board.extended} extended, "
                            f"{len(board.completed_late)} completed late; {board.overdue_steps} process step"
                            f"{'s' * (board.overdue_steps != 1)} overdue (`mars overdue`).", out.width),
           bold=len(head))
    rag_words = (f"RAG of open actions: red overdue, amber due within {board.soon_days} days (or no due date), "
                 "green on track.")
    narrow = False
    for title, groups in (("By plan", board.plans), ("By agency", board.agencies)):
        if not _group_grid(out, title, groups, total, rag_words, known):
            narrow = True
            _group_lines(out, title, [*groups, total], total, known)
    if narrow:
        _print(out, layout.wrap(rag_words, out.width))
    _ageing_and_next(out, board, known)
    _print(out, [board.marking], bold=len(board.marking))


def _group_name(title: str, group, total, known, lines: bool) -> str:
    if group is total:
        return "All"
    name = terminal_line(group.name)
    if title != "By plan":
        return name
    plan = terminal_line(shown_id(group.id, known))
    return f"{name} ({plan})" if lines else f"{name}\n{plan}"


def _group_lines(out, title: str, groups, total, known) -> None:
    """Plans (or agencies) on a narrow screen: a line for the name, a line for its counts."""
    from mars_cli.derive.actions import RAG_OPEN, statuses

    _print(out, [""])
    _print(out, [title], bold=-1)
    for group in groups:
        counts = ", ".join(f"{group.statuses.get(s, 0)} {s}" for s in statuses())
        rag = ", ".join(f"{group.rag.get(r, 0)} {r}" for r in RAG_OPEN)
        _print(out, layout.wrap(_group_name(title, group, total, known, True), out.width, "  ", "    "))
        _print(out, layout.wrap(f"{group.total} action{'s' * (group.total != 1)}: {counts}; {rag}", out.width,
                                "      "))


def _group_grid(out, title: str, groups, total, caption: str, known) -> bool:
    """Plans (or agencies) as a table, when it fits: a row each and one for all, a column per status and
    per RAG. False when it does not fit."""
    from mars_cli.derive.actions import RAG_OPEN, statuses

    head = ["Plan" if title == "By plan" else "Agency", "actions", *statuses(), *RAG_OPEN]
    cells = [[h] for h in head]
    for group in [*groups, total]:
        for c, text in enumerate([_group_name(title, group, total, known, False), *group.cells()]):
            cells[c].append(text)
    sizes = layout.column_widths(cells, out.width, set(range(1, len(head))))
    if sizes is None:
        return False
    first = len(statuses()) + 2
    styles = {(c, r): _RAG_STYLE[head[c]] for c in range(first, len(head)) for r in range(1, len(cells[0]))}
    _print_grid(out, cells, sizes, set(range(1, len(head))), caption=caption, ends=[len(groups) - 1] if groups else [],
                styles=styles, justify={c: "right" for c in range(1, len(head))}, title=title)
    return True


def _ageing_and_next(out, board, known) -> None:
    """How long the overdue actions have been overdue, then the next deadlines."""
    from mars_cli.outputs.feeds import when as in_words

    _print(out, [""])
    _print(out, ["Overdue actions, by how long"], bold=-1)
    for band, items in board.ageing.items():
        which = ", ".join(f"{terminal_line(shown_id(i.id, known))} ({i.days_overdue})" for i in items)
        _print(out, layout.wrap(f"  {band} days: {len(items)}" + (f"  {which}" if which else ""), out.width,
                                "", "      "))
    count = len(board.next)
    _print(out, [""])
    _print(out, [f"Next {count} deadline{'s' * (count != 1)}"], bold=-1)
    for item in board.next:
        _print(out, layout.wrap(f"  {dates.format_uk(item.due)}  {in_words(item)}  {item.type}  "
                                f"{terminal_line(shown_id(item.id, known))}", out.width, "", "      "))
        _print(out, layout.wrap(f"{terminal_line(item.title)}  (owner: {terminal_line(item.owner_names or '-')})",
                                out.width, "      "))


_RAG_STYLE = {"red": "red", "amber": "yellow", "green": "green"}
