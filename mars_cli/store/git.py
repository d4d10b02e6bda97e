"""Git: the only module that runs git."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mars_cli.model.errors import UsageError


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    if shutil.which("git") is None:
        raise UsageError("git is not installed", "Install git; mars keeps records in a git repository.")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def version() -> str | None:
    """git's own words for its version ("git version 2.43.0"), or None when it will not run."""
    try:
        result = _git("--version", cwd=Path.cwd())
    except (OSError, UsageError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def not_a_repository(path: Path) -> str | None:
    """None when path is inside a git repository git will work in; else why not, in git's words."""
    result = _git("rev-parse", "--show-toplevel", cwd=path)
    if result.returncode == 0:
        return None
    return (result.stderr.strip().splitlines() or ["not a git repository"])[0]


def toplevel(path: Path) -> Path | None:
    """The root of the git repository holding path, or None."""
    if not path.is_dir():
        return None
    result = _git("rev-parse", "--show-toplevel", cwd=path)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def prefix(path: Path) -> str:
    """The folder's path from its git repository's root ('' at the root, outside git, or without git)."""
    if not path.is_dir() or shutil.which("git") is None:
        return ""
    result = _git("rev-parse", "--show-prefix", cwd=path)
    return result.stdout.strip().rstrip("/") if result.returncode == 0 else ""


def init(path: Path) -> None:
    result = _git("init", "--quiet", cwd=path)
    if result.returncode != 0:
        raise UsageError(f"git init failed in {path}: {result.stderr.strip()}")


def head(path: Path) -> str | None:
    """The commit checked out in the repository holding path (None outside git or before a commit)."""
    if not path.is_dir() or shutil.which("git") is None:
        return None
    result = _git("rev-parse", "HEAD", cwd=path)
    return result.stdout.strip() if result.returncode == 0 else None


def changed(path: Path) -> bool:
    """Whether the folder has changes not yet committed (new files included)."""
    if not path.is_dir() or shutil.which("git") is None:
        return False
    result = _git("status", "--porcelain", "--", ".", cwd=path)
    return result.returncode == 0 and bool(result.stdout.strip())


def uncommitted(path: Path) -> list[str] | str:
    """The files below the folder with changes not yet committed (new ones included), as `git status
    --porcelain` lists them; or, when git cannot say, why not in its words."""
    result = _git("status", "--porcelain", "--untracked-files=all", "--", ".", cwd=path)
    if result.returncode != 0:
        return (result.stderr.strip().splitlines() or [f"git status failed ({result.returncode})"])[0]
    return [line[3:] for line in result.stdout.splitlines() if line.strip()]


UNCOMMITTED = "0" * 40  # the commit `git blame` gives a line not yet committed


@dataclass(frozen=True)
class BlameLine:
    """Who last brought one line of a file into its present form: the commit and its author."""

    commit: str
    author: str
    email: str  # the author's e-mail, lower case, without <>


def is_shallow(path: Path) -> bool:
    """Whether the repository holding path is a shallow clone (its history is cut off)."""
    result = _git("rev-parse", "--is-shallow-repository", cwd=path)
    return result.returncode == 0 and result.stdout.strip() == "true"


def blame(root: Path, rel: str) -> dict[int, BlameLine] | None:
    """Each line of the file as it is on disk (1-based) -> the commit that last changed it, with one
    `git blame` call. Lines not yet committed have commit UNCOMMITTED. None when git has no history of
    the file (it was never committed)."""
    result = _git("blame", "--line-porcelain", "--", rel, cwd=root)
    if result.returncode != 0:
        return None
    return _parse_blame(result.stdout)


def _printable(text: str) -> str:
    """History is outside input: no control character of an author's e-mail reaches a message."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _parse_blame(text: str) -> dict[int, BlameLine]:
    """Read `--line-porcelain`: per line, a header `<commit> <line then> <line now> [<n>]`, then
    `key value` rows (author, author-mail...), then the line itself after a tab."""
    lines: dict[int, BlameLine] = {}
    header, commit, final, author, email = True, "", 0, "", ""
    for row in text.splitlines():
        if header:
            parts = row.split()
            commit, final, header = parts[0], int(parts[2]), False
        elif row.startswith("\t"):
            lines[final] = BlameLine(commit, author, email)
            header = True
        elif row.startswith("author "):
            author = row[len("author "):]
        elif row.startswith("author-mail "):
            email = _printable(row[len("author-mail "):].strip().strip("<>").lower())
    return lines


def signature_status(root: Path, commits: list[str]) -> dict[str, str]:
    """Each commit -> git's own verdict on its signature (`%G?`: G good, the only one `git verify-commit`
    accepts; U good but from a key git does not trust; N none; B bad; E cannot be checked, e.g. the key
    is missing; X/Y expired; R revoked key), for all the commits in one call."""
    if not commits:
        return {}
    result = _git("log", "--no-walk=unsorted", "--format=%H %G?", *commits, "--", cwd=root)
    if result.returncode != 0:
        return {}
    pairs = (row.split() for row in result.stdout.splitlines() if row.strip())
    return {p[0]: p[1] for p in pairs if len(p) == 2}
