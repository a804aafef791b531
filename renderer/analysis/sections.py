"""Classify sections and protect safety content: which text is risk, disclaimer, general or boilerplate."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from renderer.analysis.sentences import split_sentences
from renderer.config import parse_toml, read_bytes, read_toml, validate
from renderer.errors import ConfigError
from renderer.model import (
    Article,
    Block,
    BlockKind,
    DroppedRegion,
    Section,
    SectionKind,
    comparable_text,
    is_all_caps,
)

# A paragraph (list, table) or section is protected when more than this share of its sentences
# carry safety cues ("one risk sentence in two" is a passing mention), and a section also when at
# least this share of its words stands in protected paragraphs.
MOSTLY = 0.5
# Residue paragraphs ("Share this article", "12 comments", "Read more") are a few words long.
_RESIDUE_MAX_WORDS = 10

_PROTECTIVE = (SectionKind.RISK, SectionKind.DISCLAIMER)
# A line this short with no full stop, standing alone in a block, reads as a sub-heading.
_SUBHEADING_MAX_WORDS = 10
# A run-in heading ("Driving and using machines You may feel ...") is at most this many words.
_RUN_IN_MAX_WORDS = 8
# A document is read as a US prescribing label when it has this many of its capitalised headings.
_LABEL_TEMPLATE_MIN = 3
_CHROME_MAX_WORDS = 12


class Reading(str, Enum):
    """How a section's text is read for safety content, decided by its heading."""

    NORMAL = "normal"  # a block is protected by a strong cue or when most of it carries cues
    WATCHFUL = "watchful"  # one safety sentence protects its block ("before you take ...")
    INSTRUCTION = "instruction"  # dosing, storage, facts: only a strong cue protects


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
        return _first_match(self.pattern, text)

    def search(self, text: str) -> str | None:
        found = self.find(text)
        return found[1] if found else None

    def find_all(self, text: str) -> list[str]:
        """Every match in the normalised text, in order."""
        if self.pattern is None:
            return []
        return [m.group(0) for m in self.pattern.finditer(_normalise(text))]


@dataclass(frozen=True)
class CueSet:
    """The compiled cues, by kind and by where they apply, for one language (and English)."""

    headings: dict[SectionKind, Cue]
    sentences: dict[SectionKind, Cue]
    paragraphs: dict[SectionKind, Cue]
    watchful: Cue = Cue(None)
    instruction: Cue = Cue(None)
    label_headings: Cue = Cue(None)
    chrome: Cue = Cue(None)
    lead_in: Cue = Cue(None)
    language: str = "en"
    # The tables this set was compiled from, to add a language's cue file to them.
    tables: tuple[tuple[Any, Path | None], ...] = field(default=(), compare=False, repr=False)
    _languages: dict[str, CueSet] = field(default_factory=dict, compare=False, repr=False)

    def for_language(self, language: str) -> CueSet:
        """These cues with the language's own table added (``cues-es.toml`` for "es-MX"); the
        English cues stay, as leaflets quote English and a wrong language must not lose cues."""
        primary = language.split("-")[0].lower() or "en"
        if primary == self.language or not self.tables:
            return self
        if primary not in self._languages:
            table = _language_table(primary)
            if table is None:
                self._languages[primary] = self
            else:
                extra = ((table, None),)
                self._languages[primary] = _compile_set([*self.tables, *extra], primary)
        return self._languages[primary]


# --- cue files: their shape, checked by config.validate, and compiled once per process ----------

# What a cue file may hold; a clinic's file has the same shape as the packaged ones, and every
# key is optional (its lists are added to the packaged lists).
Patterns = tuple[str, ...]


@dataclass(frozen=True)
class KindCues:
    """[risk] and [disclaimer]: where a cue makes text this kind."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}  # no unknown keys

    headings: Patterns = field(default=(), metadata={"about": "a list of patterns (text)"})
    sentences: Patterns = field(default=(), metadata={"about": "a list of patterns (text)"})
    paragraphs: Patterns = field(default=(), metadata={"about": "a list of patterns (text)"})


@dataclass(frozen=True)
class BoilerplateCues:
    """[boilerplate]: headings and paragraphs that are page furniture, not article text."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}  # no unknown keys

    headings: Patterns = field(default=(), metadata={"about": "a list of patterns (text)"})
    paragraphs: Patterns = field(default=(), metadata={"about": "a list of patterns (text)"})


@dataclass(frozen=True)
class StructureCues:
    """[structure]: headings that change how a section is read, and the shapes of furniture."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}  # no unknown keys

    watchful_headings: Patterns = field(default=(), metadata={"about": "a list of patterns"})
    instruction_headings: Patterns = field(default=(), metadata={"about": "a list of patterns"})
    label_headings: Patterns = field(default=(), metadata={"about": "a list of patterns"})
    chrome: Patterns = field(default=(), metadata={"about": "a list of patterns"})
    lead_in_endings: Patterns = field(default=(), metadata={"about": "a list of patterns"})


@dataclass(frozen=True)
class CueFile:
    """A cue file (cues.toml, cues-es.toml, a clinic's --cues file)."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}  # no unknown keys

    terms: dict[str, Patterns] = field(
        default_factory=dict, metadata={"about": "a table of term lists: name = [patterns]"}
    )
    risk: KindCues = field(default_factory=KindCues)
    disclaimer: KindCues = field(default_factory=KindCues)
    boilerplate: BoilerplateCues = field(default_factory=BoilerplateCues)
    structure: StructureCues = field(default_factory=StructureCues)


_TABLES: dict[str, type[Any]] = {
    "risk": KindCues,
    "disclaimer": KindCues,
    "boilerplate": BoilerplateCues,
    "structure": StructureCues,
}
_Table = dict[str, Any]


@functools.cache
def _packaged(name: str) -> _Table | None:
    """A cue table shipped with the renderer (cues.toml, cues-es.toml ...), if there is one.
    Its shape is checked by the tests, not on every start: the check needs pydantic (0.25 s)."""
    if not resources.files("renderer.analysis").joinpath(name).is_file():
        return None
    return read_toml(None, "cue file", ("renderer.analysis", name))


def _language_table(primary: str) -> _Table | None:
    """The cue table shipped for a language, if there is one."""
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        return None
    return _packaged(f"cues-{primary}.toml")


def _normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


# The same cue searches the same text more than once: a section's sentences block by block and
# then all together, a heading for its section and again for the article, a line of page
# furniture twice, and sentences again for the review (check_these); and a leaflet repeats its
# warnings. A third (three quarters for a repetitive article) of the searches are repeats.
@functools.lru_cache(maxsize=2048)
def _first_match(pattern: re.Pattern[str], text: str) -> tuple[int, str] | None:
    match = pattern.search(_normalise(text))
    return (match.start(), match.group(0)) if match else None


def clinic_cues(raw: bytes, path: Path) -> _Table:
    """A clinic's cue file, checked against the shape of a cue file (one line per mistake)."""
    table = parse_toml(raw, path, "cue file")
    validate(CueFile, table, path, "cue file")
    return table


_Patterns = list[tuple[str, Path | None]]


def _merge(tables: Iterable[tuple[_Table, Path | None]]) -> dict[str, dict[str, _Patterns]]:
    """Every cue list of every table, added together in order, each pattern with its file."""
    merged: dict[str, dict[str, _Patterns]] = {
        kind: {key.name: [] for key in dataclasses.fields(shape)} for kind, shape in _TABLES.items()
    }
    merged["terms"] = {}
    for table, path in tables:
        for kind, entries in table.items():
            for key, patterns in entries.items():
                merged[kind].setdefault(key, []).extend((p, path) for p in patterns)
    return merged


def _compile(
    patterns: _Patterns, terms: dict[str, _Patterns], where: str, whole: bool, at_end: bool = False
) -> Cue:
    """One pattern for a cue list; `whole` cues must match all of the (heading) text, `at_end`
    ones its end."""
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
        if path is not None:  # a clinic's; the packaged cues are checked by the tests
            _check_cue(expanded, pattern, where, path)
        alternatives.append(f"(?:{expanded})")
    body = "|".join(alternatives)
    if whole:
        # "Comments", "Share this", "Related articles (3)": the whole heading, not a word of it.
        return Cue(re.compile(rf"^(?:{body})\s*(?:\(\d+\)|:)?$", re.IGNORECASE))
    if at_end:
        return Cue(re.compile(rf"(?:{body})\s*$", re.IGNORECASE))
    return Cue(re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE))


def _check_cue(expanded: str, pattern: str, where: str, path: Path | None) -> None:
    """A cue must be a pattern of its own (else it could break the alternation it joins) and must
    not match empty text. Checked for a clinic's cues, one at a time, to name the one at fault;
    the packaged ones are checked by the tests, not on every start (half of the 0.03 s their
    compiling takes)."""
    try:
        compiled = re.compile(expanded, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where} cue {pattern!r} is not a valid pattern: {exc}", path) from None
    # A cue that matches empty text would match everywhere, or (searched first) hide the
    # defaults' matches: a clinic's file may only add cues.
    if compiled.fullmatch(""):
        raise ConfigError(f"{where} cue {pattern!r} matches empty text", path)


def load_cues(extra: Sequence[Path] = ()) -> CueSet:
    """The default cues, extended by each of a clinic's cue files in turn. A language's own
    cues are added per article (`CueSet.for_language`).

    Compiled once per process for the same files with the same contents: the patterns take
    0.15 s to compile, and a batch, its workers and the tests ask again and again."""
    files = tuple((path, read_bytes(path, "cue file")) for path in extra)
    return _cue_set(files)


@functools.lru_cache(maxsize=16)
def _cue_set(files: tuple[tuple[Path, bytes], ...]) -> CueSet:
    default = _packaged("cues.toml")
    assert default is not None
    tables = [(default, None), *((clinic_cues(raw, path), path) for path, raw in files)]
    return _compile_set(tables, "en")


def _compile_set(tables: Sequence[tuple[dict[str, Any], Path | None]], language: str) -> CueSet:
    merged = _merge(tables)
    terms = merged.pop("terms")
    structure = merged.pop("structure")
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

    def compiled(key: str, whole: bool = False, at_end: bool = False) -> Cue:
        return _compile(structure.get(key, []), terms, f"structure.{key}", whole, at_end)

    return CueSet(
        headings=by_place["headings"],
        sentences=by_place["sentences"],
        paragraphs=by_place["paragraphs"],
        watchful=compiled("watchful_headings"),
        instruction=compiled("instruction_headings"),
        label_headings=compiled("label_headings", whole=True),
        chrome=compiled("chrome", whole=True),
        lead_in=compiled("lead_in_endings", at_end=True),
        language=language,
        tables=tuple(tables),
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


def _judge_units(
    units: Sequence[str],
    cues: CueSet,
    *,
    paragraph_cues: bool = True,
    reading: Reading = Reading.NORMAL,
) -> _Verdict:
    """Whether text made of these units is itself a warning or disclaimer, and why.

    Paragraph cues (strong: "call 999", "overdose", "stop taking ... if") decide for a paragraph
    (list, table) on their own. Otherwise it depends on how the section is read: normally by
    the share of its sentences that carry cues, so one warning sentence does not protect its
    neighbours; with care, by any one; in instructions, not at all.
    """
    if paragraph_cues:
        # When a paragraph holds both kinds of cue, the one it leads with names it.
        text = "\n".join(units)
        found = [(hit, kind) for kind in _PROTECTIVE if (hit := cues.paragraphs[kind].find(text))]
        if found:
            (_, cue), kind = min(found, key=lambda pair: pair[0][0])
            return _Verdict(kind, f'{kind.value} cue "{cue}"')
    if reading is Reading.INSTRUCTION:
        return _Verdict(None, None)
    sentences = [s for unit in units for s in (split_sentences(unit) or [unit]) if s.strip()]
    hits = [h for h in (_sentence_kind(s, cues) for s in sentences) if h]
    needed = 0 if reading is Reading.WATCHFUL else MOSTLY * len(sentences)
    if sentences and hits and len(hits) > needed:
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


# "2. What you need to know", "B. Warnings", "(3) Dosage": the numbering says nothing.
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})+\.?|\(?\d{1,2}[.)]|[A-Z][.)])\s+")


def _bare(heading: str) -> str:
    return _NUMBERING.sub("", heading).strip()


def _heading_kind(heading: str | None, cues: CueSet) -> tuple[SectionKind, str] | None:
    if not heading:
        return None
    bare = _bare(heading)
    for kind in (*_PROTECTIVE, SectionKind.BOILERPLATE):
        hit = cues.headings[kind].search(bare)
        if hit:
            return kind, hit
    return None


def _heading_reading(heading: str | None, cues: CueSet) -> Reading | None:
    """How a heading asks its text to be read, when it says (a protective heading beats both)."""
    if not heading:
        return None
    bare = _bare(heading)
    if cues.watchful.search(bare):
        return Reading.WATCHFUL
    if cues.instruction.search(bare):
        return Reading.INSTRUCTION
    return None


def classify_section(
    section: Section,
    cues: CueSet,
    inherited: tuple[SectionKind, str] | None = None,
    is_parent: bool = False,
    reading: Reading = Reading.NORMAL,
) -> Section:
    """Decide a section's kind and protection, and protect its warning or disclaimer blocks.

    `inherited` is the protective heading cue of an enclosing section, if any, and `reading`
    how the enclosing sections ask text to be read; `is_parent` says sub-sections follow, so a
    heading without text of its own is structure, not residue.
    """
    by_heading = _heading_kind(section.heading, cues)
    reading = _heading_reading(section.heading, cues) or reading
    blocks = _classify_blocks(section.blocks, cues, reading)
    judged = replace(section, blocks=blocks)
    safety_text = any(b.protected for b in blocks)

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
    if reading is not Reading.INSTRUCTION:
        # Boxed whole only when most of it is safety content; else its safety blocks are boxed.
        units = [u for b in blocks for u in b.units()]
        verdict = _judge_units(units, cues, paragraph_cues=False)
        if verdict.kind is not None:
            return _protect(judged, verdict.kind, verdict.reason or "")
        total = sum(_words(b.plain_text()) for b in blocks)
        protected_words = sum(_words(b.plain_text()) for b in blocks if b.protected)
        if total and protected_words >= MOSTLY * total:
            kinds = [b.protection_kind for b in blocks if b.protected]
            kind = SectionKind.RISK if SectionKind.RISK in kinds else SectionKind.DISCLAIMER
            share = f"{protected_words} of {total} words are in warning or disclaimer paragraphs"
            return _protect(judged, kind, share)
    return replace(judged, kind=SectionKind.GENERAL, reason=None)


def _classify_block(block: Block, cues: CueSet, reading: Reading = Reading.NORMAL) -> Block:
    if block.kind is BlockKind.TABLE:
        # A table reads row by row; a header naming side effects or warnings makes it one.
        header = "; ".join(block.header)
        hit = _sentence_kind(header, cues) if header else None
        if hit:
            kind, cue = hit
            return replace(
                block, protected=True, protection_kind=kind, reason=f'table header cue "{cue}"'
            )
        verdict = _judge_units(["; ".join(row) for row in block.rows], cues, reading=reading)
    else:
        verdict = _judge_units(block.units(), cues, reading=reading)
    if verdict.kind is None:
        return replace(block, protected=False, protection_kind=None, reason=None)
    return replace(block, protected=True, protection_kind=verdict.kind, reason=verdict.reason)


# A heading does not end on these; a sentence cut after them does (en, es, pt, fr, de).
_JOINING_WORDS = frozenset((
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "your", "you", "if", "than",
    "y", "o", "de", "del", "con", "el", "la", "los", "las", "en", "por", "para",
    "e", "do", "da", "dos", "das", "com", "no", "na", "ao",
    "et", "ou", "du", "des", "le", "les", "au", "aux", "avec",
    "und", "oder", "der", "die", "das", "den", "dem", "mit", "von", "zu",
))  # fmt: skip
_HEADING_END = re.compile(r"[.;,!…]['\"’”)\]]*$")


def _subheading(block: Block, cues: CueSet) -> str | None:
    """The sub-heading a block is or starts with: a short line that reads as a heading
    ("Driving and using machines"), or a run-in heading whose cue opens a paragraph ("X with
    alcohol Alcohol should be avoided."). Loaders cannot always tell them from text."""
    if block.kind is not BlockKind.PARAGRAPH:
        return None
    text = block.text.strip()
    words = text.split()
    if not words or not words[0][:1].isupper():
        return None
    if len(words) <= _SUBHEADING_MAX_WORDS and not _HEADING_END.search(text):
        return None if text.endswith(":") else text  # a short line ending in ":" is a lead-in
    # A run-in heading: a few words with a lower-case word among them, then a capital.
    for size in range(2, min(_RUN_IN_MAX_WORDS, len(words) - 1) + 1):
        head = words[:size]
        if _HEADING_END.search(head[-1]) or head[-1].endswith(":"):
            return None
        following = words[size]
        # The next sentence opens with a capitalised word ("Alcohol", "Talk", "It"), not a
        # name in capitals ("A&E"), and a heading does not end on a word like "to" or "or".
        opens = (following[:1].isupper() and following[1:].islower()) or following in ("I", "A")
        if (
            opens
            and head[-1].lower() not in _JOINING_WORDS
            and any(w[:1].islower() for w in head[1:])
        ):
            candidate = " ".join(head)
            kind = _heading_kind(candidate, cues)
            if kind and kind[0] in _PROTECTIVE:
                return candidate
    return None


def _classify_blocks(
    blocks: Sequence[Block], cues: CueSet, reading: Reading = Reading.NORMAL
) -> tuple[Block, ...]:
    """Each block judged on its own, except that what governs text protects it: a sub-heading
    with a protective cue protects the blocks up to the next sub-heading, and a protected
    lead-in ("Get medical help immediately if you have:") the list or table it introduces."""
    out: list[Block] = []
    governing: tuple[SectionKind, str] | None = None
    local = reading
    for block in blocks:
        sub = _subheading(block, cues)
        if sub is not None:
            own = _heading_kind(sub, cues)
            governing = (own[0], sub) if own and own[0] in _PROTECTIVE else None
            local = _heading_reading(sub, cues) or reading
        judged = _classify_block(block, cues, local)
        lead_in = out[-1] if out else None
        if governing and not judged.protected:
            judged = replace(
                judged,
                protected=True,
                protection_kind=governing[0],
                reason=f'under the sub-heading "{governing[1]}"',
            )
        elif (
            not judged.protected
            and judged.kind in (BlockKind.LIST, BlockKind.TABLE)
            and lead_in is not None
            and lead_in.protected
            and cues.lead_in.search(lead_in.plain_text().rstrip())
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


def _label_template(sections: Sequence[Section], cues: CueSet) -> tuple[Section, ...]:
    """A US prescribing label's shape: its capitalised headings (WARNINGS, PRECAUTIONS ...)
    are the top level, and the mixed-case headings after one at the same level ("Information
    for Patients", "Pregnancy") are its sub-sections, as the printed label shows them."""
    labels = [
        s
        for s in sections
        if s.heading and is_all_caps(s.heading) and cues.label_headings.search(_bare(s.heading))
    ]
    if len(labels) < _LABEL_TEMPLATE_MIN:
        return tuple(sections)
    level = min(s.level for s in labels)
    out: list[Section] = []
    in_label = False
    for section in sections:
        if section.heading and section.level == level:
            if is_all_caps(section.heading):
                in_label = True
            elif in_label:
                section = replace(section, level=level + 1)
        out.append(section)
    return tuple(out)


def _is_chrome(text: str, cues: CueSet) -> bool:
    return _words(text) <= _CHROME_MAX_WORDS and cues.chrome.search(_normalise(text)) is not None


def _without_chrome(
    sections: Sequence[Section], cues: CueSet
) -> tuple[tuple[Section, ...], list[DroppedRegion]]:
    """The sections without lines of page furniture that an export left in the article ("On
    this page", "Learn how to cite this page", "fold here"), each recorded as dropped."""
    dropped: list[DroppedRegion] = []
    out: list[Section] = []
    seen_text = False
    for section in sections:
        blocks: list[Block] = []
        for block in section.blocks:
            if block.kind is BlockKind.LIST:
                kept = tuple(i for i in block.items if not _is_chrome(i.text, cues))
                gone = [i.text for i in block.items if _is_chrome(i.text, cues)]
                block = replace(block, items=kept)
            elif block.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE) and _is_chrome(
                block.text, cues
            ):
                gone, block = [block.text], replace(block, text="")
            else:
                gone = []
            dropped.extend(
                DroppedRegion("chrome", text, before_main=not seen_text) for text in gone
            )
            if block.units():
                blocks.append(block)
                seen_text = True
        out.append(replace(section, blocks=tuple(blocks)))
    return tuple(out), dropped


def _reads_as_prose(text: str) -> bool:
    """Sentences, not a list of link labels: a navigation list never ends a sentence."""
    return any(s.rstrip().endswith((".", "!", "?")) for s in split_sentences(text))


def _names_a_section(text: str, cues: CueSet) -> bool:
    bare = _bare(text)
    return bool(
        _is_chrome(bare, cues)
        or cues.label_headings.search(bare)
        or cues.instruction.search(bare)
        or _heading_kind(bare, cues)
    )


def _retitled(article: Article, cues: CueSet) -> Article:
    """The article under its real name. A page whose first heading is in capitals gets its
    <title> in mixed case; one whose first heading names a section ("DESCRIPTION", "What is in
    this leaflet") gets its <title>, and the heading goes back where it stood, over the text."""
    page, title = article.page_title, article.title
    if not page or comparable_text(page) == comparable_text(title):
        return article
    if comparable_text(page).casefold() == comparable_text(title).casefold():
        return replace(article, title=page) if is_all_caps(title) else article
    if not _names_a_section(title, cues):
        return article
    sections = article.sections
    if sections and sections[0].heading is None:
        sections = (replace(sections[0], heading=title), *sections[1:])
    else:
        sections = (Section(index=0, heading=title, blocks=()), *sections)
    sections = tuple(replace(s, index=i) for i, s in enumerate(sections))
    return replace(article, title=page, sections=sections)


def _without_contents(
    sections: Sequence[Section],
) -> tuple[tuple[Section, ...], list[DroppedRegion]]:
    """The sections without a table of contents: a block made only of the article's own later
    headings (a leaflet's "What is in this leaflet" list, an "On this page" list)."""
    headings = sorted(
        {comparable_text(_bare(s.heading)).casefold() for s in sections if s.heading},
        key=len,
        reverse=True,
    )
    dropped: list[DroppedRegion] = []
    out: list[Section] = []
    for section in sections:
        blocks = []
        for block in section.blocks:
            rest, named = comparable_text(block.plain_text()).casefold(), 0
            for heading in headings:
                if len(heading) > 3 and heading in rest:
                    rest, named = rest.replace(heading, " "), named + 1
            if named >= 2 and not rest.strip(" .,;:-–"):
                dropped.append(DroppedRegion("contents", block.plain_text(), before_main=True))
            else:
                blocks.append(block)
        out.append(replace(section, blocks=tuple(blocks)))
    return tuple(out), dropped


def classify_article(article: Article, cues: CueSet) -> Article:
    """Classify every section in the article's language; drop page furniture left in the text;
    keep dropped regions that carry safety language in sentences as protected sections."""
    cues = cues.for_language(article.language)
    article = _retitled(article, cues)
    sections, contents = _without_contents(_label_template(article.sections, cues))
    sections, chrome = _without_chrome(sections, cues)
    chrome = [*contents, *chrome]
    classified: list[Section] = []
    # What the enclosing sections' headings say, by heading level: a protective cue, a reading.
    ancestors: list[tuple[int, tuple[SectionKind, str] | None, Reading | None]] = []
    for position, section in enumerate(sections):
        following = sections[position + 1 : position + 2]
        is_parent = bool(following) and following[0].level > section.level
        if (
            not section.blocks
            and not is_parent
            and section.heading
            and _safety_kind(section.heading, cues)
        ):
            # A "heading" with nothing under it that reads as a warning ("Do not drive for 24
            # hours") is a statement the loader could not tell from a heading: keep it as text.
            section = replace(
                section, heading=None, blocks=(Block(BlockKind.PARAGRAPH, text=section.heading),)
            )
        while ancestors and ancestors[-1][0] >= section.level:
            ancestors.pop()
        inherited = next((cue for _, cue, _ in reversed(ancestors) if cue), None)
        reading = next((r for _, _, r in reversed(ancestors) if r), Reading.NORMAL)
        classified.append(classify_section(section, cues, inherited, is_parent, reading))
        own = _heading_kind(section.heading, cues)
        ancestors.append(
            (
                section.level,
                (own[0], section.heading or "") if own and own[0] in _PROTECTIVE else None,
                _heading_reading(section.heading, cues),
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
        # A navigation list names the page's sections ("Side effects", "Pregnancy"): it is not
        # a warning however it reads; text in sentences elsewhere on the page may be.
        kind = (
            _safety_kind(region.text, cues)
            if region.region != "nav" and _reads_as_prose(region.text)
            else None
        )
        if kind is None:
            dropped.append(region)
            continue
        dropped.append(replace(region, kept=True))
        reason = f"kept from the page's {region.region}: it carries {kind.value} language"
        (before if region.before_main else after).append(_protected_text(region.text, kind, reason))
    dropped.extend(chrome)
    sections = tuple(
        replace(section, index=i) for i, section in enumerate((*before, *classified, *after))
    )
    return replace(article, sections=sections, dropped=tuple(dropped))
