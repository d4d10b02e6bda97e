"""Charts, drawn by Typst from mars's own chart template (templates/chart.typ): no plotting library.

A chart is a horizontal bar chart of counts, stacked by series. Meaning is never carried by colour
alone: each series also has its own hatching and the legend names it, every bar segment is labelled
with its number, and the paper prints the same numbers as a table after the chart and states them in
the chart's alt text. The data reaches Typst as JSON, so names are shown as text, never as markup.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mars_cli.documents import typst
from mars_cli.documents.paper import Chart

TEMPLATE = Path(__file__).parent / "templates" / "chart.typ"


def draw(charts: list[Chart], folder: Path, fmt: str) -> list[bytes]:
    """The charts drawn in one format (svg for PDF and HTML, png for DOCX), in a folder of their own:
    one Typst document with a chart to a page, so Typst starts and reads its fonts once for them all."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TEMPLATE, folder / "chart.typ")
    data = [{"categories": list(chart.categories), "unit": chart.unit,
             "series": [{"name": name.lower(), "values": list(values)} for name, values in chart.series]}
            for chart in charts]
    (folder / "charts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    pages = typst.compile_image(folder / "chart.typ", fmt)
    assert len(pages) == len(charts), "one page for each chart"
    return pages
