"""The `renderer` command: argument parsing, printing and exit codes (the only module that prints)."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

from renderer.analysis.sections import CueSet, load_cues
from renderer.config import DEFAULT_TARGET_GRADE, Options
from renderer.errors import RendererError
from renderer.loaders import SUPPORTED_EXTENSIONS, find_inputs
from renderer.model import Article, Readability, Section, article_to_json
from renderer.pipeline import analyse

EXIT_OK = 0
EXIT_FAILED = 1

SCORE_EXAMPLES = """\
examples:
  renderer score content/ketamine-therapy.md
  renderer score content/                       every supported file in the folder
  renderer score ../shared/seeds/*.txt --json --target-grade 8 > analysis.json
  renderer score handout.md --cues clinic-cues.toml

Supported files: {supported}.
Exit codes: 0 all scored; 1 some inputs failed (the rest are still scored); 2 usage error;
3 a required dependency is missing.
"""


class _Reporter:
    """Writes failures as one line each on stderr and remembers the worst exit code."""

    def __init__(self, verbose: bool, stream: TextIO) -> None:
        self.verbose = verbose
        self.stream = stream
        self.exit_code = EXIT_OK

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


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _protection(section: Section) -> str:
    if section.protected:
        return f"yes: {section.reason}"
    blocks = [b for b in section.blocks if b.protected]
    if blocks:
        noun = "paragraph" if len(blocks) == 1 else "paragraphs"
        return f"{len(blocks)} {noun}: {blocks[0].reason}"
    return "no"


def _score_cells(r: Readability | None) -> list[str]:
    if r is None:
        return ["0", "0", "-", "-", "-"]
    return [
        str(r.words),
        str(r.sentences),
        f"{r.grade:.1f}",
        _yes_no(r.meets_target),
        _yes_no(r.reliable),
    ]


def _print_table(article: Article, target_grade: float, console: Console) -> None:
    table = Table(
        title=f"{article.title}  ({article.source}, language {article.language})",
        title_justify="left",
    )
    for name in ("#", "Heading", "Kind", "Protected", "Words", "Sentences", "Grade"):
        justify: Any = "right" if name in ("#", "Words", "Sentences", "Grade") else "left"
        table.add_column(name, justify=justify, overflow="fold")
    table.add_column(f"Grade <= {target_grade:g}")
    table.add_column("Reliable")
    for s in article.sections:
        heading = s.heading if s.heading is not None else "(untitled)"
        table.add_row(
            str(s.index), heading, s.kind.value, _protection(s), *_score_cells(s.readability)
        )
    table.add_section()
    table.add_row("", "Whole document", "", "", *_score_cells(article.readability))
    console.print(table)
    kept = [d for d in article.dropped if d.kept]
    if article.dropped:
        console.print(
            f"Dropped page regions: {len(article.dropped)} "
            f"({len(kept)} kept as protected sections because they carry safety language)"
        )
    console.print()


def _score(args: argparse.Namespace, reporter: _Reporter) -> int:
    options = Options(target_grade=args.target_grade, cue_files=tuple(args.cues))
    cues: CueSet = load_cues(options.cue_files)
    files: list[Path] = []
    for arg in args.paths:
        try:
            files.extend(find_inputs([arg]))
        except RendererError as error:
            reporter.failed(error)
    analyses: list[Article] = []
    for path in files:
        try:
            analyses.append(analyse(path, options, cues))
        except Exception as error:  # one bad article must not stop the others
            reporter.failed(error, path)
    if args.json:
        payload = [article_to_json(a) for a in analyses]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        console = Console(width=None if sys.stdout.isatty() else 140, highlight=False)
        for article in analyses:
            _print_table(article, options.target_grade, console)
    return reporter.exit_code


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
    score = sub.add_parser(
        "score",
        parents=[common],
        help="per-section kind, protection and readability of articles",
        description="Split articles into sections, say which are protected safety content and "
        "why, and score the readability of each section and of the whole article.",
        epilog=SCORE_EXAMPLES.format(supported=", ".join(SUPPORTED_EXTENSIONS)),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    score.add_argument(
        "--json", action="store_true", help="print the analysis as JSON (a list, one per input)"
    )
    score.add_argument(
        "--target-grade",
        type=float,
        default=DEFAULT_TARGET_GRADE,
        metavar="GRADE",
        help="US school grade a section should not read above (default: %(default)g, "
        "the NIH ceiling for patient material)",
    )
    score.add_argument(
        "--cues",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a TOML file of extra section cues (headings, phrases) to add to the defaults; "
        "may be given more than once",
    )
    score.set_defaults(run=_score)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    reporter = _Reporter(args.verbose, sys.stderr)
    try:
        code: int = args.run(args, reporter)
    except RendererError as error:
        reporter.failed(error)
        code = reporter.exit_code
    except KeyboardInterrupt:
        print("renderer: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        # the reader of our output went away (`renderer score ... | head`): not an error of ours
        sys.stderr.close()
        code = EXIT_OK
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
