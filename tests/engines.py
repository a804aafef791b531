"""Speech engines for the tests, chosen as a clinic would choose one of its own
(`--engine engines:Faulty`, with this folder on the path), so that they run where the speaking
is done, in the worker processes, with nothing of the renderer patched.

Each writes what it is asked to $RENDERER_TEST_LOG, one JSON object a line with the pid of the
process that asked (`calls()` reads them back).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from renderer.outputs.speech import SpeechEngine, SpeechError, Voice, open_engine
from renderer.outputs.speech.standins import Tone

LOG = "RENDERER_TEST_LOG"


def note(call: str, **details: Any) -> None:
    path = os.environ.get(LOG)
    if path:
        line = json.dumps({"pid": os.getpid(), "call": call, **details})
        with open(path, "a", encoding="utf-8") as log:
            log.write(line + "\n")


def calls(log: Path, call: str | None = None) -> list[dict[str, Any]]:
    """What the engines were asked, in order (only `call`s when given)."""
    if not log.exists():
        return []
    found = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    return [c for c in found if call is None or c["call"] == call]


class Recording(Tone):
    """The renderer's tone stand-in (quick, and the length of real speech), writing down each
    engine it starts and each voice, rate and text it is given."""

    description = "recording tone (tests/engines.py)"

    def __init__(self) -> None:
        super().__init__()
        # Whether this process was forked from the batch's preloaded forkserver (batch.py).
        note("start", preloaded="renderer._forkserver" in sys.modules)

    def configure(self, voice: str, rate: int) -> None:
        note("configure", voice=voice, rate=rate)
        super().configure(voice, rate)

    def synthesise(self, text: str) -> bytes:
        note("synthesise", text=text)
        return super().synthesise(text)


class Faulty(Recording):
    """Recording, but a text holding a marker word hangs, spins in C code, crashes or fails."""

    description = "faulty tone (tests/engines.py)"

    def synthesise(self, text: str) -> bytes:
        said = text.lower()
        if "hanghere" in said:
            note("hanging")
            time.sleep(10**6)
        if "spinhere" in said:
            note("spinning")
            re.fullmatch(r"(a+)+b", "a" * 64)  # years in C code that never lets go of the GIL
        if "crashhere" in said:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        if "failhere" in said:
            raise SpeechError("the speech engine refused the word Failhere")
        return super().synthesise(text)


class Watched:
    """The platform's real engine, noting in each process that speaks whether the network is
    reachable from there (a test blocks it in every process of a run)."""

    def __init__(self) -> None:
        self._engine: SpeechEngine = open_engine()  # wrapped, as an engine of one's own may
        self.description = self._engine.description

    @property
    def sample_rate(self) -> int:
        return self._engine.sample_rate

    def voices(self) -> list[Voice]:
        return self._engine.voices()

    def configure(self, voice: str, rate: int) -> None:
        self._engine.configure(voice, rate)

    def synthesise(self, text: str) -> bytes:
        try:
            socket.getaddrinfo("localhost", 80)
            network = "open"
        except OSError as error:
            network = "blocked" if "no network" in str(error) else f"failed: {error}"
        note("synthesise", network=network)
        return self._engine.synthesise(text)


class NotAnEngine:
    """Has no synthesise: `--engine engines:NotAnEngine` must say so in one line."""

    description = "not an engine"
