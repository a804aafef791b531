"""What HTML elements mean to a reader: which separate words, which hold no text, which are
read whole."""

from __future__ import annotations

from bs4.element import NavigableString, PageElement, PreformattedString, Tag

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LISTS = frozenset({"ul", "ol", "menu"})
# Elements whose edges separate words: "<p>a</p><p>b</p>" reads "a b", while "<b>a</b>b" reads "ab".
BLOCK = frozenset(
    {
        *HEADINGS,
        *LISTS,
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
IGNORED = frozenset(
    {"img", "picture", "source", "track", "area", "input", "meta", "link", "base", "title", "head"}
)
# Edges that also separate words: line breaks, and controls and players shown as boxes (icons,
# like images, sit inside the text flow).
SPACED = BLOCK | {
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
CODE = frozenset({"script", "style"})
# Read whole as one dropped region, never split into parts: a list's items belong together.
WHOLE = frozenset({*HEADINGS, *LISTS, "dl", "table", "p", "pre", "blockquote"})


def attribute(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return " ".join(str(part) for part in value)


def is_text(node: PageElement) -> bool:
    # Comments, CDATA, doctypes and processing instructions are never shown.
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)
