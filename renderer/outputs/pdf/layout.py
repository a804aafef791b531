"""Page geometry and type for large print: the column and margins, the paragraph styles, and
measuring flowables before they are placed."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from renderer.config import LargePrintOptions
from renderer.model import Theme
from renderer.outputs.fonts import FontSet

PAGE_SIZES = {"letter": LETTER, "a4": A4}
# Printers cannot print to the edge; 0.75 in keeps text clear of it and of a hole punch.
MIN_MARGIN = 0.75 * inch
# Large-print guidance: about 60-70 characters per line. Margins widen to hold the line here.
TARGET_LINE_CHARS = 66
_SAMPLE = "the quick brown fox jumps over the lazy dog and keeps on running, "


@dataclass(frozen=True)
class Layout:
    """Page geometry for one paper size and type size."""

    page_width: float
    page_height: float
    font_size: float
    leading: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def frame_width(self) -> float:
        return self.page_width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.page_height - self.top - self.bottom

    @classmethod
    def compute(cls, options: LargePrintOptions, fonts: FontSet) -> Layout:
        width, height = PAGE_SIZES[options.page_size]
        size = options.font_size
        leading = size * options.line_spacing
        face = fonts.primary.regular.name
        char_width = pdfmetrics.stringWidth(_SAMPLE, face, size) / len(_SAMPLE)
        column = min(width - 2 * MIN_MARGIN, TARGET_LINE_CHARS * char_width)
        side = (width - column) / 2
        # The footer sits in the bottom margin at body size, with a line of space above it: one
        # line, or two when the clinic's name or phone is printed on every page.
        lines = 2 if options.clinic_name or options.clinic_phone else 1
        bottom = MIN_MARGIN + (lines + 1) * leading
        return cls(width, height, size, leading, side, side, MIN_MARGIN, bottom)


class Styles:
    """The paragraph styles of a handout: body, box label, heading, title and table cells."""

    def __init__(self, layout: Layout, theme: Theme, fonts: FontSet) -> None:
        size, leading = layout.font_size, layout.leading
        text = colors.HexColor(theme.text)
        self.body = ParagraphStyle(
            "body",
            fontName=fonts.primary.regular.name,
            fontSize=size,
            leading=leading,
            textColor=text,
            alignment=TA_LEFT,
            spaceAfter=size,  # a blank line between paragraphs
            allowWidows=0,
            allowOrphans=0,
            hyphenationLang="",  # large print: no hyphenation
            splitLongWords=1,  # only a word longer than a line is broken, so nothing runs off
            bulletFontName=fonts.primary.regular.name,
            bulletFontSize=size,
        )
        bold = fonts.primary.bold.name
        self.label = ParagraphStyle("label", parent=self.body, fontName=bold, spaceAfter=size * 0.5)
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=bold,
            fontSize=size * 1.33,
            leading=size * 1.33 * 1.3,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.5,
        )
        self.title = ParagraphStyle(
            "title",
            parent=self.heading,
            fontSize=size * 1.67,
            leading=size * 1.67 * 1.25,
            spaceBefore=0,
            spaceAfter=size,
        )
        self.cell = ParagraphStyle("cell", parent=self.body, spaceAfter=0)
        self.cell_header = ParagraphStyle("cell-header", parent=self.cell, fontName=bold)


@functools.cache
def _measuring_canvas() -> Canvas:
    return Canvas(io.BytesIO())


def needed_height(flowables: list[Flowable], width: float) -> float:
    """The height the flowables need in a column of this width (spaces between them included)."""
    canvas = _measuring_canvas()
    total = 0.0
    for flowable in flowables:
        _, needed = flowable.wrapOn(canvas, width, 1e9)
        total += needed + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total
