"""Plain-text articles shaped like scraped web pages: short unpunctuated lines are headings."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from renderer.loaders._build import SectionBuilder, clean
from renderer.model import Article, Block, BlockKind, ListItem, is_all_caps

# A heading is short: the seeds' longest question heading has 11 words.
_MAX_HEADING_WORDS = 15
_MAX_HEADING_CHARS = 120
# Lines end in one of these when a sentence ends there; a heading does not (except a question).
_SENTENCE_END = re.compile(r"[.:;,!…]['\"’”)\]]*$")
_BULLET = re.compile(r"^\s*([-*•‣◦–])\s+(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?P<text>\S.*)$")
# A sentence ends inside the line ("Feel sleepy. Do not drive"): a wrapped line, not a heading.
_SENTENCE_BREAK = re.compile(r"[.!?]['\"’”)\]]*\s+[A-Z]")
# "Label: sentence ..." paragraphs: a few words, a colon, then more text.
_LABELLED = re.compile(r"^[^:]{1,60}:\s+\S")
# Lines this long are unwrapped paragraphs: the file was not hard-wrapped at ~72-80 columns.
_WRAP_WIDTH = 100


@dataclass(frozen=True)
class _Line:
    text: str
    blank_before: bool
    blank_after: bool


def _is_list_line(text: str) -> bool:
    return bool(_BULLET.match(text) or _NUMBERED.match(text))


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(text) > _MAX_HEADING_CHARS:
        return False
    numbered = _NUMBERED.match(text)
    if _BULLET.match(text) or _SENTENCE_BREAK.search(numbered.group("text") if numbered else text):
        return False
    if is_all_caps(text):
        return not text.endswith(".")
    if _SENTENCE_END.search(text) or _LABELLED.match(text):
        return False
    first = text.lstrip("\"'“‘(")[:1]
    return first.isupper() or first.isdigit()


def _lines(text: str) -> list[_Line]:
    raw = text.split("\n")
    out: list[_Line] = []
    for i, line in enumerate(raw):
        if not line.strip():
            continue
        blank_before = i == 0 or not raw[i - 1].strip()
        blank_after = i == len(raw) - 1 or not raw[i + 1].strip()
        out.append(_Line(line.rstrip(), blank_before, blank_after))
    return out


def _is_hard_wrapped(lines: list[_Line]) -> bool:
    """True when paragraphs run over several short lines separated by blank lines (e-mail style)."""
    if not lines:
        return False
    long_lines = sum(1 for line in lines if len(line.text) > _WRAP_WIDTH)
    continued = sum(1 for line in lines if not line.blank_before)
    return long_lines == 0 and continued > 0 and any(line.blank_before for line in lines[1:])


def _title(lines: list[_Line]) -> str | None:
    """A title-like first line: ALL CAPS, or a short line set off by a blank line before body text."""
    if len(lines) < 2:
        return None
    first = lines[0].text.strip()
    if is_all_caps(first) and _looks_like_heading(first):
        return first
    if lines[0].blank_after and _looks_like_heading(first) and not _is_list_line(first):
        return first
    return None


def _heading_line(lines: list[_Line], i: int, wrapped: bool) -> bool:
    line = lines[i]
    text = line.text.strip()
    if not _looks_like_heading(text):
        return False
    if _NUMBERED.match(text):
        # "2. Risks" is a heading; a run of short numbered lines is a list.
        neighbours = [lines[j].text for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        if any(_NUMBERED.match(n) for n in neighbours):
            return False
    if wrapped and line.blank_before and _NUMBERED.match(text):
        # "2. What you need to know" after a blank line, as package leaflets number their
        # parts, even when a sub-heading follows it at once.
        return True
    # A heading introduces text. A run of short unpunctuated lines ("Do not drive for 24 hours",
    # "Call 911 if ...") is a list of statements, not a stack of empty sections.
    before = _looks_like_heading(lines[i - 1].text.strip()) if i > 0 else False
    after = _looks_like_heading(lines[i + 1].text.strip()) if i + 1 < len(lines) else before
    if after or (i + 1 == len(lines) and before):
        return False
    if is_all_caps(text):
        return True
    # In hard-wrapped text a short line may just end a paragraph: a heading stands alone.
    return not wrapped or (line.blank_before and (line.blank_after or i == len(lines) - 1))


_LINE_END_HYPHEN = re.compile(r"(?P<head>\w*[^\W\d_])-$")
_LOWER_START = re.compile(r"(?P<tail>[^\W\d_A-Z]\w*)")


def _join_wrapped(before: str, line: str, *, whole: str, repairs: list[str]) -> str:
    """`line` added to the text `before` it on a wrapped paragraph. A word a PDF split at the
    line end ("associ-" + "ated") is joined; a compound ("long-" + "term") keeps its hyphen,
    told apart by how the document writes the word elsewhere, else taken as a split word."""
    if not before:
        return line
    end, start = _LINE_END_HYPHEN.search(before), _LOWER_START.match(line)
    if end is None or start is None:
        return f"{before} {line}"
    head, tail = end.group("head"), start.group("tail")
    compound = f"{head}-{tail}"
    if re.search(rf"(?<!\w){re.escape(compound)}(?!\w)", whole) and not re.search(
        rf"(?<!\w){re.escape(head + tail)}(?!\w)", whole
    ):
        repairs.append(f"line-end hyphen kept in the compound {compound!r}")
        return f"{before}{line}"
    repairs.append(f"line-end hyphen joined: {compound!r} -> {head + tail!r}")
    return f"{before[:-1]}{line}"


def _wrap_width(lines: list[_Line]) -> int:
    """The column the file was wrapped at: the length most long lines come close to."""
    lengths = sorted(len(line.text.rstrip()) for line in lines)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _ends_paragraph(text: str, width: int) -> bool:
    """A wrapped line that ends a sentence well short of the wrap column ends its paragraph:
    leaflets converted from PDF keep their line breaks but not their blank lines."""
    stripped = text.rstrip()
    return bool(width) and stripped.endswith((".", "!", "?", ":")) and len(stripped) < 0.7 * width


def parse(text: str, source: str, fallback_title: str) -> Article:
    lines = _lines(text)
    title = _title(lines)
    if title is not None:
        lines = lines[1:]
    wrapped = _is_hard_wrapped(lines)
    builder = SectionBuilder()
    paragraph: list[str] = []
    items: list[ListItem] = []
    ordered = False

    repairs: list[str] = []
    join = functools.partial(_join_wrapped, whole=text, repairs=repairs)

    def flush_paragraph() -> None:
        builder.paragraph(functools.reduce(join, paragraph, ""))
        paragraph.clear()

    def flush_list() -> None:
        if items:
            builder.block(Block(BlockKind.LIST, items=tuple(items), ordered=ordered))
            items.clear()

    width = _wrap_width(lines) if wrapped else 0
    for i, line in enumerate(lines):
        stripped = line.text.strip()
        if line.blank_before or not wrapped or (i and _ends_paragraph(lines[i - 1].text, width)):
            flush_paragraph()
        if _heading_line(lines, i, wrapped):
            flush_paragraph()
            flush_list()
            builder.heading(stripped)
            continue
        match = _BULLET.match(stripped) or _NUMBERED.match(stripped)
        if match:
            flush_paragraph()
            is_numbered = match.re is _NUMBERED
            if items and is_numbered != ordered:
                flush_list()
            ordered = is_numbered
            indent = len(line.text) - len(line.text.lstrip())
            items.append(ListItem(clean(match.group("text")), depth=min(indent // 2, 3)))
            continue
        if items and not line.blank_before and wrapped:
            # a wrapped continuation of the last list item
            last = items[-1]
            items[-1] = ListItem(join(last.text, clean(stripped)), last.depth)
            continue
        flush_list()
        paragraph.append(stripped)
    flush_paragraph()
    flush_list()
    return Article(
        source=source,
        title=clean(title) if title else fallback_title,
        language="",  # not said: detected from the text
        sections=builder.sections(),
        repairs=tuple(repairs),
    )
