"""What an upload may be: a handout of a type the renderer reads, not too large, and what it says
it is. Its name is shown, never used as a path: the stored copy is named by us."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from renderer.loaders import SAVE_AS, SUPPORTED_EXTENSIONS, unsupported
from renderer.outputs.files import slug_text

NAME_LIMIT = 120  # characters of an uploaded file's name shown on the page

# How the files people mistake for a handout begin, by what they are: a .txt that is really a
# PDF is refused with what to do, as a .pdf is.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF", ".pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or other Office file", ".doc"),
    (b"{\\rtf", "a rich-text (.rtf) file", ".rtf"),
    (b"\x89PNG\r\n\x1a\n", "a PNG picture", ""),
    (b"\xff\xd8\xff", "a JPEG picture", ""),
    (b"GIF8", "a GIF picture", ""),
    (b"\x7fELF", "a program", ""),
    (b"MZ", "a Windows program", ""),
)
_ZIP = b"PK\x03\x04"


def shown_name(name: str) -> str:
    """The uploaded file's own name as the page shows it: its last part only (a browser may
    send a whole path), on one line, and not too long."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = " ".join(base.split()) or "unnamed file"
    return base if len(base) <= NAME_LIMIT else base[: NAME_LIMIT - 1] + "…"


def refusal(name: str, head: bytes, size: int, limit: int) -> str | None:
    """Why an upload is not taken, as one line naming it (None when it is taken): a type the
    renderer does not read (the same words as the command line), too large, or something
    other than its name says. An empty or unreadable handout is taken, and reading it says why,
    as on the command line."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        return f"{name}: {unsupported(Path(name))}"
    if size > limit:
        return (
            f"{name}: too large to take ({size / 1024 / 1024:.1f} MB; a handout may be up to "
            f"{limit / 1024 / 1024:g} MB)"
        )
    if suffix == ".docx":
        return None  # a .docx is a zip; the Word loader says what is wrong with one that is not
    if head.startswith(_ZIP):
        return f"{name}: this is a zip or Word file, not {suffix} text: save it as .docx, or paste its text"
    for signature, what, real in _SIGNATURES:
        if head.startswith(signature):
            hint = SAVE_AS.get(real)
            return f"{name}: this is {what}, not {suffix} text" + (f": {hint}" if hint else "")
    return None


def stored_name(name: str, taken: set[str]) -> tuple[str, str]:
    """Our own name for an upload's stored copy, unique among `taken`: (key, file name). The key
    is also its output folder's name (the batch names outputs after the input's file name)."""
    suffix = Path(name).suffix.lower()
    base = slug_text(Path(name).stem, limit=60) or "handout"
    key, n = base, 2
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    return key, key + suffix
