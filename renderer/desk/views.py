"""What the desk's pages show of an article and of a render, prepared for the templates: the
sections as they will print (boxes where the PDF draws them, with the PDF's own labels), the
grades against the target, and each output with what a person does with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from renderer.labels import wording_for
from renderer.manifest import AUDIO_FORMATS, BOOK_NCC, NAME, Manifest
from renderer.model import Article, Block, BlockKind, Readability, Section, SectionKind

KEEP_AS_IS = "Keep as is unless a clinician signs off"


@dataclass(frozen=True)
class BlockView:
    number: int  # its place in the section (what a pin names)
    block: Block

    @property
    def paragraph(self) -> bool:
        return self.block.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE)

    @property
    def what(self) -> str:
        """The block as a person names it: "paragraph", "list", "table", "quotation"."""
        return {"paragraph": "paragraph", "list": "list", "table": "table", "quote": "quotation"}[
            self.block.kind.value
        ]


@dataclass(frozen=True)
class Run:
    """Blocks drawn together: a box of safety text (with its label) or plain text."""

    label: str | None
    blocks: tuple[BlockView, ...]


@dataclass(frozen=True)
class SectionView:
    section: Section
    label: str | None  # the box's label when the whole section is boxed
    runs: tuple[Run, ...]
    grade: str  # "Grade 7.8: meets the target 8", "Too short to grade (rough guide 8.8)"
    over: bool

    @property
    def name(self) -> str:
        return self.section.heading or "(no heading)"


def grade_line(readability: Readability | None, target: float) -> tuple[str, bool]:
    """What the page says of a grade, and whether it is over target (gradable ones only)."""
    if readability is None:
        return "No text to grade", False
    grade = readability.grade
    if not readability.reliable:
        return f"Too short to grade (rough guide {grade:.1f}, target {target:g})", False
    if grade > target:
        return f"Grade {grade:.1f}: over the target {target:g} by {grade - target:.1f}", True
    return f"Grade {grade:.1f}: meets the target {target:g}", False


def section_views(article: Article, target: float) -> list[SectionView]:
    wording = wording_for(article.language)
    views = []
    for section in article.sections:
        numbered = [BlockView(n, b) for n, b in enumerate(section.blocks)]
        if section.protected:
            label = wording.label(section.kind) or wording.risk
            runs: tuple[Run, ...] = (Run(None, tuple(numbered)),)
        else:
            label = None
            runs = _runs(numbered, article.language)
        grade, over = grade_line(section.readability, target)
        views.append(SectionView(section, label, runs, grade, over))
    return views


def _runs(blocks: list[BlockView], language: str) -> tuple[Run, ...]:
    """Consecutive protected blocks of one kind in one box, as the PDF draws them."""
    wording = wording_for(language)
    runs: list[tuple[SectionKind | None, list[BlockView]]] = []
    for view in blocks:
        block = view.block
        kind = (block.protection_kind or SectionKind.RISK) if block.protected else None
        if kind is not None and runs and runs[-1][0] is kind:
            runs[-1][1].append(view)
        else:
            runs.append((kind, [view]))
    return tuple(
        Run(None if kind is None else (wording.label(kind) or wording.risk), tuple(views))
        for kind, views in runs
    )


# -- a render's outputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float

    @property
    def time(self) -> str:
        minutes, seconds = divmod(round(self.start), 60)
        return f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class Outputs:
    """What a rendered article's page offers: each path from the job's results folder."""

    title: str
    pdf: str | None = None
    pages: int | None = None
    audio: str | None = None
    audio_type: str = "audio/mpeg"
    seconds: float | None = None
    chapters: tuple[Chapter, ...] = ()
    transcript: str | None = None
    daisy: bool = False
    epub: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def duration(self) -> str:
        if self.seconds is None:
            return ""
        minutes, seconds = divmod(round(self.seconds), 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def outputs_of(key: str, out_dir: Path) -> Outputs | None:
    """The outputs an article's manifest lists (None when it has none that can be read)."""
    try:
        manifest = Manifest.read(out_dir / key / NAME)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    base = f"{key}/{key}/"
    paths = {kind: base + entry.path for kind, entry in manifest.outputs.items()}
    audio_kind = next((k for k in AUDIO_FORMATS if k in paths), None)
    audio = manifest.audio
    pdf = manifest.pdf
    epub = next((p for k, p in paths.items() if p.endswith(".epub")), None)
    return Outputs(
        title=manifest.article.title,
        pdf=paths.get("pdf"),
        pages=pdf.pages if pdf else None,
        audio=paths.get(audio_kind) if audio_kind else None,
        audio_type="audio/wav" if audio_kind == "wav" else "audio/mpeg",
        seconds=audio.seconds if audio else None,
        chapters=tuple(
            Chapter(c.title, c.start) for c in sorted(audio.chapters, key=lambda c: c.start)
        )
        if audio
        else (),
        transcript=paths.get("transcript.txt"),
        daisy=BOOK_NCC in paths,
        epub=epub,
        warnings=manifest.warnings,
    )
