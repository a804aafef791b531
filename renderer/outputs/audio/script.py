"""The script of the spoken version: the words an article is read as, chapter by chapter, and
the pauses between them.

The script is what the transcript shows, word for word; the speech normaliser and then the
lexicon rewrite a sentence only on its way to the engine (normalise.engine_text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from renderer.labels import wording_for
from renderer.model import Article, Block, BlockKind, Section, SectionKind, block_runs

# Silences added after the engine's own end-of-sentence pause, in milliseconds. espeak-ng
# leaves about 0.4 s at a sentence's end, so the gaps heard are about 0.4 s between sentences,
# 0.7, 1.0 and 1.6 s here (measured on the PCM; README says the same).
LINE_PAUSE = 300  # between list items and table rows
BLOCK_PAUSE = 600  # between paragraphs
SECTION_PAUSE = 1200  # before the next section's announcement

Line = tuple[str, ...]  # one spoken line (paragraph, list item, table row) as its sentences


@dataclass(frozen=True)
class SpokenSection:
    """A chapter of the spoken version: its title and its blocks of lines (the first block is
    the announcement). `section` is the article section's index, None for the title chapter."""

    section: int | None
    title: str
    blocks: tuple[tuple[Line, ...], ...]
    level: int = 2  # 1 for the title, 2 for a top-level section, 3 for a sub-section ...


@dataclass(frozen=True)
class Script:
    title: str
    language: str
    chapters: tuple[SpokenSection, ...]

    def transcript(self) -> str:
        """The script as plain text: a line per spoken line, a blank line between blocks and
        two between chapters."""
        parts = []
        for chapter in self.chapters:
            blocks = ["\n".join(" ".join(line) for line in block) for block in chapter.blocks]
            parts.append("\n\n".join(blocks))
        return "\n\n\n".join(parts) + "\n"


def _spoken(section: Section) -> list[Block]:
    """The blocks of a section that are read: all of them, but of boilerplate only the
    protected ones (a disclaimer in a page's small print is still read)."""
    if section.kind is SectionKind.BOILERPLATE:
        return [b for b in section.blocks if b.protected]
    return list(section.blocks)


def _block_lines(block: Block) -> list[str]:
    if block.kind is BlockKind.LIST:
        numbers: dict[int, int] = {}
        lines = []
        for item in block.items:
            numbers = {d: n for d, n in numbers.items() if d <= item.depth}
            numbers[item.depth] = numbers.get(item.depth, 0) + 1
            lines.append(f"{numbers[item.depth]}. {item.text}" if block.ordered else item.text)
        return lines
    if block.kind is BlockKind.TABLE:
        lines = []
        for row in block.rows:
            cells = [
                f"{head}: {cell}" if head else cell
                for head, cell in zip((*block.header, *[""] * len(row)), row, strict=False)
                if cell
            ]
            if cells:
                lines.append("; ".join(cells))
        return lines
    return [block.text] if block.text.strip() else []


FIRST_WORDS = 6  # an untitled chapter is named after this many of its first words


def _first_words(blocks: Sequence[tuple[Line, ...]]) -> str | None:
    """The name of a chapter without a heading: its first sentence when short, else its first
    FIRST_WORDS words and an ellipsis ("Take one tablet each morning")."""
    for block in blocks[1:]:  # after the announcement
        for line in block:
            for sentence in line:
                words = sentence.split()
                if any(ch.isalnum() for ch in sentence):
                    if len(words) <= FIRST_WORDS + 2:
                        return " ".join(words).rstrip(".:;,!?")
                    return " ".join(words[:FIRST_WORDS]).rstrip(".:;,!?") + "…"
    return None


def _same_words(a: str, b: str) -> bool:
    def words(text: str) -> list[str]:
        return "".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace()).split()

    return words(a) == words(b)


def build_script(article: Article, split: Callable[[str], list[str]]) -> Script:
    """The words the spoken version says, in order: the title, then each section announced
    ("Section 3 of 7: Potential risks."), protected ones introduced, then read in full.

    A protected section whose heading is its introduction ("Disclaimer") is introduced once,
    by its heading. A section without a heading (the text before the first one) is named
    after its first words, which say more than "Section 1" in a player's list of chapters."""
    # A heading with no text of its own (a parent of subsections) is still a place to jump to.
    sections = [
        s
        for s in article.sections
        if _spoken(s) or (s.heading and s.kind is not SectionKind.BOILERPLATE)
    ]

    def line(text: str) -> Line:
        return tuple(split(" ".join(text.split())))

    wording = wording_for(article.language)

    def introduction(kind: SectionKind | None) -> str | None:
        label = wording.label(kind) if kind else None
        return f"{label}." if label else None

    chapters = [SpokenSection(None, article.title, ((line(article.title),),), level=1)]
    for number, section in enumerate(sections, 1):
        heading = " ".join((section.heading or "").split())
        announce = wording.section.format(number=number, total=len(sections)) + (
            f": {heading}" if heading else ""
        )
        if not announce.endswith((".", "?", "!", ":")):
            announce += "."
        first = [line(announce)]
        intro = introduction(section.kind)
        if section.protected and intro and not _same_words(heading, intro):
            first.append(line(intro))
        blocks: list[tuple[Line, ...]] = [tuple(first)]
        # A run of protected blocks (a lead-in and its list) is one box: introduced once.
        for kind, run in block_runs(_spoken(section)):
            stray = introduction(kind)
            if stray and not section.protected:
                blocks.append((line(stray),))
            for block in run:
                lines = [line(text) for text in _block_lines(block)]
                lines = [spoken for spoken in lines if spoken]
                if lines:
                    blocks.append(tuple(lines))
        # A protected section without a heading is named as the print version labels it.
        title = heading or (
            intro.rstrip(".")
            if section.protected and intro
            else _first_words(blocks) or wording.untitled.format(number=number)
        )
        chapters.append(SpokenSection(section.index, title, tuple(blocks), section.level))
    return Script(article.title, article.language, tuple(chapters))


def pauses(script: Script) -> Iterator[tuple[tuple[int, int, int], str | None, int]]:
    """((chapter, block, line), sentence or None at a chapter's start, silence in ms after it)."""
    for number, chapter in enumerate(script.chapters):
        yield (number, 0, 0), None, 0
        for b, block in enumerate(chapter.blocks):
            for n, line in enumerate(block):
                for s, sentence in enumerate(line):
                    if s < len(line) - 1:
                        pause = 0
                    elif n < len(block) - 1:
                        pause = LINE_PAUSE
                    elif b < len(chapter.blocks) - 1:
                        pause = BLOCK_PAUSE
                    else:
                        pause = SECTION_PAUSE
                    yield (number, b, n), sentence, pause


def pause_seconds(transcript: str) -> float:
    """The silence synthesise() adds for a transcript, read off its layout alone (so that
    `renderer verify` can tell speech from pauses without the article)."""
    body = transcript.rstrip("\n")
    chapters = body.count("\n\n\n")
    blocks = body.count("\n\n") - chapters
    lines = body.count("\n") - 2 * blocks - 3 * chapters
    return (lines * LINE_PAUSE + blocks * BLOCK_PAUSE + (chapters + 1) * SECTION_PAUSE) / 1000
