"""The spoken version: the script an article is read as (script.py), its synthesis sentence by
sentence (synthesis.py), written as it is spoken to chaptered MP3 (lameenc) or WAV files
(encode.py), the reader of a written file (read.py) and the checker render and verify share
(check.py).

Chapters start at the sample where a section's announcement begins.
"""

from renderer.outputs.audio.check import (
    audio_problems,
    prove_audio,
    prove_readable_audio,
    prove_transcript,
)
from renderer.outputs.audio.encode import (
    LAME_DELAY,
    MP3_BITRATE,
    MP3_QUALITY,
    AudioFiles,
    AudioWriter,
    Mp3Writer,
    Tags,
    WavWriter,
    audio_writer,
    chapter_seconds,
    encode_mp3,
    encode_wav,
    lame_encoder,
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
from renderer.outputs.audio.synthesis import (
    UNSAYABLE_PAUSE,
    Chapter,
    Clip,
    Pcm,
    PcmSink,
    Speech,
    synthesise,
)

__all__ = [
    "BLOCK_PAUSE",
    "LAME_DELAY",
    "LINE_PAUSE",
    "MP3_BITRATE",
    "MP3_QUALITY",
    "SECTION_PAUSE",
    "UNSAYABLE_PAUSE",
    "AudioFacts",
    "AudioFiles",
    "AudioWriter",
    "Chapter",
    "Clip",
    "Line",
    "Mp3Writer",
    "Pcm",
    "PcmSink",
    "Script",
    "Speech",
    "SpokenSection",
    "Tags",
    "WavWriter",
    "audio_problems",
    "audio_writer",
    "build_script",
    "chapter_seconds",
    "encode_mp3",
    "encode_wav",
    "lame_encoder",
    "pause_seconds",
    "prove_audio",
    "prove_readable_audio",
    "prove_transcript",
    "read_audio",
    "synthesise",
]
