"""The commands of `mars`, by name, in the order `mars --help` lists them: the module that defines each
and the first line of its help. A command's module is imported when that command runs or its help or
completion is asked for, and not before: `mars --help`, `mars --version` and `mars` alone import none
(nor YAML, nor anything of mars's core), so they start as fast as a bare typer app.

The lines here are the commands' own (`tests/test_registry.py` fails when one differs, or when a command
is missing or extra): a new command is added to its module, then here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from types import ModuleType

import typer.main
from typer.core import TyperCommand, TyperGroup


# Each imports a module of commands (which adds its commands to `app`) and returns it.
def _agenda() -> ModuleType:
    from mars_cli.cli import agenda

    return agenda


def _check() -> ModuleType:
    from mars_cli.cli import check

    return check


def _steps() -> ModuleType:
    from mars_cli.cli import steps

    return steps


def _records() -> ModuleType:
    from mars_cli.cli import records

    return records


def _documents() -> ModuleType:
    from mars_cli.cli import documents

    return documents


def _setup() -> ModuleType:
    from mars_cli.cli import setup

    return setup


def _actions() -> ModuleType:
    from mars_cli.cli import actions

    return actions


# name -> (what imports its module, its help's first sentence as `mars --help` shortens it)
COMMANDS: dict[str, tuple[Callable[[], ModuleType], str]] = {
    "overdue": (_agenda, "List the actions and process steps past their due date, most overdue first."),
    "due": (_agenda, "List the actions and process steps that fall due soon (today included), soonest first."),
    "status": (_agenda, "A dashboard of the action plans: actions by status and RAG, per plan and per agency; how "
                        "long overdue actions have been overdue; the next ten deadlines."),
    "check": (_check, "Report every problem in the workspace at once, each as path:line."),
    "step": (_steps, "Record a step of a record's process as done."),
    "signoff": (_steps, "Record a partner's endorsement or agreement."),
    "rules": (_steps, "List the rules `check` applies: each rule's id, what it asks, and where the framework says "
                      "it."),
    "new": (_records, "Create a record from its template and print the new file's path."),
    "list": (_records, "List records, filtered."),
    "show": (_records, "Show one record: its marking, fields, the timeline of its process (each step's deadline, "
                       "done date and state, each sign-off) and its text."),
    "set": (_records, "Change fields of a record (or an action) without an editor: each value is checked as its "
                      "field, only its line changes, and nothing is written if the record would then have a "
                      "`check` error."),
    "pack": (_documents, "Build the pack for a Board or SPLIG meeting: cover, contents, agenda, its papers, "
                         "action-plan progress with RAG, overdue and extended actions, and where it all came from."),
    "letter": (_documents, "Build the findings letter of an agency-specific assurance event, marked DRAFT until "
                           "the portfolio lead has agreed it (and it has not changed since)."),
    "overview": (_documents, "Build the overview of a thematic, line-of-sight or case line-of-sight event for "
                             "SPLIG, with its action plan and the plan's actions."),
    "highlights": (_documents, "Build the website highlights (\"key highlights and emerging themes\") of a "
                               "thematic or line-of-sight event: public, so refused for case records and "
                               "OFFICIAL-SENSITIVE ones, and for any personal data."),
    "report": (_documents, "Build the yearly report for a reporting year from its annual-report record and the "
                           "year's records: what was done, how effective it was, learning, voice, actions and "
                           "their impact, the ISO's scrutiny and the lead partners' sign-offs."),
    "composite": (_documents, "Build the composite of a year's self-assessments for the Board: returns in and "
                              "missing, ratings by question with a chart, every return against every question "
                              "(self-assessed and moderated side by side), and the returns' actions; with "
                              "--progress, the six-month progress report on those actions."),
    "olir": (_documents, "Build the Overview, Learning and Improvement Record of a MARPF meeting, to copy to every "
                         "agency involved."),
    "marpf-overview": (_documents, "Build the quarterly overview of the MARPF meetings for SPLIG: the meetings "
                                   "held, what was learnt, and the actions agreed."),
    "iso-report": (_documents, "Build the Independent Scrutiny Officers' report for a year: what each did, on "
                               "which record, the days against the allowance, and what they observed."),
    "scan": (_documents, "Look for personal data before anything is published: NHS numbers, dates of birth, full "
                         "postcodes, and the names and references of case records' subjects."),
    "init": (_setup, "Create a workspace: a commented mars.yaml, the folders, a .gitignore, and git."),
    "tidy": (_setup, "Delete the temporary files left by writes that were stopped before they finished (`check` "
                     "reports each as workspace.leftover-temp-file)."),
    "kinds": (_setup, "List the record kinds, one line each; with a KIND, its fields."),
    "doctor": (_setup, "Check that mars can run here: Python, git, pandoc, Typst and the fonts the papers use, "
                       "then the workspace (mars.yaml loads, build/ can be written, it is in git, what is not yet "
                       "committed)."),
    "action": (_actions, "Add an action to a plan, record progress on it, extend its due date."),
}


def build(name: str):
    """The click command `name`, made by typer from what its module added to `app` (only that module is
    imported, only that command built), with the Tab completion of what its parameters name."""
    from mars_cli.cli.app import app
    from mars_cli.cli.complete import attach

    COMMANDS[name][0]()
    built = _from_app(app, name)
    if built is None:
        raise LookupError(f"mars_cli/cli/registry.py lists the command {name!r}, but its module defines none "
                          "by that name: correct its entry in COMMANDS")
    attach(built)
    return built


def _from_app(app: typer.Typer, name: str):
    """What `typer.main.get_command(app)` would make of that one command, with the same settings."""
    settings = {"pretty_exceptions_short": app.pretty_exceptions_short, "rich_markup_mode": app.rich_markup_mode}
    for info in app.registered_commands:
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(info, **settings)
    if hasattr(app, "suggest_commands"):  # a typer that suggests commands: `mars action ad` too
        settings["suggest_commands"] = app.suggest_commands
    for info in app.registered_groups:
        if info.name == name:  # a group of commands (`action`)
            return typer.main.get_group_from_info(info, **settings)
    return None


class Commands(MutableMapping):
    """The commands by name, in the registry's order; each built the first time it is looked up. Its names,
    and whether a name is one, need no command built (`mars chek` is told "Did you mean 'check'?")."""

    def __init__(self) -> None:
        self._built: dict = {}

    def __getitem__(self, name: str):
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = build(name)
        return self._built[name]

    def __setitem__(self, name: str, command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(name not in COMMANDS for name in self._built)


class LazyGroup(TyperGroup):
    """`mars` as a click group whose commands are built on demand (see `Commands`). The commands typer
    hands over, from the modules imported so far, are set aside: every command is built one way, here."""

    def __init__(self, *, commands=None, **settings) -> None:
        super().__init__(commands=Commands(), **settings)

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx, formatter) -> None:
        """The listing of `mars --help`, each line from the registry, shortened as click shortens a help."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            formatter.write_dl([(name, self._short_help(name, limit)) for name in names])

    def _short_help(self, name: str, limit: int) -> str:
        if name in COMMANDS:
            return TyperCommand(name, help=COMMANDS[name][1]).get_short_help_str(limit)
        return self.commands[name].get_short_help_str(limit)  # one added by add_command
