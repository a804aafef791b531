"""The PDF's checker, shared by render (on the staged file) and `renderer verify` (on the file
alone): the handout read back as a reader's software reads it."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from renderer.manifest import PdfOutput
from renderer.outputs.pdf.text import body_text, pdf_pages, shown_as, unprintable_chars
from renderer.outputs.proof import Expected, Findings

__all__ = ["prove_pdf", "unprintable_chars"]


def prove_pdf(path: Path, entry: PdfOutput, expected: Expected) -> Findings:
    """The PDF read back as a reader's software reads it: its pages as the manifest says, and
    in its text layer (without the footer and "continued" labels) every protected passage, and
    every sentence and heading, whole and in order (characters no font could draw compared as
    the marker the PDF shows)."""
    found = Findings()
    try:
        pages = pdf_pages(path)
    except pdfium.PdfiumError as exc:
        found.add([f"cannot be opened as a PDF: {exc}"])
        return found
    wrong = [f"{len(pages)} pages, the manifest says {entry.pages}"]
    found.add(wrong if len(pages) != entry.pages else [])
    text = body_text(pages, entry.footer, expected.wording)
    found.text_holds(expected, expected.text.printed, text, "pdf", shown_as(entry.unprintable))
    return found
