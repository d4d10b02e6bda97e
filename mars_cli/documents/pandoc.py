"""pandoc, from the pypandoc-binary wheel: the only module that runs it.

Every run is sandboxed (pandoc reads nothing but what it is handed) and reads Markdown with raw
HTML, raw Typst/LaTeX and raw attributes switched off, so text from a record is always text; a
Lua filter turns images and any raw content left into plain text and names what it dropped.
"""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mars_cli.model.errors import UsageError

# Markdown as mars writes it and people write records: no raw output-format content, no TeX maths
# (a "$" is a pound sign's cousin in these papers, not mathematics).
READER = "markdown-raw_html-raw_attribute-raw_tex-tex_math_dollars-tex_math_single_backslash"
TEMPLATES = Path(__file__).parent / "templates"  # installed as files (pyproject.toml: package-data)


@dataclass
class Converted:
    path: Path
    dropped: list[str] = field(default_factory=list)  # what the filter left out, in words


@functools.cache
def executable() -> str:
    """The pandoc the pypandoc-binary wheel ships, and no other: the one whose output the tests pin
    (pypandoc's own search would take a newer pandoc from PATH, and importing pypandoc costs 0.05 s
    for a path mars can find itself)."""
    spec = importlib.util.find_spec("pypandoc")
    binary = Path(spec.origin).parent / "files" / ("pandoc.exe" if sys.platform == "win32" else "pandoc") if spec else None
    if binary is None or not binary.is_file():
        raise UsageError("pandoc is missing from this installation",
                         "Reinstall mars (pip install --force-reinstall mars-cli): it brings pandoc with it.")
    return str(binary)


def version() -> str:
    """The first line of `pandoc --version` ("pandoc 3.9"); UsageError when it is missing or does not run."""
    try:
        result = subprocess.run([executable(), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"pandoc at {executable()} does not run ({exc})",
                         "Reinstall mars (pip install --force-reinstall mars-cli): it brings pandoc with it.") from None
    if result.returncode != 0 or not result.stdout.strip():
        raise UsageError(f"pandoc at {executable()} does not run ({result.stderr.strip()[:200]})",
                         "Reinstall mars (pip install --force-reinstall mars-cli): it brings pandoc with it.")
    return result.stdout.splitlines()[0].strip()


def convert(markdown: str, target: str, out: Path, metadata: Path, extra: list[str] = ()) -> Converted:
    """Markdown into `target` (typst, docx, html) at `out`, with the metadata file."""
    return start(markdown, target, out, metadata, extra).finish()


class Running:
    """A pandoc run under way, so the caller can do other work (draw the charts) meanwhile."""

    def __init__(self, args: list[str], target: str, out: Path) -> None:
        self.target, self.out = target, out
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)

    def stop(self) -> None:
        self.process.kill()
        self.process.communicate()

    def finish(self) -> Converted:
        _, stderr = self.process.communicate()
        errors = stderr.decode("utf-8", "replace")
        if self.process.returncode != 0:
            raise UsageError(f"pandoc could not write the {self.target} version: {errors.strip()[:400]}",
                             "This is a bug in mars's papers, not in your records; please report it.")
        return Converted(self.out, _dropped(errors))


def start(markdown: str, target: str, out: Path, metadata: Path, extra: list[str] = ()) -> Running:
    """Start pandoc on the Markdown, written beside `out` in the private build folder (pandoc reads
    the file while the caller goes on)."""
    source = out.with_name(f"{out.stem}-{target}-source.md")
    source.write_text(markdown, encoding="utf-8")
    args = [executable(), "--sandbox", f"--from={READER}", f"--to={target}", f"--output={out}",
            f"--metadata-file={metadata}", f"--lua-filter={TEMPLATES / 'filter.lua'}", *extra]
    if target in ("typst", "html"):
        args += ["--standalone", f"--template={TEMPLATES / ('paper.typ' if target == 'typst' else 'paper.html')}"]
    return Running([*args, str(source)], target, out)


def _dropped(stderr: str) -> list[str]:
    """What the filter left out, counted by kind: "2 pictures (a record cannot include files)"."""
    counts: dict[str, int] = {}
    for line in stderr.splitlines():
        if line.startswith("mars-dropped\t"):
            what = (line.split("\t") + [""])[1]
            counts[what] = counts.get(what, 0) + 1
    words = {"image": ("picture", "a record cannot include files"),
             "link": ("link", "only web and e-mail addresses stay links; the words are kept")}
    return [f"{n} {words[what][0]}{'s' if n != 1 else ''} ({words[what][1]})" if what in words
            else f"{n} piece{'s' if n != 1 else ''} of {what}" for what, n in counts.items()]


def default_reference_docx() -> bytes:
    """pandoc's own reference document, which mars restyles (docx.py)."""
    result = subprocess.run([executable(), "--print-default-data-file", "reference.docx"], capture_output=True)
    if result.returncode != 0:
        raise UsageError("pandoc could not give its reference document", result.stderr.decode("utf-8", "replace"))
    return result.stdout


def plain(markdown: str) -> str:
    """The text a reader of the paper sees, as plain text: emphasis, links, footnotes and the filter's
    work all applied, one paragraph to a line. The guard reads this as well as the records."""
    result = subprocess.run([executable(), "--sandbox", f"--from={READER}", "--to=plain", "--wrap=none",
                             f"--lua-filter={TEMPLATES / 'filter.lua'}"], input=markdown.encode("utf-8"),
                            capture_output=True)
    if result.returncode != 0:
        raise UsageError("pandoc could not read the paper back as text", result.stderr.decode("utf-8", "replace")[:400])
    return result.stdout.decode("utf-8")
