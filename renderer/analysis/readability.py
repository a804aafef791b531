"""Readability scores for sections and articles: textstat's word counts with our sentence count."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import statistics
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import pyphen

from renderer.analysis._textstat import cmu_dictionary, counts, hyphenation, selections, utils
from renderer.analysis.sentences import split_sentences
from renderer.model import (
    Article,
    Block,
    BlockKind,
    HardSentence,
    Readability,
    SectionKind,
)

# Flesch (1948) and Fry (1968) calibrated their formulas on 100-word samples; below that one
# long word or sentence moves the score by grades. SMOG is even defined on 30 sentences
# (McLaughlin 1969, standard error 1.5 grades), which most sections never reach, so a section
# under this size gets its numbers marked as unreliable rather than presented as precise.
RELIABLE_MIN_WORDS: int = 100
RELIABLE_MIN_SENTENCES: int = 3

HARDEST_SENTENCES: int = 3
MAX_DIFFICULT_WORDS: int = 20
# textstat's `difficult_words()` default: two syllables or more and not on the Dale-Chall list.
_DIFFICULT_WORD_SYLLABLES = 2
_DEFAULT_LANGUAGE = "en_US"  # textstat's own default, so our numbers match its out of the box


def load_dictionaries() -> None:
    """Load the CMU syllable table and index the default language's hyphenation patterns (for
    words the table lacks) now: a process that forks workers does it once for all of them,
    instead of each worker taking 0.03 s. Elsewhere both load on first use."""
    cmu_dictionary()
    hyphenation(_DEFAULT_LANGUAGE)


def in_english_dictionary(word: str) -> bool:
    """Whether the CMU Pronouncing Dictionary lists `word` (in lower case, as it lists words):
    the table the English syllable counts come from, loaded once for every use in a process."""
    return word in cmu_dictionary()


# ---------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _textstat_language(language: str) -> str:
    """The code textstat and pyphen understand for an article language ("en-GB" -> "en_GB")."""
    code = language.strip().replace("-", "_")
    if code.lower() in ("", "en"):
        # pyphen's bare "en" is British; textstat's default is en_US, which we keep for "en".
        return _DEFAULT_LANGUAGE
    # textstat finds a language's root by splitting at "_", so "en-GB" must become "en_GB".
    found: str | None = pyphen.language_fallback(code)
    return found if found else _DEFAULT_LANGUAGE


@contextmanager
def _quiet_textstat() -> Iterator[None]:
    # textstat warns once per language that has no Dale-Chall list (it has en and es) and then
    # uses the English list; that is a property of the language, not news for each article.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="There is no easy words vocabulary")
        yield


# ---------------------------------------------------------------------------------------------
# Formulas: textstat 0.7.13's (backend/metrics/), term for term and in the same order so the
# floats are identical, but fed our sentence count instead of textstat's.
# ---------------------------------------------------------------------------------------------
# The five formulas that answer in US school grades; `grade` is their median.
_GRADE_FORMULAS = (
    "flesch_kincaid_grade",
    "smog_index",
    "gunning_fog",
    "coleman_liau_index",
    "automated_readability_index",
)


# ---------------------------------------------------------------------------------------------
# Counts: what the formulas read of a text, each distinct word's syllables counted once
# ---------------------------------------------------------------------------------------------
# textstat cleans a text again for each count (syllables, polysyllables, difficult words at
# three thresholds) and counts every word's syllables afresh, behind caches of 128 entries
# that one section's words overflow: a 6,500-word article took 8,700 calls of its syllable
# counter. Here textstat's counter counts each distinct word once, and the totals are made from
# those counts by textstat's own definitions (tests hold them to textstat's functions).
_CACHED_WORDS = 1 << 16  # per cache: a large vocabulary, about 10 MB at most


@functools.lru_cache(maxsize=_CACHED_WORDS)
def _syllables(word: str, lang: str) -> int:
    """textstat's syllables of `word`, which it cleans of punctuation and lowers first."""
    return int(counts.count_syllables(word, lang))


@functools.lru_cache(maxsize=_CACHED_WORDS)
def _syllables_in_text(word: str, lang: str) -> int | None:
    """What textstat's syllable count of a text adds for `word`, a word of the text as it
    cleaned and lowered it: the count of `word` alone, unless cleaning it a second time would
    change it (None). Lowering can make what cleaning drops: "İ" lowers to "i" and a dot above."""
    if selections.list_words(word, lowercase=True) != [word]:
        return None
    return _syllables(word, lang)


@functools.lru_cache(maxsize=_CACHED_WORDS)
def _word_facts(word: str, lang: str) -> tuple[int, int, bool]:
    """For a word of textstat's word list (cleaned, not lowered): its syllables as
    count_polysyllable_words counts them; as is_difficult_word counts them, in lower case
    ("DON'T" and "don't" clean to different words); and whether it is on the language's list
    of easy words, which is_difficult_word checks first."""
    lowered = word.lower()
    easy = lowered in utils.get_lang_easy_words(lang)
    return _syllables(word, lang), _syllables(lowered, lang), easy


def _words_and_syllables(text: str, lang: str) -> tuple[list[str], int]:
    """textstat's words of `text` (count_words counts them) and its count_syllables."""
    words: list[str] = selections.list_words(text)
    in_text = [_syllables_in_text(w, lang) for w in selections.list_words(text, lowercase=True)]
    known = [n for n in in_text if n is not None]
    if len(known) == len(in_text):
        return words, sum(known)
    return words, int(counts.count_syllables(text, lang))


@dataclasses.dataclass(frozen=True)
class _Counts:
    """What the formulas read of a text, each as textstat counts it.

    Every count of a text is the sum of its lines' counts: textstat's cleaning looks no further
    than the next character, and a line break is white space. So the counts of units joined by
    line breaks, as score_units joins them, are the units' counts added up.
    """

    words: int  # count_words
    syllables: int  # count_syllables
    polysyllables: int  # count_polysyllable_words: three syllables or more
    fog_difficult: int  # count_difficult_words at the language's syllable threshold
    dale_chall_difficult: int  # count_difficult_words at threshold 0: not on the easy list
    letters: int  # count_letters
    characters: int  # count_chars without white space
    tokens: int  # count_words with the punctuation-only ones
    difficult: tuple[str, ...]  # list_difficult_words at two syllables, in order
    # For the Wiener Sachtextformel (German only, else zeros): the tokens with a letter, and of
    # those the ones of three syllables or more, of one syllable, of more than six letters.
    wiener: tuple[int, int, int, int]


def _count_text(text: str, lang: str) -> _Counts:
    words, syllables = _words_and_syllables(text, lang)
    facts = [_word_facts(word, lang) for word in words]
    fog_threshold = int(utils.get_lang_cfg(lang, "syllable_threshold"))
    return _Counts(
        words=len(words),
        syllables=syllables,
        polysyllables=sum(1 for n, _, _ in facts if n >= 3),
        fog_difficult=sum(1 for _, n, easy in facts if not easy and n >= fog_threshold),
        dale_chall_difficult=sum(1 for _, _, easy in facts if not easy),
        letters=int(counts.count_letters(text)),
        characters=int(counts.count_chars(text, ignore_spaces=True)),
        tokens=int(counts.count_words(text, rm_punctuation=False)),
        difficult=tuple(
            word
            for word, (_, n, easy) in zip(words, facts, strict=True)
            if not easy and n >= _DIFFICULT_WORD_SYLLABLES
        ),
        wiener=_wiener_counts(text, lang) if _primary(lang) == "de" else (0, 0, 0, 0),
    )


def _add_counts(parts: Sequence[_Counts]) -> _Counts:
    return _Counts(
        words=sum(p.words for p in parts),
        syllables=sum(p.syllables for p in parts),
        polysyllables=sum(p.polysyllables for p in parts),
        fog_difficult=sum(p.fog_difficult for p in parts),
        dale_chall_difficult=sum(p.dale_chall_difficult for p in parts),
        letters=sum(p.letters for p in parts),
        characters=sum(p.characters for p in parts),
        tokens=sum(p.tokens for p in parts),
        difficult=tuple(word for p in parts for word in p.difficult),
        wiener=(
            sum(p.wiener[0] for p in parts),
            sum(p.wiener[1] for p in parts),
            sum(p.wiener[2] for p in parts),
            sum(p.wiener[3] for p in parts),
        ),
    )


def _primary(lang: str) -> str:
    return lang.split("_")[0].lower()


def _flesch_kincaid(words: int, syllables: int, sentences: int) -> float:
    sentence_length = words / sentences
    syllables_per_word = syllables / words
    if sentence_length == 0 or syllables_per_word == 0:
        return 0.0
    return (0.39 * sentence_length) + (11.8 * syllables_per_word) - 15.59


# ---------------------------------------------------------------------------------------------
# Languages other than English: each has its own adaptation of Flesch's reading ease, calibrated
# on its own syllables and sentences. Written here from the published formulas (textstat has
# some of them, but with its own sentence counter; the terms are the same).
# ASL: words per sentence; ASW: syllables per word.
# ---------------------------------------------------------------------------------------------
_EASE_FORMULAS: dict[str, tuple[tuple[str, float, float, float], ...]] = {
    # name, base, ASL weight, ASW weight; the first of each language gives the grade.
    "es": (
        ("fernandez_huerta", 206.84, 1.02, 60.0),  # Fernández Huerta (1959), as corrected
        ("szigriszt_pazos", 206.835, 1.0, 62.3),  # Szigriszt-Pazos (1993), the INFLESZ scale
    ),
    "pt": (("flesch_pt", 248.835, 1.015, 84.6),),  # Martins et al. (1996), Brazilian Portuguese
    "fr": (("kandel_moles", 207.0, 1.015, 73.6),),  # Kandel and Moles (1958)
    "de": (("amstad", 180.0, 1.0, 58.5),),  # Amstad (1978)
    "it": (("flesch_vacca", 217.0, 1.3, 60.0),),  # Franchina and Vacca (1986)
    "nl": (("douma", 206.835, 0.93, 77.0),),  # Douma (1960)
}
# Flesch's own table from reading ease to US school grade (1949: 90-100 is 5th grade, 80-90
# 6th, 70-80 7th, 60-70 8th-9th, 50-60 10th-12th, 30-50 college, 0-30 graduate), as points to
# interpolate between. Each adaptation above is calibrated to read on Flesch's scale, so the
# same table turns it into a grade that --target-grade can be compared with.
_EASE_TO_GRADE = ((100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 8.5), (50.0, 11.0),
                  (30.0, 14.5), (0.0, 18.0))  # fmt: skip


def ease_to_grade(ease: float) -> float:
    """A reading-ease score (0-100, higher is easier) as a US school grade, by Flesch's table."""
    points = _EASE_TO_GRADE
    if ease >= points[0][0]:
        return points[0][1]
    for (high, grade_high), (low, grade_low) in itertools.pairwise(points):
        if ease >= low:
            return grade_low + (grade_high - grade_low) * (ease - low) / (high - low)
    return points[-1][1]


def _own_scores(
    lang: str, sentences: int, words: int, syllables: int, wiener: tuple[int, int, int, int] | None
) -> dict[str, float]:
    """The language's own formulas, by name, on a text of `words` and `syllables` (and for
    German, `wiener`'s counts; None leaves that formula out); empty for English."""
    primary = _primary(lang)
    formulas = _EASE_FORMULAS.get(primary, ())
    if not formulas or not words or not sentences:
        return {}
    asl, asw = words / sentences, syllables / words
    scores = {name: base - w_asl * asl - w_asw * asw for name, base, w_asl, w_asw in formulas}
    if primary == "de" and wiener is not None:
        scores["wiener_sachtextformel"] = _wiener_sachtextformel(wiener, words, sentences)
    return scores


def _wiener_counts(text: str, lang: str) -> tuple[int, int, int, int]:
    tokens = [w for w in text.split() if any(c.isalpha() for c in w)]
    syllables = [_syllables(w, lang) for w in tokens]
    return (
        len(tokens),
        sum(1 for n in syllables if n >= 3),
        sum(1 for n in syllables if n == 1),
        sum(1 for w in tokens if len(w.strip(".,;:!?()«»\"'")) > 6),
    )


def _wiener_sachtextformel(wiener: tuple[int, int, int, int], words: int, sentences: int) -> float:
    """Bamberger and Vanecek's first Wiener Sachtextformel (1984): a German school grade."""
    tokens, many_syllables, one_syllable, long_tokens = wiener
    if not tokens or not sentences:
        return 0.0
    many = 100 * many_syllables / tokens
    one = 100 * one_syllable / tokens
    long_words = 100 * long_tokens / tokens
    return 0.1935 * many + 0.1672 * (words / sentences) + 0.1297 * long_words - 0.0327 * one - 0.875


def _formula_scores(text: str, lang: str, sentences: int) -> dict[str, float]:
    """textstat's seven formulas on `text` (with words) when it has `sentences` sentences,
    unrounded and keyed by the names of the Readability fields."""
    return _counted_scores(_count_text(text, lang), lang, sentences)


def _counted_scores(counted: _Counts, lang: str, sentences: int) -> dict[str, float]:
    """textstat's seven formulas on a text of these counts with `sentences` sentences."""
    words = counted.words
    syllables = counted.syllables
    sentence_length = words / sentences
    syllables_per_word = syllables / words
    lang_root = str(utils.get_lang_root(lang))

    def cfg(key: str, language: str) -> float:
        return float(utils.get_lang_cfg(language, key))

    if sentence_length == 0 or syllables_per_word == 0:
        flesch_reading_ease = 0.0
    else:
        flesch_reading_ease = (
            cfg("fre_base", lang_root)
            - cfg("fre_sentence_length", lang_root) * sentence_length
            - cfg("fre_syll_per_word", lang_root) * syllables_per_word
        )

    polysyllables = counted.polysyllables
    smog_index = (1.043 * (30 * (polysyllables / sentences)) ** 0.5) + 3.1291

    fog_difficult = counted.fog_difficult
    gunning_fog = 0.4 * (sentence_length + 100 * fog_difficult / words)

    letters = counted.letters / words * 100
    sentences_per_100 = sentences / words * 100
    if letters == 0 or sentences_per_100 == 0:
        coleman_liau_index = 0.0
    else:
        coleman_liau_index = (0.058 * letters) - (0.296 * sentences_per_100) - 15.8

    # ARI divides by textstat's word count *with* punctuation-only tokens, because the
    # characters of those tokens are counted too.
    chars_per_word = counted.characters / counted.tokens
    if chars_per_word == 0 or sentence_length == 0:
        automated_readability_index = 0.0
    else:
        automated_readability_index = (4.71 * chars_per_word) + (0.5 * sentence_length) - 21.43

    percent_difficult = 100 * counted.dale_chall_difficult / words
    dale_chall = (0.1579 * percent_difficult) + (0.0496 * sentence_length)
    if percent_difficult > 5:
        dale_chall += 3.6365

    return {
        "flesch_reading_ease": flesch_reading_ease,
        "flesch_kincaid_grade": _flesch_kincaid(words, syllables, sentences),
        "smog_index": smog_index,
        "gunning_fog": gunning_fog,
        "coleman_liau_index": coleman_liau_index,
        "automated_readability_index": automated_readability_index,
        "dale_chall_readability_score": dale_chall,
    }


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
def score_units(units: Sequence[str], language: str, target_grade: float) -> Readability | None:
    """Readability of text units, each of which ends a sentence; None when there are no words.

    A unit is a paragraph, a list item, a block quote or a table row: its end is always a
    sentence end, even without a full stop ("each list item is a sentence").
    """
    return _score(_Reader(_textstat_language(language)), units, target_grade)


def score_blocks(blocks: Sequence[Block], language: str, target_grade: float) -> Readability | None:
    """Readability of blocks: paragraphs and quotes, list items and table rows are units."""
    return score_units(_units(blocks), language, target_grade)


def score_article(article: Article, target_grade: float) -> Article:
    """The article with each section's readability (headings left out) and the document's.

    The document score covers every section except boilerplate, which readers skip.
    """
    # One reader for the sections and the document: the document's units are the sections'
    # (less boilerplate's), so each is counted, split and graded once.
    reader = _Reader(_textstat_language(article.language))
    sections = tuple(
        dataclasses.replace(
            section, readability=_score(reader, _units(section.blocks), target_grade)
        )
        for section in article.sections
    )
    body = [
        block
        for section in article.sections
        if section.kind is not SectionKind.BOILERPLATE
        for block in section.blocks
    ]
    return dataclasses.replace(
        article, sections=sections, readability=_score(reader, _units(body), target_grade)
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class _Unit:
    """A unit of text as scored: its counts, and its sentences (those with words) graded."""

    counts: _Counts
    sentences: tuple[HardSentence, ...]


class _Reader:
    """Reads units of text in one language, each once however often it is scored."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._units: dict[str, _Unit | None] = {}

    def unit(self, text: str) -> _Unit | None:
        """The stripped unit `text` as scored; None when it has no words."""
        if text not in self._units:
            self._units[text] = self._read(text)
        return self._units[text]

    def _read(self, text: str) -> _Unit | None:
        counted = _count_text(text, self.lang)
        if not counted.words:
            return None
        # Only pieces with a word are sentences: a stray "..." or "—" between stops is not one.
        # Every worded unit keeps at least one, since splitting never loses a word.
        sentences = []
        for sentence in split_sentences(text):
            words, syllables = _words_and_syllables(sentence, self.lang)
            if words:
                grade = _grade(len(words), syllables, self.lang)
                sentences.append(HardSentence(sentence, round(grade, 1)))
        return _Unit(counted, tuple(sentences))


def _score(reader: _Reader, units: Sequence[str], target_grade: float) -> Readability | None:
    lang = reader.lang
    with _quiet_textstat():
        read = [unit for unit in (reader.unit(text.strip()) for text in units) if unit]
    if not read:
        return None
    counted = _add_counts([unit.counts for unit in read])
    sentences = [sentence for unit in read for sentence in unit.sentences]
    scores = _counted_scores(counted, lang, len(sentences))
    words = counted.words
    own = _own_scores(lang, len(sentences), words, counted.syllables, counted.wiener)
    # sorted() is stable, so sentences of equal grade stay in reading order.
    hardest = tuple(sorted(sentences, key=lambda hard: -hard.grade)[:HARDEST_SENTENCES])
    difficult = _difficult_words(counted.difficult)

    if own:
        # The language's own reading ease, on Flesch's scale, read as a grade by Flesch's table.
        first = next(iter(own))
        grade = round(ease_to_grade(own[first]), 1)
        grade_from = f"{first} by Flesch's reading-ease table"
    else:
        # The formulas disagree by up to five grades on one text, and any one of them can be
        # thrown by a single feature (SMOG by a few long drug names, Coleman-Liau by numbers).
        # The median of the five is robust to one outlier and is still a value some formula
        # gave. Very short imperative text ("Stop. Call 911.") gives negative grades; below
        # grade 0 the number means nothing more, so the consensus stops there.
        grade = max(0.0, round(statistics.median(scores[name] for name in _GRADE_FORMULAS), 1))
        grade_from = "median of five US grade formulas"
    return Readability(
        own_scores=tuple((name, round(value, 2)) for name, value in own.items()),
        grade_from=grade_from,
        **{name: round(value, 2) for name, value in scores.items()},
        grade=grade,
        meets_target=grade <= target_grade,
        reliable=words >= RELIABLE_MIN_WORDS and len(sentences) >= RELIABLE_MIN_SENTENCES,
        words=words,
        sentences=len(sentences),
        hardest_sentences=hardest,
        difficult_words=difficult,
    )


def _units(blocks: Sequence[Block]) -> list[str]:
    return [unit for block in blocks for unit in _block_units(block)]


def _block_units(block: Block) -> list[str]:
    if block.kind is BlockKind.LIST:
        return [item.text for item in block.items]
    if block.kind is BlockKind.TABLE:
        # A row reads as one statement; "; " keeps its cells from running into one sentence.
        rows = (block.header, *block.rows)
        return ["; ".join(cell.strip() for cell in row if cell.strip()) for row in rows]
    return [block.text]


def _sentence_grade(sentence: str, lang: str) -> float:
    words, syllables = _words_and_syllables(sentence, lang)
    return _grade(len(words), syllables, lang)


def _grade(words: int, syllables: int, lang: str) -> float:
    """A sentence's grade: its language's reading ease as a grade, else Flesch-Kincaid's."""
    # The Wiener Sachtextformel (German's second) is left out: only the first formula counts.
    own = _own_scores(lang, 1, words, syllables, None)
    if own:
        return ease_to_grade(next(iter(own.values())))
    return _flesch_kincaid(words, syllables, 1)


def _difficult_words(words: Iterable[str]) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for word in words:
        found.setdefault(str(word).lower(), str(word))
        if len(found) == MAX_DIFFICULT_WORDS:
            break
    return tuple(found.values())
