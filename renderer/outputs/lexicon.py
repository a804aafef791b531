"""The pronunciation lexicon: abbreviations and symbols rewritten before the speech engine sees them.

Only the text handed to espeak-ng goes through `Lexicon.speak`; the transcript keeps the article's
own words. It runs last, on the speech normaliser's output (outputs/normalise.py, which owns
numbers, phone numbers, addresses and odd tokens per language), so it holds what a clinic edits:
words, abbreviations and symbols. The lexicon is the packaged `lexicon.toml`, overridden key by
key by each clinic file given with `--lexicon`, in turn. Its three tables are applied in this
order:

1. [patterns]  regular expressions, in file order ("stage IV", "/kg");
2. [words]     whole words, case-sensitive, never inside a longer word ("mg" leaves "among");
3. [symbols]   characters or short strings, replaced wherever they occur, each spoken as a word
               of its own ("50%" is "50 percent", "A&E" is "A and E").

Every replacement must hold a letter or digit, so the lexicon can rewrite a word but never delete
one; runs of spaces left by the replacements are made single.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, ClassVar

from renderer.config import Refused, Rule, read_toml, toml_key, validate
from renderer.errors import ConfigError

# A pattern that matches empty text here (at the start, at a word's edge, before a digit...)
# would insert its replacement between words: it is refused.
_PROBES = ("", "Take 2-4 mg (0.5 mL) at 8:30 p.m., e.g. daily;\n50% < 1 µg/day & IV.")
_SPACES = re.compile(r" {2,}")
_WORD = re.compile(r"\w")
_GROUP_REFERENCE = re.compile(r"\\(?:\d+|g<[^>]*>)")
_ALNUM = re.compile(r"[^\W_]+")


def _alternation(keys: Iterable[str], edged: Callable[[str], str]) -> re.Pattern[str]:
    """One pattern for all keys, the longest first so "mcg" is not taken for a shorter key."""
    return re.compile("|".join(edged(key) for key in sorted(keys, key=len, reverse=True)) or "(?!)")


def _word(key: str) -> str:
    # Keys ending in a dot ("e.g.") have no \b after them: the edges are lookarounds instead.
    return rf"(?<![\w.]){re.escape(key)}(?!\w)"


def _symbol(key: str) -> str:
    # A symbol that starts or ends with a letter ("°C") never takes it from a word ("°Celsius").
    before = r"(?<!\w)" if _WORD.match(key) else ""
    after = r"(?!\w)" if _WORD.match(key[-1]) else ""
    return before + re.escape(key) + after


@dataclass(frozen=True)
class Lexicon:
    """A loaded lexicon: `speak(text)` is the text as the speech engine should be given it."""

    patterns: tuple[tuple[re.Pattern[str], str], ...]
    words: Mapping[str, str]
    symbols: Mapping[str, str]
    _words: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _symbols: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_words", _alternation(self.words, _word))
        object.__setattr__(self, "_symbols", _alternation(self.symbols, _symbol))

    def speak(self, text: str) -> str:
        """`text` as the speech engine should say it: patterns, then words, then symbols."""
        for pattern, replacement in self.patterns:
            text = pattern.sub(_keeping_words(replacement), text)
        text = self._words.sub(lambda match: self.words[match.group()], text)
        text = self._symbols.sub(self._say_symbol, text)
        return _SPACES.sub(" ", text)

    def _say_symbol(self, match: re.Match[str]) -> str:
        """A symbol's words, with a space on each side where it touched a word ("50%", "A&E")."""
        text, start, end = match.string, match.start(), match.end()
        before = " " if _WORD.fullmatch(text[start - 1 : start]) else ""
        after = " " if _WORD.fullmatch(text[end : end + 1]) else ""
        return before + self.symbols[match.group()] + after


def _spoken(value: str) -> str:
    if not any(char.isalnum() for char in value):
        raise Refused
    return value


def _key(value: str) -> str:
    if not value:
        raise Refused
    return value


Spoken = Annotated[
    str,
    Rule("words with a letter or digit (the lexicon may rewrite text, never delete it)", _spoken),
]
Key = Annotated[str, Rule("text, not empty", _key)]


@dataclass(frozen=True)
class LexiconFile:
    """What a lexicon file may hold (lexicon.toml, a clinic's --lexicon file)."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}  # no unknown tables

    patterns: dict[Key, Spoken] = field(
        default_factory=dict, metadata={"about": "a table of 'regular expression' = 'words'"}
    )
    words: dict[Key, Spoken] = field(
        default_factory=dict, metadata={"about": "a table of word = 'words'"}
    )
    symbols: dict[Key, Spoken] = field(
        default_factory=dict, metadata={"about": "a table of 'symbol' = 'words'"}
    )


def _keeping_words(replacement: str) -> Callable[[re.Match[str]], str]:
    """A pattern's rewrite, refused where it would drop words. A replacement with letters or
    digits of its own says the match another way ("8 a.m." as "8 AM"); one made of group
    references alone ('(\\d+) mg' = '\\1') must keep every letter and digit of the match, in
    order (it may only space them: "50mg" as "50 mg"), or the match is left as written."""
    own_words = any(char.isalnum() for char in _GROUP_REFERENCE.sub("", replacement))

    def apply(match: re.Match[str]) -> str:
        spoken = match.expand(replacement)
        if own_words or "".join(_ALNUM.findall(match.group())) == "".join(_ALNUM.findall(spoken)):
            return spoken
        return match.group()

    return apply


def _compile(key: str, replacement: str, path: Path | None) -> re.Pattern[str]:
    where = toml_key(("patterns", key))
    try:
        pattern = re.compile(key)
    except re.error as exc:
        raise ConfigError(f"{where} is not a valid regular expression: {exc}", path) from None
    if any(match.end() == match.start() for probe in _PROBES for match in pattern.finditer(probe)):
        raise ConfigError(f"{where} can match empty text", path)
    try:
        pattern.sub(replacement, "")  # parses the replacement: \3 in a two-group pattern fails
    except (re.error, IndexError) as exc:
        raise ConfigError(
            f"{where}: replacement {replacement!r} is not valid: {exc}", path
        ) from None
    return pattern


def load_lexicon(extra: Sequence[Path] = ()) -> Lexicon:
    """The default lexicon, with each clinic file's entries added or overriding in turn. A
    clinic's file is checked against LexiconFile; the packaged one by the tests (the check
    needs pydantic, which a start without a clinic file need not load)."""
    patterns: dict[str, tuple[re.Pattern[str], str]] = {}
    words: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for path in (None, *extra):
        data = read_toml(path, "lexicon", ("renderer.outputs", "lexicon.toml"))
        if path is not None:
            validate(LexiconFile, data, path, "lexicon")
        for key, replacement in data.get("patterns", {}).items():
            patterns[key] = (_compile(key, replacement, path), replacement)
        words.update(data.get("words", {}))
        symbols.update(data.get("symbols", {}))
    return Lexicon(tuple(patterns.values()), words, symbols)
