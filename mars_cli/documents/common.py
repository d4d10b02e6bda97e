"""What every paper shares: a record's written sections, names for people and agencies, the
facts of a record, and the provenance that ends every pack and report."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from mars_cli.derive.context import Context
from mars_cli.documents.markdown import COMMENT
from mars_cli.documents.paper import Para, Prose, Section, Table
from mars_cli.framework import kinds
from mars_cli.model import dates
from mars_cli.model.records import Record
from mars_cli.store import git

_SECTION = re.compile(r"^## +(.+?)\s*$", re.M)


@dataclass(frozen=True)
class Written:
    """One `## section` of a record's body with something written in it."""

    heading: str
    text: str
    record: Record
    line: int  # the file line where its text starts

    def prose(self) -> Prose:
        return Prose(self.text, (self.record.path, self.line))


def written_sections(record: Record) -> list[Written]:
    """Each `## section` of the body that has something written in it (comments do not count)."""
    body = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), record.body)  # keep the line numbers
    found = list(_SECTION.finditer(body))
    out = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(body)
        raw = body[match.end():end]
        text = raw.strip()
        if text:
            skipped = raw[: raw.index(text[0])].count("\n")
            out.append(Written(match.group(1).strip(), text, record,
                               record.body_line + body.count("\n", 0, match.end()) + skipped))
    return out


def section(record: Record, heading: str) -> Written | None:
    """One `## heading` of the record, when something is written in it."""
    return next((w for w in written_sections(record) if w.heading.lower() == heading.lower()), None)


def subsections(written: Written | None) -> dict[str, Prose]:
    """`### heading` -> its text as Prose (with its file line), within one section."""
    if written is None:
        return {}
    parts = re.split(r"^(### +.+?)\s*$", written.text, flags=re.M)
    out, offset = {}, 0
    for i, part in enumerate(parts):
        if i % 2 == 1 and i + 1 < len(parts) and parts[i + 1].strip():
            body = parts[i + 1]
            start = offset + len(part) + body.index(body.strip()[0])
            line = written.line + written.text.count("\n", 0, start)
            out[part.lstrip("#").strip().lower()] = Prose(body.strip(), (written.record.path, line))
        offset += len(part)
    return out


def neutral_id(record_id: str) -> str:
    """A record's ID without the words of the title it was made with: kind, date and random part."""
    parts = record_id.split("-")
    return "-".join([*parts[:4], parts[-1]]) if len(parts) > 5 else record_id


def person(ctx: Context, pid: str | None) -> str:
    found = ctx.config.people.get(pid or "")
    return found.name if found else (pid or "")


def agency(ctx: Context, aid: str | None) -> str:
    found = ctx.config.agencies.get(aid or "")
    return found.name if found else (aid or "")


def owner(ctx: Context, who: str) -> str:
    """A person's or an agency's name, from its id."""
    return person(ctx, who) if who in ctx.config.people else agency(ctx, who)


def contact(ctx: Context) -> str:
    """The accessibility line every paper carries: who to ask for it in another format."""
    who = ctx.config.document_contact
    return f"This paper is available in other formats, such as large print or plain text: ask {who}." if who else \
        "This paper is available in other formats, such as large print or plain text: ask the Children's MARS team."


ROLE_WORDS = {"iso": "an Independent Scrutiny Officer", "lsp": "the lead safeguarding partner",
              "dsp": "the delegated safeguarding partner", "portfolio-lead": "the scrutiny and assurance portfolio lead",
              "portfolio-deputy": "the portfolio deputy", "splig-chair": "the SPLIG chair",
              "head": "the head teacher", "governor": "a governor", "mars-officer": "a MARS officer"}


def role_words(ctx: Context, role: str) -> str:
    """A role as people say it: lsp:council -> "the lead safeguarding partner, North Lincolnshire Council"."""
    base, _, target = role.partition(":")
    words = ROLE_WORDS.get(base, base.replace("-", " "))
    where = ctx.config.partners.get(target) or ctx.config.agencies.get(target) if target else None
    return f"{words}, {where.name}" if where else words


def status_words(status: str) -> str:
    return status.replace("-", " ")


def uk(day: dt.date | None) -> str:
    return dates.format_uk(day) if day else ""


def noun(record: Record) -> str:
    kind = kinds.get(record.kind)
    return kind.noun if kind else record.kind


def facts(ctx: Context, record: Record, status: str = "") -> Table:
    """The few facts a reader needs first: what, about whom, when, who owns it, how it is marked."""
    rows = [("Kind of record", noun(record).capitalize()), ("Status", status_words(status or record.status))]
    if record.text("agency"):
        rows.append(("Agency", agency(ctx, record.text("agency"))))
    main = kinds.main_date(record)
    if main:
        rows.append(("Date", uk(main)))
    if record.text("owner"):
        rows.append(("Owner", owner(ctx, record.text("owner"))))
    rows += [("Marking", record.text("marking") or "OFFICIAL"), ("Record", record.id)]
    return Table(f"About {record.title}", ("Item", "Details"), tuple(rows))


def record_section(ctx: Context, record: Record, status: str = "", skip: tuple[str, ...] = ()) -> Section:
    """A record as one section of a pack: its facts, then each written section beneath."""
    children = [Section(w.heading, [w.prose()]) for w in written_sections(record) if w.heading.lower() not in skip]
    return Section(record.title, [facts(ctx, record, status)], children)


def serves(ctx: Context, record: Record, step: str) -> tuple[Record, str] | None:
    """(record, step) when the paper is for a step of the record that is still to do."""
    from mars_cli.derive.timeline import DONE, SKIPPED, timeline

    line = timeline(ctx, record)
    state = line.steps.get(step) if line else None
    return (record, step) if state is not None and state.state not in (DONE, SKIPPED) else None


def provenance(ctx: Context, sources: list[Record], built: dt.date, public: bool = False) -> Section:
    """Where the paper came from: the day it speaks for, the git commit, every source record (for a
    public paper, only how many: record IDs are made from titles, which are not for publication)."""
    root = ctx.workspace.root
    commit = git.head(root)
    state = "no git history" if commit is None else commit[:12]
    if commit and git.changed(root):
        state += " (with uncommitted changes: the records may differ from that commit)"
    blocks = [
        Para(f"This paper shows the records as they stood on {uk(ctx.as_of)}. It was made by mars on "
             f"{uk(built)} from the workspace at commit {state}.", "As at:"),
        Para(f"It was built from {len(_unique(sources))} records of the partnership's workspace.") if public else
        Table("Source records", ("Record", "Kind", "Title", "Marking"),
              tuple((r.id, noun(r), r.title, r.text("marking") or "OFFICIAL") for r in _unique(sources))),
    ]
    return Section("About this paper", blocks)


def _unique(records: list[Record]) -> list[Record]:
    seen, out = set(), []
    for record in records:
        if record.path not in seen:
            seen.add(record.path)
            out.append(record)
    return out
