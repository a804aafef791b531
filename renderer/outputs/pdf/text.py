"""The PDF's text layer as a reader's software gets it: each page's text in reading order, the
body without the running footer and "continued" labels, and the characters no font could draw.
The checker (check.py) compares it with what the handout must show."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from renderer.labels import ENGLISH, Wording
from renderer.model import comparable_text
from renderer.outputs.fonts import MISSING_GLYPH_MARKER

if TYPE_CHECKING:
    from renderer.outputs.proof import TextRun


def pdf_pages(pdf: bytes | Path) -> list[str]:
    """The text layer of each page, in reading order (of a PDF's bytes or its file)."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(page_text(textpage))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def page_text(textpage: pdfium.PdfTextPage) -> str:
    """One page's text layer, in reading order, from pdfium's text page of it."""
    # pdfium reads a hyphen that ends a line as U+FFFE (a noncharacter: its guess that the
    # hyphen only breaks a word) and drops the line break after it; reportlab breaks lines only
    # at spaces and draws no hyphen of its own, so it is one the text has ("sodium- free" set
    # as "sodium-" / "free").
    text: str = textpage.get_text_range()
    return text.replace("\ufffe", "-")


def body_text(pages: Sequence[str], footer: str, wording: Wording = ENGLISH) -> str:
    """The pages' text joined, without the running footer and "continued" labels that a page
    break puts in the middle of a passage (in the words of the article's language)."""
    continued = [comparable_text(label) for label in wording.continued_labels()]
    page_number = wording.page_number()
    footer_text = comparable_text(footer)
    kept = []
    for page in pages:
        text = comparable_text(page)
        text = page_number.sub("", text).rstrip()
        if footer_text and text.endswith(footer_text.rstrip()):
            text = text[: len(text) - len(footer_text.rstrip())]
        for label in continued:
            if text.startswith(label):
                text = text[len(label) :]
        kept.append(text)
    return " ".join(kept)


def unprintable_chars(runs: Sequence[TextRun], printable: Callable[[str], str]) -> list[str]:
    """The characters of the text that the PDF shows as MISSING_GLYPH_MARKER (`printable` is
    the PDF's fonts' own test), each tested once: what the manifest records as "unprintable"."""
    chars = {
        c for run in runs for text in (run.heading or "", *run.units, *run.labels) for c in text
    }
    return sorted(c for c in chars if printable(c) == MISSING_GLYPH_MARKER)


def shown_as(unprintable: Iterable[str]) -> Callable[[str], str]:
    """Text as the PDF shows it, given the characters no font could draw: render and verify
    compare with this same mapping (a translation table, so a long article costs no Python
    loop over its characters)."""
    table = str.maketrans(dict.fromkeys(unprintable, MISSING_GLYPH_MARKER))
    return lambda text: text.translate(table)
