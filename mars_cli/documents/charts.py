"""Charts, drawn offline by matplotlib: the only module that imports it (and only when a paper has one).

A chart is a horizontal bar chart of counts, stacked by series. Meaning is never carried by colour
alone: each series also has its own hatching and the legend names it, every bar segment is labelled
with its number, and the paper prints the same numbers as a table after the chart and states them in
the chart's alt text.
"""

from __future__ import annotations

import io

from mars_cli.documents.paper import Chart

# Colours that stay distinct for the common kinds of colour blindness, each with its own hatching.
STYLES = {
    "red": ("#c0392b", "xx"), "amber": ("#e6a23c", ".."), "green": ("#2e8b57", "//"),
    "complete": ("#2f6db5", ""), "dropped": ("#9a9a9a", "--"),
}
_OTHER = [("#4c72b0", ""), ("#dd8452", "//"), ("#55a868", ".."), ("#c44e52", "xx"), ("#8172b3", "\\\\")]


def draw(chart: Chart) -> tuple[bytes, bytes]:
    """The chart as SVG (for PDF and HTML) and PNG (for DOCX)."""
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import pyplot

    figure = _figure(pyplot, chart)
    svg, png = io.BytesIO(), io.BytesIO()
    metadata = {"Date": None}  # no time stamp: the same numbers draw the same file
    figure.savefig(svg, format="svg", metadata=metadata, bbox_inches="tight")
    figure.savefig(png, format="png", dpi=150, bbox_inches="tight")
    pyplot.close(figure)
    return svg.getvalue(), png.getvalue()


def _figure(pyplot, chart: Chart):
    pyplot.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "mars",
                            "hatch.linewidth": 0.6})
    height = 0.9 + 0.38 * max(len(chart.categories), 1)
    figure, axes = pyplot.subplots(figsize=(6.6, height))
    left = [0] * len(chart.categories)
    for index, (name, values) in enumerate(chart.series):
        colour, hatch = STYLES.get(name.lower(), _OTHER[index % len(_OTHER)])
        bars = axes.barh(chart.categories, values, left=left, color=colour, hatch=hatch, edgecolor="white",
                         label=name.capitalize(), height=0.62)
        for bar, value in zip(bars, values):
            if value:
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(value),
                          ha="center", va="center", fontsize=8, color="black",
                          bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
        left = [a + b for a, b in zip(left, values)]
    axes.invert_yaxis()
    axes.set_xlabel(chart.unit)
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.get_major_locator().set_params(integer=True)
    if len(chart.series) > 1:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(chart.categories) < 4 else -0.12),
                    ncol=min(len(chart.series), 3), frameon=False)
    figure.tight_layout()
    return figure
