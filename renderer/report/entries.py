"""What the reports say of each article: the batch's outcomes (a manifest, or the error that
stopped an article) summarised into entries of a few kilobytes each.

A section is "over target" when it is long enough to grade reliably and its grade is above the
report's `target_grade` (the rule the analysis uses for `meets_target`), so the chart, the tables
and the counts always agree with the target line drawn in the report, even for manifests
rendered with another target. A section too short for the formulas is "too short to grade":
its figure is a rough guide, counted apart, never as over target."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from renderer.config import AUDIO_FORMATS
from renderer.manifest import BOOK_NCC, Manifest, Output
from renderer.model import Section, SectionKind
from renderer.report.plainwords import WordFound, find_plain_words

# A "sentence" of fewer words is a list item or a label ("Nausea and vomiting"): the grade
# formulas say nothing useful about it, so it is never offered as a sentence to rewrite.
MIN_SENTENCE_WORDS = 6

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
class WarningGroup:
    """A warning the article's manifest gave, said once: how often, and where (the sections or
    page regions it was given for, as a person names them)."""

    message: str
    count: int
    places: tuple[str, ...] = ()


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
    hardest: tuple[SentenceEntry, ...]  # its hardest sentences that are over target themselves
    over: bool  # long enough to grade, and graded above the report's target
    over_by: float = 0.0  # grades above the target, when over
    short: bool = False  # graded, but too short for the grade to be more than a rough guide
    difficult: tuple[str, ...] = ()  # its long or uncommon words, as the analysis found them

    @property
    def name(self) -> str:
        """The section as a person names it: its heading, or where it is."""
        if self.heading:
            return self.heading
        return "Opening (no heading)" if self.index == 0 else f"Section {self.index} (no heading)"


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
    plain_words: tuple[WordFound, ...] = ()  # words the plain-language list has plainer ones for
    notes: tuple[WarningGroup, ...] = ()  # the warnings, each said once
    number: int = 0  # position in the batch, from 1 (write_reports sets it): the HTML ids
    rank: int | None = None  # 1 for the article most in need of rewriting (write_reports sets it)

    @property
    def name(self) -> str:
        return self.slug or self.source

    @property
    def heading(self) -> str:
        return self.title or self.slug or self.source

    @property
    def over(self) -> list[SectionEntry]:
        """The sections long enough to grade whose grade is over the target."""
        return [s for s in self.sections if s.over]

    @property
    def short(self) -> list[SectionEntry]:
        """The sections with a grade that are too short for it to be more than a rough guide."""
        return [s for s in self.sections if s.short]

    @property
    def points_over(self) -> float:
        """How far the article's reliably graded sections are over target, added up (grades):
        what the report ranks articles by."""
        return round(sum(s.over_by for s in self.over), 1)

    def section(self, index: int) -> SectionEntry | None:
        return next((s for s in self.sections if s.index == index), None)


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
        plain_words=find_plain_words(
            (
                (s.index, s.plain_text(), s.protected)
                for s in article.sections
                if s.kind is not SectionKind.BOILERPLATE
            ),
            article.language,
        ),
        notes=group_warnings(manifest.warnings),
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
    reliable = None if readability is None else readability.reliable
    over = grade is not None and bool(reliable) and grade > target
    return SectionEntry(
        index=section.index,
        heading=section.heading,
        kind=section.kind.value,
        protected=section.protected,
        words=readability.words if readability else 0,
        sentences=readability.sentences if readability else 0,
        grade=grade,
        reliable=reliable,
        hardest=tuple(
            SentenceEntry(h.text, h.grade)
            for h in (readability.hardest_sentences if readability else ())
            if h.grade > target and len(h.text.split()) >= MIN_SENTENCE_WORDS
        ),
        over=over,
        over_by=round(grade - target, 1) if over and grade is not None else 0.0,
        short=grade is not None and not reliable,
        difficult=readability.difficult_words if readability else (),
    )


# The warnings render writes once per section or page region (pipeline._analysis_warnings):
# "section 3 (Side effects): readability is a rough guide (64 words)" and
# "left out footer: 'Privacy Policy | Terms'".
_PER_SECTION = re.compile(r"section (\d+)(?: \((.*)\))?: (.*?)(?: \(\d+ words\))?", re.DOTALL)
_LEFT_OUT = re.compile(r"left out ([^:]+): .*", re.DOTALL)


def group_warnings(warnings: Sequence[str]) -> tuple[WarningGroup, ...]:
    """The warnings, each said once with how often and where, in the order first given: a note
    repeated for ten sections is one line, not ten."""
    groups: dict[str, list[str | None]] = {}
    for warning in warnings:
        per_section = _PER_SECTION.fullmatch(warning)
        left_out = _LEFT_OUT.fullmatch(warning)
        if per_section:
            index, heading, message = per_section.groups()
            groups.setdefault(message, []).append(heading or f"section {index}")
        elif left_out:
            groups.setdefault("left out as page furniture", []).append(left_out.group(1))
        else:
            groups.setdefault(warning, []).append(None)
    return tuple(
        WarningGroup(message, len(places), tuple(_counted([p for p in places if p is not None])))
        for message, places in groups.items()
    )


def _counted(places: Sequence[str]) -> list[str]:
    """Places in first-seen order, a repeated one once with how often ("footer ×4")."""
    counts: dict[str, int] = {}
    for place in places:
        counts[place] = counts.get(place, 0) + 1
    return [place if n == 1 else f"{place} ×{n}" for place, n in counts.items()]


def _outputs(slug: str | None, outputs: Mapping[str, Output]) -> tuple[OutputEntry, ...]:
    """The article's files, the main ones first, each with its path from the report's folder."""
    kinds = sorted(outputs, key=lambda kind: (_MAIN_ORDER.get(kind, len(_MAIN_ORDER)), kind))
    folder = f"{slug}/" if slug else ""
    return tuple(OutputEntry(kind, folder + outputs[kind].path, outputs[kind]) for kind in kinds)
