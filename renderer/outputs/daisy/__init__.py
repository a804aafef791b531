"""DAISY 2.02 talking books, made from the spoken version's script and speech (never a second
synthesis), and the reader that checks one.

A book is a flat folder: `ncc.html` (the navigation centre: the metadata and one heading per
section, each linking into its SMIL file), `content.html` (the text, each sentence in its own
element), and per section one SMIL 1.0 file and one constant-bit-rate MP3. Each SMIL `par`
pairs a heading or a sentence of `content.html` with its clip of the section's MP3, so a player
jumps by heading, and one that shows text highlights the sentence being read.

Because every sentence has its text, the book is, in the standard's terms, "full audio and full
text" (`ncc:multimediaType` audioFullText): in an "audio with NCC" book a clip could only point
at a heading. Players that only play audio follow the NCC and the SMIL files as for any book.

write.py makes a book, check.py reads one back from its files alone, and standard.py holds what
both must agree on. Another book format (EPUB 3 with media overlays, say) would be one more
package like this one: it needs only the Script, the Speech's clips and the sections' MP3 files.
"""

from renderer.outputs.daisy.check import BookCheck, check_book, claimed_ms, prove_book
from renderer.outputs.daisy.standard import (
    FOLDER,
    FORMAT,
    MULTIMEDIA_TYPE,
    NCC,
    NCC_METADATA,
    SMIL_METADATA,
    TEXT,
    XHTML_NS,
    clock,
)
from renderer.outputs.daisy.write import BookInfo, audio_file, build_book

__all__ = [
    "FOLDER",
    "FORMAT",
    "MULTIMEDIA_TYPE",
    "NCC",
    "NCC_METADATA",
    "SMIL_METADATA",
    "TEXT",
    "XHTML_NS",
    "BookCheck",
    "BookInfo",
    "audio_file",
    "build_book",
    "check_book",
    "claimed_ms",
    "clock",
    "prove_book",
]
