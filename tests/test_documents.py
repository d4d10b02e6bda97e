"""Papers: built from the example workspace with the real pandoc and Typst, read back with real parsers.

PDFs are compiled with Typst's PDF/UA-1 export, which refuses an untitled document or a picture
without alt text; pypdf reads their pages and structure, python-docx the DOCX, html.parser the HTML.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import io
import os
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypdf
import pytest
from conftest import ROOT, git

from mars_cli.cli.main import main

NLAG = "ae-2025-09-25-nlag-agency-assurance-event-9bv9"
MARCH_BOARD = "board-2025-04-02-children-s-mars-board-march-2026-j4qs"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


_PRISTINE: list[Path] = []


def example_copy(base: Path) -> Path:
    """The example workspace in a git repository of its own, with one commit: a copy of one made once
    per session (committing the example takes longer than most of these tests)."""
    if not _PRISTINE:
        os.environ.update({"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
                           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"})
        pristine = Path(tempfile.mkdtemp(prefix="mars-example-")) / "example-workspace"
        shutil.copytree(ROOT / "example-workspace", pristine, ignore=shutil.ignore_patterns("build"))
        git(pristine, "init", "--quiet")
        git(pristine, "add", "-A")
        git(pristine, "commit", "--quiet", "-m", "example")
        _PRISTINE.append(pristine)
        atexit.register(shutil.rmtree, pristine.parent, True)
    root = base / "example-workspace"
    shutil.copytree(_PRISTINE[0], root, symlinks=True)
    return root


@pytest.fixture(scope="module")
def board_pack(tmp_path_factory):
    """The example's next Board pack in all three formats, built once: (workspace, exit, stdout, stderr)."""
    root = example_copy(tmp_path_factory.mktemp("pack"))
    code, out, err = run("-w", root, "pack", "--next", "board", "--format", "pdf", "--format", "docx",
                         "--format", "html")
    return root, code, out, err


def pdf_pages(path: Path) -> list[str]:
    return list(_pdf_text(path, path.stat().st_mtime_ns, path.stat().st_size))


@functools.lru_cache(maxsize=32)
def _pdf_text(path: Path, mtime: int, size: int) -> tuple[str, ...]:
    """A PDF's page texts, read once for each version of the file (reading a pack takes a while)."""
    return tuple(page.extract_text() for page in pypdf.PdfReader(path).pages)


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (PDF lines wrap anywhere)."""
    return " ".join(text.split())


def test_pack__names_each_file_it_wrote_with_its_pages(board_pack):
    root, code, out, err = board_pack
    assert code == 0, err
    written = out.split()
    assert [Path(p).suffix for p in written if p.startswith("/")] == [".pdf", ".docx", ".html"]
    assert re.search(rf"{root}/build/{MARCH_BOARD}-pack.pdf \(\d+ pages\)", out)
    assert "Marked OFFICIAL." in err


def test_pack__pdf_has_cover_contents_sections_marking_and_page_numbers_on_every_page(board_pack):
    root = board_pack[0]
    path = root / "build" / f"{MARCH_BOARD}-pack.pdf"
    pages = pdf_pages(path)
    assert len(pages) >= 8
    for number, text in enumerate(pages, 1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines[0].strip() == "OFFICIAL", f"page {number} has no marking at the top"
        assert f"Page {number} of {len(pages)}" in text
        assert text.count("OFFICIAL") >= 2, f"page {number} has no marking at the bottom"
    cover, contents = flat(pages[0]), flat(pages[1])
    assert "Board pack: Children's MARS Board, March 2026" in cover and "26 March 2026" in cover
    assert "Church Square House, Scunthorpe" in cover
    assert "Contents" in contents and re.search(r"Papers \.+ \d+", contents)
    whole = flat("\n".join(pages))
    for heading in ("Agenda", "NLAG agency assurance event", "Action plans: progress", "Overdue actions and steps",
                    "Extended actions", "About this paper"):
        assert heading in whole
    # the numbers in the overdue table are the ones `mars overdue` gives on that day
    assert "Audit use of the domestic abuse risk" in whole and "120" in whole
    assert "Waiting for contributions from the housing provider" in whole  # an extension's reason


def test_pack__pdf_is_tagged_pdf_ua_with_a_title(board_pack):
    reader = pypdf.PdfReader(board_pack[0] / "build" / f"{MARCH_BOARD}-pack.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a PDF boolean, not Python's
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Board pack: Children's MARS Board, March 2026"
    assert re.search(rb"pdfuaid:part[^0-9]{0,3}1", root["/Metadata"].get_object().get_data())


def test_pack__ends_with_provenance_naming_the_commit_and_every_source(board_pack):
    root = board_pack[0]
    whole = flat("\n".join(pdf_pages(root / "build" / f"{MARCH_BOARD}-pack.pdf")))
    commit = git(root, "rev-parse", "HEAD").strip()[:12]
    about = whole[whole.rindex("About this paper"):]
    assert "16 February 2026" in about and commit in about
    assert NLAG[:20] in about and "uncommitted" not in about


def test_pack__docx_has_the_marking_in_header_and_footer_headings_and_tables(board_pack):
    document = docx.Document(board_pack[0] / "build" / f"{MARCH_BOARD}-pack.docx")
    section = document.sections[0]
    assert "OFFICIAL" in "".join(p.text for p in section.header.paragraphs)
    footer = "".join(p.text for p in section.footer.paragraphs)
    assert "OFFICIAL" in footer and "Page" in footer
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Agenda", "Papers"] and "About this paper" in headings
    tables = document.tables
    assert len(tables) >= 5 and any(t.rows[0].cells[0].text == "Action plan" for t in tables)


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = self.title = ""
        self.headings: list[int] = []
        self.tables = self.header_rows = 0
        self.images: list[dict] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
        elif tag == "thead":
            self.header_rows += 1
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def html_structure(path: Path) -> Structure:
    parsed = Structure()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def test_pack__html_has_language_title_ordered_headings_and_table_headers(board_pack):
    parsed = html_structure(board_pack[0] / "build" / f"{MARCH_BOARD}-pack.html")
    assert parsed.lang == "en-GB"
    assert parsed.title == "Board pack: Children's MARS Board, March 2026"
    assert parsed.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:])), parsed.headings
    assert parsed.tables >= 5 and parsed.header_rows == parsed.tables
    assert all(image.get("alt") for image in parsed.images)


def test_pack__ids_and_addresses_copy_cleanly_from_html_and_docx_while_the_pdf_may_break_them(board_pack):
    """A long word (a record ID, an e-mail address) gets invisible break points only in the PDF, whose
    layout needs them: copied from the HTML or the Word file it must be the ID or address itself."""
    root = board_pack[0]
    html = (root / "build" / f"{MARCH_BOARD}-pack.html").read_text(encoding="utf-8")
    assert "\u200b" not in html and "childrensmars@northlincs-council.example" in html
    assert "overflow-wrap: anywhere" in html  # the browser breaks a long word itself
    body = docx.Document(root / "build" / f"{MARCH_BOARD}-pack.docx")
    assert not any("\u200b" in p.text for p in body.paragraphs)
    typst_source = typst_source_of(root)
    assert "\u200b" in typst_source


def typst_source_of(root: Path) -> str:
    from mars_cli.derive.context import Context
    from mars_cli.documents import build, packs
    from mars_cli.framework.load import read_workspace
    from mars_cli.queries.records import as_of

    ws = read_workspace(root)
    ctx = Context(ws, as_of(ws, None).day)
    return build.typst_source(packs.pack(ctx, packs.next_meeting(ctx, "board")), dt.datetime(2026, 2, 16))


def test_letter__is_draft_while_its_agreement_is_stale_and_final_once_agreed_again(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "letter", NLAG)
    assert code == 0, err
    pages = pdf_pages(root / "build" / f"{NLAG}-letter.pdf")
    assert all("DRAFT" in page for page in pages)
    assert "changed since it was agreed" in err and "letter-sent" not in err
    letter = flat("\n".join(pages))
    for part in ("Positive practice", "Areas for improvement", "Areas for further consideration"):
        assert part in letter
    assert "Northern Lincolnshire and Goole NHS Foundation Trust" in letter
    assert "Humber and North Yorkshire Integrated Care Board" in letter  # its commissioner, copied in

    code, _, err = run("-w", root, "signoff", NLAG, "--for", "letter", "--by", "margaret-ellison",
                       "--as", "portfolio-lead", "--date", "2026-02-16", "--evidence", "e-mail 16 February 2026")
    assert code == 0, err
    code, out, err = run("-w", root, "letter", NLAG, "--format", "pdf")
    assert code == 0, err
    pages = pdf_pages(root / "build" / f"{NLAG}-letter.pdf")
    assert not any("DRAFT" in page for page in pages)
    assert f"mars step {NLAG} letter-sent --done" in err


def test_letter__refused_for_a_record_that_is_not_an_agency_event(tmp_path):
    root = example_copy(tmp_path)
    code, _, err = run("-w", root, "letter", MARCH_BOARD)
    assert code == 2 and "findings letter is written for an agency-specific assurance event" in err
    assert not (root / "build").exists()


def test_pack__warns_of_papers_it_cannot_find_and_of_papers_due_but_not_listed(tmp_path):
    root = example_copy(tmp_path)
    path = root / "records" / "board-meeting" / "2025-26" / f"{MARCH_BOARD}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"  - {NLAG}\n", "  - ae-no-such-event\n"), encoding="utf-8")
    code, _, err = run("-w", root, "pack", MARCH_BOARD, "--format", "html")
    assert code == 0, err
    assert "papers: lists 'ae-no-such-event', which is no record" in err
    assert f"{NLAG} (NLAG agency assurance event) is due at this meeting" not in err  # its letter is not sent yet


HOSTILE_BODY = """
## Findings

### Positive practice
Plain words, then markup that must stay text: #read("/etc/passwd") and #set page(fill: red) and $x^2$.

```{=typst}
#read("/etc/passwd")
```

```{=latex}
\\input{/etc/passwd}
```

<img src="file:///etc/passwd"> and <script>alert(1)</script>

![a file from outside](../../../../mars.yaml) and ![an absolute one](/etc/passwd)

[click me](javascript:alert(3)), <file:///etc/passwd> and [the guidance](https://example.org/guidance)

##### A heading that skips two levels

### Areas for improvement
Nothing.
"""


def test_papers__record_text_and_names_reach_every_format_as_text_only(tmp_path):
    root = example_copy(tmp_path)
    config = root / "mars.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "partnership: North Lincolnshire Children's MARS Board",
        'partnership: "Testshire ] #read(\\"/etc/passwd\\") [ <b>Board</b> \\\\input{x}"'), encoding="utf-8")
    event = next((root / "records" / "agency-event").rglob(f"{NLAG}.md"))
    text = event.read_text(encoding="utf-8")
    text = text.replace("title: NLAG agency assurance event", 'title: "NLAG *event* #emph[x] $5 <i>it</i>"')
    event.write_text(text[: text.index("## Findings")] + HOSTILE_BODY.lstrip(), encoding="utf-8")
    code, out, err = run("-w", root, "letter", NLAG, "--format", "pdf", "--format", "docx", "--format", "html")
    assert code == 0, err
    assert "left out of the paper: 2 pictures (a record cannot include files)" in err
    assert "left out of the paper: 2 links (only web and e-mail addresses stay links" in err
    pdf = flat("\n".join(pdf_pages(root / "build" / f"{NLAG}-letter.pdf")))
    html = (root / "build" / f"{NLAG}-letter.html").read_text(encoding="utf-8")
    document = docx.Document(root / "build" / f"{NLAG}-letter.docx")
    words = "\n".join(p.text for p in document.paragraphs)
    for output in (pdf, html, words):
        assert "root:x:0" not in output and "partnership: North" not in output  # no file was read in
        assert '#read("/etc/passwd")' in output.replace("&quot;", '"')
    assert 'NLAG *event* #emph[x] $5' in pdf and "Testshire ] #read" in pdf
    assert "<img" not in html and "<script" not in html and "<b>Board</b>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html and 'href="file:' not in html  # the words stay, as text
    assert 'href="https://example.org/guidance"' in html
    assert html_structure(root / "build" / f"{NLAG}-letter.html").images == []


def test_templates_reach_for_no_network_package_or_file():
    folder = ROOT / "mars_cli" / "documents" / "templates"
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        for forbidden in ("http://", "https://", "@preview", "#import", "#include", "read(", "image("):
            assert forbidden not in text, f"{path.name} has {forbidden}"


def test_papers__take_the_partnerships_colour_and_contact_from_mars_yaml(tmp_path):
    root = example_copy(tmp_path)
    config = root / "mars.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'colour: "#1d4f7c"', 'colour: "#7a1f5c"').replace(
        "contact: the Children's MARS team, childrensmars@northlincs-council.example, 01724 000000",
        "contact: Safeguarding Partnership Office, 01234 567890"), encoding="utf-8")
    code, out, err = run("-w", root, "letter", NLAG, "--format", "html", "--format", "pdf")
    assert code == 0, err
    html = (root / "build" / f"{NLAG}-letter.html").read_text(encoding="utf-8")
    assert "rgb(122, 31, 92)" in html
    assert "ask Safeguarding Partnership Office, 01234 567890" in html
    assert "Safeguarding Partnership Office" in flat(pdf_pages(root / "build" / f"{NLAG}-letter.pdf")[-1])  # a letter ends with it


def test_papers__a_colour_that_is_not_one_is_a_finding_at_its_line(tmp_path):
    root = example_copy(tmp_path)
    config = root / "mars.yaml"
    text = config.read_text(encoding="utf-8").replace('colour: "#1d4f7c"', "colour: navy")
    config.write_text(text, encoding="utf-8")
    code, out, _ = run("-w", root, "check")
    line = text.splitlines().index("  colour: navy") + 1
    assert code == 1 and f"mars.yaml:{line}: error bad-setting documents.colour must be a colour" in out


LOS = "los-2025-04-03-line-of-sight-children-living-with-24ng"


def _name_a_subject(root: Path) -> None:
    """Give the case line of sight's child a name, as a real workspace's subjects list would."""
    path = next((root / "records").rglob("clos-2025-07-14-*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("  - name: Child A\n", "  - name: Kayden Ashworth\n"),
                    encoding="utf-8")


def _plant(root: Path, record_id: str, words: str) -> tuple[Path, int]:
    """Add words to the record's highlights; the file and the line they are on."""
    path = next((root / "records").rglob(f"{record_id}.md"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("## Key highlights")) + 1
    lines.insert(at, words + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path, at + 1


@pytest.mark.parametrize("words,kind", [
    ("The mother's NHS number is 943 476 5919.", "NHS number"),
    ("One child, born 3 March 2014, moved school.", "date of birth"),
    ("The family moved to DN17 2AB last year.", "postcode"),
    ("Kayden Ashworth said the police were kind.", "a case subject's name or reference"),
])
def test_highlights__personal_data_blocks_publication_naming_file_line_and_kind_only(tmp_path, words, kind):
    root = example_copy(tmp_path)
    _name_a_subject(root)
    path, line = _plant(root, LOS, words)
    code, out, err = run("-w", root, "highlights", LOS, "--format", "html")
    assert code == 1
    assert f"{path.relative_to(root)}:{line}: error not-for-publication {kind} would be published" in err
    for secret in ("943 476 5919", "3 March 2014", "DN17 2AB", "Kayden"):
        assert secret not in err + out
    assert not (root / "build").exists()


@pytest.mark.parametrize("words", [
    "An NHS number like 943 476 5918 fails its check digit.",
    "The panel met on 3 March 2014 and agreed the plan.",
    "The A18 and the M180 near junction 5 were closed.",
    "Child A said the police were kind.",  # a pseudonym, as records refer to children
])
def test_highlights__look_alikes_are_published(tmp_path, words):
    root = example_copy(tmp_path)
    _name_a_subject(root)
    _plant(root, LOS, words)
    code, out, err = run("-w", root, "highlights", LOS, "--format", "html")
    assert code == 0, err
    assert "Marked OFFICIAL." in err  # its highlights were published in July 2025: no step to name
    html = (root / "build" / "highlights-los-2025-04-03-24ng.html").read_text(encoding="utf-8")  # no title words
    assert words.split()[1] in html and "What we found" in html


def test_highlights__refused_for_case_records_and_sensitive_ones(tmp_path):
    root = example_copy(tmp_path)
    code, _, err = run("-w", root, "highlights", "clos-2025-07-14")
    assert code == 1 and "case-specific records are never published" in err
    path = next((root / "records").rglob(f"{LOS}.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("marking: OFFICIAL\n", "marking: OFFICIAL-SENSITIVE\n"),
                    encoding="utf-8")
    code, _, err = run("-w", root, "highlights", LOS)
    assert code == 1 and "is not marked OFFICIAL" in err and "nothing of it may be published" in err
    path.write_text(path.read_text(encoding="utf-8").replace("marking: OFFICIAL-SENSITIVE\n", "marking: Official Sensitive\n"),
                    encoding="utf-8")
    code, _, err = run("-w", root, "highlights", LOS)
    assert code == 1 and "is not marked OFFICIAL" in err  # a marking mars does not know is the safe one
    assert not (root / "build").exists()


def test_overview__of_a_case_line_of_sight_is_marked_sensitive_on_every_page(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "overview", "clos-2025-07-14", "--format", "pdf")
    assert code == 0, err
    pages = pdf_pages(next((root / "build").glob("clos-*-overview.pdf")))
    assert all(page.count("OFFICIAL-SENSITIVE") >= 2 for page in pages)
    assert "NL-CS-000457" not in "".join(pages)  # subjects stay in the record


def test_scan__names_file_line_and_kind_and_exits_1_and_0_when_clean(tmp_path):
    root = example_copy(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "clean.html").write_text("<p>Four children were discussed.</p>\n", encoding="utf-8")
    code, out, err = run("-w", root, "scan", site)
    assert code == 0 and out == "" and "0 places with personal data" in err
    (site / "page.html").write_text("<p>Hello</p>\n<p>Ref NL&#45;CS&#45;000457 and 943 476 5919</p>\n",
                                    encoding="utf-8")
    code, out, err = run("-w", root, "scan", site)
    assert code == 1
    assert out.splitlines() == [f"{site}/page.html:2: NHS number: personal data would be published",
                                f"{site}/page.html:2: a case subject's name or reference: personal data would be published"]
    assert "000457" not in out + err and "5919" not in out + err



def test_scan__reads_json_escapes_and_folded_calendar_lines_as_a_reader_would(tmp_path):
    """A reference written with JSON's \\u escapes, or split by iCalendar's line folding, is still found,
    at the line it starts on; later lines keep their numbers."""
    root = example_copy(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "feed.json").write_text('{"a": "fine",\n "b": "Ref NL\\u002dCS\\u002d000457",\n "c": "C:\\\\users"}\n',
                                    encoding="utf-8")
    (site / "diary.ics").write_text("BEGIN:VCALENDAR\r\nSUMMARY:Review of NL-CS-0\r\n 00457\\, closed\r\n"
                                    "DESCRIPTION:ok\r\nLOCATION:NHS 943 476\r\n  5919\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    code, out, err = run("-w", root, "scan", site)
    assert code == 1, err
    assert out.splitlines() == [f"{site}/diary.ics:2: a case subject's name or reference: personal data would be published",
                                f"{site}/diary.ics:5: NHS number: personal data would be published",
                                f"{site}/feed.json:2: a case subject's name or reference: personal data would be published"]


REPORT = "ar-2026-01-12-children-s-mars-board-yearly-report-2025-g3mf"
SIGNERS = [("scrutiny", "graham-tillotson", "iso"), ("sign-off", "helen-marsden", "lsp:council"),
           ("sign-off", "daniel-whitcombe", "lsp:health"), ("sign-off", "andrew-thornbury", "lsp:police")]


def test_report__is_a_draft_with_its_written_parts_and_computed_chapters(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "report", "2025-26", "--format", "pdf")
    assert code == 0, err
    pages = pdf_pages(root / "build" / f"{REPORT}.pdf")
    assert all("DRAFT" in page and page.count("OFFICIAL-SENSITIVE") >= 2 for page in pages)  # case records inside
    whole = flat("\n".join(pages))
    for chapter in ("What we did", "How effective it was", "Learning from reviews",
                    "How children's and families' voice was used", "Actions and their impact",
                    "Areas of little progress", "Independent scrutiny", "Priorities for next year", "Sign-off"):
        assert chapter in whole
    assert "Referrals from schools to MARAC" in whole  # the record's own words
    assert "Practice learning line of sight events 3 events" in whole  # counted from the records
    assert "Learning, action and impact" in whole and "Case line of sight: Child A" in whole
    code, _, err = run("-w", root, "report", "2025-26", "--public")
    assert code == 1 and "still a draft" in err


def test_report__public_version_once_signed_leaves_out_case_records_and_small_counts(tmp_path):
    root = example_copy(tmp_path)
    for approval, person, role in SIGNERS:
        code, _, err = run("-w", root, "signoff", REPORT, "--for", approval, "--by", person, "--as", role,
                           "--date", "2026-02-16", "--evidence", "e-mail")
        assert code == 0, err
    code, out, err = run("-w", root, "report", "2025-26", "--public", "--format", "pdf", "--format", "html")
    assert code == 0, err
    pages = pdf_pages(root / "build" / "yearly-report-2025-26-public.pdf")
    assert not any("DRAFT" in page for page in pages)
    assert all(page.count("OFFICIAL") >= 2 and "OFFICIAL-SENSITIVE" not in page for page in pages)
    whole = flat("\n".join(pages))
    assert "Child A" not in whole and "Rapid review" not in whole.replace("Rapid reviews", "")
    assert "Rapid reviews fewer than 5 cases" in whole
    assert "Case-specific line of sight events fewer than 5 cases" in whole
    assert "Helen Marsden" in whole  # the lead partners' sign-offs
    parsed = html_structure(root / "build" / "yearly-report-2025-26-public.html")
    assert parsed.lang == "en-GB" and flat(parsed.title).endswith("(public version)")


def test_report__public_version_is_refused_when_a_record_it_shows_holds_personal_data(tmp_path):
    root = example_copy(tmp_path)
    for approval, person, role in SIGNERS:
        run("-w", root, "signoff", REPORT, "--for", approval, "--by", person, "--as", role, "--date", "2026-02-16")
    path, line = _plant(root, LOS, "Her NHS number is 401 023 2137.")
    code, out, err = run("-w", root, "report", "2025-26", "--public")
    assert code == 1
    assert f"{path.relative_to(root)}:{line}: error not-for-publication NHS number would be published" in err
    assert "401 023 2137" not in err and not (root / "build").exists()


def test_charts__carry_their_numbers_as_alt_text_in_every_format_and_a_table_follows(board_pack):
    root = board_pack[0]
    pdf = (root / "build" / f"{MARCH_BOARD}-pack.pdf").read_bytes()
    alts = re.findall(rb"/Alt\s*\((Bar chart\..*?)\)", pdf)
    assert len(alts) == 2 and alts[0].startswith(b"Bar chart. Actions by agency and RAG. Ancholme Valley College: 2 green")
    whole = flat("\n".join(pdf_pages(root / "build" / f"{MARCH_BOARD}-pack.pdf")))
    assert "Actions by agency and RAG: the numbers" in whole and "Agency Red Amber Green Complete Dropped Total" in whole
    parsed = html_structure(root / "build" / f"{MARCH_BOARD}-pack.html")
    charts = [i for i in parsed.images if i.get("alt", "").startswith("Bar chart.")]
    assert len(charts) == 2 and all(i["src"].startswith("data:image/svg+xml;base64,") for i in charts)
    assert "Humberside Police: 3 green, 2 complete, 1 dropped" in charts[0]["alt"]
    document = docx.Document(root / "build" / f"{MARCH_BOARD}-pack.docx")
    assert len(document.inline_shapes) == 2  # the pictures are inside the file, not links to it
    described = [el.get("descr") for el in document.element.body.iter() if el.tag.endswith("}docPr")]
    assert any(d and d.startswith("Bar chart. Actions by agency and RAG.") for d in described)


def test_papers__typst_source_of_the_pictured_pages_matches_the_committed_copy():
    """docs/papers/*.png are drawn from this source; `python docs/make_pictures.py` redraws both."""
    import importlib.util

    from mars_cli.documents.build import typst_source

    spec = importlib.util.spec_from_file_location("make_pictures", ROOT / "docs" / "make_pictures.py")
    pictures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pictures)
    for name, (paper, _) in pictures.papers().items():
        expected = (ROOT / "tests" / "expected-typst" / f"{name}.typ").read_text(encoding="utf-8")
        assert pictures.stable(typst_source(paper, pictures.WHEN)) == expected, \
            f"{name}: the Typst source changed; run python docs/make_pictures.py and read the diff"


MARPF_JAN = "marpf-2026-01-13-marpf-january-2026-children-in-temporary-7qye"


def test_olir__is_copied_to_the_agencies_involved_and_keeps_subjects_out(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "olir", MARPF_JAN, "--format", "pdf", "--format", "docx")
    assert code == 0, err
    pages = pdf_pages(root / "build" / f"{MARPF_JAN}-olir.pdf")
    assert all(page.count("OFFICIAL-SENSITIVE") >= 2 for page in pages)
    whole = flat("\n".join(pages))
    assert "Copied to Ongo Homes, North Lincolnshire Council, Humber and North Yorkshire Integrated Care Board" in whole
    assert "NL-CS-000415" not in whole  # the subject's reference stays in the record
    assert "nothing under ## Immediate actions" in err and f"mars step {MARPF_JAN} olir --done" in err


def test_marpf_overview__defaults_to_the_last_quarter_ended_and_lists_its_meetings(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "marpf-overview", "--format", "html")  # as of 16 February 2026: Q3 ended
    assert code == 0, err
    html = (root / "build" / "marpf-overview-2025-26-q3.html").read_text(encoding="utf-8")
    assert "1 October 2025 to 31 December 2025" in html and "The forum met 3 times" in html
    for month in ("October 2025", "November 2025", "December 2025"):
        assert f"MARPF {month}" in html
    assert "MARPF January 2026" not in html
    code, _, err = run("-w", root, "marpf-overview", "--year", "2025-26", "--quarter", "5")
    assert code == 2 and "quarter 5 is not one of 1, 2, 3, 4" in err


def test_iso_report__counts_framework_days_against_each_allowance(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "iso-report", "2025-26", "--format", "html")
    assert code == 0, err
    html = flat((root / "build" / "iso-report-2025-26.html").read_text(encoding="utf-8"))
    assert "Framework days against each ISO" in html and "Observations" in html
    assert "Aisha Rahman" in html and "ISO scrutiny of the local safeguarding arrangements" in html
    code, _, err = run("-w", root, "iso-report", "2025-26", "--iso", "fatima-okonjo")
    assert code == 2 and "not an Independent Scrutiny Officer" in err


def test_composite__section11_shows_returns_missing_and_moderated_scores_beside_self_assessed(tmp_path):
    root = example_copy(tmp_path)
    probation = next((root / "records" / "section11" / "2025-26").glob("s11-*probation*.md"))
    probation.unlink()
    nlag = next((root / "records" / "section11" / "2025-26").glob("s11-*nlag*.md"))
    nlag.write_text(nlag.read_text(encoding="utf-8").replace(
        "    rating: amber\n    comment: Children's feedback gathered on the paediatric ward only.\n",
        "    rating: amber\n    moderated: red\n    comment: Children's feedback gathered on the paediatric ward only.\n"),
        encoding="utf-8")
    code, out, err = run("-w", root, "composite", "section11", "--year", "2025-26", "--format", "pdf",
                         "--format", "html")
    assert code == 0, err
    whole = flat("\n".join(pdf_pages(root / "build" / "section11-composite-2025-26.pdf")))
    assert "Returns missing: The Probation Service (Humber, Lincolnshire and North Yorkshire)." in whole
    assert "Rating scale, worst first: red, amber, green" in whole
    assert "amber / red" in whole and "then the moderated one after a slash" in whole
    assert "Recover level 3 safeguarding training compliance" in whole  # a return's own action
    parsed = html_structure(root / "build" / "section11-composite-2025-26.html")
    assert any(i.get("alt", "").startswith("Bar chart. Self-assessed ratings by question.") for i in parsed.images)


def test_composite__progress_report_and_the_other_composites(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "composite", "section11", "--progress", "--format", "html")
    assert code == 0, err
    html = flat((root / "build" / "section11-composite-2025-26-progress.html").read_text(encoding="utf-8"))
    assert "Six-month progress" in html and "Latest progress" in html
    for which in ("schools", "early-years"):
        code, out, err = run("-w", root, "composite", which, "--format", "html")
        assert code == 0, err
    schools = (root / "build" / "schools-composite-2025-26.html").read_text(encoding="utf-8")
    assert "KCSIE edition" in schools and "Returns missing" not in schools
    code, _, err = run("-w", root, "composite", "early-year")
    assert code == 2 and "early-years" in err


def test_pack__includes_the_composites_the_meeting_expects(tmp_path):
    root = example_copy(tmp_path)
    september = "board-2025-04-02-children-s-mars-board-september-2025-wv5s"  # reports: [section11-summary]
    code, out, err = run("-w", root, "pack", september, "--format", "html", "--as-of", "2025-09-01")
    assert code == 0, err
    html = flat((root / "build" / f"{september}-pack.html").read_text(encoding="utf-8"))
    standing = html[html.index("Standing reports"):]
    assert "Summary of Section 11 outcomes and composite of agency action plans" in standing
    assert "Every return against every question" in standing and "Returns for 2025-26" in standing


def test_scan__reads_docx_and_counts_a_pdf_without_its_html_as_not_read(tmp_path):
    root = example_copy(tmp_path)
    event = next((root / "records" / "agency-event").rglob(f"{NLAG}.md"))
    event.write_text(event.read_text(encoding="utf-8").replace(
        "### Further consideration\n", "### Further consideration\nThe mother's NHS number 943 476 5919 was shared.\n"),
        encoding="utf-8")
    code, out, err = run("-w", root, "letter", NLAG, "--format", "docx", "--format", "pdf")
    assert code == 0, err
    code, out, err = run("-w", root, "scan")
    assert code == 1
    assert f"{NLAG}-letter.docx:" in out and "NHS number: personal data would be published" in out
    assert f"{NLAG}-letter.pdf: could not be read, so it is not known to be clean" in out
    assert "5919" not in out + err


THEMATIC_NEGLECT = "te-2025-05-15-thematic-assurance-event-neglect-7ch7"


def test_overview__of_a_thematic_event_holds_its_action_plan_and_actions(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "overview", THEMATIC_NEGLECT, "--format", "html")
    assert code == 0, err
    html = flat((root / "build" / f"{THEMATIC_NEGLECT}-overview.html").read_text(encoding="utf-8"))
    assert "Action plan: neglect thematic event" in html and "Embed the graded care profile" in html
    assert "Key highlights and emerging themes" not in html  # those are the website's, not SPLIG's
    code, _, err = run("-w", root, "overview", NLAG)
    assert code == 2 and "an overview is made for a" in err


def test_papers__written_to_a_named_file_or_folder_and_refused_when_the_name_and_format_disagree(tmp_path):
    root = example_copy(tmp_path)
    code, out, err = run("-w", root, "letter", NLAG, "-o", tmp_path / "out" / "letter.html", "--format", "html")
    assert code == 0 and (tmp_path / "out" / "letter.html").is_file(), err
    code, out, err = run("-w", root, "letter", NLAG, "-o", tmp_path / "papers")
    assert code == 0 and (tmp_path / "papers" / f"{NLAG}-letter.pdf").is_file(), err
    code, _, err = run("-w", root, "letter", NLAG, "-o", tmp_path / "letter.pdf", "--format", "html")
    assert code == 2 and "names one .pdf file" in err
    for ambiguous in ([], ["--next", "board", "--next", "splig"], ["--next", "board", "board-2025"]):
        code, _, err = run("-w", root, "pack", *ambiguous)
        assert code == 2 and "say which one meeting" in err, ambiguous
        assert not (root / "build").exists()


def test_papers__pictures_of_pages_are_drawn_as_png(tmp_path):
    import datetime as dt

    from mars_cli.derive.context import Context
    from mars_cli.documents import overviews
    from mars_cli.documents.build import pictures
    from mars_cli.framework.load import read_workspace

    root = example_copy(tmp_path)
    ws = read_workspace(root)
    paper = overviews.highlights(Context(ws, dt.date(2026, 2, 16)), ws.by_id()[LOS])
    source = pictures(paper, tmp_path / "pictures", {1: "first.png"}, dt.datetime(2026, 2, 16, tzinfo=dt.timezone.utc))
    assert (tmp_path / "pictures" / "first.png").read_bytes().startswith(b"\x89PNG")
    assert "Key highlights and emerging themes" in source



@pytest.mark.parametrize("words", [
    "Schools responded well.[^1]\n\n[^1]: The family's NHS number is **943** 476 5919.",
    "We met [Kayden](https://example.org/a) *Ashworth* at school.",
    "![Ashworth, **Kayden**](x.png) told us about school.",
])
def test_highlights__personal_data_hidden_by_markup_is_found_in_the_paper_as_printed(tmp_path, words):
    root = example_copy(tmp_path)
    _name_a_subject(root)
    _plant(root, LOS, words)
    code, out, err = run("-w", root, "highlights", LOS, "--format", "html")
    assert code == 1 and "would be published" in err and not (root / "build").exists()
    assert "5919" not in err and "Kayden" not in err


def test_report__public_leaves_out_sensitive_plans_and_suppresses_small_forum_counts(tmp_path):
    root = example_copy(tmp_path)
    for approval, person, role in SIGNERS:
        run("-w", root, "signoff", REPORT, "--for", approval, "--by", person, "--as", role, "--date", "2026-02-16")
    plan = next((root / "records" / "action-plan").rglob("ap-2025-06-03-*.md"))
    plan.write_text(plan.read_text(encoding="utf-8").replace("marking: OFFICIAL\n", "marking: OFFICIAL-SENSITIVE\n"),
                    encoding="utf-8")
    for extra in sorted((root / "records" / "marpf").rglob("*.md"))[3:]:
        extra.unlink()
    code, out, err = run("-w", root, "report", "2025-26", "--public", "--format", "html")
    assert code == 0, err
    html = flat((root / "build" / "yearly-report-2025-26-public.html").read_text(encoding="utf-8"))
    assert "Update MARAC referral guidance" not in html and "Circulate a seven-minute briefing" not in html
    assert re.search(r"reflective practice forums</td> <td[^>]*>fewer than 5</td>", html)
