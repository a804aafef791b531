"""The renderer's error tree: library code raises these, and only cli.py turns them into a line and exit code."""

from __future__ import annotations

from pathlib import Path


class RendererError(Exception):
    """Base of every error the renderer expects; `exit_code` is what the command line exits with."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[type[RendererError], tuple[str, str | None]]:
        # so that an error raised in a worker process keeps its file name on the way back
        return (type(self), (self.message, self.path))


class InputError(RendererError):
    """An input file cannot be read as an article (unsupported type, empty, not text)."""


class UsageError(RendererError):
    """The command line or an option value is wrong."""

    exit_code = 2


class ConfigError(UsageError):
    """A configuration or cue file is malformed or holds an unknown key or bad value."""


class DependencyError(RendererError):
    """A required engine or package is missing; the message says how to install it."""

    exit_code = 3


class VerificationError(RendererError):
    """An output would not hold every protected passage whole: it is not written."""


class OutputError(RendererError):
    """An output file cannot be written (permissions, full disk, a file where a folder should be)."""
