"""Proof from the files: read an output's text back and check that every protected passage, and
every sentence and heading the output is meant to show, is in it whole and in order.

What each output shows of an article is decided here once (Expected), and each output's checker
takes it: render runs the checker on the files before they get their final names, `renderer
verify` on the files alone, with the article read back from the manifest. So the two cannot
expect different text or check it differently."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from renderer.labels import Wording, wording_for
from renderer.manifest import BookOutput
from renderer.model import (
    Article,
    Block,
    ProtectedPassage,
    SectionKind,
    comparable_text,
    protected_passages,
)
from renderer.outputs.casing import heading_case


def squeeze(text: str) -> str:
    # Compared without any white space: a line break may fall inside a long word or address.
    return "".join(comparable_text(text).split())


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
    transcript and the talking books' text)."""

    printed: tuple[TextRun, ...]
    spoken: tuple[TextRun, ...]


def complete_text_check(runs: Sequence[TextRun]) -> str:
    """The manifest's line for a passed complete-text proof of an output (after "pdf: " ...)."""
    sections = sum(1 for run in runs if run.section is not None)
    return f"every sentence and heading of {sections} sections whole and in order"


def expected_text(article: Article) -> ExpectedText:
    """What the PDF and the spoken outputs must show of an article, mirroring what pdf.py and
    audio.py are meant to render: the title, then every section that is not boilerplate, its
    heading and every unit of its blocks (a table's header cells as labels); a boilerplate
    section is not printed, and only its protected blocks (with its heading) are spoken. The
    classifier's other judgements (protected or not) change nothing here."""
    shown_heading = heading_case(article)  # as the PDF shows headings (casing.py)
    printed = [TextRun(None, None, None, (shown_heading(article.title),))]
    spoken = [TextRun(None, None, None, (article.title,))]
    for section in article.sections:
        index, heading, blocks = section.index, section.heading, section.blocks
        if section.kind is not SectionKind.BOILERPLATE:
            shown = shown_heading(heading) if heading else None
            printed.append(_run(index, heading, shown, blocks))
            spoken.append(_run(index, heading, heading, blocks))
        elif said := tuple(b for b in blocks if b.protected):
            # A disclaimer in a page's small print is still read (audio._spoken).
            spoken.append(_run(index, heading, heading, said))
    return ExpectedText(tuple(printed), tuple(spoken))


def _run(index: int, name: str | None, heading: str | None, blocks: Sequence[Block]) -> TextRun:
    units = tuple(unit for block in blocks for unit in block.values())
    labels = tuple(label for block in blocks for label in block.labels())
    return TextRun(index, name, heading, units, labels)


@dataclass(frozen=True)
class Expected:
    """What every output of one article must hold: its protected passages, all of its text, in
    the words the renderer adds in its language. Render builds it from the article it renders,
    verify from the analysis the manifest records: the same article gives the same Expected."""

    passages: tuple[ProtectedPassage, ...]
    text: ExpectedText
    wording: Wording
    language: str

    @classmethod
    def of(cls, article: Article) -> Expected:
        return cls(
            protected_passages(article),
            expected_text(article),
            wording_for(article.language),
            article.language,
        )


@dataclass
class Findings:
    """What one output's checker found: `problems` (none: it passed), how many checks ran, and
    the lines a manifest records of what was proved."""

    problems: list[str] = field(default_factory=list)
    checks: int = 0
    proved: list[str] = field(default_factory=list)

    def add(self, problems: Iterable[str]) -> None:
        self.checks += 1
        self.problems.extend(problems)

    def text_holds(
        self,
        expected: Expected,
        runs: Sequence[TextRun],
        text: str,
        name: str,
        shown: Callable[[str], str] = str,
    ) -> None:
        """Every protected passage and every sentence and heading of `runs` in `text`."""
        self.add(missing_passages(expected.passages, text, shown))
        self.add(complete_text_problems(runs, text, shown))
        if not self.problems:
            self.proved.append(
                f"{name}: {len(expected.passages)} protected passages whole and in order"
            )
            self.proved.append(f"{name}: {complete_text_check(runs)}")


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


def book_claims(
    headings: Sequence[str], total_ms: int, entry: BookOutput, contents: str = "headings"
) -> list[str]:
    """What a talking book read back says against its manifest entry: its headings (`contents`
    names them as the book does) and the length of its clips."""
    problems = []
    if list(headings) != list(entry.headings):
        problems.append(f"{contents} {list(headings)}, the manifest says {list(entry.headings)}")
    if abs(total_ms / 1000 - entry.seconds) > 0.001:
        problems.append(f"{total_ms / 1000:.3f} s of clips, the manifest says {entry.seconds} s")
    return problems
