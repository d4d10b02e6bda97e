"""Git: the only module that runs git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from mars_cli.model.errors import UsageError


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    if shutil.which("git") is None:
        raise UsageError("git is not installed", "Install git; mars keeps records in a git repository.")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


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
