"""Proofs that keep running: hostile input drives the real command line, and mars always answers with
a finding or a clear error (exit 0, 1 or 2), never a traceback, a hang, or a file touched outside the
workspace; and a write killed at any moment leaves every record whole.

Property-based (hypothesis): every run tries new front matter, mars.yaml, processes.yaml and argument
lists, so the proofs keep looking. Each case runs `mars` in-process with
- an audit hook (sys.addaudithook) noting every file opened, listed, renamed, removed or made outside
  the workspace, Python's own folders and mars's package (what it reads is its own code and data);
- the files beside the workspace compared before and after;
- a watchdog: a command still running after HANG_SECONDS is a hang;
- no output line starting `::` (a GitHub workflow command) unless `--format github` was asked for.

By default each proof tries a few cases and the kill test kills a dozen writes (seconds in all); the
full proof (thousands of cases, 200 kills, 50 rounds of racing writers) is one command, which prints
the figures:

    .venv/bin/python tests/prove.py

docs/proofs.md records the last full run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import FULL_PROOFS, ROOT, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proof_figures import count
from test_action_edits import ACT, ACT_ID, AP_ID
from test_action_edits import FILES as PLAN_FILES
from test_process import EVENT, EVENT_ID, EVENT_PATH
from test_robustness import KEYS_OF, SETTINGS, with_entry_key, with_setting

from mars_cli.store import cache


settings.register_profile("mars-default", max_examples=6, deadline=dt.timedelta(seconds=30), database=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("mars-full", max_examples=500, deadline=dt.timedelta(seconds=60), database=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile("mars-full" if FULL_PROOFS else "mars-default")
HANG_SECONDS = 60
FORGED = "::error file=mars.yaml,line=1::Forged"
HUGE = "9" * 5000
FILES = {**PLAN_FILES, EVENT_PATH: EVENT}
FIGURES: Counter = Counter()


# ----------------------------------------------------------------------------- watching the file system

class Watch:
    """What the audit hook looks at: off (None) between commands, else the folders mars may touch."""
    allowed: tuple[str, ...] | None = None
    outside: list[str] = []


def _allowed_folders(root: Path) -> tuple[str, ...]:
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values(),
             str(ROOT / "mars_cli"), str(root), os.environ["XDG_STATE_HOME"],
             os.path.join(os.environ["XDG_CACHE_HOME"], "mars")}  # mars's own: its log, its cache's key
    return tuple(os.path.realpath(p) + os.sep for p in paths) + ("/dev/null",)


# Python's import machinery lists the folders on sys.path when mars imports a module lazily
IMPORT_PATHS = {os.path.realpath(p) for p in sys.path if p}


def _audit(event: str, args: tuple) -> None:
    allowed = Watch.allowed
    if allowed is None or event not in WATCHED:
        return
    for path in WATCHED[event](args):
        if isinstance(path, int) or path is None:
            continue  # an open file descriptor: its opening was seen
        try:
            real = os.path.realpath(os.fsdecode(path))
        except (ValueError, TypeError):  # a path Python will refuse to open (a NUL in it): nothing is touched
            continue
        if not (real + os.sep).startswith(allowed) and not (event == "os.listdir" and real in IMPORT_PATHS):
            Watch.outside.append(f"{event} {real}")


WATCHED = {
    "open": lambda a: a[:1], "os.listdir": lambda a: a[:1], "os.scandir": lambda a: a[:1],
    "os.rename": lambda a: a[:2], "os.remove": lambda a: a[:1], "os.rmdir": lambda a: a[:1],
    "os.mkdir": lambda a: a[:1], "os.symlink": lambda a: a[:2], "os.link": lambda a: a[:2],
    "os.chmod": lambda a: a[:1], "os.truncate": lambda a: a[:1], "shutil.copyfile": lambda a: a[:2],
    "subprocess.Popen": lambda a: [a[2]] if len(a) > 2 else [],  # the folder a program is started in
}
sys.addaudithook(_audit)  # cannot be removed: Watch.allowed turns it on and off


class Hang(BaseException):  # not an Exception: mars's own error boundary must not swallow it
    pass


def _alarm(signum, frame):
    raise Hang()


def run_watched(mars, root: Path, args: list[str]) -> dict:
    """Run `mars -w root *args` in-process from a folder outside the workspace; what it did."""
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "decoy.md").write_text("not mars's to touch\n", encoding="utf-8")
    cache.user_key()  # the user's own key for the cache, made once (it lives beside these folders in a test)
    beside = _beside(root)
    Watch.outside, Watch.allowed = [], _allowed_folders(root)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        result = mars("-w", root, *args, cwd=elsewhere)
        hang = False
    except Hang:
        result, hang = None, True
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        Watch.allowed = None
    changed = sorted(set(beside.items()) ^ set(_beside(root).items()))
    outside = Watch.outside + [f"changed {name}" for name, _ in changed]
    text = "" if result is None else result.text
    forged = [] if "github" in args else [line for line in text.splitlines() if line.startswith("::")]
    return {"args": args, "code": None if result is None else result.code, "text": text, "hang": hang,
            "traceback": "Traceback" in text or (result is not None and result.code == 3),
            "outside": outside, "forged": forged}


def _beside(root: Path) -> dict[str, bytes]:
    """Every file beside the workspace (its parent folder, less the workspace and the crash logs)."""
    return {k: v for k, v in snapshot(root.parent).items() if not k.startswith((root.name + "/", "state/"))}


def judged(outcome: dict) -> None:
    """Count the case, then fail it if mars crashed, hung, touched a file outside or forged a CI line."""
    FIGURES.update(cases=1, tracebacks=outcome["traceback"], hangs=outcome["hang"],
                   outside=len(outcome["outside"]), forged=len(outcome["forged"]))
    FIGURES[f"exit_{outcome['code']}"] += 1
    where = f"mars {' '.join(map(repr, outcome['args']))}"
    assert not outcome["hang"], f"{where}: still running after {HANG_SECONDS} s"
    assert not outcome["traceback"], f"{where}: exit {outcome['code']}\n{outcome['text']}"
    assert outcome["code"] in (0, 1, 2), f"{where}: exit {outcome['code']}\n{outcome['text']}"
    assert outcome["outside"] == [], f"{where}: outside the workspace: {outcome['outside']}"
    assert outcome["forged"] == [], f"{where}: forged workflow commands: {outcome['forged']}"


@pytest.fixture(scope="module", autouse=True)
def _figures():
    yield
    count(**{f"fuzz_{k}": v for k, v in FIGURES.items()})
    print(f"\nfuzzed: {dict(FIGURES)}")


def restore(root: Path, before: dict[str, bytes]) -> None:
    """Put the workspace back as it was (every case starts from the same files)."""
    now = snapshot(root)
    for name in now.keys() - before.keys():
        (root / name).unlink()
    for name, data in before.items():
        if now.get(name) != data:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)


@pytest.fixture
def fuzzed(workspace_with, mars):
    """Run the reading commands (or the given ones) on the workspace with some files replaced, then put them back."""
    root = workspace_with(FILES, commit=True)
    before = snapshot(root)

    def run(files: dict[str, str | bytes], commands=READERS) -> list[dict]:
        for name, content in files.items():  # as given, byte for byte
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        try:
            outcomes = [run_watched(mars, root, args) for args in commands]
        finally:
            restore(root, before)
        for outcome in outcomes:
            judged(outcome)
        return outcomes
    return run


READERS = [["check", "--as-of", "2026-02-16"], ["check", "--format", "json"], ["list", "--format", "csv"],
           ["status"], ["overdue", "--as-of", "2026-02-16"], ["due", "--within", "30"],
           ["show", ACT_ID], ["show", EVENT_ID, "--format", "json"]]
WRITERS = [["action", "update", ACT_ID, "--note", "fuzzed", "--by", "officer-1", "--as-of", "2026-02-16"],
           ["action", "extend", ACT_ID, "--to", "2026-06-30", "--reason", "r", "--agreed-by", "lsp-police",
            "--as-of", "2026-02-16"],
           ["step", EVENT_ID, "programme", "--done", "--date", "2025-10-01", "--by", "officer-1", "--as-of", "2026-02-16"],
           ["signoff", EVENT_ID, "--for", "agency", "--by", "dsp-police", "--as", "dsp:police", "--date", "2025-06-10",
            "--evidence", "minutes", "--as-of", "2026-02-16"]]


# ----------------------------------------------------------------------------- hostile values

def hostile_text() -> st.SearchStrategy[str]:
    """Text as a hostile or careless hand types it: control characters, escapes, a forged CI line, huge."""
    pieces = st.sampled_from(["\n" + FORGED, "\x1b[2J", "\x1b]0;pwned\x07", "\x00", "\r", "\t", "\u202e", "$(touch PWNED)",
                              "`", "../../../etc/passwd", "/etc/passwd", "'", '"', "#", ": ", "- ", "{", "[", "&a", "*a",
                              "!!python/object:os.system", "\ud7ff", "\U0001f600", "ﬀ", "٣"])
    return st.lists(st.one_of(pieces, st.text(max_size=20)), max_size=6).map("".join) | \
        st.integers(1, 200_000).map(lambda n: "x" * n)


def scalars() -> st.SearchStrategy:
    return st.one_of(st.none(), st.booleans(), st.integers(), st.integers(10 ** 19, 10 ** 40),
                     st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(), hostile_text())


def values() -> st.SearchStrategy:
    return st.recursive(scalars(), nested, max_leaves=12)


def nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(inner, max_size=4) | st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4)


def as_yaml(value) -> str:
    """A value in YAML's flow style (JSON is YAML; dates and odd floats written as YAML writes them)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "-.inf" if value < 0 else ".inf"
    if isinstance(value, list):
        return "[" + ", ".join(as_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {as_yaml(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


# Raw YAML an editor could hold: anchors and aliases, tags (Python objects!), merges, bad indentation.
RAW = ["&anchor [1, 2]", "*anchor", "*nowhere", "!!python/object/apply:os.system ['touch PWNED']",
       "!!python/name:os.system", "!!binary aGVsbG8=", "!!set {a, b}", "!custom x", "!!timestamp 2026-13-45",
       "<<: {a: 1}", "|\n  block\n  text", ">-\n folded", "[unclosed", "{a: 1", "'unterminated", "@reserved",
       "%YAML 1.1", "2026-02-30", "1e400", "0x" + "f" * 60, "-" * 3, "...", HUGE]

FIELD_NAMES = ["id", "kind", "title", "status", "marking", "created", "owner", "due", "completed", "updates",
               "extensions", "evidence", "steps", "signoffs", "agency", "date", "lead_iso", "source", "subjects",
               "year", "scrutineers", "ratings", "<<"]


ENTRY_KEYS = {"updates": ["date", "by", "note"], "extensions": ["from", "to", "reason", "agreed_by", "date"],
              "steps": ["step", "date", "by", "note", "skipped"], "signoffs": ["for", "by", "as", "date", "evidence", "hash"],
              "subjects": ["name", "dob", "agency"], "evidence": [], "scrutineers": []}


def entries(field: str) -> st.SearchStrategy[str]:
    """A list of a field's entries (`updates:`, `signoffs:`...), each key given a meaningful or hostile value."""
    keys = ENTRY_KEYS[field]
    entry = st.fixed_dictionaries({}, optional={k: st.one_of(values(), st.sampled_from(KNOWN_VALUES)) for k in keys}) \
        if keys else st.one_of(values(), st.sampled_from(KNOWN_VALUES))
    return st.lists(entry, max_size=4).map(as_yaml)


KNOWN_VALUES = ["officer-1", "dsp-police", "dsp:police", "agency", "letter", "event", "programme", "2025-10-01",
                "2026-02-16", "council-cs", "trust", "portfolio-lead", "0123456789abcdef"]


@st.composite
def front_matter(draw, record: str) -> str:
    """A record's front matter: most of its own lines kept, some keys (its own, others, random) given random
    values, entries or raw YAML."""
    own = record.split("\n---\n")[0].splitlines()[1:]
    dropped = draw(st.sets(st.integers(0, len(own) - 1), max_size=3))
    lines = [line for i, line in enumerate(own) if i not in dropped and not line.startswith((" ", "\t"))]
    for _ in range(draw(st.integers(1, 5))):
        key = draw(st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=10)))
        value = draw(st.one_of(entries(key), st.sampled_from(KNOWN_VALUES)) if key in ENTRY_KEYS else
                     st.one_of(values().map(as_yaml), st.sampled_from(RAW)))
        lines = [line for line in lines if line.partition(":")[0] != key]  # replaced (a duplicate key now and then)
        lines.insert(draw(st.integers(0, len(lines))), f"{key}: {value}" if draw(st.booleans()) else
                     f"{json.dumps(key, ensure_ascii=False)}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + draw(hostile_text()) + "\n"


def broken_text() -> st.SearchStrategy[str | bytes]:
    """Text that is hardly a record at all."""
    return st.one_of(st.text(), st.binary(max_size=200),
                     st.text().map(lambda t: f"---\n{t}\n---\n"),
                     st.sampled_from(["", "---", "---\n", "---\n---\n", "\ufeff---\nid: x\n---\n", "---\r\nid: x\r\n---\r\n",
                                      "<<<<<<< HEAD\nid: a\n=======\nid: b\n>>>>>>> other\n"]))


# ----------------------------------------------------------------------------- the proofs: records

@PROFILE
@given(data=st.data(), where=st.sampled_from([ACT, EVENT_PATH, "records/x.md"]))
def test_hostile_front_matter_gets_a_finding_never_a_crash(fuzzed, data, where):
    """A record's front matter made hostile, then the reading commands, and the writers that edit it."""
    text = data.draw(st.one_of(front_matter(FILES.get(where, FILES[ACT])), broken_text()), label="text")
    fuzzed({where: text}, [*READERS, *WRITERS])


# ----------------------------------------------------------------------------- mars.yaml

SECTIONS_KEYS = [(section, key) for section, keys in KEYS_OF.items() for key in keys]


@st.composite
def mars_yaml(draw) -> str:
    """A valid mars.yaml, then mutated: a setting or a key of a partner, agency or person given a hostile
    value (test_robustness writes the file), lines dropped, doubled or cut short."""
    value = draw(st.one_of(values().map(as_yaml), st.sampled_from(RAW)))
    if draw(st.booleans()):
        config, _ = with_setting(draw(st.sampled_from([*SETTINGS, "unknown_setting"])), value)
    else:
        config, _ = with_entry_key(*draw(st.sampled_from(SECTIONS_KEYS)), value)
    lines = config.splitlines()
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        lines[i:i + 1] = draw(st.sampled_from([[], [lines[i], lines[i]], [lines[i][: len(lines[i]) // 2]],
                                                ["  " + lines[i]]]))
    return "\n".join(lines) + "\n"


@PROFILE
@given(config=st.one_of(mars_yaml(), broken_text()))
def test_a_hostile_mars_yaml_gets_a_clear_error_never_a_crash(fuzzed, config):
    fuzzed({"mars.yaml": config}, READERS[:5])


# ----------------------------------------------------------------------------- processes.yaml

DUES = st.one_of(
    st.builds("{} {} {} {}".format, st.one_of(st.integers(-10, 400), st.integers(10 ** 6, 10 ** 30)),
              st.sampled_from(["days", "weeks", "months", "working days", "day", "years", "fortnights"]),
              st.sampled_from(["before", "after", "around"]), st.sampled_from(["date", "year_end", "event", "nothing"])),
    st.sampled_from(["on date", "on year_end", "on nothing", "next board after date", "next splig after event",
                     "next meeting after date", "on", "", "2026-02-30", HUGE + " days after date"]),
    values().map(as_yaml), st.sampled_from(RAW))


@st.composite
def processes_yaml(draw) -> str:
    """A workspace's processes.yaml changing the agency event's and action plan's rules: odd `due:` values,
    settings and keys."""
    lines = ["settings:", f"  due_soon_days: {draw(st.one_of(values().map(as_yaml), st.sampled_from(RAW)))}",
             "processes:", "  agency-event:", "    steps:"]
    for step in draw(st.lists(st.sampled_from(["event", "return-sent", "programme", "new-step", "endorsed"]),
                              min_size=1, max_size=3, unique=True)):
        lines += [f"      {step}:", f"        due: {draw(DUES)}"]
        if draw(st.booleans()):
            key = draw(st.sampled_from(["needs", "gate", "optional", "status", "approval", "label", "strength"]))
            lines.append(f"        {key}: {draw(st.one_of(values().map(as_yaml), st.sampled_from(RAW)))}")
    return "\n".join(lines) + "\n"


@PROFILE
@given(text=st.one_of(processes_yaml(), broken_text()))
def test_a_hostile_processes_yaml_gets_a_clear_error_never_a_crash(fuzzed, text):
    fuzzed({"processes.yaml": text}, [*READERS[:5], ["show", EVENT_ID], ["rules"],
                                      ["step", EVENT_ID, "programme", "--done", "--date", "2025-10-01",
                                       "--by", "officer-1", "--as-of", "2026-02-16"]])


# ----------------------------------------------------------------------------- arguments

COMMANDS = {("check",), ("list",), ("show",), ("overdue",), ("due",), ("status",), ("step",), ("signoff",),
            ("action", "update"), ("action", "extend"), ("action", "add")}
KNOWN = {  # values that mean something here, for the options and arguments named
    "record_id": [ACT_ID, EVENT_ID, AP_ID], "action": [ACT_ID, AP_ID], "plan": [AP_ID], "name": ["event", "programme"],
    "fmt": ["text", "json", "csv", "github", "yaml", "ics", "markdown"], "as_of": ["2026-02-16", "2025-06-01"],
    "date": ["2025-10-01", "2026-02-16"], "to": ["2026-06-30"], "by": ["officer-1", "dsp-police", "nobody"],
    "agreed_by": ["lsp-police"], "role": ["dsp:police", "portfolio-lead"], "what": ["agency", "letter"],
    "kind": ["action", "agency-event"], "status": ["in-progress", "complete"], "new_status": ["complete", "dropped"],
    "owner": ["council-cs"], "agency": ["trust"], "within": ["14", "0", "-1"], "fail_on": ["any", "must"],
    "year": ["2025-26"],
}
# -w is left out: another workspace named on the command line is the user's choice to read there
ODD = ["", "-", "--", "-1", "0", "9" * 30, "99999-01-01", "0000-00-00", "2026-02-30", "2026-W07", "today", "--help",
       "--format", "/etc/passwd", "../../outside", "records", "mars.yaml", "%s%n", "\x1b[2J"]


def params_of(path: tuple[str, ...]):
    from mars_cli.cli.main import command

    cmd = command()
    for name in path:
        cmd = cmd.commands[name]
    return cmd.params


@st.composite
def arguments(draw) -> list[str]:
    """A command and some of its arguments and options, each given a meaningful, odd or hostile value."""
    path = draw(st.sampled_from(sorted(COMMANDS)))
    args = list(path)
    for param in draw(st.lists(st.sampled_from(params_of(path)), max_size=6)):
        value = draw(st.one_of(st.sampled_from(KNOWN.get(param.name, ["x"])), st.sampled_from(ODD), hostile_text()))
        if getattr(param, "is_flag", False):
            args.append(param.opts[0])
        elif param.opts[0].startswith("-"):
            args += [draw(st.sampled_from(param.opts)), value]
        else:
            args.append(value)
    if draw(st.booleans()):
        args.append(draw(st.sampled_from(ODD)))
    return args


@pytest.fixture
def plan(workspace_with) -> Path:
    return workspace_with(FILES, commit=True)


@PROFILE
@given(args=st.lists(arguments(), min_size=1, max_size=4))
def test_hostile_arguments_get_a_clear_error_never_a_crash(plan, mars, args):
    """Commands run one after another on one workspace, writers included (each write must stay inside it)."""
    before = snapshot(plan)
    try:
        outcomes = [run_watched(mars, plan, a) for a in args]
    finally:
        restore(plan, before)
    for outcome in outcomes:
        judged(outcome)


def test_the_watch_sees_a_file_read_or_written_outside_and_a_hang(plan, monkeypatch):
    """The proofs can fail: a command that reads a file outside, writes one beside the workspace or hangs is caught."""
    from conftest import Result

    def peeking(*args, cwd):
        open("/etc/passwd", "rb").close()
        (plan.parent / "elsewhere" / "left").write_text("x")
        return Result(0, "", "")
    outcome = run_watched(peeking, plan, ["check"])
    assert "open /etc/passwd" in outcome["outside"] and "changed elsewhere/left" in outcome["outside"]
    assert not outcome["hang"] and not outcome["traceback"]

    monkeypatch.setattr(sys.modules[__name__], "HANG_SECONDS", 1)
    assert run_watched(lambda *args, cwd: time.sleep(5), plan, ["check"])["hang"]
    crashed = run_watched(lambda *args, cwd: Result(3, "", "mars: unexpected error"), plan, ["check"])
    counted = FIGURES.copy()
    with pytest.raises(AssertionError, match="exit 3"):
        judged(crashed)
    FIGURES.clear()
    FIGURES.update(counted)  # not one of mars's cases


def test_a_title_holding_a_workflow_command_prints_no_line_of_its_own(workspace_with, mars):
    """A title holding a newline and a workflow command: `show` keeps it on the title's line, escaped
    (issue 13 point 2), so GitHub never reads it as a command."""
    title = "title: 'Embed the graded care profile: early help'   # agreed wording"
    root = workspace_with({**FILES, ACT: FILES[ACT].replace(title, f"title: {json.dumps('x' + chr(10) + FORGED)}")})
    assert run_watched(mars, root, ["show", ACT_ID, "--as-of", "2026-02-16"])["forged"] == []


def test_a_huge_number_in_a_due_rule_is_a_finding_not_a_crash(fuzzed, mars):
    """A `due:` of 5,000 digits in processes.yaml is reported (issue 13 point 6), never exit 3."""
    rule = f"processes:\n  agency-event:\n    steps:\n      event:\n        due: {HUGE} days after date\n"
    counted = FIGURES.copy()
    try:
        [outcome] = fuzzed({"processes.yaml": rule}, [["check"]])
        assert outcome["code"] in (1, 2) and "processes.yaml:5" in outcome["text"], outcome["text"]
    finally:
        FIGURES.clear()
        FIGURES.update(counted)


def test_an_agency_named_by_a_number_is_named_by_that_text(workspace_with, mars):
    """Found by the full proof: `name: 1` for an agency (a number where text is wanted, which check lets
    pass) made `status` and `overdue` stop with exit 3. The number is read as the text it looks like."""
    from conftest import CONFIG

    config = CONFIG.replace("    name: Testshire Hospitals NHS Trust\n", "    name: 1\n")
    assert config != CONFIG
    root = workspace_with(FILES, config=config)
    for command in (["status"], ["overdue", "--format", "markdown", "--as-of", "2026-02-16"],
                    ["overdue", "--as-of", "2026-02-16"], ["check"]):
        outcome = run_watched(mars, root, command)
        judged(outcome)
