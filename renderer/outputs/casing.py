"""Headings written in capitals, shown in sentence case without losing names and acronyms.

Large print avoids blocks of capitals, but lower-casing a whole heading turned "HOW DR. SMITH
USES THE NMDA RECEPTOR" into "How dr. smith uses the nmda receptor". A word's own case is
taken from where the article writes it inside a sentence ("Dr. Smith", "NMDA", "SSRIs",
"New York"); a word the article never writes that way is lowered only when an English
dictionary knows it (so "EXPECT" becomes "expect" and an unknown "COVID" stays) or, in other
languages, never. Measured on the corpus, seeds and content (README: Tagged PDF): of the
all-caps headings there, this kept every product name the body spells ("Signifor") that
lower-casing lost, and left no heading in capitals.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from renderer.analysis.readability import in_english_dictionary
from renderer.model import Article, is_all_caps

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_OPENERS = " \t\"'“‘«([¿¡"
_ENDS = ".!?:;•\n\r"
# "Dr. Smith": a title's full stop does not start a sentence.
_TITLE = re.compile(r"\b[A-Z][a-z]{0,3}\.$")


class HeadingCase:
    """How an article's headings are shown: those in capitals in sentence case, each word in
    the case the article itself gives it."""

    def __init__(self, article: Article | None = None) -> None:
        self.language = article.language.split("-")[0].lower() if article else "en"
        self.article = article
        self._forms: dict[str, Counter[str]] | None = None

    @property
    def forms(self) -> dict[str, Counter[str]]:
        # Learnt on the first heading in capitals: most articles have none.
        if self._forms is None:
            units = tuple(
                unit
                for section in (self.article.sections if self.article else ())
                for block in section.blocks
                for unit in block.values()
            )
            self._forms = _forms_of(units)
        return self._forms

    def word(self, word: str) -> str:
        seen = self.forms.get(word.casefold())
        if seen:
            # The article's most frequent spelling inside a sentence; a tie goes to lower case.
            return max(seen.items(), key=lambda item: (item[1], item[0].islower()))[0]
        if self.language == "en" and in_english_dictionary(word.lower()):
            return word.lower()
        return word

    def __call__(self, heading: str) -> str:
        if not is_all_caps(heading):
            return heading
        shown = _WORD.sub(lambda m: self.word(m.group()), heading)
        return _capitalise_first(shown)


@functools.lru_cache(maxsize=4)
def _forms_of(units: tuple[str, ...]) -> dict[str, Counter[str]]:
    """Each word's spellings inside the sentences of an article's text (read only). Learnt once
    for the same text: the proof's expected text and the PDF both show the headings (10 ms)."""
    forms: dict[str, Counter[str]] = {}
    for unit in units:
        _learn(unit, forms)
    return forms


def _learn(text: str, forms: dict[str, Counter[str]]) -> None:
    """Count each word's spellings inside sentences (a capital that starts one says nothing)."""
    for match in _WORD.finditer(text):
        word = match.group()
        start = match.start()
        before = text[max(0, start - 12) : start].rstrip(_OPENERS)
        starts = (not before and start <= 12) or (before and before[-1] in _ENDS)
        if starts and not _TITLE.search(before):
            continue  # capitalised because a sentence starts there: no evidence
        forms.setdefault(word.casefold(), Counter())[word] += 1


def _capitalise_first(text: str) -> str:
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1 :]
    return text


def heading_case(article: Article | None) -> HeadingCase:
    """How this article's headings are shown (learnt once: it reads the whole article)."""
    return HeadingCase(article)


def sentence_case(heading: str, article: Article | None = None) -> str:
    """`heading` as the handout shows it (the proof expects headings and the title as this
    shows them): an ALL-CAPS heading in sentence case, names and acronyms kept as the article
    writes them; any other heading as written."""
    return HeadingCase(article)(heading)
