"""Writing the batch's reports: report.json, report.csv and report.html, into the output folder,
each deterministic (the same outcomes give the same bytes) and written whole."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from renderer.outputs.files import atomic_write
from renderer.report.entries import ReportEntry
from renderer.report.html import html_report
from renderer.report.tables import csv_report, json_report

REPORT_NAMES = ("report.json", "report.csv", "report.html")


def ranked(entries: Sequence[ReportEntry]) -> list[ReportEntry]:
    """The entries with their `number` (position, from 1) and `rank` set: rank 1 is the article
    whose reliably graded sections are furthest over target, added up (then the one with more
    such sections, then the higher whole-article grade, then the earlier); a failed article has
    no rank."""
    numbered = [replace(entry, number=n) for n, entry in enumerate(entries, start=1)]
    graded = sorted(
        (a for a in numbered if a.status != "failed"),
        key=lambda a: (-a.points_over, -len(a.over), -(a.grade or 0.0), a.number),
    )
    ranks = {a.number: rank for rank, a in enumerate(graded, start=1)}
    return [replace(a, rank=ranks.get(a.number)) for a in numbered]


def write_reports(out_dir: Path, entries: Sequence[ReportEntry], target_grade: float) -> list[Path]:
    """Write report.json, report.csv and report.html of `entries` (each from summarise() with
    the same target grade) into `out_dir`, in that order; return their paths."""
    articles = ranked(entries)
    counts = Counter(a.status for a in articles)
    contents = (
        json_report(articles, target_grade, counts),
        csv_report(articles, target_grade),
        html_report(articles, target_grade, counts),
    )
    paths = [out_dir / name for name in REPORT_NAMES]
    for path, data in zip(paths, contents, strict=True):
        atomic_write(path, data)
    return paths
