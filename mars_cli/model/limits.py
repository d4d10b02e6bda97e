"""How big a workspace file and its values may be: far above real use, far below harm.

A real record's front matter is a few kB and its longest list a few dozen entries; a Section 11
return with every comment filled in is under 100 kB. Past these limits a file is not read (a finding
at the line that is too big names it), so no command slows down on a 10 MB title or a 100,000-entry
list, and nothing downstream sees a value that size. The store applies them when it reads.
"""

from __future__ import annotations

MAX_FILE_BYTES = 20_000_000  # a record file, body included (a pasted image or two at most)
MAX_FRONT_MATTER_CHARS = 1_000_000  # the YAML between the `---` lines, or mars.yaml / processes.yaml
MAX_VALUE_CHARS = 100_000  # one value (a title, a comment, a note)
MAX_ENTRIES = 10_000  # one list, or one set of fields
MAX_DIGITS = 20  # one number (and the count in a deadline rule such as '6 weeks after date')


def size(count: int) -> str:
    """A count said plainly: 1,000,000."""
    return f"{count:,}"
