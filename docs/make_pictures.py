"""Draw the example's papers as pictures: docs/papers/*.png, and their Typst source beside the tests.

    python docs/make_pictures.py

Pages of the example's next Board pack (cover, contents, a table page, a chart page) and the first
page of the 2025-26 yearly report are drawn as PNG into docs/papers/, for people to look at the
papers without building them. The Typst source they are drawn from is written to
tests/expected-typst/, where tests/test_documents.py compares a fresh build with it, so a change in
the templates, pandoc or Typst shows up as a diff of text rather than of pixels.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WHEN = dt.datetime(2026, 2, 16, 9, 0, tzinfo=dt.timezone.utc)  # the example's as_of day
# Which pages to draw: the first page whose text holds these words (the cover and contents are 1 and 2).
BOARD_PAGES = {"board-pack-cover.png": None, "board-pack-contents.png": "Contents",
               "board-pack-chart.png": "Actions by agency and RAG", "board-pack-table.png": "Overdue actions and steps"}
REPORT_PAGES = {"yearly-report-cover.png": None, "yearly-report-first-chapter.png": "Mechanism"}


def papers():
    """The two papers, as of the example's day, with 'made on' and the commit pinned so the source repeats."""
    sys.path.insert(0, str(ROOT))
    from mars_cli.derive.context import Context
    from mars_cli.documents import common, packs, report
    from mars_cli.framework.load import read_workspace

    ws = read_workspace(ROOT / "example-workspace")
    ctx = Context(ws, WHEN.date())
    ctx.__dict__["today"] = WHEN.date()  # the day the paper says it was made
    common.git.head = lambda root: "0" * 40  # the provenance page names a commit: a fixed one here
    common.git.changed = lambda root: False
    board = packs.pack(ctx, packs.next_meeting(ctx, "board"))
    yearly = report.yearly_report(ctx, report.find_report(ctx, "2025-26"))
    return {"board-pack": (board, BOARD_PAGES), "yearly-report": (yearly, REPORT_PAGES)}


def pages_holding(paper, wanted: dict[str, str | None]) -> dict[int, str]:
    """Page number -> file name, for the first page holding each phrase (None: the cover)."""
    import tempfile

    import pypdf

    from mars_cli.documents.build import build

    with tempfile.TemporaryDirectory() as folder:
        built = build(paper, ("pdf",), Path(folder), when=WHEN)
        texts = [page.extract_text() for page in pypdf.PdfReader(built.files[0].path).pages]
    chosen = {}
    for name, phrase in wanted.items():
        after = 1 if phrase == "Contents" else 2  # the contents page names every heading
        number = 1 if phrase is None else next(i for i, t in enumerate(texts, 1) if phrase in t and i > after)
        chosen[number] = name
    return chosen


def main() -> None:
    from mars_cli.documents.build import pictures

    for name, (paper, wanted) in papers().items():
        pages = pages_holding(paper, wanted)
        source = pictures(paper, ROOT / "docs" / "papers", pages, WHEN)
        target = ROOT / "tests" / "expected-typst" / f"{name}.typ"
        target.parent.mkdir(exist_ok=True)
        target.write_text(stable(source), encoding="utf-8")
        print(f"{name}: {', '.join(pages.values())} and {target.relative_to(ROOT)}")


def stable(source: str) -> str:
    """The Typst source without what differs between machines (none today; kept for safety)."""
    return re.sub(r"[ \t]+$", "", source, flags=re.M)


if __name__ == "__main__":
    main()
