"""report.json and report.csv: the batch's entries as data, for scripts and spreadsheets."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from renderer.outputs.files import json_bytes
from renderer.report.entries import ReportEntry
from renderer.version import VERSION

CSV_HEADER = (
    "article",
    "section",
    "heading",
    "kind",
    "protected",
    "words",
    "sentences",
    "grade",
    "meets_target",
    "reliable",
    "check_these",  # sentences of the section with strong safety language that are not boxed
    "pins",  # the clinic's pins applied to the section
)
_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def json_report(articles: Sequence[ReportEntry], target: float, counts: Counter[str]) -> bytes:
    report = {
        "renderer": VERSION,
        "target_grade": target,
        "articles": [
            {
                "source": a.source,
                "slug": a.slug,
                "status": a.status,
                "reason": a.reason,
                "error": a.error,
                "title": a.title,
                "words": a.words,
                "grade": a.grade,
                "sections": len(a.sections),
                "sections_over_target": len(a.over),
                "protected_passages": a.protected,
                "outputs": {o.kind: o.path for o in a.outputs},
                "warnings": list(a.warnings),
                "verification": (
                    None if a.passed is None else {"passed": a.passed, "checks": list(a.checks)}
                ),
                "check_these": list(a.check_these),
                "overrides": list(a.overrides),
                "dropped": [
                    {"region": d.region, "kept": d.kept, "text": d.text} for d in a.dropped
                ],
            }
            for a in articles
        ],
        "totals": {
            "articles": len(articles),
            "rendered": counts["rendered"],
            "skipped": counts["skipped"],
            "failed": counts["failed"],
            "sections": sum(len(a.sections) for a in articles),
            "sections_over_target": sum(len(a.over) for a in articles),
        },
    }
    return json_bytes(report)


# -- report.csv -----------------------------------------------------------------------------------


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would start a formula."""
    return "'" + text if text.startswith(_SPREADSHEET_FORMULA) else text


def csv_report(articles: Sequence[ReportEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for article in articles:
        for s in article.sections:
            graded = s.grade is not None
            writer.writerow(
                (
                    _cell(article.name),
                    s.index,
                    _cell(s.heading or ""),
                    s.kind,
                    _yes_no(s.protected),
                    s.words,
                    s.sentences,
                    f"{s.grade:.1f}" if s.grade is not None else "",
                    _yes_no(not s.over if graded else None),
                    _yes_no(s.reliable if graded else None),
                    sum(1 for c in article.check_these if c.get("section") == s.index),
                    sum(1 for o in article.overrides if o.get("section") == s.index),
                )
            )
    return buffer.getvalue().encode("utf-8")
