"""`renderer pronounce`: a text exactly as the speech engine is given it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from renderer.cli.shared import Reporter

EXAMPLES = """\
examples:
  renderer pronounce "Call 911 now."            nine one one, digit by digit
  renderer pronounce "Take 2-4 mg." "Visit https://www.nhs.uk/conditions/flu/"
  renderer pronounce --language es "Llame al 112." "Tome 0,5 mg."
  renderer pronounce --lexicon clinic-words.toml "Take 400 IU daily."

Prints one line per TEXT: exactly what the speech engine is given for it (numbers, phone numbers
and addresses read per language, then the lexicon and each --lexicon file, the last one last).
The transcript keeps the text as written.
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    pronounce = sub.add_parser(
        "pronounce",
        parents=[common],
        help="print the text exactly as the speech engine is given it",
        description="Print each TEXT as the speech engine is given it: the speech normaliser "
        "for the language, then the lexicon (the packaged one, then each --lexicon file).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pronounce.add_argument("text", nargs="+", metavar="TEXT", help="a sentence to say")
    pronounce.add_argument(
        "--language",
        metavar="CODE",
        default="en",
        help="the article's language: en, es, pt, fr, de ... (default: en)",
    )
    pronounce.add_argument(
        "--lexicon",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a clinic's pronunciation file, applied after the packaged one (repeatable)",
    )
    pronounce.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from renderer.outputs.lexicon import load_lexicon
    from renderer.outputs.normalise import engine_text

    lexicon = load_lexicon(tuple(args.lexicon))
    for text in args.text:
        print(engine_text(text, args.language, lexicon))
    return reporter.exit_code
