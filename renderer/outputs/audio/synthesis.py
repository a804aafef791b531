"""Speaking the script sentence by sentence: each chapter and each sentence starts at an exact
sample of the spoken version, and the PCM goes to its files as it is made (a PcmSink), so that
an hour of speech costs no more memory than a minute."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from renderer.outputs.audio.script import Script, pauses
from renderer.outputs.lexicon import Lexicon
from renderer.outputs.normalise import engine_text
from renderer.outputs.speech import SAMPLE_WIDTH, SpeechEngine, SpeechError

UNSAYABLE_PAUSE = 100  # the least silence read for a sentence without a letter or digit


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
    """Where each chapter and sentence of the spoken version starts and ends, and its length;
    the PCM itself went to a PcmSink as it was spoken."""

    samples: int
    sample_rate: int
    chapters: tuple[Chapter, ...]
    clips: tuple[Clip, ...] = ()

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate


class PcmSink(Protocol):
    """Where synthesise() sends the spoken version as it is made."""

    def chapter(self, number: int) -> None:
        """Chapter `number` of the script starts with the next frames."""

    def write(self, frames: bytes) -> None:
        """The next frames: mono, SAMPLE_WIDTH bytes a sample."""


class Pcm:
    """A PcmSink that keeps the PCM in memory (`frames`): for short texts, tests and benchmarks
    (the renderer writes it to files as it comes: audio.encode.AudioFiles)."""

    def __init__(self) -> None:
        self.frames = bytearray()

    def chapter(self, number: int) -> None:
        pass

    def write(self, frames: bytes) -> None:
        self.frames += frames

    def of(self, chapter: Chapter) -> bytes:
        """The frames of one chapter."""
        return bytes(self.frames[chapter.start * SAMPLE_WIDTH : chapter.end * SAMPLE_WIDTH])


class _Nowhere:
    def chapter(self, number: int) -> None:
        pass

    def write(self, frames: bytes) -> None:
        pass


def _silence(sample_rate: int, ms: int) -> bytes:
    return bytes(sample_rate * ms // 1000 * SAMPLE_WIDTH)


def synthesise(
    script: Script,
    engine: SpeechEngine,
    lexicon: Lexicon,
    rate: int,
    sink: PcmSink | None = None,
) -> Speech:
    """Speak the script sentence by sentence into `sink` (none: only the timings are wanted):
    each chapter starts at an exact sample.

    A sentence whose audio is too short for its words (an engine that dropped it) fails the
    article rather than leaving a silent gap in a warning.
    """
    sink = sink or _Nowhere()
    written = 0  # bytes given to the sink
    starts: list[int] = []
    clips: list[Clip] = []
    for place, sentence, pause in pauses(script):
        if sentence is None:
            starts.append(written // SAMPLE_WIDTH)
            sink.chapter(len(starts) - 1)
            continue
        number = place[0]
        clips.append(Clip(*place, sentence, written // SAMPLE_WIDTH))
        if not any(ch.isalnum() for ch in sentence):  # "***": nothing an engine can say
            # Still a clip of its own in a DAISY book, which must not be empty: "????????" in
            # the middle of a line (a mangled word in a real leaflet) had no pause after it.
            silence = _silence(engine.sample_rate, max(pause, UNSAYABLE_PAUSE))
            sink.write(silence)
            written += len(silence)
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
        silence = _silence(engine.sample_rate, pause)
        sink.write(audio)
        sink.write(silence)
        written += len(audio) + len(silence)
    total = written // SAMPLE_WIDTH
    ends = [*starts[1:], total]
    chapters = tuple(
        Chapter(c.title, start, end)
        for c, start, end in zip(script.chapters, starts, ends, strict=True)
    )
    return Speech(total, engine.sample_rate, chapters, tuple(clips))
