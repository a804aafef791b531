"""EPUB 3 talking books: the article as reflowable large print, with media overlays that pair
each heading, label and sentence with its clip of the spoken version, so that a reading app
(Thorium, Apple Books, Dolphin EasyReader, Voice Dream) reads it aloud and lights each sentence
as it is read.

It is made from the one synthesis of the script, never a second: the chapters' MP3s are the
DAISY book's very files (written once as the script was spoken), cut at the same times. The text
is laid out from the article as print shows it (layout.py), written with the package, navigation
and style sheet into one zip (write.py), and read back from that file alone by its checker
(check.py); standard.py holds what writer and checker must agree on.
"""

from renderer.outputs.epub.check import EpubCheck, check_epub, epub_runs, prove_epub
from renderer.outputs.epub.layout import BookText, Document, NavEntry, Par, lay_out
from renderer.outputs.epub.standard import ACTIVE_CLASS, CONFORMS_TO, audio_file, clock
from renderer.outputs.epub.write import EpubInfo, EpubStyle, stylesheet, write_epub

__all__ = [
    "ACTIVE_CLASS",
    "CONFORMS_TO",
    "BookText",
    "Document",
    "EpubCheck",
    "EpubInfo",
    "EpubStyle",
    "NavEntry",
    "Par",
    "audio_file",
    "check_epub",
    "clock",
    "epub_runs",
    "lay_out",
    "prove_epub",
    "stylesheet",
    "write_epub",
]
