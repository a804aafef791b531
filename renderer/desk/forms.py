"""The options a clinic changes at the desk, as form fields: their defaults from the clinic's
renderer.toml, and the values sent checked by the configuration layer's own rules (a mistake is
one line naming the field as the page labels it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renderer.config import (
    FONT_SIZE_RANGE,
    FORMATS,
    GRADE_RANGE,
    PAGE_SIZES,
    RATE_RANGE,
    THEMES,
    Options,
    build_options,
)
from renderer.errors import UsageError

# renderer.toml's key -> the field's label on the page (a flag's name means nothing there).
LABELS = {
    "page_size": "Paper",
    "font_size": "Text size",
    "theme": "Colours",
    "formats": "What to make",
    "voice": "Voice",
    "rate": "Speaking speed",
    "clinic_name": "Clinic name",
    "clinic_phone": "Clinic phone",
    "target_grade": "Target reading grade",
}
PAPER = {"letter": "Letter (US, 8.5 × 11 inches)", "a4": "A4 (210 × 297 mm)"}
COLOURS = {
    "standard": "Black on white, for print",
    "cream": "Dark on cream, less glare",
    "high-contrast": "Light on black, for screens",
}
MAKE = {
    "pdf": "Large-print PDF, to print",
    "audio": "Spoken version (MP3 with chapters) and its transcript",
    "daisy": "DAISY talking book",
    "epub": "EPUB book with the spoken version",
}
_NUMBERS = {"font_size": float, "rate": int, "target_grade": float}
_TEXTS = ("voice", "clinic_name", "clinic_phone")


@dataclass(frozen=True)
class Choices:
    """What the options form offers and starts from."""

    values: dict[str, Any]  # field -> its value as the form shows it
    page_sizes: tuple[str, ...] = PAGE_SIZES
    themes: tuple[str, ...] = THEMES
    formats: tuple[str, ...] = FORMATS
    font_sizes: tuple[float, float] = FONT_SIZE_RANGE
    rates: tuple[int, int] = RATE_RANGE
    grades: tuple[float, float] = GRADE_RANGE


def form_values(options: Options) -> dict[str, Any]:
    """The form's fields for `options`."""
    return {
        "page_size": options.print.page_size,
        "font_size": f"{options.print.font_size:g}",
        "theme": options.print.theme,
        "formats": list(options.formats),
        "voice": options.speech.voice or "",
        "rate": str(options.speech.rate),
        "clinic_name": options.print.clinic_name or "",
        "clinic_phone": options.print.clinic_phone or "",
        "target_grade": f"{options.target_grade:g}",
    }


def defaults(settings: Mapping[str, Any]) -> Options:
    """The clinic's options: renderer.toml over the renderer's defaults."""
    return build_options(settings)


def options_from_form(
    form: Mapping[str, Any], formats: list[str], settings: Mapping[str, Any]
) -> Options:
    """Options from the form's fields over the clinic's settings; a UsageError naming the field
    by its label when one is wrong. A text field left empty means "not set" (the clinic's)."""
    values: dict[str, Any] = dict(settings)
    for key in ("page_size", "theme"):
        if form.get(key):
            values[key] = str(form[key])
    for key, kind in _NUMBERS.items():
        raw = str(form.get(key) or "").strip()
        if not raw:
            continue
        try:
            values[key] = kind(raw)
        except ValueError:
            word = "a whole number" if kind is int else "a number"
            raise UsageError(f"{LABELS[key]} must be {word}, not {raw!r}") from None
    for key in _TEXTS:
        raw = " ".join(str(form.get(key) or "").split())
        if raw:
            values[key] = raw
        else:
            values.pop(key, None)
    if not formats:
        raise UsageError(f"{LABELS['formats']}: choose at least one")
    values["formats"] = list(formats)
    try:
        return build_options(values)
    except UsageError as error:
        raise UsageError(labelled(error.message)) from None


def labelled(message: str) -> str:
    """A configuration error as the page says it: `--font-size must be ...` -> `Text size must
    be ...`."""
    for key, label in LABELS.items():
        flag = "--" + key.replace("_", "-")
        if message.startswith(flag):
            return label + message[len(flag) :]
    return message
