"""Sign-off provenance (`mars check --verify-signoffs`): who committed each sign-off.

Anyone can type `mars signoff ... --by margaret-ellison`, and anyone can recompute a sign-off's
hash, so the record alone proves nothing about who approved. Git's history can say more: the commit
that added a sign-off's lines, and its author. A sign-off is trusted when that author is the signer,
or a MARS officer (recording an approval given in a meeting or by e-mail, which its `evidence:` must
name), matched by the e-mail addresses people have in mars.yaml; when mars.yaml has
`require_signed_commits: true`, that commit must also carry a signature git itself verifies.

One `git blame` per file with sign-offs (not per sign-off), one `git log` for all signatures. A shallow
clone, a workspace outside git, or a sign-off not yet committed cannot be traced, and is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mars_cli.model.records import ERROR, WARNING, Config, Finding, Record, Workspace
from mars_cli.store import git
from mars_cli.store.settings import CONFIG_FILE

SOURCE = "the partnership's governance: an approval is given by the person named, or recorded for them by a MARS officer"
GOOD_SIGNATURES = ("G",)  # what `git verify-commit` accepts: a good signature from a key git trusts
SIGNATURE_WORDS = {"N": "has no signature", "B": "has a bad signature",
                   "U": "has a good signature from a key git does not trust (an SSH key not in "
                        "gpg.ssh.allowedSignersFile, or a GPG key not marked as trusted)",
                   "E": "has a signature git cannot check (is the signer's public key installed?)",
                   "X": "has a signature that has expired", "Y": "was signed by a key that has expired",
                   "R": "was signed by a key that has been revoked"}

_FLAG = " (`check --verify-signoffs`)"
PROVENANCE_RULES = {  # id -> (what it asks, where it comes from, severity)
    "provenance.no-git": ("the workspace is in a git repository, so sign-offs can be traced" + _FLAG, SOURCE, ERROR),
    "provenance.shallow": ("git's full history is at hand, not a shallow clone" + _FLAG, SOURCE, ERROR),
    "provenance.uncommitted": ("every sign-off is committed" + _FLAG, SOURCE, WARNING),
    "provenance.unverified-author": ("a sign-off is committed by its signer or by a MARS officer" + _FLAG, SOURCE,
                                     ERROR),
    "provenance.no-evidence": ("a sign-off a MARS officer recorded for someone names its evidence" + _FLAG, SOURCE,
                               ERROR),
    "provenance.changed-after": ("a sign-off's lines are not changed after the commit that added it" + _FLAG, SOURCE,
                                 ERROR),
    "provenance.unsigned": ("with require_signed_commits, a sign-off's commit has a signature git verifies" + _FLAG,
                            SOURCE, ERROR),
}


@dataclass(frozen=True, eq=False)  # each entry is itself (a dict key), whatever its fields
class Entry:
    """One sign-off as written: its record, its index in `signoffs:`, its fields and its lines."""

    record: Record
    index: int
    fields: dict
    lines: range

    @property
    def line(self) -> int:
        return self.lines.start

    @property
    def by(self) -> str:
        value = self.fields.get("by")
        return value if isinstance(value, str) else ""


def check_provenance(ws: Workspace) -> list[Finding]:
    """Every provenance finding of the workspace's sign-offs."""
    entries = [e for record in ws.records for e in signoff_entries(record)]
    if not entries:
        return []
    why = git.not_a_repository(ws.root)
    if why is not None:
        return [_whole("no-git", f"the workspace is not in a git repository git will work in ({why}), so its "
                       f"{len(entries)} sign-off(s) cannot be traced to who committed them",
                       "Run `mars check --verify-signoffs` in a clone of the records' git repository (if git "
                       "says the ownership is dubious, see `git config --global --add safe.directory`).")]
    if git.is_shallow(ws.root):
        return [_whole("shallow", f"this is a shallow clone: git's history is cut off, so the {len(entries)} "
                       "sign-off(s) cannot be traced to the commits that added them",
                       "Fetch the full history (`git fetch --unshallow`; in GitHub Actions, `fetch-depth: 0` on "
                       "actions/checkout; in GitLab CI, `GIT_DEPTH: 0`), then run it again.")]
    findings: list[Finding] = []
    added: dict[Entry, git.BlameLine] = {}
    for path, group in _by_file(entries).items():
        blamed = git.blame(ws.root, path)
        for entry in group:
            problem, commit = _traced(entry, blamed)
            if problem:
                findings.append(problem)
            if commit:
                added[entry] = commit
                findings.extend(_author_findings(ws.config, entry, commit))
    if ws.config.require_signed_commits:
        findings.extend(_signature_findings(ws, added))
    return findings


def signoff_entries(record: Record) -> list[Entry]:
    """The record's sign-off entries, each with the file lines it spans (from its `- ` to its last line)."""
    raw = record.fields.get("signoffs")
    if not isinstance(raw, list):
        return []
    known = sorted({record.source.line(*key) for key in record.source.lines if key})
    last_line = max(record.body_line - 2, 1)  # the line before the closing ---
    out = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or ("signoffs", index) not in record.source.lines:
            continue
        start = record.line("signoffs", index)
        own = [record.line("signoffs", index, key) for key in entry if ("signoffs", index, key) in record.source.lines]
        end = max([start, *own])
        following = [n for n in known if n > end]
        end = (following[0] - 1) if following else max(end, last_line)
        out.append(Entry(record, index, entry, range(start, end + 1)))
    return out


def _by_file(entries: list[Entry]) -> dict[str, list[Entry]]:
    files: dict[str, list[Entry]] = {}
    for entry in entries:
        files.setdefault(entry.record.path, []).append(entry)
    return files


def _traced(entry: Entry, blamed: dict[int, git.BlameLine] | None) -> tuple[Finding | None, git.BlameLine | None]:
    """(a finding, None) when the entry cannot be traced or was changed; (None or a finding, the commit
    that added it) otherwise."""
    who = _who(entry)
    lines = [blamed.get(n) for n in entry.lines] if blamed is not None else []
    if blamed is None or any(b is None or b.commit == git.UNCOMMITTED for b in lines):
        return _finding(entry, "uncommitted", f"{who} is not committed yet, so who added it cannot be verified",
                        "Commit it (git add, git commit), then run `mars check --verify-signoffs` again."), None
    first = lines[0]
    later = next((b for b in lines if b.commit != first.commit), None)
    if later is not None:
        line = entry.lines.start + lines.index(later)
        return _finding(entry, "changed-after", f"{who} was changed after the commit that added it "
                        f"({first.commit[:10]}): line {line} was last changed in {later.commit[:10]} by {later.email}",
                        "A sign-off is not edited: if it was wrong, remove it and have the signer (or a MARS "
                        "officer, naming the evidence) record a new one with `mars signoff`."), first
    return None, first


def _author_findings(config: Config, entry: Entry, commit: git.BlameLine) -> Iterator[Finding]:
    signer = config.people.get(entry.by)
    if signer is not None and commit.email in signer.emails:
        return
    who, sha = _who(entry), commit.commit[:10]
    officers = [p for p in config.people.values() if commit.email in p.emails and config.has_role(p.id, "mars-officer")]
    if officers:
        evidence = entry.fields.get("evidence")
        if not (isinstance(evidence, str) and evidence.strip()):
            yield _finding(entry, "no-evidence", f"{who} was recorded by MARS officer {officers[0].id} (commit {sha}) "
                           "but names no evidence of the approval",
                           "Add `evidence:` to the sign-off naming where it was given (e.g. \"Board minutes 16 "
                           "February 2026\" or \"e-mail 16 February 2026\"), and commit it.")
        return
    known = [p.id for p in config.people.values() if commit.email in p.emails]
    author = f"{commit.email} ({known[0]})" if known else f"{commit.email}, who is not in mars.yaml"
    yield _finding(entry, "unverified-author", f"{who} was added in commit {sha} by {author}: neither the signer "
                   "nor a MARS officer", f"If the commit's author is the signer or a MARS officer, add that e-mail to "
                   f"their `email:` list in {CONFIG_FILE}; otherwise remove the sign-off and have it recorded by the "
                   "signer or by a MARS officer naming the evidence.")


def _signature_findings(ws: Workspace, added: dict[Entry, git.BlameLine]) -> Iterator[Finding]:
    status = git.signature_status(ws.root, sorted({c.commit for c in added.values()}))
    for entry, commit in added.items():
        verdict = status.get(commit.commit, "E")
        if verdict not in GOOD_SIGNATURES:
            words = SIGNATURE_WORDS.get(verdict, f"has a signature git does not accept ({verdict})")
            yield _finding(entry, "unsigned", f"{_who(entry)} was added in commit {commit.commit[:10]}, which "
                           f"{words}; {CONFIG_FILE} has require_signed_commits: true",
                           "Have sign-offs committed with a signing key (git commit -S; `git verify-commit` must "
                           "accept it), and the signers' public keys installed where this check runs.")


def _who(entry: Entry) -> str:
    what = entry.fields.get("for")
    return f"the sign-off of '{what}' by {entry.by or 'someone'}"


def _finding(entry: Entry, code: str, message: str, hint: str) -> Finding:
    rule = f"provenance.{code}"
    return Finding(entry.record.path, entry.line, PROVENANCE_RULES[rule][2], code, message, hint, rule=rule,
                   source=SOURCE)


def _whole(code: str, message: str, hint: str) -> Finding:
    rule = f"provenance.{code}"
    return Finding(CONFIG_FILE, 0, PROVENANCE_RULES[rule][2], code, message, hint, rule=rule, source=SOURCE)
