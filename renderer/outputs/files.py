"""Writing outputs safely: a file appears under its final name only when it is complete."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from renderer.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes files only their owner can read
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path) from None
    except BaseException:  # Ctrl-C mid-write: no half file left behind, even under a temp name
        Path(temporary).unlink(missing_ok=True)
        raise


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug_text(text: str, limit: int = 80) -> str:
    """Lower-case ASCII letters and digits joined by hyphens: a name safe on any file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:limit].strip("-")
