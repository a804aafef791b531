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
import ctypes, os, struct, sys, wave

import espeakng_loader

voice, rate, text, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()  # else the library exits
lib = ctypes.CDLL(espeakng_loader.get_library_path())
sample_rate = lib.espeak_Initialize(2, 0, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
if sample_rate <= 0 or lib.espeak_SetVoiceByName(voice.encode()) != 0:
    sys.exit("libespeak-ng did not start")
lib.espeak_SetParameter(1, rate, 0)  # espeakRATE, absolute
if out == "-":
    # As `espeak-ng --stdout` writes: a WAV header claiming the most data, then the samples as
    # they come (a pipe cannot be gone back to), for an encoder reading the other end.
    sink = sys.stdout.buffer
    most = 0x7FFFFFFF
    sink.write(b"RIFF" + struct.pack("<I", most) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, sample_rate, 2 * sample_rate, 2, 16) + b"data" + struct.pack(
        "<I", most - 36))
    put = sink.write
else:
    wav = wave.open(out, "wb")
    wav.setnchannels(1)
    wav.setsampwidth(2)
    wav.setframerate(sample_rate)
    put = wav.writeframesraw
CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

def write(samples, count, events):
    if samples and count > 0:
        put(ctypes.string_at(samples, 2 * count))
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
if out == "-":
    sink.flush()
else:
    wav.close()
"""

# What `lame - OUT` does after `espeak-ng --stdout |`, with lameenc (the renderer's own encoder)
# at the renderer's bit rate and quality: a WAV from standard input (its 44-byte header skipped,
# its sample rate read from it) encoded block by block as it comes, to an MP3 file.
BARE_MP3 = """
import struct, sys

import lameenc

bit_rate, quality, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
source = sys.stdin.buffer
header = source.read(44)
encoder = lameenc.Encoder()
encoder.set_bit_rate(bit_rate)
encoder.set_in_sample_rate(struct.unpack_from("<I", header, 24)[0])
encoder.set_channels(1)
encoder.set_quality(quality)
with open(out, "wb") as mp3:
    while block := source.read(1 << 16):
        mp3.write(encoder.encode(block[: len(block) // 2 * 2]))
    mp3.write(encoder.flush())
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
