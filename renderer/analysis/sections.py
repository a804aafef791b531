"""Classify sections and protect safety content: which text is risk, disclaimer, general or boilerplate."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from renderer.analysis.sentences import split_sentences
from renderer.config import read_toml
from renderer.errors import ConfigError
from renderer.model import Article, Block, BlockKind, DroppedRegion, Section, SectionKind

# A paragraph (list, table) or section is protected when more than this share of its sentences
# carry safety cues ("one risk sentence in two" is a passing mention), and a section also when at
# least this share of its words stands in protected paragraphs.
MOSTLY = 0.5
# Residue paragraphs ("Share this article", "12 comments", "Read more") are a few words long.
_RESIDUE_MAX_WORDS = 10

_PROTECTIVE = (SectionKind.RISK, SectionKind.DISCLAIMER)
_CUE_KEYS = {
    "risk": {"headings", "sentences", "paragraphs"},
    "disclaimer": {"headings", "sentences", "paragraphs"},
    "boilerplate": {"headings", "paragraphs"},
}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_TERM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Cue:
    """One compiled cue list: `search` returns the first text it matched, or None."""

    pattern: re.Pattern[str] | None

    def find(self, text: str) -> tuple[int, str] | None:
        """Where the first match starts in the normalised text, and what it matched."""
        if self.pattern is None:
            return None
        match = self.pattern.search(_normalise(text))
        return (match.start(), match.group(0)) if match else None

    def search(self, text: str) -> str | None:
        found = self.find(text)
        return found[1] if found else None


@dataclass(frozen=True)
class CueSet:
    """The compiled cues, by kind and by where they apply."""

    headings: dict[SectionKind, Cue]
    sentences: dict[SectionKind, Cue]
    paragraphs: dict[SectionKind, Cue]


def _normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


def _read_toml(path: Path | None) -> dict[str, Any]:
    return read_toml(path, "cue file", ("renderer.analysis", "cues.toml"))


def _string_list(value: Any, key: str, path: Path | None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of strings", path)
    return value


_Patterns = list[tuple[str, Path | None]]


def _merge(tables: Iterable[tuple[dict[str, Any], Path | None]]) -> dict[str, dict[str, _Patterns]]:
    merged: dict[str, dict[str, _Patterns]] = {"terms": {}}
    merged.update({kind: {key: [] for key in keys} for kind, keys in _CUE_KEYS.items()})
    for table, path in tables:
        for kind, entries in table.items():
            if kind not in merged:
                allowed = ", ".join(merged)
                raise ConfigError(f"unknown table [{kind}] (allowed: {allowed})", path)
            if not isinstance(entries, dict):
                raise ConfigError(f"[{kind}] must be a table", path)
            for key, value in entries.items():
                if kind != "terms" and key not in _CUE_KEYS[kind]:
                    allowed = ", ".join(sorted(_CUE_KEYS[kind]))
                    raise ConfigError(f"unknown key '{kind}.{key}' (allowed: {allowed})", path)
                patterns = _string_list(value, f"{kind}.{key}", path)
                merged[kind].setdefault(key, []).extend((p, path) for p in patterns)
    return merged


def _compile(patterns: _Patterns, terms: dict[str, _Patterns], where: str, whole: bool) -> Cue:
    """One pattern for a cue list; `whole` cues must match all of the (heading) text."""
    if not patterns:
        return Cue(None)
    alternatives = []
    for pattern, path in patterns:

        def expand(match: re.Match[str], path: Path | None = path) -> str:
            name = match.group(1)
            if name not in terms:
                raise ConfigError(f"{where} cue uses {{{name}}} but [terms] has no '{name}'", path)
            return "(?:" + "|".join(p for p, _ in terms[name]) + ")"

        expanded = _TERM.sub(expand, pattern)
        try:
            compiled = re.compile(expanded, re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(
                f"{where} cue {pattern!r} is not a valid pattern: {exc}", path
            ) from None
        # A cue that matches empty text would match everywhere, or (searched first) hide the
        # defaults' matches: a clinic's file may only add cues.
        if compiled.fullmatch(""):
            raise ConfigError(f"{where} cue {pattern!r} matches empty text", path)
        alternatives.append(f"(?:{expanded})")
    body = "|".join(alternatives)
    if whole:
        # "Comments", "Share this", "Related articles (3)": the whole heading, not a word of it.
        return Cue(re.compile(rf"^(?:{body})\s*(?:\(\d+\)|:)?$", re.IGNORECASE))
    return Cue(re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE))


def load_cues(extra: Sequence[Path] = ()) -> CueSet:
    """The default cues, extended by each of a clinic's cue files in turn."""
    tables = [(_read_toml(None), None), *((_read_toml(p), p) for p in extra)]
    merged = _merge(tables)
    terms = merged.pop("terms")
    kinds = {
        "risk": SectionKind.RISK,
        "disclaimer": SectionKind.DISCLAIMER,
        "boilerplate": SectionKind.BOILERPLATE,
    }
    by_place: dict[str, dict[SectionKind, Cue]] = {
        "headings": {},
        "sentences": {},
        "paragraphs": {},
    }
    for name, kind in kinds.items():
        for place, patterns in merged[name].items():
            whole = kind is SectionKind.BOILERPLATE and place == "headings"
            by_place[place][kind] = _compile(patterns, terms, f"{name}.{place}", whole)
    return CueSet(
        headings=by_place["headings"],
        sentences=by_place["sentences"],
        paragraphs=by_place["paragraphs"],
    )


@dataclass(frozen=True)
class _Verdict:
    kind: SectionKind | None
    reason: str | None


def _sentence_kind(sentence: str, cues: CueSet) -> tuple[SectionKind, str] | None:
    for kind in _PROTECTIVE:
        hit = cues.sentences[kind].search(sentence)
        if hit:
            return kind, hit
    return None


def _judge_units(units: Sequence[str], cues: CueSet, *, paragraph_cues: bool = True) -> _Verdict:
    """Whether text made of these units is itself a warning or disclaimer, and why.

    Paragraph cues decide for a paragraph (list, table) on their own; a whole section is judged
    by the share of its sentences, so one warning paragraph does not protect all its neighbours.
    """
    if paragraph_cues:
        # When a paragraph holds both kinds of cue, the one it leads with names it.
        text = "\n".join(units)
        found = [(hit, kind) for kind in _PROTECTIVE if (hit := cues.paragraphs[kind].find(text))]
        if found:
            (_, cue), kind = min(found, key=lambda pair: pair[0][0])
            return _Verdict(kind, f'{kind.value} cue "{cue}"')
    sentences = [s for unit in units for s in (split_sentences(unit) or [unit]) if s.strip()]
    hits = [h for h in (_sentence_kind(s, cues) for s in sentences) if h]
    if sentences and len(hits) > MOSTLY * len(sentences):
        risk = sum(1 for kind, _ in hits if kind is SectionKind.RISK)
        kind = SectionKind.RISK if risk * 2 >= len(hits) else SectionKind.DISCLAIMER
        first = next(hit for k, hit in hits if k is kind)
        reason = f'{len(hits)} of {len(sentences)} sentences carry safety cues, e.g. "{first}"'
        return _Verdict(kind, reason)
    return _Verdict(None, None)


def _words(text: str) -> int:
    return len(text.split())


def _is_residue(section: Section, cues: CueSet) -> bool:
    residue = cues.paragraphs[SectionKind.BOILERPLATE]
    return all(
        _words(block.plain_text()) <= _RESIDUE_MAX_WORDS and residue.search(block.plain_text())
        for block in section.blocks
    )


def _heading_kind(heading: str | None, cues: CueSet) -> tuple[SectionKind, str] | None:
    if not heading:
        return None
    for kind in (*_PROTECTIVE, SectionKind.BOILERPLATE):
        hit = cues.headings[kind].search(heading)
        if hit:
            return kind, hit
    return None


def classify_section(
    section: Section,
    cues: CueSet,
    inherited: tuple[SectionKind, str] | None = None,
    is_parent: bool = False,
) -> Section:
    """Decide a section's kind and protection, and protect its warning or disclaimer blocks.

    `inherited` is the protective heading cue of an enclosing section, if any; `is_parent`
    says sub-sections follow, so a heading without text of its own is structure, not residue.
    """
    blocks = _classify_blocks(section.blocks, cues)
    judged = replace(section, blocks=blocks)
    by_heading = _heading_kind(section.heading, cues)
    verdict = _judge_units([u for b in blocks for u in b.units()], cues, paragraph_cues=False)
    safety_text = any(b.protected for b in blocks) or verdict.kind is not None

    if by_heading and by_heading[0] in _PROTECTIVE:
        kind, hit = by_heading
        return _protect(judged, kind, f'heading cue "{hit}"')
    if inherited:
        kind, heading = inherited
        return _protect(judged, kind, f'under the heading "{heading}"')
    if not blocks:
        if is_parent:
            return replace(judged, kind=SectionKind.GENERAL, reason=None)
        return replace(judged, kind=SectionKind.BOILERPLATE, reason="no text")
    if not safety_text and (
        (by_heading and by_heading[0] is SectionKind.BOILERPLATE) or _is_residue(judged, cues)
    ):
        cue = f'heading cue "{by_heading[1]}"' if by_heading else "comment, share or link residue"
        return replace(judged, kind=SectionKind.BOILERPLATE, reason=cue)
    total = sum(_words(b.plain_text()) for b in blocks)
    protected_words = sum(_words(b.plain_text()) for b in blocks if b.protected)
    if verdict.kind is not None:
        return _protect(judged, verdict.kind, verdict.reason or "")
    if total and protected_words >= MOSTLY * total:
        kinds = [b.protection_kind for b in blocks if b.protected]
        kind = SectionKind.RISK if SectionKind.RISK in kinds else SectionKind.DISCLAIMER
        share = f"{protected_words} of {total} words are in warning or disclaimer paragraphs"
        return _protect(judged, kind, share)
    return replace(judged, kind=SectionKind.GENERAL, reason=None)


def _classify_block(block: Block, cues: CueSet) -> Block:
    if block.kind is BlockKind.TABLE:
        # A table reads row by row; a header naming side effects or warnings makes it one.
        header = "; ".join(block.header)
        hit = _sentence_kind(header, cues) if header else None
        if hit:
            kind, cue = hit
            return replace(
                block, protected=True, protection_kind=kind, reason=f'table header cue "{cue}"'
            )
        verdict = _judge_units(["; ".join(row) for row in block.rows], cues)
    else:
        verdict = _judge_units(block.units(), cues)
    if verdict.kind is None:
        return replace(block, protected=False, protection_kind=None, reason=None)
    return replace(block, protected=True, protection_kind=verdict.kind, reason=verdict.reason)


def _classify_blocks(blocks: Sequence[Block], cues: CueSet) -> tuple[Block, ...]:
    """Each block judged on its own, except that a protected lead-in ("Do not take it if you:")
    protects the list or table it introduces."""
    out: list[Block] = []
    for block in blocks:
        judged = _classify_block(block, cues)
        lead_in = out[-1] if out else None
        if (
            not judged.protected
            and judged.kind in (BlockKind.LIST, BlockKind.TABLE)
            and lead_in is not None
            and lead_in.protected
            and lead_in.plain_text().rstrip().endswith(":")
        ):
            judged = replace(
                judged,
                protected=True,
                protection_kind=lead_in.protection_kind,
                reason="introduced by a protected lead-in",
            )
        out.append(judged)
    return tuple(out)


def _protect(section: Section, kind: SectionKind, reason: str) -> Section:
    # The section is protected whole, so its blocks need no protection of their own.
    blocks = tuple(
        replace(b, protected=False, protection_kind=None, reason=None) for b in section.blocks
    )
    return replace(section, blocks=blocks, kind=kind, protected=True, reason=reason)


def _safety_kind(text: str, cues: CueSet) -> SectionKind | None:
    """The protective kind of a lone piece of text (a title, a page footer), if it is one."""
    return _judge_units([text], cues).kind if text.strip() else None


def _protected_text(text: str, kind: SectionKind, reason: str) -> Section:
    """A section made of one protected paragraph (its index is set when sections are joined)."""
    return Section(
        index=0,
        heading=None,
        blocks=(Block(BlockKind.PARAGRAPH, text=text),),
        kind=kind,
        protected=True,
        reason=reason,
    )


def classify_article(article: Article, cues: CueSet) -> Article:
    """Classify every section; keep dropped regions that carry safety language as protected sections."""
    classified: list[Section] = []
    # Protective heading cues of the enclosing sections, by heading level.
    ancestors: list[tuple[int, tuple[SectionKind, str] | None]] = []
    for position, section in enumerate(article.sections):
        following = article.sections[position + 1 : position + 2]
        is_parent = bool(following) and following[0].level > section.level
        if (
            not section.blocks
            and not is_parent
            and section.heading
            and _heading_kind(section.heading, cues) is None
            and _safety_kind(section.heading, cues)
        ):
            # A "heading" with nothing under it that reads as a warning ("Do not drive for 24
            # hours") is a statement the loader could not tell from a heading: keep it as text.
            section = replace(
                section, heading=None, blocks=(Block(BlockKind.PARAGRAPH, text=section.heading),)
            )
        while ancestors and ancestors[-1][0] >= section.level:
            ancestors.pop()
        inherited = next((cue for _, cue in reversed(ancestors) if cue), None)
        classified.append(classify_section(section, cues, inherited, is_parent))
        own = _heading_kind(section.heading, cues)
        ancestors.append(
            (
                section.level,
                (own[0], section.heading or "") if own and own[0] in _PROTECTIVE else None,
            )
        )

    before: list[Section] = []
    after: list[Section] = []
    title_kind = _safety_kind(article.title, cues)
    if title_kind is not None:
        # A leaflet may open with its warning ("DO NOT DRIVE AFTER TAKING THIS MEDICINE"); a
        # title is not a protected passage, so the warning is repeated as one.
        before.append(_protected_text(article.title, title_kind, "the title is itself a warning"))
    dropped: list[DroppedRegion] = []
    for region in article.dropped:
        kind = _safety_kind(region.text, cues)
        if kind is None:
            dropped.append(region)
            continue
        dropped.append(replace(region, kept=True))
        reason = f"kept from the page's {region.region}: it carries {kind.value} language"
        (before if region.before_main else after).append(_protected_text(region.text, kind, reason))
    sections = tuple(
        replace(section, index=i) for i, section in enumerate((*before, *classified, *after))
    )
    return replace(article, sections=sections, dropped=tuple(dropped))
