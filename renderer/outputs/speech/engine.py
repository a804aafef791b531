"""What a speech engine is: the interface every engine offers, built in or a plugin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from renderer.errors import RendererError

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
    """What the audio output needs of an engine. An engine of one's own offers these and is
    named `--engine MODULE:CALLABLE` (see registry.py). Each process that uses it makes its own
    (the run's, for its voices, and a fresh worker for each article) and calls, in one thread,
    `voices()`, then `configure()` for the article and `synthesise()` for each sentence. A
    SpeechError fails the article with its message; an engine that hangs is stopped by the
    run's time limit."""

    description: str  # recorded in each manifest: a new description renders the articles again
    sample_rate: int  # frames a second of what synthesise() returns

    def voices(self) -> list[Voice]: ...

    def configure(self, voice: str, rate: int) -> None:
        """Use `voice` (an id from voices()) at `rate` words per minute, or raise."""

    def synthesise(self, text: str) -> bytes:
        """The frames of `text` spoken, complete: mono, SAMPLE_WIDTH bytes a sample."""


ENGINE_ATTRIBUTES = ("description", "sample_rate", "voices", "configure", "synthesise")


class SpeechError(RendererError):
    """The engine failed to speak a text it was given."""
