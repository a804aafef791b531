"""Readability scores for sections and articles: textstat's word counts with our sentence count."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import statistics
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pyphen

from renderer.analysis._textstat import cmu_dictionary, counts, selections, utils
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
    """Load the CMU syllable table and the default language's hyphenation patterns (for words
    the table lacks) now: a process that forks workers does it once for all of them, instead
    of each worker taking 0.15 s. Elsewhere both load on first use."""
    cmu_dictionary()
    utils.get_pyphen(_DEFAULT_LANGUAGE)


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


def _count_words(text: str) -> int:
    return int(counts.count_words(text))


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


def _own_scores(text: str, lang: str, sentences: int) -> dict[str, float]:
    """The language's own formulas on `text`, by name; empty for English."""
    primary = lang.split("_")[0].lower()
    formulas = _EASE_FORMULAS.get(primary, ())
    words = _count_words(text)
    if not formulas or not words or not sentences:
        return {}
    asl, asw = words / sentences, int(counts.count_syllables(text, lang)) / words
    scores = {name: base - w_asl * asl - w_asw * asw for name, base, w_asl, w_asw in formulas}
    if primary == "de":
        scores["wiener_sachtextformel"] = _wiener_sachtextformel(text, lang, words, sentences)
    return scores


def _wiener_sachtextformel(text: str, lang: str, words: int, sentences: int) -> float:
    """Bamberger and Vanecek's first Wiener Sachtextformel (1984): a German school grade."""
    tokens = [w for w in text.split() if any(c.isalpha() for c in w)]
    if not tokens or not sentences:
        return 0.0
    syllables = [int(counts.count_syllables(w, lang)) for w in tokens]
    many = 100 * sum(1 for n in syllables if n >= 3) / len(tokens)
    one = 100 * sum(1 for n in syllables if n == 1) / len(tokens)
    long_words = 100 * sum(1 for w in tokens if len(w.strip(".,;:!?()«»\"'")) > 6) / len(tokens)
    return 0.1935 * many + 0.1672 * (words / sentences) + 0.1297 * long_words - 0.0327 * one - 0.875


def _formula_scores(text: str, lang: str, sentences: int) -> dict[str, float]:
    """textstat's seven formulas on `text` (with words) when it has `sentences` sentences,
    unrounded and keyed by the names of the Readability fields."""
    words = _count_words(text)
    syllables = int(counts.count_syllables(text, lang))
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

    polysyllables = int(counts.count_polysyllable_words(text, lang))
    smog_index = (1.043 * (30 * (polysyllables / sentences)) ** 0.5) + 3.1291

    fog_threshold = int(cfg("syllable_threshold", lang))
    fog_difficult = int(counts.count_difficult_words(text, lang, fog_threshold))
    gunning_fog = 0.4 * (sentence_length + 100 * fog_difficult / words)

    letters = int(counts.count_letters(text)) / words * 100
    sentences_per_100 = sentences / words * 100
    if letters == 0 or sentences_per_100 == 0:
        coleman_liau_index = 0.0
    else:
        coleman_liau_index = (0.058 * letters) - (0.296 * sentences_per_100) - 15.8

    # ARI divides by textstat's word count *with* punctuation-only tokens, because the
    # characters of those tokens are counted too.
    characters = int(counts.count_chars(text, ignore_spaces=True))
    chars_per_word = characters / int(counts.count_words(text, rm_punctuation=False))
    if chars_per_word == 0 or sentence_length == 0:
        automated_readability_index = 0.0
    else:
        automated_readability_index = (4.71 * chars_per_word) + (0.5 * sentence_length) - 21.43

    dale_chall_difficult = int(counts.count_difficult_words(text, lang, syllable_threshold=0))
    percent_difficult = 100 * dale_chall_difficult / words
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
    lang = _textstat_language(language)
    with _quiet_textstat():
        worded_units = [unit.strip() for unit in units if _count_words(unit) > 0]
        if not worded_units:
            return None
        # Only pieces with a word are sentences: a stray "..." or "—" between stops is not one.
        # Every worded unit keeps at least one, since splitting never loses a word.
        sentences = [s for unit in worded_units for s in split_sentences(unit) if _count_words(s)]
        text = "\n".join(worded_units)
        scores = _formula_scores(text, lang, len(sentences))
        words = _count_words(text)
        own = _own_scores(text, lang, len(sentences))
        hardest = _hardest_sentences(sentences, lang)
        difficult = _difficult_words(text, lang)

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


def score_blocks(blocks: Sequence[Block], language: str, target_grade: float) -> Readability | None:
    """Readability of blocks: paragraphs and quotes, list items and table rows are units."""
    return score_units(
        [unit for block in blocks for unit in _block_units(block)], language, target_grade
    )


def score_article(article: Article, target_grade: float) -> Article:
    """The article with each section's readability (headings left out) and the document's.

    The document score covers every section except boilerplate, which readers skip.
    """
    sections = tuple(
        dataclasses.replace(
            section, readability=score_blocks(section.blocks, article.language, target_grade)
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
        article,
        sections=sections,
        readability=score_blocks(body, article.language, target_grade),
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def _block_units(block: Block) -> list[str]:
    if block.kind is BlockKind.LIST:
        return [item.text for item in block.items]
    if block.kind is BlockKind.TABLE:
        # A row reads as one statement; "; " keeps its cells from running into one sentence.
        rows = (block.header, *block.rows)
        return ["; ".join(cell.strip() for cell in row if cell.strip()) for row in rows]
    return [block.text]


def _hardest_sentences(sentences: Sequence[str], lang: str) -> tuple[HardSentence, ...]:
    graded = [
        HardSentence(sentence, round(_sentence_grade(sentence, lang), 1)) for sentence in sentences
    ]
    # sorted() is stable, so sentences of equal grade stay in reading order.
    return tuple(sorted(graded, key=lambda hard: -hard.grade)[:HARDEST_SENTENCES])


def _sentence_grade(sentence: str, lang: str) -> float:
    own = _own_scores(sentence, lang, 1)
    if own:
        return ease_to_grade(next(iter(own.values())))
    syllables = int(counts.count_syllables(sentence, lang))
    return _flesch_kincaid(_count_words(sentence), syllables, 1)


def _difficult_words(text: str, lang: str) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for word in selections.list_difficult_words(text, _DIFFICULT_WORD_SYLLABLES, lang):
        found.setdefault(str(word).lower(), str(word))
        if len(found) == MAX_DIFFICULT_WORDS:
            break
    return tuple(found.values())
