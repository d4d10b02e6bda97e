"""Rules about actions (each action file, and an audit's own actions): late, closed consistently,
extensions that add up. The same Action that `mars overdue` lists is what these read."""

from __future__ import annotations

from collections.abc import Iterator

from mars_cli.derive import actions, timeline
from mars_cli.derive.actions import Action
from mars_cli.derive.context import Context
from mars_cli.model import dates
from mars_cli.model.records import ERROR, WARNING, Finding

SOURCE = "Framework §5: action plans monitored until completion"
ACTION_RULES = {  # id -> (what it asks, where it comes from, severity)
    "action.overdue": ("an open action is complete or dropped, or extended, by its due date", SOURCE, WARNING),
    "action.completion": ("a complete action has a completion date, not after today; only a complete one has one",
                          "mars: the completion date is what shows an action was done on time", WARNING),
    "action.extensions": (("an action's extensions add up: each moves the date on from where the last left it, "
                           "and the last is its due date"),
                          "peers: an extension keeps the original date, the reason and who agreed it", WARNING),
    "action.extension-agreed": (("an extension is agreed by someone `extensions:` in processes.yaml allows: not the "
                                 "owner; by default the SPLIG chair, the portfolio lead or anyone not from the "
                                 "owning agency"),
                                "Framework §5 and §2: action plans monitored until completion, independently of "
                                "the agency that owns them", ERROR),
    "action.same-title": ("no two actions of one plan (or one audit) have the same text: after a merge, one "
                          "may have been added twice", "mars: each action is counted and chased once", WARNING),
}


def _finding(action: Action, line: int, rule: str, message: str, hint: str) -> Finding:
    return Finding(action.path, line, ACTION_RULES[rule][2], rule.split(".", 1)[1], message, hint, rule=rule,
                   source=ACTION_RULES[rule][1])


def _commands(action: Action) -> str:
    if action.index is not None:
        return "Update its status (and `completed:`) in the audit's `actions:` list."
    return (f"Record progress with `mars action update {action.id} --note ... --by PERSON` (with --status complete "
            f"when done); if the date moves, `mars action extend {action.id} --to YYYY-MM-DD --reason ... "
            "--agreed-by PERSON`.")


def check_all_actions(ctx: Context, unit=lambda key, work_out: work_out()) -> list[Finding]:
    """Each plan's (or audit's) actions checked: a unit of their own for each (rules/units.py remembers
    them, with the plan's actions they read), in the order their first action comes by due date."""
    found: list[Finding] = []
    for container_id in ctx._plan_actions:
        found.extend(unit(("actions", container_id), lambda container_id=container_id: list(
            check_actions_of(ctx, container_id))))
    return found


def check_actions_of(ctx: Context, container_id: str) -> Iterator[Finding]:
    """One plan's (or one audit's) actions: each late, closed consistently, extended properly; none twice."""
    day = ctx.as_of
    listed = ctx.plan_actions.get(container_id, [])
    for action in listed:
        late = action.days_overdue(day)
        if late:
            owner = f" (owner {action.owner})" if action.owner else ""
            yield _finding(action, action.line, "action.overdue",
                           f"action '{action.title}'{owner} was due on {dates.format_uk(action.due)}, "
                           f"{late} day{'s' * (late != 1)} ago, and is {action.status}", _commands(action))
        yield from _completion(action, ctx)
        yield from _agreed(action, ctx)
        if action.index is None:
            yield from _extensions(action)
    yield from _same_titles(listed)


def _same_titles(all_actions: list[Action]) -> Iterator[Finding]:
    """Actions of one plan (or one audit's list) with the same text, whatever the spacing and case."""
    groups: dict[tuple, list[Action]] = {}
    for action in all_actions:
        home = action.container.path
        groups.setdefault((home, " ".join(action.title.split()).lower()), []).append(action)
    for (home, title), same in groups.items():
        if not title or len(same) < 2:
            continue
        for action in same:
            others = ", ".join(_name(a) for a in same if a is not action)
            yield _finding(action, action.line_of("title" if action.index is None else "action"), "action.same-title",
                           f"action '{action.title}' has the same text as {others} in {home}",
                           "If it was added twice (two branches merged), delete one of them; if they are different "
                           "actions, say how they differ in their text.")


def _name(action: Action) -> str:
    return action.path if action.index is None else f"action {action.index + 1}"


def _agreed(action: Action, ctx: Context) -> Iterator[Finding]:
    """Each extension agreed by that day was agreed by someone who may (processes.yaml `extensions:`)."""
    for index, entry in enumerate(actions.entries(action.entry.get("extensions"))):
        agreed_by, day = entry.get("agreed_by"), entry.get("date")
        if not isinstance(agreed_by, str) or (timeline.usable(day) and day > ctx.as_of):
            continue
        refusal = actions.extension_refusal(ctx.config, ctx.processes.extensions, action.owner, agreed_by)
        if refusal is not None:
            at = ("extensions", index, "agreed_by")
            line = action.record.line(*at) if action.index is None else action.record.line("actions", action.index, *at)
            yield _finding(action, line, "action.extension-agreed",
                           f"extension {index + 1} of '{action.title}': {refusal[0]}",
                           f"Write in `agreed_by:` who agreed it: {refusal[1]}; if none of them did, it is to be "
                           "agreed again.")


def _completion(action: Action, ctx: Context) -> Iterator[Finding]:
    status, completed = action.entry.get("status"), action.entry.get("completed")
    if status == "complete" and completed in (None, ""):
        yield _finding(action, action.line_of("status"), "action.completion",
                       f"action '{action.title}' is complete but has no completion date",
                       "Add `completed: YYYY-MM-DD`: the day it was done.")
    elif completed not in (None, "") and status != "complete":
        yield _finding(action, action.line_of("completed"), "action.completion",
                       f"action '{action.title}' has a completion date but its status is {status}",
                       "Set `status: complete`, or remove the date if it is not done.")
    elif timeline.usable(completed) and completed > max(ctx.as_of, ctx.today):
        yield _finding(action, action.line_of("completed"), "action.completion",
                       f"action '{action.title}' is completed on {dates.format_uk(completed)}, after today",
                       "Write the day it was done; a plan for later is its `due:` date.")


def _extensions(action: Action) -> Iterator[Finding]:
    """Each extension starts where the last one ended (the first from the original date); the last
    one's new date is the due date."""
    entries = actions.entries(action.record.fields.get("extensions"))
    previous = None
    for index, entry in enumerate(entries):
        start, end = entry.get("from"), entry.get("to")
        if timeline.usable(start) and timeline.usable(end) and end == start:
            yield _finding(action, action.record.line("extensions", index, "to"), "action.extensions",
                           f"extension {index + 1} of '{action.title}' does not move the date "
                           f"({dates.format_uk(start)})", "Correct `to:`, or remove the entry.")
        if previous is not None and timeline.usable(start) and start != previous:
            yield _finding(action, action.record.line("extensions", index, "from"), "action.extensions",
                           f"extension {index + 1} of '{action.title}' starts from {dates.format_uk(start)}, but "
                           f"the one before moved the date to {dates.format_uk(previous)}",
                           "Each extension's `from:` is the date the one before moved it to.")
        previous = end if timeline.usable(end) else None
    due = action.record.date("due")
    if previous is not None and due is not None and due != previous:
        yield _finding(action, action.record.line("due"), "action.extensions",
                       f"'{action.title}' is due on {dates.format_uk(due)}, but its last extension moved it to "
                       f"{dates.format_uk(previous)}",
                       f"Set `due: {previous.isoformat()}`, or record the new date with `mars action extend`.")
