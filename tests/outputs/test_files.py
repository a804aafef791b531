"""Writing outputs: complete files under final names, readable as any new file, nothing left over."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from renderer.errors import OutputError
from renderer.outputs.files import atomic_write, slug_text


def test_a_written_file_gets_the_umask_mode_and_no_temporary_is_left(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "sub" / "a.pdf", b"data")
    finally:
        os.umask(old)
    target = tmp_path / "sub" / "a.pdf"
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # not mkstemp's owner-only 0600
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_an_interrupted_write_leaves_neither_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "a.mp3", b"data")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").mkdir()
    with pytest.raises(OutputError, match=r"a\.pdf"):
        atomic_write(tmp_path / "a.pdf", b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_slugs_are_plain_ascii() -> None:
    assert slug_text("Ünïcödé  leaflet (final!!)") == "unicode-leaflet-final"
    assert slug_text("x" * 90 + "-y", 80) == "x" * 80
    assert slug_text("!!!") == ""
