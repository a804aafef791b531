"""report.json and report.csv: the batch's entries as data, for scripts and spreadsheets.

report.csv opens as it is in a spreadsheet: UTF-8 with a byte-order mark (without one, Excel
reads UTF-8 as the PC's own code page and garbles every curly quote and accent), one header
row, a row per section, CRLF line ends, no cell that starts a formula."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from renderer.outputs.files import json_bytes
from renderer.report.entries import ReportEntry, SectionEntry
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
    "title",
    "rank",  # the article's: 1 is the one most in need of rewriting
    "verdict",  # over target | meets target | too short to grade | no text to grade
    "over_by",  # grades over the target, for a section over target
    "rewrite",  # rewrite | keep as is unless a clinician signs off | (empty: no need)
    "plainer_words",  # "utilize -> use; prior to -> before" for the words found in the section
)
KEEP_AS_IS = "keep as is unless a clinician signs off"
BOM = "\ufeff"
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
                "rank": a.rank,
                "sections": len(a.sections),
                "sections_over_target": len(a.over),
                "sections_too_short_to_grade": len(a.short),
                "grade_points_over_target": a.points_over,
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
                "plain_words": [
                    {
                        "words": w.entry.words,
                        "plainer": w.entry.plainer,
                        "note": w.entry.note,
                        "found": list(w.forms),
                        "count": w.count,
                        "sections": list(w.sections),
                        "protected_only": w.protected_only,
                    }
                    for w in a.plain_words
                ],
                "notes": [
                    {"message": n.message, "count": n.count, "places": list(n.places)}
                    for n in a.notes
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
            "sections_too_short_to_grade": sum(len(a.short) for a in articles),
        },
    }
    return json_bytes(report)


# -- report.csv -----------------------------------------------------------------------------------


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would start a formula."""
    return "'" + text if text.startswith(_SPREADSHEET_FORMULA) else text


def verdict(section: SectionEntry) -> str:
    if section.grade is None:
        return "no text to grade"
    if section.short:
        return "too short to grade"
    return "over target" if section.over else "meets target"


def rewrite(section: SectionEntry) -> str:
    if section.protected:
        return KEEP_AS_IS
    return "rewrite" if section.over else ""


def _one_line(text: str) -> str:
    """A cell on one line: a line break inside a quoted cell is valid CSV, but some programs
    split the row there."""
    return " ".join(text.split())


def csv_report(articles: Sequence[ReportEntry], target: float) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for article in articles:
        for s in article.sections:
            graded = s.grade is not None
            words = [w for w in article.plain_words if s.index in w.sections]
            writer.writerow(
                (
                    _cell(_one_line(article.name)),
                    s.index,
                    _cell(_one_line(s.heading or "")),
                    s.kind,
                    _yes_no(s.protected),
                    s.words,
                    s.sentences,
                    f"{s.grade:.1f}" if s.grade is not None else "",
                    _yes_no(s.grade <= target if s.grade is not None else None),
                    _yes_no(s.reliable if graded else None),
                    sum(1 for c in article.check_these if c.get("section") == s.index),
                    sum(1 for o in article.overrides if o.get("section") == s.index),
                    _cell(_one_line(article.title or "")),
                    "" if article.rank is None else article.rank,
                    verdict(s),
                    f"{s.over_by:.1f}" if s.over else "",
                    rewrite(s),
                    _cell("; ".join(f"{w.forms[0]} -> {w.entry.plainer}" for w in words)),
                )
            )
    return buffer.getvalue().encode("utf-8")
