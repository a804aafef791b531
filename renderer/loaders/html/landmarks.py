"""Where the article is on a web page: its main content, the page furniture around and inside
it (navigation, header and footer, cookie banners, forms, media), and the page's own title and
language."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup
from bs4.element import PageElement, Tag

from renderer.loaders._build import clean
from renderer.loaders.html.elements import BLOCK, CODE, HEADINGS, attribute, is_text

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
_NEVER_BANNERS = frozenset({"html", "body", "main", "article", *HEADINGS})
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_SITE_SEPARATOR = re.compile(r"\s+[|\-–—]\s+")


def language(soup: BeautifulSoup) -> str:
    html = soup.find("html")
    if not isinstance(html, Tag):
        return ""
    lang = (attribute(html, "lang") or attribute(html, "xml:lang")).strip()
    if not _LANGUAGE.fullmatch(lang):
        return ""
    primary, _, rest = lang.partition("-")
    return f"{primary.lower()}-{rest}" if rest else primary.lower()


def page_title(soup: BeautifulSoup) -> str:
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
    markers = f"{attribute(tag, 'id')} {attribute(tag, 'class')}".lower()
    # "consent" alone also names article sections ("Informed consent"), which carry headings.
    if (
        "cookie" not in markers
        and "gdpr" not in markers
        and ("consent" not in markers or tag.find(list(HEADINGS)) is not None)
    ):
        return False
    # A banner never wraps the article; a page wrapper whose class mentions cookies does.
    return tag.find(["h1", "main", "article"]) is None


def furniture(tag: Tag, outer: bool) -> str | None:
    """The dropped-region label for page furniture, None for content.

    `outer`: the tag stands where a <header> or <footer> is the page's, not the article's.
    """
    name = tag.name
    if name in CODE:
        return name
    if _is_cookie_banner(tag):
        return "cookie-banner"
    if name in _FURNITURE:
        return _FURNITURE[name]
    role = attribute(tag, "role").strip().lower()
    if role in _FURNITURE_ROLES:
        return _FURNITURE_ROLES[role]
    if outer:
        if name in _OUTER_FURNITURE:
            return _OUTER_FURNITURE[name]
        if role in _OUTER_ROLES:
            return _OUTER_ROLES[role]
    return None


def group(children: Iterable[PageElement], furniture_apart: bool) -> list[list[PageElement]]:
    """A dropped region's children as its parts: each block alone, each run of inline content
    together, each heading with what follows it up to the next heading.

    `furniture_apart` sets furniture (a nav, a cookie banner) apart as parts of their own, where
    they are not already within a region with a label of its own.
    """
    parts: list[list[PageElement]] = []
    kind = ""  # what the last part is: "block", "inline", "heading" or "furniture"
    for child in children:
        if furniture_apart and isinstance(child, Tag) and furniture(child, outer=True):
            parts.append([child])
            kind = "furniture"
        elif isinstance(child, Tag) and child.name in HEADINGS:
            parts.append([child])
            kind = "heading"
        elif kind == "heading" or (
            kind == "inline" and not (isinstance(child, Tag) and child.name in BLOCK)
        ):
            parts[-1].append(child)
        elif isinstance(child, Tag) and child.name in BLOCK:
            parts.append([child])
            kind = "block"
        elif isinstance(child, Tag) or is_text(child):
            parts.append([child])
            kind = "inline"
    return parts


def main_content(soup: BeautifulSoup) -> Tag:
    """The first <main> (or role=main), else the first <article> not in furniture, else <body>."""
    body = soup.find("body")
    fallback: Tag = body if isinstance(body, Tag) else soup
    candidates: list[Tag] = []
    main = soup.find(lambda t: t.name == "main" or attribute(t, "role").strip().lower() == "main")
    if isinstance(main, Tag):
        candidates.append(main)
    for article in soup.find_all("article"):
        if isinstance(article, Tag) and not any(
            furniture(parent, outer=True) for parent in article.parents
        ):
            candidates.append(article)
            break
    for candidate in candidates:
        # An empty <main> (filled in by scripts) would leave nothing to read.
        if any(s.strip() for s in candidate.find_all(string=True) if is_text(s)):
            return candidate
    return fallback


class Landmarks:
    """A page's main content (`root`) and the rules for what around and inside it is furniture."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self.root = main_content(soup)
        # Without a <main> or <article>, the page's own header and footer are inside the root.
        self.root_is_landmark = self.root.name not in ("body", "[document]")

    def label(self, tag: Tag) -> str | None:
        """The dropped-region label of furniture in the main content, None for content."""
        label = furniture(tag, outer=False)
        if label is None and not self.root_is_landmark:
            outer = furniture(tag, outer=True)
            if outer is not None and self._is_page_level(tag):
                label = outer
        return label

    def _is_page_level(self, tag: Tag) -> bool:
        # A <header> or <footer> belongs to the nearest article or section around it, if any.
        for parent in tag.parents:
            if parent is self.root:
                return True
            if parent.name in ("article", "section", "main", "aside", "nav"):
                return False
        return True

    def outside(self) -> tuple[list[list[PageElement]], list[list[PageElement]]]:
        """Everything in <body> around the main content: what comes before it, and after it."""
        chain: list[Tag] = [self.root]
        for parent in self.root.parents:
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
            before.extend(group(children[:at], furniture_apart=True))
            after[:0] = group(children[at + 1 :], furniture_apart=True)
        return before, after
