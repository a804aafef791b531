"""Writing outputs safely: a file appears under its final name only when it is complete."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import unicodedata
from pathlib import Path

from renderer.errors import OutputError

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it."""
    temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: never another writer's file; 0o666 less the umask, as for any new file
        # (mkstemp would make it readable by its owner alone).
        fd = os.open(temporary, _CREATE, 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:  # an error or Ctrl-C mid-write: no half file, even under a temp name
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path) from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_bytes(data: object) -> bytes:
    """JSON as every file of ours is written: UTF-8, indented, a final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug_text(text: str, limit: int = 80) -> str:
    """Lower-case ASCII letters and digits joined by hyphens: a name safe on any file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:limit].strip("-")
