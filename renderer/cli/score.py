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
    from rich.table import Table

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


def _title(article: Article) -> str:
    return f"{article.title}  ({article.source}, language {article.language})"


def _heading(section: Section) -> str:
    return section.heading if section.heading is not None else "(untitled)"


# A layout: the column headers (right-aligned when they end in ">"), the rows, the total row.
_Layout = tuple[list[str], list[list[str]], list[str]]


def _print_table(article: Article, target_grade: float, console: Console) -> None:
    """The sections as the widest layout that fits the terminal without cutting a word: a
    column for every figure; else fewer columns, the protection under the heading; else a
    few lines per section (staff with large terminal fonts may have 60 columns or fewer)."""
    from renderer.model import article_to_json

    for layout in (_full_layout, _narrow_layout):
        headers, rows, total = layout(article, target_grade)
        if _min_width(headers, [*rows, total]) <= console.width:
            console.print(_table(_title(article), headers, rows, total))
            if layout is _narrow_layout:
                console.print("~ a grade from under 100 words or 3 sentences: not reliable")
            break
    else:
        _print_stacked(article, target_grade, console)
    kept = [d for d in article.dropped if d.kept]
    if article.dropped:
        console.print(
            f"Dropped page regions: {len(article.dropped)} "
            f"({len(kept)} kept as protected sections because they carry safety language)"
        )
    _print_review(article_to_json(article), console)
    console.print()


def _min_width(headers: list[str], rows: list[list[str]]) -> int:
    """The narrowest table rich can draw without folding a word: every column as wide as its
    longest word, one space of padding on each side, a border between and around columns."""
    from rich.cells import cell_len

    widths = [
        max(cell_len(word) for cell in column for word in cell.rstrip(">").split() or [""])
        for column in zip(headers, *rows, strict=True)
    ]
    return sum(widths) + 3 * len(widths) + 1


def _table(title: str, headers: list[str], rows: list[list[str]], total: list[str]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for header in headers:
        right = header.endswith(">")
        table.add_column(header.rstrip(">"), justify="right" if right else "left")
    for row in rows:
        table.add_row(*row)
    table.add_section()
    table.add_row(*total)
    return table


def _full_layout(article: Article, target_grade: float) -> _Layout:
    headers = ["#>", "Heading", "Kind", "Protected", "Words>", "Sentences>", "Grade>"]
    headers += [f"Grade <= {target_grade:g}", "Reliable"]
    rows = [
        [str(s.index), _heading(s), s.kind.value, _protection(s), *_score_cells(s.readability)]
        for s in article.sections
    ]
    return headers, rows, ["", "Whole document", "", "", *_score_cells(article.readability)]


def _narrow_layout(article: Article, target_grade: float) -> _Layout:
    """Six columns: why a section is protected goes under its heading; an unreliable grade
    is marked ~ instead of a column of its own; the sentence count is left to --json."""
    headers = ["#>", "Section", "Kind", "Words>", "Grade>", f"<= {target_grade:g}"]
    rows = []
    for s in article.sections:
        protected = _protected(s)
        section = _heading(s) + (f"\n{protected}" if protected else "")
        rows.append([str(s.index), section, s.kind.value, *_narrow_cells(s.readability)])
    return headers, rows, ["", "Whole document", "", *_narrow_cells(article.readability)]


def _protected(section: Section) -> str:
    """What of a section is protected and why, as a line of its own ("" when nothing is)."""
    protection = _protection(section)
    if protection == "no":
        return ""
    if protection.startswith("yes: "):
        return "protected: " + protection.removeprefix("yes: ")
    return protection.replace(":", " protected:", 1)  # "2 paragraphs protected: ..."


def _narrow_cells(r: Readability | None) -> list[str]:
    if r is None:
        return ["0", "-", "-"]
    return [str(r.words), ("" if r.reliable else "~") + f"{r.grade:.1f}", _yes_no(r.meets_target)]


def _print_stacked(article: Article, target_grade: float, console: Console) -> None:
    """A few lines per section, wrapped at words by rich: for terminals too narrow for a table."""
    from rich.padding import Padding
    from rich.text import Text

    console.print(_title(article), markup=False)
    sections: list[tuple[str, Section | None, Readability | None]] = [
        (f"{s.index}. {_heading(s)}", s, s.readability) for s in article.sections
    ]
    sections.append(("Whole document", None, article.readability))
    for heading, section, r in sections:
        lines = []
        if section is not None:
            lines.append(f"{section.kind.value}, {_protected(section) or 'not protected'}")
        if r is not None:
            target = "at or below" if r.meets_target else "above"
            reliable = "" if r.reliable else ", not reliable"
            lines.append(
                f"{r.words} words, {r.sentences} sentences, grade {r.grade:.1f} "
                f"({target} {target_grade:g}{reliable})"
            )
        console.print(heading, markup=False)
        for line in lines:
            console.print(Padding(Text(line), (0, 0, 0, 3)))


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
