"""A realistic workspace of about N records, made from the example workspace's own records.

    python benchmarks/generate.py --records 10000 OUT [--dangling K]

Every record file of `example-workspace/records` (all its kinds: sign-offs, steps, action files in
their plan's folder, meetings and their papers) is copied once per batch, each copy with a new ID: the
same prefix, date and title words, and a new 4-character ending that is the batch's own. Every
reference to a record of the example (`source:`, `section11:`, `papers:`, `related:`, IDs written in
the text) is rewritten to the copy in the same batch, action files go into their copied plan's
folder, and each sign-off's `hash:` is worked out again with mars's own fingerprint, so a generated
workspace has exactly the example's findings, once per batch: 0 errors. The settings (mars.yaml,
templates, CI files) are copied once. N is rounded to whole batches (the example has 86 records).

`--dangling K` then plants K references to records that do not exist: a one-character slip in the
ID of a record of the same batch, written in `related:` of records that had none, so `mars check`
reports exactly K unknown-record errors, each with its did-you-mean.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example-workspace"
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # the alphabet of mars's own ID endings (write/create.py)
TYPO = "0"  # not in that alphabet, so a slip never hits another batch's ID


@dataclass
class Original:
    """One record file of the example, cut at every record ID it mentions, ready to be copied."""

    path: str  # relative to the workspace
    pieces: list = field(default_factory=list)  # text and ID indexes, alternating
    path_pieces: list = field(default_factory=list)
    record: object = None  # the example's Record, when one of its sign-offs must be fingerprinted again
    signoffs: list = field(default_factory=list)  # (stored hash, covers) of each sign-off still valid
    related: bool = False  # has `related:` already (the dangling references go elsewhere)


def suffix(batch: int) -> str:
    """The batch's own 4-character ID ending."""
    out = ""
    for _ in range(4):
        batch, digit = divmod(batch, len(ALPHABET))
        out = ALPHABET[digit] + out
    if batch:
        raise SystemExit("too many batches: at most 923,521 (about 79 million records)")
    return out


def _cut(text: str, pattern: re.Pattern, index: dict[str, int]) -> list:
    pieces, at = [], 0
    for match in pattern.finditer(text):
        pieces += [text[at:match.start()], index[match.group(0)]]
        at = match.end()
    return pieces + [text[at:]]


def _join(pieces: list, ids: list[str]) -> str:
    return "".join(p if isinstance(p, str) else ids[p] for p in pieces)


def read_example(example: Path = EXAMPLE) -> tuple[list[str], re.Pattern, list[Original]]:
    """The example's record IDs, a pattern that finds them, and its record files cut at every ID they mention."""
    sys.path.insert(0, str(ROOT))
    from mars_cli.derive import content
    from mars_cli.derive.context import Context
    from mars_cli.framework.load import read_workspace
    from mars_cli.queries.records import as_of

    ws = read_workspace(example)
    records = sorted(ws.records, key=lambda r: r.path)
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids) or any(Path(r.path).stem != r.id for r in records):
        raise SystemExit("the example's record IDs must be unique and match their file names")
    index = {rid: n for n, rid in enumerate(ids)}
    pattern = re.compile(r"(?<![A-Za-z0-9_.-])(?:" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True)))
                         + r")(?![A-Za-z0-9_-])")
    ctx = Context(ws, as_of(ws, None).day)
    originals = []
    for record in records:
        text = (example / record.path).read_text(encoding="utf-8")
        process = ws.processes.get(record.kind)
        valid = []
        for entry in record.fields.get("signoffs") or ():
            approval = process.approvals.get(entry.get("for")) if process else None
            stored = entry.get("hash")
            if approval and stored and content.fingerprint(record, approval.covers) == stored:
                valid.append((stored, approval.covers))  # a stale one stays stale
        record, text = _named_links(ctx, record, text)
        original = Original(record.path, _cut(text, pattern, index), _cut(record.path, pattern, index),
                            record if valid else None, valid, related="related" in record.fields)
        originals.append(original)
    return ids, pattern, originals


def _named_links(ctx, record, text: str):
    """The record with every link it finds by agency and year (an agency event's Section 11 return) named
    in its field: in the example there is one return to find, in a copy there would be one per batch."""
    from mars_cli.derive import linked
    from mars_cli.framework import kinds

    for name in kinds.registry():
        if name in record.fields and record.fields[name] in (None, ""):
            found = linked.link(ctx, record, name)
            if found.how == linked.FOUND:
                text, count = re.subn(rf"(?m)^{re.escape(name)}:[ \t]*$", f"{name}: {found.record.id}", text, count=1)
                if count:
                    record = copy.copy(record)
                    record.fields = {**record.fields, name: found.record.id}
    return record, text


def _renamed(value, pattern: re.Pattern, ids: dict[str, str]):
    if isinstance(value, str):
        return pattern.sub(lambda m: ids[m.group(0)], value)
    if isinstance(value, dict):
        return {k: _renamed(v, pattern, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, pattern, ids) for v in value]
    return value


class Generator:
    def __init__(self, example: Path = EXAMPLE):
        from mars_cli.derive import content

        self.example = example
        self.ids, self.pattern, self.originals = read_example(example)
        self.fingerprint = content.fingerprint
        # a sign-off whose covered content names no record ID keeps its hash in every batch
        self.moving = {}
        for number, original in enumerate(self.originals):
            probe = self._copy(original.record, self.batch_ids(0)) if original.record else None
            if probe is not None and any(self.fingerprint(probe, covers) != stored
                                         for stored, covers in original.signoffs):
                self.moving[number] = original

    def batch_ids(self, batch: int) -> list[str]:
        end = suffix(batch)
        return [rid[:-4] + end for rid in self.ids]

    def _copy(self, record, ids: list[str]):
        renames = dict(zip(self.ids, ids))
        new = copy.copy(record)
        new.fields = _renamed(record.fields, self.pattern, renames)
        new.body = _renamed(record.body, self.pattern, renames)
        return new

    def write_batch(self, out: Path, batch: int, folders: set) -> None:
        ids = self.batch_ids(batch)
        for number, original in enumerate(self.originals):
            text = _join(original.pieces, ids)
            if number in self.moving:
                copied = self._copy(original.record, ids)
                for stored, covers in original.signoffs:
                    text = text.replace(f"hash: {stored}", f"hash: {self.fingerprint(copied, covers)}")
            path = out / _join(original.path_pieces, ids)
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_text(text, encoding="utf-8")

    def generate(self, out: Path, records: int, dangling: int = 0) -> int:
        """Write the workspace; the number of records written."""
        if out.exists() and any(out.iterdir()):
            raise SystemExit(f"{out} is not empty: give a new folder")
        shutil.copytree(self.example, out, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("records", "build", ".mars"))
        batches = max(1, round(records / len(self.originals)))
        folders: set = set()
        for batch in range(batches):
            self.write_batch(out, batch, folders)
        self.plant(out, batches, dangling)
        return batches * len(self.originals)

    def plant(self, out: Path, batches: int, count: int) -> None:
        """`count` unknown references, spread over the batches, in `related:` of records that had none."""
        hosts = [n for n, o in enumerate(self.originals) if not o.related]
        slots: dict[tuple[int, int], list[str]] = {}
        for k in range(count):
            batch = k * batches // count
            host = hosts[(k * 7) % len(hosts)]
            ids = self.batch_ids(batch)
            target = ids[(host + 1 + len(slots.get((batch, host), []))) % len(ids)]
            slots.setdefault((batch, host), []).append(target[:-4] + TYPO + target[-3:])
        for (batch, host), refs in slots.items():
            path = out / _join(self.originals[host].path_pieces, self.batch_ids(batch))
            text = path.read_text(encoding="utf-8")
            first, rest = text.split("\n", 2)[:2], text.split("\n", 2)[2]  # after `---` and `id:`
            path.write_text("\n".join([*first, f"related: [{', '.join(refs)}]", rest]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a new folder for the workspace")
    parser.add_argument("--records", type=int, default=10_000, help="about how many records (default 10000)")
    parser.add_argument("--dangling", type=int, default=0, help="references to plant that point at no record")
    args = parser.parse_args()
    start = time.perf_counter()
    written = Generator().generate(args.out, args.records, args.dangling)
    print(f"{written} records in {args.out} ({args.dangling} dangling references), "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
