"""Files on disk: reading records' front matter and bodies, and atomic writes.

Every file that looks like a record is either read or reported: an empty file,
binary bytes, non-UTF-8 text, missing or unclosed front matter and bad YAML
each become a Finding with the file and line, never an exception.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mars_cli.model import limits
from mars_cli.model.errors import Refused
from mars_cli.model.records import ERROR, WARNING, Finding, Record, Source
from mars_cli.store import yaml12

RECORDS_DIR = "records"
_FENCE = "---"


def read_record(root: Path, path: Path) -> Record | Finding:
    """Read one record file. Returns the Record, or the Finding that stops it being read."""
    rel = relpath(root, path)
    try:
        status = path.lstat()  # one look at the file, the link itself if it is one
    except (FileNotFoundError, NotADirectoryError):
        status = None
    except OSError as exc:
        return _unreadable(rel, exc)
    if status is not None and stat.S_ISLNK(status.st_mode):
        if not path.exists():
            return Finding(rel, 1, ERROR, "broken-link", "this is a link to a file that does not exist",
                           "Delete the link, or point it at the record it should show.")
        return symlink_finding(rel)
    if status is None or not stat.S_ISREG(status.st_mode):
        return Finding(rel, 1, ERROR, "not-a-file", "this is not an ordinary file (a pipe, device or folder)",
                       "Remove it from records/: only Markdown files belong there.")
    if status.st_size > limits.MAX_FILE_BYTES:
        return Finding(rel, 1, ERROR, "too-large", f"the file is larger than {limits.size(limits.MAX_FILE_BYTES)} "
                       "bytes, far more than any record", "Keep attachments outside records/; a record is text.")
    try:
        raw = read_no_follow(path)
    except OSError as exc:
        return _unreadable(rel, exc)
    return parse_record(rel, raw)


def _unreadable(rel: str, exc: OSError) -> Finding:
    return Finding(rel, 1, ERROR, "unreadable", f"cannot read the file: {exc.strerror}",
                   "Check the file's permissions (ls -l) and that the disk is available.")


def symlink_finding(rel: str) -> Finding:
    """A symbolic link where mars reads workspace content: never followed, so it cannot lead outside."""
    return Finding(rel, 1, ERROR, "symlink", "this is a symbolic link; mars does not follow links in records/ or "
                   "templates/, so what it points to is not read",
                   "Put the file or folder itself here instead of a link (mars reads and writes only inside "
                   "the workspace).")


def read_no_follow(path: Path) -> bytes:
    """The file's bytes, refusing (ELOOP) if it became a link since it was looked at."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def parse_record(rel: str, raw: bytes) -> Record | Finding:
    """Split and parse a record's bytes (rel is its workspace-relative path)."""
    if not gc.isenabled():
        return _parse_record(rel, raw)
    # Parsing makes hundreds of short-lived objects (YAML nodes) and no reference cycles: Python's cycle
    # collector would run every few records for nothing (a third of the time reading a workspace took).
    gc.disable()
    try:
        return _parse_record(rel, raw)
    finally:
        gc.enable()


def _parse_record(rel: str, raw: bytes) -> Record | Finding:
    def bad(line: int, code: str, message: str, hint: str) -> Finding:
        return Finding(rel, line, ERROR, code, message, hint)

    if not raw.strip():
        return bad(1, "empty-file", "the file is empty",
                   "Delete it, or recreate the record with `mars new KIND --title ...`.")
    if b"\x00" in raw[:8192]:
        return bad(1, "binary-file", "this is a binary file, not a Markdown record",
                   "Keep attachments outside records/, or give the file a non-.md name.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return bad(line, "not-utf8", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                   "Re-save the file as UTF-8 in your editor (Word and some Windows editors save as ANSI).")
    conflict = conflict_line(text)
    if conflict:
        return bad(conflict, "merge-conflict", "the file has an unresolved merge conflict: git left its "
                   "markers (<<<<<<<, =======, >>>>>>>) from this line",
                   "Keep the right lines between the markers, delete the marker lines, then `git add` the file.")
    split = split_front_matter(text)
    if split is NO_FRONT_MATTER:
        return bad(1, "no-front-matter", "the file has no front matter: its first line must be `---`",
                   "Start the file with a `---` line, the record's YAML fields, then another `---` line.")
    if split is UNCLOSED:
        return bad(1, "unclosed-front-matter", "the front matter is never closed",
                   "Add a line `---` after the last YAML field, before the Markdown text.")
    yaml_text = text[split.yaml_start:split.yaml_end]
    if len(yaml_text) > limits.MAX_FRONT_MATTER_CHARS:
        return bad(2, "too-large", f"the front matter is longer than {limits.size(limits.MAX_FRONT_MATTER_CHARS)} "
                   "characters, far more than any record", "Move long text into the body, below the second `---`.")
    try:
        loaded = yaml12.load(yaml_text)
    except yaml12.TooLarge as exc:
        return bad(exc.line + 1, "too-large", exc.problem, exc.hint)
    except yaml12.YamlSyntaxError as exc:
        return bad(exc.line + 1, "yaml-syntax", f"the front matter is not valid YAML: {exc.describe(offset=1)}",
                   "Check indentation and that text containing ': ' or starting with a quote is quoted.")
    source = Source(rel, loaded.lines, first_line=2)
    fields = loaded.data
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return bad(2, "front-matter-not-mapping", "the front matter must be a set of `key: value` fields",
                   "Write one `key: value` per line between the two `---` lines.")
    return Record(rel, fields, text[split.body_start:], source, body_line=split.body_line,
                  duplicates=loaded.duplicates or ())


_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.M)
_CONFLICT_END = re.compile(r"^>{7}(?: |$)", re.M)


def conflict_line(text: str) -> int | None:
    """The line of git's first `<<<<<<<` conflict marker when a matching `>>>>>>>` follows, else None."""
    if "<<<<<<<" not in text:  # a plain substring search first: the pattern is slow on a huge line
        return None
    start = _CONFLICT_START.search(text)
    if start is None or not _CONFLICT_END.search(text, start.end()):
        return None
    return text.count("\n", 0, start.start()) + 1


@dataclass(frozen=True)
class Split:
    """Where a record's parts are in its text: the YAML between the fences, and the body."""

    yaml_start: int
    yaml_end: int  # the closing fence line starts here
    body_start: int
    body_line: int  # the file line the body starts on


NO_FRONT_MATTER = "no-front-matter"
UNCLOSED = "unclosed-front-matter"
_FIRST_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")  # YAML's line breaks only (not U+2028 and friends)
# A closing line: `---` or `...` after a line break, then only spaces (any but a line break) to the next break.
_CLOSING = re.compile(r"[\r\n](---|\.\.\.)[^\S\r\n]*(\r\n|\n|\r|\Z)")


def split_front_matter(text: str) -> Split | str:
    """Find the front matter: a first line `---`, then YAML, then a line `---` (or `...`).
    Only the front matter is looked at: a long body is never split into lines."""
    first = _FIRST_LINE.match(text).group(0)
    if not first or first.rstrip() != _FENCE:
        return NO_FRONT_MATTER
    start = len(first)
    closing = _CLOSING.search(text, start - 1) if first[-1:] in ("\n", "\r") else None
    if closing is None:
        return UNCLOSED
    fence = closing.start(1)
    breaks = text.count("\n", 0, fence) + text.count("\r", 0, fence) - text.count("\r\n", 0, fence)
    return Split(start, fence, closing.end(), breaks + 2)


@dataclass
class Survey:
    """What one walk of the workspace found (reading it walked the tree three times, once for each)."""

    records: list[str]  # every .md below records/ and every symbolic link there (see scan), as paths in text:
    # a workspace of 100,000 records spent a second making them Path objects
    outside: list[Path]  # .md files elsewhere, which strays() reads to see if they are records
    leftovers: list[Path]  # temporary files of writes that were stopped (see leftovers)


_NEVER = (".git", ".venv", "node_modules", ".mars")  # never walked: no record is there (.mars: mars's own cache)
_NOT_SCANNED = {RECORDS_DIR, "templates", "build", "node_modules"}  # no stray records looked for there


def survey(root: Path) -> Survey:
    """One walk of the workspace, links never followed. Below records/: every `.md` file outside hidden
    folders, and every symbolic link (records/ itself, a folder or a file), which read_record reports
    instead of following. Elsewhere (outside hidden folders and templates/ and build/): `.md` files that
    may be stray records. Anywhere: write_atomic's temporary files left by a stopped write."""
    base = root / RECORDS_DIR
    linked = base.is_symlink()
    found = Survey([str(base)] if linked else [], [], [])
    top = str(root)
    for folder, dirs, names in os.walk(top):  # os.walk does not follow links to folders
        dirs[:] = sorted(d for d in dirs if d not in _NEVER)
        found.leftovers.extend(Path(folder, n) for n in sorted(names)
                               if _LEFTOVER.match(n) and not os.path.islink(os.path.join(folder, n)))
        rel = os.path.relpath(folder, top).split(os.sep) if folder != top else []
        if any(part.startswith(".") for part in rel):
            continue
        if rel[:1] == [RECORDS_DIR] and not linked:
            found.records.extend(_record_files(folder, dirs, names))
        elif not rel or rel[0] not in _NOT_SCANNED:
            found.outside.extend(Path(folder, n) for n in sorted(names) if n.endswith(".md"))
    found.leftovers.sort()
    return found


def _record_files(here: str, dirs: list[str], names: list[str]) -> list[str]:
    """A folder below records/: its `.md` files (not hidden) and its links, to folders or files."""
    links = [d for d in dirs if not d.startswith(".") and os.path.islink(os.path.join(here, d))]
    files = [f for f in names if (f.endswith(".md") and not f.startswith(".")) or os.path.islink(os.path.join(here, f))]
    return [os.path.join(here, f) for f in sorted(links + files)]


def scan(root: Path) -> list[Path]:
    """Every `.md` file below records/, sorted, skipping hidden files and folders; and every symbolic
    link there (records/ itself, a folder or a file), which read_record reports instead of following."""
    return [Path(p) for p in survey(root).records]


# write_atomic's temporary files: `.NAME.` + mkstemp's random part + `.tmp`, beside the file written
_LEFTOVER = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def leftovers(root: Path) -> list[Path]:
    """Temporary files a write left when it was killed before renaming them into place, sorted."""
    return survey(root).leftovers


def leftover_findings(root: Path, found: list[Path] | None = None) -> list[Finding]:
    return [Finding(relpath(root, path), 1, WARNING, "leftover-temp-file",
                    f"a temporary file left by a write that was stopped before it finished: a copy of "
                    f"{relpath(root, path.with_name(path.name[1:].rsplit('.', 2)[0]))} as that write would have "
                    "left it (the file itself was not changed)",
                    "Run `mars tidy` to delete such files, then check that the change you were making is there.",
                    rule="workspace.leftover-temp-file")
            for path in (leftovers(root) if found is None else found)]


def remove_leftovers(root: Path) -> list[str]:
    """Delete the temporary files of writes that were stopped (call with the write lock held, so no
    write is under way); the workspace-relative paths of those deleted."""
    removed = []
    for path in leftovers(root):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(relpath(root, path))
    return removed


def check_inside(root: Path, path: Path) -> None:
    """Refuse to write `path` unless it is inside the workspace root with no symbolic link on the way:
    the path itself and every folder from it up to the root are real files and folders (or not yet made)."""
    rel = relpath(root, path)
    try:
        inside = path.relative_to(root)
    except ValueError:
        inside = None
    if inside is None or ".." in inside.parts:
        raise Refused(f"cannot write {rel}: it is outside the workspace {root}; nothing was written")
    here = path
    while here != root:
        if here.is_symlink():
            raise Refused(f"cannot write {rel}: {relpath(root, here)} is a symbolic link, and mars writes only "
                          "inside the workspace; nothing was written",
                          "Replace the link with the folder or file itself (`mars check` lists every link).")
        here = here.parent


def strays(root: Path, outside: list[Path] | None = None) -> list[Finding]:
    """Files outside records/ that look like records (front matter with a `kind:`): reported, not ignored.
    `outside`: the `.md` files to look at, when a survey of the workspace has them already."""
    found = []
    for path in survey(root).outside if outside is None else outside:
        if path.is_symlink() or not path.is_file():  # a link is never followed out of the workspace
            continue
        try:
            with path.open("rb") as handle:
                head = handle.read(4096).decode("utf-8", "replace")
        except OSError:
            continue
        if head.startswith("---") and "\nkind:" in head.split("\n---", 1)[0]:
            found.append(Finding(relpath(root, path), 1, ERROR, "outside-records", "this looks like a record but "
                                 "is outside records/, so mars does not read it",
                                 "Move it under records/<kind>/<year>/ (`mars check` then says exactly where).",
                                 rule="record.outside-records"))
    return found


def _mode_for(path: Path) -> int:
    """The file's current permissions when replacing it, else what the user's umask gives a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def relpath(root: Path, path: Path) -> str:
    text, base = str(path), str(root)
    if os.sep == "/" and text.startswith(base) and text[len(base):len(base) + 1] == "/" and base != "/":
        return text[len(base) + 1:]  # the usual case, without pathlib's parsing (once per record read)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def write_atomic(path: Path, text: str | bytes, *, exclusive: bool = False, root: Path | None = None) -> None:
    """Write text (or bytes) to path atomically: a temporary file in the same folder, fsync, rename.

    With exclusive=True, refuses (FileExistsError) if the path already exists, so
    a new record never replaces another. With the workspace `root`, refuses (Refused) a path outside
    it or through a symbolic link (check_inside). Problems with the disk or folders raise
    UsageError naming the path; the old file, if any, is left as it was. The temporary file is private
    (0600) until it is in place, then takes the mode the file had (or a new file's usual mode).
    """
    if root is not None:
        check_inside(root, path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        mode = _mode_for(path)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if exclusive:
                _link_new(tmp, path)
            else:
                os.replace(tmp, path)
            os.fchmod(handle.fileno(), mode)  # mkstemp makes 0600; colleagues must still read records
        _sync_folder(path.parent)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _link_new(tmp: str, path: Path) -> None:
    """Put tmp at path only if nothing is there: a hard link where the file system has them."""
    try:
        os.link(tmp, path)  # atomic, and fails if path exists
    except FileExistsError:
        raise
    except OSError:  # no hard links (some network or FAT drives): check, then rename
        if os.path.lexists(path):
            raise FileExistsError(path) from None
        os.replace(tmp, path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless to skip where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _cannot_write(path: Path, exc: OSError):
    from mars_cli.model.errors import UsageError

    return UsageError(f"cannot write {exc.filename or path}: {exc.strerror or exc}",
                      "Check that the folders on that path are folders (not files), that you may write "
                      "there, and that the disk has space. Nothing was changed.")
