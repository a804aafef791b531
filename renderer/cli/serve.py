"""`renderer serve`: the clinic's desk, a local web page to check, render and print handouts."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from renderer.cli.shared import Reporter
from renderer.config import CONFIG_NAME

EXAMPLES = """\
examples:
  renderer serve                      open http://127.0.0.1:8765/ in a browser on this computer
  renderer serve --port 9000          another port
  renderer serve --config clinic.toml the clinic's defaults from this file
  RENDERER_DESK_PASSWORD='a long passphrase' renderer serve --host 0.0.0.0
                                      reachable from other computers, with a password

Uploads and everything made from them stay in a private temporary folder, removed
--keep-minutes after their last use and when the desk stops (Ctrl-C).
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from renderer.desk.settings import (
        DEFAULT_HOST,
        DEFAULT_KEEP_MINUTES,
        DEFAULT_PORT,
        PASSWORD_VARIABLE,
    )

    serve = sub.add_parser(
        "serve",
        parents=[common],
        help="open the clinic's desk: a local web page to check, render and print handouts",
        description="Serve the handout desk: a web page where staff upload handouts, check "
        "their sections and safety boxes, render them and print the PDF, play the audio and "
        "read the readability report. Only this computer can reach it unless --host says "
        "otherwise, and then a password is required.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default: {DEFAULT_HOST}, this computer only); any "
        f"other needs a password in {PASSWORD_VARIABLE} or --password-file",
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=f"a file whose first line is the desk's password (instead of {PASSWORD_VARIABLE})",
    )
    serve.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"the clinic's defaults (default: ./{CONFIG_NAME} if there is one)",
    )
    serve.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="articles rendered at once, for every user of the desk together (default: the "
        "number of cores)",
    )
    serve.add_argument(
        "--keep-minutes",
        type=float,
        default=DEFAULT_KEEP_MINUTES,
        metavar="MINUTES",
        help=f"remove uploads and their results this long after their last use (default: "
        f"{DEFAULT_KEEP_MINUTES:g})",
    )
    serve.set_defaults(run=run)


def _password(args: argparse.Namespace) -> str | None:
    from renderer.desk.settings import PASSWORD_VARIABLE
    from renderer.errors import UsageError

    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(
                f"cannot read the password file: {error}", args.password_file
            ) from None
        return lines[0].strip() if lines else ""
    return os.environ.get(PASSWORD_VARIABLE) or None


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from renderer.batch import default_jobs
    from renderer.config import build_run_options, load_settings
    from renderer.desk.server import serve
    from renderer.desk.settings import DeskSettings
    from renderer.errors import UsageError

    settings, config_path = load_settings(args.config)
    run_as = build_run_options(settings)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {args.jobs}")
    desk = DeskSettings(
        host=args.host,
        port=args.port,
        settings=settings,
        config_path=config_path,
        password=_password(args),
        jobs=args.jobs or run_as.jobs or default_jobs(),
        timeout=run_as.timeout,
        keep_minutes=args.keep_minutes,
    )

    def ready(address: str) -> None:
        print(f"The handout desk is open at {address} (Ctrl-C to stop it)", flush=True)

    # Ctrl-C or SIGTERM is how a desk is stopped, not a failure (waitress ends its loop on
    # either and returns; one arriving during the clean-up is caught here).
    with contextlib.suppress(KeyboardInterrupt):
        serve(desk, ready)
    print("renderer: the desk stopped; its uploads were removed", file=sys.stderr)
    return reporter.exit_code
