"""What the reports say of each article: the batch's outcomes (a manifest, or the error that
stopped an article) summarised into entries of a few kilobytes each.

A section is "over target" when its grade is above the report's `target_grade` (the rule the
analysis uses for `meets_target`), so the chart, the tables and the counts always agree with the
target line drawn in the report, even for manifests rendered with another target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from renderer.config import AUDIO_FORMATS
from renderer.outputs.daisy import FOLDER as DAISY_FOLDER
from renderer.outputs.daisy import NCC

BOOK_FOLDER = f"{DAISY_FOLDER}/"
BOOK_NCC = BOOK_FOLDER + NCC
_MAIN_ORDER = {
    kind: n for n, kind in enumerate(("pdf", *AUDIO_FORMATS, "transcript.txt", BOOK_NCC))
}


@dataclass(frozen=True)
class ArticleOutcome:
    """One input of the batch: its manifest once rendered (or skipped as unchanged), or the
    one-line error that stopped it."""

    source: str  # the input path as given
    slug: str | None  # None when the article failed before a slug folder existed
    manifest: dict[str, Any] | None  # None when it failed
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
    entry: dict[str, Any]  # what the manifest says of it (bytes, pages, seconds...)


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
    verification: dict[str, Any] | None = None
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
    slug = outcome.slug or manifest.get("slug")
    analysis: dict[str, Any] = manifest.get("analysis") or {}
    document: dict[str, Any] = analysis.get("document") or {}
    doc_readability: dict[str, Any] = document.get("readability") or {}
    return ReportEntry(
        source=outcome.source,
        slug=slug,
        status=str(manifest.get("status", "rendered")),
        error=outcome.error,
        reason=manifest.get("reason"),
        title=analysis.get("title"),
        words=document.get("words"),
        grade=doc_readability.get("grade"),
        grade_reliable=doc_readability.get("reliable"),
        sections=tuple(_section(s, target_grade) for s in analysis.get("sections") or []),
        protected=len(analysis.get("protected") or []),
        outputs=_outputs(slug, manifest.get("outputs") or {}),
        dropped=tuple(
            DroppedEntry(str(d.get("region", "")), str(d.get("text", "")), bool(d.get("kept")))
            for d in analysis.get("dropped") or []
        ),
        warnings=tuple(str(w) for w in manifest.get("warnings") or []),
        verification=manifest.get("verification"),
        check_these=tuple(analysis.get("check_these") or []),
        overrides=tuple(analysis.get("overrides") or []),
    )


def _section(data: dict[str, Any], target: float) -> SectionEntry:
    readability: dict[str, Any] | None = data.get("readability")
    hardest = () if readability is None else readability.get("hardest_sentences") or []
    grade = None if readability is None else readability.get("grade")
    return SectionEntry(
        index=int(data.get("index", 0)),
        heading=data.get("heading"),
        kind=str(data.get("kind", "general")),
        protected=bool(data.get("protected")),
        words=int(data.get("words", 0)),
        sentences=int(data.get("sentences", 0)),
        grade=grade,
        reliable=None if readability is None else bool(readability.get("reliable")),
        hardest=tuple(SentenceEntry(str(h.get("text", "")), h.get("grade")) for h in hardest),
        over=grade is not None and grade > target,
    )


def _outputs(slug: str | None, entries: dict[str, Any]) -> tuple[OutputEntry, ...]:
    """The article's files, the main ones first, each with its path from the report's folder."""
    kinds = sorted(entries, key=lambda kind: (_MAIN_ORDER.get(kind, len(_MAIN_ORDER)), kind))
    folder = f"{slug}/" if slug else ""
    return tuple(
        OutputEntry(kind, folder + str(entries[kind].get("path", kind)), entries[kind])
        for kind in kinds
    )
