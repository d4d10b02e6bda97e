"""`mars init`: a new workspace, refusing to overwrite an existing one."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from mars_cli import kinds
from mars_cli.errors import Refused, UsageError
from mars_cli.store import git
from mars_cli.store.config import CONFIG_FILE
from mars_cli.store.files import RECORDS_DIR, write_atomic
from mars_cli.store.workspace import TEMPLATES_DIR


@dataclass
class Created:
    root: Path
    git_initialised: bool
    repository: Path | None = None  # the enclosing repository, when git init was not needed


def scaffold(directory: Path) -> Created:
    root = directory.expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file, not a folder", "Give a folder path to create the workspace in.")
    if (root / CONFIG_FILE).exists():
        raise Refused(f"{root} is already a mars workspace ({CONFIG_FILE} exists); nothing was changed",
                      "Edit the existing mars.yaml, or choose another folder.")
    outer = next((p for p in root.parents if (p / CONFIG_FILE).is_file()), None)
    if outer is not None:
        raise Refused(f"{root} is inside the mars workspace at {outer}; nothing was changed",
                      "A workspace inside another would hide its records from it: choose a folder outside it.")
    package = resources.files("mars_cli") / "scaffold"
    root.mkdir(parents=True, exist_ok=True)
    (root / TEMPLATES_DIR).mkdir(exist_ok=True)
    for kind in kinds.registry().values():
        (root / kind.folder).mkdir(parents=True, exist_ok=True)
        keep = root / kind.folder / ".gitkeep"
        if not keep.exists():
            keep.touch()
    readme = root / TEMPLATES_DIR / "README.md"
    if not readme.exists():
        write_atomic(readme, "# Templates\n\nPut `<kind>.md` here to replace a kind's built-in template "
                     "(the Markdown body of a new record). `{title}`, `{label}` and `{agency}` are filled in.\n")
    gitignore = root / ".gitignore"
    if not gitignore.exists():
        write_atomic(gitignore, (package / "gitignore").read_text(encoding="utf-8"))
    write_atomic(root / CONFIG_FILE, (package / "mars.yaml").read_text(encoding="utf-8"), exclusive=True)
    enclosing = git.toplevel(root)
    if enclosing is None:
        git.init(root)
    return Created(root, enclosing is None, enclosing)
