"""Speech: the engine seam. Text in, 16-bit mono PCM frames out, from an engine chosen by name.

engine.py says what an engine is; registry.py finds one by name (built in, installed, or
MODULE:CALLABLE) and keeps one of each per process; espeak.py (Linux), system.py (pyttsx3 on
Windows and macOS) and standins.py (a tone, no speech library) are the built-in ones; voices.py
chooses an article's voice.
"""

from renderer.outputs.speech.engine import (
    INSTALL_HINT,
    SAMPLE_WIDTH,
    SpeechEngine,
    SpeechError,
    Voice,
)
from renderer.outputs.speech.registry import (
    BUILT_IN,
    DEFAULT,
    ENTRY_POINT_GROUP,
    engine_names,
    engine_reference,
    open_engine,
)
from renderer.outputs.speech.system import engine_rate, read_speech_file
from renderer.outputs.speech.voices import choose_voice, voices_for

__all__ = [
    "BUILT_IN",
    "DEFAULT",
    "ENTRY_POINT_GROUP",
    "INSTALL_HINT",
    "SAMPLE_WIDTH",
    "SpeechEngine",
    "SpeechError",
    "Voice",
    "choose_voice",
    "engine_names",
    "engine_rate",
    "engine_reference",
    "open_engine",
    "read_speech_file",
    "voices_for",
]
