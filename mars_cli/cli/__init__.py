"""The command line: typer commands that parse options, call one core function each and format
the result. The only package that imports typer or rich (and click, through typer).

`main.py` runs `mars` (one error boundary, exit codes); `app.py` is the typer app the command
modules add to; `registry.py` names every command, its module and its help line, so that a command's
module is imported only when that command is asked for (`mars --help` imports none). One module per
group: `records` (new, list, show, set), `steps` (step, signoff, rules),
`actions` (action add/update/extend), `agenda` (overdue, due, status), `check`, `setup` (init,
kinds, doctor); `render.py` draws findings, records and tables for the terminal; `options.py` holds what
the commands share; `complete.py` gives Tab completion its names.

May import: model, store, framework, derive, rules, queries, write, outputs, documents.
"""
