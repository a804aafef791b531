"""HTML loader: a web page's main content as sections, and the page furniture it left out.

elements.py says what HTML elements mean to a reader; landmarks.py finds the main content and
the furniture around and inside it; reader.py turns what is kept into sections and blocks and
records what is left out.
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from renderer.loaders.html.reader import PageReader
from renderer.model import Article

__all__ = ["parse"]


def parse(text: str, source: str, fallback_title: str) -> Article:
    """Read an HTML page: its main content as sections, its furniture as dropped regions."""
    with warnings.catch_warnings():
        # A short page can look like a file name or URL to bs4; it is only ever read as markup.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    return PageReader(soup, source, fallback_title).article()
