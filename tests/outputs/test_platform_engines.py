"""The Windows and macOS engines, which cannot run here, through stand-ins that behave like them:
macOS writes AIFF whatever the file is called, and SAPI5 speaks only in whole steps of rate."""

from __future__ import annotations

import math
import struct
import wave
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from renderer.errors import UsageError
from renderer.outputs.speech import SpeechError, engine_rate, read_speech_file
from renderer.outputs.speech.system import PlatformDriver

SAMPLES = [0, 1, -1, 1000, -32768, 32767, 258]


def _extended(value: int) -> bytes:
    exponent = value.bit_length() - 1
    return struct.pack(">HQ", 16383 + exponent, value << (63 - exponent))


def aiff(samples: list[int], rate: int = 22050, kind: bytes | None = None) -> bytes:
    """An AIFF (or, with `kind`, AIFF-C) file as NSSpeechSynthesizer writes one."""
    little = kind == b"sowt"
    data = b"".join(struct.pack("<h" if little else ">h", s) for s in samples)
    comm = struct.pack(">hIh", 1, len(samples), 16) + _extended(rate)
    if kind is not None:
        comm += kind + b"\x00"  # compression type and an empty pascal-string name
    chunks = _chunk(b"COMM", comm) + _chunk(b"SSND", struct.pack(">II", 0, 0) + data)
    form = (b"AIFC" if kind is not None else b"AIFF") + chunks
    return b"FORM" + struct.pack(">I", len(form)) + form


def _chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack(">I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def little_endian(samples: list[int]) -> bytes:
    return b"".join(struct.pack("<h", s) for s in samples)


class Voice:
    def __init__(self, voice_id: str) -> None:
        self.id, self.name, self.languages, self.gender = voice_id, voice_id, ["en_US"], None


class StandInEngine:
    """pyttsx3's engine as a driver uses it: properties, save_to_file, runAndWait."""

    def __init__(self, driver_name: str, writes: Any) -> None:
        self.driver_name = driver_name
        self.properties: dict[str, Any] = {"voice": "v1", "voices": [Voice("v1")], "rate": 200}
        self.writes = writes
        self.queued: list[tuple[str, str]] = []

    def getProperty(self, name: str) -> Any:
        return self.properties[name]

    def setProperty(self, name: str, value: Any) -> None:
        if name == "rate" and self.driver_name == "sapi5":
            # what pyttsx3's SAPI5 driver does with words a minute
            value = int(math.log(value / 156.63, 1.11))
        self.properties[name] = value

    def save_to_file(self, text: str, path: str) -> None:
        self.queued.append((text, path))

    def runAndWait(self) -> None:
        for text, path in self.queued:
            Path(path).write_bytes(self.writes(text))
        self.queued.clear()


@pytest.mark.parametrize("kind", [None, b"NONE", b"sowt"])
def test_macos_writes_aiff_into_a_wav_name_and_it_is_read(kind: bytes | None) -> None:
    engine = StandInEngine("nsss", lambda text: aiff(SAMPLES, kind=kind))
    driver = PlatformDriver(engine)
    assert driver.synthesise("Hello.") == little_endian(SAMPLES)
    assert driver.sample_rate == 22050


def test_a_wav_from_the_engine_is_read_as_before() -> None:
    def wav(text: str) -> bytes:
        buffer = BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(16000)
            out.writeframes(little_endian(SAMPLES))
        return buffer.getvalue()

    driver = PlatformDriver(StandInEngine("sapi5", wav))
    assert driver.synthesise("Hello.") == little_endian(SAMPLES)
    assert driver.sample_rate == 16000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not audio at all", "neither WAV nor AIFF"),
        (aiff(SAMPLES)[:30], "damaged AIFF"),
        (aiff(SAMPLES, kind=b"ima4"), "compressed AIFF"),
    ],
)
def test_audio_the_engine_wrote_wrongly_is_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(SpeechError, match=message):
        read_speech_file(data)
    driver = PlatformDriver(StandInEngine("nsss", lambda text: data))
    with pytest.raises(SpeechError, match=r"no usable audio for 'Hello\.'"):
        driver.synthesise("Hello.")


@pytest.mark.parametrize("rate", range(80, 401, 5))
def test_windows_speaks_near_the_rate_asked_not_at_one_speed_for_142_to_173(rate: int) -> None:
    engine = StandInEngine("sapi5", lambda text: b"")
    PlatformDriver(engine).configure("v1", rate)
    step = engine.properties["rate"]
    spoken = 156.63 * 1.11**step  # the speed SAPI's whole step speaks at
    assert abs(spoken - rate) / rate <= 0.06


def test_rates_between_142_and_173_get_different_windows_steps() -> None:
    steps = set()
    for rate in (130, 142, 150, 160, 173, 185):
        engine = StandInEngine("sapi5", lambda text: b"")
        PlatformDriver(engine).configure("v1", rate)
        steps.add(engine.properties["rate"])
    assert len(steps) >= 4


def test_a_rate_windows_cannot_speak_is_one_line() -> None:
    with pytest.raises(UsageError, match="cannot speak at 2000 words a minute"):
        engine_rate("pyttsx3 sapi5", 2000)
    assert engine_rate("pyttsx3 nsss", 2000) == 2000  # other engines take the rate as it is
