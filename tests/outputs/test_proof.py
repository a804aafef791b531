"""The proof from the files: a PDF's text read back, and every protected passage, and every
sentence and heading the output shows, found in it whole and in order, so a handout that lost a
warning or any other sentence is never written."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from conftest import CONTENT, FIXTURES, RecordingEngine
from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.config import LargePrintOptions, Options
from renderer.errors import VerificationError
from renderer.model import (
    Article,
    Block,
    BlockKind,
    ListItem,
    ProtectedPassage,
    Section,
    SectionKind,
    article_from_json,
    article_to_json,
    comparable_text,
    protected_passages,
)
from renderer.outputs.audio import Script, build_script
from renderer.outputs.fonts import MISSING_GLYPH_MARKER
from renderer.outputs.pdf import PdfResult, build_pdf
from renderer.outputs.pdf.text import body_text, pdf_pages, shown_as, unprintable_chars
from renderer.outputs.proof import (
    MAX_LOST,
    TextRun,
    complete_text_problems,
    expected_text,
    missing_passages,
)
from renderer.pipeline import Toolkit, render_file

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
    body = body_text(pages, FOOTER)
    assert comparable_text(body) == "Handout A warning that runs on to the next page."


def test_body_text_keeps_a_label_that_is_not_at_the_top_of_a_page() -> None:
    pages = ["Some words. Disclaimer, continued on the back.\r\nHandout · Page 1 of \r\n1"]
    body = comparable_text(body_text(pages, FOOTER))
    assert body == "Some words. Disclaimer, continued on the back."


def test_body_text_without_a_footer_keeps_the_text() -> None:
    pages = ["Words at the end of the page\r\nPage 1 of \r\n1"]
    assert comparable_text(body_text(pages, "")) == "Words at the end of the page"


def test_a_passage_split_by_a_page_break_is_found_whole() -> None:
    pages = [
        "Stop taking the tablets and call\r\nHandout · Page 1 of \r\n2",
        "Important safety information, continued\r\nyour doctor at once.\r\n"
        "Handout · Page 2 of \r\n2",
    ]
    text = body_text(pages, FOOTER)
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
        text = body_text(pdf_pages(result.data), result.footer)
        problems = missing_passages(passages, text, result.printable)
        assert len(problems) == expected
    text = body_text(pdf_pages(lost.data), lost.footer)
    [problem] = missing_passages(passages, text, lost.printable)
    assert "Call 911 if you cannot breathe." in problem


def test_the_proof_holds_for_the_fixtures() -> None:
    for path in sorted(FIXTURES.glob("*.*")):
        if path.suffix not in (".txt", ".md", ".html") or path.name == "README.md":
            continue
        article = analyse(path, Options(), CUES)
        result = build_pdf(article, LargePrintOptions(page_size="a4", font_size=24.0))
        text = body_text(pdf_pages(result.data), result.footer)
        assert missing_passages(protected_passages(article), text, result.printable) == [], path


# -- expected_text: what each output must show, whatever the classifier said ----------------------


def para(text: str, protected: bool = False) -> Block:
    kind = SectionKind.DISCLAIMER if protected else None
    return Block(BlockKind.PARAGRAPH, text, protected=protected, protection_kind=kind)


TABLE = Block(BlockKind.TABLE, header=("Dose", "When"), rows=(("5 mg", "morning"), ("", "night")))
ARTICLE = Article(
    "leaflet.md",
    "TABLETS FOR PAIN",
    "en",
    (
        Section(0, None, (para("Intro words."),)),
        Section(1, "HOW TO TAKE THEM", (TABLE, Block(BlockKind.LIST, items=(ListItem("Eat."),)))),
        Section(2, "Share this page", (para("Follow us."),), kind=SectionKind.BOILERPLATE),
        Section(
            3, "Footer", (para("Ask a doctor.", protected=True),), kind=SectionKind.BOILERPLATE
        ),
        Section(
            4, "Side effects", (para("You may feel sick."),), kind=SectionKind.RISK, protected=True
        ),
    ),
)


def test_expected_text_mirrors_what_print_and_speech_show() -> None:
    expected = expected_text(ARTICLE)
    # Printed: the title and headings in sentence case, boilerplate left out whole.
    assert [(r.section, r.heading, r.units, r.labels) for r in expected.printed] == [
        (None, None, ("Tablets for pain",), ()),
        (0, None, ("Intro words.",), ()),
        (1, "How to take them", ("5 mg", "morning", "night", "Eat."), ("Dose", "When")),
        (4, "Side effects", ("You may feel sick.",), ()),
    ]
    # Spoken: headings as written, and a boilerplate section's protected blocks still read.
    assert [(r.section, r.heading, r.units) for r in expected.spoken] == [
        (None, None, ("TABLETS FOR PAIN",)),
        (0, None, ("Intro words.",)),
        (1, "HOW TO TAKE THEM", ("5 mg", "morning", "night", "Eat.")),
        (3, "Footer", ("Ask a doctor.",)),
        (4, "Side effects", ("You may feel sick.",)),
    ]


def test_expected_text_does_not_depend_on_protection() -> None:
    # The classifier changes which sections are boxed; the text every output must show stays.
    unboxed = replace(
        ARTICLE,
        sections=tuple(
            replace(s, kind=SectionKind.GENERAL, protected=False) if s.index == 4 else s
            for s in ARTICLE.sections
        ),
    )
    assert expected_text(unboxed) == expected_text(ARTICLE)


def test_an_analysis_that_is_not_of_its_shape_is_refused_when_read_back() -> None:
    analysis = article_to_json(ARTICLE)
    analysis["sections"][0]["blocks"][0]["text"] = 5
    with pytest.raises(ValueError, match="'text'"):
        article_from_json(analysis)


def test_an_analysis_reads_back_as_the_article_it_records() -> None:
    assert article_to_json(article_from_json(article_to_json(ARTICLE))) == article_to_json(ARTICLE)
    assert expected_text(article_from_json(article_to_json(ARTICLE))) == expected_text(ARTICLE)


# -- complete_text_problems ------------------------------------------------------------------------

RUNS = [
    TextRun(None, None, None, ("Tablets",)),
    TextRun(1, "How", "How", ("Take one. Drink water.", "Eat first."), ("Dose",)),
    TextRun(2, None, None, ("Rest well.",)),
]
WHOLE = "Tablets Section 1: How. Take one.\nDrink water. Dose: Eat first. Rest well."


def test_everything_there_in_order_gives_no_problems() -> None:
    assert complete_text_problems(RUNS, WHOLE) == []
    assert complete_text_problems([], "") == []


def test_a_lost_general_sentence_is_named_with_its_section() -> None:
    problems = complete_text_problems(RUNS, WHOLE.replace("Drink water.", ""))
    assert problems == ["text of section 1 (How) is missing or out of order: 'Drink water.'"]


def test_two_units_swapped_are_reported_once() -> None:
    swapped = "Tablets How Take one. Drink water. Dose Rest well. Eat first."
    assert complete_text_problems(RUNS, swapped) == [
        "text of section 2 is missing or out of order: 'Rest well.'"
    ]


def test_a_lost_heading_title_or_table_header_is_named() -> None:
    assert complete_text_problems(RUNS, WHOLE.replace("How", "")) == [
        "heading of section 1 (How) is missing or out of order: 'How'"
    ]
    assert complete_text_problems(RUNS, WHOLE.replace("Tablets", "")) == [
        "the title is missing or out of order: 'Tablets'"
    ]
    assert complete_text_problems(RUNS, WHOLE.replace("Dose:", "")) == [
        "table header 'Dose' of section 1 (How) is missing"
    ]


def test_a_unit_is_found_across_line_breaks_and_with_what_the_pdf_cannot_draw() -> None:
    runs = [TextRun(1, None, None, ("Call us 😀 now.",))]
    text = f"Call\r\nus {MISSING_GLYPH_MARKER} now."
    assert complete_text_problems(runs, text) != []
    assert complete_text_problems(runs, text, lambda t: t.replace("😀", "[?]")) == []


def test_render_and_verify_mark_the_same_characters_as_unprintable() -> None:
    def printable(text: str) -> str:  # a font without emoji
        return "".join(MISSING_GLYPH_MARKER if c == "😀" else c for c in text)

    runs = [TextRun(1, "Hi 😀", "Hi 😀", ("Call us 😀 now.",), ("Dose",))]
    unprintable = unprintable_chars(runs, printable)
    assert unprintable == ["😀"]
    assert shown_as(unprintable)("Call us 😀 now.") == printable("Call us 😀 now.")
    assert shown_as([])("Call us 😀 now.") == "Call us 😀 now."


def test_an_output_that_lost_everything_is_told_in_a_few_lines() -> None:
    runs = [TextRun(n, None, None, (f"Sentence number {n}.",)) for n in range(100)]
    problems = complete_text_problems(runs, "another article altogether")
    assert len(problems) == MAX_LOST + 1
    assert problems[-1] == f"stopped looking after {MAX_LOST} missing passages"


# -- end to end: a render that would lose a general sentence fails and writes nothing ------------

LEAFLET = (
    "# Tablets\n\n## How they work\n\nThey block pain signals.\n\n"
    "The effect lasts about four hours.\n\n## Side effects\n\nYou may feel dizzy.\n"
)
LOST = "The effect lasts about four hours."


def without_lost(article: Article) -> Article:
    """The article less the general paragraph LOST, as a faulty writer would drop it."""
    sections = tuple(
        replace(s, blocks=tuple(b for b in s.blocks if b.text != LOST)) for s in article.sections
    )
    assert sections != article.sections
    return replace(article, sections=sections)


def test_a_pdf_that_would_lose_a_general_sentence_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tablets.md"
    path.write_text(LEAFLET, encoding="utf-8")

    def lossy(article: Article, options: LargePrintOptions) -> PdfResult:
        return build_pdf(without_lost(article), options)

    monkeypatch.setattr("renderer.outputs.pdf.build_pdf", lossy)
    options = Options(formats=("pdf",))
    with pytest.raises(VerificationError) as caught:
        render_file(path, options, tmp_path / "out", "tablets", Toolkit(CUES))
    message = str(caught.value)
    assert "tablets.md" in message and "the PDF failed its proof" in message
    assert f"(How they work) is missing or out of order: {LOST!r}" in message
    assert "\n" not in message
    assert not (tmp_path / "out").exists()


def test_a_transcript_that_would_lose_a_general_sentence_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tablets.md"
    path.write_text(LEAFLET, encoding="utf-8")

    def lossy(article: Article, *args: object, **kwargs: object) -> Script:
        return build_script(without_lost(article), *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("renderer.outputs.audio.build_script", lossy)
    engine = RecordingEngine()
    with pytest.raises(VerificationError) as caught:
        render_file(path, Options(), tmp_path / "out", "t", Toolkit.load(Options(), engine))
    message = str(caught.value)
    assert "the transcript failed its proof" in message and LOST in message
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".md"]


def test_every_sentence_of_the_fixtures_and_content_is_proved() -> None:
    paths = [*sorted(FIXTURES.glob("*.*")), *sorted(CONTENT.glob("*.*"))]
    for path in paths:
        if path.suffix not in (".txt", ".md", ".html") or path.name == "README.md":
            continue
        article = analyse(path, Options(), CUES)
        expected = expected_text(article)
        result = build_pdf(article, LargePrintOptions(page_size="a4", font_size=24.0))
        text = body_text(pdf_pages(result.data), result.footer)
        assert complete_text_problems(expected.printed, text, result.printable) == [], path
        transcript = build_script(article, lambda t: [t]).transcript()
        assert complete_text_problems(expected.spoken, transcript) == [], path
