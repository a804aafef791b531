"""The document model: frozen dataclasses every stage passes along, and their JSON form (DESIGN.md)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# Characters that change nothing a reader sees: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def comparable_text(text: str) -> str:
    """Text as the protected-content guarantee compares it (DESIGN.md): NFKC, invisible
    characters removed, white space collapsed."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).split())


def is_all_caps(text: str) -> bool:
    """Text in capitals ("WARNINGS", "PROSPECTO: INFORMACIÓN"): three letters at least, none
    lower case. The loaders read such lines as headings, the analysis as label headings, and
    the PDF shows them in sentence case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


# WCAG 2 level AAA: 7:1 between text and its background, for readers with low vision.
MIN_CONTRAST = 7.0
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours (AAA body text needs 7:1)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Theme:
    """The colours a handout is printed in, each #RRGGBB: text, page, and the border of a
    protected box. Text and border reach MIN_CONTRAST against the page, or there is no theme."""

    name: str
    text: str
    background: str
    box: str

    def __post_init__(self) -> None:
        for part in ("text", "background", "box"):
            if not _HEX_COLOUR.fullmatch(getattr(self, part)):
                raise ValueError(
                    f"theme {self.name!r}: {part} {getattr(self, part)!r} is not #RRGGBB"
                )
        for part in ("text", "box"):
            ratio = contrast_ratio(getattr(self, part), self.background)
            if ratio < MIN_CONTRAST:
                raise ValueError(
                    f"theme {self.name!r}: {part} {getattr(self, part)} on {self.background} has "
                    f"a contrast of {ratio:.1f}:1, below {MIN_CONTRAST:g}:1"
                )


# Every output that has colours takes them from here (`--theme`, renderer.toml's `theme`).
THEMES: dict[str, Theme] = {
    "standard": Theme("standard", text="#000000", background="#FFFFFF", box="#000000"),
    "cream": Theme("cream", text="#1A1A1A", background="#FDF6E3", box="#1A1A1A"),
    "high-contrast": Theme("high-contrast", text="#FFFFFF", background="#000000", box="#FFFF00"),
}


class SectionKind(str, Enum):
    GENERAL = "general"
    RISK = "risk"
    DISCLAIMER = "disclaimer"
    BOILERPLATE = "boilerplate"


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    LIST = "list"
    TABLE = "table"
    QUOTE = "quote"


@dataclass(frozen=True)
class ListItem:
    text: str
    depth: int = 0  # 0 for a top-level item, 1 for an item of a nested list, ...


@dataclass(frozen=True)
class Block:
    """A paragraph, list, table or block quote, keeping its structure.

    `text` holds a paragraph's or quote's text; `items` a list's items; `header` and `rows`
    a table's cells. `protected` marks a block that is itself a warning or disclaimer.
    """

    kind: BlockKind
    text: str = ""
    items: tuple[ListItem, ...] = ()
    ordered: bool = False
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    protected: bool = False
    protection_kind: SectionKind | None = None
    reason: str | None = None

    def units(self) -> tuple[str, ...]:
        """The block's text in reading order, one entry per paragraph, item, or table row's cell."""
        if self.kind is BlockKind.LIST:
            return tuple(item.text for item in self.items)
        if self.kind is BlockKind.TABLE:
            return tuple(cell for row in (self.header, *self.rows) for cell in row if cell)
        return (self.text,) if self.text else ()

    def plain_text(self) -> str:
        """Units on their own lines: after whitespace collapsing, the words as any output shows them."""
        return "\n".join(self.units())

    def labels(self) -> tuple[str, ...]:
        """A table's header cells: labels, which a page too narrow for the grid repeats before
        each value, so an output holds them but not in one run with the values."""
        return tuple(cell for cell in self.header if cell) if self.kind is BlockKind.TABLE else ()

    def values(self) -> tuple[str, ...]:
        """The units without the labels: a table's body cells, any other block's units(). What
        every output shows once and in this order."""
        if self.kind is BlockKind.TABLE:
            return tuple(cell for row in self.rows for cell in row if cell)
        return self.units()

    def labelled_rows(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        """A table's body rows, each cell with its column's header ("" where the column has
        none): how a row is read when it is not shown as a grid, "Dose: 5 mg"."""
        return tuple(
            tuple(
                (self.header[n] if n < len(self.header) else "", cell) for n, cell in enumerate(row)
            )
            for row in self.rows
        )


@dataclass(frozen=True)
class HardSentence:
    text: str
    grade: float


@dataclass(frozen=True)
class Readability:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    smog_index: float
    gunning_fog: float
    coleman_liau_index: float
    automated_readability_index: float
    dale_chall_readability_score: float
    grade: float
    meets_target: bool
    reliable: bool
    words: int
    sentences: int
    hardest_sentences: tuple[HardSentence, ...] = ()
    difficult_words: tuple[str, ...] = ()
    # The language's own formulas (Spanish "fernandez_huerta", "szigriszt_pazos" ...), by name,
    # and what `grade` was taken from: "median of five US grade formulas" for English.
    own_scores: tuple[tuple[str, float], ...] = ()
    grade_from: str = "median of five US grade formulas"


@dataclass(frozen=True)
class Section:
    index: int
    heading: str | None
    blocks: tuple[Block, ...]
    level: int = 2  # 2 for a top-level section; the article title is level 1
    kind: SectionKind = SectionKind.GENERAL
    protected: bool = False
    reason: str | None = None
    readability: Readability | None = None

    def plain_text(self) -> str:
        """The section's text without its heading, blocks separated by blank lines."""
        return "\n\n".join(text for text in (b.plain_text() for b in self.blocks) if text)


@dataclass(frozen=True)
class DroppedRegion:
    """Page furniture a loader left out of the article (navigation, footer, ...), listed so nothing vanishes unseen.

    `before_main` says whether it stood before the main content; `kept` is set by the analysis
    when the region carried risk or disclaimer language and was rescued as a section.
    """

    region: str
    text: str
    before_main: bool = False
    kept: bool = False


@dataclass(frozen=True)
class CheckSentence:
    """A sentence with strong risk or disclaimer language that no protected passage holds: listed
    for a person to check (and pin, if it should be boxed)."""

    section: int
    heading: str | None
    text: str
    kind: SectionKind  # the kind of cue it matched
    cue: str  # the words the cue matched


@dataclass(frozen=True)
class Override:
    """One pin of a clinic's pin file applied to one section or block: what it was, what it is."""

    pin: str
    action: str  # "protect" | "unprotect"
    pin_file: str
    section: int
    heading: str | None
    block: int | None  # the block's position in its section; None when the whole section
    before: str  # "not protected", "risk, protected", ...
    after: str


@dataclass(frozen=True)
class Article:
    source: str
    title: str
    language: str
    sections: tuple[Section, ...]
    dropped: tuple[DroppedRegion, ...] = ()
    readability: Readability | None = field(default=None)
    # The page's own name for itself (HTML <title>), when the loader's title came from elsewhere:
    # the analysis prefers it where the first heading is a section's name, not the article's.
    page_title: str | None = None
    # What the loader repaired in the text before anyone read it (line-end hyphens, mojibake).
    repairs: tuple[str, ...] = ()
    # How the language was known: "declared" by the file, "detected (0.99)", or "default".
    language_source: str = "declared"
    # For review: strong safety language left unboxed, and the clinic's pins as applied.
    check_these: tuple[CheckSentence, ...] = ()
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class ProtectedPassage:
    """A passage every output must hold whole and in order.

    `units` (paragraphs, list items, table cells) must appear in this order in an output;
    `labels` (table headers, which a narrow page repeats before each value) must appear.
    """

    section: int
    kind: SectionKind
    text: str
    heading: str | None = None
    units: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def protected_passages(article: Article) -> tuple[ProtectedPassage, ...]:
    """Every protected section whole, and each protected block of an unprotected section, in order."""
    passages: list[ProtectedPassage] = []
    for section in article.sections:
        if section.protected:
            if not section.blocks:
                continue  # a heading that only introduces protected sub-sections
            passages.append(_passage(section.index, section.kind, section.blocks, section.heading))
            continue
        for kind, blocks in block_runs(section.blocks):
            if kind is not None:
                passages.append(_passage(section.index, kind, blocks))
    return tuple(passages)


def block_runs(blocks: Iterable[Block]) -> list[tuple[SectionKind | None, tuple[Block, ...]]]:
    """Blocks in reading order, each run of protected blocks of one kind together (a lead-in
    and its list are one box in print, one passage, one introduction in the audio); an
    unprotected block stands alone, with kind None."""
    runs: list[tuple[SectionKind | None, tuple[Block, ...]]] = []
    for block in blocks:
        kind = (block.protection_kind or SectionKind.RISK) if block.protected else None
        if kind is not None and runs and runs[-1][0] is kind:
            runs[-1] = (kind, (*runs[-1][1], block))
        else:
            runs.append((kind, (block,)))
    return runs


def _passage(
    index: int, kind: SectionKind, blocks: tuple[Block, ...], heading: str | None = None
) -> ProtectedPassage:
    units: list[str] = []
    labels: list[str] = []
    for block in blocks:
        labels.extend(block.labels())
        units.extend(block.values())
    text = "\n\n".join(t for t in (b.plain_text() for b in blocks) if t)
    return ProtectedPassage(index, kind, text, heading, tuple(units), tuple(labels))


def _readability_json(r: Readability) -> dict[str, Any]:
    return {
        "flesch_reading_ease": r.flesch_reading_ease,
        "flesch_kincaid_grade": r.flesch_kincaid_grade,
        "smog_index": r.smog_index,
        "gunning_fog": r.gunning_fog,
        "coleman_liau_index": r.coleman_liau_index,
        "automated_readability_index": r.automated_readability_index,
        "dale_chall_readability_score": r.dale_chall_readability_score,
        "grade": r.grade,
        "meets_target": r.meets_target,
        "reliable": r.reliable,
        "hardest_sentences": [{"text": s.text, "grade": s.grade} for s in r.hardest_sentences],
        "difficult_words": list(r.difficult_words),
        **dict(r.own_scores),
        "grade_from": r.grade_from,
    }


def _block_json(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": block.kind.value, "protected": block.protected}
    if block.kind is BlockKind.LIST:
        out["ordered"] = block.ordered
        out["items"] = [{"text": i.text, "depth": i.depth} for i in block.items]
    elif block.kind is BlockKind.TABLE:
        out["header"] = list(block.header)
        out["rows"] = [list(row) for row in block.rows]
    else:
        out["text"] = block.text
    if block.protected:
        out["protection_kind"] = (block.protection_kind or SectionKind.RISK).value
        out["reason"] = block.reason
    return out


def article_to_json(article: Article) -> dict[str, Any]:
    """The analysis JSON of DESIGN.md: what `score --json` prints and `manifest.json` embeds."""
    sections = []
    for s in article.sections:
        r = s.readability
        sections.append(
            {
                "index": s.index,
                "heading": s.heading,
                "level": s.level,
                "kind": s.kind.value,
                "protected": s.protected,
                "reason": s.reason,
                "text": s.plain_text(),
                "words": r.words if r else 0,
                "sentences": r.sentences if r else 0,
                "readability": _readability_json(r) if r else None,
                "blocks": [_block_json(b) for b in s.blocks],
            }
        )
    doc = article.readability
    return {
        "source": article.source,
        "title": article.title,
        "language": article.language,
        "language_source": article.language_source,
        "sections": sections,
        "protected": [
            {
                "section": p.section,
                "kind": p.kind.value,
                "heading": p.heading,
                "text": p.text,
                "sha256": p.sha256,
                "units": list(p.units),
                "labels": list(p.labels),
            }
            for p in protected_passages(article)
        ],
        "dropped": [
            {"region": d.region, "text": d.text, "before_main": d.before_main, "kept": d.kept}
            for d in article.dropped
        ],
        "repairs": list(article.repairs),
        "check_these": [
            {
                "section": c.section,
                "heading": c.heading,
                "text": c.text,
                "kind": c.kind.value,
                "cue": c.cue,
            }
            for c in article.check_these
        ],
        "overrides": [
            {
                "pin": o.pin,
                "action": o.action,
                "pin_file": o.pin_file,
                "section": o.section,
                "heading": o.heading,
                "block": o.block,
                "before": o.before,
                "after": o.after,
            }
            for o in article.overrides
        ],
        "document": {
            "words": doc.words if doc else 0,
            "sentences": doc.sentences if doc else 0,
            "readability": _readability_json(doc) if doc else None,
        },
    }


# --- Reading the analysis JSON back ---------------------------------------------------------
#
# `renderer verify` and the report read an article from the manifest that recorded it, not from
# its source (which may have changed or gone): article_from_json is article_to_json's inverse, so
# that every reader works on the same typed Article as the renderer did.

_SCORES = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "smog_index",
    "gunning_fog",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
    "grade",
)
_READABILITY_KEYS = {
    *_SCORES,
    "meets_target",
    "reliable",
    "hardest_sentences",
    "difficult_words",
    "grade_from",
}


def json_field(data: Any, key: str, kind: Any) -> Any:
    """`data[key]` when `data` is a JSON object holding it with the type `kind` (an int for a
    float too); a ValueError naming the key otherwise. Every reader of our JSON uses it."""
    if not isinstance(data, dict) or key not in data:
        raise ValueError(f"{key!r} is missing")
    value = data[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{key!r} is of the wrong type")
    return value


def _optional(data: Any, key: str, kind: Any) -> Any:
    return None if data.get(key) is None else json_field(data, key, kind)


def json_texts(data: Any, key: str) -> tuple[str, ...]:
    values = json_field(data, key, list)
    if not all(isinstance(v, str) for v in values):
        raise ValueError(f"{key!r} must be a list of text")
    return tuple(values)


def _readability_from_json(data: Any, words: int, sentences: int) -> Readability:
    own = tuple(
        (key, float(value))
        for key, value in data.items()
        if key not in _READABILITY_KEYS and isinstance(value, (int, float))
    )
    hardest = tuple(
        HardSentence(json_field(s, "text", str), json_field(s, "grade", float))
        for s in json_field(data, "hardest_sentences", list)
    )
    scores = [json_field(data, key, float) for key in _SCORES]
    reading_ease, kincaid, smog, fog, coleman, ari, dale_chall, grade = scores
    return Readability(
        reading_ease,
        kincaid,
        smog,
        fog,
        coleman,
        ari,
        dale_chall,
        grade,
        meets_target=json_field(data, "meets_target", bool),
        reliable=json_field(data, "reliable", bool),
        words=words,
        sentences=sentences,
        hardest_sentences=hardest,
        difficult_words=json_texts(data, "difficult_words"),
        own_scores=own,
        grade_from=json_field(data, "grade_from", str),
    )


def block_from_json(data: Any) -> Block:
    kind = BlockKind(json_field(data, "kind", str))
    protected = json_field(data, "protected", bool)
    reason = _optional(data, "reason", str) if protected else None
    kind_name = _optional(data, "protection_kind", str) if protected else None
    protection = SectionKind(kind_name) if kind_name else None
    if kind is BlockKind.LIST:
        items = tuple(
            ListItem(json_field(i, "text", str), json_field(i, "depth", int))
            for i in json_field(data, "items", list)
        )
        ordered = json_field(data, "ordered", bool)
        return Block(
            kind,
            items=items,
            ordered=ordered,
            protected=protected,
            protection_kind=protection,
            reason=reason,
        )
    if kind is BlockKind.TABLE:
        rows = tuple(json_texts({"row": row}, "row") for row in json_field(data, "rows", list))
        header = json_texts(data, "header")
        return Block(
            kind,
            header=header,
            rows=rows,
            protected=protected,
            protection_kind=protection,
            reason=reason,
        )
    text = json_field(data, "text", str)
    return Block(kind, text, protected=protected, protection_kind=protection, reason=reason)


def article_from_json(data: Any) -> Article:
    """The Article an analysis JSON (article_to_json) records. Raises ValueError when the JSON
    is not of that shape. The `protected` list is derived (protected_passages) and not read:
    a reader compares it with what the JSON records."""
    sections = []
    for item in json_field(data, "sections", list):
        readability = _optional(item, "readability", dict)
        words, sentences = json_field(item, "words", int), json_field(item, "sentences", int)
        sections.append(
            Section(
                index=json_field(item, "index", int),
                heading=_optional(item, "heading", str),
                blocks=tuple(block_from_json(b) for b in json_field(item, "blocks", list)),
                level=json_field(item, "level", int),
                kind=SectionKind(json_field(item, "kind", str)),
                protected=json_field(item, "protected", bool),
                reason=_optional(item, "reason", str),
                readability=(
                    None
                    if readability is None
                    else _readability_from_json(readability, words, sentences)
                ),
            )
        )
    document = json_field(data, "document", dict)
    readability = _optional(document, "readability", dict)
    return Article(
        source=json_field(data, "source", str),
        title=json_field(data, "title", str),
        language=json_field(data, "language", str),
        sections=tuple(sections),
        dropped=tuple(
            DroppedRegion(
                json_field(d, "region", str),
                json_field(d, "text", str),
                json_field(d, "before_main", bool),
                json_field(d, "kept", bool),
            )
            for d in json_field(data, "dropped", list)
        ),
        readability=(
            None
            if readability is None
            else _readability_from_json(
                readability,
                json_field(document, "words", int),
                json_field(document, "sentences", int),
            )
        ),
        repairs=json_texts(data, "repairs"),
        language_source=json_field(data, "language_source", str),
        check_these=tuple(
            CheckSentence(
                json_field(c, "section", int),
                _optional(c, "heading", str),
                json_field(c, "text", str),
                SectionKind(json_field(c, "kind", str)),
                json_field(c, "cue", str),
            )
            for c in json_field(data, "check_these", list)
        ),
        overrides=tuple(
            Override(
                json_field(o, "pin", str),
                json_field(o, "action", str),
                json_field(o, "pin_file", str),
                json_field(o, "section", int),
                _optional(o, "heading", str),
                _optional(o, "block", int),
                json_field(o, "before", str),
                json_field(o, "after", str),
            )
            for o in json_field(data, "overrides", list)
        ),
    )
