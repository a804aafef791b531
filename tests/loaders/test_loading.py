"""Reading files: encodings, line ends, folders, and a clear error for each kind of bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from renderer.errors import InputError
from renderer.loaders import find_inputs, load_article, readable_name

TEXT = "Side effects\nIt can cause “dizziness” – rarely – and a 2–4 °C change.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252", "crlf", "cr-cp1252"],
)
def test_encodings_and_line_ends_give_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    article = load_article(write(tmp_path, "a.txt", encoded))
    assert [s.heading for s in article.sections] == ["Side effects"]
    assert article.sections[0].blocks[0].text == (
        "It can cause “dizziness” – rarely – and a 2–4 °C change."
    )


def test_latin1_text_is_read(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.txt", "Café au lait, 5 µg.\n".encode("latin-1")))
    assert article.sections[0].blocks[0].text == "Café au lait, 5 µg."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "no text"),
        ("blank.md", b"  \n\t\n  \r\n", "no text"),
        ("random.txt", bytes(range(256)) * 8, "not a text file"),
        ("nul.md", b"Some text\x00with a NUL byte\n", "not a text file"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        ("notes.pdf", b"%PDF-1.7", "unsupported file type '.pdf'"),
        ("README", b"hello", "unsupported file type 'README'"),
        ("only-front-matter.md", b"---\ntitle: x\n---\n", "no text"),
    ],
)
def test_bad_input_is_one_clear_error_naming_the_file(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        load_article(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert caught.value.exit_code == 1


def test_unsupported_type_names_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"supported: \.txt, .*\.md.*\.html.*\.docx"):
        load_article(write(tmp_path, "a.epub", b"PK"))


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("leaflet.pdf", "copy its text into a .txt file, or save the document it was made from"),
        ("leaflet.PDF", "copy its text into a .txt file"),
        ("old.doc", "save it as .docx"),
        ("handout.odt", "save it as .docx or .txt"),
        ("letter.rtf", "save it as .docx or .txt"),
    ],
)
def test_a_document_we_do_not_read_says_what_to_do(tmp_path: Path, name: str, advice: str) -> None:
    path = write(tmp_path, name, b"%PDF-1.7 or {\\rtf1 or PK")
    with pytest.raises(InputError) as caught:
        load_article(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: unsupported file type '{path.suffix.lower()}': ")
    assert advice in message and "(supported: .txt" in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no such file$"):
        load_article(tmp_path / "absent.md")


@pytest.mark.parametrize("name", ["nosuchdir", "gone.pdf", "gone.odt"])
def test_a_missing_path_says_it_is_missing_whatever_its_type(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as caught:
        load_article(tmp_path / name)
    assert str(caught.value) in (
        f"{tmp_path / name}: no such file",
        f"{tmp_path / name}: no such file or folder",
    )
    assert "unsupported" not in str(caught.value)


def test_bad_front_matter_names_the_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", b"---\ntitle: [unclosed\n---\nBody.\n")
    with pytest.raises(InputError, match="front matter is not valid YAML"):
        load_article(path)


def test_find_inputs_walks_folders_and_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", "sub/c.html", ".hidden/d.md", ".e.md", "f.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Hello.\n", encoding="utf-8")
    found = find_inputs([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.txt", "b.md", "sub/c.html"]


def test_a_folder_of_documents_we_do_not_read_names_them_and_says_what_to_do(
    tmp_path: Path,
) -> None:
    for name in ("b.pdf", "a.odt", "sub/c.pdf", "photo.png", ".hidden.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF")
    with pytest.raises(InputError) as caught:
        find_inputs([tmp_path])
    message = str(caught.value)
    assert message.startswith(
        f"{tmp_path}: no supported files in this folder, only a.odt, b.pdf, photo.png, sub/c.pdf ("
    )
    assert ".odt: save it as .docx or .txt" in message and ".pdf: copy its text" in message
    assert ".hidden" not in message and message.endswith(".html, .htm, .docx")
    assert "\n" not in message


def test_a_long_list_of_unread_files_is_cut_short(tmp_path: Path) -> None:
    for n in range(8):
        (tmp_path / f"scan-{n}.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"only scan-0.pdf, .* scan-4.pdf and 3 more \(\.pdf: "):
        find_inputs([tmp_path])


def test_an_empty_folder_says_it_is_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no files to read in this folder \(supported: \.txt"):
        find_inputs([tmp_path])


def test_a_document_beside_the_articles_is_noted_with_what_to_do(tmp_path: Path) -> None:
    for name in ("a.md", "b.pdf", "c.png"):
        (tmp_path / name).write_text("Hello.\n", encoding="utf-8")
    notes: list[str] = []
    assert find_inputs([tmp_path], notes) == [tmp_path / "a.md"]
    assert notes == [
        f"{tmp_path / 'b.pdf'}: skipped, unsupported file type '.pdf': copy its text into a "
        ".txt file, or save the document it was made from as .docx (supported: .txt, .text, "
        ".md, .markdown, .html, .htm, .docx)"
    ]  # a picture beside the articles is no document: not worth a line


def test_readable_name() -> None:
    assert readable_name(Path("dir/ketamine-therapy_guide.md")) == "Ketamine therapy guide"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(tmp_path: Path, encoding: str) -> None:
    article = load_article(write(tmp_path, "a.txt", TEXT.encode(encoding)))
    assert [s.heading for s in article.sections] == ["Side effects"]


def test_a_trailing_ctrl_z_is_ignored(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.txt", b"Short note.\r\n\x1a"))
    assert article.sections[0].blocks[0].text == "Short note."
