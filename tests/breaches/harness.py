"""Running a breach case: plant it, run `mars check`, find the finding, fix it, see it go.

A case plants its records in a fresh workspace, runs `mars check --format json --as-of DAY`, and
expects a finding of its rule at an exact file and line; then it builds the same workspace with the
breach fixed and expects no finding of that rule, so every case can fail.

The workspace's mars.yaml is conftest.CONFIG with a few more people (added after line 50, so no line
above moves): its agencies start on lines 18 council-cs, 23 police-force, 28 trust, 32 housing,
36 hill-primary, 39 tots, and iso-1 is line 49.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import CONFIG

ERROR, WARNING = "error", "warning"

OFFICER = "  - {id: officer-1, name: Hal Officer, email: hal@example.org, roles: [mars-officer]}\n"
assert OFFICER in CONFIG
MARS_YAML = CONFIG.replace(OFFICER, OFFICER + (
    "  - {id: head-hill, name: Ida Head, email: ida@example.org, roles: ['head:hill-primary']}\n"
    "  - {id: gov-hill, name: Jon Governor, email: jon@example.org, roles: ['governor:hill-primary']}\n"
    "  - {id: space-1, name: Kay Space, email: kay@example.org, roles: [space-lead]}\n"
    "  - {id: pl-trust, name: Lee Trust, email: lee@example.org, roles: [portfolio-lead], agency: trust}\n"
    "  - {id: iso-2, name: Mo Scrutineer, email: mo@example.org, roles: [iso]}\n"))

# The Section 11 summary is due once every duty agency's return is back: with this mars.yaml only the
# trust has the duty, so its one return completes the year (same lines as MARS_YAML).
TRUST_ONLY_DUTY = (MARS_YAML.replace("    section11: true\n    partner: council", "    section11: false\n    partner: council")
                   .replace("    section11: true\n    partner: police", "    section11: false\n    partner: police"))
assert TRUST_ONLY_DUTY.count("section11: true") == 1

# The records the cases plant, by ID and path (records/<kind>/<reporting year of created>/<id>.md).
S11_ID, S11_COUNCIL_ID, S11_POLICE_ID = "s11-2025-06-01-trust-aaaa", "s11-2025-06-01-council-bbbb", "s11-2025-06-01-police-cccc"
S11 = f"records/section11/2025-26/{S11_ID}.md"
S11_COUNCIL = f"records/section11/2025-26/{S11_COUNCIL_ID}.md"
S11_POLICE = f"records/section11/2025-26/{S11_POLICE_ID}.md"
SCH_ID = "sch-2025-06-01-hill-aaaa"
SCH = f"records/schools-audit/2025-26/{SCH_ID}.md"
EYA_ID = "eya-2025-06-01-tots-aaaa"
EYA = f"records/early-years-audit/2025-26/{EYA_ID}.md"
CI_ID = "ci-2025-06-01-trust-aaaa"
CI = f"records/call-in/2025-26/{CI_ID}.md"
AE_ID, AE_POLICE_ID = "ae-2025-06-01-trust-aaaa", "ae-2025-06-01-police-aaaa"
AE = f"records/agency-event/2025-26/{AE_ID}.md"
AE_POLICE = f"records/agency-event/2025-26/{AE_POLICE_ID}.md"
TE_ID = "te-2025-06-01-neglect-aaaa"
TE = f"records/thematic-event/2025-26/{TE_ID}.md"
LOS_ID = "los-2025-06-01-neglect-aaaa"
LOS = f"records/line-of-sight/2025-26/{LOS_ID}.md"
CLOS_ID = "clos-2025-06-01-case-aaaa"
CLOS = f"records/case-line-of-sight/2025-26/{CLOS_ID}.md"
MARPF_ID, MARPF_2_ID = "marpf-2025-06-01-first-aaaa", "marpf-2025-06-01-second-bbbb"
MARPF = f"records/marpf/2025-26/{MARPF_ID}.md"
MARPF_2 = f"records/marpf/2025-26/{MARPF_2_ID}.md"
SPACE_ID = "space-2025-06-01-neglect-aaaa"
SPACE = f"records/space-audit/2025-26/{SPACE_ID}.md"
MAA_ID = "maa-2025-06-01-case-aaaa"
MAA = f"records/multi-agency-audit/2025-26/{MAA_ID}.md"
VOICE_ID = "voice-2025-06-01-forum-aaaa"
VOICE = f"records/voice/2025-26/{VOICE_ID}.md"
PEER_ID = "peer-2025-06-01-visit-aaaa"
PEER = f"records/peer-review/2025-26/{PEER_ID}.md"
AR_ID = "ar-2025-04-01-report-aaaa"
AR = f"records/annual-report/2025-26/{AR_ID}.md"
RR_ID = "rr-2025-12-19-case-aaaa"
RR = f"records/rapid-review/2025-26/{RR_ID}.md"
AP_ID = "ap-2025-06-01-plan-aaaa"
AP = f"records/action-plan/2025-26/{AP_ID}.md"
ACT_ID = "act-2025-06-01-audit-aaaa"
ACT = f"records/action-plan/2025-26/{AP_ID}/{ACT_ID}.md"
ISO_A_ID, ISO_B_ID = "iso-2025-06-01-board-aaaa", "iso-2025-06-01-scrutiny-bbbb"
ISO_A = f"records/iso-activity/2025-26/{ISO_A_ID}.md"
ISO_B = f"records/iso-activity/2025-26/{ISO_B_ID}.md"
BOARD_ID, BOARD_2_ID = "board-2025-04-10-aaaa", "board-2025-10-16-bbbb"
BOARD = f"records/board-meeting/2025-26/{BOARD_ID}.md"
BOARD_2 = f"records/board-meeting/2025-26/{BOARD_2_ID}.md"
SPLIG_ID = "splig-2025-05-20-aaaa"
SPLIG = f"records/splig-meeting/2025-26/{SPLIG_ID}.md"
AP_TE_ID, AP_LOS_ID = "ap-2025-11-01-neglect-aaaa", "ap-2025-10-01-neglect-bbbb"
AP_TE = f"records/action-plan/2025-26/{AP_TE_ID}.md"
AP_LOS = f"records/action-plan/2025-26/{AP_LOS_ID}.md"


@dataclass
class Case:
    """A breach of one rule, and how to fix it.

    files    the workspace as planted (mars.yaml is MARS_YAML unless given here)
    path, line, severity   where the finding must point, and how serious it is
    as_of    the day `check` (and every command) runs as of
    run      `mars` commands run on both workspaces after writing the files (sign-offs, steps)
    edit     (path, old, new) changes made after `run` on the broken workspace only
    fix      (path, old, new) changes to the planted files that remove the breach
    fix_run  further commands run only on the fixed workspace
    words    text the finding's message holds
    code, hint, not_words   when given: the finding's code, text its hint holds, text its message must not hold
    history  for rules about git's history: history(root, broken) makes the commits (after run, edit or
             fix) and returns the folder to check (a clone, say); check_args: more options for `check`
    """

    files: dict[str, str]
    path: str
    line: int
    severity: str
    as_of: str
    run: tuple[str, ...] = ()
    edit: tuple[tuple[str, str, str], ...] = ()
    fix: tuple[tuple[str, str, str], ...] = ()
    fix_run: tuple[str, ...] = ()
    words: str | tuple[str, ...] = ""
    code: str = ""
    hint: str = ""
    not_words: tuple[str, ...] = ()
    history: Callable[[Path, bool], Path] | None = None
    check_args: tuple[str, ...] = ()


def endorse(rid: str, approval: str, date: str, partners=("council", "health", "police")) -> tuple[str, ...]:
    """`mars signoff` commands: each partner's DSP signs `approval` off on `date`."""
    return tuple(f"signoff {rid} --for {approval} --by dsp-{p} --as dsp:{p} --date {date}" for p in partners)


def lsp_signoffs(rid: str, date: str) -> tuple[str, ...]:
    return tuple(f"signoff {rid} --for sign-off --by lsp-{p} --as lsp:{p} --date {date}"
                 for p in ("council", "health", "police"))


def setting_signoffs(date: str) -> tuple[str, ...]:
    """The school's head and a governor record the audit's outcomes."""
    return (f"signoff {SCH_ID} --for outcomes --by head-hill --as head:hill-primary --date {date}",
            f"signoff {SCH_ID} --for outcomes --by gov-hill --as governor:hill-primary --date {date}")


# ----------------------------------------------------------------------------- running a case

def planted(workspace_with, files: dict[str, str]) -> Path:
    """A workspace holding these files (mars.yaml is MARS_YAML unless they give one)."""
    return workspace_with({k: v for k, v in files.items() if k != "mars.yaml"}, config=files.get("mars.yaml", MARS_YAML))


def replace(root: Path, changes) -> None:
    for rel, old, new in changes:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should be in {rel} once:\n{text}"
        path.write_text(text.replace(old, new), encoding="utf-8")


def run_commands(mars, root: Path, commands, as_of: str) -> None:
    for command in commands:
        result = mars("-w", root, *shlex.split(command), "--as-of", as_of)
        assert result.code == 0, f"`mars {command}` failed:\n{result.text}"


def check(mars, root: Path, as_of: str, *extra: str) -> list[dict]:
    result = mars("-w", root, "check", "--format", "json", "--as-of", as_of, *extra)
    assert "Traceback" not in result.text
    assert result.code in (0, 1), result.text
    doc = json.loads(result.out)
    assert doc["schema_version"] == 2 and doc["kind"] == "check"
    return doc["findings"]


def of_rule(findings: list[dict], rule_id: str) -> list[dict]:
    """The findings a rule names: `rule` is the rule's id (`source` says where it comes from)."""
    return [f for f in findings if f["rule"] == rule_id]


def where(findings: list[dict]) -> list[tuple]:
    return [(f["path"], f["line"], f["severity"]) for f in findings]


def broken_findings(workspace_with, mars, case: Case) -> list[dict]:
    root = planted(workspace_with, case.files)
    run_commands(mars, root, case.run, case.as_of)
    replace(root, case.edit)
    root = case.history(root, True) if case.history else root
    return check(mars, root, case.as_of, *case.check_args)


def fixed_findings(workspace_with, mars, case: Case) -> list[dict]:
    root = planted(workspace_with, case.files)
    replace(root, case.fix)
    run_commands(mars, root, case.run + case.fix_run, case.as_of)
    root = case.history(root, False) if case.history else root
    return check(mars, root, case.as_of, *case.check_args)


def assert_breach(workspace_with, mars, rule_id: str, case: Case, only: bool = False) -> dict:
    """The breach is reported where expected (and, if `only`, nowhere else), and the fixed workspace
    does not break the rule. Returns the finding."""
    found = of_rule(broken_findings(workspace_with, mars, case), rule_id)
    at = [f for f in found if f["path"] == case.path and f["line"] == case.line]
    assert at, f"no {rule_id} finding at {case.path}:{case.line}; found: {found}"
    assert not only or len(found) == 1, found
    finding = at[0]
    assert finding["severity"] == case.severity, finding
    assert finding["code"] == (case.code or finding["code"]), finding
    for words in (case.words,) if isinstance(case.words, str) else case.words:
        assert words in finding["message"], finding
    for words in case.not_words:
        assert words not in finding["message"], finding
    assert case.hint in finding["hint"], finding
    # Plain English: no word doubled or garbled ("should have been done done by", "was due done by").
    assert "done done" not in finding["message"] and "due done" not in finding["message"], finding["message"]
    assert of_rule(fixed_findings(workspace_with, mars, case), rule_id) == []
    return finding


def all_breaches() -> dict[str, tuple[str, Case]]:
    """Every case of every module here: rule id -> (the module's file name, the case)."""
    out: dict[str, tuple[str, Case]] = {}
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("test_"):
            for rule_id, case in getattr(importlib.import_module(f"breaches.{module.name}"), "BREACHES", {}).items():
                assert rule_id not in out, f"{rule_id} has a case in {out[rule_id][0]} and {module.name}.py"
                out[rule_id] = (f"{module.name}.py", case)
    return out
