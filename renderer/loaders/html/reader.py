"""Reading a web page's main content as sections and blocks, and the furniture it leaves out as
dropped regions (what is furniture is landmarks.py's to say)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from enum import Enum

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, Tag

from renderer.loaders._build import SectionBuilder, clean
from renderer.loaders.html.elements import (
    BLOCK,
    CODE,
    HEADINGS,
    IGNORED,
    LISTS,
    SPACED,
    WHOLE,
    attribute,
    is_text,
)
from renderer.loaders.html.landmarks import Landmarks, furniture, group, language, page_title
from renderer.model import Article, Block, BlockKind, DroppedRegion, ListItem

# The walk recurses once or twice per element; deeper subtrees are read as flat text instead.
MAX_DEPTH = 100


class _Mark(Enum):
    SPACE = "space"  # the end of a block element: words either side stay apart
    UNMUTE = "unmute"  # the end of the title heading, whose text is not repeated in the sections


class _Mode(Enum):
    CONTENT = "content"  # article text: furniture is left out and recorded as dropped
    QUIET = "quiet"  # article text, furniture left out unrecorded (choosing the title)
    REGION = "region"  # a dropped region's own text: everything but code


def _code_summary(tag: Tag) -> str:
    code = "".join(str(s) for s in tag.descendants if isinstance(s, NavigableString)).strip()
    return f"({len(code)} characters of code)" if code else ""


class PageReader:
    """One page read once: article() gives its sections, title, language and dropped regions."""

    def __init__(self, soup: BeautifulSoup, source: str, fallback_title: str) -> None:
        self._soup = soup
        self._source = source
        self._fallback_title = fallback_title
        self._page = Landmarks(soup)
        self._root = self._page.root
        self._builder = SectionBuilder()
        self._dropped: list[DroppedRegion] = []
        self._inline: list[str] = []
        self._content_seen = False  # dropped regions met before any article text are "before main"
        self._last_inline: NavigableString | None = None
        self._repairs: list[str] = []
        self._title_tag: Tag | None = None
        self._title_tag, self._title = self._title_heading()

    def article(self) -> Article:
        before, after = self._page.outside()
        for part in before:
            self._drop_outside(part, before_main=True)
        self._walk(self._root, 0)
        self._flush()
        for part in after:
            self._drop_outside(part, before_main=False)
        return Article(
            source=self._source,
            title=self._title or page_title(self._soup) or self._fallback_title,
            language=language(self._soup),
            sections=self._builder.sections(),
            dropped=tuple(self._dropped),
            page_title=(page_title(self._soup) or None) if self._title else None,
            repairs=tuple(dict.fromkeys(self._repairs)),
        )

    # --- the title -------------------------------------------------------------------------

    def _title_heading(self) -> tuple[Tag | None, str]:
        for h1 in self._root.find_all("h1"):
            if not isinstance(h1, Tag):
                continue
            in_furniture = False
            for parent in h1.parents:
                if parent is self._root:
                    break
                if self._page.label(parent):
                    in_furniture = True
                    break
            text = "" if in_furniture else self._text(h1.contents, _Mode.QUIET)
            if text:
                return h1, text
        return None, ""

    # --- text ------------------------------------------------------------------------------

    def _pieces(
        self,
        nodes: Sequence[PageElement],
        mode: _Mode,
        stop: frozenset[str] = frozenset(),
    ) -> Iterator[str | Tag]:
        """The text under `nodes` in reading order, without recursion (pages nest thousands deep).

        Elements named in `stop` are yielded whole instead, for the caller to read.
        """
        stack: list[PageElement | _Mark] = list(reversed(nodes))
        muted = 0
        last: NavigableString | None = None  # the text before, unless a space came between
        while stack:
            node = stack.pop()
            if node is _Mark.SPACE:
                yield " "
                last = None
                continue
            if node is _Mark.UNMUTE:
                muted -= 1
                continue
            if isinstance(node, NavigableString):
                if is_text(node) and not muted:
                    if mode is _Mode.CONTENT and node.strip():
                        self._content_seen = True
                    if mode is not _Mode.REGION and self._glued(last, node):
                        yield " "
                    yield str(node)
                    last = node
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name
            if mode is _Mode.REGION:
                skip = name in CODE or name == "template" or name in IGNORED
            else:
                label = self._page.label(node)
                if label is not None and mode is _Mode.CONTENT:
                    self._drop(node, label, before_main=not self._content_seen)
                skip = label is not None or name in IGNORED
            if skip:
                if name in SPACED:
                    yield " "
                    last = None
                continue
            if name in stop:
                yield node
                continue
            if node is self._title_tag and mode is not _Mode.REGION:
                # Read, not skipped: furniture inside the title heading is still recorded.
                muted += 1
                stack.append(_Mark.UNMUTE)
            if name in SPACED:
                yield " "
                last = None
                stack.append(_Mark.SPACE)
            stack.extend(reversed(node.contents))

    def _glued(self, before: NavigableString | None, after: NavigableString) -> bool:
        """Two words that separate elements would run together ("No utilice</span><span>Zanthex"
        read "utiliceZanthex"): a lower-case letter meets a capital across an element's edge.
        Editors that split a paragraph into spans drop the space there; a word never has one."""
        if before is None or before.parent is after.parent:
            return False
        left, right = str(before), str(after)
        if not (left and right and left[-1].isalpha() and right[0].isalpha()):
            return False
        if not (left[-1].islower() and right[0].isupper()):
            return False
        word_left = re.search(r"[^\W\d_]+$", left)
        word_right = re.match(r"[^\W\d_]+", right)
        self._repairs.append(
            "space put between words that met at an element's edge: "
            f"{word_left.group(0) if word_left else left!r} | {word_right.group(0) if word_right else right!r}"
        )
        return True

    def _text(self, nodes: Sequence[PageElement], mode: _Mode = _Mode.CONTENT) -> str:
        return clean("".join(p for p in self._pieces(nodes, mode) if isinstance(p, str)))

    # --- the main content ------------------------------------------------------------------

    def _flush(self) -> None:
        if self._inline:
            self._builder.paragraph("".join(self._inline))
            self._inline = []
        self._last_inline = None

    def _add_inline(self, text: str, node: NavigableString | None = None) -> None:
        if text.strip():
            self._content_seen = True
        if node is not None and self._glued(self._last_inline, node):
            self._inline.append(" ")
        self._inline.append(text)
        self._last_inline = node

    def _walk(self, parent: Tag, depth: int) -> None:
        for child in parent.children:
            self._node(child, depth)

    def _node(self, node: PageElement, depth: int) -> None:
        if isinstance(node, NavigableString):
            if is_text(node):
                self._add_inline(str(node), node)
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        block = name in BLOCK
        label = self._page.label(node)
        if label is not None or name in IGNORED or name == "br":
            if block:
                self._flush()
            elif name in SPACED:
                self._add_inline(" ")
            if label is not None:
                self._drop(node, label, before_main=not self._content_seen)
            return
        if block:
            self._flush()
        if node is self._title_tag:
            self._content_seen = True
            self._text([node])
        elif depth >= MAX_DEPTH:
            # Unclean, so that the words at its edges stay apart from their neighbours' (or not).
            pieces = self._pieces([node], _Mode.CONTENT)
            self._add_inline("".join(p for p in pieces if isinstance(p, str)))
        elif name in HEADINGS:
            heading = self._text(node.contents)
            if heading:
                self._content_seen = True
                self._builder.heading(heading, level=int(name[1]))
        elif name in LISTS:
            items: list[ListItem] = []
            self._list_items(node, 0, depth + 1, items)
            self._builder.block(Block(BlockKind.LIST, items=tuple(items), ordered=name == "ol"))
        elif name == "table" and not self._is_layout_table(node):
            self._table(node)
        elif name == "blockquote":
            self._builder.paragraph(self._text(node.contents), BlockKind.QUOTE)
        elif name == "pre":
            self._builder.paragraph(self._text(node.contents))
        elif name == "dl":
            self._definitions(node)
        else:
            self._walk(node, depth + 1)
        if block:
            self._flush()

    def _list_items(self, lst: Tag, level: int, depth: int, out: list[ListItem]) -> None:
        for child in lst.children:
            if isinstance(child, Tag) and child.name == "li":
                self._list_item(child, level, depth + 1, out)
            elif isinstance(child, Tag) and child.name in LISTS and depth < MAX_DEPTH:
                # <ul><li>a</li><ul>...</ul></ul>: invalid, common, and meant as a sub-list
                self._list_items(child, level + 1, depth + 1, out)
            else:
                text = self._text([child])
                if text:
                    out.append(ListItem(text, level))

    def _list_item(self, li: Tag, level: int, depth: int, out: list[ListItem]) -> None:
        stop = LISTS if depth < MAX_DEPTH else frozenset()
        text: list[str] = []
        for piece in self._pieces(li.contents, _Mode.CONTENT, stop):
            if isinstance(piece, Tag):
                if clean("".join(text)):
                    out.append(ListItem(clean("".join(text)), level))
                text = []
                self._list_items(piece, level + 1, depth + 1, out)
            else:
                text.append(piece)
        # Text after a sub-list stays after it, as an item of its own, to keep the reading order.
        if clean("".join(text)):
            out.append(ListItem(clean("".join(text)), level))

    def _is_layout_table(self, table: Tag) -> bool:
        # Old pages lay out the whole article in table cells; those are read as containers.
        role = attribute(table, "role").strip().lower()
        return role in ("presentation", "none") or table.find(list(HEADINGS)) is not None

    def _table(self, table: Tag) -> None:
        header: tuple[str, ...] = ()
        rows: list[tuple[bool, tuple[str, ...]]] = []  # (every cell a <th>, cells)
        for child in table.children:
            if isinstance(child, Tag) and child.name in ("thead", "tbody", "tfoot"):
                for row in child.children:
                    if not (isinstance(row, Tag) and row.name == "tr"):
                        self._builder.paragraph(self._text([row]))
                        continue
                    cells = self._row(row)
                    if not cells[1]:
                        continue
                    if child.name == "thead" and not header:
                        header = cells[1]
                    else:
                        rows.append(cells)
            elif isinstance(child, Tag) and child.name == "tr":
                cells = self._row(child)
                if cells[1]:
                    rows.append(cells)
            elif isinstance(child, Tag) and child.name in ("colgroup", "col"):
                continue
            else:
                # A caption, or stray text the parser left inside the table.
                self._builder.paragraph(self._text([child]))
        if not header and rows and rows[0][0]:
            header = rows.pop(0)[1]
        self._builder.block(
            Block(BlockKind.TABLE, header=header, rows=tuple(cells for _, cells in rows))
        )

    def _row(self, row: Tag) -> tuple[bool, tuple[str, ...]]:
        cells: list[str] = []
        all_th = True
        for cell in row.children:
            if isinstance(cell, Tag) and cell.name in ("td", "th"):
                cells.append(self._text(cell.contents))
                all_th = all_th and cell.name == "th"
            else:
                self._text([cell])  # records any furniture; stray text in a row has no cell
        if not any(cells):
            return False, ()
        return all_th, tuple(cells)

    def _definitions(self, dl: Tag) -> None:
        terms: list[str] = []
        defined = False  # the current terms have had a definition
        entries: list[PageElement] = []
        for child in dl.children:
            # HTML allows <div> wrappers around each dt/dd group.
            if isinstance(child, Tag) and child.name == "div":
                entries.extend(child.children)
            else:
                entries.append(child)
        for entry in entries:
            name = entry.name if isinstance(entry, Tag) else ""
            text = self._text(entry.contents if isinstance(entry, Tag) else [entry])
            if not text:
                continue
            if name == "dt":
                if defined:
                    terms, defined = [], False
                terms.append(text)
            elif name == "dd" and terms:
                self._builder.paragraph(f"{', '.join(terms)}: {text}")
                defined = True
            else:
                if terms and not defined:
                    self._builder.paragraph(", ".join(terms))
                terms, defined = [], False
                self._builder.paragraph(text)
        if terms and not defined:
            self._builder.paragraph(", ".join(terms))

    # --- dropped regions -------------------------------------------------------------------

    def _drop_outside(self, part: list[PageElement], before_main: bool) -> None:
        first = part[0]
        if len(part) == 1 and isinstance(first, Tag):
            self._drop(first, furniture(first, outer=True) or "outside-main", before_main)
            return
        text = self._text(part, _Mode.REGION)
        if text:
            self._dropped.append(DroppedRegion("outside-main", text, before_main))

    def _drop(self, tag: Tag, label: str, before_main: bool) -> None:
        """Record a dropped element, one region per distinct part (a disclaimer, a copyright)."""
        if label in CODE:
            summary = _code_summary(tag)
            if summary:
                self._dropped.append(DroppedRegion(label, summary, before_main))
            return
        node = tag
        parts: list[tuple[list[PageElement], str]] = []
        for _ in range(MAX_DEPTH):
            parts = [
                (part, text)
                for part in group(node.children, furniture_apart=label == "outside-main")
                if (text := self._text(part, _Mode.REGION))
            ]
            only = parts[0][0][0] if len(parts) == 1 and len(parts[0][0]) == 1 else None
            if (
                isinstance(only, Tag)
                and only.name in BLOCK
                and only.name not in WHOLE
                and not (label == "outside-main" and furniture(only, outer=True))
            ):
                node = only  # a lone wrapper: its own children are the parts
                continue
            break
        else:
            parts = [([node], self._text([node], _Mode.REGION))]
        for part, text in parts:
            first = part[0]
            inner = furniture(first, outer=True) if isinstance(first, Tag) else None
            if label == "outside-main" and len(part) == 1 and isinstance(first, Tag) and inner:
                self._drop(first, inner, before_main)
            else:
                self._dropped.append(DroppedRegion(label, text, before_main))
