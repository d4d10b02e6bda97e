"""Expected failures: one exception family, caught once in the CLI.

Each carries the exit code the user sees. Unexpected exceptions are not in
this family: the CLI logs their traceback and exits 3.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1  # findings, or a refused command
EXIT_USAGE = 2  # usage or configuration: cannot run
EXIT_UNEXPECTED = 3
EXIT_INTERRUPTED = 130


class MarsError(Exception):
    """An expected failure with a message for the officer and, ideally, a fix."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, hint: str = "", findings: list | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.findings = findings or []


class Refused(MarsError):
    """The command understood what was asked and will not do it; nothing was written (exit 1)."""


class UsageError(MarsError):
    """The command was called wrongly, or the workspace cannot be used at all."""

    exit_code = EXIT_USAGE
