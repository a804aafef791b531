"""The system's own voices through pyttsx3's drivers: SAPI5 on Windows, NSSpeechSynthesizer on
macOS (on Linux, where pyttsx3's driver is espeak-ng, espeak.py is used instead)."""

from __future__ import annotations

import array
import io
import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Any

from renderer.errors import DependencyError, UsageError
from renderer.outputs.speech.engine import INSTALL_HINT, SAMPLE_WIDTH, SpeechError, Voice


class PlatformDriver:
    """SAPI5 or NSSpeechSynthesizer through pyttsx3's file path, one utterance at a time.

    Neither can be run here; each quirk below is handled by design and tested with a stand-in
    engine that behaves like it: macOS writes AIFF whatever the file's name (pyttsx3 #361), and
    SAPI5 takes only whole steps of rate, which pyttsx3 computes so that every rate from about
    142 to 173 words a minute is the same speed.
    """

    def __init__(self, engine: Any = None) -> None:
        if engine is None:
            try:
                import pyttsx3

                engine = pyttsx3.init()
            except (ImportError, OSError, RuntimeError) as exc:
                raise DependencyError(f"no speech engine ({exc}); {INSTALL_HINT}") from None
        self._engine = engine
        self.description = f"pyttsx3 {getattr(engine, 'driver_name', None) or 'driver'}"
        self.sample_rate = 0  # known from the first file the engine writes

    def voices(self) -> list[Voice]:
        return [
            Voice(v.id, v.name or v.id, tuple(v.languages or ()), v.gender)
            for v in self._engine.getProperty("voices")
        ]

    def configure(self, voice: str, rate: int) -> None:
        self._engine.setProperty("voice", voice)
        self._engine.setProperty("rate", engine_rate(self.description, rate))
        self._engine.runAndWait()
        if self._engine.getProperty("voice") != voice:
            raise UsageError(f"the speech engine did not take voice {voice!r}")

    def synthesise(self, text: str) -> bytes:
        with tempfile.TemporaryDirectory(prefix="renderer-speech-") as folder:
            path = Path(folder) / "utterance.wav"
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            try:
                frames, self.sample_rate = read_speech_file(path.read_bytes())
                return frames
            except (OSError, SpeechError) as exc:
                raise SpeechError(
                    f"the speech engine wrote no usable audio for {text[:60]!r}: {exc}"
                ) from None


# pyttsx3's SAPI5 driver turns words a minute into SAPI's rate, a whole number from -10 to 10,
# as int(log(wpm / 156.63, 1.11)): one step is 11 % faster, and int() rounds towards zero, so
# 142-173 wpm all land on 0. Asking for the rate whose step is nearest (in the logarithm) and
# a hair inside it makes the step the one that speaks at `rate`.
_SAPI_BASE_WPM = 156.63
_SAPI_STEP = 1.11
_SAPI_STEPS = range(-10, 11)


def engine_rate(description: str, rate: int) -> int:
    """The words-a-minute value to give pyttsx3 so that the engine speaks at `rate`: SAPI5's
    whole steps are chosen by their real speed; a rate none comes near is an error."""
    if "sapi" not in description.lower():
        return rate
    step = round(math.log(rate / _SAPI_BASE_WPM, _SAPI_STEP))
    if step not in _SAPI_STEPS:
        raise UsageError(f"Windows speech cannot speak at {rate} words a minute")
    spoken = _SAPI_BASE_WPM * _SAPI_STEP**step
    if abs(spoken - rate) / rate > 0.06:  # halfway between two steps is 5.4 % off
        raise UsageError(f"Windows speech cannot speak at {rate} words a minute")
    # int() rounds towards zero: nudge away from zero so the step itself is not rounded off.
    nudge = 1.0005 if step >= 0 else 0.9995
    return math.ceil(spoken * nudge) if step >= 0 else math.floor(spoken * nudge)


def read_speech_file(data: bytes) -> tuple[bytes, int]:
    """The 16-bit mono little-endian frames and sample rate of a WAV or AIFF file (macOS's
    engine writes AIFF whatever the name; Python 3.13 has no `aifc` to read it)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        with wave.open(io.BytesIO(data), "rb") as wav:
            if wav.getnchannels() != 1 or wav.getsampwidth() != SAMPLE_WIDTH:
                raise SpeechError("the speech engine wrote audio that is not 16-bit mono")
            return wav.readframes(wav.getnframes()), wav.getframerate()
    if data[:4] == b"FORM" and data[8:12] in (b"AIFF", b"AIFC"):
        try:
            return _read_aiff(data)
        except struct.error:
            raise SpeechError("the speech engine wrote a damaged AIFF file") from None
    raise SpeechError("the speech engine wrote neither WAV nor AIFF")


def _read_aiff(data: bytes) -> tuple[bytes, int]:
    """AIFF or AIFF-C (uncompressed, big- or little-endian 16-bit) read by its chunks."""
    compressed = data[8:12] == b"AIFC"
    channels = bits = rate = 0
    little = False
    frames = b""
    position = 12
    while position + 8 <= len(data):
        name, size = (
            data[position : position + 4],
            struct.unpack(">I", data[position + 4 : position + 8])[0],
        )
        body = data[position + 8 : position + 8 + size]
        if name == b"COMM":
            channels, _, bits = struct.unpack(">hIh", body[:8])
            rate = round(_extended(body[8:18]))
            if compressed:
                kind = body[18:22]
                if kind not in (b"NONE", b"sowt"):
                    raise SpeechError(f"the speech engine wrote compressed AIFF ({kind!r})")
                little = kind == b"sowt"
        elif name == b"SSND":
            offset = struct.unpack(">I", body[:4])[0]
            frames = body[8 + offset :]
        position += 8 + size + (size % 2)
    if channels != 1 or bits != 8 * SAMPLE_WIDTH or not rate:
        raise SpeechError("the speech engine wrote audio that is not 16-bit mono")
    frames = frames[: len(frames) - len(frames) % SAMPLE_WIDTH]
    if not little:  # AIFF's samples are big-endian; ours are little-endian on every machine
        samples = array.array("h", frames)
        samples.byteswap()
        frames = samples.tobytes()
    return frames, rate


def _extended(raw: bytes) -> float:
    """An IEEE 754 80-bit extended float (AIFF's sample rate)."""
    exponent = struct.unpack(">H", raw[:2])[0]
    mantissa = struct.unpack(">Q", raw[2:10])[0]
    sign = -1 if exponent & 0x8000 else 1
    exponent &= 0x7FFF
    if exponent == 0 and mantissa == 0:
        return 0.0
    return float(sign * mantissa * 2.0 ** (exponent - 16383 - 63))
