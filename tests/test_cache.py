"""The cache under .mars/cache: a run that uses it says exactly what a run without it says, whatever
changed in between, and a cache file mars did not write itself is never trusted.

Every command here runs twice: through the cache (as it is by default) and with MARS_NO_CACHE=1, and
the two outputs must be byte for byte the same. Files are dated in the past first, as in a real
workspace (a file changed in the same moment as the cache was written is always read again, so
without that the tests would never meet the cache's fast path).
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, git, record

from mars_cli.store import cache

EXAMPLE = ROOT / "example-workspace"
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

COMMANDS = [
    ("check", "--format", "json"),
    ("overdue", "--format", "json"),
    ("due", "--within", "60", "--format", "json"),
    ("list", "--format", "json"),
    ("status", "--format", "json"),
    ("status",),
    ("check",),
]


def _age(root: Path, seconds: int = 3600) -> None:
    """Date every file an hour back, as files in a real workspace are."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if ".git" not in path.parts and not path.is_symlink():
            os.utime(path, (past, past))


def _same_with_and_without(mars, monkeypatch, root: Path, *extra: str) -> None:
    for command in COMMANDS:
        cached = mars("-w", root, *command, *extra)
        again = mars("-w", root, *command, *extra)  # answered from the cache
        monkeypatch.setenv(cache.OFF, "1")
        plain = mars("-w", root, *command, *extra)
        monkeypatch.delenv(cache.OFF)
        for got in (cached, again):
            assert (got.code, got.out, got.err) == (plain.code, plain.out, plain.err), command


@pytest.fixture
def example(tmp_path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build", ".mars"))
    git(root, "init", "--quiet")
    _age(root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_cache__the_example_says_the_same_after_every_kind_of_change(example, mars, monkeypatch):
    _same_with_and_without(mars, monkeypatch, example)
    assert (example / ".mars" / "cache" / "index").is_file()
    records = sorted((example / "records").rglob("*.md"))
    plan = next(p for p in records if "/action-plan/" in p.as_posix() and p.parent.name != "action-plan"
                and p.name.startswith("act-"))
    # an ordinary edit: an action's due date moved
    _edit(plan, "due: 20", "due: 21")
    _same_with_and_without(mars, monkeypatch, example)
    # a record deleted, another renamed (its ID no longer its file's name)
    victim = next(p for p in records if "/call-in/" in p.as_posix())
    victim.unlink()
    moved = next(p for p in records if "/agency-event/" in p.as_posix())
    moved.rename(moved.with_name("renamed-" + moved.name))
    _same_with_and_without(mars, monkeypatch, example)
    # mars.yaml: a person's name (the same day)
    _edit(example / "mars.yaml", "name: Tom Wheatley", "name: Tom Wheatley-Jones")
    _same_with_and_without(mars, monkeypatch, example)
    # mars.yaml: the pinned day moves on a month
    _edit(example / "mars.yaml", "as_of: 2026-02-16", "as_of: 2026-03-16")
    _same_with_and_without(mars, monkeypatch, example)
    # processes.yaml: the workspace's own rules (what counts as due soon)
    (example / "processes.yaml").write_text("settings:\n  due_soon_days: 60\n", encoding="utf-8")
    _same_with_and_without(mars, monkeypatch, example)
    # a new Board meeting, sooner than the next one
    (example / "records" / "board-meeting").mkdir(exist_ok=True)
    (example / "records" / "board-meeting" / "bm-2026-03-02-extra-board.md").write_text(
        record("board-meeting", "bm-2026-03-02-extra-board", "2026-01-10", status="planned",
               title="Extra Board meeting", date="2026-03-02"), encoding="utf-8")
    _same_with_and_without(mars, monkeypatch, example)
    # another day asked for
    _same_with_and_without(mars, monkeypatch, example, "--as-of", "2026-09-01")


def test_cache__a_generated_workspace_says_the_same_through_random_edits(tmp_path, mars, monkeypatch):
    root = tmp_path / "generated"
    generate.Generator().generate(root, 180)
    _age(root)
    _same_with_and_without(mars, monkeypatch, root)
    chooser = random.Random(14)
    records = sorted((root / "records").rglob("*.md"))
    for _ in range(6):
        path = chooser.choice(records)
        text = path.read_text(encoding="utf-8")
        dated = re.findall(r"^(\w+): (\d{4})-(\d\d)-(\d\d)$", text, re.M)
        if dated and chooser.random() < 0.7:  # a date moved a year: deadlines, statuses, years change
            name, year, month, day = chooser.choice(dated)
            text = text.replace(f"{name}: {year}-{month}-{day}", f"{name}: {int(year) - 1}-{month}-{day}", 1)
            path.write_text(text, encoding="utf-8")
        else:
            path.unlink()
            records.remove(path)
        _same_with_and_without(mars, monkeypatch, root)


def test_cache__a_file_changed_in_the_moment_the_cache_was_written_is_read_again(workspace_with, mars):
    """Same size, same modification time, other content: possible when a file is changed within the
    file system's clock tick of being read. Such a file is never trusted on its size and time alone."""
    rel = "records/call-in/ci-2025-06-01-first.md"
    root = workspace_with({rel: record("call-in", "ci-2025-06-01-first", status="planned", title="Alpha")})
    path = root / rel
    assert "Alpha" in mars("-w", root, "list", "--format", "json").out
    stamp = path.stat().st_mtime_ns
    path.write_text(path.read_text(encoding="utf-8").replace("Alpha", "Omega"), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    listed = mars("-w", root, "list", "--format", "json").out
    assert "Omega" in listed and "Alpha" not in listed


def test_cache__an_unchanged_file_is_taken_from_the_cache_not_read(example, mars, monkeypatch):
    """The point of the cache: a warm run parses no record file."""
    from mars_cli.store import files

    mars("-w", example, "list", "--format", "json")
    parsed = []
    real = files.parse_record
    monkeypatch.setattr(files, "parse_record", lambda rel, raw: parsed.append(rel) or real(rel, raw))
    mars("-w", example, "list", "--format", "json")
    assert parsed == []
    target = example / "records" / "call-in"
    changed = sorted(target.rglob("*.md"))[0]
    _edit(changed, "title: ", "title: Changed ")
    mars("-w", example, "list", "--format", "json")
    assert parsed == [changed.relative_to(example).as_posix()]


def _poisoned(marker: Path) -> bytes:
    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    return pickle.dumps(Boom())


def test_cache__a_cache_file_from_elsewhere_is_never_unpickled(example, mars, tmp_path, monkeypatch):
    """A cache file committed to a repository, or written with another user's key, is ignored:
    its contents are never loaded, so a hostile one cannot run anything."""
    expected = mars("-w", example, "check", "--format", "json").out
    marker = tmp_path / "ran"
    folder = example / ".mars" / "cache"
    for name in [p.name for p in folder.iterdir()]:
        (folder / name).write_bytes(b"mars-cache\n" + b"\0" * 32 + _poisoned(marker))
    assert mars("-w", example, "check", "--format", "json").out == expected
    assert not marker.exists()
    # signed properly, but with someone else's key
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    cache.Files(example).save("index", "whatever")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    assert mars("-w", example, "check", "--format", "json").out == expected


def test_cache__corrupt_or_foreign_files_are_ignored_and_rebuilt(example, mars):
    expected = mars("-w", example, "overdue", "--format", "json").out
    folder = example / ".mars" / "cache"
    for path in folder.iterdir():
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])  # cut short, as a full disk leaves it
    assert mars("-w", example, "overdue", "--format", "json").out == expected
    assert cache.Files(example).load("index") is not None  # written whole again
    (folder / "index").write_bytes(b"not a cache at all")
    for path in folder.glob("result-*"):
        path.unlink()
    assert mars("-w", example, "overdue", "--format", "json").out == expected


def test_cache__is_private_and_ignored_by_git(example, mars):
    mars("-w", example, "check")
    folder = example / ".mars" / "cache"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}
    assert cache.key_file().stat().st_mode & 0o777 == 0o600
    assert git(example, "status", "--porcelain", "--ignored", ".mars").strip() == "!! .mars/"


def test_cache__off_when_asked_and_never_through_a_link(example, mars, monkeypatch, tmp_path):
    monkeypatch.setenv(cache.OFF, "1")
    mars("-w", example, "check")
    assert not (example / ".mars" / "cache").exists()
    monkeypatch.delenv(cache.OFF)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (example / ".mars").mkdir(exist_ok=True)
    (example / ".mars" / "cache").symlink_to(elsewhere)
    result = mars("-w", example, "check", "--format", "json")
    assert result.code == 0 and json.loads(result.out)["findings"]
    assert list(elsewhere.iterdir()) == []


def test_cache__a_workspace_where_it_cannot_be_written_is_read_as_usual(example, mars):
    expected = mars("-w", example, "list", "--format", "json").out
    folder = example / ".mars" / "cache"
    shutil.rmtree(folder)
    folder.write_text("in the way", encoding="utf-8")  # as a full or read-only disk refuses the write
    assert mars("-w", example, "list", "--format", "json").out == expected
    assert mars("-w", example, "list", "--format", "json").out == expected
    assert folder.read_text(encoding="utf-8") == "in the way"


def test_cache__two_commands_at_once_each_leave_a_whole_cache(example):
    """Racing runs on a cold cache: both right, and the cache they leave gives the right answer."""
    env = {**os.environ}
    command = [sys.executable, "-m", "mars_cli", "-w", str(example), "check", "--format", "json"]
    env[cache.OFF] = "1"
    expected = subprocess.run(command, capture_output=True, text=True, env=env).stdout
    env.pop(cache.OFF)
    for _ in range(3):
        shutil.rmtree(example / ".mars", ignore_errors=True)
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) for _ in range(3)]
        assert [run.communicate()[0] for run in runs] == [expected] * 3
        assert subprocess.run(command, capture_output=True, text=True, env=env).stdout == expected


def test_cache__a_change_to_one_record_reaches_every_record_that_read_it(example, mars, monkeypatch):
    """A record's findings are remembered with what they read from other records (the records named,
    the meetings, a plan's actions...): changing, then deleting, any record must give exactly the
    findings a full check gives. Run on records of every kind in turn."""
    def same() -> None:
        cached = mars("-w", example, "check", "--format", "json").out
        monkeypatch.setenv(cache.OFF, "1")
        plain = mars("-w", example, "check", "--format", "json").out
        monkeypatch.delenv(cache.OFF)
        assert cached == plain, path

    same()
    by_kind: dict[str, list[Path]] = {}
    for path in sorted((example / "records").rglob("*.md")):
        by_kind.setdefault(path.relative_to(example).parts[1], []).append(path)
    chooser = random.Random(11)
    for kind, paths in sorted(by_kind.items()):
        path = chooser.choice(paths)
        text = path.read_text(encoding="utf-8")
        dated = re.findall(r"^(\w+): (\d{4})-(\d\d)-(\d\d)$", text, re.M)
        if dated:  # moved a year back: its deadlines, and whatever reads them, change
            name, year, month, day = chooser.choice(dated)
            path.write_text(text.replace(f"{name}: {year}-{month}-{day}", f"{name}: {int(year) - 1}-{month}-{day}", 1),
                            encoding="utf-8")
            same()
        path.unlink()  # gone: every reference to it is now unknown
        same()


def _cached_and_plain(mars, monkeypatch, root: Path, command: str) -> str:
    """`command --format json` through the cache, once it is the same as without the cache."""
    cached = mars("-w", root, command, "--format", "json").out
    monkeypatch.setenv(cache.OFF, "1")
    plain = mars("-w", root, command, "--format", "json").out
    monkeypatch.delenv(cache.OFF)
    assert cached == plain
    return cached


def test_cache__iso_days_logged_on_any_record_reach_the_yearly_allowance(example, mars, monkeypatch):
    """The yearly ISO allowance reads only the records that can log ISO days: a change to any other record
    leaves it as it was, but days logged on a record that had none (and then taken off) must count."""
    call_in = sorted((example / "records" / "call-in").rglob("*.md"))[0]
    original = call_in.read_text(encoding="utf-8")

    def allowance() -> list[str]:
        found = json.loads(_cached_and_plain(mars, monkeypatch, example, "check"))["findings"]
        return [f["message"] for f in found if f["rule"] == "iso-activity.allowance"]

    assert allowance() == []
    call_in.write_text(original.replace("\n---\n", "\niso_days:\n  - iso: aisha-rahman\n    days: 30\n"
                                        "    date: 2025-11-03\n---\n", 1), encoding="utf-8")
    assert [m for m in allowance() if "Aisha Rahman" in m and "over their allowance of 15" in m]
    call_in.write_text(original, encoding="utf-8")
    assert allowance() == []


def test_cache__a_record_that_loses_its_kind_is_named_as_not_read_and_then_no_longer(example, mars, monkeypatch):
    """Why a record cannot be used (no ID, no kind) is kept with it in the cache: every command names it
    while it lacks one, and no longer once it is fixed, as a run without the cache does."""
    path = sorted((example / "records" / "call-in").rglob("*.md"))[0]
    original = path.read_text(encoding="utf-8")

    def problems() -> list[str]:
        return [p["path"] for p in json.loads(_cached_and_plain(mars, monkeypatch, example, "list"))["problems"]]

    assert problems() == []
    path.write_text(original.replace("\nkind: call-in\n", "\n", 1), encoding="utf-8")
    assert problems() == [path.relative_to(example).as_posix()]
    path.write_text(original, encoding="utf-8")
    assert problems() == []


def test_cache__its_own_files_are_never_taken_for_a_stopped_write(example, mars):
    """The cache's temporary files are not records' leftovers (`mars tidy` is for those), and the ones a
    killed run left are deleted by a later run after ten minutes."""
    mars("-w", example, "check")
    folder = example / ".mars" / "cache"
    fresh, old = folder / ".records-01.abcd1234.tmp", folder / ".index.abcd1234.tmp"
    for path in (fresh, old):
        path.write_bytes(b"cut short")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert "leftover" not in mars("-w", example, "check", "--format", "json").out
    (example / "records" / "voice").mkdir(exist_ok=True)
    (example / "records" / "voice" / "vo-2026-01-01-new.md").write_text(
        record("voice", "vo-2026-01-01-new", "2026-01-01", status="planned"), encoding="utf-8")
    mars("-w", example, "check")  # a run that writes the cache's index
    assert fresh.exists() and not old.exists()


def _signed_poison(root: Path, key: bytes, marker: Path) -> None:
    """A cache index that unpickles to a command, signed with `key` (as someone holding it would)."""
    payload = _poisoned(marker)
    folder = root / ".mars" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index").write_bytes(b"mars-cache\n" + cache._sign(key, "index", payload) + payload)


def test_cache__a_key_that_came_with_the_files_is_never_used(example, mars, monkeypatch, tmp_path):
    """A key inside the workspace (committed with a cache signed with it) signs nothing: the cache is off."""
    expected = mars("-w", example, "status", "--format", "json").out
    shutil.rmtree(example / ".mars")
    key = os.urandom(32)
    (example / ".cache" / "mars").mkdir(parents=True)
    (example / ".cache" / "mars" / "cache-key").write_bytes(key)
    marker = tmp_path / "ran"
    _signed_poison(example, key, marker)
    monkeypatch.setenv("XDG_CACHE_HOME", str(example / ".cache"))
    assert mars("-w", example, "status", "--format", "json").out == expected
    assert not marker.exists()
    assert "cache: off: the key that signs it would be inside the workspace" in mars("-w", example, "doctor").out


def test_cache__a_ci_secret_can_sign_it(example, mars, monkeypatch):
    """MARS_CACHE_KEY (a masked CI variable) signs the cache where no home folder lasts between runs; a short
    one is refused, as too easy to guess."""
    monkeypatch.setenv(cache.KEY_VARIABLE, "a long random secret of the partnership's CI")
    expected = mars("-w", example, "list", "--format", "json").out
    assert cache.Files(example).load("index") is not None
    assert mars("-w", example, "list", "--format", "json").out == expected
    monkeypatch.setenv(cache.KEY_VARIABLE, "something-else-entirely-long-enough")
    assert cache.Files(example).load("index") is None  # another key: not trusted
    monkeypatch.setenv(cache.KEY_VARIABLE, "short")
    assert "cache: off: MARS_CACHE_KEY is shorter than 20 characters" in mars("-w", example, "doctor").out


def test_cache__a_file_edited_and_dated_back_or_swapped_is_read_again(example, mars, monkeypatch):
    """Size and modification time are not enough (cp -p, rsync -a, tar and touch -r set the time; mv swaps
    files of one size): the change time and the inode tell them apart, as git's index does."""
    time.sleep(2.1)  # the files' change time (set by dating them back) well before the cache is written
    mars("-w", example, "overdue")
    plan = example / "records" / "action-plan" / "2025-26" / "ap-2025-10-07-action-plan-neglect-thematic-event-qk8v"
    action = plan / "act-2025-10-07-publish-neglect-practice-guidance-for-wdmu.md"
    before = action.stat()
    text = action.read_text(encoding="utf-8")
    action.write_text(re.sub(r"^due: .*$", "due: 2026-01-01", text, flags=re.M), encoding="utf-8")
    assert action.stat().st_size == before.st_size
    os.utime(action, ns=(before.st_atime_ns, before.st_mtime_ns))
    cached = mars("-w", example, "overdue", "--format", "json").out
    monkeypatch.setenv(cache.OFF, "1")
    assert cached == mars("-w", example, "overdue", "--format", "json").out
    assert "publish-neglect-practice-guidance" in cached


def test_cache__looking_back_a_plan_is_judged_with_the_actions_added_since(example, mars, monkeypatch):
    """`check --as-of` judges a plan's written status by what is recorded by now: an action added after
    that day changes the finding, though the plan's actions as of that day did not change."""
    plan = example / "records" / "action-plan" / "2025-26" / "ap-2025-10-07-action-plan-neglect-thematic-event-qk8v"
    for path in plan.glob("act-*.md"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^status: in-progress$", "status: complete", text, flags=re.M)
        path.write_text(re.sub(r"^completed:$", "completed: 2026-02-10", text, flags=re.M), encoding="utf-8")
    plan_file = plan.with_suffix(".md")
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("status: monitoring", "status: complete"),
                         encoding="utf-8")
    _age(example)
    mars("-w", example, "check", "--as-of", "2026-01-15")
    template = (plan / "act-2025-10-07-add-a-housing-representative-to-the-9d2g.md").read_text(encoding="utf-8")
    new = re.sub(r"^id: .*$", "id: act-2026-03-01-new-open-action-zzzz", template, flags=re.M)
    new = re.sub(r"^status: .*$", "status: not-started", new, flags=re.M)
    new = re.sub(r"^created: .*$", "created: 2026-03-01", new, flags=re.M)
    new = re.sub(r"^completed: .*$", "completed:", new, flags=re.M)
    (plan / "act-2026-03-01-new-open-action-zzzz.md").write_text(re.sub(r"^due: .*$", "due: 2027-06-30", new,
                                                                        flags=re.M), encoding="utf-8")
    cached = mars("-w", example, "check", "--as-of", "2026-01-15").out
    monkeypatch.setenv(cache.OFF, "1")
    assert cached == mars("-w", example, "check", "--as-of", "2026-01-15").out
    assert "status-differs" in cached


def test_cache__what_another_mars_wrote_is_not_taken(example, mars, monkeypatch):
    """Another version of mars, or the same version with its files edited (a developer's, a reinstall),
    may work things out differently: its cache is ignored, never mixed with this one's."""
    mars("-w", example, "check")
    assert cache.Files(example).load("index") is not None
    with monkeypatch.context() as other:
        other.setattr(cache, "code", lambda: "0.1.0 another build")
        assert cache.Files(example).load("index") is None
    assert cache.Files(example).load("index") is not None


def test_cache__mars_set_checks_its_change_as_a_full_check_would(example, mars, monkeypatch):
    """`mars set` checks the record as it would be before writing it, taking from the cache the findings
    of every record the change cannot reach. Cancelling a Board meeting moves another record's deadline
    (its paper now goes to the next Board): that warning must be said, as without the cache; a change
    that would give an error is refused the same way; and the check after it agrees with a full one."""
    board = "board-2025-04-02-children-s-mars-board-november-2025-urqt"
    changes = [(board, "status=cancelled"), (board, "owner=nobody-at-all"), (board, "title=November Board (moved)")]
    plain_root = example.parent / "plain"
    shutil.copytree(example, plain_root)
    assert mars("-w", example, "check").code == 0  # the cache now holds every record's findings
    said = []
    for change in changes:
        cached = mars("-w", example, "set", *change)
        monkeypatch.setenv(cache.OFF, "1")
        plain = mars("-w", plain_root, "set", *change)
        monkeypatch.delenv(cache.OFF)
        assert (cached.code, cached.out, cached.err) == (plain.code, plain.out.replace(str(plain_root), str(example)),
                                                          plain.err), change
        said.append(cached)
        _same_with_and_without(mars, monkeypatch, example)
    assert said[0].code == 0 and "step 'to-board'" in said[0].err  # another record's deadline moved
    assert said[1].code != 0 and "nobody-at-all" in said[1].err  # refused: nothing written

    checked = []  # and only what the change can reach is checked again, not every record
    from mars_cli.rules import records as record_rules
    monkeypatch.setattr(record_rules, "check_record", lambda ctx, r, real=record_rules.check_record:
                        checked.append(r.path) or real(ctx, r))
    assert mars("-w", example, "set", board, "title=November Board (moved again)").code == 0
    assert 0 < len(checked) < 10, checked
