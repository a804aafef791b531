"""Speaking the script sentence by sentence: each chapter and each sentence starts at an exact
sample of the spoken version."""

from __future__ import annotations

from dataclasses import dataclass

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


def _silence(sample_rate: int, ms: int) -> bytes:
    return bytes(sample_rate * ms // 1000 * SAMPLE_WIDTH)


def synthesise(script: Script, engine: SpeechEngine, lexicon: Lexicon, rate: int) -> Speech:
    """Speak the script sentence by sentence: each chapter starts at an exact sample.

    A sentence whose audio is too short for its words (an engine that dropped it) fails the
    article rather than leaving a silent gap in a warning.
    """
    frames = bytearray()
    starts: list[int] = []
    clips: list[Clip] = []
    for place, sentence, pause in pauses(script):
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
