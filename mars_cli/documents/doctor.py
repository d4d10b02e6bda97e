"""`mars doctor`'s checks of what makes documents: pandoc from the wheel, Typst, and the fonts the
papers are set in. Each returns one framework.doctor.Checked, listed once in TOOLS."""

from __future__ import annotations

import re
from collections.abc import Callable

from mars_cli.documents import pandoc, typst
from mars_cli.framework.doctor import OK, Checked
from mars_cli.model.errors import MarsError
from mars_cli.model.records import ERROR

REINSTALL = "Reinstall mars (pip install --force-reinstall mars-cli): it brings {} with it."


def check_pandoc() -> Checked:
    try:
        return Checked("pandoc", OK, f"{pandoc.version()} at {pandoc.executable()}")
    except MarsError as exc:
        return Checked("pandoc", ERROR, exc.message, exc.hint or REINSTALL.format("pandoc"))


def check_typst() -> Checked:
    try:
        found = typst.version()
    except Exception as exc:  # noqa: BLE001 - a broken install is what this check is for
        return Checked("Typst", ERROR, f"the typst package cannot be used ({exc})", REINSTALL.format("Typst"))
    return Checked("Typst", OK, f"Typst (typst {found}, the Python package)")


def font_families() -> list[str]:
    """The font families the papers' templates are set in (`font: "DejaVu Sans"`)."""
    names: dict[str, None] = {}
    for template in sorted(pandoc.TEMPLATES.glob("*.typ")):
        names.update(dict.fromkeys(re.findall(r'font:\s*"([^"]+)"', template.read_text(encoding="utf-8"))))
    return list(names)


def check_fonts() -> Checked:
    families = font_families()
    try:
        folder = typst.font_folder()
        missing = typst.missing_fonts(families, folder)
    except MarsError as exc:
        return Checked("fonts", ERROR, exc.message, exc.hint or REINSTALL.format("its fonts"))
    except Exception as exc:  # noqa: BLE001 - Typst failing to set text is what this check is for
        return Checked("fonts", ERROR, f"Typst could not set text in the papers' fonts ({exc})",
                       REINSTALL.format("Typst and its fonts"))
    if missing:
        return Checked("fonts", ERROR, f"{', '.join(missing)} not found in {folder}", REINSTALL.format("its fonts"))
    return Checked("fonts", OK, f"{', '.join(families)} (regular, bold, italic) in {folder}")


TOOLS: tuple[Callable[[], Checked], ...] = (check_pandoc, check_typst, check_fonts)


def check_tools() -> list[Checked]:
    return [check() for check in TOOLS]
