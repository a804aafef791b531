"""Writing the EPUB: its package document, navigation, style sheet, XHTML documents and media
overlays, zipped with the font and the sections' MP3s, which are copied into it a block at a
time (an hour of audio is never held in memory)."""

from __future__ import annotations

import html
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from renderer.labels import wording_for
from renderer.model import Theme
from renderer.outputs.epub.layout import BookText, Document, NavEntry
from renderer.outputs.epub.standard import (
    ACTIVE_CLASS,
    CONFORMS_TO,
    CONTAINER,
    CONTAINER_NS,
    CSS,
    DC_NS,
    EPUB_NS,
    FOLDER,
    MEDIA_TYPE,
    MIMETYPE,
    MP3,
    NAV,
    OPF_NS,
    PACKAGE,
    PACKAGE_MEDIA_TYPE,
    SMIL,
    SMIL_NS,
    STYLESHEET,
    TTF,
    XHTML,
    XHTML_NS,
    audio_file,
    clock,
    overlay_file,
    text_file,
)

_COPY_BLOCK = 1 << 20
# Shown while a sentence is read: black on yellow (19.6:1) is legible on every theme, and a
# reader who sets their own colours still sees which sentence it is by the outline.
_HIGHLIGHT = ("#000000", "#FFFF00")


@dataclass(frozen=True)
class EpubInfo:
    """What the package document says of the book besides its contents."""

    title: str  # as the book shows it
    language: str
    identifier: str  # the DAISY book's rule: stable while the words and voice are unchanged
    date: str  # yyyy-mm-dd: dc:date, dcterms:modified and every file's time in the zip
    publisher: str  # the clinic
    narrator: str  # the synthetic voice
    generator: str  # this renderer, which checked the book and claims its conformance


@dataclass(frozen=True)
class EpubStyle:
    """How the text looks until the reader changes it: the handout's size, spacing, colours
    and font (embedded)."""

    font_size: float  # points, as for print: 12 pt is a reading system's default size
    line_spacing: float
    theme: Theme
    font_name: str
    regular: Path | None  # TrueType files to embed (None: the reading system's sans-serif)
    bold: Path | None


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _font_files(style: EpubStyle) -> dict[str, Path]:
    """The font files by their name in the package (fixed names: a file's own may hold
    characters an href must escape)."""
    files = {}
    if style.regular is not None:
        files["fonts/regular.ttf"] = style.regular
        if style.bold is not None and style.bold != style.regular:
            files["fonts/bold.ttf"] = style.bold
    return files


def stylesheet(style: EpubStyle) -> str:
    """Large print that the reader's settings override: every size in em or rem from the
    handout's point size (12 pt being the reading system's 1rem), no width fixed, left aligned
    and not hyphenated, the theme's colours, and the highlight of the sentence being read."""
    theme = style.theme
    faces = []
    for name, weight in (("regular", "normal"), ("bold", "bold")):
        if f"fonts/{name}.ttf" in _font_files(style):
            faces.append(
                f'@font-face {{ font-family: "{style.font_name}"; font-weight: {weight}; '
                f'font-style: normal; src: url("fonts/{name}.ttf"); }}\n'
            )
    family = f'"{style.font_name}", sans-serif' if faces else "sans-serif"
    size = f"{style.font_size / 12:.4g}rem"
    text, background = _HIGHLIGHT
    return "".join(faces) + (
        f"html {{ color: {theme.text}; background-color: {theme.background}; }}\n"
        f"body {{ font-family: {family}; font-size: {size}; line-height: {style.line_spacing:g}; "
        "text-align: left; hyphens: none; -webkit-hyphens: none; -epub-hyphens: none; "
        "overflow-wrap: break-word; margin: 0 0.5em; }\n"
        "h1, h2, h3, h4, h5, h6 { font-weight: bold; line-height: 1.25; margin: 1em 0 0.5em 0; "
        "page-break-after: avoid; break-after: avoid; }\n"
        "h1 { font-size: 1.5em; }\nh2 { font-size: 1.3em; }\n"
        "h3, h4, h5, h6 { font-size: 1.15em; }\n"
        "p, li { margin: 0 0 0.75em 0; }\nul, ol { margin: 0 0 0.75em 0; padding-left: 1.5em; }\n"
        "blockquote { margin: 0 0 0.75em 1.5em; }\n"
        f".notice {{ border: 0.2em solid {theme.box}; padding: 0 0.75em; margin: 1em 0; }}\n"
        ".label { font-weight: bold; margin: 0.75em 0 0.5em 0; }\n"
        "table { border-collapse: collapse; margin: 0 0 1em 0; }\n"
        f"th, td {{ border: 0.06em solid {theme.text}; padding: 0.3em; text-align: left; "
        "vertical-align: top; }\n"
        f".{ACTIVE_CLASS}, .{ACTIVE_CLASS} td {{ color: {text}; background-color: {background}; "
        "outline: 0.12em solid; }\n"
    )


def _xhtml(title: str, language: str, body: str, stylesheet: str, nav: bool = False) -> str:
    lang = _e(language)
    wrapped = body if nav else f'<main epub:type="bodymatter">\n{body}</main>\n'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" xml:lang="{lang}" lang="{lang}">\n'
        f'<head>\n<meta charset="UTF-8"/>\n<title>{_e(title)}</title>\n'
        f'<link rel="stylesheet" type="text/css" href="{stylesheet}"/>\n</head>\n'
        f"<body>\n{wrapped}</body>\n</html>\n"
    )


def _toc(entries: Sequence[tuple[NavEntry, str]]) -> str:
    """Nested lists of the entries (each with its href), a level deeper for each depth."""
    out: list[str] = []
    open_depths: list[int] = []
    for entry, href in entries:
        depth = min(entry.depth, open_depths[-1] + 1) if open_depths else 0
        while open_depths and open_depths[-1] > depth:
            out.append("</li></ol>\n")
            open_depths.pop()
        if open_depths and open_depths[-1] == depth:
            out.append("</li>\n")
        else:
            out.append("<ol>\n")
            open_depths.append(depth)
        out.append(f'<li><a href="{_e(href)}">{_e(entry.label)}</a>')
    while open_depths:
        out.append("</li></ol>\n")
        open_depths.pop()
    return "".join(out)


def navigation(text: BookText, info: EpubInfo) -> str:
    """The navigation document: every section in a table of contents under the book's title
    (which needs no translation), and where the reading starts."""
    entries = [
        (entry, f"{text_file(document.number)}#{entry.target}")
        for document in text.documents
        for entry in document.nav
    ]
    first = text_file(text.documents[0].number)
    body = (
        f'<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">\n'
        f'<h1 id="toc-title">{_e(text.title)}</h1>\n{_toc(entries)}</nav>\n'
        '<nav epub:type="landmarks" hidden="hidden">\n'
        f'<ol><li><a epub:type="bodymatter" href="{first}">{_e(text.title)}</a></li></ol>\n'
        "</nav>\n"
    )
    return _xhtml(text.title, info.language, body, STYLESHEET, nav=True)


def overlay(document: Document) -> str:
    """The document's media overlay: a par per element, in reading order, each with its clip."""
    text = f"../{text_file(document.number)}"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<smil xmlns="{SMIL_NS}" xmlns:epub="{EPUB_NS}" version="3.0">',
        f'<body epub:textref="{text}">',
    ]
    for n, par in enumerate(document.pars, 1):
        lines += [
            f'<par id="p{n:04d}">',
            f'<text src="{text}#{par.target}"/>',
            f'<audio src="../{audio_file(par.chapter)}" clipBegin="{clock(par.begin)}" '
            f'clipEnd="{clock(par.end)}"/>',
            "</par>",
        ]
    lines += ["</body>", "</smil>", ""]
    return "\n".join(lines)


def summary(text: BookText, info: EpubInfo, style: EpubStyle) -> str:
    """The accessibility summary, for a person deciding whether the book suits them."""
    wording = wording_for(info.language)
    sizes = f"{style.font_size:g} point {style.font_name if style.regular else 'sans-serif'}"
    return (
        f"A talking book of {text.title}: every heading and sentence is read aloud by a "
        f"synthetic voice ({info.narrator}), and a reading app that plays media overlays "
        "highlights each sentence as it is read. The whole text is there to read, and all of it "
        "is spoken. It is set in large print by default "
        f"({sizes}, {style.theme.name} colours), and your reading app's own size, font and "
        "colour settings take over. There is a table of contents and a heading for every "
        f"section; safety information is marked as a notice labelled “{wording.risk}” or "
        f"“{wording.disclaimer}”, as in the printed handout. There are no images, and nothing "
        "flashes, moves or plays by itself."
    )


def package(text: BookText, info: EpubInfo, style: EpubStyle, fonts: Sequence[str]) -> str:
    lang = _e(info.language)
    english = "" if info.language.split("-")[0].lower() == "en" else ' xml:lang="en"'
    meta = [
        f'<dc:identifier id="uid">{_e(info.identifier)}</dc:identifier>',
        f"<dc:title>{_e(text.title)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        f"<dc:publisher>{_e(info.publisher)}</dc:publisher>",
        f"<dc:date>{_e(info.date)}</dc:date>",
        f'<meta property="dcterms:modified">{_e(info.date)}T00:00:00Z</meta>',
    ]
    accessibility = [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "auditory"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessModeSufficient", "auditory"),
        ("schema:accessModeSufficient", "textual,auditory"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "synchronizedAudioText"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityFeature", "largePrint"),
        ("schema:accessibilityHazard", "none"),
        ("dcterms:conformsTo", CONFORMS_TO),
        ("a11y:certifiedBy", info.generator),
    ]
    meta += [f'<meta property="{name}">{_e(value)}</meta>' for name, value in accessibility]
    meta.append(
        f'<meta property="schema:accessibilitySummary"{english}>'
        f"{_e(summary(text, info, style))}</meta>"
    )
    for document in text.documents:
        meta.append(
            f'<meta property="media:duration" refines="#mo{document.number:02d}">'
            f"{clock(document.ms)}</meta>"
        )
    meta += [
        f'<meta property="media:duration">{clock(text.ms)}</meta>',
        f'<meta property="media:narrator">{_e(info.narrator)}</meta>',
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
    ]
    items = [
        f'<item id="nav" href="{NAV}" media-type="{XHTML}" properties="nav"/>',
        f'<item id="css" href="{STYLESHEET}" media-type="{CSS}"/>',
        *(
            f'<item id="font{n}" href="{name}" media-type="{TTF}"/>'
            for n, name in enumerate(fonts, 1)
        ),
    ]
    for document in text.documents:
        n = document.number
        items += [
            f'<item id="d{n:02d}" href="{text_file(n)}" media-type="{XHTML}" '
            f'media-overlay="mo{n:02d}"/>',
            f'<item id="mo{n:02d}" href="{overlay_file(n)}" media-type="{SMIL}"/>',
        ]
    items += [
        f'<item id="a{n:02d}" href="{audio_file(n)}" media-type="{MP3}"/>'
        for n in range(text.chapters)
    ]
    spine = [f'<itemref idref="d{d.number:02d}"/>' for d in text.documents]
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<package xmlns="{OPF_NS}" version="3.0" unique-identifier="uid" xml:lang="{lang}">',
            f'<metadata xmlns:dc="{DC_NS}">',
            *meta,
            "</metadata>",
            "<manifest>",
            *items,
            "</manifest>",
            "<spine>",
            *spine,
            "</spine>",
            "</package>",
            "",
        ]
    )


def _container() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<container xmlns="{CONTAINER_NS}" version="1.0">\n<rootfiles>\n'
        f'<rootfile full-path="{PACKAGE}" media-type="{PACKAGE_MEDIA_TYPE}"/>\n'
        "</rootfiles>\n</container>\n"
    )


class _Zip:
    """The book's zip, every entry dated the book's date so the same book gives the same bytes."""

    def __init__(self, book: zipfile.ZipFile, date: str) -> None:
        year, month, day = (int(part) for part in date.split("-"))
        self._book, self._date = book, (max(year, 1980), month, day, 0, 0, 0)
        self.names: list[str] = []

    def _info(self, name: str, stored: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self._date)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.create_system = 3
        info.external_attr = 0o644 << 16
        self.names.append(name)
        return info

    def text(self, name: str, data: str | bytes, stored: bool = False) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._book.writestr(self._info(name, stored), raw)

    def copy(self, name: str, source: Path, stored: bool) -> None:
        info = self._info(name, stored)
        info.file_size = source.stat().st_size  # zip64 when it needs it
        with source.open("rb") as reading, self._book.open(info, "w") as writing:
            shutil.copyfileobj(reading, writing, _COPY_BLOCK)


def write_epub(
    path: Path, text: BookText, info: EpubInfo, style: EpubStyle, mp3s: Sequence[Path]
) -> int:
    """Write the book to `path`; how many files it holds. `mp3s` are the chapters' MP3s, stored
    as they are (compressing MP3 gains nothing and costs a reading system time)."""
    fonts = _font_files(style)
    in_package = f"{FOLDER}/"
    with zipfile.ZipFile(path, "w") as book:
        out = _Zip(book, info.date)
        # First and stored, without an extra field: how a reading system knows an EPUB.
        out.text(MIMETYPE, MEDIA_TYPE, stored=True)
        out.text(CONTAINER, _container())
        out.text(PACKAGE, package(text, info, style, list(fonts)))
        out.text(in_package + NAV, navigation(text, info))
        out.text(in_package + STYLESHEET, stylesheet(style))
        for name, font in fonts.items():
            out.copy(in_package + name, font, stored=False)
        for document in text.documents:
            xhtml = _xhtml(document.title, info.language, document.body, f"../{STYLESHEET}")
            out.text(in_package + text_file(document.number), xhtml)
            out.text(in_package + overlay_file(document.number), overlay(document))
        for number, mp3 in enumerate(mp3s):
            out.copy(in_package + audio_file(number), mp3, stored=True)
    return len(out.names)
