"""What DAISY 2.02 says a book is made of, as the writer writes it and the checker reads it:
its file names, the metadata its NCC and SMIL files must hold, and its clock values."""

from __future__ import annotations

FOLDER = "daisy"
NCC = "ncc.html"
TEXT = "content.html"
FORMAT = "Daisy 2.02"
MULTIMEDIA_TYPE = "audioFullText"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# What the NCC must say of the book (DAISY 2.02, appendix 2, and what this book states).
NCC_METADATA = (
    "dc:title",
    "dc:creator",
    "dc:date",
    "dc:format",
    "dc:identifier",
    "dc:language",
    "dc:publisher",
    "ncc:charset",
    "ncc:depth",
    "ncc:files",
    "ncc:generator",
    "ncc:maxPageNormal",
    "ncc:multimediaType",
    "ncc:narrator",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:setInfo",
    "ncc:tocItems",
    "ncc:totalTime",
)
SMIL_METADATA = ("dc:format", "dc:identifier", "dc:title", "ncc:timeInThisSmil")


def milliseconds(seconds: float) -> int:
    return round(seconds * 1000)


def clock(ms: int) -> str:
    """A SMIL clock value to the millisecond: 01:02:03.456."""
    seconds, milli = divmod(ms, 1000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}.{milli:03d}"
