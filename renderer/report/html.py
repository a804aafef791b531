"""report.html: the batch's entries as an accessible page (WCAG AAA contrast, landmarks, a
skip link, tables with captions, no script and nothing fetched)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from urllib.parse import quote

from renderer.analysis.review import check_line, override_line
from renderer.config import AUDIO_FORMATS
from renderer.manifest import BOOK_FOLDER, BOOK_NCC, AudioOutput, BookOutput, Output, PdfOutput
from renderer.report.chart import section_chart
from renderer.report.colours import LINK, PAGE, TEXT, VISITED
from renderer.report.entries import ReportEntry, SectionEntry
from renderer.report.plainwords import LIST_NAME
from renderer.report.tables import verdict
from renderer.version import VERSION

DROPPED_PREVIEW = 100  # characters of a left-out region shown in the HTML

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
.over, .failed, .keep {{ font-weight: bold; }}
p.keep {{ border-left: 6px solid {TEXT}; padding-left: 0.5em; }}
.note {{ font-weight: normal; }}
"""

# What the report says of protected text whenever it suggests a change near it.
KEEP_AS_IS = "Keep as is unless a clinician signs off"


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


def html_report(articles: Sequence[ReportEntry], target: float, counts: Counter[str]) -> bytes:
    """The page: a summary ranking the articles by how far they are over target, then each
    article in that order (its chart, sections, what to rewrite, and what the render found)."""
    ordered = sorted(articles, key=lambda a: (a.rank is None, a.rank or 0, a.number))
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
        *_summary(ordered, target),
    ]
    for article in ordered:
        parts.extend(_article_html(article, target))
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


def _failed(article: ReportEntry) -> str:
    return ' class="failed"' if article.status == "failed" else ""


def _table(caption: str, headers: Sequence[str], rows: Sequence[str], table_id: str) -> list[str]:
    """A table that scrolls sideways on a narrow screen or at a large zoom (and can then be
    scrolled from the keyboard: it takes focus): `caption` is HTML, `headers` plain text (one
    column header each) and `rows` the body's rendered `<tr>` elements."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    return [
        f'<div class="scroll" tabindex="0" role="region" aria-labelledby="{table_id}">',
        "<table>",
        f'<caption id="{table_id}">{caption}</caption>',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</div>",
    ]


_SUMMARY = (
    "Rank",
    "Article",
    "Status",
    "Words",
    "Grade",
    "Sections over target",
    "Grades over target, added up",
    "Sections too short to grade",
    "Protected passages",
    "Notes",
)
_SECTIONS = ("Section", "Heading", "Kind", "Words", "Grade", "Verdict", "What to do")
_WORDS = ("In the text", "Plainer", "Times", "Where")
_DROPPED = ("Region", "Kept?", "Text (start)")


def _summary(articles: Sequence[ReportEntry], target: float) -> list[str]:
    rows = []
    for a in articles:
        graded = a.status != "failed"
        over = f"{len(a.over)} of {len(a.sections)}" if a.sections else ""
        rows.append(
            "<tr>"
            f'<td class="num">{"" if a.rank is None else a.rank}</td>'
            f'<th scope="row"><a href="#article-{a.number}">{_e(a.heading)}</a></th>'
            f"<td{_failed(a)}>{_e(a.status)}</td>"
            f'<td class="num">{"" if a.words is None else a.words}</td>'
            f'<td class="num">{_e(_grade_text(a.grade, a.grade_reliable)) if graded else ""}</td>'
            f'<td class="num">{over}</td>'
            f'<td class="num">{f"{a.points_over:.1f}" if graded else ""}</td>'
            f'<td class="num">{len(a.short) if graded else ""}</td>'
            f'<td class="num">{a.protected if graded else ""}</td>'
            f'<td class="num">{len(a.notes)}</td>'
            "</tr>"
        )
    return [
        '<section aria-labelledby="summary">',
        '<h2 id="summary">What to rewrite first</h2>',
        "<p>Articles are ranked by how far their sections are over the target grade, added up. "
        "Only sections long enough to grade count (100 words and 3 sentences or more); a "
        "shorter section gets a rough guide, counted as “too short to grade”. Protected "
        "passages (warnings, side effects, disclaimers) are to be kept as they are unless a "
        "clinician signs off the change.</p>",
        *_table(
            f"All {len(articles)} articles against target grade {target:g}, most in need of "
            "rewriting first",
            _SUMMARY,
            rows,
            "summary-table",
        ),
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
        f"<dt>Rank</dt><dd>{a.rank} ({_points(a)})</dd>",
        f"<dt>Words</dt><dd>{'' if a.words is None else a.words}</dd>",
        f"<dt>Reading grade of the whole article</dt><dd>{_e(_grade_text(a.grade, a.grade_reliable))}</dd>",
        f"<dt>Protected passages</dt><dd>{a.protected}</dd>",
        "</dl>",
        *_files_html(a),
        *_sections_html(a, target),
        *_hardest_html(a, target),
        *_words_html(a),
        *_review_html(a),
        *_dropped_html(a),
        "<h3>Notes from the render</h3>",
        *(_notes_html(a) if a.notes else ["<p>None.</p>"]),
        *_verification_html(a),
        "</section>",
    ]
    return parts


def _points(a: ReportEntry) -> str:
    if not a.over:
        return "no section long enough to grade is over target"
    sections = "section" if len(a.over) == 1 else "sections"
    return f"{len(a.over)} {sections} over target by {a.points_over:.1f} grades in all"


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
        output = o.output
        if o.kind == "pdf":
            pages = output.pages if isinstance(output, PdfOutput) else None
            label, more = "Large-print PDF", f"{name}, {pages} pages" if pages else name
        elif o.kind in AUDIO_FORMATS:
            label = f"Spoken version ({o.kind.upper()})"
            more = _with_duration(name, output)
        elif o.kind == "transcript.txt":
            label, more = "Transcript of the spoken version", name
        elif o.kind == BOOK_NCC:
            label = "DAISY talking book (open ncc.html in a DAISY player)"
            more = _with_duration(name, output)
        elif o.kind.startswith(f"{BOOK_FOLDER}/"):
            continue  # the book's SMIL, text and MP3 files: a player opens them from ncc.html
        elif o.kind == "epub":
            label, more = "EPUB book with the spoken version", name
        else:
            label, more = f"File {_e(o.kind)}", name
        items.append(f'<li><a href="{_href(o.path)}">{label}</a> ({more})</li>')
    return ["<h3>Files</h3>", "<ul>", *items, "</ul>"]


def _with_duration(name: str, output: Output) -> str:
    if isinstance(output, (AudioOutput, BookOutput)):
        return f"{name}, {_duration(output.seconds)}"
    return name


def verdict_text(s: SectionEntry) -> str:
    """The CSV's verdict (tables.verdict), "over target" marked for the eye."""
    said = verdict(s)
    return f'<span class="over">{said}</span>' if said == "over target" else said


def advice(s: SectionEntry) -> str:
    """What to do with a section, as HTML: rewrite it, keep it, or nothing."""
    if s.protected:
        why = f" ({s.over_by:.1f} grades over target)" if s.over else ""
        return f'<span class="keep">{KEEP_AS_IS}</span>{why}'
    if s.over:
        return f"Rewrite: {s.over_by:.1f} grades over target"
    if s.short and s.grade is not None and s.hardest:
        return "Check the sentences listed below"
    return ""


def _sections_html(a: ReportEntry, target: float) -> list[str]:
    anchor = f"article-{a.number}"
    if not a.sections:
        return ["<h3>Reading grade by section</h3>", "<p>The article has no sections.</p>"]
    rows = []
    for s in a.sections:
        rows.append(
            "<tr>"
            f'<th scope="row">{s.index}</th>'
            f"<td>{_e(s.heading or '(no heading)')}</td>"
            f"<td>{_e(s.kind)}{', protected' if s.protected else ''}</td>"
            f'<td class="num">{s.words}</td>'
            f'<td class="num">{_e(_grade_text(s.grade, s.reliable))}</td>'
            f"<td>{verdict_text(s)}</td>"
            f"<td>{advice(s)}</td>"
            "</tr>"
        )
    return [
        "<h3>Reading grade by section</h3>",
        "<figure>",
        section_chart(a.sections, target, f"{anchor}-chart"),
        f'<figcaption id="{anchor}-chart-caption">Each bar is one section\'s reading grade, '
        f"named by its heading; the thick upright line is the target grade {target:g}. Bars over the "
        "target are filled and labelled “over”; bars that meet it are white. A section too "
        "short to grade has a dashed outline and a “~” before its figure, a rough guide only. "
        "The table below gives the same figures.</figcaption>",
        "</figure>",
        *_table(
            f"Sections of “{_e(a.heading)}” against target grade {target:g}",
            _SECTIONS,
            rows,
            f"{anchor}-sections",
        ),
    ]


def _hardest_html(a: ReportEntry, target: float) -> list[str]:
    """The sentences over target in the sections that need work (over target, or too short to
    grade): each section's hardest, never a list item of a few words."""
    listed = [s for s in a.sections if s.hardest and (s.over or s.short)]
    if not listed:
        return []
    parts = [
        "<h3>Sentences to rewrite</h3>",
        f"<p>The hardest sentences over grade {target:g} in sections that are over target or "
        "too short to grade.</p>",
    ]
    for s in listed:
        grade = _e(_grade_text(s.grade, s.reliable))
        state = "over target" if s.over else "too short to grade"
        parts.append(f"<h4>{_e(s.name)} (section {s.index}): grade {grade}, {state}</h4>")
        if s.protected:
            parts.append(f'<p class="keep">Protected {_e(s.kind)} text: {KEEP_AS_IS.lower()}.</p>')
        parts.append("<ol>")
        for sentence in s.hardest:
            grade = "no grade" if sentence.grade is None else f"grade {sentence.grade:.1f}"
            parts.append(f"<li>{_e(sentence.text)} <span>({grade})</span></li>")
        parts.append("</ol>")
    return parts


def _words_html(a: ReportEntry) -> list[str]:
    anchor = f"article-{a.number}"
    over_words = list(
        dict.fromkeys(
            word for s in a.over if not s.protected for word in s.difficult if not _listed(a, word)
        )
    )
    if not a.plain_words and not over_words:
        return []
    parts = ["<h3>Plainer words</h3>"]
    if a.plain_words:
        rows = []
        for w in a.plain_words:
            names = [_e(section.name) for i in w.sections if (section := a.section(i))]
            where = ", ".join(names)
            if w.protected_only:
                where += f' — <span class="keep">{KEEP_AS_IS.lower()}</span>'
            note = f' <span class="note">({_e(w.entry.note)})</span>' if w.entry.note else ""
            rows.append(
                "<tr>"
                f'<th scope="row">{_e(", ".join(w.forms))}</th>'
                f"<td>{_e(w.entry.plainer)}{note}</td>"
                f'<td class="num">{w.count}</td>'
                f"<td>{where}</td>"
                "</tr>"
            )
        parts += _table(
            f"{len(a.plain_words)} words and phrases with a plainer choice (the renderer's "
            f"plain-language list, {LIST_NAME})",
            _WORDS,
            rows,
            f"{anchor}-words",
        )
    if over_words:
        parts += [
            "<p>Other long or uncommon words in sections over target (explain them, or use an "
            f"everyday word): {_e(', '.join(over_words))}.</p>"
        ]
    return parts


def _listed(a: ReportEntry, word: str) -> bool:
    return any(word.lower() in w.forms for w in a.plain_words)


def _notes_html(a: ReportEntry) -> list[str]:
    items = []
    for note in a.notes:
        line = _e(note.message)
        if note.count > 1 or note.places:
            line += f" — {note.count} {'time' if note.count == 1 else 'times'}"
        if note.places:
            line += f": {_e(', '.join(note.places))}"
        items.append(f"<li>{line}</li>")
    return ["<ul>", *items, "</ul>"]


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
        *_table(
            f"{len(a.dropped)} regions of the page that are not the article",
            _DROPPED,
            rows,
            f"article-{a.number}-dropped",
        ),
    ]


def _verification_html(a: ReportEntry) -> list[str]:
    parts = ["<h3>Verification</h3>"]
    if a.passed is None:
        return [*parts, "<p>No verification was recorded.</p>"]
    parts.append(
        "<p>Every check passed.</p>" if a.passed else '<p class="failed">A check failed.</p>'
    )
    return parts + (_list(a.checks) if a.checks else [])
