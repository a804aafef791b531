"""The spoken version as files, written as it is spoken: a chaptered MP3 (lameenc, and an ID3 tag
written here) or a WAV with cue points, for the whole and for each chapter.

Nothing here holds the spoken version whole: the PCM reaches lame a block at a time, and what
is known only at the end (the chapters' times, a WAV's sizes) is written into the file's head
afterwards, in place of a placeholder of the same size. lame encodes on a thread of its own
while the engine goes on speaking (both run outside the GIL), so a machine with a core to spare
makes the MP3 in the time the speech takes; the bytes are the same as encoded in turn."""

from __future__ import annotations

import io
import queue
import shutil
import struct
import threading
import wave
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from renderer.outputs.audio.synthesis import Chapter, Speech
from renderer.outputs.speech import SAMPLE_WIDTH, SpeechError

MP3_BITRATE = 64  # kbit/s CBR mono: clear speech at 22,050 Hz, 0.5 MB a minute, what players expect
# lame's algorithm quality (lameenc takes 2 best .. 7 fast). lame documents 7 as "very fast, ok
# quality": its psychoacoustic model still guards against pre-echo, but no noise shaping is done.
# Our speech at 64 kbit/s mono is no worse for it, measured against the PCM it was made from
# (bench/mp3_quality.py on content/, 60 stretches of 8 s): PESQ-WB (ITU-T P.862.2) 4.16 at 7,
# 4.07 at 5, 3.94 at 2; STOI 0.999 at each. And 7 takes 43% less time: 698x real time, 397x at 5.
MP3_QUALITY = 7
_ENCODE_BLOCK = 1 << 20  # bytes of PCM handed to lame at a time (a whole number of samples)
# Blocks waiting for lame's thread: one, so that a file holds at most three blocks at once (one
# filling, one waiting, one being encoded) and speech waits when lame falls behind.
_WAITING_BLOCKS = 1
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

    def of_section(self, number: int, title: str, count: int) -> Tags:
        """The tags of chapter `number`'s own file (of `count`): a track of an album named after
        the whole; the title chapter keeps the plain title."""
        return Tags(
            f"{self.title}: {title}" if number else self.title,
            self.creator,
            self.language,
            album=self.title,
            track=f"{number + 1}/{count}",
        )


def chapter_seconds(sample: int, sample_rate: int, audio_format: str) -> float:
    """Where a file of `audio_format` says a chapter starting at `sample` starts: an MP3's
    times count lame's delay (but the first chapter starts the file)."""
    if audio_format == "mp3" and sample:
        sample += LAME_DELAY
    return sample / sample_rate


class AudioWriter(Protocol):
    """One audio file being written: PCM in as it is spoken, then `finish` with the chapters
    whose titles it was opened with, now with their times."""

    def write(self, frames: bytes) -> None: ...

    def finish(self, chapters: Sequence[Chapter] = ()) -> None: ...

    def close(self) -> None:
        """Stop writing, unfinished (a failed synthesis): nothing more goes to the file."""


def lame_encoder(sample_rate: int) -> Any:
    """lame, set as every MP3 of ours is made: mono PCM at `sample_rate`, MP3_BITRATE CBR,
    MP3_QUALITY (read when called: bench/mp3_quality.py tries others)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_BITRATE)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(MP3_QUALITY)
    return encoder


class Mp3Writer:
    """CBR mono MP3 behind an ID3v2.3 tag: title, creator, language, and a CHAP per chapter
    listed in an ordered top-level CTOC.

    The tag comes first in the file but the chapters' times are known only at the end: it is
    written with the chapters' titles and no times, and written again over itself by `finish`
    (the times take the same four bytes whatever they are).

    lame encodes the blocks, in order, on a thread of its own (lameenc lets go of the GIL while
    it encodes, as ctypes does while espeak speaks): the MP3 of an hour of speech is no longer
    made after the speech but while it is spoken. Only that thread writes to the file until
    `finish` or `close` has waited for it; what it raised is raised by the next call here."""

    def __init__(
        self, file: BinaryIO, sample_rate: int, tags: Tags, titles: Sequence[str] = ()
    ) -> None:
        self._file, self._sample_rate, self._tags = file, sample_rate, tags
        self._titles = tuple(titles)
        self._encoder = lame_encoder(sample_rate)
        self._start = file.tell()
        self._tag = _id3(tags, [Chapter(t, 0, 0) for t in self._titles], sample_rate)
        file.write(self._tag)
        # Given all of an article's PCM at once, lameenc holds about four times its size (128
        # MB for 13 minutes); in blocks it holds one block's worth, and writes the same bytes.
        # The PCM comes a sentence at a time: it waits here until it makes a whole block.
        self._pending = bytearray()
        self._encoded = False
        self._blocks: queue.Queue[bytes | None] = queue.Queue(_WAITING_BLOCKS)
        self._thread: threading.Thread | None = None  # started by the first whole block
        self._failed: BaseException | None = None  # what lame or the file raised on the thread
        self._abandoned = False

    def write(self, frames: bytes) -> None:
        self._raise_failure()
        self._pending += frames
        if len(self._pending) >= _ENCODE_BLOCK:
            whole = len(self._pending) - len(self._pending) % _ENCODE_BLOCK
            view = memoryview(self._pending)
            try:
                for start in range(0, whole, _ENCODE_BLOCK):
                    self._hand_over(bytes(view[start : start + _ENCODE_BLOCK]))  # lame: bytes
            finally:
                view.release()
            del self._pending[:whole]

    def _hand_over(self, block: bytes) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._encode_blocks, name="lame", daemon=True)
            self._thread.start()
        self._blocks.put(block)  # waits while lame is a block behind
        self._encoded = True

    def _encode_blocks(self) -> None:
        """lame's thread: each block in turn until told to stop (None). After a failure it
        only takes the blocks, so that the speaking thread never waits for it in vain."""
        while (block := self._blocks.get()) is not None:
            if self._failed is None and not self._abandoned:
                try:
                    self._file.write(self._encoder.encode(block))
                except BaseException as exc:  # a full disk: raised by the speaking thread
                    self._failed = exc

    def _wait_for_lame(self) -> None:
        if self._thread is not None:
            self._blocks.put(None)
            self._thread.join()
            self._thread = None

    def _raise_failure(self) -> None:
        if self._failed is not None:
            failed, self._failed = self._failed, None
            self._abandoned = True  # the file is broken: nothing more is encoded into it
            raise failed

    def finish(self, chapters: Sequence[Chapter] = ()) -> None:
        self._wait_for_lame()
        self._raise_failure()
        if self._pending or not self._encoded:  # once at least: lame needs it
            self._file.write(self._encoder.encode(bytes(self._pending)))
            self._pending.clear()
        self._file.write(self._encoder.flush())
        if tuple(c.title for c in chapters) != self._titles:  # else the tag would change size
            raise ValueError(f"chapters {[c.title for c in chapters]}, not {list(self._titles)}")
        if chapters:
            tag = _id3(self._tags, chapters, self._sample_rate)
            end = self._file.tell()
            self._file.seek(self._start)
            self._file.write(tag)
            self._file.seek(end)

    def close(self) -> None:
        self._abandoned = True  # the blocks still waiting are not encoded
        self._wait_for_lame()


class WavWriter:
    """16-bit mono WAV with a cue point and label per chapter (read by audio editors) and an
    INFO title and artist, after the data: its sizes are written into its head at the end."""

    def __init__(
        self, file: BinaryIO, sample_rate: int, tags: Tags, titles: Sequence[str] = ()
    ) -> None:
        # The chapters' titles are written with their times, after the data: none go ahead.
        self._file, self._tags = file, tags
        self._start = file.tell()
        self._wav = wave.open(file, "wb")  # noqa: SIM115 (closed by finish)
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_WIDTH)
        self._wav.setframerate(sample_rate)

    def write(self, frames: bytes) -> None:
        self._wav.writeframesraw(frames)  # the header's sizes are put right by close()

    def finish(self, chapters: Sequence[Chapter] = ()) -> None:
        self._wav.close()  # writes the data's size into the header; the file stays open
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
        info = _chunk(b"INAM", _zstring(self._tags.title))
        info += _chunk(b"IART", _zstring(self._tags.creator))
        extra += _chunk(b"LIST", b"INFO" + info)
        self._file.seek(0, io.SEEK_END)
        self._file.write(extra)
        end = self._file.tell()
        self._file.seek(self._start + 4)
        self._file.write(struct.pack("<I", end - self._start - 8))  # the RIFF chunk's size
        self._file.seek(end)

    def close(self) -> None:
        pass  # written as it comes: nothing runs on


def audio_writer(
    audio_format: str, file: BinaryIO, sample_rate: int, tags: Tags, titles: Sequence[str] = ()
) -> AudioWriter:
    writer = Mp3Writer if audio_format == "mp3" else WavWriter
    return writer(file, sample_rate, tags, titles)


def encode_mp3(
    frames: bytes, sample_rate: int, tags: Tags, chapters: Sequence[Chapter] = ()
) -> bytes:
    """An MP3 of PCM held in memory (see Mp3Writer): for short texts, tests and benchmarks."""
    return _encode("mp3", frames, sample_rate, tags, chapters)


def encode_wav(
    frames: bytes, sample_rate: int, tags: Tags, chapters: Sequence[Chapter] = ()
) -> bytes:
    """A WAV of PCM held in memory (see WavWriter): for short texts, tests and benchmarks."""
    return _encode("wav", frames, sample_rate, tags, chapters)


def _encode(
    audio_format: str, frames: bytes, sample_rate: int, tags: Tags, chapters: Sequence[Chapter]
) -> bytes:
    buffer = io.BytesIO()
    writer = audio_writer(audio_format, buffer, sample_rate, tags, [c.title for c in chapters])
    try:
        writer.write(frames)
        writer.finish(chapters)
    finally:
        writer.close()
    return buffer.getvalue()


class AudioFiles:
    """The files one synthesis is written to as it is spoken (a PcmSink): the whole spoken
    version in one file and each chapter in files of its own, none of it held in memory.

    `whole` and `sections` say which files, before synthesis; `finish` completes them with the
    chapters' times, after it. Used as a context manager, so that a synthesis that fails leaves
    no file open (the caller removes them)."""

    def __init__(self, sample_rate: int, tags: Tags, titles: Sequence[str]) -> None:
        self._sample_rate, self._tags, self._titles = sample_rate, tags, tuple(titles)
        self._files = ExitStack()  # the whole files: open from start to finish
        self._chapter_files = ExitStack()  # the chapter's being spoken: one chapter's at a time
        self._whole: list[AudioWriter] = []
        self._sections: list[tuple[str, Sequence[Sequence[Path]]]] = []
        self._chapter: list[tuple[AudioWriter, Sequence[Path]]] = []

    def __enter__(self) -> AudioFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        # lame's threads first: none may write to a file once it is closed.
        for writer in [*self._whole, *(writer for writer, _ in self._chapter)]:
            writer.close()
        self._chapter.clear()
        self._chapter_files.close()
        self._files.close()

    def whole(self, path: Path, audio_format: str) -> None:
        """Write the whole spoken version to `path`, its chapters marked."""
        file = self._files.enter_context(path.open("wb"))
        writer = audio_writer(audio_format, file, self._sample_rate, self._tags, self._titles)
        self._whole.append(writer)

    def sections(self, paths: Sequence[Sequence[Path]], audio_format: str) -> None:
        """Write chapter n to each of `paths[n]` (the same bytes in each: the chapter is encoded
        once for --split-audio and a DAISY book alike)."""
        if len(paths) != len(self._titles):
            raise ValueError(f"{len(paths)} files for {len(self._titles)} chapters")
        self._sections.append((audio_format, paths))

    def chapter(self, number: int) -> None:
        self._end_chapter()
        tags = self._tags.of_section(number, self._titles[number], len(self._titles))
        for audio_format, paths in self._sections:
            file = self._chapter_files.enter_context(paths[number][0].open("wb"))
            writer = audio_writer(audio_format, file, self._sample_rate, tags)
            self._chapter.append((writer, paths[number]))

    def write(self, frames: bytes) -> None:
        for writer in self._whole:
            writer.write(frames)
        for writer, _ in self._chapter:
            writer.write(frames)

    def finish(self, speech: Speech) -> None:
        """Complete every file now that the chapters' times are known."""
        self._end_chapter()
        for writer in self._whole:
            writer.finish(speech.chapters)
        self._files.close()

    def _end_chapter(self) -> None:
        chapter, self._chapter = self._chapter, []
        try:
            for writer, _ in chapter:
                writer.finish()
        finally:
            for writer, _ in chapter:
                writer.close()  # those a failure left unfinished
            self._chapter_files.close()
        for _, (first, *copies) in chapter:
            for copy in copies:
                shutil.copyfile(first, copy)


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


def _zstring(text: str) -> bytes:
    return text.encode("utf-8") + b"\0"


def _chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")
