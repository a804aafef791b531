"""Bytes to text: the encodings clinics' files come in (UTF-8, UTF-16 with BOM, Windows-1252), and binary refusal."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from renderer.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that do occur in real text files.
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Share of other control characters above which a file is treated as binary.
_MAX_CONTROL_SHARE = 0.01


def _decode(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return _utf16_without_bom(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1252 rather than Latin-1: it maps 0x80-0x9F to curly quotes and dashes.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: mostly-ASCII text has a NUL in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None  # NUL bytes in no pattern: binary


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(
        1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS
    )
    return controls > _MAX_CONTROL_SHARE * max(len(text), 1)


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode a file's bytes, normalising line ends to '\\n'; refuse what is not text."""
    text = _decode(data.rstrip(b"\x1a"))  # DOS editors end files with Ctrl-Z
    if text is None or _looks_binary(text):
        raise InputError("not a text file (binary or undecodable content)", path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff")
