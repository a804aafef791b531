"""Reading an audio file back: its length, sample rate, title and chapters, as a player reads
them (mutagen for an MP3, the RIFF chunks of a WAV)."""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from renderer.outputs.speech import SpeechError


@dataclass(frozen=True)
class AudioFacts:
    """What a written audio file says of itself."""

    seconds: float
    sample_rate: int
    title: str | None
    chapters: tuple[tuple[str, float], ...]  # (title, start in seconds), in start order


def read_audio(audio: bytes | Path, audio_format: str) -> AudioFacts:
    """Duration, title and chapters of an MP3 or WAV this module wrote (or any other), from its
    bytes or its file (of which only the head and the chunks after the audio are read)."""
    if audio_format == "mp3":
        return _read_mp3(audio)
    try:
        if isinstance(audio, bytes):
            return _read_wav(io.BytesIO(audio))
        with audio.open("rb") as file:
            return _read_wav(file)
    except OSError as exc:
        raise SpeechError(f"the WAV cannot be read back: {exc.strerror or exc}") from None


def _read_mp3(data: bytes | Path) -> AudioFacts:
    from mutagen import MutagenError
    from mutagen import mp3 as mutagen_mp3

    reader: Any = mutagen_mp3.MP3  # untyped
    try:
        mp3 = reader(io.BytesIO(data) if isinstance(data, bytes) else data)
    except MutagenError as exc:
        raise SpeechError(f"the MP3 cannot be read back: {exc}") from None
    tags = mp3.tags
    chapters: list[tuple[str, float]] = []
    title = None
    if tags is not None:
        title_frame = tags.get("TIT2")
        title = str(title_frame.text[0]) if title_frame else None
        for frame in tags.getall("CHAP"):
            name = frame.sub_frames.get("TIT2")
            chapters.append((str(name.text[0]) if name else "", frame.start_time / 1000))
    chapters.sort(key=lambda chapter: chapter[1])
    info: Any = mp3.info
    return AudioFacts(info.length, info.sample_rate, title, tuple(chapters))


def _read_wav(file: BinaryIO) -> AudioFacts:
    try:
        with wave.open(file, "rb") as wav:  # reads up to the data chunk's head, not its data
            rate = wav.getframerate()
            seconds = wav.getnframes() / rate
        starts: dict[int, int] = {}
        labels: dict[int, str] = {}
        title = None
        for name, body in _file_chunks(file):
            if name == b"cue ":
                (count,) = struct.unpack_from("<I", body)
                for n in range(count):
                    ident, position = struct.unpack_from("<II", body, 4 + 24 * n)
                    starts[ident] = position
            elif name == b"LIST" and body[:4] in (b"adtl", b"INFO"):
                for sub, text in _chunks(body, 4):
                    if sub == b"labl":
                        labels[struct.unpack_from("<I", text)[0]] = _text(text[4:])
                    elif sub == b"INAM":
                        title = _text(text)
    except (EOFError, wave.Error, struct.error) as exc:
        raise SpeechError(f"the WAV cannot be read back: {exc}") from None
    chapters = sorted(
        ((labels.get(i, ""), start / rate) for i, start in starts.items()), key=lambda c: c[1]
    )
    return AudioFacts(seconds, rate, title, tuple(chapters))


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


_WANTED = (b"cue ", b"LIST")  # the chunks read; the others (the audio) are stepped over


def _file_chunks(file: BinaryIO) -> Iterator[tuple[bytes, bytes]]:
    """The RIFF chunks of a WAV file after its 12-byte head: the name and body of each one
    named in _WANTED, and the name alone (an empty body) of the others, which are not read."""
    file.seek(12)
    while len(head := file.read(8)) == 8:
        name, size = struct.unpack("<4sI", head)
        if name in _WANTED:
            body = file.read(size)
            file.seek(size % 2, io.SEEK_CUR)
        else:
            body = b""
            file.seek(size + size % 2, io.SEEK_CUR)
        yield name, body


def _chunks(data: bytes, offset: int) -> Iterator[tuple[bytes, bytes]]:
    while offset + 8 <= len(data):
        name, size = struct.unpack_from("<4sI", data, offset)
        yield name, data[offset + 8 : offset + 8 + size]
        offset += 8 + size + (size % 2)
