"""Word (.docx) handouts: built here with python-docx, as a clinic's Word would save them, then
read as articles and rendered with their safety text whole."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import run_cli
from renderer.analysis.sections import classify_article, load_cues
from renderer.errors import DependencyError, InputError
from renderer.loaders import docx as docx_loader
from renderer.loaders import load_article
from renderer.model import Article, BlockKind, comparable_text

RISK = "Ketamine can raise your blood pressure. Do not drive for 24 hours after a session."


def pixel() -> bytes:
    """A 1x1 transparent PNG: a picture in the handout, which is not text and costs nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(4))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def handout(title: bool = True) -> WordDocument:
    document = Document()
    if title:
        document.add_heading("Ketamine therapy", 0)  # Word's Title style
    document.add_paragraph("This leaflet explains what happens at a ketamine session.")
    document.add_heading("Side effects", 1)
    document.add_paragraph(RISK)
    document.add_paragraph("Feeling sick", style="List Bullet")
    document.add_paragraph("Feeling dizzy", style="List Bullet")
    document.add_heading("Your visits", 1)
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {
        (0, 0): "Visit",
        (0, 1): "Length",
        (1, 0): "First session",
        (1, 1): "Two hours",
    }.items():
        table.cell(row, column).text = text
    document.add_picture(io.BytesIO(pixel()))
    return document


def save(document: WordDocument, path: Path) -> Path:
    document.save(str(path))
    return path


def words(article: Article) -> list[tuple[str | None, list[str]]]:
    return [(s.heading, [b.text for b in s.blocks]) for s in article.sections]


def test_a_word_handout_is_read_with_its_title_headings_lists_and_tables(tmp_path: Path) -> None:
    article = load_article(save(handout(), tmp_path / "ketamine.docx"))
    assert article.title == "Ketamine therapy"
    assert [s.heading for s in article.sections] == [None, "Side effects", "Your visits"]
    assert article.sections[0].blocks[0].text.startswith("This leaflet explains")
    side_effects = article.sections[1].blocks
    assert side_effects[0].text == RISK
    assert side_effects[1].kind is BlockKind.LIST
    assert [item.text for item in side_effects[1].items] == ["Feeling sick", "Feeling dizzy"]
    [table] = article.sections[2].blocks
    assert table.kind is BlockKind.TABLE
    assert table.rows == (("Visit", "Length"), ("First session", "Two hours"))
    assert article.language == "en" and article.language_source.startswith(("detected", "default"))


def test_without_a_title_paragraph_every_heading_stays_a_section_heading(tmp_path: Path) -> None:
    # Taking the first heading for the title would leave "Side effects" an untitled section,
    # and its text would lose the heading that protects it.
    article = load_article(save(handout(title=False), tmp_path / "ketamine-therapy.docx"))
    assert article.title == "Ketamine therapy"  # from the file name
    assert [s.heading for s in article.sections] == [None, "Side effects", "Your visits"]
    classified = classify_article(article, load_cues())
    assert classified.sections[1].protected and classified.sections[1].kind.value == "risk"


def test_the_document_properties_give_the_title_and_language(tmp_path: Path) -> None:
    document = Document()
    document.core_properties.title = "Ketamina: lo que debe saber"
    document.core_properties.language = "es-MX"
    document.add_heading("Efectos secundarios", 1)
    document.add_paragraph("Puede sentirse mareado. No conduzca durante 24 horas.")
    article = load_article(save(document, tmp_path / "folleto.docx"))
    assert article.title == "Ketamina: lo que debe saber"
    assert (article.language, article.language_source) == ("es-MX", "declared")


def test_deleted_tracked_changes_never_reach_the_article(tmp_path: Path) -> None:
    document = Document()
    paragraph = document.add_paragraph("Take one tablet ")
    deleted = OxmlElement("w:del")
    for name, value in (("w:id", "1"), ("w:author", "Editor"), ("w:date", "2024-01-01T00:00:00Z")):
        deleted.set(qn(name), value)
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText")
    text.text = "or three "
    run.append(text)
    deleted.append(run)
    paragraph._p.append(deleted)
    paragraph.add_run("a day.")
    article = load_article(save(document, tmp_path / "dose.docx"))
    assert words(article) == [(None, ["Take one tablet a day."])]


def test_a_pictures_bytes_are_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mammoth.documents

    def refuse(self: object) -> None:
        raise AssertionError("the loader opened a picture")

    monkeypatch.setattr(mammoth.documents.Image, "open", refuse)
    article = load_article(save(handout(), tmp_path / "pictures.docx"))
    assert article.sections[2].blocks[0].rows[-1] == ("First session", "Two hours")


def zipped(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "not a Word .docx file (an old .doc"),
        (b"", "not a Word .docx file"),
        (zipped({"notes.txt": "hello"}), "not a Word .docx file (it has no word/document.xml)"),
        (zipped({"word/document.xml": "<w:document"}), "cannot read this Word file"),
        (zipped({"word/document.xml": "<x/>"}), "cannot read this Word file"),
    ],
    ids=["old-doc-renamed", "empty", "zip-of-something-else", "broken-xml", "no-body"],
)
def test_a_broken_word_file_is_one_line_naming_it(tmp_path: Path, data: bytes, cause: str) -> None:
    path = tmp_path / "leaflet.docx"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        load_article(path)
    assert str(caught.value).startswith(f"{path}: {cause}")
    assert "\n" not in str(caught.value)


def test_a_word_file_that_unpacks_to_too_much_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docx_loader, "MAX_XML_BYTES", 10_000)
    path = save(handout(), tmp_path / "huge.docx")
    with pytest.raises(InputError, match=r"huge.docx: too large to read \(0 MB"):
        load_article(path)


def test_without_mammoth_a_word_file_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mammoth", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "renderer.loaders.docx", raising=False)
    path = save(handout(), tmp_path / "leaflet.docx")
    with pytest.raises(DependencyError) as caught:
        load_article(path)
    assert caught.value.exit_code == 3
    assert str(caught.value) == (
        f"{path}: cannot read .docx files: mammoth is missing (install it with: pip install mammoth)"
    )


def test_a_word_file_with_no_text_says_so(tmp_path: Path) -> None:
    path = save(Document(), tmp_path / "blank.docx")
    with pytest.raises(InputError, match="no text"):
        load_article(path)


def test_a_word_handout_renders_with_its_protected_text_in_the_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = save(handout(), tmp_path / "ketamine.docx")
    out = tmp_path / "out"
    command = ["render", str(source), "-o", str(out), "--formats", "pdf", "--jobs", "1"]
    code, stdout, stderr = run_cli(command, capsys)
    assert code == 0, stderr
    assert f"{source} -> {out / 'ketamine'}/" in stdout
    pdf = pdfium.PdfDocument((out / "ketamine" / "ketamine.pdf").read_bytes())
    text = comparable_text(" ".join(page.get_textpage().get_text_range() for page in pdf))
    assert comparable_text(RISK) in text
    assert "Feeling sick" in text and "Two hours" in text
