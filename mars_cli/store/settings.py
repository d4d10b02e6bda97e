"""The workspace's own settings files: finding the workspace, reading mars.yaml or processes.yaml as
YAML, and the template overrides. What the settings mean is the framework's (framework/config.py)."""

from __future__ import annotations

import os
from pathlib import Path

from mars_cli.model import limits
from mars_cli.model.errors import UsageError
from mars_cli.store import yaml12
from mars_cli.store.files import conflict_line

CONFIG_FILE = "mars.yaml"
TEMPLATES_DIR = "templates"


def find_root(explicit: str | os.PathLike | None = None, cwd: Path | None = None) -> Path:
    """The workspace root: -w, else $MARS_WORKSPACE, else walk up to a folder with mars.yaml."""
    given = explicit or os.environ.get("MARS_WORKSPACE")
    if given:
        root = Path(given).expanduser()
        if root.name == CONFIG_FILE and root.is_file():  # the settings file named instead of its folder
            root = root.parent
        if not (root / CONFIG_FILE).is_file():
            where = "-w/--workspace" if explicit else "MARS_WORKSPACE"
            raise UsageError(f"{root} is not a mars workspace: it has no {CONFIG_FILE} (from {where})",
                             f"Point {where} at the folder holding {CONFIG_FILE}, or run `mars init {root}`.")
        return root.resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise UsageError(f"no mars workspace here: no {CONFIG_FILE} in {here} or any folder above it",
                     "Run the command inside a workspace, pass -w PATH, set MARS_WORKSPACE, or run `mars init`.")


def read_settings_file(path: Path, what: str, fix: str) -> yaml12.Loaded:
    """A workspace settings file (mars.yaml, processes.yaml) as YAML; UsageError (exit 2) when it cannot be
    read at all, since nothing can be checked without it."""
    name = path.name
    if path.is_symlink():  # workspace content must not pull in a file from elsewhere, as records may not
        raise UsageError(f"{name} is a symbolic link, and mars reads only the workspace's own files",
                         f"Replace the link with the file itself (copy its contents into {name}).")
    try:
        if path.stat().st_size > limits.MAX_SETTINGS_CHARS:
            raise UsageError(f"{name} is larger than {limits.size(limits.MAX_SETTINGS_CHARS)} bytes, far more "
                             f"than any settings file", fix)
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{name} is not UTF-8 text", "Re-save it as UTF-8.") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    conflict = conflict_line(text)
    if conflict:
        raise UsageError(f"{name}:{conflict}: {name} has an unresolved merge conflict: git left its markers "
                         "(<<<<<<<, =======, >>>>>>>) from this line",
                         "Keep the right lines between the markers, delete the marker lines, then `git add` it.")
    try:
        return yaml12.load(text)
    except yaml12.TooLarge as exc:
        raise UsageError(f"{name}:{exc.line}: {exc.problem}", exc.hint) from None
    except yaml12.YamlSyntaxError as exc:
        raise UsageError(f"{name}:{exc.line}: {name}{what} is not valid YAML: {exc.describe()}", fix) from None


def template_overrides(root: Path) -> dict[str, str]:
    """The workspace's templates/*.md by kind; a symbolic link is never followed (template_links names it)."""
    folder = root / TEMPLATES_DIR
    if folder.is_symlink() or not folder.is_dir():
        return {}
    return {p.stem: p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.md"))
            if not p.is_symlink() and p.is_file() and p.stem.lower() != "readme"}


def template_links(root: Path) -> list[Path]:
    """Symbolic links in templates/ (or templates/ itself when it is one): not read, so reported."""
    folder = root / TEMPLATES_DIR
    if folder.is_symlink():
        return [folder]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_symlink())
