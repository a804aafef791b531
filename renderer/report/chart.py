"""The chart of a report.html article: an inline SVG bar chart of its sections' reading grades
against the target grade."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from renderer.report.colours import OVER_BAR, PAGE, TEXT
from renderer.report.entries import SectionEntry

_SLOT = 48  # width of each section's bar and gap, in SVG units
_FONT = 14
_PLOT_HEIGHT = 250
_PLOT_LEFT = 80  # room for the grade axis and its title
_PLOT_TOP = 30  # above the axis' top grade (which leaves room for labels: _value_max)
_LINE = _FONT * 1.2


def _value_max(sections: Sequence[SectionEntry], target: float) -> float:
    """The top of the grade axis: an even number above every bar and the target, with room for a
    two-line label over the tallest bar."""
    top = max([target, *(s.grade for s in sections if s.grade is not None)])
    return float(2 * math.ceil(top / 2) + 2)


def _chart_summary(sections: Sequence[SectionEntry], target: float) -> str:
    over = sum(s.over for s in sections)
    graded = sum(s.grade is not None for s in sections)
    ungraded = len(sections) - graded
    return (
        f"Bar chart of the reading grade of {len(sections)} sections against the target grade "
        f"{target:g}: {over} over the target, {graded - over} meet it"
        + (f", {ungraded} with no grade" if ungraded else "")
        + ". The table after the chart gives the same figures."
    )


def section_chart(sections: Sequence[SectionEntry], target: float, chart_id: str) -> str:
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


def _svg_text(x: float, y: float, text: str, anchor: str = "middle", rotate: bool = False) -> str:
    turn = f' transform="rotate(-90 {_n(x)} {_n(y)})"' if rotate else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{turn} '
        f'style="font-family: {_SVG_FONTS}; font-size: {_FONT}px; fill: {TEXT};">{_e(text)}</text>'
    )


def _bar_label(section: SectionEntry) -> str:
    if section.grade is None:
        return ""
    value = f"{section.grade:.1f}" if section.reliable else f"~{section.grade:.1f}"
    return f"over\n{value}" if section.over else value


_SVG_FONTS = "Helvetica, Arial, 'Liberation Sans', sans-serif"
