"""How big a workspace file and its values may be: far above real use, far below harm.

A real record's front matter is a few kB (the example's largest is 6 kB) and its longest list a few
dozen entries; a Section 11 return with every comment filled in is well under 100 kB. Past these limits a file is not read (a finding
at the line that is too big names it), so no command slows down on a 10 MB title or a 100,000-entry
list, and nothing downstream sees a value that size. The store applies them when it reads.
"""

from __future__ import annotations

MAX_FILE_BYTES = 512_000  # a record file, body included: a record is text (some 80,000 words at most)
MAX_FRONT_MATTER_CHARS = 256_000  # the YAML between the `---` lines: read in about the time the example's
#   86 records are, so one file just under every limit keeps each command within 2x its time on the example
MAX_SETTINGS_CHARS = 1_000_000  # mars.yaml or processes.yaml: read once per command
MAX_VALUE_CHARS = 100_000  # one value (a title, a comment, a note)
MAX_ENTRIES = 10_000  # one list, or one set of fields
MAX_DIGITS = 20  # one number (and the count in a deadline rule such as '6 weeks after date')
MAX_FINDINGS_PER_FILE = 500  # `check` lists at most this many problems of one record's fields, then says so


def size(count: int) -> str:
    """A count said plainly: 1,000,000."""
    return f"{count:,}"
