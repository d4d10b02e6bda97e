"""`mars init`: a new workspace, refusing to overwrite an existing one.

Everything is checked before anything is written, and mars.yaml is written
first (exclusively), so a refused or failed init leaves no half-made workspace.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from mars_cli.framework import kinds
from mars_cli.model.errors import Refused, UsageError
from mars_cli.store import git
from mars_cli.store.files import RECORDS_DIR, write_atomic
from mars_cli.store.settings import CONFIG_FILE, TEMPLATES_DIR

TEMPLATES_README = ("# Templates\n\nPut `<kind>.md` here to replace a kind's built-in template (the Markdown "
                    "body of a new record). `{title}`, `{label}` and `{agency}` are filled in.\n")


@dataclass
class Created:
    root: Path
    git_initialised: bool
    repository: Path | None = None  # the enclosing repository, when git init was not needed


def scaffold(directory: Path) -> Created:
    root = directory.expanduser().absolute()
    _refuse_unless_free(root)
    package = resources.files(__package__) / "new-workspace"
    write_atomic(root / CONFIG_FILE, (package / "mars.yaml").read_text(encoding="utf-8"), exclusive=True)
    try:
        for kind in kinds.registry().values():
            (root / kind.folder).mkdir(parents=True, exist_ok=True)
            (root / kind.folder / ".gitkeep").touch()
        (root / TEMPLATES_DIR).mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {exc.filename}: {exc.strerror}", "Check you may write there.") from None
    if not (root / TEMPLATES_DIR / "README.md").exists():
        write_atomic(root / TEMPLATES_DIR / "README.md", TEMPLATES_README)
    if not (root / ".gitignore").exists():
        write_atomic(root / ".gitignore", (package / "gitignore").read_text(encoding="utf-8"))
    enclosing = git.toplevel(root)
    if enclosing is None:
        git.init(root)
    return Created(root, enclosing is None, enclosing)


def _refuse_unless_free(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file, not a folder", "Give a folder path to create the workspace in.")
    if os.path.lexists(root / CONFIG_FILE):
        raise Refused(f"{root} is already a mars workspace ({CONFIG_FILE} exists); nothing was changed",
                      "Edit the existing mars.yaml, or choose another folder.")
    outer = next((p for p in root.parents if (p / CONFIG_FILE).is_file()), None)
    if outer is not None:
        raise Refused(f"{root} is inside the mars workspace at {outer}; nothing was changed",
                      "A workspace inside another would hide its records from it: choose a folder outside it.")
    for name in (RECORDS_DIR, TEMPLATES_DIR):
        if os.path.lexists(root / name) and not (root / name).is_dir():
            raise UsageError(f"{root / name} is a file, but mars needs a folder of that name; nothing was changed",
                             "Rename or move that file, or choose another folder.")
    existing = next((p for p in root.parents if p.exists()), None) if not root.exists() else root
    if existing is not None and not os.access(existing, os.W_OK):
        raise UsageError(f"you may not write in {existing}; nothing was changed", "Choose a folder of your own.")
