"""The spoken version as a file: a chaptered MP3 (lameenc, and an ID3 tag written here) or a WAV
with cue points."""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from renderer.outputs.audio.synthesis import Chapter, Speech
from renderer.outputs.speech import SAMPLE_WIDTH, SpeechError

MP3_BITRATE = 64  # kbit/s CBR mono: clear speech at 22,050 Hz, 0.5 MB a minute, what players expect
MP3_QUALITY = 5  # lame's algorithm quality (2 best .. 7 fast): 5 encodes 300 s in under 1 s
_ENCODE_BLOCK = 1 << 20  # bytes of PCM handed to lame at a time (a whole number of samples)
# lame puts 576 samples of encoder delay and the decoder 529 before the first sample (measured:
# a click at sample 22,050 decodes at 22,050 + 1,105), so chapter times are shifted by that.
LAME_DELAY = 1105


@dataclass(frozen=True)
class Tags:
    title: str
    creator: str
    language: str
    album: str | None = None
    track: str | None = None  # "3/9" for a file of --split-audio


def chapter_seconds(sample: int, sample_rate: int, audio_format: str) -> float:
    """Where a file of `audio_format` says a chapter starting at `sample` starts: an MP3's
    times count lame's delay (but the first chapter starts the file)."""
    if audio_format == "mp3" and sample:
        sample += LAME_DELAY
    return sample / sample_rate


def encode_mp3(
    frames: bytes, sample_rate: int, tags: Tags, chapters: Sequence[Chapter] = ()
) -> bytes:
    """CBR mono MP3 behind an ID3v2.3 tag: title, creator, language, and a CHAP per chapter
    listed in an ordered top-level CTOC."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_BITRATE)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(MP3_QUALITY)
    # Given all of an article's PCM at once, lameenc holds about four times its size (128 MB
    # for 13 minutes); in blocks it holds one block's worth, and writes the same bytes.
    mp3 = bytearray(_id3(tags, chapters, sample_rate))
    for start in range(0, max(len(frames), 1), _ENCODE_BLOCK):  # once at least: lame needs it
        mp3 += encoder.encode(frames[start : start + _ENCODE_BLOCK])
    mp3 += encoder.flush()
    return bytes(mp3)


def encode_sections(
    speech: Speech, tags: Tags, encode: Callable[..., bytes] = encode_mp3
) -> list[bytes]:
    """One file per chapter, each tagged as a track of an album named after the whole (the
    title chapter keeps the plain title): what --split-audio writes and a DAISY book plays."""
    count = len(speech.chapters)
    return [
        encode(
            speech.chapter_frames(chapter),
            speech.sample_rate,
            Tags(
                f"{tags.title}: {chapter.title}" if number else tags.title,
                tags.creator,
                tags.language,
                album=tags.title,
                track=f"{number + 1}/{count}",
            ),
        )
        for number, chapter in enumerate(speech.chapters)
    ]


def _id3(tags: Tags, chapters: Sequence[Chapter], sample_rate: int) -> bytes:
    """The ID3v2.3 tag, written here rather than by mutagen, which orders frames by size: an
    ffmpeg-based player (VLC, mpv) would list the chapters out of order. mutagen reads it back
    in the proof, so the writer is checked by an independent reader."""
    texts = {
        "TIT2": tags.title,
        "TPE1": tags.creator,
        "TLAN": tags.language,
        "TALB": tags.album,
        "TRCK": tags.track,
    }
    body = b"".join(_text_frame(name, text) for name, text in texts.items() if text)
    if len(chapters) > 255:
        raise SpeechError(f"{len(chapters)} sections: an ID3 table of contents holds 255")
    ids = [f"chp{n}".encode("ascii") for n in range(len(chapters))]
    if chapters:
        body += _frame(
            "CTOC",
            b"toc\0"
            + bytes([0x03, len(ids)])  # top-level and ordered; entry count
            + b"".join(i + b"\0" for i in ids)
            + _text_frame("TIT2", "Sections"),
        )

    for element, chapter in zip(ids, chapters, strict=True):
        start, end = (
            round(chapter_seconds(s, sample_rate, "mp3") * 1000)
            for s in (chapter.start, chapter.end)
        )
        times = struct.pack(">IIII", start, end, 0xFFFFFFFF, 0xFFFFFFFF)
        body += _frame("CHAP", element + b"\0" + times + _text_frame("TIT2", chapter.title))
    size = len(body)
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + syncsafe + body


def _frame(name: str, data: bytes) -> bytes:
    return name.encode("ascii") + struct.pack(">IH", len(data), 0) + data


def _text_frame(name: str, text: str) -> bytes:
    return _frame(name, b"\x01" + text.encode("utf-16") + b"\0\0")  # UTF-16 with BOM


def encode_wav(
    frames: bytes, sample_rate: int, tags: Tags, chapters: Sequence[Chapter] = ()
) -> bytes:
    """16-bit mono WAV with a cue point and label per chapter (read by audio editors) and
    an INFO title and artist."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(sample_rate)
        wav.writeframes(frames)
    riff = bytearray(buffer.getvalue())
    extra = b""
    if chapters:
        points = b"".join(
            struct.pack("<II4sIII", n + 1, c.start, b"data", 0, 0, c.start)
            for n, c in enumerate(chapters)
        )
        extra += _chunk(b"cue ", struct.pack("<I", len(chapters)) + points)
        labels = b"".join(
            _chunk(b"labl", struct.pack("<I", n + 1) + _zstring(c.title))
            for n, c in enumerate(chapters)
        )
        extra += _chunk(b"LIST", b"adtl" + labels)
    info = _chunk(b"INAM", _zstring(tags.title)) + _chunk(b"IART", _zstring(tags.creator))
    extra += _chunk(b"LIST", b"INFO" + info)
    riff += extra
    struct.pack_into("<I", riff, 4, len(riff) - 8)
    return bytes(riff)


def _zstring(text: str) -> bytes:
    return text.encode("utf-8") + b"\0"


def _chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")
