"""Text repair before analysis: mojibake and broken characters, fixed once in the loaded article
so that the classifier, every output and every proof see the same text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import ftfy

from renderer.model import Article, Block, ListItem

# Only what damages text: wrong decodings ("menâ€™s"), C1 controls, lone surrogates. Curly
# quotes, full-width letters and HTML entities are left as the author wrote them.
_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    remove_terminal_escapes=False,
    normalization=None,
    explain=False,
)


def repair_text(text: str) -> str:
    """`text` with wrongly decoded characters put right ("menâ€™s" -> "men’s")."""
    return ftfy.fix_text(text, _CONFIG)


def _fix(text: str, fixed: list[str]) -> str:
    repaired = repair_text(text)
    if repaired != text:
        fixed.append(f"mojibake repaired: {_excerpt(text)!r} -> {_excerpt(repaired)!r}")
    return repaired


def _excerpt(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _map_block(block: Block, fix: Callable[[str], str]) -> Block:
    return replace(
        block,
        text=fix(block.text),
        items=tuple(ListItem(fix(i.text), i.depth) for i in block.items),
        header=tuple(fix(c) for c in block.header),
        rows=tuple(tuple(fix(c) for c in row) for row in block.rows),
    )


def repair_article(article: Article) -> Article:
    """The article with damaged characters repaired, each repair listed in `repairs`."""
    fixed: list[str] = []

    def fix(text: str) -> str:
        return _fix(text, fixed) if text else text

    sections = tuple(
        replace(
            s,
            heading=fix(s.heading) if s.heading else s.heading,
            blocks=tuple(_map_block(b, fix) for b in s.blocks),
        )
        for s in article.sections
    )
    title = fix(article.title)
    if not fixed:
        return article
    return replace(article, title=title, sections=sections, repairs=(*article.repairs, *fixed))
