"""A desk article's pins, written as its pin file (`<stem>.pins.toml` beside the stored copy,
where analysis and render read it), in the format analysis/review.py reads and documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renderer.analysis.review import PinFile, parse_pins, pins_path
from renderer.model import comparable_text
from renderer.outputs.files import atomic_write

KINDS = ("risk", "disclaimer")


@dataclass(frozen=True)
class DeskPin:
    """Box the passage holding `text` as safety text of `kind`, or unbox it (`protect` False)."""

    text: str
    protect: bool
    kind: str = "risk"

    @property
    def action(self) -> str:
        return "protect" if self.protect else "unprotect"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: quotes, backslashes and every control character escaped
    (TOML forbids them raw, DEL included)."""
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def pin_file_text(pins: list[DeskPin]) -> str:
    protect = [p for p in pins if p.protect]
    unprotect = [p for p in pins if not p.protect]
    lines = ["# Pins set at the renderer's desk: box or unbox these passages of the article."]
    lines.append("protect = [")
    lines += [f"  {{text = {toml_string(p.text)}, kind = {toml_string(p.kind)}}}," for p in protect]
    lines.append("]")
    lines.append("unprotect = [")
    lines += [f"  {toml_string(p.text)}," for p in unprotect]
    lines.append("]")
    return "\n".join(lines) + "\n"


def add_pin(pins: list[DeskPin], pin: DeskPin) -> list[DeskPin]:
    """The pins with `pin` added; an earlier pin on the same text is replaced by it."""
    text = comparable_text(pin.text)
    kept = [p for p in pins if comparable_text(p.text).casefold() != text.casefold()]
    return [*kept, DeskPin(text, pin.protect, pin.kind if pin.kind in KINDS else "risk")]


def write_pins(article: Path, pins: list[DeskPin]) -> Path | None:
    """Write the article's pin file (none when there are no pins); read it back as analysis
    does first, so the desk never writes a file the renderer would refuse."""
    path = pins_path(article)
    if not pins:
        path.unlink(missing_ok=True)
        return None
    data = pin_file_text(pins).encode("utf-8")
    parse_pins(PinFile(path, data))
    atomic_write(path, data)
    return path
