"""The one CSV writer, for `mars list` and `mars overdue`/`mars due`: a header row, then a row per item.

Lines end in CRLF (RFC 4180), and every cell goes through escape.csv_cell, so a title a
spreadsheet would run as a formula is shown as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from mars_cli.outputs import escape


def to_csv(rows: Iterable[dict], columns: list[str]) -> str:
    """The whole CSV text: `columns` as the header, then each row's values in that order (a missing key
    is an empty cell, a key not in `columns` is left out)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([escape.csv_cell(row.get(column)) for column in columns])
    return out.getvalue()
