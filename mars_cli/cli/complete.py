"""Shell completion of what officers type most: record IDs (from the file names under records/), the
people, agencies and partners of mars.yaml, and the kinds. `mars --install-completion` installs it
(bash, zsh, fish, PowerShell); typer runs it. Each parameter is matched once here, by its option name
or else its metavar, so the command modules declare nothing for it."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from functools import partial
from typing import Any

from mars_cli.framework import names
from mars_cli.model.errors import MarsError

EVENTS = ("agency-event", "thematic-event", "line-of-sight", "case-line-of-sight")
MEETINGS = ("board-meeting", "splig-meeting")


def _root(ctx):
    from mars_cli.store.settings import find_root

    try:
        return find_root(ctx.find_root().params.get("workspace") or _workspace_typed_later())
    except (MarsError, OSError):
        return None


def _workspace_typed_later() -> str | None:
    """-w PATH typed after the command (`mars show -w ws ID`), which mars accepts but the parser that
    completion uses stops at: read from the words the shell hands over."""
    line = os.environ.get("_TYPER_COMPLETE_ARGS") or os.environ.get("COMP_WORDS") or ""
    try:
        words = shlex.split(line)
    except ValueError:  # an open quote in the word being typed
        words = line.split()
    for word, after in zip(words, words[1:]):
        if word in ("-w", "--workspace"):
            return after
    return next((w.split("=", 1)[1] for w in words if w.startswith("--workspace=")), None)


def _records(which: str, only_kinds: tuple[str, ...], ctx, param, incomplete: str) -> list[str]:
    root = _root(ctx)
    return names.matching(names.record_ids(root, which, only_kinds), incomplete) if root else []


def _config(sections: tuple[str, ...], ctx, param, incomplete: str) -> list[str]:
    root = _root(ctx)
    found = [i for section in sections for i in names.config_ids(root, section)] if root else []
    return names.matching(found, incomplete)


def _kinds(with_parts: bool, ctx, param, incomplete: str) -> list[str]:
    return names.matching(names.kind_names(with_parts), incomplete)


Completer = Callable[[Any, Any, str], list[str]]
RECORDS = partial(_records, names.RECORDS, ())
PEOPLE = partial(_config, ("people",))
BY_OPTION: dict[str, Completer] = {
    "--agency": partial(_config, ("agencies",)),
    "--partner": partial(_config, ("partners",)),
    "--lead-partner": partial(_config, ("partners",)),
    "--plan": partial(_records, names.PLANS, ()),
    "--source": RECORDS,
    "--kind": partial(_kinds, False),
}
BY_METAVAR: dict[str, Completer] = {
    "ID": RECORDS,
    "PLAN": partial(_records, names.PLANS, ()),
    "ACTION": partial(_records, names.ACTIONS, ()),
    "EVENT": partial(_records, names.RECORDS, EVENTS),
    "MEETING": partial(_records, names.RECORDS, MEETINGS),
    "[MEETING]": partial(_records, names.RECORDS, MEETINGS),
    "MARPF": partial(_records, names.RECORDS, ("marpf",)),
    "KIND": partial(_kinds, False),
    "[KIND]": partial(_kinds, True),
    "PERSON": PEOPLE,
    "WHO": partial(_config, ("people", "agencies")),
}


def completer_for(param) -> Completer | None:
    for option in param.opts:
        if option in BY_OPTION:
            return BY_OPTION[option]
    return BY_METAVAR.get(param.metavar or "")


def attach(command) -> None:
    """Give every parameter of the command tree that names something its completer."""
    for param in command.params:
        found = completer_for(param)
        if found is not None:
            param._custom_shell_complete = found
    for sub in getattr(command, "commands", {}).values():
        attach(sub)
