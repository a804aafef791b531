"""The spoken version: the script an article is read as (script.py), its synthesis sentence by
sentence (synthesis.py), its encoding as chaptered MP3 (lameenc) or WAV (encode.py), and the
reader that checks a written file (read.py).

Chapters start at the sample where a section's announcement begins.
"""

from renderer.outputs.audio.encode import (
    LAME_DELAY,
    MP3_BITRATE,
    MP3_QUALITY,
    Tags,
    chapter_seconds,
    encode_mp3,
    encode_sections,
    encode_wav,
)
from renderer.outputs.audio.read import AudioFacts, read_audio
from renderer.outputs.audio.script import (
    BLOCK_PAUSE,
    LINE_PAUSE,
    SECTION_PAUSE,
    Line,
    Script,
    SpokenSection,
    build_script,
    pause_seconds,
)
from renderer.outputs.audio.synthesis import UNSAYABLE_PAUSE, Chapter, Clip, Speech, synthesise

__all__ = [
    "BLOCK_PAUSE",
    "LAME_DELAY",
    "LINE_PAUSE",
    "MP3_BITRATE",
    "MP3_QUALITY",
    "SECTION_PAUSE",
    "UNSAYABLE_PAUSE",
    "AudioFacts",
    "Chapter",
    "Clip",
    "Line",
    "Script",
    "Speech",
    "SpokenSection",
    "Tags",
    "build_script",
    "chapter_seconds",
    "encode_mp3",
    "encode_sections",
    "encode_wav",
    "pause_seconds",
    "read_audio",
    "synthesise",
]
