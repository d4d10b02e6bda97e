"""Running `mars`: the command (its modules imported as `cli/registry.py` needs them), one error
boundary, exit codes.

Exit codes for every command: 0 ok, 1 findings or refused, 2 usage or
configuration, 3 an unexpected error (traceback in a log file), 130 Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import traceback
from pathlib import Path

import typer
import typer.main

from mars_cli import __version__
from mars_cli.cli.app import app, release
from mars_cli.cli.registry import LazyGroup
from mars_cli.model.errors import (
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    MarsError,
)


def main(argv: list[str] | None = None) -> int:
    """Run `mars`; every failure becomes a message and an exit code, never a traceback."""
    try:
        command()(args=_workspace_first(sys.argv[1:] if argv is None else argv), prog_name="mars")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except MarsError as exc:
        report_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a path the system cannot use (too long, a device...): the user's to fix
        typer.echo(f"mars: cannot use {exc.filename or 'that path'}: {exc.strerror or exc}", err=True)
        return EXIT_USAGE
    except Exception:  # noqa: BLE001 - the one place unexpected errors are caught
        error = sys.exc_info()[1]
        log = _crash_log()
        typer.echo(f"mars: unexpected error ({type(error).__name__}: {error}).\n"
                   f"This is a bug in mars, not in your records. Details are in {log}; "
                   "please send that file to whoever supports mars here.", err=True)
        return EXIT_UNEXPECTED
    finally:
        release()
    return 0


@functools.cache
def command():
    """The typer app as the click command it runs as, built once per process (typer builds it anew on
    every call, which costs more than most commands take when mars is run many times in one process).
    Its commands are built as they are asked for (cli/registry.py); the options of `mars` itself name
    nothing that Tab completion offers."""
    app.info.cls = LazyGroup  # named here, not in app.py: the registry imports the modules that import app.py
    return typer.main.get_command(app)


GLOBAL_FLAGS = ("-q", "--quiet", "--no-color")  # options of `mars` itself, accepted after the command too
GLOBAL_VALUED = ("-w", "--workspace", "--width")


def _workspace_first(argv: list[str]) -> list[str]:
    """Accept -w/--workspace (and --width, --no-color, -q) after the command too (`mars check -w ws`),
    as officers type it."""
    out, moved = [], []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out += argv[i:]
            break
        if arg in GLOBAL_VALUED and i + 1 < len(argv):
            moved += [arg, argv[i + 1]]
            i += 2
            continue
        if arg in GLOBAL_FLAGS or arg.startswith(("--workspace=", "--width=")):
            moved.append(arg)
        else:
            out.append(arg)
        i += 1
    return moved + out


def report_error(exc: MarsError) -> None:
    from mars_cli.cli.render import findings_text
    from mars_cli.outputs.escape import terminal_line

    typer.echo(f"mars: {terminal_line(exc.message)}", err=True)  # it may quote a value from a record
    if exc.findings:
        typer.echo(findings_text(exc.findings), err=True)
    if exc.hint:
        typer.echo(f"    hint: {terminal_line(exc.hint)}", err=True)


def _crash_log() -> str:
    """Write the traceback where only this user can read it (it may quote record titles)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    folder = Path(base) / "mars" / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"mars {__version__}\nargv: {sys.argv}\n\n{traceback.format_exc()}")
        return str(path)
    except OSError:
        return "(no log could be written; the details follow)\n" + traceback.format_exc()


def run() -> None:  # console-script entry point
    sys.exit(main())
