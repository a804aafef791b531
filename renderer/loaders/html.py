"""HTML loader: a web page's main content as sections, and the page furniture it left out."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from renderer.loaders._build import SectionBuilder, clean
from renderer.model import Article, Block, BlockKind, DroppedRegion, ListItem

# The walk recurses once or twice per element; deeper subtrees are read as flat text instead.
_MAX_DEPTH = 100

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol", "menu"})
# Elements whose edges separate words: "<p>a</p><p>b</p>" reads "a b", while "<b>a</b>b" reads "ab".
_BLOCK = frozenset(
    {
        *_HEADINGS,
        *_LISTS,
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "nav",
        "noscript",
        "optgroup",
        "option",
        "p",
        "pre",
        "search",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
    }
)
# Elements with no readable text of their own (images are ignored: alt text is not article text).
_IGNORED = frozenset(
    {"img", "picture", "source", "track", "area", "input", "meta", "link", "base", "title", "head"}
)
# Edges that also separate words: line breaks, and controls and players shown as boxes (icons,
# like images, sit inside the text flow).
_SPACED = _BLOCK | {
    "br",
    "button",
    "input",
    "select",
    "textarea",
    "iframe",
    "video",
    "audio",
    "object",
    "embed",
    "canvas",
}
_CODE = frozenset({"script", "style"})
# Read whole as one dropped region, never split into parts: a list's items belong together.
_WHOLE = frozenset({*_HEADINGS, *_LISTS, "dl", "table", "p", "pre", "blockquote"})
# Furniture wherever it stands, even inside the article, with the label its DroppedRegion gets.
_FURNITURE = {
    "script": "script",
    "style": "style",
    "nav": "nav",
    "aside": "aside",
    "form": "form",
    "select": "form",
    "textarea": "form",
    "noscript": "noscript",
    "template": "template",
    "iframe": "iframe",
    "svg": "svg",
    "button": "button",
    "video": "media",
    "audio": "media",
    "object": "media",
    "embed": "media",
    "canvas": "media",
}
_FURNITURE_ROLES = {"navigation": "nav", "complementary": "aside", "search": "form"}
# The page's header and footer; inside the article they hold its title and review date: kept.
_OUTER_FURNITURE = {"header": "header", "footer": "footer"}
_OUTER_ROLES = {"banner": "header", "contentinfo": "footer"}
# Never cookie banners, whatever their class: pages mark <body> "has-cookie-banner" and the like.
_NEVER_BANNERS = frozenset({"html", "body", "main", "article", *_HEADINGS})
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_SITE_SEPARATOR = re.compile(r"\s+[|\-–—]\s+")


class _Mark(Enum):
    SPACE = "space"  # the end of a block element: words either side stay apart
    UNMUTE = "unmute"  # the end of the title heading, whose text is not repeated in the sections


class _Mode(Enum):
    CONTENT = "content"  # article text: furniture is left out and recorded as dropped
    QUIET = "quiet"  # article text, furniture left out unrecorded (choosing the title)
    REGION = "region"  # a dropped region's own text: everything but code


def parse(text: str, source: str, fallback_title: str) -> Article:
    """Read an HTML page: its main content as sections, its furniture as dropped regions."""
    with warnings.catch_warnings():
        # A short page can look like a file name or URL to bs4; it is only ever read as markup.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    return _PageReader(soup, source, fallback_title).article()


def _attribute(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return " ".join(str(part) for part in value)


def _language(soup: BeautifulSoup) -> str:
    html = soup.find("html")
    if not isinstance(html, Tag):
        return ""
    lang = (_attribute(html, "lang") or _attribute(html, "xml:lang")).strip()
    if not _LANGUAGE.fullmatch(lang):
        return ""
    primary, _, rest = lang.partition("-")
    return f"{primary.lower()}-{rest}" if rest else primary.lower()


def _page_title(soup: BeautifulSoup) -> str:
    """The <title> without a trailing site name: "Ketamine | Clinic" -> "Ketamine"."""
    head = soup.find("head")
    title = head.find("title") if isinstance(head, Tag) else None
    if not isinstance(title, Tag):
        return ""
    text = clean(title.get_text())
    separators = list(_SITE_SEPARATOR.finditer(text))
    if separators:
        return text[: separators[-1].start()].strip() or text
    return text


def _is_cookie_banner(tag: Tag) -> bool:
    if tag.name in _NEVER_BANNERS:
        return False
    markers = f"{_attribute(tag, 'id')} {_attribute(tag, 'class')}".lower()
    # "consent" alone also names article sections ("Informed consent"), which carry headings.
    if (
        "cookie" not in markers
        and "gdpr" not in markers
        and ("consent" not in markers or tag.find(list(_HEADINGS)) is not None)
    ):
        return False
    # A banner never wraps the article; a page wrapper whose class mentions cookies does.
    return tag.find(["h1", "main", "article"]) is None


def _furniture(tag: Tag, outer: bool) -> str | None:
    """The dropped-region label for page furniture, None for content.

    `outer`: the tag stands where a <header> or <footer> is the page's, not the article's.
    """
    name = tag.name
    if name in _CODE:
        return name
    if _is_cookie_banner(tag):
        return "cookie-banner"
    if name in _FURNITURE:
        return _FURNITURE[name]
    role = _attribute(tag, "role").strip().lower()
    if role in _FURNITURE_ROLES:
        return _FURNITURE_ROLES[role]
    if outer:
        if name in _OUTER_FURNITURE:
            return _OUTER_FURNITURE[name]
        if role in _OUTER_ROLES:
            return _OUTER_ROLES[role]
    return None


def _is_text(node: PageElement) -> bool:
    # Comments, CDATA, doctypes and processing instructions are never shown.
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def _code_summary(tag: Tag) -> str:
    code = "".join(str(s) for s in tag.descendants if isinstance(s, NavigableString)).strip()
    return f"({len(code)} characters of code)" if code else ""


def _group(children: Iterable[PageElement], furniture_apart: bool) -> list[list[PageElement]]:
    """A dropped region's children as its parts: each block alone, each run of inline content
    together, each heading with what follows it up to the next heading.

    `furniture_apart` sets furniture (a nav, a cookie banner) apart as parts of their own, where
    they are not already within a region with a label of its own.
    """
    parts: list[list[PageElement]] = []
    kind = ""  # what the last part is: "block", "inline", "heading" or "furniture"
    for child in children:
        if furniture_apart and isinstance(child, Tag) and _furniture(child, outer=True):
            parts.append([child])
            kind = "furniture"
        elif isinstance(child, Tag) and child.name in _HEADINGS:
            parts.append([child])
            kind = "heading"
        elif kind == "heading" or (
            kind == "inline" and not (isinstance(child, Tag) and child.name in _BLOCK)
        ):
            parts[-1].append(child)
        elif isinstance(child, Tag) and child.name in _BLOCK:
            parts.append([child])
            kind = "block"
        elif isinstance(child, Tag) or _is_text(child):
            parts.append([child])
            kind = "inline"
    return parts


def _main_content(soup: BeautifulSoup) -> Tag:
    """The first <main> (or role=main), else the first <article> not in furniture, else <body>."""
    body = soup.find("body")
    fallback: Tag = body if isinstance(body, Tag) else soup
    candidates: list[Tag] = []
    main = soup.find(lambda t: t.name == "main" or _attribute(t, "role").strip().lower() == "main")
    if isinstance(main, Tag):
        candidates.append(main)
    for article in soup.find_all("article"):
        if isinstance(article, Tag) and not any(
            _furniture(parent, outer=True) for parent in article.parents
        ):
            candidates.append(article)
            break
    for candidate in candidates:
        # An empty <main> (filled in by scripts) would leave nothing to read.
        if any(s.strip() for s in candidate.find_all(string=True) if _is_text(s)):
            return candidate
    return fallback


class _PageReader:
    def __init__(self, soup: BeautifulSoup, source: str, fallback_title: str) -> None:
        self._soup = soup
        self._source = source
        self._fallback_title = fallback_title
        self._root = _main_content(soup)
        # Without a <main> or <article>, the page's own header and footer are inside the root.
        self._root_is_landmark = self._root.name not in ("body", "[document]")
        self._builder = SectionBuilder()
        self._dropped: list[DroppedRegion] = []
        self._inline: list[str] = []
        self._content_seen = False  # dropped regions met before any article text are "before main"
        self._last_inline: NavigableString | None = None
        self._repairs: list[str] = []
        self._title_tag: Tag | None = None
        self._title_tag, self._title = self._title_heading()

    def article(self) -> Article:
        before, after = self._outside_main()
        for part in before:
            self._drop_outside(part, before_main=True)
        self._walk(self._root, 0)
        self._flush()
        for part in after:
            self._drop_outside(part, before_main=False)
        return Article(
            source=self._source,
            title=self._title or _page_title(self._soup) or self._fallback_title,
            language=_language(self._soup),
            sections=self._builder.sections(),
            dropped=tuple(self._dropped),
            page_title=(_page_title(self._soup) or None) if self._title else None,
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
                if self._label(parent):
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
                if _is_text(node) and not muted:
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
                skip = name in _CODE or name == "template" or name in _IGNORED
            else:
                label = self._label(node)
                if label is not None and mode is _Mode.CONTENT:
                    self._drop(node, label, before_main=not self._content_seen)
                skip = label is not None or name in _IGNORED
            if skip:
                if name in _SPACED:
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
            if name in _SPACED:
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
            if _is_text(node):
                self._add_inline(str(node), node)
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        block = name in _BLOCK
        label = self._label(node)
        if label is not None or name in _IGNORED or name == "br":
            if block:
                self._flush()
            elif name in _SPACED:
                self._add_inline(" ")
            if label is not None:
                self._drop(node, label, before_main=not self._content_seen)
            return
        if block:
            self._flush()
        if node is self._title_tag:
            self._content_seen = True
            self._text([node])
        elif depth >= _MAX_DEPTH:
            # Unclean, so that the words at its edges stay apart from their neighbours' (or not).
            pieces = self._pieces([node], _Mode.CONTENT)
            self._add_inline("".join(p for p in pieces if isinstance(p, str)))
        elif name in _HEADINGS:
            heading = self._text(node.contents)
            if heading:
                self._content_seen = True
                self._builder.heading(heading, level=int(name[1]))
        elif name in _LISTS:
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
            elif isinstance(child, Tag) and child.name in _LISTS and depth < _MAX_DEPTH:
                # <ul><li>a</li><ul>...</ul></ul>: invalid, common, and meant as a sub-list
                self._list_items(child, level + 1, depth + 1, out)
            else:
                text = self._text([child])
                if text:
                    out.append(ListItem(text, level))

    def _list_item(self, li: Tag, level: int, depth: int, out: list[ListItem]) -> None:
        stop = _LISTS if depth < _MAX_DEPTH else frozenset()
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
        role = _attribute(table, "role").strip().lower()
        return role in ("presentation", "none") or table.find(list(_HEADINGS)) is not None

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

    def _outside_main(self) -> tuple[list[list[PageElement]], list[list[PageElement]]]:
        """Everything in <body> around the main content: what comes before it, and after it."""
        chain: list[Tag] = [self._root]
        for parent in self._root.parents:
            if parent.name in ("html", "[document]"):
                break
            chain.append(parent)
            if parent.name == "body":
                break
        before: list[list[PageElement]] = []
        after: list[list[PageElement]] = []
        # From the outermost ancestor in: each level's siblings before the branch holding the
        # main content precede it in reading order, those after it follow it.
        for level in range(len(chain) - 1, 0, -1):
            ancestor, branch = chain[level], chain[level - 1]
            children = list(ancestor.children)
            at = next(i for i, child in enumerate(children) if child is branch)
            before.extend(_group(children[:at], furniture_apart=True))
            after[:0] = _group(children[at + 1 :], furniture_apart=True)
        return before, after

    def _drop_outside(self, part: list[PageElement], before_main: bool) -> None:
        first = part[0]
        if len(part) == 1 and isinstance(first, Tag):
            self._drop(first, _furniture(first, outer=True) or "outside-main", before_main)
            return
        text = self._text(part, _Mode.REGION)
        if text:
            self._dropped.append(DroppedRegion("outside-main", text, before_main))

    def _label(self, tag: Tag) -> str | None:
        """The dropped-region label of furniture in the main content, None for content."""
        label = _furniture(tag, outer=False)
        if label is None and not self._root_is_landmark:
            outer = _furniture(tag, outer=True)
            if outer is not None and self._is_page_level(tag):
                label = outer
        return label

    def _is_page_level(self, tag: Tag) -> bool:
        # A <header> or <footer> belongs to the nearest article or section around it, if any.
        for parent in tag.parents:
            if parent is self._root:
                return True
            if parent.name in ("article", "section", "main", "aside", "nav"):
                return False
        return True

    def _drop(self, tag: Tag, label: str, before_main: bool) -> None:
        """Record a dropped element, one region per distinct part (a disclaimer, a copyright)."""
        if label in _CODE:
            summary = _code_summary(tag)
            if summary:
                self._dropped.append(DroppedRegion(label, summary, before_main))
            return
        node = tag
        parts: list[tuple[list[PageElement], str]] = []
        for _ in range(_MAX_DEPTH):
            parts = [
                (part, text)
                for part in _group(node.children, furniture_apart=label == "outside-main")
                if (text := self._text(part, _Mode.REGION))
            ]
            only = parts[0][0][0] if len(parts) == 1 and len(parts[0][0]) == 1 else None
            if (
                isinstance(only, Tag)
                and only.name in _BLOCK
                and only.name not in _WHOLE
                and not (label == "outside-main" and _furniture(only, outer=True))
            ):
                node = only  # a lone wrapper: its own children are the parts
                continue
            break
        else:
            parts = [([node], self._text([node], _Mode.REGION))]
        for part, text in parts:
            first = part[0]
            inner = _furniture(first, outer=True) if isinstance(first, Tag) else None
            if label == "outside-main" and len(part) == 1 and isinstance(first, Tag) and inner:
                self._drop(first, inner, before_main)
            else:
                self._dropped.append(DroppedRegion(label, text, before_main))
