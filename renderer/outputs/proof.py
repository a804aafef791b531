"""Proof from the files: read an output's text back and check that every protected passage, and
every sentence and heading the output is meant to show, is in it whole and in order.

What each output shows of an article is decided here once, from the analysis JSON that the
manifest embeds, so that render (before writing) and `renderer verify` (from the files alone)
expect exactly the same text."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium

from renderer.labels import ENGLISH, Wording
from renderer.model import ProtectedPassage, SectionKind, comparable_text
from renderer.outputs.audio import AudioFacts, pause_seconds
from renderer.outputs.fonts import MISSING_GLYPH_MARKER
from renderer.outputs.normalise import spoken_words
from renderer.outputs.pdf import sentence_case


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


def body_text(pages: Sequence[str], footer: str, wording: Wording = ENGLISH) -> str:
    """The pages' text joined, without the running footer and "continued" labels that a page
    break puts in the middle of a passage (in the words of the article's language)."""
    continued = [comparable_text(label) for label in wording.continued_labels()]
    page_number = wording.page_number()
    footer_text = comparable_text(footer)
    kept = []
    for page in pages:
        text = comparable_text(page)
        text = page_number.sub("", text).rstrip()
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


@dataclass(frozen=True)
class TextRun:
    """What an output must show of one part of an article, in order: the title, or a section's
    heading (as the output shows it) and then its units (paragraphs, list items, table cells).
    `labels` are table headers: a page too narrow for a table repeats them before each value
    ("Dose: 5 mg"), so they must appear, but not once in a fixed place."""

    section: int | None  # None for the article's title
    name: str | None  # the section's heading as written, to name it in a message
    heading: str | None  # the heading as this output shows it; None when it shows none
    units: tuple[str, ...]
    labels: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        if self.section is None:
            return "the title"
        return f"section {self.section}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True)
class ExpectedText:
    """Everything each output must show of an article (`printed`: the PDF; `spoken`: the
    transcript and the DAISY book's text), and the sections whose blocks do not add up to the
    text the analysis recorded for them (a manifest edited by hand)."""

    printed: tuple[TextRun, ...]
    spoken: tuple[TextRun, ...]
    mismatched: tuple[int, ...] = ()


def complete_text_check(runs: Sequence[TextRun]) -> str:
    """The manifest's line for a passed complete-text proof of an output (after "pdf: " ...)."""
    sections = sum(1 for run in runs if run.section is not None)
    return f"every sentence and heading of {sections} sections whole and in order"


@dataclass(frozen=True)
class _Block:
    units: tuple[str, ...]  # table headers left out: they are labels
    labels: tuple[str, ...]
    protected: bool
    text: str  # as model.Block.plain_text gives it


def _get(data: Any, key: str, kind: Any) -> Any:
    if not isinstance(data, Mapping) or not isinstance(data.get(key), kind):
        raise ValueError(f"{key!r} is missing or of the wrong type")
    return data[key]


def _texts(values: Any, key: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{key!r} must be a list of text")
    return tuple(values)


def _block(item: Any) -> _Block:
    kind = _get(item, "kind", str)
    protected = bool(_get(item, "protected", bool))
    if kind == "list":
        items = tuple(_get(entry, "text", str) for entry in _get(item, "items", list))
        return _Block(items, (), protected, "\n".join(items))
    if kind == "table":
        header = [cell for cell in _texts(_get(item, "header", list), "header") if cell]
        rows = _get(item, "rows", list)
        cells = [cell for row in rows for cell in _texts(row, "rows") if cell]
        return _Block(tuple(cells), tuple(header), protected, "\n".join([*header, *cells]))
    text = _get(item, "text", str)
    return _Block((text,) if text else (), (), protected, text)


def expected_text(analysis: Mapping[str, Any]) -> ExpectedText:
    """What the PDF and the spoken outputs must show of an article, read from its analysis JSON
    (model.article_to_json), mirroring what pdf.py and audio.py are meant to render: the title,
    then every section that is not boilerplate, its heading and every unit of its blocks; a
    boilerplate section is not printed, and only its protected blocks (with its heading) are
    spoken. The classifier's other judgements (protected or not) change nothing here.

    Raises ValueError when the JSON is not the analysis' shape."""
    title = _get(analysis, "title", str)
    printed = [TextRun(None, None, None, (sentence_case(title),))]
    spoken = [TextRun(None, None, None, (title,))]
    mismatched = []
    for section in _get(analysis, "sections", list):
        index = _get(section, "index", int)
        heading = _get(section, "heading", (str, type(None)))
        kind = SectionKind(_get(section, "kind", str))
        blocks = [_block(item) for item in _get(section, "blocks", list)]
        recorded = _get(section, "text", str)
        plain = "\n\n".join(b.text for b in blocks if b.text)  # as model.Section.plain_text
        if plain != recorded and squeeze(plain) != squeeze(recorded):
            mismatched.append(index)
        if kind is not SectionKind.BOILERPLATE:
            shown = sentence_case(heading) if heading else None
            printed.append(_run(index, heading, shown, blocks))
            spoken.append(_run(index, heading, heading, blocks))
        elif said := [b for b in blocks if b.protected]:
            # A disclaimer in a page's small print is still read (audio._spoken).
            spoken.append(_run(index, heading, heading, said))
    return ExpectedText(tuple(printed), tuple(spoken), tuple(mismatched))


def _run(index: int, name: str | None, heading: str | None, blocks: list[_Block]) -> TextRun:
    units = tuple(unit for block in blocks for unit in block.units)
    labels = tuple(label for block in blocks for label in block.labels)
    return TextRun(index, name, heading, units, labels)


def unprintable_chars(runs: Sequence[TextRun], printable: Callable[[str], str]) -> list[str]:
    """The characters of the text that the PDF shows as MISSING_GLYPH_MARKER (`printable` is
    the PDF's fonts' own test), each tested once: what the manifest records as "unprintable"."""
    chars = {
        c for run in runs for text in (run.heading or "", *run.units, *run.labels) for c in text
    }
    return sorted(c for c in chars if printable(c) == MISSING_GLYPH_MARKER)


def shown_as(unprintable: Iterable[str]) -> Callable[[str], str]:
    """Text as the PDF shows it, given the characters no font could draw: render and verify
    compare with this same mapping (a translation table, so a long article costs no Python
    loop over its characters)."""
    table = str.maketrans(dict.fromkeys(unprintable, MISSING_GLYPH_MARKER))
    return lambda text: text.translate(table)


# Problems told before the search stops: an output that lost everything (another article's PDF)
# is told in a few lines, and costs no more than a few searches to the end of its text.
MAX_LOST = 5
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def complete_text_problems(
    runs: Sequence[TextRun], text: str, shown: Callable[[str], str] = str
) -> list[str]:
    """A description of each heading, sentence or table header of `runs` that is not whole and
    in order in `text` (empty: all there). Searched once, front to back: each unit is looked for
    after the one before it, so a sentence dropped or moved is found missing, and the cost is
    one pass over the text however long the article."""
    haystack = squeeze(text)
    problems: list[str] = []
    position = 0
    for run in runs:
        run_start = position
        wanted = [("heading", run.heading)] if run.heading else []
        wanted += [("text", unit) for unit in run.units]
        for what, unit in wanted:
            needle = squeeze(shown(unit))
            found = haystack.find(needle, position)
            if found >= 0:
                position = found + len(needle)
                continue
            # Not moved past: what follows a lost sentence is still looked for where it was.
            lost = _first_lost(unit, haystack, position, shown)
            subject = run.where if run.section is None else f"{what} of {run.where}"
            problems.append(f"{subject} is missing or out of order: {lost[:80]!r}")
            if len(problems) >= MAX_LOST:
                return [*problems, f"stopped looking after {MAX_LOST} missing passages"]
        for label in run.labels:
            if haystack.find(squeeze(shown(label)), run_start) < 0:
                problems.append(f"table header {label!r} of {run.where} is missing")
    return problems


def _first_lost(unit: str, haystack: str, position: int, shown: Callable[[str], str]) -> str:
    """The first sentence of a unit that is not in order after `position`: the one a reader
    would miss (the whole unit when each sentence is there but something came between)."""
    for sentence in _SENTENCE_END.split(unit):
        needle = squeeze(shown(sentence))
        found = haystack.find(needle, position)
        if found < 0:
            return sentence
        position = found + len(needle)
    return unit


# The spoken version may run this much faster or slower than its rate says: espeak-ng speaks
# 5-17% faster than asked, end-of-sentence pauses and spelled-out abbreviations add time. The
# words counted are the ones said (the transcript normalised in the article's language), so a
# web address or a phone number read in full is not taken for doubled speech.
PACE_BAND = (0.5, 1.6)


def audio_problems(
    facts: AudioFacts,
    transcript: str,
    rate: int,
    chapter_titles: Sequence[str],
    language: str,
) -> list[str]:
    """What is wrong with a spoken version read back from its file: a length that does not fit
    the words said for the transcript (in the article's `language`) at `rate`, or chapters that
    are not the script's, in order."""
    problems = []
    words = spoken_words(transcript, language)
    expected = words * 60 / rate
    # A voice reads a letter of a script it does not speak (kana, hanzi, Arabic, Hebrew ...)
    # by its name ("Japanese letter ..."), a word or two each: more speech, never less.
    spelled = sum(1 for c in transcript if unicodedata.category(c) == "Lo")
    longest = (words + 2 * spelled) * 60 / rate
    speech = facts.seconds - pause_seconds(transcript)
    low, high = PACE_BAND
    if not low * expected <= speech <= high * longest:
        problems.append(
            f"{facts.seconds:.1f} s of audio for {words} spoken words at {rate} words a minute "
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
