"""`renderer voices`: the voices the speech engine offers, with their languages."""

from __future__ import annotations

import argparse
from typing import Any

from renderer.cli.shared import Reporter, print_rich

EXAMPLES = """\
examples:
  renderer voices                 every voice, with its languages
  renderer voices --language es   the voices that speak Spanish

Give an id or a language code to `renderer render --voice`.
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    voices = sub.add_parser(
        "voices",
        parents=[common],
        help="list the voices of the speech engine",
        description="List the voices the speech engine offers, with their languages.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    voices.add_argument("--language", metavar="CODE", help="only voices for this language")
    voices.add_argument(
        "--engine",
        metavar="NAME",
        help="the speech engine to ask, named as for render (default: the platform's)",
    )
    voices.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from rich.table import Table

    from renderer.errors import UsageError
    from renderer.outputs.speech import open_engine, voices_for

    engine = open_engine(args.engine)
    voices = engine.voices()
    if args.language:
        voices = voices_for(voices, args.language)
        if not voices:
            raise UsageError(f"no voice speaks {args.language!r}")
    table = Table(title=engine.description, title_justify="left")
    for column in ("id", "name", "languages", "gender"):
        table.add_column(column)
    for voice in sorted(voices, key=lambda v: v.id):
        table.add_row(voice.id, voice.name, ", ".join(voice.languages), voice.gender or "")
    print_rich(lambda console: console.print(table))
    return reporter.exit_code
