"""`mars check --verify-signoffs`: each sign-off is traced, in git's history, to the commit that added it.

Real repositories, real commits by different authors (`git commit --author`): the signer's own commit
passes, a MARS officer's passes when the sign-off names its evidence, anyone else's is flagged, and so
is a sign-off edited later, one not committed yet, a shallow clone, a workspace outside git, and (when
mars.yaml requires it) a commit without a signature git verifies.
"""

from __future__ import annotations

import json
import subprocess

from conftest import CONFIG, git, record, snapshot

AP_ID = "ap-2025-06-01-plan-aaaa"
AP = f"records/action-plan/2025-26/{AP_ID}.md"
FAY = "Fay Delegate <fay@example.org>"  # dsp-police, the SPLIG chair: the signer below
FAY_NOREPLY = "Fay D <12345+fay@users.noreply.github.com>"
HAL = "Hal Officer <hal@example.org>"  # officer-1, a MARS officer
BOB = "Bob Delegate <bob@example.org>"  # dsp-council: in mars.yaml, but neither the signer nor an officer
STRANGER = "Someone <someone@elsewhere.example>"

FAY_LINE = "  - {id: dsp-police, name: Fay Delegate, email: fay@example.org, roles: [splig-chair]}\n"
assert FAY_LINE in CONFIG
TWO_EMAILS = CONFIG.replace(FAY_LINE, "  - id: dsp-police\n    name: Fay Delegate\n"
                            "    email: [fay@example.org, 12345+Fay@users.noreply.github.com]\n    roles: [splig-chair]\n")
SIGNED = CONFIG + "require_signed_commits: true\n"

PLAN = record("action-plan", AP_ID, status="draft", owner="police-force", more="steps: []")
SIGNOFF = """\
signoffs:
  - for: plan
    by: dsp-police
    as: splig-chair
    date: 2025-06-03
{evidence}    hash: 0123456789abcdef
"""
SIGNOFF_LINE = 10  # the `- for: plan` line: 1 ---, 2-7 the seven lines every record has, 8 owner, 9 signoffs


def with_signoff(evidence: str | None = None) -> str:
    entry = SIGNOFF.format(evidence=f"    evidence: {evidence}\n" if evidence else "")
    return PLAN.replace("steps: []\n", entry + "steps: []\n")


def commit(root, author: str, message: str = "change", *extra: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", *extra, "--author", author, "-m", message)


def planted(workspace_with, author: str, *, evidence: str | None = None, config: str = CONFIG):
    """A workspace whose plan is committed first without a sign-off, then the sign-off by `author`."""
    root = workspace_with({AP: PLAN}, config=config, commit=True)
    (root / AP).write_text(with_signoff(evidence), encoding="utf-8")
    commit(root, author, "Sign-off of the plan")
    return root


def provenance(mars, root, *extra: str) -> tuple[int, list[dict]]:
    before = snapshot(root)
    result = mars("-w", root, "check", "--verify-signoffs", "--format", "json", *extra)
    assert "Traceback" not in result.text
    assert snapshot(root) == before, "check must never change a file"
    findings = json.loads(result.out)["findings"]
    return result.code, [f for f in findings if f["rule"].startswith("provenance.")]


def where(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["path"], f["line"], f["severity"]) for f in findings]


def test_verify_signoffs__the_signers_own_commit_is_trusted(workspace_with, mars):
    root = planted(workspace_with, FAY)
    assert (root / AP).read_text(encoding="utf-8").splitlines()[SIGNOFF_LINE - 1] == "  - for: plan"
    assert provenance(mars, root)[1] == []


def test_verify_signoffs__a_signoff_last_in_the_front_matter_ends_before_its_closing_line(workspace_with, mars):
    plan = record("action-plan", AP_ID, status="draft", owner="police-force")
    root = workspace_with({AP: plan}, commit=True)
    (root / AP).write_text(plan.replace("owner: police-force\n", "owner: police-force\n" + SIGNOFF.format(evidence="")),
                           encoding="utf-8")
    commit(root, FAY)
    assert provenance(mars, root)[1] == []  # the closing --- (an older commit's line) is not part of it


def test_verify_signoffs__any_of_the_signers_emails_counts(workspace_with, mars):
    root = planted(workspace_with, FAY_NOREPLY, config=TWO_EMAILS)
    assert provenance(mars, root)[1] == []
    assert where(provenance(mars, planted(workspace_with, FAY_NOREPLY))[1]) == [
        ("provenance.unverified-author", AP, SIGNOFF_LINE, "error")]  # without the second address


def test_verify_signoffs__an_officer_naming_the_evidence_is_trusted(workspace_with, mars):
    root = planted(workspace_with, HAL, evidence="SPLIG minutes 3 June 2025")
    assert provenance(mars, root)[1] == []


def test_verify_signoffs__an_officer_without_evidence_is_flagged(workspace_with, mars):
    code, found = provenance(mars, planted(workspace_with, HAL))
    assert code == 1
    assert where(found) == [("provenance.no-evidence", AP, SIGNOFF_LINE, "error")]
    assert "officer-1" in found[0]["message"] and "evidence:" in found[0]["hint"]


def test_verify_signoffs__someone_else_is_flagged(workspace_with, mars):
    for author, named in ((BOB, "bob@example.org (dsp-council)"), (STRANGER, "someone@elsewhere.example, who is not")):
        code, found = provenance(mars, planted(workspace_with, author, evidence="e-mail of 3 June 2025"))
        assert code == 1
        assert where(found) == [("provenance.unverified-author", AP, SIGNOFF_LINE, "error")]
        assert named in found[0]["message"] and "dsp-police" in found[0]["message"]


def test_verify_signoffs__a_signoff_changed_later_is_flagged(workspace_with, mars):
    root = planted(workspace_with, FAY)
    text = (root / AP).read_text(encoding="utf-8")
    (root / AP).write_text(text.replace("    date: 2025-06-03\n", "    date: 2025-06-02\n"), encoding="utf-8")
    commit(root, FAY, "Back-date the sign-off")
    code, found = provenance(mars, root)
    assert code == 1
    assert where(found) == [("provenance.changed-after", AP, SIGNOFF_LINE, "error")]
    later = git(root, "rev-parse", "HEAD").strip()[:10]
    assert f"line {SIGNOFF_LINE + 3} was last changed in {later} by fay@example.org" in found[0]["message"]


def test_verify_signoffs__an_uncommitted_signoff_is_not_yet_verifiable(workspace_with, mars):
    root = workspace_with({AP: PLAN}, commit=True)
    (root / AP).write_text(with_signoff(), encoding="utf-8")  # changed in the working tree only
    code, found = provenance(mars, root)
    assert where(found) == [("provenance.uncommitted", AP, SIGNOFF_LINE, "warning")]
    assert "not committed yet" in found[0]["message"]
    new = workspace_with({AP: with_signoff()})  # a file git has never seen
    assert where(provenance(mars, new)[1]) == [("provenance.uncommitted", AP, SIGNOFF_LINE, "warning")]


def test_verify_signoffs__a_shallow_clone_is_reported_as_such(workspace_with, mars, tmp_path):
    root = planted(workspace_with, FAY)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{root}", str(clone)], check=True)
    code, found = provenance(mars, clone)
    assert code == 1
    assert where(found) == [("provenance.shallow", "mars.yaml", 0, "error")]
    assert "shallow clone" in found[0]["message"] and "fetch-depth: 0" in found[0]["hint"]
    full = tmp_path / "full"
    subprocess.run(["git", "clone", "--quiet", f"file://{root}", str(full)], check=True)
    assert provenance(mars, full)[1] == []


def test_verify_signoffs__outside_git_it_says_so(workspace_with, mars):
    root = workspace_with({AP: with_signoff()})
    subprocess.run(["rm", "-rf", str(root / ".git")], check=True)
    code, found = provenance(mars, root)
    assert code == 1
    assert where(found) == [("provenance.no-git", "mars.yaml", 0, "error")]


def test_verify_signoffs__required_signature_missing_is_flagged(workspace_with, mars):
    root = planted(workspace_with, FAY, config=SIGNED)
    code, found = provenance(mars, root)
    assert code == 1
    assert where(found) == [("provenance.unsigned", AP, SIGNOFF_LINE, "error")]
    assert "has no signature" in found[0]["message"]
    assert provenance(mars, planted(workspace_with, FAY))[1] == []  # not required: not asked


def test_verify_signoffs__a_signature_git_verifies_passes(workspace_with, mars, tmp_path):
    key = tmp_path / "fay-key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fay", "-f", str(key)], check=True)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"fay@example.org {(tmp_path / 'fay-key.pub').read_text()}", encoding="utf-8")
    root = workspace_with({AP: PLAN}, config=SIGNED, commit=True)
    for name, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)),
                        ("gpg.ssh.allowedSignersFile", str(allowed))):
        git(root, "config", name, value)
    (root / AP).write_text(with_signoff(), encoding="utf-8")
    commit(root, FAY, "Signed sign-off", "-S")
    assert provenance(mars, root)[1] == []
    allowed.write_text("", encoding="utf-8")  # the key is no longer one git accepts
    found = provenance(mars, root)[1]
    assert [f["rule"] for f in found] == ["provenance.unsigned"], found
    assert "a key git does not trust" in found[0]["message"]


def test_check__without_the_flag_looks_at_no_history(workspace_with, mars):
    root = planted(workspace_with, STRANGER)
    result = mars("-w", root, "check", "--format", "json")
    assert not [f for f in json.loads(result.out)["findings"] if f["rule"].startswith("provenance.")]


def test_verify_signoffs__text_output_names_file_line_and_rule(workspace_with, mars):
    result = mars("-w", planted(workspace_with, STRANGER), "check", "--verify-signoffs")
    assert result.code == 1
    assert f"{AP}:{SIGNOFF_LINE}: error unverified-author the sign-off of 'plan' by dsp-police" in result.out
    assert "rule: provenance.unverified-author" in result.out


def test_verify_signoffs__one_git_blame_per_file(workspace_with, mars, monkeypatch):
    root = workspace_with({AP: PLAN}, commit=True)
    text = with_signoff().replace("steps: []\n", "  - for: plan\n    by: dsp-police\n    as: splig-chair\n"
                                                  "    date: 2025-06-04\n    hash: fedcba9876543210\nsteps: []\n")
    (root / AP).write_text(text, encoding="utf-8")
    commit(root, FAY)
    from mars_cli.store import git as store_git

    calls = []
    real = store_git._git
    monkeypatch.setattr(store_git, "_git", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    assert provenance(mars, root)[1] == []
    assert calls.count("blame") == 1, calls


def test_config__email_may_be_a_list_and_each_address_is_checked(workspace_with, mars):
    bad = TWO_EMAILS.replace("12345+Fay@users.noreply.github.com", "not-an-address")
    result = mars("-w", workspace_with({}, config=bad), "check")
    line = bad.splitlines().index("    email: [fay@example.org, not-an-address]") + 1
    assert result.code == 1
    assert f"mars.yaml:{line}: error bad-setting person 'dsp-police' has no valid e-mail ('not-an-address')" \
        in result.out
    assert mars("-w", workspace_with({}, config=TWO_EMAILS), "check").code == 0


def test_config__require_signed_commits_must_be_true_or_false(workspace_with, mars):
    config = CONFIG + "require_signed_commits: yes please\n"
    result = mars("-w", workspace_with({}, config=config), "check")
    assert result.code == 1
    line = len(config.splitlines())
    assert f"mars.yaml:{line}: error bad-setting require_signed_commits must be true or false" in result.out
    assert "unknown setting" not in mars("-w", workspace_with({}, config=SIGNED), "check").out


def test_verify_signoffs__an_authors_email_cannot_reach_the_terminal_raw(workspace_with, mars):
    root = planted(workspace_with, "Evil <ev\x1b[2Jil@elsewhere.example>")
    result = mars("-w", root, "check", "--verify-signoffs")
    assert result.code == 1
    assert "\x1b" not in result.out
    assert "ev?[2jil@elsewhere.example, who is not in mars.yaml" in result.out


def test_verify_signoffs__three_partners_each_committing_their_own_signoff_all_pass(workspace_with, mars):
    """Real `mars signoff` entries, one a commit, each by its signer: each is traced to its own commit,
    however alike their lines are (git's diff could pair the same `as:` or `date:` lines across entries)."""
    ae_id = "ae-2025-06-01-trust-aaaa"
    ae = f"records/agency-event/2025-26/{ae_id}.md"
    root = workspace_with({ae: record("agency-event", ae_id, status="proposed", agency="trust", date="2025-09-30")},
                          commit=True)
    people = {"council": "Bob Delegate <bob@example.org>", "health": "Dan Delegate <dan@example.org>",
              "police": FAY}
    for partner, author in people.items():
        result = mars("-w", root, "signoff", ae_id, "--for", "agency", "--by", f"dsp-{partner}", "--as",
                      f"dsp:{partner}", "--date", "2025-06-20", "--as-of", "2025-07-01")
        assert result.code == 0, result.text
        commit(root, author, f"{partner} endorses")
    assert (root / ae).read_text(encoding="utf-8").count("  - for: agency") == 3
    assert provenance(mars, root, "--as-of", "2025-07-01") == (0, [])
