"""Results as text for other programs and other people: every format but the terminal's.

- `envelope.py`: the one JSON envelope, `{"schema_version": 2, "kind": ..., ...}`, that every read
  command's JSON is in (check, list, show, overdue, due, status, rules);
- `spreadsheet.py`: the one CSV writer (`mars list`, `mars overdue`, `mars due`);
- `escape.py`: one escaper per kind of output (terminal, CSV, JSON, XML, GitHub workflow commands,
  Markdown, iCalendar), so text from a hand-edited file is inert wherever it is shown;
- `feeds.py`: `mars overdue` and `mars due` as JSON, CSV, Markdown, GitHub annotations and JUnit XML,
  and `mars status` as Markdown;
- `calendar.py`: the iCalendar feed of due dates.

Each function returns the whole text and writes nothing; never typer, rich or click (cli/render.py
imports this package for the terminal's escapers).

May import: model, store, framework, derive, rules, queries, write.
"""
