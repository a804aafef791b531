"""Markdown articles (CommonMark with tables) with optional YAML front matter for title and language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from renderer.errors import InputError
from renderer.loaders._build import SectionBuilder, clean
from renderer.model import Article, Block, BlockKind, ListItem

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")

# markdown-it drops whatever lies deeper than maxNesting (20 by default), and the rest of the
# file after it, without a word; 100 keeps every real article whole while bounding the parser's
# recursion, and past _FLAT_DEPTH (a list or quote adds at most 2 levels before it reads its
# content, so the parser never reaches 100) the rest of a list or quote is read as flat text.
_MAX_NESTING = 100
_FLAT_DEPTH = _MAX_NESTING - 10


def _flat_when_too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Past _FLAT_DEPTH, the rest of the innermost list or quote is one paragraph of its text,
    its list and quote markers included: every word is kept, only the structure is lost."""
    if state.level < _FLAT_DEPTH:
        return False
    if silent:
        return True
    # To the end of the list item or quote: a line indented less than its text ends it (a
    # quote's lazy continuation lines count as its own, as they do for its paragraphs).
    last = start + 1
    while last < end and (state.isEmpty(last) or not 0 <= state.sCount[last] < state.blkIndent):
        last += 1
    text = state.getLines(start, last, state.blkIndent, False).strip()
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, last]
    token = state.push("inline", "", 0)
    token.content = text
    token.map = [start, last]
    token.children = []
    state.push("paragraph_close", "p", -1)
    state.line = last
    return True


_PARSER = MarkdownIt("commonmark", {"html": True, "maxNesting": _MAX_NESTING}).enable("table")
_PARSER.block.ruler.before("table", "flat_when_too_deep", _flat_when_too_deep)


def _front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise InputError(f"front matter is not valid YAML{where}", source) from None
    if not isinstance(data, dict):
        # "---" lines around ordinary text are thematic breaks, not metadata: keep the text.
        return {}, text
    for key in ("title", "language", "lang"):
        if key in data and data[key] is not None and not isinstance(data[key], (str, int, float)):
            raise InputError(
                f"front matter '{key}' must be text, not {type(data[key]).__name__}", source
            )
    return data, text[match.end() :]


def _inline_text(token: Token) -> str:
    """Inline markup reduced to the words a reader sees: emphasis, links and code lose their marks."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)  # its alt text
        elif child.type == "html_inline":
            parts.append(_TAG.sub("", child.content))  # a lone tag such as <b> or </span>
    return "".join(parts)


def _plain(markdown: str) -> str:
    """A one-line Markdown string (a front-matter title) as plain text."""
    return clean("".join(_inline_text(t) for t in _PARSER.parseInline(markdown)))


def _html_text(html: str) -> str:
    """The visible text of a raw HTML block: entities decoded, scripts and styles left out."""
    # Imported here: most Markdown has no raw HTML, and BeautifulSoup takes 0.05-0.08 s to load.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for element in soup(["script", "style", "template"]):
        element.decompose()
    return soup.get_text(" ")


def _find_close(tokens: Sequence[Token], start: int) -> int:
    """Index of the token that closes the one opened at `start`."""
    level = tokens[start].level
    close = tokens[start].type.replace("_open", "_close")
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == close and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _list_items(tokens: Sequence[Token], start: int, end: int) -> list[ListItem]:
    """Items of the list between start and end, nested lists flattened with their depth."""
    items: list[ListItem] = []
    open_items: list[int] = []  # indexes of the items open now, innermost last
    depth = -1
    for token in tokens[start:end]:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            open_items.append(len(items))
            items.append(ListItem("", depth))
        elif token.type == "list_item_close":
            open_items.pop()
        elif token.type == "inline" and open_items:
            # The innermost open item owns the text, even text after a nested list.
            owner = open_items[-1]
            item = items[owner]
            items[owner] = ListItem(clean(f"{item.text} {_inline_text(token)}"), item.depth)
    return [item for item in items if item.text]


def _table(tokens: Sequence[Token], start: int, end: int) -> Block:
    header: list[str] = []
    rows: list[list[str]] = []
    in_head = False
    for token in tokens[start:end]:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open" and not in_head:
            rows.append([])
        elif token.type == "inline":
            cell = clean(_inline_text(token))
            (header if in_head else rows[-1]).append(cell)
    return Block(BlockKind.TABLE, header=tuple(header), rows=tuple(tuple(r) for r in rows))


def _quote_text(tokens: Sequence[Token], start: int, end: int) -> str:
    return " ".join(_inline_text(t) for t in tokens[start:end] if t.type == "inline")


def parse(text: str, source: str, fallback_title: str) -> Article:
    meta, body = _front_matter(text, source)
    title = _plain(str(meta["title"])) if meta.get("title") else ""
    language = clean(str(meta.get("language") or meta.get("lang") or ""))  # else detected
    tokens = _PARSER.parse(body)
    builder = SectionBuilder()
    seen_content = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            heading = _inline_text(tokens[i + 1])
            level = int(token.tag[1])
            # The first h1 before any text is the title (or repeats it): not a section.
            if level == 1 and not seen_content and (not title or clean(heading) == title):
                title = title or clean(heading)
            else:
                builder.heading(heading, level)
            seen_content = True
            i = _find_close(tokens, i) + 1
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            end = _find_close(tokens, i)
            items = _list_items(tokens, i, end)
            ordered = token.type == "ordered_list_open"
            builder.block(Block(BlockKind.LIST, items=tuple(items), ordered=ordered))
        elif token.type == "table_open":
            end = _find_close(tokens, i)
            builder.block(_table(tokens, i, end))
        elif token.type == "blockquote_open":
            end = _find_close(tokens, i)
            builder.paragraph(_quote_text(tokens, i, end), BlockKind.QUOTE)
        elif token.type == "paragraph_open":
            end = _find_close(tokens, i)
            builder.paragraph(_quote_text(tokens, i, end))
        elif token.type in ("fence", "code_block"):
            end = i
            builder.paragraph(token.content)
        elif token.type == "html_block":
            end = i
            builder.paragraph(_html_text(token.content))
        else:
            end = i
        seen_content = True
        i = end + 1
    return Article(
        source=source,
        title=title or fallback_title,
        language=language,
        sections=builder.sections(),
    )
