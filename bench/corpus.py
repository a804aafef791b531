"""Safety recognition on real articles: how much of the labelled corpus the analysis gets right.

Run: .venv/bin/python bench/corpus.py [CORPUS_DIR] [--misses]
     (default: ../shared/corpus, which holds docs/ and labels.json)

Prints, per publisher, language and label kind: protected passages found (each must lie inside
one protected passage of the analysis), general passages wrongly boxed, site chrome kept in a
section that is rendered, and titles right. `--misses` lists every passage judged wrongly.
tests/analysis/test_corpus.py asserts the thresholds on the same figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.model import Article, SectionKind, comparable_text, protected_passages

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@dataclass
class Tally:
    """Counts for one group of files: `right` of `total` for each label kind."""

    protected: list[int] = field(default_factory=lambda: [0, 0])  # found, total
    general_boxed: list[int] = field(default_factory=lambda: [0, 0])  # boxed, total
    chrome_kept: list[int] = field(default_factory=lambda: [0, 0])  # kept, total
    titles: list[int] = field(default_factory=lambda: [0, 0])  # right, total

    def add(self, other: Tally) -> None:
        for name in ("protected", "general_boxed", "chrome_kept", "titles"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine[0] += theirs[0]
            mine[1] += theirs[1]


@dataclass
class FileResult:
    name: str
    publisher: str
    language: str
    tally: Tally
    misses: list[str]


def publisher_of(name: str) -> str:
    """The publisher, from the corpus's file-name convention ("nhs-...", "ema-...")."""
    prefix = name.split("-", 1)[0]
    return {"aemps": "AEMPS", "cima": "AEMPS", "medlineplus": "MedlinePlus"}.get(
        prefix, prefix.upper()
    )


def _inside(passage: str, texts: Iterable[str]) -> bool:
    needle = comparable_text(passage)
    return any(needle in text for text in texts)


def judge(article: Article, labels: dict[str, object]) -> tuple[Tally, list[str]]:
    """How one article's analysis compares with its labels."""
    tally = Tally()
    misses: list[str] = []
    boxed = [comparable_text(f"{p.heading or ''} {p.text}") for p in protected_passages(article)]
    rendered = [
        comparable_text(f"{s.heading or ''}\n{s.plain_text()}")
        for s in article.sections
        if s.kind is not SectionKind.BOILERPLATE
    ]
    for passage in _strings(labels.get("protected_passages")):
        found = _inside(passage, boxed)
        tally.protected[0] += found
        tally.protected[1] += 1
        if not found:
            misses.append(f"not protected: {passage[:100]}")
    for passage in _strings(labels.get("general_passages")):
        wrongly = _inside(passage, boxed)
        tally.general_boxed[0] += wrongly
        tally.general_boxed[1] += 1
        if wrongly:
            misses.append(f"boxed but general: {passage[:100]}")
    for passage in _strings(labels.get("absent_passages")):
        kept = _inside(passage, rendered) or _inside(passage, [comparable_text(article.title)])
        tally.chrome_kept[0] += kept
        tally.chrome_kept[1] += 1
        if kept:
            misses.append(f"chrome kept: {passage[:100]}")
    title = labels.get("title")
    if isinstance(title, str):
        right = comparable_text(article.title) == comparable_text(title)
        tally.titles[0] += right
        tally.titles[1] += 1
        if not right:
            misses.append(f"title {article.title!r}, expected {title!r}")
    return tally, misses


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def measure(corpus: Path = CORPUS) -> list[FileResult]:
    """Analyse every labelled file of the corpus and judge it against its labels."""
    labels: dict[str, dict[str, object]] = json.loads(
        (corpus / "labels.json").read_text(encoding="utf-8")
    )
    options = Options()
    cues = load_cues(options.cue_files)
    results = []
    for name, label in sorted(labels.items()):
        article = analyse(corpus / "docs" / name, options, cues)
        tally, misses = judge(article, label)
        language = str(label.get("language", "?"))
        results.append(FileResult(name, publisher_of(name), language, tally, misses))
    return results


def totals(results: Iterable[FileResult], key: str | None = None) -> dict[str, Tally]:
    """Tallies summed per `key` ("publisher" or "language"), or over all files."""
    out: dict[str, Tally] = {}
    for result in results:
        group = getattr(result, key) if key else "all"
        out.setdefault(group, Tally()).add(result.tally)
    return out


def _cell(pair: list[int]) -> str:
    return f"{pair[0]}/{pair[1]}" if pair[1] else "-"


def table(results: list[FileResult]) -> str:
    rows = [("group", "protected found", "general boxed", "chrome kept", "titles right")]
    for key in ("publisher", "language", None):
        for group, tally in sorted(totals(results, key).items()):
            rows.append(
                (
                    group,
                    _cell(tally.protected),
                    _cell(tally.general_boxed),
                    _cell(tally.chrome_kept),
                    _cell(tally.titles),
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true", help="list every passage judged wrongly")
    args = parser.parse_args(argv)
    if not (args.corpus / "labels.json").is_file():
        print(f"{args.corpus}: no labels.json here", file=sys.stderr)
        return 2
    results = measure(args.corpus)
    print(table(results))
    if args.misses:
        for result in results:
            for miss in result.misses:
                print(f"{result.name}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
