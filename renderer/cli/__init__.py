"""The `renderer` command: argument parsing, printing and exit codes (the only package that
prints). One module per subcommand; each imports what it needs inside its `run`, so that
`renderer --help` starts without loading the PDF, speech or analysis code."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from renderer.cli import pronounce, render, score, serve, verify, voices
from renderer.cli.shared import EXIT_OK, Reporter, stopped_by, stopped_code, terminate
from renderer.errors import RendererError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--verbose", action="store_true", help="show the traceback of an error as well"
    )
    parser = argparse.ArgumentParser(
        prog="renderer",
        description="Large-print PDFs, spoken versions and readability reports for health "
        "articles, with safety content kept whole.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in (score, render, verify, voices, pronounce, serve):
        command.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    reporter = Reporter(args.verbose, sys.stderr)
    # Only the main thread may set a handler (main() may be called from another).
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, terminate) if in_main else None
    try:
        code: int = args.run(args, reporter)
    except RendererError as error:
        reporter.failed(error)
        code = reporter.exit_code
    except KeyboardInterrupt as stop:
        print(f"renderer: {stopped_by(stop)}", file=sys.stderr)
        code = stopped_code(stop)
    except BrokenPipeError:
        # the reader of our output went away (`renderer score ... | head`): not an error of ours
        sys.stderr.close()
        code = EXIT_OK
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous or signal.SIG_DFL)
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
