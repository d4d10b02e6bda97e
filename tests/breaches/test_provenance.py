"""Sign-off provenance (`check --verify-signoffs`): who committed each sign-off, in git's history.

Each case makes real commits (`git commit --author`) in the planted workspace; the broken and the fixed
workspace differ only in who committed, what was committed later, or how much history there is.
(tests/test_verify_signoffs.py has the cases around them: e-mail lists, signed commits, one blame per file.)
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import git, record

from breaches.harness import AP, AP_ID, ERROR, MARS_YAML, WARNING, Case, assert_breach

FAY = "Fay Delegate <fay@example.org>"  # dsp-police, the SPLIG chair, who signs below
HAL = "Hal Officer <hal@example.org>"  # officer-1, a MARS officer
STRANGER = "Someone <someone@elsewhere.example>"
SIGNOFF = """
    signoffs:
      - for: plan
        by: dsp-police
        as: splig-chair
        date: 2025-06-03
        hash: 0123456789abcdef
    """
# Lines: 1 ---, 2-7 the lines every record has, 8 owner, 9 signoffs:, 10 the sign-off's `- for: plan`.
PLAN = record("action-plan", AP_ID, status="draft", owner="police-force", more=SIGNOFF)
LINE = 10
FLAG = ("--verify-signoffs",)


def committed(author: str, root: Path) -> Path:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "--author", author, "-m", "Records")
    return root


def by(broken_author: str, fixed_author: str):
    return lambda root, broken: committed(broken_author if broken else fixed_author, root)


def changed_later(root: Path, broken: bool) -> Path:
    committed(FAY, root)
    if broken:
        path = root / AP
        path.write_text(path.read_text(encoding="utf-8").replace("date: 2025-06-03", "date: 2025-06-02"),
                        encoding="utf-8")
        committed(FAY, root)
    return root


def outside_git(root: Path, broken: bool) -> Path:
    if broken:
        shutil.rmtree(root / ".git")
        return root
    return committed(FAY, root)


def cloned(root: Path, broken: bool) -> Path:
    committed(FAY, root)
    clone = root.parent / f"{root.name}-clone"
    depth = ("--depth", "1") if broken else ()
    subprocess.run(["git", "clone", "--quiet", *depth, f"file://{root}", str(clone)], check=True)
    return clone


BREACHES = {
    "provenance.unverified-author": Case(
        files={AP: PLAN}, history=by(STRANGER, FAY), check_args=FLAG,
        as_of="2025-06-10", path=AP, line=LINE, severity=ERROR, code="unverified-author",
        words=("the sign-off of 'plan' by dsp-police was added in commit", "someone@elsewhere.example",
               "neither the signer nor a MARS officer"), hint="`email:` list"),
    "provenance.no-evidence": Case(
        files={AP: PLAN}, history=by(HAL, HAL), check_args=FLAG,
        as_of="2025-06-10", path=AP, line=LINE, severity=ERROR, code="no-evidence",
        words="recorded by MARS officer officer-1", hint="Add `evidence:`",
        fix=((AP, "  hash: 0123", "  evidence: SPLIG minutes 3 June 2025\n    hash: 0123"),)),
    "provenance.changed-after": Case(
        files={AP: PLAN}, history=changed_later, check_args=FLAG,
        as_of="2025-06-10", path=AP, line=LINE, severity=ERROR, code="changed-after",
        words=(f"line {LINE + 3} was last changed in", "by fay@example.org"), hint="A sign-off is not edited"),
    "provenance.uncommitted": Case(
        files={AP: PLAN}, history=lambda root, broken: root if broken else committed(FAY, root), check_args=FLAG,
        as_of="2025-06-10", path=AP, line=LINE, severity=WARNING, code="uncommitted",
        words="is not committed yet", hint="Commit it"),
    "provenance.no-git": Case(
        files={AP: PLAN}, history=outside_git, check_args=FLAG,
        as_of="2025-06-10", path="mars.yaml", line=0, severity=ERROR, code="no-git",
        words="not in a git repository", hint="clone"),
    "provenance.shallow": Case(
        files={AP: PLAN}, history=cloned, check_args=FLAG,
        as_of="2025-06-10", path="mars.yaml", line=0, severity=ERROR, code="shallow",
        words="this is a shallow clone", hint="fetch-depth: 0"),
    "provenance.unsigned": Case(
        files={AP: PLAN, "mars.yaml": MARS_YAML + "require_signed_commits: true\n"}, history=by(FAY, FAY),
        check_args=FLAG, as_of="2025-06-10", path=AP, line=LINE, severity=ERROR, code="unsigned",
        words="which has no signature", hint="git commit -S",
        fix=(("mars.yaml", "require_signed_commits: true", "require_signed_commits: false"),)),
}


@pytest.mark.parametrize("rule_id", sorted(BREACHES))
def test_breach(workspace_with, mars, rule_id):
    assert_breach(workspace_with, mars, rule_id, BREACHES[rule_id])

