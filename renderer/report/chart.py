"""The chart of a report.html article: an inline SVG bar chart of its sections' reading grades
against the target grade, one bar a section, each labelled by its heading."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from renderer.report.colours import OVER_BAR, PAGE, TEXT
from renderer.report.entries import SectionEntry

_FONT = 16
_LABELS = 330  # width of the heading column, in SVG units
_PLOT = 440  # width of the bars' area
_RIGHT = 190  # room for the label after the longest bar
_TOP = 40  # above the first bar: the target line's label
_ROW = 40  # height of each section's row
_BAR = 24  # height of a bar
_BOTTOM = 64  # below the last bar: the grade axis and its title
_LINE = _FONT * 1.2
_TARGET_STROKE = (
    4  # the target line: thicker than any other line, and solid (short bars are dashed)
)
_FONT_NAME = "Helvetica"  # what reportlab measures with; the SVG asks for it or a look-alike


def _value_max(sections: Sequence[SectionEntry], target: float) -> float:
    """The end of the grade axis: an even number above every bar and the target."""
    top = max([target, *(s.grade for s in sections if s.grade is not None)])
    return float(2 * math.ceil(top / 2) + 2)


def _chart_summary(sections: Sequence[SectionEntry], target: float) -> str:
    over = sum(s.over for s in sections)
    short = sum(s.short for s in sections)
    ungraded = sum(s.grade is None for s in sections)
    meets = len(sections) - over - short - ungraded
    return (
        f"Bar chart of the reading grade of {len(sections)} sections, each named by its "
        f"heading, against the target grade {target:g}: {over} over the target, {meets} meet "
        f"it, {short} too short to grade"
        + (f", {ungraded} with no text to grade" if ungraded else "")
        + ". The table after the chart gives the same figures."
    )


def fit(text: str, width: float) -> str:
    """`text` cut with "…" to fit `width` at the chart's font size (the table has it whole)."""
    # No character is narrower than a unit at this size: a label longer than `width`
    # characters cannot fit, and a 200,000-character heading is not measured whole.
    text = text[: int(width) + 1]
    if stringWidth(text, _FONT_NAME, _FONT) <= width:
        return text
    fits, too_long = 0, len(text)  # the longest prefix that fits with "…", by halving
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if stringWidth(text[:middle] + "…", _FONT_NAME, _FONT) <= width:
            fits = middle
        else:
            too_long = middle
    return text[:fits].rstrip() + "…"


def section_chart(sections: Sequence[SectionEntry], target: float, chart_id: str) -> str:
    """An inline SVG chart of horizontal bars, one a section, named by its heading, with a
    thick line at the target. A bar over the target is filled and labelled "over"; a section
    too short to grade has a dashed outline and says so; one with no text has no bar.

    Written as text: reportlab's chart library took 25 ms a chart, drawn one after another in
    the batch's own process once the workers were done (5 s of report for 200 articles)."""
    width = _LABELS + _PLOT + _RIGHT
    bottom = _TOP + _ROW * len(sections)  # the grade axis
    height = bottom + _BOTTOM
    value_max = _value_max(sections, target)

    def x(grade: float) -> float:
        return _LABELS + _PLOT * grade / value_max

    summary = _e(_chart_summary(sections, target))
    parts = [
        f'<svg id="{_e(chart_id)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{summary}">',
        f"<title>{summary}</title>",
        # The target line goes first, so bars and their labels stay readable where they cross it.
        _svg_line((x(target), _TOP - 8), (x(target), bottom), _TARGET_STROKE),
        _svg_text(x(target), _TOP - 14, f"target {target:g}"),
        _svg_line((_LABELS, bottom), (_LABELS + _PLOT, bottom), 1),
        _svg_line((_LABELS, _TOP - 8), (_LABELS, bottom), 1),
    ]
    for step in range(0, int(value_max) + 1, 2):
        parts.append(_svg_line((x(step), bottom), (x(step), bottom + 5), 1))
        parts.append(_svg_text(x(step), bottom + 8 + _FONT, f"{step}"))
    for n, s in enumerate(sections):
        middle = _TOP + _ROW * (n + 0.5)
        parts.append(
            _svg_text(_LABELS - 10, middle + _FONT / 3, fit(s.name, _LABELS - 16), anchor="end")
        )
        if s.grade is None:
            parts.append(_svg_text(_LABELS + 8, middle + _FONT / 3, "no text to grade", "start"))
            continue
        fill = OVER_BAR if s.over else PAGE
        dashes = " stroke-dasharray: 6, 4;" if s.short else ""
        parts.append(
            f'<rect x="{_n(_LABELS)}" y="{_n(middle - _BAR / 2)}" '
            f'width="{_n(x(s.grade) - _LABELS)}" height="{_n(_BAR)}" '
            f'style="fill: {fill}; stroke: {TEXT}; stroke-width: 2;{dashes}"/>'
        )
        # Each label sits on a white box: the target line passes behind it.
        label = _bar_label(s)
        left = x(s.grade) + 6
        parts.append(
            f'<rect x="{_n(left - 2)}" y="{_n(middle - _LINE / 2)}" '
            f'width="{_n(stringWidth(label, _FONT_NAME, _FONT) + 4)}" height="{_n(_LINE)}" '
            f'style="fill: {PAGE}; stroke: none;"/>'
        )
        parts.append(_svg_text(left, middle + _FONT / 3, label, "start"))
    parts += [
        _svg_text(_LABELS + _PLOT / 2, height - 12, "Reading grade (US school grade)"),
        "</svg>",
    ]
    return "\n".join(parts)


def _e(value: object) -> str:
    """Any value as SVG text or as an attribute value (quotes escaped too)."""
    return html.escape(str(value), quote=True)


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


def _svg_text(x: float, y: float, text: str, anchor: str = "middle") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" '
        f'style="font-family: {_SVG_FONTS}; font-size: {_FONT}px; fill: {TEXT};">{_e(text)}</text>'
    )


def _bar_label(section: SectionEntry) -> str:
    if section.grade is None:
        return ""
    if section.short:
        return f"~{section.grade:.1f} too short to grade"
    return f"{section.grade:.1f} over" if section.over else f"{section.grade:.1f}"


_SVG_FONTS = "Helvetica, Arial, 'Liberation Sans', sans-serif"
