"""The command line's one error type and its exit codes (the one definition)."""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
"""0 ok, 1 a check failed, 2 bad usage or a corpus that cannot be served."""


class CliError(Exception):
    """A user-facing command-line error: printed as one line, exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code
