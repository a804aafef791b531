"""What the whole-process benchmarks share: an article written back as Markdown from our own
content/ (so a long test article needs no text from elsewhere), and the raw engine's baseline,
espeak-ng's library run as its command line runs."""

from __future__ import annotations

import re

from renderer.model import Block, BlockKind

# What `espeak-ng -v en -s RATE -w OUT -f TEXT` does, with the espeakng-loader wheel's library:
# one synchronous espeak_Synth of the whole text, each chunk of samples written to the WAV as
# the library hands it over, so that the baseline holds no more audio than the command line.
BARE_SPEECH = """
import ctypes, os, sys, wave

import espeakng_loader

voice, rate, text, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()  # else the library exits
lib = ctypes.CDLL(espeakng_loader.get_library_path())
sample_rate = lib.espeak_Initialize(2, 0, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
if sample_rate <= 0 or lib.espeak_SetVoiceByName(voice.encode()) != 0:
    sys.exit("libespeak-ng did not start")
lib.espeak_SetParameter(1, rate, 0)  # espeakRATE, absolute
wav = wave.open(out, "wb")
wav.setnchannels(1)
wav.setsampwidth(2)
wav.setframerate(sample_rate)
CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

def write(samples, count, events):
    if samples and count > 0:
        wav.writeframesraw(ctypes.string_at(samples, 2 * count))
    return 0

callback = CALLBACK(write)
lib.espeak_SetSynthCallback(callback)
lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                             ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
with open(text, encoding="utf-8") as f:
    data = f.read().encode("utf-8")
# The command line's flags: UTF-8 text, [[phonemes]] allowed, a pause at the end.
if lib.espeak_Synth(data, len(data) + 1, 0, 1, 0, 0x1 | 0x100 | 0x1000, None, None) != 0:
    sys.exit("libespeak-ng failed")
wav.close()
"""


# Markdown punctuation that would start markup in running text; a backslash keeps it literal.
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~&])")


def md(text: str) -> str:
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def markdown_block(block: Block) -> str:
    """A block of an analysed article as Markdown that reads back as the same block."""
    if block.kind is BlockKind.LIST:
        return "\n".join(
            f"{'   ' * item.depth}{'1.' if block.ordered else '-'} {md(item.text)}"
            for item in block.items
        )
    if block.kind is BlockKind.TABLE:
        header = block.header or tuple("" for _ in block.rows[0])
        rows = [header, tuple("---" for _ in header), *block.rows]
        return "\n".join("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows)
    return ("> " if block.kind is BlockKind.QUOTE else "") + md(block.text)
