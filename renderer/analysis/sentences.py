"""Sentence splitting that is right on short imperative safety text, abbreviations and doses."""

from __future__ import annotations

import re

# A full stop, "!", "?" or an ellipsis, any closing quotes or brackets, then the gap before the
# next word. The gap must be whitespace: "2.5", "example.com" and "e.g.," never match.
_CANDIDATE = re.compile(r"(?P<stop>[.!?…]+)(?P<close>[\"'”’»)\]]*)\s+")

_LEADING_PUNCTUATION = "\"'“‘«([¿¡"
_OPENERS = frozenset(_LEADING_PUNCTUATION)

# A title stands before a name, which is capitalised, so a capital after it proves nothing.
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "prof", "st"})
# Abbreviations that introduce more of the same sentence; "e.g. Tylenol" is common in drug text.
_CONTINUING = frozenset({"e.g", "i.e", "approx", "vs", "cf"})
_NEVER_SPLIT_AFTER = _TITLES | _CONTINUING
# "No. 5", "Fig. 2", "p. 12": these are only abbreviations when a number follows.
_BEFORE_NUMBER = frozenset({"no", "nos", "fig", "figs", "p", "pp", "vol"})

# After "U.S." a capital is usually a name ("U.S. Food and Drug Administration"), so only split
# when the next word is one that typically opens a sentence ("... in the U.S. About 1 in 5 ...").
# fmt: off
_SENTENCE_OPENERS = frozenset({
    "a", "about", "after", "all", "also", "an", "and", "as", "at", "before", "both", "but", "by",
    "call", "do", "during", "each", "every", "for", "from", "he", "her", "his", "how", "however",
    "i", "if", "in", "it", "its", "many", "more", "most", "my", "no", "not", "of", "on", "one",
    "only", "other", "our", "over", "people", "she", "since", "so", "some", "that", "the", "their",
    "then", "there", "these", "they", "this", "those", "to", "up", "we", "what", "when", "where",
    "which", "while", "who", "why", "with", "you", "your",
})
# fmt: on
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]")  # "U.S", "U.K" (the final stop is the candidate)
_INITIAL = re.compile(r"[A-Z]")
_WORD = re.compile(r"\S+")


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each exactly as written but stripped; every line break ends one.

    Joining the result with spaces keeps every word of `text` in order.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _CANDIDATE.finditer(line):
            if _ends_sentence(line, match):
                sentences.append(line[start : match.end()].strip())
                start = match.end()
        rest = line[start:].strip()
        if rest:
            sentences.append(rest)
    return [s for s in sentences if s]


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    """Whether the stop found by `_CANDIDATE` ends a sentence, judged by the words either side."""
    if match.end() >= len(line):
        return False  # the end of the line ends the sentence anyway
    following = line[match.end()]
    if not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False  # a lowercase continuation ("8 a.m. daily") never starts a sentence
    if match.group("stop") != ".":
        return True  # "!", "?", "?!", "..." and "…" have no abbreviations to confuse them
    before = _words_before(line, match.start(), 2)
    if not before:
        return True
    token = before[-1].lstrip(_LEADING_PUNCTUATION)
    lowered = token.lower()
    if lowered in _NEVER_SPLIT_AFTER:
        return False
    if lowered in _BEFORE_NUMBER and following.isdigit():
        return False
    if _INITIALISM.fullmatch(token):
        following_word = _WORD.match(line, match.end())
        assert following_word is not None  # `following` is not white space
        next_word = following_word.group().strip(_LEADING_PUNCTUATION).lower()
        return next_word.rstrip(",;:") in _SENTENCE_OPENERS
    if _INITIAL.fullmatch(token) and len(before) > 1:
        # A middle initial after a title or another initial ("Dr. J. Smith", "J. R. Smith");
        # otherwise a lone capital ends a sentence ("Get vaccinated for hepatitis B. It ...").
        previous = before[-2].lstrip(_LEADING_PUNCTUATION).rstrip(".")
        return not (previous.lower() in _TITLES or _INITIAL.fullmatch(previous))
    return True


def _words_before(line: str, end: int, count: int) -> list[str]:
    """The last `count` words of `line[:end]` (fewer at its start), as `split()` would give
    them. Read backwards from `end`: splitting all of `line[:end]` at every candidate stop
    would take time quadratic in the length of a line."""
    words: list[str] = []
    i = end
    while len(words) < count:
        while i > 0 and line[i - 1].isspace():
            i -= 1
        if i == 0:
            break
        j = i
        while j > 0 and not line[j - 1].isspace():
            j -= 1
        words.append(line[j:i])
        i = j
    return words[::-1]
