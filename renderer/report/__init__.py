"""The batch reports for the whole output folder: report.json, report.csv and report.html, built
from the articles' manifests once a run ends.

entries.py turns each article's outcome into what the reports say of it; tables.py writes those
entries as JSON and CSV, html.py as a page with a chart per article (chart.py, colours.py);
writer.py writes the three files.
"""

from __future__ import annotations

from renderer.report.colours import OVER_BAR
from renderer.report.entries import ArticleOutcome, ReportEntry, summarise
from renderer.report.tables import CSV_HEADER
from renderer.report.writer import REPORT_NAMES, write_reports

__all__ = [
    "CSV_HEADER",
    "OVER_BAR",
    "REPORT_NAMES",
    "ArticleOutcome",
    "ReportEntry",
    "summarise",
    "write_reports",
]
