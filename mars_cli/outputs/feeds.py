"""`mars overdue` and `mars due` as text for other tools: JSON, CSV, a Markdown digest, GitHub
workflow annotations and JUnit XML (the iCalendar feed is in calendar.py, the table in cli/render.py);
`mars status` as Markdown.

Each takes a Listing (or the dashboard) and returns the whole text; none reads or writes files.
Text from the records goes through the escaper for the format (escape.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mars_cli.derive.actions import RAG_OPEN, name_of, statuses
from mars_cli.model import dates
from mars_cli.model.records import Config, Finding
from mars_cli.outputs import envelope, escape, spreadsheet
from mars_cli.queries.agenda import Item, Listing

# New columns go at the end, so a spreadsheet or script that reads columns by position keeps working.
CSV_COLUMNS = ["id", "type", "title", "owner", "owner_name", "owner_email", "due", "days_overdue",
               "days_left", "record", "record_title", "status", "agency", "partner", "source_kind", "marking", "path",
               "line", "owners"]


def to_json(listing: Listing) -> str:
    return envelope.to_json(listing.what, as_of=listing.as_of, within_days=listing.within, marking=listing.marking,
                            overdue=listing.overdue_count, items=[i.as_dict() for i in listing.items],
                            problems=[f.as_dict() for f in listing.problems])


def to_csv(listing: Listing) -> str:
    """One row per item; `owners` is everyone it is listed under, their IDs separated by "; "."""
    rows = ({**i.as_dict(), "owners": "; ".join(i.owner_ids)} for i in listing.items)
    return spreadsheet.to_csv(rows, CSV_COLUMNS)


def when(item: Item) -> str:
    """How late, or how soon, in words."""
    if item.days_overdue:
        return f"{item.days_overdue} day{'s' * (item.days_overdue != 1)} overdue"
    if item.days_left == 0:
        return "due today"
    return f"due in {item.days_left} day{'s' * (item.days_left != 1)}"


def describe(item: Item) -> str:
    """One sentence about an item: what, whose, due when, how late."""
    what = (f"Action '{item.title}'" if item.type == "action"
            else f"Step '{item.step}' ({item.title}) of {item.record_title}")
    owner = f", owner{'s' * (len(item.owners) > 1)} {item.owner_names}" if item.owners else ", no owner named"
    return f"{what}{owner}: due {dates.format_uk(item.due)}, {when(item)}"


def unread_banner(problems: list[Finding], shown: int = 5) -> list[str]:
    """The Markdown digests' warning, first thing under the marking, when record files could not be read:
    a reader of the e-mail must not take the list as complete. No lines when every file was read."""
    first: dict[str, Finding] = {}
    for f in problems:
        first.setdefault(f.path, f)
    if not first:
        return []
    count = len(first)
    lines = [f"> **Warning: {count} record file{'s' * (count != 1)} could not be read, so what follows may be "
             "incomplete.**", ">"]
    lines += [f"> - {escape.markdown_code(f'{f.path}:{f.line}')}: {escape.markdown(f.message)}"
              for f in list(first.values())[:shown]]
    if count > shown:
        lines.append(f"> - and {count - shown} more.")
    return [*lines, ">", "> `mars check` lists them all and says how to fix each.", ""]


def to_markdown(listing: Listing) -> str:
    """A digest to paste into an e-mail or Teams: marking top and bottom, grouped by owner."""
    marking = f"**{listing.marking}**"
    lines = [marking, "", *unread_banner(listing.problems), f"## {listing.title()}", ""]
    if not listing.items:
        lines += [listing.empty_text(), ""]
    else:
        actions = sum(i.type == "action" for i in listing.items)
        steps = len(listing.items) - actions
        lines += [f"{actions} action{'s' * (actions != 1)} and {steps} step{'s' * (steps != 1)}, by owner"
                  f"{listing.shared_said()}.", ""]
    for owner, items in listing.by_owner():
        email = f" ({escape.markdown(owner.email)})" if owner.email else ""
        lines += [f"### {escape.markdown(owner.name) or 'No owner named'}{email}", ""]
        lines += [_markdown_item(item) for item in items]
        lines.append("")
    lines += [f"Made by `mars {listing.what}` from the records as of {dates.format_uk(listing.as_of)}.", "",
              marking, ""]
    return "\n".join(lines)


def _markdown_item(item: Item) -> str:
    """One item of the digest: what, due when, how late, and its file as a code span."""
    if item.type == "action":
        what = f"action, {escape.markdown(item.record_title)}"
    else:
        what = f"step {escape.markdown_code(item.step)} of {escape.markdown(item.record_title)}"
    return (f"- **{escape.markdown(item.title)}** ({what}): due {dates.format_uk(item.due)}, **{when(item)}**. "
            f"{escape.markdown_code(f'{item.path}:{item.line}')}")


def _from_root(prefix: str, path: str) -> str:
    """A workspace path as seen from the git repository's root (`prefix`: the workspace's folder there)."""
    return f"{prefix}/{path}" if prefix else path


def dashboard_markdown(board, config: Config) -> str:
    """`mars status` for a committee paper: completed, extended and outstanding actions, ageing, what is next."""
    marking = f"**{board.marking}**"
    total = board.totals
    words = ", ".join(f"{total.statuses.get(s, 0)} {s.replace('-', ' ')}" for s in statuses())
    rag = (f"{total.rag.get('red', 0)} overdue, {total.rag.get('amber', 0)} due within {board.soon_days} days "
           f"or undated, {total.rag.get('green', 0)} on track")
    partnership = config.partnership
    heading = (f"## {escape.markdown(partnership) + ': ' if partnership else ''}action plans as of "
               f"{dates.format_uk(board.as_of)}")
    summary = (f"{total.total} actions: {words}. Of the open ones, {rag}. {board.extended} extended, "
               f"{len(board.completed_late)} completed late; {board.overdue_steps} process steps overdue.")
    lines = [marking, "", *unread_banner(board.problems), heading, "", summary, ""]
    for title, groups in (("By plan", board.plans), ("By agency", board.agencies)):
        lines += _markdown_groups(title, groups, total)
    lines += ["### Overdue actions, by how long", ""]
    for band, items in board.ageing.items():
        which = "; ".join(f"{escape.markdown(i.title)} ({escape.markdown(i.owner_names) or 'no owner'}, "
                          f"{i.days_overdue} days)" for i in items)
        lines.append(f"- **{band} days**: {len(items)}" + (f": {which}" if which else ""))
    lines += ["", "### Extensions", ""]
    lines += [_markdown_extension(action, config) for action in board.extensions] or ["None."]
    lines += ["", "### Completed late", ""]
    lines += [f"- {escape.markdown(action.title)}: due {dates.format_uk(action.due)}, completed "
              f"{dates.format_uk(action.completed)} ({action.completed_late_by()} days late)"
              for action in board.completed_late] or ["None."]
    lines += ["", f"### Next {len(board.next)} deadline{'s' * (len(board.next) != 1)}", ""]
    lines += [f"- {dates.format_uk(item.due)}: {escape.markdown(item.title)} ({item.type}, "
              f"{escape.markdown(item.owner_names) or 'no owner named'})" for item in board.next]
    lines += ["", f"Made by `mars status` from the records as of {dates.format_uk(board.as_of)}.", "", marking, ""]
    return "\n".join(lines)


def _markdown_groups(title: str, groups, total) -> list[str]:
    """A table of counts, a row per plan (or agency) and one for all of them."""
    head = ["actions", *(s.replace("-", " ") for s in statuses()), *RAG_OPEN]
    lines = [f"### {title}", "", "| " + " | ".join([title[3:].capitalize(), *head]) + " |",
             "|---" + "|---:" * len(head) + "|"]
    for group in [*groups, total]:
        name = "**All**" if group is total else escape.markdown(group.name)
        lines.append("| " + " | ".join([name, *group.cells()]) + " |")
    return [*lines, ""]


def _markdown_extension(action, config: Config) -> str:
    """An extended action: its first and its current due date, how many extensions, the latest reason."""
    last = action.extensions[-1]
    who = str(last.get("agreed_by") or "")
    agreed = f", agreed by {escape.markdown(name_of(config, who))}" if who else ""
    reason = str(last.get("reason") or "").strip().rstrip(".")
    return (f"- {escape.markdown(action.title)}: {dates.format_uk(action.original_due)} to "
            f"{dates.format_uk(action.due)} ({len(action.extensions)} extension"
            f"{'s' * (len(action.extensions) != 1)}; latest: {escape.markdown(reason)}{agreed})")


def to_github(listing: Listing, prefix: str = "") -> str:
    """GitHub workflow commands: a warning on the line of each overdue item, a notice for the rest.
    `prefix` is the workspace's folder from the git repository's root ('' when it is the root)."""
    out = [f"::error file={escape.github_property(_from_root(prefix, f.path))},line={f.line},"
           f"title={escape.github_property('mars could not read this record')}::"
           f"{escape.github_data(f'{f.message}. {f.hint}'.strip())}" for f in listing.problems]
    for item in listing.items:
        level = "warning" if item.overdue else "notice"
        title = f"Overdue {item.type} ({when(item)})" if item.overdue else f"{item.type.capitalize()} {when(item)}"
        path = _from_root(prefix, item.path)
        out.append(f"::{level} file={escape.github_property(path)},line={item.line},"
                   f"title={escape.github_property(title)}::{escape.github_data(describe(item) + f' [{item.id}]')}")
    return "".join(line + "\n" for line in out)


def to_junit(listing: Listing, prefix: str = "") -> str:
    """JUnit XML: one test case per item, failed when it is overdue (GitLab and Azure DevOps show them)."""
    failures = sum(i.overdue for i in listing.items) + len(listing.problems)
    name = f"mars {listing.what}"
    tests = str(len(listing.items) + len(listing.problems))
    suites = ET.Element("testsuites", name=name, tests=tests, failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name=f"{name} as of {listing.as_of.isoformat()}",
                          tests=tests, failures=str(failures), errors="0", skipped="0",
                          timestamp=f"{listing.as_of.isoformat()}T00:00:00")
    for f in listing.problems:  # a file not read fails: its record's deadlines are not known
        path = escape.xml_text(_from_root(prefix, f.path))
        case = ET.SubElement(suite, "testcase", classname="unreadable", name=f"{path}: could not be read",
                             file=path, line=str(f.line))
        failure = ET.SubElement(case, "failure", type="unreadable", message=escape.xml_text(f.message))
        failure.text = escape.xml_text(f"{path}:{f.line}: {f.message}\n{f.hint}".strip())
    for item in listing.items:
        case = ET.SubElement(suite, "testcase", classname=escape.xml_text(f"{item.type}s.{item.record}"),
                             name=escape.xml_text(f"{item.id}: {item.title}"),
                             file=escape.xml_text(_from_root(prefix, item.path)), line=str(item.line))
        detail = escape.xml_text(f"{describe(item)}\n{_from_root(prefix, item.path)}:{item.line}")
        if item.overdue:
            failure = ET.SubElement(case, "failure", type="overdue", message=when(item))
            failure.text = detail
        else:
            ET.SubElement(case, "system-out").text = detail
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
