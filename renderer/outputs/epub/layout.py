"""The book's text laid out from the article, and its media overlays from the one synthesis:
each heading, box label, sentence and table row is an element of an XHTML document, paired with
its clip of its section's MP3 (the same files, cut at the same times, as the DAISY book's).

The text shows the article as print does (lists as lists, tables as tables, safety passages
boxed under the print's label), never DAISY's flattened content.html; what the spoken version
says is laid beside it line by line, and a line that does not say the words shown is an error,
not a book whose highlight drifts from its voice."""

from __future__ import annotations

import html
import itertools
import math
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from renderer.errors import VerificationError
from renderer.labels import Wording, wording_for
from renderer.model import Article, Block, BlockKind, Section, SectionKind, block_runs
from renderer.outputs.audio import Clip, Script, Speech, SpokenSection, chapter_seconds, read_audio
from renderer.outputs.casing import HeadingCase, heading_case
from renderer.outputs.speech import SpeechError

# A document holds at least this many words before a top-level section starts the next one: a
# handout reads as one page that scrolls, and a long article is never one huge file for a
# phone to lay out (reading systems lay out and paginate a document at a time).
SPLIT_WORDS = 2500
# Characters XML 1.0 cannot hold at all; a loader keeps none of them, this is the last guard.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Par:
    """An element shown (`target`, an id in its document) while its clip of chapter
    `chapter`'s MP3 plays, from `begin` to `end` milliseconds."""

    target: str
    chapter: int
    begin: int
    end: int


@dataclass(frozen=True)
class NavEntry:
    label: str
    depth: int  # 0: the title and the top-level sections; 1 below them ...
    target: str  # the id it leads to in its document


@dataclass(frozen=True)
class Document:
    """One XHTML document of the book and its media overlay."""

    number: int  # from 1
    title: str  # its <title>
    body: str  # the markup inside <body>
    pars: tuple[Par, ...]
    nav: tuple[NavEntry, ...]

    @property
    def ms(self) -> int:
        return sum(par.end - par.begin for par in self.pars)


@dataclass(frozen=True)
class BookText:
    title: str  # as the book shows it
    documents: tuple[Document, ...]
    chapters: int  # how many MP3s the overlays play

    @property
    def ms(self) -> int:
        return sum(document.ms for document in self.documents)

    @property
    def headings(self) -> tuple[str, ...]:
        """The navigation document's entries, in order."""
        return tuple(entry.label for document in self.documents for entry in document.nav)


@dataclass(frozen=True)
class _Timed:
    """A sentence of the script (or a chapter's announcement) and its clip in the chapter's MP3."""

    text: str
    begin: int
    end: int


def _e(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _words(text: str) -> list[str]:
    return text.split()


def _levels(chapters: Sequence[SpokenSection]) -> list[int]:
    """h1 for the title, then each section at its level, never more than one below the one
    before and never past h6 (as the DAISY book and the PDF's tags number them)."""
    levels: list[int] = []
    for chapter in chapters:
        level = 1 if not levels else max(2, min(chapter.level, levels[-1] + 1, 6))
        levels.append(level)
    return levels


def _timed_chapter(
    number: int, chapter: SpokenSection, speech: Speech, clips: Sequence[Clip], mp3: Path
) -> tuple[_Timed, dict[tuple[int, int], list[_Timed]]]:
    """A chapter's announcement and its other lines (by block and line), each sentence with its
    clip: a clip lasts until the next one starts, the last until the file's end, counted as the
    DAISY book counts them (lame's delay included, never past what a player reads as the
    file's length), so that the clips of a file cover it."""
    timing = speech.chapters[number]
    rate = speech.sample_rate

    def at(sample: int) -> int:
        return round(chapter_seconds(sample - timing.start, rate, "mp3") * 1000)

    length = min(at(timing.end), math.floor(read_audio(mp3, "mp3").seconds * 1000))
    announcement = [c for c in clips if (c.block, c.line) == (0, 0)]
    rest = [c for c in clips if (c.block, c.line) != (0, 0)]
    if not announcement:
        raise SpeechError(f"section {chapter.title!r} has no announcement to head it")
    edges = [at(c.start) for c in rest] + [length]
    heading = _Timed(" ".join(c.text for c in announcement), 0, edges[0])
    lines: dict[tuple[int, int], list[_Timed]] = {}
    for clip, begin, end in zip(rest, edges, edges[1:], strict=False):
        lines.setdefault((clip.block, clip.line), []).append(_Timed(clip.text, begin, end))
    return heading, lines


class _Lines:
    """A chapter's spoken lines after its announcement, taken in order as the text is laid out;
    each must say the words the text shows."""

    def __init__(self, source: str, title: str, lines: dict[tuple[int, int], list[_Timed]]):
        self._source, self._title = source, title
        self._queue = deque(lines.items())

    def next_place(self) -> tuple[int, int] | None:
        return self._queue[0][0] if self._queue else None

    def take(self, shown: str) -> list[_Timed]:
        if not self._queue:
            self._fail(f"no spoken line is left for {shown[:60]!r}")
        _, timed = self._queue.popleft()
        said = " ".join(t.text for t in timed)
        if _words(said) != _words(shown):
            self._fail(f"the voice says {said[:60]!r} where the text shows {shown[:60]!r}")
        return timed

    def done(self) -> None:
        if self._queue:
            said = " ".join(t.text for t in self._queue[0][1])
            self._fail(f"the voice says {said[:60]!r}, which the text does not show")

    def _fail(self, why: str) -> None:
        raise VerificationError(
            f"the EPUB's text and its spoken version disagree in {self._title!r}: {why}",
            self._source,
        )


def _item_lines(block: Block) -> list[tuple[str, int]]:
    """Each item of a list as the spoken version reads it ("2. Take it with food" when the list
    is ordered: numbered per depth as the script numbers it) and the length of its number."""
    numbers: dict[int, int] = {}
    lines = []
    for item in block.items:
        numbers = {d: n for d, n in numbers.items() if d <= item.depth}
        numbers[item.depth] = numbers.get(item.depth, 0) + 1
        prefix = f"{numbers[item.depth]}. " if block.ordered else ""
        lines.append((prefix + item.text, len(prefix)))
    return lines


def _row_line(header: Sequence[str], row: Sequence[str]) -> str:
    """A table row as the spoken version reads it: "Dose: 5 mg; When: at night"."""
    heads = (*header, *[""] * len(row))
    return "; ".join(
        f"{head}: {cell}" if head else cell for head, cell in zip(heads, row, strict=False) if cell
    )


class _Builder:
    """The markup and pars of the book, document by document, as the article is walked."""

    def __init__(self, article: Article, wording: Wording, case: HeadingCase) -> None:
        self.article, self.wording, self.case = article, wording, case
        self.out: list[str] = []
        self.pars: list[Par] = []
        self.nav: list[NavEntry] = []
        self._ids = itertools.count(1)
        self.chapter = 0
        # The names of the document's boxes so far: a screen reader lists them as landmarks,
        # and two of one name could not be told apart (axe's landmark-unique).
        self._names: dict[str, int] = {}
        # A clip with no element of its own (the announcement of a section without a heading,
        # the number of an ordered item, which the list shows): played with the next element.
        self._pending: tuple[int, int] | None = None
        language = article.language.replace("_", "-").split("-")[0].lower()
        # Labels of a language without translations are English: said so to a screen reader.
        self._label_lang = (
            f' xml:lang="{wording.language}" lang="{wording.language}"'
            if wording.language != language
            else ""
        )

    def new_id(self) -> str:
        return f"t{next(self._ids):04d}"

    def play(self, target: str, begin: int, end: int) -> None:
        if self._pending is not None:
            begin, self._pending = self._pending[0], None
        self.pars.append(Par(target, self.chapter, begin, end))

    def hold(self, begin: int, end: int) -> None:
        self._pending = (self._pending[0] if self._pending else begin, end)

    def extend(self, end: int) -> None:
        """The last element stays shown until `end` (the clip after it is its own)."""
        self.pars[-1] = replace(self.pars[-1], end=end)

    def end_chapter(self, fallback: str) -> None:
        """A clip still held at the chapter's end goes with the element before it, or, in a
        chapter that showed nothing of its own, with the chapter's section."""
        if self._pending is None:
            return
        begin, end = self._pending
        self._pending = None
        if self.pars and self.pars[-1].chapter == self.chapter:
            self.extend(end)
        else:
            self.pars.append(Par(fallback, self.chapter, begin, end))

    def sentences(self, timed: Sequence[_Timed], skip: int = 0) -> str:
        """A line's sentences, each a span paired with its clip; the line's first `skip`
        characters (an ordered item's number, which the list shows) have none."""
        spans = []
        offset = 0
        for sentence in timed:
            start = offset
            offset += len(sentence.text) + 1  # the script's sentences are joined by one space
            shown = sentence.text[max(0, skip - start) :].strip()
            if not shown:
                self.hold(sentence.begin, sentence.end)
                continue
            ident = self.new_id()
            spans.append(f'<span id="{ident}">{_e(shown)}</span>')
            self.play(ident, sentence.begin, sentence.end)
        return " ".join(spans)

    def notice(self, parts: Sequence[tuple[str, str]]) -> str:
        """The attributes of a box: a safety notice, named by its label and the heading over
        it (`parts`: each element's id and text), and numbered when the document has a box of
        that name already."""
        name = " ".join(text for _, text in parts)
        seen = self._names[name] = self._names.get(name, 0) + 1
        naming = (
            f'aria-labelledby="{" ".join(ident for ident, _ in parts)}"'
            if seen == 1
            else f'aria-label="{_e(name)} ({seen})"'
        )
        return f'{naming} class="notice" role="doc-notice" epub:type="notice"'

    def label(self, text: str) -> tuple[str, str]:
        ident = self.new_id()
        return ident, f'<p class="label" id="{ident}"{self._label_lang}>{_e(text)}</p>\n'

    # --- the article's parts ---------------------------------------------------------------

    def title(self, heading: _Timed) -> None:
        shown = self.case(self.article.title)
        ident = self.new_id()
        self.out.append(f'<h1 id="{ident}">{_e(shown)}</h1>\n')
        self.play(ident, heading.begin, heading.end)
        self.nav.append(NavEntry(shown, 0, ident))

    def section(
        self,
        section: Section,
        chapter: SpokenSection,
        level: int,
        heading: _Timed,
        lines: _Lines,
    ) -> None:
        spoken = (
            [b for b in section.blocks if b.protected]
            if section.kind is SectionKind.BOILERPLATE
            else list(section.blocks)
        )
        # A boilerplate section is not printed: its heading has no printed form, and is shown
        # as written (expected_text decides the same).
        shown = section.heading
        if shown and section.kind is not SectionKind.BOILERPLATE:
            shown = self.case(shown)
        section_id = f"s{self.chapter:02d}"
        boxed = section.protected and bool(spoken)
        label = self.wording.label(section.kind) or self.wording.risk
        label_id, label_markup = None, ""
        # The print's label, unless the heading says it already (as the PDF decides).
        if boxed and (not shown or shown.strip().lower() != label.lower()):
            label_id, label_markup = self.label(label)
        heading_id = self.new_id() if shown else None
        parts = [(label_id, label)] if label_id else []
        parts += [(heading_id, shown)] if heading_id and shown else []
        # Only a box is named: a named section is a landmark, and a landmark for every section
        # (two of them "Side effects", in a leaflet of two medicines) would bury the boxes.
        attributes = " " + self.notice(parts) if boxed else ""
        self.out.append(f'<section id="{section_id}"{attributes}>\n{label_markup}')
        if shown and heading_id:
            self.out.append(f'<h{level} id="{heading_id}">{_e(shown)}</h{level}>\n')
            self.play(heading_id, heading.begin, heading.end)
        else:
            self.hold(heading.begin, heading.end)
        depth = max(0, level - 2)
        self.nav.append(NavEntry(shown or chapter.title, depth, heading_id or section_id))
        if lines.next_place() == (0, 1):  # the spoken introduction: "Important safety ..."
            spoken_label = self.wording.label(section.kind) or ""
            intro = lines.take(f"{spoken_label}.")
            begin, end = intro[0].begin, intro[-1].end
            if label_id:
                self.play(label_id, begin, end)
            elif self._pending is not None:
                self.hold(begin, end)
            else:
                self.extend(end)  # no box to label: the heading stays lit while it is said
        for kind, run in block_runs(spoken):
            stray = None if kind is None or section.protected else kind
            if stray is not None:
                text = self.wording.label(stray) or self.wording.risk
                ident, markup = self.label(text)
                over = [(heading_id, shown)] if heading_id and shown else []
                self.out.append(f"<section {self.notice([(ident, text), *over])}>\n{markup}")
                if said := self.wording.label(stray):
                    intro = lines.take(f"{said}.")
                    self.play(ident, intro[0].begin, intro[-1].end)
            for block in run:
                self.block(block, lines)
            if stray is not None:
                self.out.append("</section>\n")
        self.end_chapter(heading_id or section_id)
        self.out.append("</section>\n")

    def block(self, block: Block, lines: _Lines) -> None:
        if block.kind is BlockKind.LIST:
            self.listing(block, lines)
        elif block.kind is BlockKind.TABLE:
            self.table(block, lines)
        elif " ".join(block.text.split()):
            spans = self.sentences(lines.take(block.text))
            if block.kind is BlockKind.QUOTE:
                self.out.append(f"<blockquote><p>{spans}</p></blockquote>\n")
            else:
                self.out.append(f"<p>{spans}</p>\n")

    def listing(self, block: Block, lines: _Lines) -> None:
        tag = "ol" if block.ordered else "ul"
        open_depths: list[int] = []  # the depth of each list open, outermost first
        numbers: dict[int, int] = {}
        for item, (said, skip) in zip(block.items, _item_lines(block), strict=True):
            depth = min(item.depth, open_depths[-1] + 1) if open_depths else 0
            while open_depths and open_depths[-1] > depth:
                self.out.append(f"</li></{tag}>\n")
                open_depths.pop()
            if open_depths and open_depths[-1] == depth:
                self.out.append("</li>\n")
            else:  # a deeper list, inside the item before it (or the first)
                self.out.append(f"<{tag}>\n")
                open_depths.append(depth)
            numbers = {d: n for d, n in numbers.items() if d <= item.depth}
            numbers[item.depth] = numbers.get(item.depth, 0) + 1
            # The number the voice says, whatever the nesting made of the list's own count.
            value = f' value="{numbers[item.depth]}"' if block.ordered else ""
            spans = self.sentences(lines.take(said), skip) if " ".join(said.split()) else ""
            self.out.append(f"<li{value}>{spans}")
        while open_depths:
            self.out.append(f"</li></{tag}>\n")
            open_depths.pop()

    def table(self, block: Block, lines: _Lines) -> None:
        columns = max([len(block.header), *(len(row) for row in block.rows)], default=0)
        if columns == 0:
            return
        self.out.append("<table>\n")
        if any(cell.strip() for cell in block.header):
            cells = [*block.header, *[""] * (columns - len(block.header))]
            heads = "".join(
                f'<th scope="col">{_e(cell)}</th>' if cell.strip() else "<td></td>"
                for cell in cells
            )
            self.out.append(f"<thead><tr>{heads}</tr></thead>\n")
        self.out.append("<tbody>\n")
        for row in block.rows:
            cells = [*row, *[""] * (columns - len(row))]
            shown = "".join(f"<td>{_e(cell)}</td>" for cell in cells)
            said = _row_line(block.header, row)
            if not " ".join(said.split()):
                self.out.append(f"<tr>{shown}</tr>\n")
                continue
            # A row is read as one line ("Dose: 5 mg; When: at night"): it is lit as a whole.
            timed = lines.take(said)
            ident = self.new_id()
            self.out.append(f'<tr id="{ident}">{shown}</tr>\n')
            self.play(ident, timed[0].begin, timed[-1].end)
        self.out.append("</tbody>\n</table>\n")

    def document(self, number: int, title: str) -> Document:
        document = Document(number, title, "".join(self.out), tuple(self.pars), tuple(self.nav))
        self.out, self.pars, self.nav, self._names = [], [], [], {}
        return document


def _documents(script: Script) -> list[list[int]]:
    """The chapters of each document: the title with the first section, then a new document at
    a top-level section once the one before holds SPLIT_WORDS words."""
    groups: list[list[int]] = []
    words = 0
    for number, chapter in enumerate(script.chapters):
        if number > 1 and chapter.level <= 2 and words >= SPLIT_WORDS:
            groups.append([])
            words = 0
        if not groups:
            groups.append([])
        groups[-1].append(number)
        words += sum(len(s.split()) for block in chapter.blocks for line in block for s in line)
    return groups


def lay_out(article: Article, script: Script, speech: Speech, mp3s: Sequence[Path]) -> BookText:
    """The book's documents: the article's text as print shows it (not its boilerplate), with a
    par for every heading, label, sentence and table row, played from `mp3s` (chapter n's MP3,
    as audio.AudioFiles wrote it while the script was spoken; read here for its length)."""
    if len(mp3s) != len(script.chapters):
        raise ValueError(f"{len(mp3s)} MP3s for {len(script.chapters)} chapters")
    by_chapter: dict[int, list[Clip]] = {}
    for clip in speech.clips:
        by_chapter.setdefault(clip.chapter, []).append(clip)
    sections = {section.index: section for section in article.sections}
    builder = _Builder(article, wording_for(article.language), heading_case(article))
    levels = _levels(script.chapters)
    documents = []
    for number, chapters in enumerate(_documents(script), 1):
        for n in chapters:
            chapter = script.chapters[n]
            builder.chapter = n
            heading, timed = _timed_chapter(n, chapter, speech, by_chapter.get(n, []), mp3s[n])
            lines = _Lines(article.source, chapter.title, timed)
            if chapter.section is None:
                builder.title(heading)
            else:
                builder.section(sections[chapter.section], chapter, levels[n], heading, lines)
            lines.done()
        first = builder.nav[0].label if builder.nav else article.title
        documents.append(builder.document(number, first))
    return BookText(builder.case(article.title), tuple(documents), len(script.chapters))
