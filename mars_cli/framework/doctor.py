"""`mars doctor`: whether this machine and this workspace can run mars, as data.

Each check is a function returning one `Checked` (what was looked at, what was found, and how to
fix it), listed once: the machine's (`MACHINE`), then the workspace's (`WORKSPACE`). A failure
(ERROR) stops mars from working; a warning (a workspace outside git, changes not yet committed)
is worth knowing. The checks of the tools that make documents (pandoc, Typst, the fonts) are in
documents/doctor.py, beside the modules that run them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mars_cli.model.errors import MarsError
from mars_cli.model.records import ERROR, WARNING
from mars_cli.store import cache, git, parallel

OK = "ok"
PYTHON_LEAST = (3, 11)  # pyproject.toml's requires-python


@dataclass(frozen=True)
class Checked:
    """One thing `mars doctor` looked at: `state` is OK, WARNING or ERROR; `fix` says what to do."""

    name: str
    state: str
    found: str
    fix: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "state": self.state, "found": self.found, "fix": self.fix}


def check_python() -> Checked:
    version = ".".join(str(n) for n in sys.version_info[:3])
    if sys.version_info[:2] < PYTHON_LEAST:
        return Checked("Python", ERROR, f"Python {version} at {sys.executable}",
                       "Install Python 3.11 or later, then reinstall mars with it.")
    return Checked("Python", OK, f"Python {version} at {sys.executable}")


def check_git() -> Checked:
    found = shutil.which("git")
    if found is None:
        return Checked("git", ERROR, "git is not installed (or not on PATH)",
                       "Install git (https://git-scm.com/downloads); mars keeps records in a git repository.")
    version = git.version()
    if version is None:
        return Checked("git", ERROR, f"{found} does not run", "Reinstall git.")
    return Checked("git", OK, f"{version} at {found}")


def check_config(root: Path) -> Checked:
    from mars_cli.framework.config import load_config

    try:
        _, findings = load_config(root)
    except MarsError as exc:
        return Checked("mars.yaml", ERROR, f"{root / 'mars.yaml'} cannot be read: {exc.message}",
                       exc.hint or "Fix the line named.")
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        first = errors[0]
        return Checked("mars.yaml", ERROR, f"{root / 'mars.yaml'} loads, with {len(errors)} error(s), the first "
                       f"at line {first.line}: {first.message}", "Run `mars check` and fix what it names in mars.yaml.")
    return Checked("mars.yaml", OK, f"{root / 'mars.yaml'} loads")


def check_build_folder(root: Path) -> Checked:
    """Whether papers can be written to build/ (made if it is not there yet)."""
    folder = root / "build"
    try:
        folder.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".mars-doctor-"):
            pass
    except OSError as exc:
        return Checked("build folder", ERROR, f"{folder} cannot be written: {exc.strerror or exc}",
                       f"Make {folder} a folder you can write to (or remove what is in its way), "
                       "or write papers elsewhere with -o.")
    return Checked("build folder", OK, f"{folder} can be written")


def check_processors() -> Checked:
    """Whether a second process shares the work of a first read or check (store/parallel.py): never a
    problem, only worth knowing when timing a first `check`."""
    return Checked("second processor", OK, parallel.state())


def check_cache(root: Path) -> Checked:
    """Whether commands can keep what they worked out in .mars/cache (store/cache.py)."""
    works, found = cache.state(root)
    if works:
        return Checked("cache", OK, found)
    return Checked("cache", WARNING, found + " (commands work, only more slowly)",
                   "Unset MARS_NO_CACHE, and make sure you can write in the workspace and in your own cache "
                   "folder (~/.cache, or $XDG_CACHE_HOME).")


def check_repository(root: Path) -> Checked:
    top = git.toplevel(root) if shutil.which("git") else None
    if top is None:
        return Checked("git repository", WARNING, f"{root} is not in a git repository: nothing keeps its history",
                       f"Run `git init` in {root}, then commit the records (`git add -A && git commit`).")
    return Checked("git repository", OK, f"in the git repository at {top}")


def check_uncommitted(root: Path) -> Checked:
    if not shutil.which("git") or git.toplevel(root) is None:
        return Checked("uncommitted changes", OK, "not in a git repository (see above)")
    changes = git.uncommitted(root)
    if isinstance(changes, str):
        return Checked("uncommitted changes", WARNING, f"git cannot say what is committed: {changes}",
                       "Run `git status` in the workspace and fix what it reports.")
    if changes:
        return Checked("uncommitted changes", WARNING, f"{len(changes)} file(s) with changes not yet committed "
                       f"({', '.join(changes[:3])}{', ...' if len(changes) > 3 else ''})",
                       "See them with `git status`; commit them (`git add -A && git commit -m \"...\"`) "
                       "so they are kept and others see them.")
    return Checked("uncommitted changes", OK, "everything is committed")


MACHINE: tuple[Callable[[], Checked], ...] = (check_python, check_git, check_processors)
WORKSPACE: tuple[Callable[[Path], Checked], ...] = (check_config, check_build_folder, check_cache, check_repository,
                                                    check_uncommitted)


def no_workspace(why: str, hint: str) -> Checked:
    """What to say when there is no workspace to check (a fresh install): a warning, not a failure."""
    return Checked("workspace", WARNING, f"not checked: {why}", hint)


def check_workspace(root: Path) -> list[Checked]:
    return [check(root) for check in WORKSPACE]


def check_machine() -> list[Checked]:
    return [check() for check in MACHINE]


def failed(results: list[Checked]) -> bool:
    return any(r.state == ERROR for r in results)

