"""What every subcommand shares: one line per failure on stderr, exit codes, the options from
renderer.toml and flags, the input files, and drawing with rich.

Kept light: `renderer --help` imports this module, so anything slow to import (rich, the
loaders, the pipeline) is imported inside the function that needs it."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from renderer.config import CONFIG_NAME, DEFAULT_TARGET_GRADE
from renderer.errors import RendererError

if TYPE_CHECKING:
    from rich.console import Console

    from renderer.config import Options, RunOptions

EXIT_OK = 0
EXIT_FAILED = 1


class Reporter:
    """Writes failures as one line each on stderr and remembers the worst exit code."""

    def __init__(self, verbose: bool, stream: TextIO) -> None:
        self.verbose = verbose
        self.stream = stream
        self.exit_code = EXIT_OK

    def warn(self, path: Path, message: str) -> None:
        print(f"renderer: warning: {path}: {message}", file=self.stream)

    def note(self, message: str) -> None:
        print(f"renderer: note: {message}", file=self.stream)

    def failed(self, error: BaseException, path: Path | None = None) -> None:
        if isinstance(error, RendererError):
            line = str(error)
            code = error.exit_code
        else:
            where = f"{path}: " if path else ""
            line = f"{where}unexpected {type(error).__name__}: {error}"
            if not self.verbose:
                line += " (run with --verbose for the traceback)"
            code = EXIT_FAILED
        if self.verbose:
            traceback.print_exception(type(error), error, error.__traceback__, file=self.stream)
        print(f"renderer: {line}", file=self.stream)
        self.exit_code = max(self.exit_code, code)


def inputs(paths: Sequence[Path], reporter: Reporter, notes: list[str] | None = None) -> list[Path]:
    """The files the paths name (folders walked); a path that fails is reported and skipped."""
    from renderer.loaders import find_inputs, unique_paths

    files: list[Path] = []
    for arg in paths:
        try:
            files.extend(find_inputs([arg], notes))
        except RendererError as error:
            reporter.failed(error)
    return unique_paths(files)


def print_rich(draw: Callable[[Console], None]) -> None:
    """Draw with rich into a buffer and write it to stdout in one go: rich turns a closed pipe
    (`renderer score ... | head`) into exit code 1 of its own."""
    from rich.console import Console

    buffer = io.StringIO()
    tty = sys.stdout.isatty()
    # COLUMNS when set (also when piped), else the terminal's width; 140 into a file or pipe,
    # wide enough for every column.
    given = tty or "COLUMNS" in os.environ
    width = shutil.get_terminal_size((140, 24)).columns if given else 140
    draw(Console(file=buffer, width=width, highlight=False, force_terminal=tty))
    sys.stdout.write(buffer.getvalue())


def run_options(args: argparse.Namespace) -> tuple[Options, RunOptions]:
    """Options from defaults < renderer.toml (or --config) < the flags given. Every value is
    checked by config's one set of rules: a bad flag names the flag, a bad key the file."""
    from renderer.config import build_options, build_run_options, load_settings, option_keys

    settings, _ = load_settings(args.config)
    flags = {
        key: value
        for key in option_keys()
        if (value := getattr(args, key, None)) is not None and value is not False and value != []
    }
    values = {**settings, **flags}
    return build_options(values), build_run_options(values)


def add_analysis_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that change what an article's analysis finds: score and render take them."""
    parser.add_argument(
        "--target-grade",
        type=float,
        metavar="GRADE",
        help=f"US school grade a section should not read above (default: "
        f"{DEFAULT_TARGET_GRADE:g}, the NIH ceiling for patient material)",
    )
    parser.add_argument(
        "--cues",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a TOML file of extra section cues (headings, phrases) to add to the defaults; "
        "may be given more than once",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"a clinic's defaults (default: ./{CONFIG_NAME} if there is one); flags override it",
    )


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a service manager, a CI job's time limit): stopped as Ctrl-C stops."""


def terminate(signum: int, frame: object) -> None:
    raise Terminated


def stopped_by(stop: KeyboardInterrupt) -> str:
    return "stopped by SIGTERM" if isinstance(stop, Terminated) else "interrupted"


def stopped_code(stop: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a command a signal ended."""
    return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)
