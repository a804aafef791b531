"""Plainer words found by their words: the same finds, in the same order, as the list's pattern."""

from __future__ import annotations

import random
import re
import sys

import pytest

from renderer.report import plainwords
from renderer.report.plainwords import PlainWord, find_plain_words, plain_words

# Word characters, hyphens, white space of several kinds, and the letters that match an ASCII
# letter under IGNORECASE though lower() does not make one of them ("İ", "ı", "ſ").
TRICKY_TEXTS = (
    "İnitiate the ıngest; ſufficient doses. PRİOR TO the visit, UTILIZE it.",
    "In  the\u00a0event\nof pain, in the event-of, in the_event of, in the event2 of.",
    "x-utilize _utilize utilize_ utilizes2 utilizes re-initiate initiates—monitoring",
    "Prior\tto surgery; prior, to; prior-to; prior to",
    "Σ ΟΔΟΣ in addition to ΣΟΦΟΣ, in order to… in accordance with (prior to)",
    "",
)


def _found(text: str, entries: tuple[PlainWord, ...]) -> tuple[plainwords.WordFound, ...]:
    return find_plain_words([(0, text, False), (3, text.upper(), True)], "en", entries)


def _by_pattern(text: str, entries: tuple[PlainWord, ...]) -> list[tuple[PlainWord, str]]:
    return list(plainwords._find_by_pattern(text, entries))


def _by_words(text: str, entries: tuple[PlainWord, ...]) -> list[tuple[PlainWord, str]]:
    starts = plainwords._by_first_word(entries)
    assert starts is not None
    found = plainwords._find_by_words(text, starts)
    assert found is not None
    return list(found)


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_the_words_find_what_the_pattern_finds(text: str) -> None:
    entries = plain_words()
    for variant in (text, text.upper(), text.title()):
        assert _by_words(variant, entries) == _by_pattern(variant, entries)


def test_the_words_find_what_the_pattern_finds_in_any_mix_of_the_lists_words() -> None:
    # The list's words in every case and with every ending, joined by every kind of gap.
    entries = plain_words()
    words = [
        form
        for entry in entries
        for word in entry.words.split()
        for form in (word, word.upper(), word.title(), word + "s", word + "ing", word[:-1] + "ied")
    ] + ["the", "of", "-", "_", "2", "'", "İ", "ı", "ſ", "K"]
    gaps = [" ", "  ", "\n", "\t", "\u00a0", "", "-", "_", ", ", ". ", "/", "'", "İ", "ı"]
    rng = random.Random(17)
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice(gaps) for _ in range(rng.randint(1, 10)))
        expected = _by_pattern(text, entries)
        assert _by_words(text, entries) == expected, text
        found += len(expected)
    assert found > 1000  # the texts did find entries, phrases among them


def test_case_folding_is_what_ignorecase_matching_does() -> None:
    # For every character: the ASCII letters IGNORECASE matches it with are the one that
    # folding makes of it, and folding never changes the length (positions stay put).
    any_letter = re.compile("[a-z]", re.IGNORECASE)
    letters = {c: re.compile(c, re.IGNORECASE) for c in "abcdefghijklmnopqrstuvwxyz"}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = char.translate(plainwords._FOLD).lower()
        assert len(folded) == 1, hex(code)
        if any_letter.fullmatch(char):
            assert [c for c, letter in letters.items() if letter.fullmatch(char)] == [folded]
        else:
            assert not ("a" <= folded <= "z"), hex(code)


def test_a_list_with_more_than_ascii_letters_is_matched_by_its_pattern() -> None:
    entries = (
        PlainWord("naïve", "new"),
        PlainWord("in the event of", "if"),
        PlainWord("x-ray", "scan"),
        PlainWord("oral", "by mouth"),
    )
    assert plainwords._by_first_word(entries) is None
    found = {
        w.entry.words: w for w in _found("A NAÏVE x-ray; in the event of an oral dose.", entries)
    }
    assert found["naïve"].forms == ("naïve",) and found["naïve"].sections == (0, 3)
    assert found["x-ray"].count == 2 and found["in the event of"].count == 2


def test_an_entry_is_found_as_the_first_in_the_patterns_order() -> None:
    # Two entries that start alike: the longer phrase wins where both fit, as in the pattern.
    entries = (
        PlainWord("in order", "so"),
        PlainWord("in order to", "to"),
        PlainWord("order", "ask for"),
    )
    text = "In order to sleep, in order, order orders."
    assert _by_words(text, entries) == _by_pattern(text, entries)
    found = {w.entry.words: (w.forms, w.count) for w in _found(text, entries)}
    assert found == {
        "in order to": (("in order to",), 2),
        "in order": (("in order",), 2),
        "order": (("order", "orders"), 4),
    }
