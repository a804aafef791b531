"""The batch reports: report.json, report.csv and report.html, built from the articles' manifests
once a run ends. Each is deterministic (the same outcomes give the same bytes) and written whole.

A section is "over target" when its grade is above the report's `target_grade` (the rule the
analysis uses for `meets_target`), so the chart, the tables and the counts always agree with the
target line drawn in the report, even for manifests rendered with another target."""

from __future__ import annotations

import csv
import html
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from reportlab.pdfbase.pdfmetrics import stringWidth

from renderer.analysis.review import check_line, override_line
from renderer.config import AUDIO_FORMATS
from renderer.outputs.daisy import FOLDER as DAISY_FOLDER
from renderer.outputs.daisy import NCC
from renderer.outputs.files import atomic_write, json_bytes
from renderer.version import VERSION

REPORT_NAMES = ("report.json", "report.csv", "report.html")
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
DROPPED_PREVIEW = 100  # characters of a left-out region shown in the HTML

# The page is white and nothing else has a background: every other colour is drawn on white and
# reaches the WCAG AAA ratio of 7:1 against it (the tests compute it).
PAGE = "#ffffff"
TEXT = "#000000"
LINK = "#00008b"  # dark blue, 15:1
VISITED = "#4b0082"  # indigo, 12.9:1
OVER_BAR = "#7a0000"  # dark red, 11:1; over-target bars are also filled and labelled "over"

_BOOK_FOLDER = f"{DAISY_FOLDER}/"
_BOOK_NCC = _BOOK_FOLDER + NCC
_MAIN_ORDER = {
    kind: n for n, kind in enumerate(("pdf", *AUDIO_FORMATS, "transcript.txt", _BOOK_NCC))
}
_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ArticleOutcome:
    """One input of the batch: its manifest once rendered (or skipped as unchanged), or the
    one-line error that stopped it."""

    source: str  # the input path as given
    slug: str | None  # None when the article failed before a slug folder existed
    manifest: dict[str, Any] | None  # None when it failed
    error: str | None = None  # the one-line error when it failed


def write_reports(out_dir: Path, entries: Sequence[ReportEntry], target_grade: float) -> list[Path]:
    """Write report.json, report.csv and report.html of `entries` (each from summarise() with
    the same target grade) into `out_dir`, in that order; return their paths."""
    articles = [replace(entry, number=n) for n, entry in enumerate(entries, start=1)]
    counts = Counter(a.status for a in articles)
    contents = (
        _json_report(articles, target_grade, counts),
        _csv_report(articles),
        _html_report(articles, target_grade, counts),
    )
    paths = [out_dir / name for name in REPORT_NAMES]
    for path, data in zip(paths, contents, strict=True):
        atomic_write(path, data)
    return paths


# -- what the reports say of one article ----------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    text: str
    grade: float | None


@dataclass(frozen=True)
class _Section:
    index: int
    heading: str | None
    kind: str
    protected: bool
    words: int
    sentences: int
    grade: float | None  # None when the section has no readability (too little text)
    reliable: bool | None
    hardest: tuple[_Sentence, ...]
    over: bool  # graded above the report's target


@dataclass(frozen=True)
class _Dropped:
    region: str
    text: str
    kept: bool


@dataclass(frozen=True)
class _Output:
    kind: str
    path: str  # relative to the report's folder, with "/" separators
    entry: dict[str, Any]  # what the manifest says of it (bytes, pages, seconds...)


@dataclass(frozen=True)
class ReportEntry:
    """What the reports say of one article: a few kilobytes, where its manifest holds all of its
    text. A batch keeps these as its articles finish, not the manifests."""

    source: str
    slug: str | None
    status: str  # "rendered" | "skipped" | "failed"
    error: str | None
    reason: str | None = None
    title: str | None = None
    words: int | None = None
    grade: float | None = None
    grade_reliable: bool | None = None
    sections: tuple[_Section, ...] = ()
    protected: int = 0
    outputs: tuple[_Output, ...] = ()
    dropped: tuple[_Dropped, ...] = ()
    warnings: tuple[str, ...] = ()
    verification: dict[str, Any] | None = None
    # The analysis JSON's entries for a person's review (review.check_line/override_line).
    check_these: tuple[dict[str, Any], ...] = ()
    overrides: tuple[dict[str, Any], ...] = ()
    number: int = 0  # position in the batch, from 1 (write_reports sets it): the HTML ids

    @property
    def name(self) -> str:
        return self.slug or self.source

    @property
    def heading(self) -> str:
        return self.title or self.slug or self.source

    @property
    def over(self) -> list[_Section]:
        return [s for s in self.sections if s.over]


def summarise(outcome: ArticleOutcome, target_grade: float) -> ReportEntry:
    """The report's entry for one article; sections over `target_grade` are marked."""
    manifest = outcome.manifest
    if manifest is None:
        error = outcome.error or "failed before a manifest was written"
        return ReportEntry(outcome.source, outcome.slug, "failed", error)
    slug = outcome.slug or manifest.get("slug")
    analysis: dict[str, Any] = manifest.get("analysis") or {}
    document: dict[str, Any] = analysis.get("document") or {}
    doc_readability: dict[str, Any] = document.get("readability") or {}
    return ReportEntry(
        source=outcome.source,
        slug=slug,
        status=str(manifest.get("status", "rendered")),
        error=outcome.error,
        reason=manifest.get("reason"),
        title=analysis.get("title"),
        words=document.get("words"),
        grade=doc_readability.get("grade"),
        grade_reliable=doc_readability.get("reliable"),
        sections=tuple(_section(s, target_grade) for s in analysis.get("sections") or []),
        protected=len(analysis.get("protected") or []),
        outputs=_outputs(slug, manifest.get("outputs") or {}),
        dropped=tuple(
            _Dropped(str(d.get("region", "")), str(d.get("text", "")), bool(d.get("kept")))
            for d in analysis.get("dropped") or []
        ),
        warnings=tuple(str(w) for w in manifest.get("warnings") or []),
        verification=manifest.get("verification"),
        check_these=tuple(analysis.get("check_these") or []),
        overrides=tuple(analysis.get("overrides") or []),
    )


def _section(data: dict[str, Any], target: float) -> _Section:
    readability: dict[str, Any] | None = data.get("readability")
    hardest = () if readability is None else readability.get("hardest_sentences") or []
    grade = None if readability is None else readability.get("grade")
    return _Section(
        index=int(data.get("index", 0)),
        heading=data.get("heading"),
        kind=str(data.get("kind", "general")),
        protected=bool(data.get("protected")),
        words=int(data.get("words", 0)),
        sentences=int(data.get("sentences", 0)),
        grade=grade,
        reliable=None if readability is None else bool(readability.get("reliable")),
        hardest=tuple(_Sentence(str(h.get("text", "")), h.get("grade")) for h in hardest),
        over=grade is not None and grade > target,
    )


def _outputs(slug: str | None, entries: dict[str, Any]) -> tuple[_Output, ...]:
    """The article's files, the main ones first, each with its path from the report's folder."""
    kinds = sorted(entries, key=lambda kind: (_MAIN_ORDER.get(kind, len(_MAIN_ORDER)), kind))
    folder = f"{slug}/" if slug else ""
    return tuple(
        _Output(kind, folder + str(entries[kind].get("path", kind)), entries[kind])
        for kind in kinds
    )


# -- report.json ----------------------------------------------------------------------------------


def _json_report(articles: Sequence[ReportEntry], target: float, counts: Counter[str]) -> bytes:
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
                "verification": a.verification,
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


def _csv_report(articles: Sequence[ReportEntry]) -> bytes:
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


# -- report.html ----------------------------------------------------------------------------------

_CSS = f"""
body {{ font-family: Verdana, Tahoma, Arial, sans-serif; font-size: 125%; line-height: 1.5;
  color: {TEXT}; background: {PAGE}; margin: 0 auto; padding: 1em; max-width: 60em; }}
h1, h2, h3, h4 {{ line-height: 1.25; }}
h2 {{ margin-top: 2em; border-top: 3px solid {TEXT}; padding-top: 0.5em; }}
a {{ color: {LINK}; text-decoration: underline; }}
a:visited {{ color: {VISITED}; }}
:focus {{ outline: 3px solid {TEXT}; outline-offset: 3px; }}
.skip {{ position: absolute; left: -100em; }}
.skip:focus {{ position: static; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
caption {{ text-align: left; font-weight: bold; padding-bottom: 0.25em; }}
th, td {{ border: 1px solid {TEXT}; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; }}
dt {{ font-weight: bold; }}
dd {{ margin: 0 0 0.5em 1em; }}
figure {{ margin: 1em 0; }}
svg {{ display: block; width: 100%; max-width: 48em; height: auto; }}
.over, .failed {{ font-weight: bold; }}
"""


def _e(value: object) -> str:
    """Any value as HTML text or as an attribute value (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def _href(path: str) -> str:
    """A link that stays relative: every character that could start a scheme, a query or an
    attribute is percent-encoded, and "./" keeps even a leading "/" inside the folder."""
    return _e("./" + quote(path, safe="/"))


def _grade_text(grade: float | None, reliable: bool | None) -> str:
    if grade is None:
        return "no grade"
    return f"{grade:.1f}" if reliable else f"{grade:.1f} (rough guide)"


def _html_report(articles: Sequence[ReportEntry], target: float, counts: Counter[str]) -> bytes:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Readability report: {len(articles)} articles</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        "<header>",
        "<h1>Readability report</h1>",
        f"<p>Target reading grade: <strong>{target:g}</strong> (US school grade). "
        f"{len(articles)} articles: {counts['rendered']} rendered, "
        f"{counts['skipped']} unchanged and skipped, {counts['failed']} failed. "
        f"Made by renderer {_e(VERSION)}.</p>",
        "</header>",
        '<main id="main">',
        *_summary(articles, target),
    ]
    for article in articles:
        parts.extend(_article_html(article, target))
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


def _failed(article: ReportEntry) -> str:
    return ' class="failed"' if article.status == "failed" else ""


def _table(caption: str, headers: Sequence[str], rows: Sequence[str]) -> list[str]:
    """A table that scrolls sideways on a narrow screen: `caption` is HTML, `headers` plain text
    (one column header each) and `rows` the body's rendered `<tr>` elements."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    return [
        '<div class="scroll">',
        "<table>",
        f"<caption>{caption}</caption>",
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</div>",
    ]


_SUMMARY = (
    "Article",
    "Status",
    "Words",
    "Grade",
    "Sections over target",
    "Protected passages",
    "Warnings",
)
_SECTIONS = ("Section", "Heading", "Kind", "Words", "Grade", "Meets target")
_DROPPED = ("Region", "Kept?", "Text (start)")


def _summary(articles: Sequence[ReportEntry], target: float) -> list[str]:
    rows = []
    for a in articles:
        over = f"{len(a.over)} of {len(a.sections)}" if a.sections else ""
        rows.append(
            "<tr>"
            f'<th scope="row"><a href="#article-{a.number}">{_e(a.heading)}</a></th>'
            f"<td{_failed(a)}>{_e(a.status)}</td>"
            f'<td class="num">{"" if a.words is None else a.words}</td>'
            f'<td class="num">{_e(_grade_text(a.grade, a.grade_reliable)) if a.status != "failed" else ""}</td>'
            f'<td class="num">{over}</td>'
            f'<td class="num">{a.protected if a.status != "failed" else ""}</td>'
            f'<td class="num">{len(a.warnings)}</td>'
            "</tr>"
        )
    return [
        '<section aria-labelledby="summary">',
        '<h2 id="summary">Summary</h2>',
        *_table(f"All {len(articles)} articles against target grade {target:g}", _SUMMARY, rows),
        "</section>",
    ]


def _article_html(a: ReportEntry, target: float) -> list[str]:
    anchor = f"article-{a.number}"
    parts = [
        f'<section aria-labelledby="{anchor}">',
        f'<h2 id="{anchor}">{_e(a.heading)}</h2>',
        "<dl>",
        f"<dt>Source</dt><dd>{_e(a.source)}</dd>",
        f"<dt>Status</dt><dd{_failed(a)}>{_e(a.status)}"
        + (f": {_e(a.reason)}" if a.reason else "")
        + "</dd>",
    ]
    if a.status == "failed":
        parts += ["</dl>", "<h3>Error</h3>", f"<p>{_e(a.error)}</p>", "</section>"]
        return parts
    parts += [
        f"<dt>Words</dt><dd>{'' if a.words is None else a.words}</dd>",
        f"<dt>Reading grade of the whole article</dt><dd>{_e(_grade_text(a.grade, a.grade_reliable))}</dd>",
        f"<dt>Protected passages</dt><dd>{a.protected}</dd>",
        "</dl>",
        *_files_html(a),
        *_sections_html(a, target),
        *_hardest_html(a),
        *_review_html(a),
        *_dropped_html(a),
        "<h3>Warnings</h3>",
        *(_list(a.warnings) if a.warnings else ["<p>None.</p>"]),
        *_verification_html(a),
        "</section>",
    ]
    return parts


def _list(items: Sequence[str]) -> list[str]:
    return ["<ul>", *(f"<li>{_e(item)}</li>" for item in items), "</ul>"]


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _files_html(a: ReportEntry) -> list[str]:
    if not a.outputs:
        return ["<h3>Files</h3>", "<p>No files were written.</p>"]
    items = []
    for o in a.outputs:
        name = _e(o.path.rsplit("/", 1)[-1])
        if o.kind == "pdf":
            pages = o.entry.get("pages")
            label, more = "Large-print PDF", f"{name}, {pages} pages" if pages else name
        elif o.kind in AUDIO_FORMATS:
            seconds = o.entry.get("seconds")
            label = f"Spoken version ({o.kind.upper()})"
            more = f"{name}, {_duration(seconds)}" if isinstance(seconds, (int, float)) else name
        elif o.kind == "transcript.txt":
            label, more = "Transcript of the spoken version", name
        elif o.kind == _BOOK_NCC:
            seconds = o.entry.get("seconds")
            label = "DAISY talking book (open ncc.html in a DAISY player)"
            more = f"{name}, {_duration(seconds)}" if isinstance(seconds, (int, float)) else name
        elif o.kind.startswith(_BOOK_FOLDER):
            continue  # the book's SMIL, text and MP3 files: a player opens them from ncc.html
        else:
            label, more = f"File {_e(o.kind)}", name
        items.append(f'<li><a href="{_href(o.path)}">{label}</a> ({more})</li>')
    return ["<h3>Files</h3>", "<ul>", *items, "</ul>"]


def _sections_html(a: ReportEntry, target: float) -> list[str]:
    anchor = f"article-{a.number}"
    if not a.sections:
        return ["<h3>Reading grade by section</h3>", "<p>The article has no sections.</p>"]
    rows = []
    for s in a.sections:
        if s.grade is None:
            meets = "no grade"
        else:
            meets = '<span class="over">no, over target</span>' if s.over else "yes"
        rows.append(
            "<tr>"
            f'<th scope="row">{s.index}</th>'
            f"<td>{_e(s.heading or '(no heading)')}</td>"
            f"<td>{_e(s.kind)}{', protected' if s.protected else ''}</td>"
            f'<td class="num">{s.words}</td>'
            f'<td class="num">{_e(_grade_text(s.grade, s.reliable))}</td>'
            f"<td>{meets}</td>"
            "</tr>"
        )
    return [
        "<h3>Reading grade by section</h3>",
        "<figure>",
        _section_chart(a.sections, target, f"{anchor}-chart"),
        f'<figcaption id="{anchor}-chart-caption">Each bar is one section\'s reading grade; '
        f"the dashed line is the target grade {target:g}. Bars over the target are filled and "
        "labelled “over”; bars that meet it are white. A “~” before a grade marks a rough guide "
        "(the section is short); “none” marks a section with no grade. "
        "The table below gives the same figures.</figcaption>",
        "</figure>",
        *_table(f"Sections of “{_e(a.heading)}” against target grade {target:g}", _SECTIONS, rows),
    ]


def _hardest_html(a: ReportEntry) -> list[str]:
    over = a.over
    if not over:
        return []
    parts = ["<h3>Hardest sentences in sections over target</h3>"]
    for s in over:
        heading = f": {_e(s.heading)}" if s.heading else ""
        grade = _e(_grade_text(s.grade, s.reliable))
        parts.append(f"<h4>Section {s.index}{heading} — grade {grade}</h4>")
        if not s.hardest:
            parts.append("<p>No sentences listed.</p>")
            continue
        parts.append("<ol>")
        for sentence in s.hardest:
            grade = "no grade" if sentence.grade is None else f"grade {sentence.grade:.1f}"
            parts.append(f"<li>{_e(sentence.text)} <span>({grade})</span></li>")
        parts.append("</ol>")
    return parts


def _review_html(a: ReportEntry) -> list[str]:
    """What a person should check: strong safety language outside every box, and the pins."""
    parts = ["<h3>Check these: risk language not boxed</h3>"]
    if a.check_these:
        parts += [
            f"<p>{len(a.check_these)} sentences carry strong risk or disclaimer language but "
            "are not in a protected passage. Box one with a protect pin if it should be.</p>",
            *_list([check_line(c) for c in a.check_these]),
        ]
    else:
        parts.append("<p>None: every sentence with strong risk language is boxed.</p>")
    if a.overrides:
        parts += ["<h3>Pinned by the clinic</h3>", *_list([override_line(o) for o in a.overrides])]
    return parts


def _dropped_html(a: ReportEntry) -> list[str]:
    if not a.dropped:
        return []
    rows = []
    for d in a.dropped:
        text = " ".join(d.text.split())
        if len(text) > DROPPED_PREVIEW:
            text = text[:DROPPED_PREVIEW].rstrip() + "…"
        kept = "kept (safety text)" if d.kept else "left out"
        rows.append(f"<tr><td>{_e(d.region)}</td><td>{kept}</td><td>{_e(text)}</td></tr>")
    return [
        "<h3>Left out as page furniture: page regions outside the article</h3>",
        *_table(f"{len(a.dropped)} regions of the page that are not the article", _DROPPED, rows),
    ]


def _verification_html(a: ReportEntry) -> list[str]:
    parts = ["<h3>Verification</h3>"]
    if not a.verification:
        return [*parts, "<p>No verification was recorded.</p>"]
    passed = bool(a.verification.get("passed"))
    parts.append(
        "<p>Every check passed.</p>" if passed else '<p class="failed">A check failed.</p>'
    )
    checks = [str(c) for c in a.verification.get("checks") or []]
    return parts + (_list(checks) if checks else [])


# -- the chart ------------------------------------------------------------------------------------

_SLOT = 48  # width of each section's bar and gap, in SVG units
_FONT = 14
_PLOT_HEIGHT = 250
_PLOT_LEFT = 80  # room for the grade axis and its title
_PLOT_TOP = 30  # above the axis' top grade (which leaves room for labels: _value_max)
_LINE = _FONT * 1.2


def _value_max(sections: Sequence[_Section], target: float) -> float:
    """The top of the grade axis: an even number above every bar and the target, with room for a
    two-line label over the tallest bar."""
    top = max([target, *(s.grade for s in sections if s.grade is not None)])
    return float(2 * math.ceil(top / 2) + 2)


def _chart_summary(sections: Sequence[_Section], target: float) -> str:
    over = sum(s.over for s in sections)
    graded = sum(s.grade is not None for s in sections)
    ungraded = len(sections) - graded
    return (
        f"Bar chart of the reading grade of {len(sections)} sections against the target grade "
        f"{target:g}: {over} over the target, {graded - over} meet it"
        + (f", {ungraded} with no grade" if ungraded else "")
        + ". The table after the chart gives the same figures."
    )


def _section_chart(sections: Sequence[_Section], target: float, chart_id: str) -> str:
    """An inline SVG bar chart of the sections' grades with a dashed line at the target; bars
    over the target are filled and labelled "over".

    Written as text: reportlab's chart library took 25 ms a chart, drawn one after another in
    the batch's own process once the workers were done (5 s of report for 200 articles)."""
    plot_width = _SLOT * max(len(sections), 6)
    width = _PLOT_LEFT + plot_width + 110
    height = _PLOT_TOP + _PLOT_HEIGHT + 70
    bottom = _PLOT_TOP + _PLOT_HEIGHT  # y of grade 0; SVG's y grows downwards
    value_max = _value_max(sections, target)

    def y(grade: float) -> float:
        return bottom - _PLOT_HEIGHT * grade / value_max

    slot = plot_width / len(sections)
    bar_width = slot * 10 / 22  # a bar of 10 to a gap of 12, as reportlab's charts draw them
    summary = _e(_chart_summary(sections, target))
    parts = [
        f'<svg id="{_e(chart_id)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{summary}">',
        f"<title>{summary}</title>",
        # The target line goes first, so bars and their labels stay readable where they cross it.
        _svg_line(
            (_PLOT_LEFT, y(target)),
            (_PLOT_LEFT + plot_width + 10, y(target)),
            3,
            "stroke-dasharray: 10, 5;",
        ),
        _svg_text(
            _PLOT_LEFT + plot_width + 14, y(target) + _FONT / 3, f"target {target:g}", "start"
        ),
        _svg_line((_PLOT_LEFT, bottom), (_PLOT_LEFT + plot_width, bottom), 1),
        _svg_line((_PLOT_LEFT, bottom), (_PLOT_LEFT, _PLOT_TOP), 1),
    ]
    for step in range(0, int(value_max) + 1, 2):
        parts.append(_svg_line((_PLOT_LEFT - 5, y(step)), (_PLOT_LEFT, y(step)), 1))
        parts.append(_svg_text(_PLOT_LEFT - 8, y(step) + _FONT / 3, f"{step}", anchor="end"))
    for n, s in enumerate(sections):
        middle = _PLOT_LEFT + slot * (n + 0.5)
        parts.append(
            _svg_line(
                (_PLOT_LEFT + slot * (n + 1), bottom), (_PLOT_LEFT + slot * (n + 1), bottom + 5), 1
            )
        )
        names = [f"{s.index}"] if s.grade is not None else [f"{s.index}", "none"]
        for line, name in enumerate(names):
            parts.append(_svg_text(middle, bottom + 20 + line * _LINE, name))
        if s.grade is None:
            continue
        fill = OVER_BAR if s.over else PAGE
        parts.append(
            f'<rect x="{_n(middle - bar_width / 2)}" y="{_n(y(s.grade))}" '
            f'width="{_n(bar_width)}" height="{_n(bottom - y(s.grade))}" '
            f'style="fill: {fill}; stroke: {TEXT}; stroke-width: 2;"/>'
        )
        # Each label sits on a white box: the target line passes behind it.
        lines = _bar_label(s).split("\n")
        box_width = max(stringWidth(t, "Helvetica", _FONT) for t in lines) + 8
        box_top = y(s.grade) - 4 - _LINE * len(lines)
        parts.append(
            f'<rect x="{_n(middle - box_width / 2)}" y="{_n(box_top)}" width="{_n(box_width)}" '
            f'height="{_n(_LINE * len(lines))}" style="fill: {PAGE}; stroke: none;"/>'
        )
        for line, text in enumerate(lines):
            parts.append(_svg_text(middle, box_top + _LINE * (line + 1) - 4, text))
    middle_y = _PLOT_TOP + _PLOT_HEIGHT / 2
    parts += [
        _svg_text(24, middle_y, "Reading grade", rotate=True),
        _svg_text(_PLOT_LEFT + plot_width / 2, height - 14, "Section"),
        "</svg>",
    ]
    return "\n".join(parts)


def _n(value: float) -> str:
    """A coordinate, to a hundredth: the same chart gives the same bytes."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg_line(
    start: tuple[float, float], end: tuple[float, float], stroke: float, style: str = ""
) -> str:
    points = f"{_n(start[0])} {_n(start[1])}, {_n(end[0])} {_n(end[1])}"
    return (
        f'<polyline points="{points}" style="fill: none; stroke: {TEXT}; '
        f'stroke-width: {stroke:g};{" " + style if style else ""}"/>'
    )


def _svg_text(x: float, y: float, text: str, anchor: str = "middle", rotate: bool = False) -> str:
    turn = f' transform="rotate(-90 {_n(x)} {_n(y)})"' if rotate else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{turn} '
        f'style="font-family: {_SVG_FONTS}; font-size: {_FONT}px; fill: {TEXT};">{_e(text)}</text>'
    )


def _bar_label(section: _Section) -> str:
    if section.grade is None:
        return ""
    value = f"{section.grade:.1f}" if section.reliable else f"~{section.grade:.1f}"
    return f"over\n{value}" if section.over else value


_SVG_FONTS = "Helvetica, Arial, 'Liberation Sans', sans-serif"
