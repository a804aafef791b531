"""The large-print PDF handout as a reader, a screen reader and a printer meet it.

Every PDF is read back with pdfium: its text layer, the size and box of every character, its
bookmarks and its metadata. Each input is built once per option set and shared between tests.
"""

from __future__ import annotations

import ctypes
import importlib.resources
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.pdfbase.ttfonts import TTFont

from conftest import CONTENT, FIXTURES, REPO, SEEDS, run_cli
from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.cli import main
from renderer.config import LargePrintOptions, Options
from renderer.errors import UsageError, VerificationError
from renderer.model import (
    THEMES,
    Article,
    SectionKind,
    Theme,
    comparable_text,
    contrast_ratio,
    protected_passages,
)
from renderer.outputs import fonts
from renderer.outputs.pdf import MIN_MARGIN, PdfResult, build_pdf
from renderer.outputs.pdf.text import body_text, pdf_pages
from renderer.outputs.proof import missing_passages
from renderer.pipeline import Toolkit, render_file

CUES = load_cues()
KIT = Toolkit(CUES)
PDF_ONLY = Options(formats=("pdf",))
# Paper and type sizes a clinic is likely to pick: the default, A4, and very large print.
LAYOUTS = [("letter", 18.0), ("a4", 18.0), ("letter", 28.0)]
LAYOUT_IDS = [f"{paper}-{size:g}pt" for paper, size in LAYOUTS]
INPUTS = sorted(
    p for p in CONTENT.iterdir() if p.is_file() and not p.name.startswith(".")
) + sorted(p for p in FIXTURES.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".html"))
INPUT_IDS = [f"{p.parent.name}/{p.name}" for p in INPUTS]
HEADING_SCALE = 1.33  # pdf.py: headings are 1.33 times body size, the title 1.67 times
TOLERANCE = 0.01
# A printer cannot print to the very edge: nothing may come closer to it than half an inch.
EDGE = 36.0
LONG_WORD = "Supercalifragilistic" * 20  # 400 characters, no break opportunity


# -- helpers ---------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    """Text as the proof compares it: NFKC, invisible characters gone, no white space at all."""
    return "".join(comparable_text(text).split())


def collapsed(text: str) -> str:
    return comparable_text(text)


def pip_font(family: str) -> Path:
    """The regular TTF of a family that comes with `pip install`, wherever pip put it."""
    known = next(f for f in fonts.KNOWN_FAMILIES if f.name == family and not f.system)
    paths = known.paths()
    assert paths is not None, f"{family} is a dependency: run `make setup`"
    return paths[0]


def embedded_fonts(data: bytes) -> set[str]:
    """The /BaseFont names of the PDF's fonts, subset prefix and all (reportlab writes the font
    dictionaries uncompressed)."""
    return {m.decode() for m in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", data)}


@dataclass(frozen=True)
class Char:
    page: int
    char: str
    size: float
    box: tuple[float, float, float, float]  # left, bottom, right, top
    page_size: tuple[float, float]
    colour: tuple[int, int, int]


def chars(data: bytes) -> list[Char]:
    """Every drawn, non-white-space character of every page, read with pdfium's raw API."""
    document = pdfium.PdfDocument(data)
    out: list[Char] = []
    try:
        for number in range(len(document)):
            page = document[number]
            width, height = page.get_size()
            textpage = page.get_textpage()
            raw = textpage.raw
            for i in range(pdfium_c.FPDFText_CountChars(raw)):
                if pdfium_c.FPDFText_IsGenerated(raw, i):
                    continue
                char = chr(pdfium_c.FPDFText_GetUnicode(raw, i))
                if char.isspace() or char == "\x00":
                    continue
                r, g, b, a = (ctypes.c_uint() for _ in range(4))
                pdfium_c.FPDFText_GetFillColor(raw, i, r, g, b, a)
                out.append(
                    Char(
                        number,
                        char,
                        pdfium_c.FPDFText_GetFontSize(raw, i),
                        textpage.get_charbox(i),
                        (width, height),
                        (r.value, g.value, b.value),
                    )
                )
            textpage.close()
            page.close()
    finally:
        document.close()
    return out


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 0-based
    level: int
    count: int


def bookmarks(data: bytes) -> list[Bookmark]:
    document = pdfium.PdfDocument(data)
    try:
        out = []
        for mark in document.get_toc():
            dest = mark.get_dest()
            out.append(
                Bookmark(
                    mark.get_title(),
                    dest.get_index() if dest is not None else -1,
                    mark.level,
                    mark.get_count(),
                )
            )
        return out
    finally:
        document.close()


def metadata(data: bytes) -> tuple[dict[str, str], int]:
    document = pdfium.PdfDocument(data)
    try:
        return dict(document.get_metadata_dict()), document.get_pagemode()
    finally:
        document.close()


@dataclass(frozen=True)
class Rendered:
    article: Article
    result: PdfResult
    pages: list[str]

    @property
    def body(self) -> str:
        return body_text(self.pages, self.result.footer)

    @property
    def problems(self) -> list[str]:
        return missing_passages(protected_passages(self.article), self.body, self.result.printable)

    @property
    def text(self) -> str:
        """All pages' text, white space collapsed (a line break may fall inside a phrase)."""
        return collapsed(" ".join(self.pages))


def render(article: Article, **options: Any) -> Rendered:
    result = build_pdf(article, LargePrintOptions(**options))
    return Rendered(article, result, pdf_pages(result.data))


@cache
def analysed(path: Path) -> Article:
    return analyse(path, Options(), CUES)


@cache
def rendered(path: Path, page_size: str = "letter", font_size: float = 18.0) -> Rendered:
    """Each input is analysed and built once per layout for the whole module."""
    return render(analysed(path), page_size=page_size, font_size=font_size)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def article_from(tmp_path: Path, name: str, text: str) -> Article:
    return analyse(write(tmp_path, name, text), Options(), CUES)


def sentence_case(heading: str) -> str:
    """What a reader sees for a heading: an ALL-CAPS one in sentence case, others as written."""
    letters = [c for c in heading if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return heading[:1].upper() + heading[1:].lower()
    return heading


def seed_paths(labels: dict[str, Any]) -> list[Path]:
    return [SEEDS / name for name in sorted(labels)]


def assert_inside_page(drawn: list[Char]) -> None:
    """No character is drawn off the page, or closer to its edge than a printer can print."""
    outside = [
        c
        for c in drawn
        if c.box[0] < EDGE
        or c.box[1] < EDGE
        or c.box[2] > c.page_size[0] - EDGE
        or c.box[3] > c.page_size[1] - EDGE
    ]
    assert outside == [], f"{len(outside)} characters outside the printable page: {outside[:3]}"


def assert_no_small_type(drawn: list[Char], size: float) -> None:
    small = [c for c in drawn if c.size < size - TOLERANCE]
    assert small == [], f"{len(small)} characters below {size:g} pt: {small[:5]}"


# -- 1. fidelity: every protected passage, whole and in order --------------------------------


@pytest.mark.parametrize(("page_size", "font_size"), LAYOUTS, ids=LAYOUT_IDS)
@pytest.mark.parametrize("path", INPUTS, ids=INPUT_IDS)
def test_protected_text_survives_in_content_and_fixtures(
    path: Path, page_size: str, font_size: float
) -> None:
    r = rendered(path, page_size, font_size)
    assert protected_passages(r.article), "every sample article has protected text"
    assert r.problems == []
    assert r.result.pages == len(r.pages)


@pytest.mark.parametrize(("page_size", "font_size"), LAYOUTS, ids=LAYOUT_IDS)
def test_protected_text_survives_in_the_seeds(
    seed_labels: dict[str, Any], page_size: str, font_size: float
) -> None:
    for path in seed_paths(seed_labels):
        r = rendered(path, page_size, font_size)
        assert r.problems == [], path.name
        text = squeeze(r.body)
        for sentence in seed_labels[path.name]["protected_passages"]:
            assert squeeze(sentence) in text, (path.name, sentence)
        titles = {b.title for b in bookmarks(r.result.data)}
        for heading in seed_labels[path.name].get("absent_headings", []):
            assert heading not in titles, (path.name, heading)


# -- 2. type size: nothing on any page is smaller than the body size --------------------------


@pytest.mark.parametrize("font_size", [18.0, 24.0])
@pytest.mark.parametrize("path", INPUTS, ids=INPUT_IDS)
def test_no_character_is_below_body_size(path: Path, font_size: float) -> None:
    r = rendered(path, "letter", font_size)
    drawn = chars(r.result.data)
    assert_no_small_type(drawn, font_size)
    assert_inside_page(drawn)
    # The footer and page number are there on every page, at body size too.
    footer_zone = [c for c in drawn if c.box[3] < MIN_MARGIN + font_size]
    assert {c.page for c in footer_zone} == set(range(r.result.pages))
    assert all(abs(c.size - font_size) <= TOLERANCE for c in footer_zone)
    assert {c.char for c in footer_zone} >= set(str(r.result.pages))


@pytest.mark.parametrize("font_size", [18.0, 24.0])
def test_no_character_is_below_body_size_in_the_seeds(
    seed_labels: dict[str, Any], font_size: float
) -> None:
    for path in seed_paths(seed_labels):
        drawn = chars(rendered(path, "letter", font_size).result.data)
        assert_no_small_type(drawn, font_size)
        assert_inside_page(drawn)


KITCHEN_SINK = f"""# Everything at once

A paragraph with a fallback character β and a symbol ≥ 5 µg.

- A bullet item
  - A nested item
1. A numbered item

> A quoted line from a patient.

| Dose | When |
|---|---|
| 5 mg | Morning |

## Side effects

{" ".join(f"Sentence {i} says you may feel dizzy or sick for a while." for i in range(120))}

## Costs

It is free. This page does not replace advice from your doctor.
"""


@pytest.mark.parametrize("font_size", [18.0, 24.0])
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_element_is_at_least_body_size(tmp_path: Path, font_size: float, theme: str) -> None:
    article = article_from(tmp_path, "sink.md", KITCHEN_SINK)
    r = render(
        article,
        font_size=font_size,
        theme=theme,
        clinic_name="Harbour Clinic",
        clinic_phone="555 0100",
        audio_url="https://example.org/leaflet.mp3",
    )
    assert r.problems == []
    # As the proof reads it: the bold label may wrap, at 24 pt and in a narrower font.
    label = "Important safety information, continued"
    assert any(comparable_text(p).startswith(label) for p in r.pages)
    drawn = chars(r.result.data)
    assert_no_small_type(drawn, font_size)
    assert_inside_page(drawn)
    # Contrast as printed: every character is in the theme's text colour.
    text = THEMES[theme].text
    expected = tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))
    assert {c.colour for c in drawn} == {expected}


# -- 3. bookmarks -----------------------------------------------------------------------------


def expected_bookmarks(article: Article) -> list[str]:
    return [sentence_case(article.title)] + [
        sentence_case(s.heading)
        for s in article.sections
        if s.heading and s.kind is not SectionKind.BOILERPLATE
    ]


def check_bookmarks(r: Rendered) -> None:
    marks = bookmarks(r.result.data)
    assert [m.title for m in marks] == expected_bookmarks(r.article)
    assert [(m.title, m.page + 1) for m in marks] == r.result.outline
    pages = [squeeze(p) for p in r.pages]
    for mark in marks:
        assert squeeze(r.result.printable(mark.title)) in pages[mark.page], mark
    assert [m.page for m in marks] == sorted(m.page for m in marks)


@pytest.mark.parametrize("path", INPUTS, ids=INPUT_IDS)
def test_bookmarks_lead_to_their_headings(path: Path) -> None:
    check_bookmarks(rendered(path))


def test_bookmarks_lead_to_their_headings_in_the_seeds(seed_labels: dict[str, Any]) -> None:
    for path in seed_paths(seed_labels):
        check_bookmarks(rendered(path))


def test_bookmarks_nest_and_read_in_sentence_case(tmp_path: Path) -> None:
    article = article_from(
        tmp_path,
        "caps.md",
        "# PATIENT GUIDE\n\nIntro.\n\n## WHAT IS IT?\n\nA tablet.\n\n### HOW TO TAKE IT\n\n"
        "With water.\n\n## Side effects\n\nYou may feel sick.\n\n## Share this page\n\n",
    )
    r = render(article)
    marks = bookmarks(r.result.data)
    # The title is the outline's root, the sections under it.
    assert [(m.title, m.level) for m in marks] == [
        ("Patient guide", 0),
        ("What is it?", 1),
        ("How to take it", 2),
        ("Side effects", 1),
    ]
    assert marks[0].count > 0 and marks[1].count > 0, "the outline opens with all showing"
    assert "WHAT IS IT" not in r.text and "What is it?" in r.text


# -- 4. metadata --------------------------------------------------------------------------------


def test_metadata_title_language_and_viewer_preferences() -> None:
    path = CONTENT / "ketamine-therapy.md"
    r = rendered(path)
    meta, page_mode = metadata(r.result.data)
    assert meta["Title"] == r.article.title
    assert meta["Creator"].startswith("renderer")
    assert meta["Subject"] and meta["Keywords"]
    assert page_mode == pdfium_c.PAGEMODE_USEOUTLINES
    data = r.result.data
    assert f"/Lang ({r.article.language})".encode() in data
    assert b"/DisplayDocTitle true" in data
    assert b"/PageMode /UseOutlines" in data


def test_metadata_keeps_a_regional_language() -> None:
    r = rendered(FIXTURES / "footer-disclaimer.html")
    assert r.article.language == "en-GB"
    assert b"/Lang (en-GB)" in r.result.data


# -- 5. contrast ----------------------------------------------------------------------------------


def test_contrast_ratio_of_black_on_white() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_theme_meets_wcag_aaa(name: str) -> None:
    theme = THEMES[name]
    assert contrast_ratio(theme.text, theme.background) >= 7
    assert contrast_ratio(theme.box, theme.background) >= 7


@pytest.mark.parametrize(
    ("text", "box", "problem"),
    [
        ("#777777", "#000000", "text #777777 on #FFFFFF has a contrast of 4.5:1, below 7:1"),
        ("#000000", "#FFFF00", "box #FFFF00 on #FFFFFF has a contrast of 1.1:1, below 7:1"),
        ("#000", "#000000", "text '#000' is not #RRGGBB"),
    ],
)
def test_a_theme_below_wcag_aaa_cannot_be_made(text: str, box: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"theme 'pale': {problem}")):
        Theme("pale", text=text, background="#FFFFFF", box=box)


# -- 6. injection -----------------------------------------------------------------------------------

HOSTILE = [
    "<font size=80>big</font>",
    "&copy;",
    "<b>bold</b>",
    "AT&T",
    "x < y",
    '<img src="/etc/passwd"/>',
    '<a href="javascript:alert(1)">x</a>',
]


def test_markup_in_the_text_is_printed_literally(tmp_path: Path) -> None:
    text = "Injection test\n\nThis paragraph has " + " and ".join(HOSTILE) + " in it.\n"
    article = article_from(tmp_path, "hostile.txt", text)
    r = render(article)
    for snippet in HOSTILE:
        assert snippet in r.text, snippet
    drawn = chars(r.result.data)
    heading_size = 18.0 * HEADING_SCALE
    big = "".join(c.char for c in drawn if c.size > heading_size + TOLERANCE)
    assert big == squeeze(article.title), "only the title is bigger than a heading"
    assert_no_small_type(drawn, 18.0)
    data = r.result.data.lower()
    for forbidden in (b"javascript", b"/uri", b"/annot", b"/js", b"/launch", b"/subtype /image"):
        assert forbidden not in data, forbidden


def test_markup_in_a_title_and_heading_is_printed_literally(tmp_path: Path) -> None:
    article = article_from(
        tmp_path,
        "hostile.txt",
        "AT&T <b>guide</b>\n\nIntro words here.\n\nUse x < y & <i>more</i>\n\nText here.\n",
    )
    title, heading = "AT&T <b>guide</b>", "Use x < y & <i>more</i>"
    assert (article.title, article.sections[-1].heading) == (title, heading)
    r = render(article)
    meta, _ = metadata(r.result.data)
    assert meta["Title"] == title
    assert [m.title for m in bookmarks(r.result.data)] == [title, heading]
    # The handout's date comes between the title and the text.
    assert r.text.startswith(f"{title} ")
    assert f"Intro words here. {heading} Text here. {title} ·" in r.text


# -- 7. long words and wide tables ------------------------------------------------------------------

LONG_WORDS = f"""# Long words

A paragraph with {LONG_WORD} in it.

- A list item with {LONG_WORD} in it.

| Name | Value |
|---|---|
| Cell {LONG_WORD} | short |

## Side effects

A warning with {LONG_WORD} in it.
"""


@pytest.mark.parametrize(
    ("page_size", "font_size"), [("letter", 18.0), ("a4", 24.0)], ids=["letter-18pt", "a4-24pt"]
)
def test_a_400_character_word_stays_on_the_page(
    tmp_path: Path, page_size: str, font_size: float
) -> None:
    article = article_from(tmp_path, "long.md", LONG_WORDS)
    r = render(article, page_size=page_size, font_size=font_size)
    # Read without the footers: at 32 pt the word runs from one page onto the next.
    assert (
        squeeze(r.body).count(squeeze(LONG_WORD)) == 4
    )  # paragraph, list item, table cell, warning
    assert r.problems == []
    drawn = chars(r.result.data)
    assert_inside_page(drawn)
    assert_no_small_type(drawn, font_size)


WIDE_HEADER = " | ".join(f"Header{i}" for i in range(1, 10))
WIDE_ROW = " | ".join(f"value{i}" for i in range(1, 10))
WIDE_TABLE = f"| {WIDE_HEADER} |\n|{'---|' * 9}\n| {WIDE_ROW} |\n"


def test_a_wide_table_is_read_as_header_value_lines(tmp_path: Path) -> None:
    article = article_from(
        tmp_path,
        "wide.md",
        f"# Wide\n\n## Doses\n\n{WIDE_TABLE}\n## Side effects\n\n{WIDE_TABLE}",
    )
    assert [s.protected for s in article.sections] == [False, True]
    r = render(article)
    lines = [collapsed(line) for page in r.pages for line in page.splitlines()]
    for i in range(1, 10):
        assert lines.count(f"Header{i}: value{i}") == 2
    assert r.problems == []
    assert_inside_page(chars(r.result.data))


def test_a_narrow_table_stays_a_table(tmp_path: Path) -> None:
    article = article_from(
        tmp_path, "narrow.md", "# Doses\n\n| Dose | When |\n|---|---|\n| 5 mg | Morning |\n"
    )
    r = render(article)
    assert "Dose When 5 mg Morning" in r.text
    assert "Dose:" not in r.text


# -- 8. characters no font can draw -------------------------------------------------------------

GLYPHS = """# Glyphs

Take ≥ 5 µg at 20 ° ± 2.

A smile 😀 and medicine 薬 and 药 here.

## Side effects

Call us 😀 if you feel unwell.
"""


def test_symbols_are_drawn_and_undrawable_characters_are_marked(tmp_path: Path) -> None:
    article = article_from(tmp_path, "glyphs.md", GLYPHS)
    r = render(article)
    for symbol in ("≥", "µ", "°", "±"):
        assert symbol in " ".join(r.pages)
    assert "A smile [?] and medicine [?] and [?] here." in r.text
    warning = " ".join(r.result.warnings)
    for code in ("U+1F600", "U+85AC", "U+836F"):
        assert code in warning
    for symbol in ("≥", "µ", "°", "±"):
        assert f"U+{ord(symbol):04X}" not in warning
    # The protected paragraph with an emoji is proven whole, as the PDF can show it...
    assert r.problems == []
    # ...and only because the proof knows what the PDF shows.
    assert missing_passages(protected_passages(article), r.body) != []


def test_with_only_the_bundled_font_missing_symbols_are_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    vera = tuple(f for f in fonts.KNOWN_FAMILIES if f.name == "Bitstream Vera Sans")
    assert len(vera) == 1
    monkeypatch.setattr(fonts, "KNOWN_FAMILIES", vera)
    # The installed families are looked up once per process: look again, and again afterwards.
    fonts._families.cache_clear()
    request.addfinalizer(fonts._families.cache_clear)
    article = article_from(tmp_path, "vera.md", "# Vera\n\nDone ✓ when the dose is ≥ 5 µg.\n")
    r = render(article)
    assert r.result.font == "Bitstream Vera Sans"
    assert collapsed("Done [?] when the dose is ≥ 5 µg.") in r.text
    assert any("U+2713" in w for w in r.result.warnings)
    assert_no_small_type(chars(r.result.data), 18.0)


# -- 9. determinism ---------------------------------------------------------------------------------


def test_the_same_article_gives_the_same_bytes(tmp_path: Path) -> None:
    path = CONTENT / "ketamine-therapy.md"
    first = build_pdf(analysed(path), LargePrintOptions()).data
    other = build_pdf(analysed(FIXTURES / "cp1252-leaflet.txt"), LargePrintOptions()).data
    assert other != first
    assert build_pdf(analysed(path), LargePrintOptions()).data == first
    assert b"D:20000101000000" in first  # no clock time in the file


def test_rendering_into_two_folders_gives_identical_files(tmp_path: Path) -> None:
    path = CONTENT / "ketamine-clinic-page.html"
    a = render_file(path, PDF_ONLY, tmp_path / "a", "page", KIT)
    b = render_file(path, PDF_ONLY, tmp_path / "b", "page", KIT)
    assert a.pdf and b.pdf and a.pdf != b.pdf
    assert a.pdf.read_bytes() == b.pdf.read_bytes()


def test_another_process_gives_the_same_bytes(tmp_path: Path) -> None:
    path = FIXTURES / "stray-disclaimer.md"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "renderer", "render", str(path), "-o", str(tmp_path), "--quiet"],
        check=True,
        cwd=REPO,
        env=env,
        capture_output=True,
    )
    written = tmp_path / "stray-disclaimer" / "stray-disclaimer.pdf"
    assert written.read_bytes() == rendered(path).result.data


@pytest.mark.parametrize(
    ("audio_url", "expected"),
    [(None, "[]"), ("https://example.org/a.mp3", "['reportlab.graphics.barcode.qr']")],
    ids=["no-audio-link", "audio-link"],
)
def test_reportlab_graphics_are_imported_only_to_draw_a_qr_code(
    audio_url: str | None, expected: str
) -> None:
    # They are needed for --audio-url alone: `score` and a plain handout start without them.
    code = (
        "import sys\n"
        "from renderer.config import LargePrintOptions\n"
        "from renderer.model import Article, Block, BlockKind, Section\n"
        "from renderer.outputs.pdf import build_pdf\n"
        "section = Section(0, 'Dose', (Block(BlockKind.PARAGRAPH, 'Take one.'),))\n"
        "article = Article('a.md', 'Title', 'en', (section,))\n"
        f"build_pdf(article, LargePrintOptions(audio_url={audio_url!r}))\n"
        "print([m for m in sorted(sys.modules) if m == 'reportlab.graphics.barcode.qr'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=REPO, capture_output=True, text=True
    )
    assert result.stdout.strip() == expected


# -- 10. protected boxes ----------------------------------------------------------------------------


def test_a_long_protected_section_says_it_continues(tmp_path: Path) -> None:
    sentences = [
        f"Warning {i}: you may feel dizzy or sick for a while after the dose." for i in range(60)
    ]
    article = article_from(
        tmp_path,
        "long-box.md",
        "# Long box\n\nIntro.\n\n## Side effects\n\n"
        + "\n\n".join(sentences)
        + "\n\n## After\n\nThe end.\n",
    )
    r = render(article)
    pages = [collapsed(p) for p in r.pages]
    first = next(i for i, p in enumerate(pages) if "Warning 0:" in p)
    last = next(i for i, p in enumerate(pages) if "Warning 59:" in p)
    assert last > first
    for page in pages[first + 1 : last + 1]:
        assert page.startswith("Important safety information, continued")
    assert not any("continued" in p for p in pages[: first + 1])
    assert not any("continued" in p for p in pages[last + 1 :])
    assert r.problems == []


@pytest.mark.parametrize("filler", range(12))
def test_a_short_protected_section_is_kept_on_one_page(tmp_path: Path, filler: int) -> None:
    before = "\n\n".join(["Plain words about parking and buses near the clinic. " * 3] * filler)
    article = article_from(
        tmp_path,
        "short-box.md",
        f"# Short box\n\n{before}\n\n## Side effects\n\nYou may feel dizzy. You may feel sick."
        "\n\nCall us if it lasts. This is the last sentence.\n\n## After\n\nThe end.\n",
    )
    r = render(article)
    pages = [collapsed(p) for p in r.pages]
    [label] = [i for i, p in enumerate(pages) if "Important safety information" in p]
    [heading] = [i for i, p in enumerate(pages) if "Side effects" in p]
    [last] = [i for i, p in enumerate(pages) if "This is the last sentence." in p]
    assert label == heading == last
    assert "continued" not in " ".join(pages)


def test_a_disclaimer_headed_disclaimer_is_labelled_once(tmp_path: Path) -> None:
    article = article_from(
        tmp_path,
        "disclaimer.md",
        "# Handout\n\nIntro.\n\n## Disclaimer\n\nThis page is general information, "
        "not medical advice.\n",
    )
    assert article.sections[-1].kind is SectionKind.DISCLAIMER
    r = render(article)
    assert r.text.count("Disclaimer") == 1
    assert r.problems == []


def test_a_protected_paragraph_in_an_ordinary_section_is_labelled() -> None:
    r = rendered(FIXTURES / "stray-disclaimer.md")
    assert "Disclaimer This page does not replace advice from your doctor." in r.text


# -- 11. options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("font_size", 12.0),
        ("font_size", 40.0),
        ("theme", "neon"),
        ("page_size", "legal"),
        ("audio_url", "javascript:x"),
        ("audio_url", "file:///etc/passwd"),
    ],
)
def test_bad_print_options_are_usage_errors(option: str, value: Any) -> None:
    with pytest.raises(UsageError) as caught:
        LargePrintOptions(**{option: value})
    assert caught.value.exit_code == 2
    assert f"--{option.replace('_', '-')}" in str(caught.value)


def test_a_missing_font_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "ClinicSans.ttf"
    with pytest.raises(UsageError) as caught:
        build_pdf(analysed(FIXTURES / "cp1252-leaflet.txt"), LargePrintOptions(font=missing))
    assert caught.value.exit_code == 2 and str(missing) in str(caught.value)


@pytest.mark.parametrize("head", [b"", b"\x00\x01\x00\x00", b"OTTO", b"ttcf"])
def test_a_font_file_that_is_not_truetype_is_a_usage_error(tmp_path: Path, head: bytes) -> None:
    bad = tmp_path / f"not-a-font-{head.hex() or 'random'}.ttf"
    bad.write_bytes(head + random.Random(7).randbytes(4000))
    with pytest.raises(UsageError) as caught:
        build_pdf(analysed(FIXTURES / "cp1252-leaflet.txt"), LargePrintOptions(font=bad))
    assert caught.value.exit_code == 2 and str(bad) in str(caught.value)


def test_a_clinic_font_is_used(tmp_path: Path) -> None:
    # A font that comes with pip, so that the test runs on every machine.
    noto = pip_font("Noto Sans")
    r = render(analysed(FIXTURES / "cp1252-leaflet.txt"), font=noto)
    assert r.result.font == noto.stem
    assert r.problems == []
    assert any("NotoSans" in name for name in embedded_fonts(r.result.data))
    assert not any("Atkinson" in name for name in embedded_fonts(r.result.data))


def test_the_audio_address_is_printed_with_its_label() -> None:
    url = "https://example.org/a.mp3"
    r = render(
        analysed(FIXTURES / "cp1252-leaflet.txt"),
        audio_url=url,
        clinic_name="Harbour Clinic",
        clinic_phone="555 0100",
    )
    assert "Listen to this handout" in r.text
    assert url in squeeze(r.text)
    assert "Harbour Clinic · Phone 555 0100" in r.text
    # Printed, and a link to the same address with the address as its description.
    links = re.findall(rb"/URI \(([^)]*)\)", r.result.data)
    assert links == [url.encode()]
    assert f"/Contents ({url})".encode() in r.result.data
    assert r.problems == []


# -- 12. writing the file ---------------------------------------------------------------------------


def test_render_file_writes_the_pdf_under_its_slug(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = render_file(FIXTURES / "stray-disclaimer.md", PDF_ONLY, out, "stray", KIT)
    assert result.files == {"pdf": out / "stray" / "stray.pdf"}
    data = (out / "stray" / "stray.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    assert result.pages == len(pdf_pages(data))
    assert sorted(p.name for p in out.rglob("*")) == ["manifest.json", "stray", "stray.pdf"]


def test_a_failed_proof_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The proof finds a protected passage missing from the PDF it read back.
    monkeypatch.setattr("renderer.outputs.proof.missing_passages", lambda *args, **kwargs: ["x"])
    out = tmp_path / "out"
    with pytest.raises(VerificationError) as caught:
        render_file(FIXTURES / "stray-disclaimer.md", PDF_ONLY, out, "stray", KIT)
    assert "x" in str(caught.value) and "stray-disclaimer.md" in str(caught.value)
    assert not (out / "stray" / "stray.pdf").exists()
    assert [p for p in out.rglob("*") if p.is_file()] == []


# -- 13. the command line ---------------------------------------------------------------------------


run = run_cli


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "good.md",
        "# Good\n\n## Side effects\n\nYou may feel dizzy. Sit down until it passes.\n",
    )


def test_cli_render_prints_where_each_pdf_went(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "printed"
    code, stdout, stderr = run(["render", str(good), "-o", str(out), "--formats", "pdf"], capsys)
    assert code == 0 and stderr == ""
    target = out / "good" / "good.pdf"
    assert f"{good} -> {out / 'good'}/ (PDF 1 pages)" in stdout
    assert target.is_file()


def test_cli_render_carries_on_past_a_bad_file(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write(tmp_path, "empty.md", "")
    other = write(tmp_path, "other.md", "# Other\n\nJust words.\n")
    out = tmp_path / "printed"
    code, stdout, stderr = run(
        ["render", str(good), str(empty), str(other), "-o", str(out), "--formats", "pdf"], capsys
    )
    assert code == 1
    assert stderr.count("\n") == 1 and str(empty) in stderr
    assert (out / "good" / "good.pdf").is_file() and (out / "other" / "other.pdf").is_file()
    assert not (out / "empty").exists()
    assert "Rendered 2, skipped 0 unchanged, failed 1 of 3 articles" in stdout


@pytest.mark.parametrize("formats", ["video", "pdf,braille", ","])
def test_cli_render_refuses_an_unknown_format(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], formats: str
) -> None:
    code, _, stderr = run(["render", str(good), "--formats", formats, "-o", str(tmp_path)], capsys)
    assert code == 2
    assert "--formats" in stderr and stderr.count("\n") == 1
    assert [p.name for p in tmp_path.rglob("*")] == ["good.md"]


def test_cli_render_names_a_missing_font(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    font = tmp_path / "Clinic.ttf"
    code, _, stderr = run(["render", str(good), "--font", str(font), "-o", str(tmp_path)], capsys)
    assert code == 2 and str(font) in stderr
    assert not list(tmp_path.rglob("*.pdf"))


def test_cli_render_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["render", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "renderer render handouts/ -o printed/" in out


# -- regressions: bugs found by these tests and fixed --------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["Side effects " + "W" * 400, " ".join(["Wonderful"] * 60)],
    ids=["protected-long-word", "600-characters"],
)
def test_a_heading_taller_than_the_space_left_renders(tmp_path: Path, heading: str) -> None:
    article = article_from(
        tmp_path, "heading.md", f"# Headings\n\nIntro.\n\n## {heading}\n\nYou may feel sick.\n"
    )
    r = render(article)
    assert squeeze(heading) in squeeze(r.body)


def test_a_truncated_font_file_is_a_usage_error(tmp_path: Path) -> None:
    source = pip_font("Atkinson Hyperlegible").read_bytes()
    bad = tmp_path / "truncated.ttf"
    bad.write_bytes(source[:1000])
    with pytest.raises(UsageError):
        build_pdf(analysed(FIXTURES / "cp1252-leaflet.txt"), LargePrintOptions(font=bad))


def test_the_footer_shows_every_character_of_the_title(tmp_path: Path) -> None:
    article = article_from(tmp_path, "beta.md", "# Vitamin β guide\n\nSome words.\n")
    r = render(article)
    assert r.result.font == "Atkinson Hyperlegible"  # which has no β: a fallback draws it
    last_line = r.pages[0].splitlines()[-2]
    assert "Vitamin β guide" in last_line


def test_soft_hyphens_in_long_words_do_not_stop_a_render(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "shy.md",
        "# Shy\n\n## Side effects\n\nDo not take it with pseudo\u00adephedrine\u00adhydro"
        "\u00adchloride or dextro\u00admethorphan\u00adhydro\u00adbromide tablets.\n",
    )
    options = Options(formats=("pdf",), print=LargePrintOptions(font_size=24.0))
    render_file(path, options, tmp_path / "out", "shy", KIT)


@pytest.mark.parametrize(("page_size", "font_size"), [("letter", 28.0), ("a4", 32.0)])
def test_the_continued_label_stays_on_the_page(
    tmp_path: Path, page_size: str, font_size: float
) -> None:
    sentences = [f"Warning {i}: you may feel dizzy or sick." for i in range(40)]
    article = article_from(
        tmp_path, "box.md", "# Box\n\n## Side effects\n\n" + "\n\n".join(sentences) + "\n"
    )
    r = render(article, page_size=page_size, font_size=font_size)
    label = "Important safety information, continued"  # wrapped onto two lines at large sizes
    assert any(comparable_text(p).startswith(label) for p in r.pages)
    assert_inside_page(chars(r.result.data))


def test_a_deeply_nested_list_stays_on_the_page(tmp_path: Path) -> None:
    items = "\n".join("  " * depth + f"- level {depth} item" for depth in range(10))
    article = article_from(tmp_path, "deep.md", f"# Deep\n\n{items}\n")
    assert_inside_page(chars(render(article, font_size=32.0).result.data))


def test_a_long_protected_section_starts_where_the_text_ends(tmp_path: Path) -> None:
    sentences = [
        f"Warning {i}: you may feel dizzy or sick for a while after the dose." for i in range(60)
    ]
    article = article_from(
        tmp_path,
        "long-box.md",
        "# Long box\n\nIntro.\n\n## Side effects\n\n" + "\n\n".join(sentences),
    )
    r = render(article)
    assert "Side effects" in r.pages[0]


# -- 10. fonts that come with pip -----------------------------------------------------------------


def drawn_with(data: bytes) -> dict[str, set[str]]:
    """For every drawn character, the names of the fonts pdfium says it was drawn with."""
    document = pdfium.PdfDocument(data)
    out: dict[str, set[str]] = {}
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            raw = textpage.raw
            for i in range(pdfium_c.FPDFText_CountChars(raw)):
                name = ctypes.create_string_buffer(256)
                flags = ctypes.c_int()
                if pdfium_c.FPDFText_GetFontInfo(raw, i, name, len(name), ctypes.byref(flags)):
                    char = chr(pdfium_c.FPDFText_GetUnicode(raw, i))
                    out.setdefault(char, set()).add(name.value.decode())
            textpage.close()
            page.close()
    finally:
        document.close()
    return out


@pytest.fixture
def pip_fonts_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a fresh machine: no font that the system has, only those pip installed."""
    monkeypatch.setenv(fonts.SYSTEM_FONTS_VARIABLE, "0")


@pytest.mark.usefixtures("pip_fonts_only")
def test_the_default_font_is_atkinson_hyperlegible_from_its_package() -> None:
    r = render(analysed(FIXTURES / "cp1252-leaflet.txt"))
    assert r.result.font == "Atkinson Hyperlegible"
    names = embedded_fonts(r.result.data)
    # Subset-embedded (a six-letter tag, "+", the font's own name), regular for the body and
    # bold for the safety label.
    for style in ("Regular", "Bold"):
        assert any(re.fullmatch(rf"[A-Z]{{6}}\+AtkinsonHyperlegible-{style}", n) for n in names)
    atkinson = {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"}
    letters = {c: used for c, used in drawn_with(r.result.data).items() if c.isalnum()}
    assert len(letters) > 20 and all(used <= atkinson for used in letters.values())
    # Found through the package, wherever pip put it, not at a path written into the code.
    package = importlib.resources.files("fontpkg_atkinson_hyperlegible")
    assert pip_font("Atkinson Hyperlegible").is_relative_to(Path(str(package)))


@pytest.mark.usefixtures("pip_fonts_only")
def test_a_character_atkinson_lacks_is_drawn_with_a_font_from_pip(tmp_path: Path) -> None:
    article = article_from(
        tmp_path,
        "arrow.md",
        "# Arrows\n\n## Side effects\n\nDizzy → sit down. β-blockers and CO₂ ≥ 5 µg.\n",
    )
    r = render(article)
    assert r.result.font == "Atkinson Hyperlegible"
    atkinson = fonts.resolve_fonts().primary.regular
    assert not atkinson.draws("→") and not atkinson.draws("β") and not atkinson.draws("₂")
    assert collapsed("Dizzy → sit down. β-blockers and CO₂ ≥ 5 µg.") in r.text
    assert fonts.MISSING_GLYPH_MARKER not in r.text
    assert r.problems == []
    used = drawn_with(r.result.data)
    for char in "→β₂":
        assert used[char] == {"IBMPlexSans-Regular"}, char
    assert used["≥"] == used["µ"] == {"AtkinsonHyperlegible-Regular"}
    assert any("IBMPlexSans" in w and "'→'" in w for w in r.result.warnings)


def test_with_system_fonts_off_no_system_font_is_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # A "system" family (an absolute path, no package) that would come first if it were used.
    system_copy = tmp_path / "SystemSans.ttf"
    system_copy.write_bytes(pip_font("Noto Sans").read_bytes())
    system = fonts.KnownFamily("System Sans", str(system_copy), None)
    assert system.system
    monkeypatch.setattr(fonts, "KNOWN_FAMILIES", (system, *fonts.KNOWN_FAMILIES))
    fonts._families.cache_clear()
    request.addfinalizer(fonts._families.cache_clear)

    monkeypatch.setenv(fonts.SYSTEM_FONTS_VARIABLE, "1")
    assert fonts.resolve_fonts().primary.name == "System Sans"

    monkeypatch.setenv(fonts.SYSTEM_FONTS_VARIABLE, "0")
    chosen = fonts.resolve_fonts()
    assert chosen.primary.name == "Atkinson Hyperlegible"
    used = [chosen.primary, *chosen.fallbacks]
    assert [f.name for f in used] == [f.name for f in fonts.KNOWN_FAMILIES if not f.system]
    for face in (face for family in used for face in (family.regular, family.bold)):
        assert face.path != system_copy
        assert not face.path.is_relative_to("/usr/share/fonts")


def test_a_font_is_registered_once_when_two_renders_first_need_it_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The desk builds PDFs in several threads, and a fallback font is loaded when a character
    # first needs it: two threads must not each register it, one replacing the other's font
    # object (on which reportlab keeps a document's subsets) mid-document.
    import threading

    race = tmp_path / "RaceSans.ttf"
    race.write_bytes(pip_font("Noto Sans").read_bytes())
    made: list[str] = []
    real = fonts.TTFont
    meet = threading.Barrier(2)

    def slow(name: str, path: str) -> TTFont:
        made.append(name)
        font = real(name, path)
        threading.Event().wait(0.2)  # a large font's parse: long enough for the other thread
        return font

    monkeypatch.setattr(fonts, "TTFont", slow)
    faces: list[str] = []

    def first_use() -> None:
        meet.wait()
        faces.append(fonts.load_family("Race", race, None).regular.name)

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and faces == [made[0], made[0]]


def test_an_unclear_system_fonts_setting_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.SYSTEM_FONTS_VARIABLE, "no")
    with pytest.raises(UsageError) as caught:
        fonts.resolve_fonts()
    assert caught.value.exit_code == 2
    assert fonts.SYSTEM_FONTS_VARIABLE in str(caught.value)


@pytest.mark.usefixtures("pip_fonts_only")
def test_cli_font_overrides_the_default(
    good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    noto = pip_font("Noto Sans")
    out = tmp_path / "out"
    args = ["render", str(good), "--formats", "pdf", "--font", str(noto), "-o", str(out)]
    code, _, stderr = run(args, capsys)
    assert code == 0, stderr
    (pdf,) = out.rglob("*.pdf")
    names = embedded_fonts(pdf.read_bytes())
    assert any(name.endswith("+NotoSans-Regular") for name in names)
    assert not any("Atkinson" in name for name in names)


@pytest.mark.usefixtures("pip_fonts_only")
def test_indic_letters_a_fallback_has_are_marked_not_drawn_unshaped(tmp_path: Path) -> None:
    # Noto Sans has Devanagari glyphs, but reportlab would print "कि" with its vowel sign after
    # the consonant instead of before it.
    assert 0x0915 in TTFont("noto-probe", str(pip_font("Noto Sans"))).face.charToGlyph
    article = article_from(tmp_path, "hindi.md", "# Hindi\n\nSay नमस्ते किताब to staff.\n")
    r = render(article)
    assert collapsed("Say [?][?][?][?][?][?] [?][?][?][?][?] to staff.") in r.text
    assert any("Indic" in w and "U+0915" in w for w in r.result.warnings)
