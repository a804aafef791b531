"""The speech engine: the only module that touches pyttsx3. Text in, 16-bit mono PCM frames out.

pyttsx3 2.99's file path (`save_to_file` + `runAndWait`) loses audio on Linux, so on Linux this
adapter keeps pyttsx3's engine (one per process, its voices, its espeak-ng binding) but collects
the frames itself. Each workaround below names the upstream report it answers; PITFALLS.md has
the measurements, and tests/outputs/test_speech.py fails if a bug comes back.
"""

from __future__ import annotations

import array
import atexit
import ctypes
import io
import math
import os
import struct
import sys
import tempfile
import threading
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from renderer.errors import DependencyError, RendererError, UsageError

SAMPLE_WIDTH = 2  # bytes: 16-bit signed little-endian samples
INSTALL_HINT = (
    "install a speech engine: `pip install espeakng-loader` (or Debian's `apt install "
    "libespeak-ng1`), then check with `renderer voices`"
)


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None = None


class SpeechEngine(Protocol):
    """What the audio output needs of an engine; tests pass a recording stand-in."""

    description: str
    sample_rate: int

    def voices(self) -> list[Voice]: ...

    def configure(self, voice: str, rate: int) -> None:
        """Use `voice` (an id from voices()) at `rate` words per minute, or raise."""

    def synthesise(self, text: str) -> bytes:
        """The frames of `text` spoken, complete: mono, SAMPLE_WIDTH bytes a sample."""


class SpeechError(RendererError):
    """The engine failed to speak a text it was given."""


def _language_tag(value: str) -> str:
    return value.strip().lower().replace("_", "-")


def choose_voice(voices: Sequence[Voice], wanted: str | None, language: str | None) -> Voice | None:
    """The voice `wanted` names (an id, a name or a language code), else one for `language`.

    None when nothing was asked and no voice speaks the language (the engine's default stays).
    An unknown `wanted` is an error: pyttsx3 silently keeps the old voice (see configure()).
    """
    if wanted:
        key = _language_tag(wanted)
        for voice in voices:
            if key in (voice.id.lower(), voice.name.lower()):
                return voice
        found = voices_for(voices, key)
        if not found:
            raise UsageError(
                f"unknown voice {wanted!r}: `renderer voices` lists the voices of this machine"
            )
        return found[0]
    if not language:
        return None
    # An article that names only its language gets the region most of its readers speak:
    # "en" is read in American English unless it says "en-GB" (or the clinic names a voice).
    found = voices_for(voices, _DEFAULT_REGION.get(_language_tag(language), language))
    return found[0] if found else None


def voices_for(voices: Sequence[Voice], language: str) -> list[Voice]:
    """The voices that speak `language`, best match first: "en-us" itself, then its variants
    ("en" takes en-gb and en-us), then the language of a regional tag ("es" for es-mx)."""
    tag = _language_tag(language)

    def tags(voice: Voice) -> list[str]:
        # espeak-ng names a voice after its language ("roa/fr" speaks fr, listed as fr-fr)
        return [_language_tag(lang) for lang in voice.languages] + [voice.id.rsplit("/", 1)[-1]]

    def accepts(wanted: str, rule: int, t: str) -> bool:
        return (t == wanted, t.startswith(wanted + "-"), wanted.startswith(t + "-"))[rule]

    found: list[Voice] = []
    for wanted in (*_REGIONAL.get(tag, ()), tag):
        for rule in range(3):
            found += [
                v
                for v in voices
                if v not in found and any(accepts(wanted, rule, t) for t in tags(v))
            ]
    return found


# Regions whose speech is closer to a regional voice than to the language's first one: Spanish
# outside Spain to Latin American Spanish ("es-419"), before Castilian.
_LATIN_AMERICA = ("mx", "us", "ar", "bo", "cl", "co", "cr", "cu", "do", "ec", "gt", "hn", "ni",
                  "pa", "pe", "pr", "py", "sv", "uy", "ve")  # fmt: skip
_REGIONAL: dict[str, tuple[str, ...]] = {f"es-{region}": ("es-419",) for region in _LATIN_AMERICA}
_DEFAULT_REGION = {"en": "en-us"}


# --- Linux: espeak-ng through pyttsx3's binding --------------------------------------------


def _load_espeak() -> str:
    """Make libespeak-ng loadable before pyttsx3 looks for it; say which one it is."""
    try:
        import espeakng_loader
    except ImportError:
        data = os.environ.get("ESPEAK_DATA_PATH")
        if data and not (Path(data) / "phontab").is_file():
            # The C library calls exit(1) on a data folder it cannot use: the process would
            # die without a word.
            raise DependencyError(f"ESPEAK_DATA_PATH={data} holds no espeak-ng data") from None
        return "the system's espeak-ng"
    # Without ESPEAK_DATA_PATH the wheel's library looks in a folder that does not exist and
    # calls exit(1). Loading it by path before pyttsx3 does makes pyttsx3's dlopen of
    # "libespeak-ng.so.1" find it already loaded (setting LD_LIBRARY_PATH now would do nothing).
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    ctypes.CDLL(espeakng_loader.get_library_path())
    return "espeak-ng from the espeakng-loader wheel"


class _Espeak:
    """espeak-ng through pyttsx3's binding and voices, frames gathered here.

    espeak is initialised here, before pyttsx3 would do it, in AUDIO_OUTPUT_SYNCHRONOUS mode:
    espeak_Synth() then calls our callback on the caller's thread and returns when the text is
    spoken. pyttsx3's AUDIO_OUTPUT_RETRIEVAL mode speaks on espeak's own thread, and every
    sentence waits for the two threads to hand over; with two workers on two cores that made
    speech 2.5 times slower in wall time than in CPU time (measured with bench/load.py).

    Workarounds, each for a pyttsx3 report:
    - save_to_file + runAndWait returns before espeak has finished and writes no file
      (nateshmbhat/pyttsx3#142, #149, #151, #259): frames are gathered by our own callback, and
      synchronous mode means synthesise() has them all when espeak_Synth() returns.
    - runAndWait() calls stop(), which cancels a queued rate or voice change under load: this
      adapter never calls runAndWait() or stop(); it sets properties directly, synchronises and
      reads them back.
    - the driver gathers audio with `bytes +=`, quadratic in length: a bytearray here.
    - an unknown voice raises nothing and keeps the old one (#59): the voice is read back.
    - espeak cannot be initialised twice in a process, and pyttsx3.init() keeps its engine in a
      WeakValueDictionary, so a dropped engine is rebuilt and crashes: one engine, kept for good.
    - pyttsx3's GetParameter prototype omits the `current` argument (it returns garbage for
      "current value"): a correct prototype is declared here.
    """

    def __init__(self) -> None:
        source = _load_espeak()
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
            from pyttsx3.drivers.espeak import EspeakDriver

            already = EspeakDriver._moduleInitialized
            if not already:
                if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000) == -1:
                    raise RuntimeError("espeak-ng could not be initialised")
                # What pyttsx3's driver then selects; configure() picks the article's voice.
                EspeakDriver._defaultVoice = "gmw/en"
                EspeakDriver._moduleInitialized = True
            self._engine = pyttsx3.init("espeak")
        except (ImportError, OSError, RuntimeError) as exc:
            raise DependencyError(f"no speech engine ({exc}); {INSTALL_HINT}") from None
        if already:
            # pyttsx3 initialised espeak first, in its asynchronous mode, for good: Synth()
            # would return before the speaking is done and the audio would be cut short.
            raise SpeechError(
                "espeak-ng was started by pyttsx3 before renderer's speech engine in this "
                "process; open the engine (renderer.outputs.speech.open_engine) first"
            )
        self._es: Any = _espeak
        info = _espeak.Info()
        version = info.decode() if isinstance(info, bytes) else "?"
        self.description = f"espeak-ng {version}, {source}"
        self.sample_rate = 22050  # espeak-ng's only output rate
        self._lock = threading.Lock()
        self._frames = bytearray()
        self._stopped: BaseException | None = None  # Ctrl-C (or else) raised in the callback
        self._hook_before: Callable[[Any], object] = sys.unraisablehook
        self._get_parameter = _espeak.dll.espeak_GetParameter
        self._get_parameter.argtypes = [ctypes.c_int, ctypes.c_int]
        self._get_parameter.restype = ctypes.c_int
        # Replaces the driver's callback, which would write the audio to files.
        _espeak.SetSynthCallback(self._on_synth)

    def _on_synth(self, wav: Any, count: int, events: Any) -> int:
        if self._stopped is not None:
            return 1  # tells espeak to stop: synthesise() raises what stopped it
        if count > 0:
            self._frames.extend(ctypes.string_at(wav, count * SAMPLE_WIDTH))
        return 0

    def _keep_interrupt(self, unraisable: Any) -> None:
        """sys.unraisablehook while espeak speaks. The callback runs on the caller's thread, so
        a signal handler can run in it, and ctypes would print what it raises (a Ctrl-C) and
        drop it: it is kept here instead, so the next callback stops espeak."""
        if unraisable.object == self._on_synth and self._stopped is None:
            self._stopped = unraisable.exc_value
        else:
            self._hook_before(unraisable)

    def voices(self) -> list[Voice]:
        return [
            Voice(v.id, v.name, tuple(v.languages or ()), v.gender)
            for v in self._engine.getProperty("voices")
        ]

    def configure(self, voice: str, rate: int) -> None:
        es = self._es
        with self._lock:
            es.SetVoiceByName(voice.encode("utf-8"))
            es.SetParameter(es.RATE, rate, 0)
            es.Synchronize()
            current = es.GetCurrentVoice()
            now = current.contents.identifier.decode("utf-8").lower() if current else None
            if now != voice.lower():
                raise UsageError(
                    f"the speech engine did not take voice {voice!r} (it kept {now!r}): "
                    "`renderer voices` lists the voices of this machine"
                )
            if self._get_parameter(es.RATE, 1) != rate:
                raise SpeechError(f"the speech engine did not take the rate {rate} words a minute")

    def synthesise(self, text: str) -> bytes:
        if not any(ch.isalnum() for ch in text):
            raise ValueError(f"nothing to speak in {text!r}")  # an empty text crashes espeak
        es = self._es
        with self._lock:
            self._frames = bytearray()
            self._stopped = None
            self._hook_before, sys.unraisablehook = sys.unraisablehook, self._keep_interrupt
            try:
                status = es.Synth(text, flags=es.CHARS_UTF8 | es.ENDPAUSE)
            finally:
                sys.unraisablehook = self._hook_before
            if self._stopped is not None:
                raise self._stopped
            if status != 0:
                raise SpeechError(f"the speech engine refused {text[:60]!r}")
            return bytes(self._frames)


# --- Windows and macOS: pyttsx3's own drivers (not tried on those systems) ------------------


class _PlatformDriver:
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


_ENGINE: SpeechEngine | None = None
_ENGINE_PID: int | None = None
_ENGINE_LOCK = threading.Lock()


def open_engine(name: str | None = None) -> SpeechEngine:
    """This process's speech engine, started on first use and kept until the process ends.
    `name` picks one (None: the platform's own); the engine seam is built in issue 17."""
    global _ENGINE, _ENGINE_PID
    with _ENGINE_LOCK:
        if _ENGINE is not None and os.getpid() != _ENGINE_PID:
            # A forked child inherits the engine's C state, which neither espeak-ng nor pyttsx3
            # expects (with pyttsx3's own initialisation it hangs: #131).
            raise SpeechError(
                "the speech engine was started before this process was forked; "
                "start worker processes with 'spawn' or 'forkserver'"
            )
        if _ENGINE is None:
            _ENGINE = _Espeak() if sys.platform.startswith("linux") else _PlatformDriver()
            _ENGINE_PID = os.getpid()
            atexit.register(_release)
        return _ENGINE


def _release() -> None:
    # pyttsx3's DriverProxy.__del__ needs `contextlib`, which is gone once the interpreter tears
    # its modules down ("Exception ignored in ... __del__"): let it go while they still exist.
    global _ENGINE
    _ENGINE = None
