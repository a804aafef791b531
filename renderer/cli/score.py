"""`renderer score`: each article's sections, their kind, protection and readability."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renderer.cli.shared import Reporter, add_analysis_flags, inputs, print_rich, run_options

if TYPE_CHECKING:
    from rich.console import Console

    from renderer.model import Article, Readability, Section

EXAMPLES = """\
examples:
  renderer score content/ketamine-therapy.md
  renderer score content/                       every supported file in the folder
  renderer score ../shared/seeds/*.txt --json --target-grade 8 > analysis.json
  renderer score handout.md --cues clinic-cues.toml

After its table, each article lists the sentences with strong risk or disclaimer language that
are not boxed ("Check these"), the page furniture left out, and its pins. To box or unbox a
passage of leaflet.md, name it in leaflet.pins.toml beside it (README: "Checking and pinning a
passage"):
  protect = ["Keep out of the reach of children"]
  unprotect = ["About this leaflet"]

The language is the file's (HTML lang, Markdown front matter "language: es-MX"), else detected
from the text; Spanish, Portuguese, French and German have their own safety cues, readability
formulas and labels (README: "Languages").

Supported files: {supported}.
Exit codes: 0 all scored; 1 some inputs failed (the rest are still scored); 2 usage error;
3 a required dependency is missing.
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from renderer.loaders import SUPPORTED_EXTENSIONS

    score = sub.add_parser(
        "score",
        parents=[common],
        help="per-section kind, protection and readability of articles",
        description="Split articles into sections, say which are protected safety content and "
        "why, and score the readability of each section and of the whole article.",
        epilog=EXAMPLES.format(supported=", ".join(SUPPORTED_EXTENSIONS)),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    score.add_argument(
        "--json", action="store_true", help="print the analysis as JSON (a list, one per input)"
    )
    add_analysis_flags(score)
    score.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from renderer.analysis.article import analyse
    from renderer.analysis.sections import load_cues
    from renderer.model import article_to_json

    options, _ = run_options(args)
    cues = load_cues(options.cue_files)
    analyses: list[Article] = []
    for path in inputs(args.paths, reporter):
        try:
            analyses.append(analyse(path, options, cues))
        except Exception as error:  # one bad article must not stop the others
            reporter.failed(error, path)
    if args.json:
        payload = [article_to_json(a) for a in analyses]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:

        def tables(console: Console) -> None:
            for article in analyses:
                _print_table(article, options.target_grade, console)

        print_rich(tables)
    return reporter.exit_code


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
    from rich.table import Table

    from renderer.model import article_to_json

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
    _print_review(article_to_json(article), console)
    console.print()


def _print_review(analysis: dict[str, Any], console: Console) -> None:
    """What a person should look at: unboxed safety language, what was left out, the pins."""
    from renderer.analysis.review import check_line, dropped_line, left_out, override_line

    lists = (
        ("Check these (risk language not boxed):", analysis["check_these"], check_line),
        ("Left out as page furniture:", left_out(analysis), dropped_line),
        ("Pinned:", analysis["overrides"], override_line),
    )
    for title, entries, line in lists:
        if entries:
            console.print(title, markup=False)
            for entry in entries:
                console.print(f"  - {line(entry)}", markup=False)
