"""Large-print PDF handouts with reportlab: build the document in memory, then the caller writes it.

layout.py holds the page geometry, the type styles and measuring; flowables.py the handout's own
flowables; story.py turns an article into flowables; document.py lays them out on pages with
their footer and builds the PDF.
"""

from __future__ import annotations

from renderer.model import THEMES, Theme, contrast_ratio
from renderer.outputs.casing import HeadingCase, heading_case, sentence_case
from renderer.outputs.pdf.document import PdfResult, build_pdf, short_title
from renderer.outputs.pdf.layout import MIN_MARGIN, PAGE_SIZES, Layout

__all__ = [
    "MIN_MARGIN",
    "PAGE_SIZES",
    "THEMES",
    "HeadingCase",
    "Layout",
    "PdfResult",
    "Theme",
    "build_pdf",
    "contrast_ratio",
    "heading_case",
    "sentence_case",
    "short_title",
]
