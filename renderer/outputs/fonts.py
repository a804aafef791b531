"""Large-print fonts: which TrueType family to use, and what to do with characters it cannot draw."""

from __future__ import annotations

import functools
import html
import importlib.resources
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from renderer.errors import UsageError

_SYSTEM = "/usr/share/fonts/truetype"
# "0" turns off looking for fonts installed on the machine (Tiresias, DejaVu): the PDF then uses
# only fonts that came with `pip install`, as on a fresh machine. CI runs every test that way.
SYSTEM_FONTS_VARIABLE = "RENDERER_SYSTEM_FONTS"


def _escape(text: str) -> str:
    """&, < and > as reportlab's paragraph markup needs them (html.escape without quotes: the
    same as xml.sax.saxutils.escape, whose import pulls in urllib, ssl and email)."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class KnownFamily:
    """A family looked for on this machine: files in a Python package's `folder`, found through
    the package wherever pip put it, or, with `package` None, a system font's absolute paths."""

    name: str
    regular: str
    bold: str | None
    package: str | None = None
    folder: str = "files"  # where fontpkg-* wheels keep their TTFs

    @property
    def system(self) -> bool:
        return self.package is None

    def paths(self) -> tuple[Path, Path | None] | None:
        """The regular and bold files, or None when this machine does not have the family."""
        if self.package is None:
            base = Path("/")
        else:
            try:
                base = Path(str(importlib.resources.files(self.package) / self.folder))
            except ModuleNotFoundError:
                return None
        regular = base / self.regular
        bold = base / self.bold if self.bold else None
        if not regular.is_file():
            return None
        return regular, bold if bold is not None and bold.is_file() else None


# Looked for in this order; the first found is the body font, the rest draw, per character,
# what it lacks. The packaged ones come with `pip install`, so a fresh machine has them all.
# Atkinson Hyperlegible was designed by the Braille Institute for low-vision readers (SIL OFL
# 1.1). It lacks arrows, most Greek and subscripts. Measured on the symbols health text uses,
# IBM Plex Sans draws the most of those (→ ↔ β α ₂ ′ ✓ ...), Noto Sans adds ‣ and more scripts
# (Devanagari, Vietnamese). Both ship only a variable TTF whose default instance is Regular
# 400, which is what reportlab embeds: in bold text their characters are drawn regular.
# (Source Sans 3 covers more, but its default instance is ExtraLight 200: too thin to read.)
# System fonts come after them and are never needed; reportlab's own Vera is the last resort.
KNOWN_FAMILIES: tuple[KnownFamily, ...] = (
    KnownFamily(
        "Atkinson Hyperlegible",
        "AtkinsonHyperlegible-Regular.ttf",
        "AtkinsonHyperlegible-Bold.ttf",
        package="fontpkg_atkinson_hyperlegible",
    ),
    KnownFamily("IBM Plex Sans", "IBMPlexSans[wdth,wght].ttf", None, "fontpkg_ibm_plex_sans"),
    KnownFamily("Noto Sans", "NotoSans[wdth,wght].ttf", None, "fontpkg_noto_sans"),
    KnownFamily(
        "Tiresias LPfont",
        f"{_SYSTEM}/tiresias/tiresias_lpfont.ttf",
        f"{_SYSTEM}/tiresias/tiresias_lpfont_bold.ttf",
    ),
    KnownFamily(
        "DejaVu Sans", f"{_SYSTEM}/dejavu/DejaVuSans.ttf", f"{_SYSTEM}/dejavu/DejaVuSans-Bold.ttf"
    ),
    KnownFamily("Bitstream Vera Sans", "Vera.ttf", "VeraBd.ttf", "reportlab", folder="fonts"),
)
# Shown, visibly, in place of a character no available font can draw.
MISSING_GLYPH_MARKER = "[?]"
_NO_FONT = "no available font can draw"
_BOLD_SUFFIXES = ("-Bold", "_Bold", "Bold", "-bold", "_bold", "bd", "Bd", "-B")
_NAME = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class Face:
    """One registered TrueType face: its reportlab name and the code points it can draw."""

    name: str
    path: Path
    codepoints: frozenset[int]  # see _drawable

    def draws(self, char: str) -> bool:
        return ord(char) in self.codepoints


def right_to_left(char: str) -> bool:
    """A Hebrew, Arabic, Syriac ... letter. reportlab sets them left to right and unjoined
    (without the optional rlbidi and uharfbuzz), so a word would print reversed, and read back
    reversed: they are shown as the marker instead, and the text stays whole in the audio."""
    return ord(char) >= 0x0590 and unicodedata.bidirectional(char) in ("R", "AL")


def needs_shaping(char: str) -> bool:
    """A letter of an Indic script (Devanagari to Sinhala). Its vowel signs are reordered and
    its consonants joined when set, which reportlab cannot do: "कि" would print with the vowel
    sign on the wrong side. Noto Sans has Devanagari glyphs, so they are kept out like the
    right-to-left letters."""
    return 0x0900 <= ord(char) <= 0x0DFF


def _unsettable(char: str) -> str | None:
    """Why no font may draw `char`, whatever glyphs it has: None when one may."""
    if right_to_left(char):
        return "cannot set right-to-left letters"
    if needs_shaping(char):
        return "cannot set Indic letters (they need shaping)"
    return None


@dataclass(frozen=True)
class Family:
    name: str
    regular: Face
    bold: Face


# reportlab's font table is global and a document keeps its subsets on the font object: two
# threads (the desk renders PDFs in its own) must not each register a face, one replacing the
# other mid-document. A fallback is registered when a character first needs it, at any time.
_REGISTERING = threading.Lock()


def _register(path: Path, label: str) -> Face:
    with _REGISTERING:
        return _register_once(path, label)


def _register_once(path: Path, label: str) -> Face:
    name = "RL-" + _NAME.sub("-", f"{label}-{path.stem}")
    if name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
    else:
        # Not getFont() inside try: for a name it does not know, reportlab first parses every
        # AFM file it ships looking for it (45 ms a name).
        try:
            font = TTFont(name, str(path))
        except OSError as exc:
            raise UsageError(f"{path}: cannot read font: {exc.strerror or exc}") from None
        except Exception as exc:  # TTFError, or a truncated file failing deep in the parser
            raise UsageError(
                f"{path}: not a usable TrueType font ({type(exc).__name__}: {exc}); "
                "OpenType/CFF and .ttc files cannot be embedded, use a .ttf"
            ) from None
        pdfmetrics.registerFont(font)
    return Face(name, path, _drawable(font.face.charToGlyph))


def _drawable(glyphs: Iterable[int]) -> frozenset[int]:
    """The code points of a font's glyphs that we let reportlab draw: none above U+FFFF (they
    get broken ToUnicode entries) and no letter that it would set wrongly (_unsettable)."""
    return frozenset(c for c in glyphs if c <= 0xFFFF and _unsettable(chr(c)) is None)


def _bold_sibling(regular: Path) -> Path | None:
    for suffix in _BOLD_SUFFIXES:
        candidate = regular.with_name(regular.stem + suffix + regular.suffix)
        if candidate.is_file():
            return candidate
    return None


def load_family(name: str, regular: Path, bold: Path | None) -> Family:
    face = _register(regular, name)
    return Family(name, face, _register(bold, name) if bold else face)


@dataclass(frozen=True)
class Found:
    """A known family this machine has, not loaded yet: parsing a TrueType file takes 10-20 ms,
    and a fallback is loaded only when the body font lacks a character of the text."""

    name: str
    regular: Path
    bold: Path | None

    def load(self) -> Family:
        return _loaded(self)


@functools.cache
def _loaded(found: Found) -> Family:
    return load_family(found.name, found.regular, found.bold)


def _without_soft_hyphens(text: str) -> str:
    # A soft hyphen is an invisible break hint; reportlab would draw it as a hyphen.
    return text.replace("\u00ad", "")


@dataclass
class FontSet:
    """The body family and, per character, the fallbacks; collects what had to be replaced."""

    primary: Family
    others: tuple[Found, ...]  # the fallbacks, in turn, each loaded when first needed
    missing: dict[str, int] = field(default_factory=dict)
    substituted: dict[str, str] = field(default_factory=dict)

    @property
    def fallbacks(self) -> tuple[Family, ...]:
        return tuple(found.load() for found in self.others)

    def _in_turn(self) -> Iterator[Family]:
        yield self.primary
        for found in self.others:
            yield found.load()

    def face_for(self, char: str, bold: bool = False) -> Face | None:
        """The face that draws `char`: the body face, else the first fallback that has it."""
        faces = (family.bold if bold else family.regular for family in self._in_turn())
        return next((face for face in faces if face.draws(char)), None)

    def runs(self, text: str, bold: bool = False) -> list[tuple[str, str]]:
        """`text` cut into (face name, text) runs: characters the font lacks go to the first
        fallback that has them, or become a visible marker counted in `missing`."""
        face = self.primary.bold if bold else self.primary.regular
        runs: list[tuple[str, str]] = []
        for char in _without_soft_hyphens(text):
            # Nearly every character is the body face's own: test that before any fallback.
            found = face if char.isspace() or face.draws(char) else self.face_for(char, bold)
            if found is None:
                self.missing[char] = self.missing.get(char, 0) + 1
                name, shown = face.name, MISSING_GLYPH_MARKER
            else:
                if found is not face:
                    self.substituted[char] = found.path.name
                name, shown = found.name, char
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + shown)
            else:
                runs.append((name, shown))
        return runs

    def markup(self, text: str, bold: bool = False) -> str:
        """Escaped Paragraph markup for `text`, switching font only where a fallback is needed."""
        primary = (self.primary.bold if bold else self.primary.regular).name
        return "".join(
            _escape(chunk) if name == primary else f'<font face="{name}">{_escape(chunk)}</font>'
            for name, chunk in self.runs(text, bold)
        )

    def printable(self, text: str) -> str:
        """`text` as the PDF shows it, without counting anything: what `runs` would draw."""
        body = self.primary.regular
        return "".join(
            c if c.isspace() or body.draws(c) or self.face_for(c) else MISSING_GLYPH_MARKER
            for c in _without_soft_hyphens(text)
        )

    def warnings(self) -> list[str]:
        notes = []
        problems: dict[str, list[tuple[str, int]]] = {}
        for char, count in sorted(self.missing.items()):
            problem = _unsettable(char) or _NO_FONT
            problems.setdefault(problem, []).append((char, count))
        for problem, missing in sorted(problems.items(), key=lambda item: item[0] != _NO_FONT):
            chars = ", ".join(f"U+{ord(c):04X} {c!r} ×{n}" for c, n in missing)
            notes.append(f"{problem} {chars}: shown as {MISSING_GLYPH_MARKER!r}")
        if self.substituted:
            chars = ", ".join(f"{c!r} ({font})" for c, font in sorted(self.substituted.items()))
            notes.append(f"drawn with a fallback font: {chars}")
        return notes


def system_fonts_enabled() -> bool:
    """Whether fonts installed on the machine are looked for: RENDERER_SYSTEM_FONTS=0 says no."""
    value = os.environ.get(SYSTEM_FONTS_VARIABLE, "").strip()
    if value not in ("", "0", "1"):
        raise UsageError(
            f"{SYSTEM_FONTS_VARIABLE}={value!r}: use 0 (only fonts from pip) or 1 (also the system's)"
        )
    return value != "0"


def _installed_families() -> tuple[Found, ...]:
    """The known families found on this machine, without system fonts when they are off."""
    return _families(system_fonts_enabled())


@functools.cache
def _families(system: bool) -> tuple[Found, ...]:
    """Looked for once per process for each setting."""
    found = []
    for known in KNOWN_FAMILIES:
        paths = None if known.system and not system else known.paths()
        if paths is not None:
            found.append(Found(known.name, *paths))
    return tuple(found)


def register_installed_fonts() -> None:
    """Register the known families now: a process that forks workers does it once for all."""
    for found in _installed_families():
        found.load()


def resolve_fonts(custom: Path | None = None) -> FontSet:
    """The clinic's font if given, else the first known family found; the rest are fallbacks.

    A new FontSet each time: it counts the characters one document had to replace.
    """
    families = _installed_families()
    if custom is not None:
        if not custom.is_file():
            raise UsageError(f"{custom}: font file not found")
        return FontSet(load_family(custom.stem, custom, _bold_sibling(custom)), families)
    if not families:  # pragma: no cover - reportlab always ships Vera
        raise UsageError("no TrueType font found; run `make setup` again")
    return FontSet(families[0].load(), families[1:])
