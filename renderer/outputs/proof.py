"""Proof from the files: read an output's text back and check every protected passage is in it."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

import pypdfium2 as pdfium

from renderer.model import ProtectedPassage, comparable_text
from renderer.outputs.audio import AudioFacts, pause_seconds

_PAGE_NUMBER = re.compile(r"Page \d+ of \d+\s*$")


def pdf_pages(data: bytes) -> list[str]:
    """The text layer of each page, in reading order."""
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            # pdfium reads a hyphen that ends a line as U+FFFE (a noncharacter: its guess that
            # the hyphen only breaks a word) and drops the line break after it; reportlab
            # breaks lines only at spaces and draws no hyphen of its own, so it is one the text
            # has ("sodium- free" set as "sodium-" / "free").
            pages.append(textpage.get_text_range().replace("\ufffe", "-"))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def squeeze(text: str) -> str:
    # Compared without any white space: a line break may fall inside a long word or address.
    return "".join(comparable_text(text).split())


def body_text(pages: Sequence[str], footer: str, labels: Iterable[str]) -> str:
    """The pages' text joined, without the running footer and "continued" labels that a page
    break puts in the middle of a passage."""
    continued = [comparable_text(f"{label}, continued") for label in labels]
    footer_text = comparable_text(footer)
    kept = []
    for page in pages:
        text = comparable_text(page)
        text = _PAGE_NUMBER.sub("", text).rstrip()
        if footer_text and text.endswith(footer_text.rstrip()):
            text = text[: len(text) - len(footer_text.rstrip())]
        for label in continued:
            if text.startswith(label):
                text = text[len(label) :]
        kept.append(text)
    return " ".join(kept)


def missing_passages(
    passages: Sequence[ProtectedPassage], text: str, shown: Callable[[str], str] = str
) -> list[str]:
    """A description of each passage that is not whole and in order in `text` (empty: all there).

    `shown` maps a passage's text to what the output could show (a PDF marks characters no
    font can draw), so a marked character is reported as a warning elsewhere, not lost here.
    """
    haystack = squeeze(text)
    problems = []
    position = 0
    for passage in passages:
        start = position
        for unit in passage.units:
            needle = squeeze(shown(unit))
            found = haystack.find(needle, start)
            if found < 0:
                where = f"section {passage.section}" + (
                    f" ({passage.heading})" if passage.heading else ""
                )
                problems.append(
                    f"{passage.kind.value} text of {where} is missing or out of order: {unit[:80]!r}"
                )
                break
            start = found + len(needle)
        else:
            position = start
        for label in passage.labels:
            if squeeze(shown(label)) not in haystack:
                problems.append(f"table header {label!r} of section {passage.section} is missing")
    return problems


# The spoken version may run this much faster or slower than its rate says: espeak-ng speaks
# 5-17% faster than asked, end-of-sentence pauses and spelled-out abbreviations add time.
PACE_BAND = (0.5, 1.6)


def audio_problems(
    facts: AudioFacts, transcript: str, rate: int, chapter_titles: Sequence[str]
) -> list[str]:
    """What is wrong with a spoken version read back from its file: a length that does not fit
    the transcript's words at `rate`, or chapters that are not the script's, in order."""
    problems = []
    words = len(transcript.split())
    expected = words * 60 / rate
    # A voice reads a letter of a script it does not speak (kana, hanzi, Arabic, Hebrew ...)
    # by its name ("Japanese letter ..."), a word or two each: more speech, never less.
    spelled = sum(1 for c in transcript if unicodedata.category(c) == "Lo")
    longest = (words + 2 * spelled) * 60 / rate
    speech = facts.seconds - pause_seconds(transcript)
    low, high = PACE_BAND
    if not low * expected <= speech <= high * longest:
        problems.append(
            f"{facts.seconds:.1f} s of audio for {words} words at {rate} words a minute "
            f"(expected about {expected + facts.seconds - speech:.0f} s)"
        )
    titles = [title for title, _ in facts.chapters]
    if titles != list(chapter_titles):
        problems.append(f"chapters {titles} are not the sections {list(chapter_titles)}")
    starts = [start for _, start in facts.chapters]
    if any(b <= a for a, b in itertools.pairwise(starts)) or (
        starts and starts[-1] >= facts.seconds
    ):
        problems.append(f"chapter starts {starts} are not in order within the audio")
    return problems
