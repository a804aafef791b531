"""What the reports say of each article: the batch's outcomes (a manifest, or the error that
stopped an article) summarised into entries of a few kilobytes each.

A section is "over target" when its grade is above the report's `target_grade` (the rule the
analysis uses for `meets_target`), so the chart, the tables and the counts always agree with the
target line drawn in the report, even for manifests rendered with another target."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renderer.config import AUDIO_FORMATS
from renderer.manifest import BOOK_NCC, Manifest, Output
from renderer.model import Section

_MAIN_ORDER = {
    kind: n for n, kind in enumerate(("pdf", *AUDIO_FORMATS, "transcript.txt", BOOK_NCC))
}


@dataclass(frozen=True)
class ArticleOutcome:
    """One input of the batch: its manifest once rendered (or skipped as unchanged), or the
    one-line error that stopped it."""

    source: str  # the input path as given
    slug: str | None  # None when the article failed before a slug folder existed
    manifest: Manifest | None  # None when it failed
    error: str | None = None  # the one-line error when it failed


@dataclass(frozen=True)
class SentenceEntry:
    text: str
    grade: float | None


@dataclass(frozen=True)
class SectionEntry:
    index: int
    heading: str | None
    kind: str
    protected: bool
    words: int
    sentences: int
    grade: float | None  # None when the section has no readability (too little text)
    reliable: bool | None
    hardest: tuple[SentenceEntry, ...]
    over: bool  # graded above the report's target


@dataclass(frozen=True)
class DroppedEntry:
    region: str
    text: str
    kept: bool


@dataclass(frozen=True)
class OutputEntry:
    kind: str
    path: str  # relative to the report's folder, with "/" separators
    output: Output  # what the manifest says of it (bytes, pages, seconds...)


@dataclass(frozen=True)
class ReportEntry:
    """What the reports say of one article: a few kilobytes, where its manifest holds all of its
    text. A batch keeps these as its articles finish, not the manifests."""

    source: str
    slug: str | None
    status: str  # "rendered" | "skipped" | "failed"
    error: str | None
    reason: str | None = None
    title: str | None = None
    words: int | None = None
    grade: float | None = None
    grade_reliable: bool | None = None
    sections: tuple[SectionEntry, ...] = ()
    protected: int = 0
    outputs: tuple[OutputEntry, ...] = ()
    dropped: tuple[DroppedEntry, ...] = ()
    warnings: tuple[str, ...] = ()
    passed: bool | None = None  # whether render proved every output; None when it failed
    checks: tuple[str, ...] = ()  # what render proved, one line each
    # The analysis JSON's entries for a person's review (review.check_line/override_line).
    check_these: tuple[dict[str, Any], ...] = ()
    overrides: tuple[dict[str, Any], ...] = ()
    number: int = 0  # position in the batch, from 1 (write_reports sets it): the HTML ids

    @property
    def name(self) -> str:
        return self.slug or self.source

    @property
    def heading(self) -> str:
        return self.title or self.slug or self.source

    @property
    def over(self) -> list[SectionEntry]:
        return [s for s in self.sections if s.over]


def summarise(outcome: ArticleOutcome, target_grade: float) -> ReportEntry:
    """The report's entry for one article; sections over `target_grade` are marked."""
    manifest = outcome.manifest
    if manifest is None:
        error = outcome.error or "failed before a manifest was written"
        return ReportEntry(outcome.source, outcome.slug, "failed", error)
    slug = outcome.slug or manifest.slug
    article = manifest.article
    document = article.readability
    return ReportEntry(
        source=outcome.source,
        slug=slug,
        status=manifest.status,
        error=outcome.error,
        reason=manifest.reason,
        title=article.title,
        words=document.words if document else 0,
        grade=document.grade if document else None,
        grade_reliable=document.reliable if document else None,
        sections=tuple(_section(s, target_grade) for s in article.sections),
        protected=len(manifest.recorded_passages),
        outputs=_outputs(slug, manifest.outputs),
        dropped=tuple(DroppedEntry(d.region, d.text, d.kept) for d in article.dropped),
        warnings=manifest.warnings,
        passed=manifest.passed,
        checks=manifest.checks,
        check_these=tuple(manifest.analysis["check_these"]),
        overrides=tuple(manifest.analysis["overrides"]),
    )


def _section(section: Section, target: float) -> SectionEntry:
    readability = section.readability
    grade = None if readability is None else readability.grade
    return SectionEntry(
        index=section.index,
        heading=section.heading,
        kind=section.kind.value,
        protected=section.protected,
        words=readability.words if readability else 0,
        sentences=readability.sentences if readability else 0,
        grade=grade,
        reliable=None if readability is None else readability.reliable,
        hardest=tuple(
            SentenceEntry(h.text, h.grade)
            for h in (readability.hardest_sentences if readability else ())
        ),
        over=grade is not None and grade > target,
    )


def _outputs(slug: str | None, outputs: Mapping[str, Output]) -> tuple[OutputEntry, ...]:
    """The article's files, the main ones first, each with its path from the report's folder."""
    kinds = sorted(outputs, key=lambda kind: (_MAIN_ORDER.get(kind, len(_MAIN_ORDER)), kind))
    folder = f"{slug}/" if slug else ""
    return tuple(OutputEntry(kind, folder + outputs[kind].path, outputs[kind]) for kind in kinds)
