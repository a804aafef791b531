"""Plainer words: the words and phrases of an article that a plain-language list has an everyday
alternative for (plain-words.tsv, packaged with the renderer; its header says where it comes
from), found section by section so the report can say where each one is."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources

LIST_NAME = "plain-words.tsv"
# The list is English: another language's text would match by accident ("ingest" in a Spanish
# sentence is not a word of it).
LANGUAGES = ("en",)
_ENDINGS = ("s", "es", "d", "ed", "ing")


@dataclass(frozen=True)
class PlainWord:
    """One entry of the list: the words to avoid, the plainer ones, and when the swap does not
    fit (empty when it always does)."""

    words: str
    plainer: str
    note: str = ""


@dataclass(frozen=True)
class WordFound:
    """An entry of the list found in an article: how often, and in which sections (by index),
    and whether every place it was found is protected text."""

    entry: PlainWord
    forms: tuple[str, ...]  # as the article writes it, lower case, first seen first
    count: int
    sections: tuple[int, ...]
    protected_only: bool


def parse_list(text: str) -> tuple[PlainWord, ...]:
    """The entries of a list in plain-words.tsv's format: `#` lines are comments, each other
    line is two or three tab-separated fields. Raises ValueError naming a bad line."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3) or not all(f.strip() for f in fields[:2]):
            raise ValueError(f"line {number}: expected words, a tab, the plainer words")
        entries.append(PlainWord(*(f.strip() for f in fields)))
    return tuple(entries)


@functools.cache
def plain_words() -> tuple[PlainWord, ...]:
    """The packaged list."""
    text = resources.files("renderer.report").joinpath(LIST_NAME).read_text(encoding="utf-8")
    return parse_list(text)


def _forms(words: str) -> str:
    """A pattern for an entry: a phrase as written (any spacing); a single word also with its
    common endings, so that "initiated" and "monitoring" are found too."""
    parts = words.lower().split()
    if len(parts) > 1:
        return r"\s+".join(re.escape(p) for p in parts)
    variants = sorted(_variants(parts[0]), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(v) for v in variants) + ")"


def _variants(word: str) -> set[str]:
    """A word as written and with its common endings."""
    stems = {word}
    if word.endswith(("e", "y")) and len(word) > 3:
        stems.add(word[:-1])
    variants = {word} | {stem + ending for stem in stems for ending in _ENDINGS}
    if word.endswith("y"):
        variants |= {word[:-1] + "ies", word[:-1] + "ied"}
    return variants


def _in_pattern_order(entries: tuple[PlainWord, ...]) -> list[PlainWord]:
    """Longer phrases first, so that "in the event of" is found as itself and not as a shorter
    entry inside it."""
    return sorted(entries, key=lambda e: (-len(e.words.split()), -len(e.words), e.words))


@functools.cache
def _matcher(entries: tuple[PlainWord, ...]) -> tuple[re.Pattern[str], dict[str, PlainWord]]:
    """One pattern for the whole list, each entry a named group, in _in_pattern_order."""
    names = {f"e{n}": entry for n, entry in enumerate(_in_pattern_order(entries))}
    alternatives = "|".join(f"(?P<{name}>{_forms(e.words)})" for name, e in names.items())
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE), names


# What IGNORECASE matching makes of a letter that lower() does not make an ASCII letter of:
# Turkish dotted and dotless I match "i", the long s matches "s" (and "İ".lower() is two
# characters, which would move every position after it). A test holds this to `re` itself.
_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
_TOKEN = re.compile(r"[\w-]+")  # a run of what the pattern's lookarounds call word characters


def _words_of(entry: PlainWord) -> list[str]:
    return entry.words.lower().split()


@functools.cache
def _by_first_word(
    entries: tuple[PlainWord, ...],
) -> dict[str, list[tuple[PlainWord, tuple[str, ...]]]] | None:
    """The entries (in the pattern's order) that can start with each word in lower case, with
    the words that must follow; None when some entry is more than ASCII letters, which only
    the pattern matches exactly."""
    ordered = _in_pattern_order(entries)
    if not all(part.isascii() and part.isalpha() for e in ordered for part in _words_of(e)):
        return None
    starts: dict[str, list[tuple[PlainWord, tuple[str, ...]]]] = {}
    for entry in ordered:
        parts = _words_of(entry)
        if len(parts) > 1:
            starts.setdefault(parts[0], []).append((entry, tuple(parts[1:])))
        else:
            for form in _variants(parts[0]):
                starts.setdefault(form, []).append((entry, ()))
    return starts


def _find_by_words(
    text: str, starts: dict[str, list[tuple[PlainWord, tuple[str, ...]]]]
) -> Iterator[tuple[PlainWord, str]] | None:
    """The entries found in `text` by their words, with the text each was found as; the same
    as the pattern finds, in the same order, for entries of ASCII letters: a word the pattern
    matches is a whole run of word characters (it is letters, with no word character or hyphen
    either side), and the words of a phrase are runs with only white space between them.
    None when folding the case moved a character, so that the pattern must be used."""
    folded = text.translate(_FOLD).lower()
    if len(folded) != len(text):
        return None
    runs = [match.span() for match in _TOKEN.finditer(text)]
    return _matches(text, folded, runs, starts)


def _matches(
    text: str,
    folded: str,
    runs: list[tuple[int, int]],
    starts: dict[str, list[tuple[PlainWord, tuple[str, ...]]]],
) -> Iterator[tuple[PlainWord, str]]:
    """_find_by_words' walk over the runs, the first entry (in the pattern's order) that fits
    at each; after a find it goes on past the find's last run, as the pattern does."""
    i = 0
    while i < len(runs):
        start, end = runs[i]
        found = None
        for entry, rest in starts.get(folded[start:end], ()):
            last = i + len(rest)
            if last >= len(runs):
                continue
            if all(
                folded[runs[i + n + 1][0] : runs[i + n + 1][1]] == word
                and text[runs[i + n][1] : runs[i + n + 1][0]].isspace()
                for n, word in enumerate(rest)
            ):
                found = entry, last
                break
        if found is None:
            i += 1
            continue
        entry, last = found
        yield entry, text[start : runs[last][1]]
        i = last + 1


def find_plain_words(
    sections: Iterable[tuple[int, str, bool]],
    language: str,
    entries: tuple[PlainWord, ...] | None = None,
) -> tuple[WordFound, ...]:
    """The list's entries found in `sections` (index, text, protected), most often found first
    (then in the list's order); none for a language the list is not in."""
    if language.split("-")[0].lower() not in LANGUAGES:
        return ()
    entries = plain_words() if entries is None else entries
    starts = _by_first_word(entries)
    tallies: dict[PlainWord, _Tally] = {}
    for index, text, protected in sections:
        found = None if starts is None else _find_by_words(text, starts)
        for entry, matched in _find_by_pattern(text, entries) if found is None else found:
            tally = tallies.setdefault(entry, _Tally())
            form = " ".join(matched.lower().split())
            if form not in tally.forms:
                tally.forms.append(form)
            tally.count += 1
            if index not in tally.sections:
                tally.sections.append(index)
            tally.protected_only = tally.protected_only and protected
    order = {entry: n for n, entry in enumerate(entries)}
    results = [
        WordFound(entry, tuple(t.forms), t.count, tuple(t.sections), t.protected_only)
        for entry, t in tallies.items()
    ]
    return tuple(sorted(results, key=lambda w: (-w.count, order[w.entry])))


def _find_by_pattern(text: str, entries: tuple[PlainWord, ...]) -> Iterator[tuple[PlainWord, str]]:
    pattern, names = _matcher(entries)
    for match in pattern.finditer(text):
        name = match.lastgroup
        assert name is not None
        yield names[name], match.group(0)


@dataclass
class _Tally:
    forms: list[str] = field(default_factory=list)
    count: int = 0
    sections: list[int] = field(default_factory=list)
    protected_only: bool = True
