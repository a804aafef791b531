"""The proof from the files: a PDF's text read back, and every protected passage found in it
whole and in order, so a handout that lost a warning is never written."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from conftest import FIXTURES
from renderer.analysis.sections import load_cues
from renderer.config import LargePrintOptions, Options
from renderer.model import ProtectedPassage, SectionKind, comparable_text, protected_passages
from renderer.outputs.fonts import MISSING_GLYPH_MARKER
from renderer.outputs.pdf import LABELS, build_pdf
from renderer.outputs.proof import body_text, missing_passages, pdf_pages
from renderer.pipeline import analyse

CUES = load_cues()
FOOTER = "Handout · "


def passage(
    *units: str,
    labels: tuple[str, ...] = (),
    section: int = 1,
    heading: str | None = "Side effects",
    kind: SectionKind = SectionKind.RISK,
) -> ProtectedPassage:
    return ProtectedPassage(section, kind, "\n\n".join(units), heading, units, labels)


def pdf_of(*pages: list[str]) -> bytes:
    """A plain PDF, one list of lines per page, written without the renderer."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for lines in pages:
        for n, line in enumerate(lines):
            canvas.drawString(72, 720 - 20 * n, line)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# -- pdf_pages ------------------------------------------------------------------------------------


def test_pdf_pages_gives_each_page_text_in_order() -> None:
    pages = pdf_pages(pdf_of(["First page", "second line"], ["Second page"], []))
    assert [comparable_text(p) for p in pages] == ["First page second line", "Second page", ""]


def test_pdf_pages_reads_a_hyphen_at_a_line_end_as_the_hyphen() -> None:
    # pdfium gives U+FFFE for it ("sodium-" / "free" read as "sodium\ufffefree"), which once
    # failed a real leaflet's proof although its PDF held every word.
    [page] = pdf_pages(pdf_of(["essentially sodium-", "free and a -", "b"]))
    assert comparable_text(page) == "essentially sodium-free and a - b"


def test_pdf_pages_refuses_what_is_not_a_pdf() -> None:
    # An unreadable file must fail loudly: an empty text would prove nothing.
    with pytest.raises(pdfium.PdfiumError):
        pdf_pages(b"%PDF-1.4 this is not really a PDF")


def test_pdf_pages_reads_a_rendered_handout(tmp_path: Path) -> None:
    path = tmp_path / "box.md"
    warnings = [f"Warning {i}: you may feel dizzy or sick for a while." for i in range(40)]
    path.write_text("# Box\n\n## Side effects\n\n" + "\n\n".join(warnings) + "\n", encoding="utf-8")
    result = build_pdf(analyse(path, Options(), CUES), LargePrintOptions())
    pages = [comparable_text(p) for p in pdf_pages(result.data)]
    assert len(pages) == result.pages > 1
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Box · Page {number} of {result.pages}")
    found = [next(n for n, p in enumerate(pages) if f"Warning {i}:" in p) for i in range(40)]
    assert found == sorted(found)


# -- body_text -------------------------------------------------------------------------------------


def test_body_text_drops_footers_page_numbers_and_continued_labels() -> None:
    pages = [
        "Handout\r\nA warning that runs\r\nHandout · Page 1 of \r\n2",
        "Important safety information, continued\r\non to the next page.\r\n"
        "Handout · Page 2 of \r\n2",
    ]
    body = body_text(pages, FOOTER, LABELS.values())
    assert comparable_text(body) == "Handout A warning that runs on to the next page."


def test_body_text_keeps_a_label_that_is_not_at_the_top_of_a_page() -> None:
    pages = ["Some words. Disclaimer, continued on the back.\r\nHandout · Page 1 of \r\n1"]
    body = comparable_text(body_text(pages, FOOTER, LABELS.values()))
    assert body == "Some words. Disclaimer, continued on the back."


def test_body_text_without_a_footer_keeps_the_text() -> None:
    pages = ["Words at the end of the page\r\nPage 1 of \r\n1"]
    assert comparable_text(body_text(pages, "", LABELS.values())) == "Words at the end of the page"


def test_a_passage_split_by_a_page_break_is_found_whole() -> None:
    pages = [
        "Stop taking the tablets and call\r\nHandout · Page 1 of \r\n2",
        "Important safety information, continued\r\nyour doctor at once.\r\n"
        "Handout · Page 2 of \r\n2",
    ]
    text = body_text(pages, FOOTER, LABELS.values())
    assert (
        missing_passages([passage("Stop taking the tablets and call your doctor at once.")], text)
        == []
    )
    # Without the clean-up the footer and label would sit inside the sentence.
    raw = " ".join(pages)
    assert missing_passages([passage("Stop taking the tablets and call your doctor at once.")], raw)


# -- missing_passages ------------------------------------------------------------------------------

TEXT = (
    "Intro. You may feel dizzy. Sit down until it passes. Dose Morning 5 mg "
    "This page does not replace advice from your doctor."
)


def test_every_passage_present_gives_no_problems() -> None:
    passages = [
        passage("You may feel dizzy.", "Sit down until it passes."),
        passage("5 mg", labels=("Dose", "Morning"), section=2),
        passage(
            "This page does not replace advice from your doctor.",
            section=3,
            heading=None,
            kind=SectionKind.DISCLAIMER,
        ),
    ]
    assert missing_passages(passages, TEXT) == []
    assert missing_passages([], TEXT) == []


def test_a_missing_sentence_is_reported_with_its_section() -> None:
    problems = missing_passages([passage("You may feel dizzy.", "Call 911 at once.")], TEXT)
    assert problems == [
        "risk text of section 1 (Side effects) is missing or out of order: 'Call 911 at once.'"
    ]


def test_a_cut_short_sentence_is_reported() -> None:
    assert missing_passages([passage("Sit down until it passes and then rest.")], TEXT)


def test_units_out_of_order_are_reported() -> None:
    assert missing_passages([passage("Sit down until it passes.", "You may feel dizzy.")], TEXT)


def test_passages_out_of_order_are_reported() -> None:
    later = passage("This page does not replace advice from your doctor.", section=3)
    earlier = passage("You may feel dizzy.", section=1)
    assert missing_passages([earlier, later], TEXT) == []
    [problem] = missing_passages([later, earlier], TEXT)
    assert "section 1" in problem and "You may feel dizzy." in problem


def test_each_missing_passage_is_reported_once() -> None:
    problems = missing_passages(
        [passage("Gone one.", "Gone two."), passage("Gone three.", section=2)], TEXT
    )
    assert len(problems) == 2


def test_a_missing_table_header_is_reported() -> None:
    [problem] = missing_passages([passage("5 mg", labels=("Dose", "Evening"))], TEXT)
    assert "'Evening'" in problem and "section 1" in problem


def test_a_long_unit_is_quoted_short() -> None:
    [problem] = missing_passages([passage("word " * 100)], TEXT)
    assert len(problem) < 200


def test_line_breaks_unicode_forms_and_invisible_characters_do_not_matter() -> None:
    text = "Take 5\r\nmg of the of\ufb01ce sup-\r\nply in the supercalifragi\r\nlistic way."
    units = (
        "Take 5 mg of the office sup-ply",  # a line break is not a space
        "in the super\u00adcalifragi\u200blistic way.",  # soft hyphen, zero-width space
    )
    assert missing_passages([passage(*units)], text) == []
    assert (
        missing_passages([passage("Take 5 mg of the of\ufb01ce")], "Take 5 mg of the office") == []
    )


def test_what_the_pdf_cannot_draw_is_compared_as_the_marker() -> None:
    def shown(text: str) -> str:
        return text.replace("😀", MISSING_GLYPH_MARKER)

    text = f"Call us {MISSING_GLYPH_MARKER} if you feel unwell."
    warning = passage("Call us 😀 if you feel unwell.")
    assert missing_passages([warning], text, shown) == []
    assert missing_passages([warning], text) != []
    # The marker stands in for that character only: the words around it still count.
    assert missing_passages([passage("Call them 😀 if you feel unwell.")], text, shown) != []


# -- end to end: a PDF that lost a warning is caught ----------------------------------------------


def test_the_proof_catches_a_pdf_that_lost_a_warning(tmp_path: Path) -> None:
    whole = tmp_path / "whole.md"
    whole.write_text(
        "# Tablets\n\nIntro.\n\n## Side effects\n\nYou may feel dizzy.\n\n"
        "Call 911 if you cannot breathe.\n",
        encoding="utf-8",
    )
    cut = tmp_path / "cut.md"
    cut.write_text(
        "# Tablets\n\nIntro.\n\n## Side effects\n\nYou may feel dizzy.\n", encoding="utf-8"
    )
    article = analyse(whole, Options(), CUES)
    good = build_pdf(article, LargePrintOptions())
    lost = build_pdf(analyse(cut, Options(), CUES), LargePrintOptions())
    passages = protected_passages(article)
    for result, expected in ((good, 0), (lost, 1)):
        text = body_text(pdf_pages(result.data), result.footer, LABELS.values())
        problems = missing_passages(passages, text, result.printable)
        assert len(problems) == expected
    text = body_text(pdf_pages(lost.data), lost.footer, LABELS.values())
    [problem] = missing_passages(passages, text, lost.printable)
    assert "Call 911 if you cannot breathe." in problem


def test_the_proof_holds_for_the_fixtures() -> None:
    for path in sorted(FIXTURES.glob("*.*")):
        if path.suffix not in (".txt", ".md", ".html") or path.name == "README.md":
            continue
        article = analyse(path, Options(), CUES)
        result = build_pdf(article, LargePrintOptions(page_size="a4", font_size=24.0))
        text = body_text(pdf_pages(result.data), result.footer, LABELS.values())
        assert missing_passages(protected_passages(article), text, result.printable) == [], path
