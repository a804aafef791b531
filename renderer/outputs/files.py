"""Writing outputs safely: a file appears under its final name only when it is complete."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path

from renderer.errors import OutputError, UsageError

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_TOKEN_BYTES = 6
# The temporary names atomic_write makes, and nothing else: `.report.json.0123456789ab.part`.
_PARTIAL = re.compile(rf"\..+\.[0-9a-f]{{{2 * _TOKEN_BYTES}}}\.part")


def _temporary(path: Path) -> Path:
    """The name a file is written under until it is complete: `.report.json.0123456789ab.part`."""
    return path.parent / f".{path.name}.{secrets.token_hex(_TOKEN_BYTES)}.part"


def _write_new(path: Path, data: bytes) -> None:
    """Create `path` (never another writer's file: O_EXCL) with `data`, flushed to disk; 0o666
    less the umask, as for any new file (mkstemp would make it readable by its owner alone)."""
    fd = os.open(path, _CREATE, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it."""
    temporary = _temporary(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            _write_new(temporary, data)
            os.replace(temporary, path)
        except BaseException:  # an error or Ctrl-C mid-write: no half file, even under a temp name
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path) from None


# A block's worth: a full disk may still give a new, empty file a name.
_PROBE = bytes(4096)


def check_writable(folder: Path) -> None:
    """Make `folder` if need be and prove that a file can be written in it, or raise one
    OutputError naming it and the cause: a folder that cannot take the outputs (a file in the
    way, no permission, a full disk) is one error for the run, not one per article."""
    hint = " (choose another with -o DIR)"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"is a file, not a folder{hint}", folder) from None
    except NotADirectoryError:
        blocker = next((p for p in reversed(folder.parents) if p.is_file()), folder.parent)
        raise OutputError(f"cannot make this folder: {blocker} is a file{hint}", folder) from None
    except OSError as exc:
        raise OutputError(f"cannot make this folder: {exc.strerror or exc}{hint}", folder) from None
    # Named as atomic_write names its temporary files, so a probe left by a kill is cleaned up.
    probe = _temporary(folder / "write-test")
    try:
        try:
            _write_new(probe, _PROBE)
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write in this folder: {exc.strerror or exc}{hint}", folder
        ) from None


def remove_partial_files(folder: Path, recursive: bool = True) -> list[Path]:
    """Delete the temporary files that writers stopped mid-write (killed, or interrupted before
    their clean-up could run) left in `folder` (and below, when `recursive`)."""
    if not folder.is_dir():
        return []
    found = folder.rglob(".*.part") if recursive else folder.glob(".*.part")
    removed = [p for p in found if _PARTIAL.fullmatch(p.name) and p.is_file()]
    for partial in removed:
        partial.unlink(missing_ok=True)
    return removed


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


class Staging:
    """An article's outputs written under temporary names in its folder, proved there, and
    given their final names only once every one of them has passed (`commit`); on any error,
    or when the caller never commits, the temporary files go (`with Staging(folder) as ...`).

    Outputs are written to disk as they are made, never held whole in memory: an hour of audio
    costs a file, not a buffer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._temporary: dict[str, Path] = {}
        self._made: list[Path] = []  # folders made here, removed again if nothing is committed

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def path(self, name: str) -> Path:
        """A new, empty temporary file for the output that `commit` names `name` (relative to
        the folder: "guide.mp3", "daisy/s01.mp3"), its folders made: for a writer that streams."""
        return self.write(name, b"")

    def write(self, name: str, data: bytes) -> Path:
        """`data` in a new temporary file for the output that `commit` names `name`."""
        final = self.folder / name
        temporary = _temporary(final)
        try:
            missing = [p for p in (final.parent, *final.parent.parents) if not p.exists()]
            final.parent.mkdir(parents=True, exist_ok=True)
            self._made.extend(reversed(missing))
            _write_new(temporary, data)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise OutputError(f"cannot write: {exc.strerror or exc}", final) from None
        self._temporary[name] = temporary
        return temporary

    def staged(self, name: str) -> Path:
        return self._temporary[name]

    def commit(self) -> dict[str, Path]:
        """Flush every file to disk, then rename each to its final name; returns them."""
        done: dict[str, Path] = {}
        for name, temporary in list(self._temporary.items()):
            final = self.folder / name
            try:
                with temporary.open("rb+") as handle:  # what a streaming writer left unflushed
                    os.fsync(handle.fileno())
                os.replace(temporary, final)
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror or exc}", final) from None
            del self._temporary[name]
            done[name] = final
        self._made.clear()
        return done

    def discard(self) -> None:
        for temporary in self._temporary.values():
            temporary.unlink(missing_ok=True)
        self._temporary.clear()
        for folder in reversed(self._made):  # deepest first; one that holds files stays
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made.clear()


class FileMap(Mapping[str, bytes]):
    """Files by name, each read only when asked for: a checker walks a talking book's files
    one at a time without holding them all."""

    def __init__(self, paths: Mapping[str, Path]) -> None:
        self._paths = dict(paths)

    def __getitem__(self, name: str) -> bytes:
        return self._paths[name].read_bytes()

    def path(self, name: str) -> Path:
        """The file itself, for a reader that streams it (an hour-long chapter's MP3)."""
        return self._paths[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def source_date(source: str | Path) -> str | None:
    """The date an output carries (yyyy-mm-dd): SOURCE_DATE_EPOCH when set (reproducible builds),
    else the day the article's file was last changed, so the same article gives the same files
    on any day; None when neither is known."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        stamp = int(epoch) if epoch else Path(source).stat().st_mtime
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    except OSError:
        return None
    return datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%d")
