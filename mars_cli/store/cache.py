"""mars's cache under `.mars/cache/`: what reading a workspace found last time, and what commands
worked out from it, so that a run over unchanged files does not do that work again.

- Safe to delete: mars rebuilds it. Never committed (`.mars/` holds its own `.gitignore`), private to
  the user (a 0700 folder, 0600 files). `MARS_NO_CACHE=1` runs without it (nothing read or written).
- Never trusted blindly. Every file is signed with a key kept outside the workspace, in the user's
  own cache folder, so a cache file that came from anywhere else (committed to a repository,
  unpacked from an archive, another user's) is ignored, never unpickled. A corrupt file, one of
  another mars version, or one whose signature does not match is ignored and rebuilt.
- Written atomically (a temporary file renamed into place), so two commands running at once each
  leave a whole file and the last one stays. Writing it is best effort: a workspace mars cannot
  write in (read-only, full disk) is read as usual, only without the cache.
- A record file is taken from the cache only when its size and modification time are the cached
  ones and it was changed at least two seconds before the cache was written (a file changed in the
  same moment as the write could have changed again without its time showing it); otherwise it is
  read, and the hash of its bytes decides.

Records are kept in shards (by a hash of the record they belong to: a plan and its action files share one),
so a change to one record rewrites one shard.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import itertools
import os
import pickle
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mars_cli import __version__
from mars_cli.model import limits
from mars_cli.model.records import Finding, Record
from mars_cli.store import files, lock, parallel

FOLDER = f"{lock.FOLDER}/cache"
FORMAT = 7  # bump when what is stored changes shape (2: key lines as KeyLines; 3: stamps with inode and ctime;
# 4: records and sources with slots; 5: long bodies compressed; 6: why a record is not usable, in the index;
# 7: a plan's action files in the plan's shard)
SHARDS = 32
_MAGIC = b"mars-cache\n"
_KEY_BYTES = 32
_MOST_BYTES = 1 << 30  # far more than a cache file of 100,000 records
_RACY_NS = 2_000_000_000  # a file changed this close to the cache's writing is read again
OFF = "MARS_NO_CACHE"
KEY_VARIABLE = "MARS_CACHE_KEY"  # a CI job's secret to sign with, where no home folder lasts between runs


@functools.cache
def code() -> str:
    """Which mars wrote a cache: its version and a stamp of its own files (name, size, time), so that
    what one mars worked out is never taken by another, even between two versions of the same number
    (a developer's edits, a reinstall). About 200 files: a millisecond or two."""
    package = Path(__file__).resolve().parent.parent
    stamp = hashlib.blake2b(digest_size=16)
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(n for n in names if n.endswith((".py", ".yaml", ".txt", ".md", ".typ", ".lua"))):
            info = os.stat(os.path.join(folder, name))
            stamp.update(f"{folder}/{name} {info.st_size} {info.st_mtime_ns}\n".encode())
    return f"{__version__} {stamp.hexdigest()}"


def enabled() -> bool:
    return os.environ.get(OFF, "") in ("", "0")


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


class Files:
    """The signed files of one workspace's cache folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / FOLDER
        self._key: bytes | None = None
        self.tag = ""  # in the names of its temporary files (a child process's, store/parallel.py)

    def key(self) -> bytes | None:
        """The key the cache is signed with: MARS_CACHE_KEY's (a CI secret), else the user's own key file,
        never one inside the workspace (it could have come with the files: see user_key)."""
        if self._key is None:
            given = os.environ.get(KEY_VARIABLE, "")
            if given:
                self._key = hashlib.blake2b(given.encode(), digest_size=_KEY_BYTES).digest() if len(given) >= 20 else None
            elif _inside(key_file(), self.root):
                self._key = None
            else:
                self._key = user_key()
        return self._key

    def load(self, name: str):
        """What `save(name, ...)` stored, or None when there is none that can be trusted."""
        key = self.key()
        path = self.folder / name
        if key is None or not self._real_folder() or not _private_file(path):
            return None
        try:
            with open(path, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > _MOST_BYTES:  # not one of ours: never read
                    return None
                data = handle.read(_MOST_BYTES + 1)
        except OSError:
            return None
        head = len(_MAGIC)
        mac, payload = data[head:head + 32], memoryview(data)[head + 32:]  # a view: not a copy of the payload
        if not data.startswith(_MAGIC) or mac != _sign(key, name, payload):
            return None
        try:
            stored = _unpickled(data, head + 32)
        except Exception:  # noqa: BLE001 - signed by us, but from an older mars: rebuilt
            return None
        if not (isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (FORMAT, code())):
            return None
        return stored[2]

    def save(self, name: str, value) -> None:
        """Store value under name, atomically; silently nothing when the folder cannot be written."""
        key = self.key()
        if key is None or not self._own_folder():
            return
        _write_private(self.folder / name, functools.partial(_pickled, key, name, (FORMAT, code(), value)), self.tag)

    def drop(self, name: str) -> None:
        """Delete what was stored under name, if anything."""
        try:
            os.unlink(self.folder / name)
        except OSError:
            pass

    def tidy(self) -> None:
        """Delete temporary files that writes stopped (killed) more than ten minutes ago left behind."""
        stale = time.time() - 600
        try:
            for entry in os.scandir(self.folder):
                if entry.name.endswith(".tmp") and entry.stat(follow_symlinks=False).st_mtime < stale:
                    os.unlink(entry.path)
        except OSError:
            pass

    def _real_folder(self) -> bool:
        """Whether .mars and .mars/cache are folders of the workspace's own (no link leads elsewhere)."""
        return not any(f.is_symlink() for f in (self.root / lock.FOLDER, self.folder))

    def _own_folder(self) -> bool:
        """The cache folder, made private, when it is a real folder inside the workspace (no link on the way)."""
        try:
            if lock.own_folder(self.root) is None:
                return False
            if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
                return False
            self.folder.mkdir(mode=0o700, exist_ok=True)
            os.chmod(self.folder, 0o700)
        except OSError:
            return False
        return True


def _unpickled(data: bytes, start: int):
    """The stored value, pickled from `start` on (a dict: in parts, see _pickled). Python's garbage collector
    is held off meanwhile (it would look through the objects again and again as they are made: two thirds of
    the time over a workspace's records), and what was loaded is then set aside from its later rounds
    (gc.freeze): it lives as long as the command."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        stream = io.BytesIO(data)  # shares the bytes, no copy
        stream.seek(start)
        stored = pickle.load(stream)
        if isinstance(stored, tuple) and len(stored) == 3 and isinstance(stored[2], str) and stored[2] == _IN_PARTS:
            whole: dict = {}
            for part in iter(functools.partial(pickle.load, stream), None):  # each with a memo of its own
                whole.update(part)
            stored = (*stored[:2], whole)
        return stored
    finally:
        if was_on:
            gc.freeze()
            gc.enable()


def _signer(key: bytes, name: str):
    signer = hashlib.blake2b(key=key, digest_size=32)
    signer.update(name.encode() + b"\0")
    return signer


def _sign(key: bytes, name: str, payload) -> bytes:
    signer = _signer(key, name)
    signer.update(payload)
    return signer.digest()


class _Signing:
    """A file that signs what is written to it, as it goes."""

    def __init__(self, handle, signer) -> None:
        self.handle = handle
        self.signer = signer

    def write(self, data) -> int:
        self.signer.update(data)
        return self.handle.write(data)


_IN_PARTS = "in parts"  # a stored dict follows in parts, then None
_PART = 2000  # entries of a dict pickled with one memo


def _pickled(key: bytes, name: str, stored: tuple, handle) -> None:
    """Write a cache file: the magic line, the signature, the pickled value. The value is pickled straight
    into the file, in frames, and signed as it goes: never held whole in memory (a cache of 100,000
    records' findings is tens of MB, and the pickled copy came on top of the peak of `check`). A dict is
    pickled in parts of _PART entries, its pickler's memo (a note of every object pickled) emptied after
    each: 100,000 records' units made a memo of 60 MB. (An object shared by units of two parts is stored
    twice: a few shared reads, not each record's.)"""
    handle.write(_MAGIC + bytes(32))
    signing = _Signing(handle, _signer(key, name))
    pickler = pickle.Pickler(signing, protocol=pickle.HIGHEST_PROTOCOL)
    value = stored[2]
    if isinstance(value, dict) and len(value) > _PART:
        pickler.dump((*stored[:2], _IN_PARTS))
        items = iter(value.items())
        while part := dict(itertools.islice(items, _PART)):
            pickler.clear_memo()
            pickler.dump(part)
        pickler.dump(None)
    else:
        pickler.dump(stored)
    handle.seek(len(_MAGIC))
    handle.write(signing.signer.digest())


def _private_file(path: Path) -> bool:
    """A regular file (not a link) of this user's: only then is it worth checking its signature."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (not hasattr(os, "getuid") or info.st_uid == os.getuid())


def _write_private(path: Path, write: Callable, tag: str = "") -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{tag}", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if hasattr(os, "fchmod"):  # not on Windows, where mkstemp's file is the user's own already
                os.fchmod(handle.fileno(), 0o600)
        os.replace(tmp, path)  # no fsync: a cache lost in a power cut is only rebuilt
    except OSError:
        pass
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mars" / "cache-key"


def user_key() -> bytes | None:
    """The user's own signing key (made on first use, 0600), or None when it cannot be kept."""
    path = key_file()
    try:
        found = path.read_bytes() if _private_file(path) else b""
        if len(found) == _KEY_BYTES:
            return found
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cache-key.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_KEY_BYTES))
        try:
            if found:  # a damaged key: replace it
                os.replace(tmp, path)
            else:
                os.link(tmp, path)  # never over a key another mars process made at the same moment
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        found = path.read_bytes()
    except OSError:
        return None
    return found if len(found) == _KEY_BYTES else None


def state(root: Path) -> tuple[bool, str]:
    """Whether the cache works in this workspace, and what to say of it (for `mars doctor`)."""
    if not enabled():
        return False, f"off ({OFF} is set): every command reads and checks every record"
    here = Files(root)
    if os.environ.get(KEY_VARIABLE) and here.key() is None:
        return False, f"off: {KEY_VARIABLE} is shorter than 20 characters, too easy to guess"
    if not os.environ.get(KEY_VARIABLE) and _inside(key_file(), root):
        return False, f"off: the key that signs it would be inside the workspace ({key_file()}), where it could " \
                      "have come with the files"
    if here.key() is None:
        return False, f"off: mars cannot keep the key that signs it in {key_file().parent}"
    if not here._own_folder():
        return False, f"off: {here.folder} cannot be made a private folder (a link, a file, or not writable)"
    size = sum(entry.stat(follow_symlinks=False).st_size for entry in os.scandir(here.folder))
    signed = f"the key in {KEY_VARIABLE}" if os.environ.get(KEY_VARIABLE) else f"the key in {key_file()}"
    return True, f"on: {here.folder} ({size / 1e6:.1f} MB; safe to delete), signed with {signed}"


# Reading records -------------------------------------------------------------------------------


# The index: workspace-relative path -> (its stamp: size, modification and change times in ns, inode
# and device, as git's index keeps them, so that a file edited and dated back, or swapped with another
# by `mv`, is not taken for the one cached; the content digest; the Finding why the file is not a
# record, or None when it is one, kept in its shard; for a record, why it cannot be used, or None: the
# judge's finding, see RecordCache). Tuples: they load fastest.
Entry = tuple[tuple[int, int, int, int, int], bytes, "Finding | None", "Finding | None"]


@dataclass
class Reading:
    """A workspace's record files read through the cache: each file's result (a Finding now, the
    Records loaded from their shards by `records_in_order()`), and each file's content digest."""

    results: dict[str, Record | Finding | None]  # None: a Record still in its shard
    digests: dict[str, bytes]
    load_shard: Callable[[int], dict[str, tuple[bytes, Record]]] = field(repr=False)
    reread: Callable[[str], tuple[Record | Finding, bytes]] = field(repr=False)
    judged: list[Finding] = field(default_factory=list)  # why records cannot be used (the judge's), in order
    stale: bool = False  # a file read again (its shard lacked it) was not what the index said
    reread_any: bool = False

    def records_in_order(self) -> list[Record | Finding]:
        self.some([rel for rel, result in self.results.items() if result is None])
        # Every record is in: let go of the RecordCache (its index of every file, 50 MB at 100,000 records),
        # which the rest of the command, holding this reading, would otherwise keep.
        self.load_shard = self.reread = _all_loaded
        return list(self.results.values())


    def some(self, paths: Iterable[str]) -> dict[str, Record | Finding]:
        """These files' results alone: their records loaded from their own shards, not every shard."""
        out: dict[str, Record | Finding] = {}
        shards: dict[int, dict] = {}
        for rel in paths:
            result = self.results[rel]
            if result is None:
                number = shard_of(rel)
                if number not in shards:
                    shards[number] = self.load_shard(number)
                found = shards[number].get(rel)
                if found is not None and found[0] == self.digests[rel]:
                    result = found[1]
                else:  # the shard is gone or older than the index: read the file again
                    result, again = self.reread(rel)
                    self.stale = self.stale or again != self.digests[rel]
                    self.reread_any = True
                self.results[rel] = result
            out[rel] = result
        return out


def _all_loaded(rel):  # pragma: no cover - never called: records_in_order leaves no record to load
    raise AssertionError(f"{rel}: every record was loaded already")


def _stamp(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def shard_of(rel: str) -> int:
    """The shard a record file is kept in: by a hash of the record it belongs to (records/<kind>/<year>/<ID>,
    its own or, for a plan's action files, the plan's), so that a record and its parts load together."""
    owner = "/".join(rel.split("/", 4)[:4])
    return zlib.crc32(owner.removesuffix(".md").encode("utf-8")) % SHARDS


class RecordCache:
    """Record files read through the cache (see the module's docstring for when a file is trusted)."""

    shard_of = staticmethod(shard_of)

    def __init__(self, root: Path, judge: Callable[[Record], Finding | None] = lambda record: None) -> None:
        self.root = root
        self.judge = judge  # why a record cannot be used (no ID...): kept with it, so asked once per change
        self.files = Files(root)
        self.index: dict[str, Entry] = {}
        self.written_ns = 0
        loaded = self.files.load("index")
        if isinstance(loaded, tuple) and len(loaded) == 2:
            self.written_ns, self.index = loaded
        self._parsed: dict[str, Record] = {}  # read from disk this run: their shards are rewritten

    def read(self, paths: Iterable[str]) -> Reading:
        self.started = time.time_ns()
        results: dict[str, Record | Finding | None] = {}
        digests: dict[str, bytes] = {}
        pending: list[tuple[str, str, os.stat_result]] = []  # files to read and parse: in the cache or not
        prefix = str(self.root) + os.sep
        was_on = gc.isenabled()
        gc.disable()  # see files.parse_record: between records too, the collector would only look again and again
        try:
            for path in paths:
                rel = path[len(prefix):].replace(os.sep, "/") if path.startswith(prefix) else files.relpath(self.root, Path(path))
                results[rel], digests[rel] = self._looked_at(path, rel, pending)
            self._read_all(pending, results, digests)
        finally:
            if was_on:
                gc.freeze()  # the records live as long as the command: later rounds need not look at them
                gc.enable()
        self._gone = set(self.index) - set(results)
        index = self.index
        judged = [entry[3] for rel, result in results.items() if not isinstance(result, Finding)
                  and (entry := index.get(rel)) is not None and entry[3] is not None]
        return Reading(results, digests, self._shard, self._reread, judged)

    def _looked_at(self, path: str, rel: str, pending: list) -> tuple[Record | Finding | None, bytes]:
        """The file's result and digest when its stamp says the cache has it (or it is no regular file);
        else (None, b"") and the file is added to pending, to be read."""
        try:
            info = os.lstat(path)
        except OSError:
            info = None
        if info is None or not stat.S_ISREG(info.st_mode) or info.st_size > limits.MAX_FILE_BYTES:
            result = files.read_record(self.root, Path(path))  # a link, a folder, too large: its finding, uncached
            self.index.pop(rel, None)
            return result, digest(repr(result).encode())
        entry = self.index.get(rel)
        if (entry is not None and entry[0] == _stamp(info)
                and max(info.st_mtime_ns, info.st_ctime_ns) < self.written_ns - _RACY_NS):
            return entry[2], entry[1]
        pending.append((path, rel, info))
        return None, b""

    def _one(self, path: str, rel: str) -> tuple[Record | Finding | None, bytes]:
        pending: list = []
        result, found = self._looked_at(path, rel, pending)
        return self._read_one(*pending[0]) if pending else (result, found)

    def _read_one(self, path: str, rel: str, info: os.stat_result) -> tuple[Record | Finding | None, bytes]:
        """Read and parse one file the cache does not vouch for (unless its bytes are the cached ones)."""
        entry = self.index.get(rel)
        try:
            raw = files.read_no_follow(path)
        except OSError:
            self.index.pop(rel, None)
            result = files.read_record(self.root, Path(path))
            return result, digest(repr(result).encode())
        found = digest(raw)
        if entry is not None and entry[1] == found:  # touched, not changed
            self.index[rel] = (_stamp(info), found, entry[2], entry[3])
            self._touched = True
            return entry[2], found
        result = files.parse_record(rel, raw)
        self.index[rel] = (_stamp(info), found, *((None, self.judge(result)) if isinstance(result, Record) else (result, None)))
        if isinstance(result, Record):
            self._parsed[rel] = result
        else:
            self._touched = True
        return result, found

    def _read_all(self, pending: list, results: dict, digests: dict) -> None:
        """Read the pending files: in this process, or, when there are many (a cold cache), half of them
        in a forked child process that parses them and writes their shards (store/parallel.py)."""
        if parallel.wanted(len(pending)) and self.files.key() is not None and self.files._own_folder():
            pending = parallel.share(self, pending, results, digests)
        for path, rel, info in pending:
            results[rel], digests[rel] = self._read_one(path, rel, info)

    _touched = False
    _gone: set = set()
    started = 0

    def _shard(self, number: int) -> dict[str, tuple[bytes, Record]]:
        loaded = self.files.load(f"records-{number:02d}")
        return loaded if isinstance(loaded, dict) else {}

    def _reread(self, rel: str) -> tuple[Record | Finding, bytes]:
        self.index.pop(rel, None)
        return self._one(os.path.join(self.root, *rel.split("/")), rel)

    def save(self, reading: Reading) -> None:
        """Write what changed: the index, and the shards of records read from disk or gone."""
        for rel in self._gone:
            self.index.pop(rel, None)
        changed = {shard_of(rel) for rel in [*self._parsed, *self._gone]}
        if not (changed or self._touched):
            return
        fresh = self._fresh(reading.results, changed)
        for number in sorted(changed):
            self._write_shard(number, reading.results, fresh[number])
        self.files.save("index", (self.started, self.index))
        self.files.tidy()

    def _fresh(self, results: dict, numbers: Iterable[int]) -> dict[int, list[str]]:
        """Shard -> the records read now that belong in it."""
        fresh: dict[int, list[str]] = {number: [] for number in numbers}
        for rel, result in results.items():
            if isinstance(result, Record) and rel in self.index:
                fresh.get(shard_of(rel), []).append(rel)
        return fresh

    def _write_shard(self, number: int, results: dict, fresh: list[str]) -> None:
        """Write one shard: what it held that is still what the index says, and the records read now."""
        shard = {} if self.started and not self.written_ns else self._shard(number)  # no cache before: none
        for rel in [r for r in shard if r not in results or self.index.get(r) is None
                    or self.index[r][2] is not None]:
            del shard[rel]
        for rel in fresh:
            shard[rel] = (self.index[rel][1], results[rel])
        self.files.save(f"records-{number:02d}", shard)


# What commands worked out --------------------------------------------------------------------------


class Memo:
    """Results worked out from one workspace as read (its fingerprint), a file per key: a command loads
    only its own. A result of another fingerprint (anything read has changed since) is worked out again."""

    KEEP = 48  # result files kept (other days, other filters); the oldest go first

    def __init__(self, cache_files: Files, fingerprint: bytes, trusted: Callable[[], bool] = lambda: True) -> None:
        self.files = cache_files
        self.fingerprint = fingerprint
        self.trusted = trusted  # False once a file turned out not to be what the fingerprint says
        self.settings = b""  # the hash of what was read besides record files (framework/load.py sets both)
        self.digests: dict[str, bytes] = {}  # record path -> the hash of its content
        self.keeps_results = True
        self.reading: Reading | None = None  # how the records were read: some can be loaded alone (Reading.some)

    def with_record(self, path: str, raw: bytes) -> Memo:
        """The memo of this workspace with one record's content `raw` in place of what was read (a change
        not yet written, which `mars set` checks first): each record's findings are taken from the cache
        where nothing they read has changed. It keeps no whole results: no workspace read has its fingerprint."""
        other = Memo(self.files, fingerprint([b"not yet written", self.fingerprint, path.encode(), raw]), self.trusted)
        other.settings = self.settings
        other.digests = {**self.digests, path: digest(raw)}
        other.keeps_results = False
        return other

    def get(self, key: tuple, compute: Callable[[], object]):
        name = "result-" + hashlib.blake2b(repr(key).encode(), digest_size=10).hexdigest()
        loaded = self.files.load(name)
        if isinstance(loaded, tuple) and len(loaded) == 3 and loaded[:2] == (self.fingerprint, key):
            return loaded[2]
        value = compute()
        if self.trusted() and self.keeps_results:
            self.files.save(name, (self.fingerprint, key, value))
            self._prune()
        return value

    def _prune(self) -> None:
        try:
            found = sorted((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path)
                           for entry in os.scandir(self.files.folder) if entry.name.startswith("result-"))
            for _, path in found[:-self.KEEP]:
                os.unlink(path)
        except OSError:
            pass


def remembered(memo: Memo | None, key: tuple, compute: Callable[[], object]):
    """compute(), or what it gave for the same key over the same files, read from the cache. The key
    holds everything else the result depends on (the as-of day, options); today's date is added here."""
    from mars_cli.model import dates

    if memo is None:
        return compute()
    return memo.get((*key, dates.today()), compute)


def fingerprint(parts: Iterable[bytes]) -> bytes:
    """One hash of everything a workspace was read from, in order."""
    hashed = hashlib.blake2b(digest_size=32)
    hashed.update(f"{FORMAT} {code()}".encode())
    for part in parts:
        hashed.update(len(part).to_bytes(8, "little"))
        hashed.update(part)
    return hashed.digest()
