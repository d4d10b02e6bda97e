"""Typst, from the typst wheel: the only module that calls it.

PDFs are compiled with the PDF/UA-1 standard, which makes Typst refuse a document without a title
or a picture without alt text, and tags headings, lists and tables for screen readers. Fonts are
the DejaVu Sans files mars ships, so every machine draws the same pages and no system font is read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from mars_cli.model.errors import UsageError


def font_folder() -> Path:
    """DejaVu Sans, shipped with mars (fonts/LICENSE), so every machine draws the same pages."""
    folder = Path(__file__).parent / "fonts"
    if not (folder / "DejaVuSans.ttf").is_file():
        raise UsageError("the fonts for documents are missing from this installation",
                         "Reinstall mars (pip install --force-reinstall mars-cli).")
    return folder


def version() -> str:
    """The version of the typst wheel (the Typst that makes every PDF)."""
    from importlib.metadata import version as installed

    return installed("typst")


def missing_fonts(families: list[str], folder: Path) -> list[str]:
    """Which of these font families (in regular, bold and italic) Typst cannot find in `folder`; a
    Typst that fails to run at all raises RuntimeError."""
    import tempfile

    import typst

    text = "".join(f'#text(font: "{name}")[a *b* _c_ *_d_*]\n' for name in families)
    with tempfile.TemporaryDirectory(prefix="mars-doctor-") as tmp:
        source = Path(tmp) / "fonts.typ"
        source.write_text(text, encoding="utf-8")
        _, warnings = typst.compile_with_warnings(str(source), root=tmp, font_paths=[str(folder)],
                                                  ignore_system_fonts=True)
    unknown = " ".join(str(w).lower() for w in warnings)
    return [name for name in families if f"unknown font family: {name.lower()}" in unknown]


def compile_image(source: Path, fmt: str, ppi: int = 150) -> list[bytes]:
    """A Typst document (charts, one to a page) as SVG or PNG, one image a page."""
    import typst

    options = {"ppi": ppi} if fmt == "png" else {}
    try:
        pages = typst.compile(str(source), root=str(source.parent), font_paths=[str(font_folder())],
                              ignore_system_fonts=True, format=fmt, **options)
        return pages if isinstance(pages, list) else [pages]
    except RuntimeError as exc:
        raise UsageError(f"Typst could not draw a chart: {str(exc).strip()[:400]}",
                         "This is a bug in mars's papers, not in your records; please report it.") from None


def compile_pdf(source: Path, out: Path, when: dt.datetime) -> int:
    """Write the tagged PDF; the number of pages. `when` fixes the PDF's dates, so builds repeat."""
    import typst

    try:
        pdf = typst.compile(str(source), root=str(source.parent), font_paths=[str(font_folder())],
                            ignore_system_fonts=True, pdf_standards=["ua-1"],
                            timestamp=int(when.timestamp()))
    except RuntimeError as exc:
        raise UsageError(f"Typst could not make the PDF: {str(exc).strip()[:400]}",
                         "This is a bug in mars's papers, not in your records; please report it.") from None
    out.write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))  # Typst writes no object streams


def render_png(source: Path, out_pattern: Path, pages: list[int], ppi: int = 110) -> list[Path]:
    """PNG pictures of some pages (1-based), to look at a paper without a PDF reader."""
    import typst

    images = typst.compile(str(source), root=str(source.parent), font_paths=[str(font_folder())],
                           ignore_system_fonts=True, format="png", ppi=ppi)
    images = images if isinstance(images, list) else [images]
    written = []
    for number in pages:
        if 1 <= number <= len(images):
            path = Path(str(out_pattern).format(page=number))
            path.write_bytes(images[number - 1])
            written.append(path)
    return written
