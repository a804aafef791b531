"""espeak-ng through pyttsx3's binding (Linux's engine): text in, 16-bit mono PCM frames out.

pyttsx3 2.99's file path (`save_to_file` + `runAndWait`) loses audio on Linux, so this adapter
keeps pyttsx3's engine (one per process, its voices, its espeak-ng binding) but collects the
frames itself. Each workaround below names the upstream report it answers; PITFALLS.md has the
measurements, and tests/outputs/test_speech.py fails if a bug comes back.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from renderer.errors import DependencyError, UsageError
from renderer.outputs.speech.engine import INSTALL_HINT, SAMPLE_WIDTH, SpeechError, Voice


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


class Espeak:
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
