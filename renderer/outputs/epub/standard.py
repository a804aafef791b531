"""What EPUB 3.3 and its media overlays say a book is made of, as the writer writes it and the
checker reads it: the container's fixed names, the book's own file names, namespaces, media
types, the metadata an accessible talking book states, and SMIL clock values."""

from __future__ import annotations

import re

MIMETYPE = "mimetype"
MEDIA_TYPE = b"application/epub+zip"
CONTAINER = "META-INF/container.xml"
PACKAGE_MEDIA_TYPE = "application/oebps-package+xml"
FOLDER = "EPUB"  # everything of the book but the container's files
PACKAGE = f"{FOLDER}/package.opf"
NAV = "nav.xhtml"  # these names are relative to the package document
STYLESHEET = "book.css"

XHTML = "application/xhtml+xml"
SMIL = "application/smil+xml"
MP3 = "audio/mpeg"  # not audio/mp3, which EPUB does not know
CSS = "text/css"
TTF = "font/ttf"

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
SMIL_NS = "http://www.w3.org/ns/SMIL"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"

# The class a reading system puts on the element being read, and styles (media:active-class).
ACTIVE_CLASS = "-epub-media-overlay-active"
# What EPUB Accessibility 1.1 asks a book to state of itself; the checker wants each of them.
ACCESSIBILITY_METADATA = (
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
    "dcterms:conformsTo",
)
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def text_file(number: int) -> str:
    """The name, in the package, of the book's `number`th XHTML document (from 1)."""
    return f"text/d{number:02d}.xhtml"


def overlay_file(number: int) -> str:
    """The media overlay (SMIL 3) of document `number`."""
    return f"overlays/d{number:02d}.smil"


def audio_file(chapter: int) -> str:
    """The MP3 of chapter `chapter` of the spoken version (0: the title), the same bytes as the
    DAISY book's file of that chapter."""
    return f"audio/s{chapter:02d}.mp3"


def clock(ms: int) -> str:
    """A SMIL full clock value to the millisecond: 0:01:02.345."""
    seconds, milli = divmod(ms, 1000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}.{milli:03d}"


_FULL = re.compile(r"(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)")
_PARTIAL = re.compile(r"([0-5]\d):([0-5]\d(?:\.\d+)?)")
_COUNT = re.compile(r"(\d+(?:\.\d+)?)(h|min|s|ms)?")
_UNIT_MS = {"h": 3_600_000, "min": 60_000, "s": 1000, "ms": 1, None: 1000}


def clock_ms(value: str | None) -> int | None:
    """A SMIL clock value (full, partial or a time count: "0:00:01.5", "00:01.5", "1.5s",
    "1500ms") in milliseconds; None when it is none of them."""
    value = (value or "").strip()
    if match := _FULL.fullmatch(value):
        hours, minutes, seconds = match.groups()
        return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)
    if match := _PARTIAL.fullmatch(value):
        minutes, seconds = match.groups()
        return round((int(minutes) * 60 + float(seconds)) * 1000)
    if match := _COUNT.fullmatch(value):
        number, unit = match.groups()
        return round(float(number) * _UNIT_MS[unit])
    return None
