"""Word (.docx) loader: mammoth turns the document into clean HTML, which the HTML loader reads.

mammoth (BSD-2-Clause, pure Python, no network) maps Word's styles to HTML: headings, lists,
tables, links, footnotes. Its output has no page furniture to remove: a document's running
headers and footers, comments and deleted tracked changes are not part of it. What is mapped
differently from mammoth's defaults, and why:
- "Title" is the article's title (<h1>), and Word's "Heading 1" to "Heading 6" are section
  headings one level below it (<h2>..<h6>): a handout without a Title style must not have its
  first section heading ("Side effects") taken as the title and its section left untitled.
- Images are left out without being read (the HTML loader ignores images too), so a large
  picture costs nothing and a linked one is never opened.
The document's own title (File > Properties) is used when it has no Title paragraph, and its\nlanguage when it declares one.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree
from xml.parsers.expat import ExpatError

import mammoth

from renderer.errors import InputError
from renderer.loaders import html
from renderer.model import Article

# A handout's document.xml is a few hundred kilobytes; this is a book of thousands of pages.
# Anything larger is refused before it is unpacked, so a crafted file cannot fill the memory.
MAX_XML_BYTES = 64 * 1024 * 1024

_STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => p:fresh",
        *(
            f"p[style-name='{name} {level}'] => h{min(level + 1, 6)}:fresh"
            for name in ("Heading", "heading")
            for level in range(1, 7)
        ),
    ]
)
_CORE = "docProps/core.xml"
_DC = "{http://purl.org/dc/elements/1.1/}"


def parse_bytes(data: bytes, source: str, fallback_title: str) -> Article:
    """Read a .docx file's bytes as an Article (sections from its headings)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(
            "not a Word .docx file (an old .doc renamed, or protected with a password?): "
            "open it in Word or LibreOffice and save it as .docx",
            source,
        ) from None
    with archive:
        names = {info.filename: info for info in archive.infolist()}
        body = names.get("word/document.xml")
        if body is None:
            raise InputError("not a Word .docx file (it has no word/document.xml)", source)
        unpacked = sum(
            info.file_size for info in archive.infolist() if info.filename.endswith(".xml")
        )
        if unpacked > MAX_XML_BYTES:
            raise InputError(
                f"too large to read ({unpacked // 2**20} MB of text and markup unpacked)", source
            )
        title, language = _properties(archive) if _CORE in names else ("", "")
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=mammoth.images.img_element(lambda image: {}),
        )
    except (KeyError, ValueError, zipfile.BadZipFile, ExpatError, ElementTree.ParseError) as exc:
        raise InputError(f"cannot read this Word file: {exc}", source) from None
    return html.parse(_page(result.value, language), source, title or fallback_title)


def _properties(archive: zipfile.ZipFile) -> tuple[str, str]:
    """The title and language the document's properties declare, if they do."""
    try:
        root = ElementTree.fromstring(archive.read(_CORE))
    except (ElementTree.ParseError, KeyError, zipfile.BadZipFile):
        return "", ""  # the properties are optional: a broken part loses nothing of the text
    title = (root.findtext(f"{_DC}title") or "").strip()
    language = (root.findtext(f"{_DC}language") or "").strip()
    return title, language


def _page(body: str, language: str) -> str:
    """mammoth's HTML fragment as a page in the document's declared language (the HTML loader
    checks the code and ignores one it cannot use)."""
    from xml.sax.saxutils import quoteattr

    lang = f" lang={quoteattr(language)}" if language else ""
    return f"<!DOCTYPE html><html{lang}><body>{body}</body></html>"
