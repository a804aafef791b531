"""Plainer words: the words and phrases of an article that a plain-language list has an everyday
alternative for (plain-words.tsv, packaged with the renderer; its header says where it comes
from), found section by section so the report can say where each one is."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
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
    word = parts[0]
    stems = {word}
    if word.endswith(("e", "y")) and len(word) > 3:
        stems.add(word[:-1])
    variants = {word} | {stem + ending for stem in stems for ending in _ENDINGS}
    if word.endswith("y"):
        variants |= {word[:-1] + "ies", word[:-1] + "ied"}
    return "(?:" + "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)) + ")"


@functools.cache
def _matcher(entries: tuple[PlainWord, ...]) -> tuple[re.Pattern[str], dict[str, PlainWord]]:
    """One pattern for the whole list, each entry a named group; longer phrases first, so that
    "in the event of" is found as itself and not as a shorter entry inside it."""
    ordered = sorted(entries, key=lambda e: (-len(e.words.split()), -len(e.words), e.words))
    names = {f"e{n}": entry for n, entry in enumerate(ordered)}
    alternatives = "|".join(f"(?P<{name}>{_forms(e.words)})" for name, e in names.items())
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE), names


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
    pattern, names = _matcher(entries)
    tallies: dict[PlainWord, _Tally] = {}
    for index, text, protected in sections:
        for match in pattern.finditer(text):
            name = match.lastgroup
            assert name is not None
            tally = tallies.setdefault(names[name], _Tally())
            form = " ".join(match.group(0).lower().split())
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


@dataclass
class _Tally:
    forms: list[str] = field(default_factory=list)
    count: int = 0
    sections: list[int] = field(default_factory=list)
    protected_only: bool = True
