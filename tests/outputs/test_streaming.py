"""The spoken version written as it is spoken: the streaming MP3 and WAV writers give the bytes of
encoding the whole PCM at once, the section files of one synthesis are the chapters' PCM, a WAV
is read back without its audio, and a render's memory does not grow with the article."""

from __future__ import annotations

import io
import os
import struct
import threading
import tracemalloc
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from conftest import RATE, RecordingEngine
from renderer.analysis.sentences import split_sentences
from renderer.config import Options, SpeechOptions
from renderer.model import Article, Block, BlockKind, Section
from renderer.outputs.audio import (
    LAME_DELAY,
    AudioFiles,
    Chapter,
    Mp3Writer,
    Pcm,
    Tags,
    WavWriter,
    build_script,
    encode_mp3,
    encode_wav,
    lame_encoder,
    read_audio,
    synthesise,
)
from renderer.outputs.audio.encode import _ENCODE_BLOCK, _id3
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.speech import SAMPLE_WIDTH, SpeechError
from renderer.outputs.speech.standins import Tone
from renderer.pipeline import Toolkit, render_file

TAGS = Tags("Leaflet", "renderer test", "en")
RATE_HZ = 22050


def tone(samples: int) -> bytes:
    """A sawtooth of 2,000 samples a period, as test_audio's tone, but made a period at a time."""
    period = struct.pack("<2000h", *((i * 37) % 2000 - 1000 for i in range(2000)))
    return (period * (samples // 2000 + 1))[: samples * SAMPLE_WIDTH]


def pieces(data: bytes, sizes: tuple[int, ...]) -> Iterator[bytes]:
    """`data` in pieces of the given sizes in turn (samples), as sentences reach the writers:
    small, large, empty, and across lame's block boundary."""
    start, n = 0, 0
    while start < len(data):
        size = sizes[n % len(sizes)] * SAMPLE_WIDTH
        yield data[start : start + size]
        start, n = start + size, n + 1


def bare_lame(frames: bytes, sample_rate: int) -> bytes:
    """lame given the whole PCM in one call, as a script of its own would use it."""
    encoder = lame_encoder(sample_rate)
    return bytes(encoder.encode(frames) + encoder.flush())


PCM = tone(RATE_HZ * 75)  # 75 s: 3.3 MB, more than three of lame's blocks
CHAPTERS = (
    Chapter("Title", 0, RATE_HZ * 5),
    Chapter("Risks", RATE_HZ * 5, RATE_HZ * 40),
    Chapter("Help", RATE_HZ * 40, RATE_HZ * 75),
)
SIZES = (RATE_HZ * 3, 0, 17, RATE_HZ * 25, _ENCODE_BLOCK // SAMPLE_WIDTH, 1)


def test_the_streamed_mp3_is_its_tag_then_lame_on_the_whole_pcm() -> None:
    assert len(PCM) > 3 * _ENCODE_BLOCK
    file = io.BytesIO()
    writer = Mp3Writer(file, RATE_HZ, TAGS, [c.title for c in CHAPTERS])
    for piece in pieces(PCM, SIZES):
        writer.write(piece)
    writer.finish(CHAPTERS)
    data = file.getvalue()
    assert data == _id3(TAGS, CHAPTERS, RATE_HZ) + bare_lame(PCM, RATE_HZ)
    assert data == encode_mp3(PCM, RATE_HZ, TAGS, CHAPTERS)
    # The chapter times, known only at the end, are in the tag at the head of the file.
    chaps = {c.element_id: c for c in MP3(io.BytesIO(data)).tags.getall("CHAP")}
    assert chaps["chp0"].start_time == 0
    assert chaps["chp1"].start_time == round((RATE_HZ * 5 + LAME_DELAY) * 1000 / RATE_HZ)
    assert chaps["chp2"].end_time == round((RATE_HZ * 75 + LAME_DELAY) * 1000 / RATE_HZ)


class FullDisk(io.BytesIO):
    """A file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.room:
            raise OSError(28, "No space left on device")
        return super().write(data)


def lame_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == "lame")


def test_a_full_disk_under_lame_is_told_by_the_speaking_thread_which_it_stops() -> None:
    # lame writes on a thread of its own: the failure comes back where the PCM goes in, and
    # closing the writer leaves no thread behind.
    writer = Mp3Writer(FullDisk(20_000), RATE_HZ, TAGS)
    with pytest.raises(OSError, match="No space left"):
        for piece in pieces(PCM, SIZES):
            writer.write(piece)
        writer.finish()
    writer.close()
    assert lame_threads() == 0


def test_an_mp3_of_nothing_is_still_a_file_lame_made() -> None:
    assert encode_mp3(b"", RATE_HZ, TAGS) == _id3(TAGS, (), RATE_HZ) + bare_lame(b"", RATE_HZ)


def old_wav(frames: bytes, sample_rate: int, tags: Tags, chapters: tuple[Chapter, ...]) -> bytes:
    """A WAV as the renderer wrote one from the whole PCM in memory before it streamed: the wave
    module's header and data, then a cue point and label per chapter and an INFO list."""

    def chunk(name: bytes, body: bytes) -> bytes:
        return name + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(sample_rate)
        wav.writeframes(frames)
    riff = bytearray(buffer.getvalue())
    points = b"".join(
        struct.pack("<II4sIII", n + 1, c.start, b"data", 0, 0, c.start)
        for n, c in enumerate(chapters)
    )
    riff += chunk(b"cue ", struct.pack("<I", len(chapters)) + points)
    labels = b"".join(
        chunk(b"labl", struct.pack("<I", n + 1) + c.title.encode() + b"\0")
        for n, c in enumerate(chapters)
    )
    riff += chunk(b"LIST", b"adtl" + labels)
    info = chunk(b"INAM", tags.title.encode() + b"\0") + chunk(
        b"IART", tags.creator.encode() + b"\0"
    )
    riff += chunk(b"LIST", b"INFO" + info)
    struct.pack_into("<I", riff, 4, len(riff) - 8)
    return bytes(riff)


def test_the_streamed_wav_is_the_wav_of_the_whole_pcm() -> None:
    file = io.BytesIO()
    writer = WavWriter(file, RATE_HZ, TAGS)
    for piece in pieces(PCM, SIZES):
        writer.write(piece)
    writer.finish(CHAPTERS)
    assert file.getvalue() == old_wav(PCM, RATE_HZ, TAGS, CHAPTERS)
    with wave.open(io.BytesIO(file.getvalue()), "rb") as wav:
        assert wav.readframes(wav.getnframes()) == PCM


def test_a_wav_is_read_from_its_file_without_its_audio(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    data = encode_wav(PCM * 4, RATE_HZ, TAGS, CHAPTERS)  # 13 MB
    path.write_bytes(data)
    tracemalloc.start()
    try:
        facts = read_audio(path, "wav")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert facts == read_audio(data, "wav")
    assert facts.seconds == 300 and facts.title == "Leaflet"
    assert [title for title, _ in facts.chapters] == ["Title", "Risks", "Help"]
    assert peak < len(data) // 100  # the head and the chunks after the audio, no more


def para(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text=text)


def test_the_files_of_one_synthesis_are_its_chapters(tmp_path: Path) -> None:
    article = Article(
        "test.md",
        "Leaflet",
        "en",
        (
            Section(0, "Rest", (para("Rest at home. Drink water often. " * 40),)),
            Section(1, "Help", (para("Call us if you feel worse. " * 30),)),
        ),
    )
    script = build_script(article, split_sentences)
    titles = [c.title for c in script.chapters]
    pcm = Pcm()
    engine = RecordingEngine()
    reference = synthesise(script, engine, load_lexicon(), RATE, pcm)
    whole, wav = tmp_path / "whole.mp3", tmp_path / "whole.wav"
    parts = [(tmp_path / f"{n}.mp3", tmp_path / f"copy-{n}.mp3") for n in range(len(titles))]
    waves = [(tmp_path / f"{n}.wav",) for n in range(len(titles))]
    with AudioFiles(engine.sample_rate, TAGS, titles) as files:
        files.whole(whole, "mp3")
        files.whole(wav, "wav")
        files.sections(parts, "mp3")
        files.sections(waves, "wav")
        speech = synthesise(script, RecordingEngine(), load_lexicon(), RATE, files)
        files.finish(speech)
    assert speech == reference
    rate = engine.sample_rate
    assert whole.read_bytes() == encode_mp3(bytes(pcm.frames), rate, TAGS, speech.chapters)
    assert wav.read_bytes() == encode_wav(bytes(pcm.frames), rate, TAGS, speech.chapters)
    for number, chapter in enumerate(speech.chapters):
        tags = TAGS.of_section(number, chapter.title, len(titles))
        mp3, copy = parts[number]
        assert mp3.read_bytes() == copy.read_bytes() == encode_mp3(pcm.of(chapter), rate, tags)
        assert waves[number][0].read_bytes() == encode_wav(pcm.of(chapter), rate, tags)
    assert MP3(parts[1][0]).tags["TIT2"].text == ["Leaflet: Rest"]


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_an_engine_that_fails_midway_leaves_no_file_open(tmp_path: Path) -> None:
    article = Article("t.md", "Leaflet", "en", (Section(0, "Risks", (para("Rest. Faint."),)),))
    script = build_script(article, split_sentences)
    titles = [c.title for c in script.chapters]
    before = open_files()
    with pytest.raises(SpeechError, match="Faint"), AudioFiles(8000, TAGS, titles) as files:
        files.whole(tmp_path / "whole.mp3", "mp3")
        files.sections([(tmp_path / f"{n}.mp3",) for n in range(len(titles))], "mp3")
        synthesise(script, RecordingEngine(drop="Faint"), load_lexicon(), RATE, files)
    assert open_files() == before  # neither the whole nor the chapter being spoken
    assert lame_threads() == 0


# --- memory -------------------------------------------------------------------------------------

SLOW = 80  # words a minute: the slowest rate, the most audio for the fewest words
PARAGRAPH = (
    "Rest at home and drink plenty of water. Take your tablets with food each morning. "
    "Call the clinic if the pain gets worse or you feel faint. "
)


def long_leaflet(path: Path, sections: int, paragraphs: int) -> int:
    """A Markdown leaflet of `sections` sections of `paragraphs` paragraphs; its word count."""
    # Its language said, so that the language detector's model (loaded once a process, about
    # 100 MB at its peak) is not counted as the article's.
    parts = ["---\nlang: en\n---\n# A long leaflet"]
    for n in range(sections):
        parts.append(f"## Part {n + 1}")
        parts += [f"Note {m + 1} of part {n + 1}. {PARAGRAPH}" for m in range(paragraphs)]
    text = "\n\n".join(parts) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.split())


def test_memory_does_not_grow_with_the_article(tmp_path: Path) -> None:
    # The tone stand-in says each word in exactly 60/rate seconds: at 80 words a minute 1,600
    # words are 20 minutes of audio, 53 MB of PCM. What a render holds in Python objects at
    # once (tracemalloc's peak; lame's own buffers are not counted) is a few of lame's 1 MiB
    # blocks, whatever the length: holding the PCM, or a file's bytes, whole would be 10 times
    # the bound. Caches a process loads once (the syllable table) are loaded first, by a short
    # leaflet, so that only what the long one costs is counted.
    speech = SpeechOptions(rate=SLOW, split=True)
    options = Options(formats=("audio", "daisy"), speech=speech)
    kit = Toolkit.load(options, Tone())
    short, source = tmp_path / "short.md", tmp_path / "long.md"
    long_leaflet(short, sections=1, paragraphs=1)
    render_file(short, options, tmp_path / "out", "short", kit)
    words = long_leaflet(source, sections=8, paragraphs=6)
    tracemalloc.start()
    try:
        result = render_file(source, options, tmp_path / "out", "long", kit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.audio_seconds is not None
    pcm = result.audio_seconds * Tone.sample_rate * SAMPLE_WIDTH
    assert words > 1500 and pcm > 50e6
    assert peak < pcm / 5, f"{peak / 1e6:.1f} MB at once for {pcm / 1e6:.0f} MB of PCM"
