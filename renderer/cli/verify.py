"""`renderer verify`: re-read a render's outputs and check them against their manifests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from renderer.cli.shared import EXIT_FAILED, Reporter

EXAMPLES = """\
examples:
  renderer verify                 everything under output/
  renderer verify printed/        another output folder

One line per problem on stderr, naming the article and what is wrong. Exit codes: 0 all
intact; 1 a problem was found; 2 no manifest under DIR.
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    verify = sub.add_parser(
        "verify",
        parents=[common],
        help="check rendered outputs against their manifests",
        description="Re-read every manifest.json under DIR and check, from the files alone, "
        "that each output is the one written (size, sha256), that the PDF's text, the "
        "transcript and the DAISY book's text hold every protected passage and every sentence "
        "and heading whole and in order, and that the audio's length and chapters fit.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="a render's output folder (default: output/)",
    )
    verify.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from renderer.verify import verify_tree

    report = verify_tree(args.folder)
    for problem in report.problems:
        print(f"renderer: {problem}", file=sys.stderr)
    if report.problems:
        reporter.exit_code = max(reporter.exit_code, EXIT_FAILED)
        failing = len({p.article for p in report.problems})
        print(
            f"{len(report.problems)} problems in {failing} of {report.articles} articles "
            f"({report.checks} checks)"
        )
    else:
        print(
            f"Verified {report.articles} articles: every output is intact and holds all its "
            f"text, protected passages included ({report.checks} checks)"
        )
    return reporter.exit_code
