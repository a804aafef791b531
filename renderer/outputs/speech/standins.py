"""A stand-in engine that needs no speech library: for a machine without audio (a CI runner, a
container) and for fast tests of everything around the speech."""

from __future__ import annotations

import math
import struct

from renderer.errors import UsageError
from renderer.outputs.speech.engine import Voice

# One voice for each language the renderer has words for, and the regions its voice choice
# tells apart, so that every article gets "its" voice as it would from espeak-ng.
_LANGUAGES = {
    "en-us": "English (America)",
    "en-gb": "English (Great Britain)",
    "es": "Spanish (Spain)",
    "es-419": "Spanish (Latin America)",
    "pt": "Portuguese (Portugal)",
    "pt-br": "Portuguese (Brazil)",
    "fr": "French",
    "de": "German",
}
PITCH = 330.0  # Hz: a low hum, not a beep that would tire the ear over an hour
LOUDNESS = 0.05  # of full scale (about -26 dBFS): quiet, and plainly not speech
SOUNDING = 0.75  # of each word's time; the rest is the gap that lets the words be counted
RAMP = 0.01  # seconds of fade in and out, so that a tone starts and stops without a click


class Tone:
    """Each word a short, quiet tone, each as long as the rate gives a word, so a text lasts
    exactly as long as its words take at the rate asked: the renderer's pace check, chapters,
    DAISY clips and MP3 encoding all run as with real speech, in a small fraction of the time.

    Nothing is said: the manifest names this engine, and an article rendered with it is
    rendered again when a real engine is asked for (its description is part of the fingerprint).
    """

    description = "tone (a stand-in for speech: a quiet tone for each word, nothing said)"
    sample_rate = 22050

    def __init__(self) -> None:
        self._voices = [
            Voice(f"tone/{tag}", f"{name}, tone", (tag,)) for tag, name in _LANGUAGES.items()
        ]
        self._voice = self._voices[0].id
        self._rate = 175
        self._word: dict[int, bytes] = {}  # one word's frames by rate: made once, repeated

    def voices(self) -> list[Voice]:
        return list(self._voices)

    def configure(self, voice: str, rate: int) -> None:
        if voice not in {v.id for v in self._voices}:
            raise UsageError(
                f"the speech engine has no voice {voice!r}: `renderer voices --engine tone` "
                "lists its voices"
            )
        if rate <= 0:
            raise UsageError(f"the speech engine cannot speak at {rate} words a minute")
        self._voice, self._rate = voice, rate

    def synthesise(self, text: str) -> bytes:
        if not any(ch.isalnum() for ch in text):
            raise ValueError(f"nothing to speak in {text!r}")  # as espeak-ng refuses it
        return self._one_word() * len(text.split())

    def _one_word(self) -> bytes:
        frames = self._word.get(self._rate)
        if frames is None:
            length = round(self.sample_rate * 60 / self._rate)
            sounding = int(length * SOUNDING)
            ramp = max(1, min(int(self.sample_rate * RAMP), sounding // 2))
            samples = []
            for n in range(sounding):
                edge = min(n, sounding - 1 - n, ramp) / ramp  # 0 at the ends, 1 inside
                fade = 0.5 - 0.5 * math.cos(math.pi * edge)
                wave = math.sin(2 * math.pi * PITCH * n / self.sample_rate)
                samples.append(round(32767 * LOUDNESS * fade * wave))
            samples += [0] * (length - sounding)
            frames = self._word[self._rate] = struct.pack(f"<{length}h", *samples)
        return frames
