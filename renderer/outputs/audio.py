"""The spoken version: the script an article is read as, its synthesis sentence by sentence,
and its encoding as chaptered MP3 (lameenc + mutagen) or WAV.

The script is what the transcript shows, word for word; the speech normaliser and then the
lexicon rewrite a sentence only on its way to the engine (normalise.engine_text). Chapters
start at the sample where a section's announcement begins.
"""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renderer.labels import wording_for
from renderer.model import Article, Block, BlockKind, Section, SectionKind, block_runs
from renderer.outputs.lexicon import Lexicon
from renderer.outputs.normalise import engine_text
from renderer.outputs.speech import SAMPLE_WIDTH, SpeechEngine, SpeechError

# Silences added after the engine's own end-of-sentence pause, in milliseconds. espeak-ng
# leaves about 0.4 s at a sentence's end, so the gaps heard are about 0.4 s between sentences,
# 0.7, 1.0 and 1.6 s here (measured on the PCM; README says the same).
LINE_PAUSE = 300  # between list items and table rows
BLOCK_PAUSE = 600  # between paragraphs
SECTION_PAUSE = 1200  # before the next section's announcement
UNSAYABLE_PAUSE = 100  # the least silence read for a sentence without a letter or digit
MP3_BITRATE = 64  # kbit/s CBR mono: clear speech at 22,050 Hz, 0.5 MB a minute, what players expect
MP3_QUALITY = 5  # lame's algorithm quality (2 best .. 7 fast): 5 encodes 300 s in under 1 s
_ENCODE_BLOCK = 1 << 20  # bytes of PCM handed to lame at a time (a whole number of samples)
# lame puts 576 samples of encoder delay and the decoder 529 before the first sample (measured:
# a click at sample 22,050 decodes at 22,050 + 1,105), so chapter times are shifted by that.
LAME_DELAY = 1105

Line = tuple[str, ...]  # one spoken line (paragraph, list item, table row) as its sentences


@dataclass(frozen=True)
class SpokenSection:
    """A chapter of the spoken version: its title and its blocks of lines (the first block is
    the announcement). `section` is the article section's index, None for the title chapter."""

    section: int | None
    title: str
    blocks: tuple[tuple[Line, ...], ...]
    level: int = 2  # 1 for the title, 2 for a top-level section, 3 for a sub-section ...


@dataclass(frozen=True)
class Script:
    title: str
    language: str
    chapters: tuple[SpokenSection, ...]

    def transcript(self) -> str:
        """The script as plain text: a line per spoken line, a blank line between blocks and
        two between chapters."""
        parts = []
        for chapter in self.chapters:
            blocks = ["\n".join(" ".join(line) for line in block) for block in chapter.blocks]
            parts.append("\n\n".join(blocks))
        return "\n\n\n".join(parts) + "\n"


def _spoken(section: Section) -> list[Block]:
    """The blocks of a section that are read: all of them, but of boilerplate only the
    protected ones (a disclaimer in a page's small print is still read)."""
    if section.kind is SectionKind.BOILERPLATE:
        return [b for b in section.blocks if b.protected]
    return list(section.blocks)


def _block_lines(block: Block) -> list[str]:
    if block.kind is BlockKind.LIST:
        numbers: dict[int, int] = {}
        lines = []
        for item in block.items:
            numbers = {d: n for d, n in numbers.items() if d <= item.depth}
            numbers[item.depth] = numbers.get(item.depth, 0) + 1
            lines.append(f"{numbers[item.depth]}. {item.text}" if block.ordered else item.text)
        return lines
    if block.kind is BlockKind.TABLE:
        lines = []
        for row in block.rows:
            cells = [
                f"{head}: {cell}" if head else cell
                for head, cell in zip((*block.header, *[""] * len(row)), row, strict=False)
                if cell
            ]
            if cells:
                lines.append("; ".join(cells))
        return lines
    return [block.text] if block.text.strip() else []


FIRST_WORDS = 6  # an untitled chapter is named after this many of its first words


def _first_words(blocks: Sequence[tuple[Line, ...]]) -> str | None:
    """The name of a chapter without a heading: its first sentence when short, else its first
    FIRST_WORDS words and an ellipsis ("Take one tablet each morning")."""
    for block in blocks[1:]:  # after the announcement
        for line in block:
            for sentence in line:
                words = sentence.split()
                if any(ch.isalnum() for ch in sentence):
                    if len(words) <= FIRST_WORDS + 2:
                        return " ".join(words).rstrip(".:;,!?")
                    return " ".join(words[:FIRST_WORDS]).rstrip(".:;,!?") + "…"
    return None


def _same_words(a: str, b: str) -> bool:
    def words(text: str) -> list[str]:
        return "".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace()).split()

    return words(a) == words(b)


def build_script(article: Article, split: Callable[[str], list[str]]) -> Script:
    """The words the spoken version says, in order: the title, then each section announced
    ("Section 3 of 7: Potential risks."), protected ones introduced, then read in full.

    A protected section whose heading is its introduction ("Disclaimer") is introduced once,
    by its heading. A section without a heading (the text before the first one) is named
    after its first words, which say more than "Section 1" in a player's list of chapters."""
    # A heading with no text of its own (a parent of subsections) is still a place to jump to.
    sections = [
        s
        for s in article.sections
        if _spoken(s) or (s.heading and s.kind is not SectionKind.BOILERPLATE)
    ]

    def line(text: str) -> Line:
        return tuple(split(" ".join(text.split())))

    wording = wording_for(article.language)

    def introduction(kind: SectionKind | None) -> str | None:
        label = wording.label(kind) if kind else None
        return f"{label}." if label else None

    chapters = [SpokenSection(None, article.title, ((line(article.title),),), level=1)]
    for number, section in enumerate(sections, 1):
        heading = " ".join((section.heading or "").split())
        announce = wording.section.format(number=number, total=len(sections)) + (
            f": {heading}" if heading else ""
        )
        if not announce.endswith((".", "?", "!", ":")):
            announce += "."
        first = [line(announce)]
        intro = introduction(section.kind)
        if section.protected and intro and not _same_words(heading, intro):
            first.append(line(intro))
        blocks: list[tuple[Line, ...]] = [tuple(first)]
        # A run of protected blocks (a lead-in and its list) is one box: introduced once.
        for kind, run in block_runs(_spoken(section)):
            stray = introduction(kind)
            if stray and not section.protected:
                blocks.append((line(stray),))
            for block in run:
                lines = [line(text) for text in _block_lines(block)]
                lines = [spoken for spoken in lines if spoken]
                if lines:
                    blocks.append(tuple(lines))
        # A protected section without a heading is named as the print version labels it.
        title = heading or (
            intro.rstrip(".")
            if section.protected and intro
            else _first_words(blocks) or wording.untitled.format(number=number)
        )
        chapters.append(SpokenSection(section.index, title, tuple(blocks), section.level))
    return Script(article.title, article.language, tuple(chapters))


@dataclass(frozen=True)
class Chapter:
    title: str
    start: int  # first sample
    end: int  # one past the last sample


@dataclass(frozen=True)
class Clip:
    """Where one sentence of the script starts in the audio (it lasts until the next one of its
    chapter starts, or the chapter ends). `block` and `line` place it in its chapter (block 0,
    line 0 is the announcement)."""

    chapter: int
    block: int
    line: int
    text: str
    start: int


@dataclass(frozen=True)
class Speech:
    """The whole spoken version as PCM, with where each chapter and sentence starts and ends."""

    frames: bytes
    sample_rate: int
    chapters: tuple[Chapter, ...]
    clips: tuple[Clip, ...] = ()

    @property
    def seconds(self) -> float:
        return len(self.frames) / SAMPLE_WIDTH / self.sample_rate

    def chapter_frames(self, chapter: Chapter) -> bytes:
        return self.frames[chapter.start * SAMPLE_WIDTH : chapter.end * SAMPLE_WIDTH]


def _pauses(script: Script) -> Iterator[tuple[tuple[int, int, int], str | None, int]]:
    """((chapter, block, line), sentence or None at a chapter's start, silence in ms after it)."""
    for number, chapter in enumerate(script.chapters):
        yield (number, 0, 0), None, 0
        for b, block in enumerate(chapter.blocks):
            for n, line in enumerate(block):
                for s, sentence in enumerate(line):
                    if s < len(line) - 1:
                        pause = 0
                    elif n < len(block) - 1:
                        pause = LINE_PAUSE
                    elif b < len(chapter.blocks) - 1:
                        pause = BLOCK_PAUSE
                    else:
                        pause = SECTION_PAUSE
                    yield (number, b, n), sentence, pause


def _silence(sample_rate: int, ms: int) -> bytes:
    return bytes(sample_rate * ms // 1000 * SAMPLE_WIDTH)


def pause_seconds(transcript: str) -> float:
    """The silence synthesise() adds for a transcript, read off its layout alone (so that
    `renderer verify` can tell speech from pauses without the article)."""
    body = transcript.rstrip("\n")
    chapters = body.count("\n\n\n")
    blocks = body.count("\n\n") - chapters
    lines = body.count("\n") - 2 * blocks - 3 * chapters
    return (lines * LINE_PAUSE + blocks * BLOCK_PAUSE + (chapters + 1) * SECTION_PAUSE) / 1000


def synthesise(script: Script, engine: SpeechEngine, lexicon: Lexicon, rate: int) -> Speech:
    """Speak the script sentence by sentence: each chapter starts at an exact sample.

    A sentence whose audio is too short for its words (an engine that dropped it) fails the
    article rather than leaving a silent gap in a warning.
    """
    frames = bytearray()
    starts: list[int] = []
    clips: list[Clip] = []
    for place, sentence, pause in _pauses(script):
        if sentence is None:
            starts.append(len(frames) // SAMPLE_WIDTH)
            continue
        number = place[0]
        clips.append(Clip(*place, sentence, len(frames) // SAMPLE_WIDTH))
        if not any(ch.isalnum() for ch in sentence):  # "***": nothing an engine can say
            # Still a clip of its own in a DAISY book, which must not be empty: "????????" in
            # the middle of a line (a mangled word in a real leaflet) had no pause after it.
            frames += _silence(engine.sample_rate, max(pause, UNSAYABLE_PAUSE))
            continue
        said = engine_text(sentence, script.language, lexicon)
        audio = engine.synthesise(said)
        words = len(said.split())
        # Nobody says a word in under a tenth of the time the rate gives it.
        shortest = int(engine.sample_rate * words * 6 / rate) * SAMPLE_WIDTH
        if len(audio) < shortest:
            raise SpeechError(
                f"the speech engine returned {len(audio) // SAMPLE_WIDTH} samples for "
                f"{words} words in chapter {number}: {sentence[:60]!r}"
            )
        frames += audio
        frames += _silence(engine.sample_rate, pause)
    total = len(frames) // SAMPLE_WIDTH
    ends = [*starts[1:], total]
    chapters = tuple(
        Chapter(c.title, start, end)
        for c, start, end in zip(script.chapters, starts, ends, strict=True)
    )
    return Speech(bytes(frames), engine.sample_rate, chapters, tuple(clips))


# --- encoding -----------------------------------------------------------------------------


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


# --- reading back -------------------------------------------------------------------------


@dataclass(frozen=True)
class AudioFacts:
    """What a written audio file says of itself."""

    seconds: float
    sample_rate: int
    title: str | None
    chapters: tuple[tuple[str, float], ...]  # (title, start in seconds), in start order


def read_audio(audio: bytes | Path, audio_format: str) -> AudioFacts:
    """Duration, title and chapters of an MP3 or WAV this module wrote (or any other), from its
    bytes or its file."""
    if audio_format == "mp3":
        return _read_mp3(audio)
    try:
        return _read_wav(audio if isinstance(audio, bytes) else audio.read_bytes())
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


def _read_wav(data: bytes) -> AudioFacts:
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate = wav.getframerate()
            seconds = wav.getnframes() / rate
    except (EOFError, wave.Error) as exc:
        raise SpeechError(f"the WAV cannot be read back: {exc}") from None
    starts: dict[int, int] = {}
    labels: dict[int, str] = {}
    title = None
    for name, body in _chunks(data, 12):
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
    chapters = sorted(
        ((labels.get(i, ""), start / rate) for i, start in starts.items()), key=lambda c: c[1]
    )
    return AudioFacts(seconds, rate, title, tuple(chapters))


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


def _chunks(data: bytes, offset: int) -> Iterator[tuple[bytes, bytes]]:
    while offset + 8 <= len(data):
        name, size = struct.unpack_from("<4sI", data, offset)
        yield name, data[offset + 8 : offset + 8 + size]
        offset += 8 + size + (size % 2)
