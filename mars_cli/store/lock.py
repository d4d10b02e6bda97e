"""One writer at a time in a workspace: the only module that uses `filelock`.

A writing command holds an operating-system lock on `.mars/write.lock` from before it reads the
workspace until its write is on disk, so two officers recording at the same moment are served one
after the other and neither's update is lost. The system releases the lock when the process ends,
however it ends (a crash or a kill leaves nothing to clean up). Locks work on local file systems on
Linux, macOS and Windows; on a network share they are only as good as the share's locking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mars_cli.model.errors import Refused

WAIT_SECONDS = 60.0
FOLDER = ".mars"  # mars's own files, never committed (it holds a .gitignore of its own)


@contextmanager
def writing(root: Path, waiting: Callable[[], None], wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the workspace's write lock; `waiting()` is called once if another command holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(_lock_file(root)))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        waiting()
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise Refused(f"another mars command has been writing in this workspace for {wait:.0f} seconds; "
                          "nothing was written",
                          "Run the command again when it has finished. If no mars command is running, "
                          f"a stuck process may hold {FOLDER}/write.lock: end it.") from None
    try:
        yield
    finally:
        lock.release()


def _lock_file(root: Path) -> Path:
    folder = own_folder(root)
    if folder is None:
        raise Refused(f"{FOLDER} in the workspace is not a folder of its own (a link or a file); nothing was written",
                      f"mars keeps its lock there: remove {root / FOLDER} and run the command again.")
    return folder / "write.lock"


def own_folder(root: Path) -> Path | None:
    """The workspace's `.mars/` (the lock, the cache), made with a .gitignore of its own if it is not there;
    None when it is a link or a file, where mars keeps nothing."""
    folder = root / FOLDER
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return None
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# mars's own files: never committed\n*\n", encoding="utf-8")
    return folder
