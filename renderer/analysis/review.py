"""A person's check on the judgement: the sentences with strong safety language left unboxed,
and a clinic's pins (`<stem>.pins.toml` beside the article) that box or unbox a passage."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tomllib

from renderer.analysis.sections import CueSet
from renderer.analysis.sentences import split_sentences
from renderer.errors import ConfigError, InputError
from renderer.model import (
    Article,
    Block,
    CheckSentence,
    Override,
    Section,
    SectionKind,
    comparable_text,
)

PINS_SUFFIX = ".pins.toml"
_PIN_KINDS = {"risk": SectionKind.RISK, "disclaimer": SectionKind.DISCLAIMER}
# The cues that protect a paragraph on their own ("call 999", "overdose", "not medical advice").
_STRONG = (SectionKind.RISK, SectionKind.DISCLAIMER)
# As many different safety words in one sentence are as telling as one strong cue.
_MANY_CUES = 2


def check_these(article: Article, cues: CueSet) -> tuple[CheckSentence, ...]:
    """Every sentence outside the protected passages (and outside boilerplate) that a strong
    risk or disclaimer cue matches, in reading order: what a person should look at twice."""
    cues = cues.for_language(article.language)
    found: list[CheckSentence] = []
    for section in article.sections:
        if section.protected or section.kind is SectionKind.BOILERPLATE:
            continue
        for block in section.blocks:
            if block.protected:
                continue
            for unit in block.units():
                for sentence in split_sentences(unit) or [unit]:
                    hit = _strong_cue(sentence, cues)
                    if hit is not None:
                        kind, cue = hit
                        text = " ".join(sentence.split())
                        found.append(CheckSentence(section.index, section.heading, text, kind, cue))
    return tuple(found)


def _strong_cue(sentence: str, cues: CueSet) -> tuple[SectionKind, str] | None:
    """A cue that protects a paragraph on its own, or two different safety words in one
    sentence ("can cause bleeding and dizziness"): language a reader should not miss."""
    for kind in _STRONG:
        cue = cues.paragraphs[kind].search(sentence)
        if cue:
            return kind, cue
    for kind in _STRONG:
        words = list(dict.fromkeys(c.lower() for c in cues.sentences[kind].find_all(sentence)))
        if len(words) >= _MANY_CUES:
            return kind, " + ".join(words[:3])
    return None


# -- pins -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pin:
    """One entry of a pin file: the text (of a paragraph, list, table or heading) it names."""

    text: str
    protect: bool
    kind: SectionKind = SectionKind.RISK  # what a protect pin boxes it as


@dataclass(frozen=True)
class PinFile:
    path: Path
    data: bytes


def pins_path(source: Path) -> Path:
    """Where an article's pins live: `leaflet.md` -> `leaflet.pins.toml`, in the same folder."""
    return source.with_name(source.stem + PINS_SUFFIX)


def read_pin_file(source: Path) -> PinFile | None:
    """The article's pin file as bytes, or None when it has none."""
    path = pins_path(source)
    try:
        return PinFile(path, path.read_bytes())
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError("pin file is a folder, not a file", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read pin file: {exc.strerror or exc}", path) from None


def parse_pins(pin_file: PinFile) -> tuple[Pin, ...]:
    """The pins of a pin file: `protect` and `unprotect`, each a list of texts; a protect entry
    may be a table `{text = "...", kind = "disclaimer"}` (risk when not given)."""
    path = pin_file.path
    try:
        table = tomllib.loads(pin_file.data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read pin file: {exc}", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"pin file is not valid TOML: {exc}", path) from None
    unknown = sorted(set(table) - {"protect", "unprotect"})
    if unknown:
        raise ConfigError(
            f"pin file has unknown key {unknown[0]!r} (expected protect, unprotect)", path
        )
    pins: list[Pin] = []
    for key in ("protect", "unprotect"):
        entries = table.get(key, [])
        if not isinstance(entries, list):
            raise ConfigError(f"{key} must be a list of texts", path)
        pins.extend(_pin(entry, key == "protect", path) for entry in entries)
    return tuple(pins)


def _pin(entry: Any, protect: bool, path: Path) -> Pin:
    key = "protect" if protect else "unprotect"
    if isinstance(entry, dict) and protect:
        extra = sorted(set(entry) - {"text", "kind"})
        if extra:
            raise ConfigError(f"a protect entry has unknown key {extra[0]!r}", path)
        text, kind = entry.get("text"), entry.get("kind", "risk")
        if kind not in _PIN_KINDS:
            raise ConfigError(f"kind must be risk or disclaimer, not {kind!r}", path)
    else:
        text, kind = entry, "risk"
    if not isinstance(text, str) or not comparable_text(text):
        raise ConfigError(f"each {key} entry must be a text that is not empty", path)
    return Pin(comparable_text(text), protect, _PIN_KINDS[kind])


def apply_pins(article: Article, pin_file: PinFile) -> Article:
    """The article with its pins applied in file order, each recorded as an override. A pin
    matches a block whose text contains it or a section whose heading is it (case and spacing
    aside); one that matches nothing is an error, as a typo must not pass for a decision."""
    sections = list(article.sections)
    overrides: list[Override] = []
    name = pin_file.path.name
    for pin in parse_pins(pin_file):
        matched = False
        for position, section in enumerate(sections):
            if _same(section.heading, pin.text):
                matched = True
                for n in _with_subsections(sections, position):
                    sections[n], override = _pin_section(sections[n], pin, name)
                    overrides.append(override)
                continue
            for b, block in enumerate(section.blocks):
                if pin.text.casefold() in comparable_text(block.plain_text()).casefold():
                    matched = True
                    sections[position], override = _pin_block(sections[position], b, pin, name)
                    overrides.append(override)
        if not matched:
            action = "protect" if pin.protect else "unprotect"
            raise InputError(
                f'{action} pin "{pin.text}" matches no paragraph, list, table or heading '
                f"of {Path(article.source).name}",
                pin_file.path,
            )
    return replace(article, sections=tuple(sections), overrides=(*article.overrides, *overrides))


def _same(heading: str | None, text: str) -> bool:
    return heading is not None and comparable_text(heading).casefold() == text.casefold()


def _with_subsections(sections: list[Section], position: int) -> list[int]:
    """The section at `position` and the sub-sections under its heading."""
    level = sections[position].level
    found = [position]
    for n in range(position + 1, len(sections)):
        if sections[n].level <= level:
            break
        found.append(n)
    return found


def _state(protected: bool, kind: SectionKind | None) -> str:
    return f"{(kind or SectionKind.RISK).value}, protected" if protected else "not protected"


def _reason(pin: Pin, file_name: str) -> str:
    return f'pinned: {"protect" if pin.protect else "unprotect"} "{pin.text}" ({file_name})'


def _pin_section(section: Section, pin: Pin, file_name: str) -> tuple[Section, Override]:
    before = _state(section.protected, section.kind)
    if pin.protect:
        pinned = replace(section, kind=pin.kind, protected=True, reason=_reason(pin, file_name))
    else:
        blocks = tuple(_unprotected(b, pin, file_name) for b in section.blocks)
        pinned = replace(
            section,
            kind=SectionKind.GENERAL,
            protected=False,
            reason=_reason(pin, file_name),
            blocks=blocks,
        )
    after = _state(pinned.protected, pinned.kind)
    action = "protect" if pin.protect else "unprotect"
    override = Override(
        pin.text, action, file_name, section.index, section.heading, None, before, after
    )
    return pinned, override


def _unprotected(block: Block, pin: Pin, file_name: str) -> Block:
    if not block.protected:
        return block
    return replace(block, protected=False, protection_kind=None, reason=_reason(pin, file_name))


def _pin_block(section: Section, b: int, pin: Pin, file_name: str) -> tuple[Section, Override]:
    """Pin block `b` of the section; unprotecting a block of a protected section unprotects the
    section, as a box cannot leave one of its own paragraphs out."""
    block = section.blocks[b]
    action = "protect" if pin.protect else "unprotect"
    if not pin.protect and section.protected:
        pinned, override = _pin_section(section, pin, file_name)
        return pinned, replace(override, block=b)
    if section.protected:  # a protect pin on a block already boxed with its section
        state = _state(True, section.kind)
        return section, Override(
            pin.text, action, file_name, section.index, section.heading, b, state, state
        )
    before = _state(block.protected, block.protection_kind)
    if pin.protect:
        new = replace(
            block, protected=True, protection_kind=pin.kind, reason=_reason(pin, file_name)
        )
    else:
        new = _unprotected(block, pin, file_name)
    blocks = (*section.blocks[:b], new, *section.blocks[b + 1 :])
    override = Override(
        pin.text,
        action,
        file_name,
        section.index,
        section.heading,
        b,
        before,
        _state(new.protected, new.protection_kind),
    )
    return replace(section, blocks=blocks), override


# -- the words `score` and the report use for them ------------------------------------------------

PREVIEW = 100  # characters of a left-out region shown


def _where(section: Any, heading: Any) -> str:
    return f"section {section}" + (f" ({heading})" if heading else "")


def check_line(entry: dict[str, Any]) -> str:
    """One "check these" entry of the analysis JSON as a line for a person."""
    where = _where(entry.get("section"), entry.get("heading"))
    return f'{where}: "{entry.get("text", "")}" ({entry.get("kind")} cue "{entry.get("cue")}")'


def dropped_line(entry: dict[str, Any]) -> str:
    """One dropped region of the analysis JSON as a line: its region name and how it starts."""
    text = " ".join(str(entry.get("text", "")).split())
    if len(text) > PREVIEW:
        text = text[:PREVIEW].rstrip() + "…"
    return f"{entry.get('region')}: {text}"


def override_line(entry: dict[str, Any]) -> str:
    """One override of the analysis JSON as a line: the pin, where it applied, before -> after."""
    block = entry.get("block")
    where = _where(entry.get("section"), entry.get("heading"))
    if block is not None:
        where += f", block {block}"
    return (
        f'{entry.get("action")} "{entry.get("pin")}" ({entry.get("pin_file")}): {where}, '
        f"{entry.get('before')} -> {entry.get('after')}"
    )


def left_out(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """The dropped regions that stayed out (not rescued as safety text) and hold text."""
    return [
        d
        for d in analysis.get("dropped") or []
        if not d.get("kept") and str(d.get("text", "")).strip()
    ]
