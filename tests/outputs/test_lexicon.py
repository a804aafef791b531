"""The pronunciation lexicon: what the speech engine is given in place of abbreviations and symbols,
and the promise that it rewrites words in place but never deletes or reorders one."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderer.config import read_toml, validate
from renderer.errors import ConfigError
from renderer.outputs.lexicon import Lexicon, LexiconFile, load_lexicon

LEXICON = load_lexicon()


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("5 mg", "5 milligrams"),
        ("5 mcg", "5 micrograms"),
        ("5 \u00b5g", "5 micrograms"),  # micro sign
        ("5 \u03bcg", "5 micrograms"),  # Greek mu
        ("5 mL", "5 millilitres"),
        ("5 ml", "5 millilitres"),
        ("70 kg", "70 kilograms"),
        ("140 mmHg", "140 millimetres of mercury"),
        ("every 4 hr", "every 4 hours"),
        ("for 6 hrs", "for 6 hours"),
        ("an IV drip", "an I V drip"),
        ("PTSD", "P T S D"),
        ("NMDA receptors", "N M D A receptors"),
        ("OCD.", "O C D."),
        ("fruit, e.g. apples", "fruit, for example apples"),
        ("(i.e. daily)", "(that is daily)"),
        ("approx. 5 people", "approximately 5 people"),
        ("Ask Dr. Lee", "Ask Doctor Lee"),
        ("38°C", "38 degrees Celsius"),
        ("38 °C", "38 degrees Celsius"),
        ("100.4°F", "100.4 degrees Fahrenheit"),
        ("100.4 °F", "100.4 degrees Fahrenheit"),
        ("a score ≥ 10", "a score at least 10"),
        ("a score ≤ 10", "a score at most 10"),
        ("a score < 10", "a score less than 10"),
        ("a score > 10", "a score more than 10"),
        ("a score >= 10", "a score at least 10"),
        ("diet & exercise", "diet and exercise"),
        ("A&E", "A and E"),
        ("50% of people", "50 percent of people"),
        ("50 % of people", "50 percent of people"),
        ("±2", "plus or minus 2"),
        ("≥5", "at least 5"),
        ("fever (≥38°C).", "fever (at least 38 degrees Celsius)."),
        ("50%.", "50 percent."),
        ("37°Celsius", "37 degrees Celsius"),  # "°C" does not take the C of a word
        ("5 mg/kg/day", "5 milligrams per kilogram per day"),
        ("1 mg/mL", "1 milligrams per millilitre"),
        ("10 mL/h", "10 millilitres per hour"),
        ("stage IV cancer", "stage four cancer"),
        ("Type IV", "Type four"),
    ],
)
def test_default_entries_are_spoken(text: str, spoken: str) -> None:
    assert LEXICON.speak(text) == spoken


@pytest.mark.parametrize(
    "text",
    [
        "among",
        "html",
        "IVy",
        "ivory",
        "IVORY",
        "Ivy",
        "Mg",  # magnesium: [words] are case-sensitive, so the element is left alone
        "MG",
        "omg",
        "mgs",
        "mlx",
        "eg",
        "ie",
        "I am well.",
        "amount",
        "5 amps",
        "5 pmol",
        "Program",
        "Drive",
        "COVID-19",
        "2020-03-01",
        "Call 1-800-273-8255",
        "Call (555) 123-4567",
        "24/7",
        "and/or",
        "a -3 change",
    ],
)
def test_no_false_hits(text: str) -> None:
    assert LEXICON.speak(text) == text


def test_patterns_run_before_words_and_words_before_symbols(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        "[patterns]\n'#(\\d+)' = 'dose \\1 mg'\n"
        '[words]\nnumber = "NUMBER"\n'
        '[symbols]\n"§" = "number"\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon([clinic])
    # A pattern's output is read by [words]; a symbol's output is not read again.
    assert lexicon.speak("#2") == "dose 2 milligrams"
    assert lexicon.speak("§3") == "number 3"
    assert lexicon.speak("number") == "NUMBER"


def test_a_clinic_file_overrides_and_adds(tmp_path: Path) -> None:
    first = tmp_path / "first.toml"
    first.write_text(
        '[words]\nmg = "milligram"\nIU = "international units"\n[symbols]\n"%" = " per cent"\n',
        encoding="utf-8",
    )
    second = tmp_path / "second.toml"
    second.write_text('[words]\nmg = "mil-li-grams"\n', encoding="utf-8")
    lexicon = load_lexicon([first, second])
    assert (
        lexicon.speak("5 mg, 400 IU, 50%") == "5 mil-li-grams, 400 international units, 50 per cent"
    )
    assert load_lexicon([first]).speak("5 mg") == "5 milligram"
    # The defaults the clinic did not touch still hold, and the packaged file is unchanged.
    assert lexicon.speak("e.g. 5 mL") == "for example 5 millilitres"
    assert LEXICON.speak("5 mg, 400 IU") == "5 milligrams, 400 IU"


def test_a_clinic_pattern_overrides_the_default_in_its_place(tmp_path: Path) -> None:
    default_stage = r"\b([Ss]tage|[Tt]ype|[Gg]rade|[Cc]lass|[Pp]hase) IV(?!\w)"
    assert any(pattern.pattern == default_stage for pattern, _ in LEXICON.patterns)
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(f"[patterns]\n'{default_stage}' = '\\1 number four'\n", encoding="utf-8")
    assert load_lexicon([clinic]).speak("stage IV") == "stage number four"


def test_an_empty_clinic_file_changes_nothing(tmp_path: Path) -> None:
    clinic = tmp_path / "empty.toml"
    clinic.write_text("# nothing yet\n", encoding="utf-8")
    assert load_lexicon([clinic]) == LEXICON


def test_the_lexicon_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LEXICON.words = {}  # type: ignore[misc]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[words]\nmg = ""\n', "words.mg = '': must be words with a letter or digit"),
        ('[words]\nmg = " - "\n', "words.mg = ' - ': must be words with a letter or digit"),
        ('[symbols]\n"%" = " "\n', "symbols.'%' = ' ': must be words with a letter or digit"),
        ('[words]\n"e.g." = "."\n', "words.'e.g.' = '.': must be words with a letter or digit"),
        ("[patterns]\n'(\\d' = 'x'\n", "patterns.'(\\d' is not a valid regular expression"),
        ("[patterns]\n'x*' = 'y'\n", "patterns.'x*' can match empty text"),
        ("[patterns]\n'\\b' = 'y'\n", "patterns.'\\b' can match empty text"),
        ("[patterns]\n'(?=mg)' = 'y'\n", "patterns.'(?=mg)' can match empty text"),
        ("[patterns]\n'(\\d)-(\\d)' = '\\1 to \\3'\n", "patterns.'(\\d)-(\\d)': replacement"),
        ("[patterns]\n'(\\d)' = '\\g<dose>'\n", "patterns.'(\\d)': replacement"),
        (
            '[sounds]\nmg = "milligrams"\n',
            "unknown table [sounds] (allowed: patterns, words, symbols)",
        ),
        ('mg = "milligrams"\n', "unknown table [mg]"),
        ("[words]\nmg = 5\n", "words.mg = 5: must be text"),
        ('[words]\nmg = ["milligrams"]\n', "words.mg = ['milligrams']: must be text"),
        ('[words.mg]\nsay = "milligrams"\n', "words.mg = {'say': 'milligrams'}: must be text"),
        ('[words]\n"" = "nothing"\n', "words: the key '' must be text, not empty"),
        ('words = "mg"\n', "words = 'mg': must be a table of word = 'words'"),
        ("[words\n", "lexicon is not valid TOML"),
    ],
)
def test_a_bad_clinic_file_is_refused_naming_it(tmp_path: Path, toml: str, message: str) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_lexicon([clinic])
    assert caught.value.path == str(clinic)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{clinic}: ")


def test_the_packaged_lexicon_has_the_shape_a_clinic_file_must_have() -> None:
    # It is not checked when it is loaded (that would load pydantic on every start): here.
    packaged = read_toml(None, "lexicon", ("renderer.outputs", "lexicon.toml"))
    checked = validate(LexiconFile, packaged, None, "lexicon")
    assert checked.words == packaged["words"] and checked.patterns == packaged["patterns"]


def test_a_missing_clinic_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="lexicon not found") as caught:
        load_lexicon([tmp_path / "absent.toml"])
    assert caught.value.path == str(tmp_path / "absent.toml")


# --- The guarantee: words are rewritten in place, never deleted or reordered -------------------

_WORDS = re.compile(r"\w+")
_ORDINARY_SAMPLES = [
    "Take", "the", "tablet", "with", "food", "among", "html", "IVy", "Ivy", "ivory", "IVORY",
    "Mg", "MG", "stage", "type", "daily", "doses", "amount", "Program", "per", "day", "to",
    "e", "g", "i", "a", "m", "p", "café", "naïve", "Ångström", "x2",
]  # fmt: skip


def _is_ordinary(word: str) -> bool:
    """Not a lexicon key, and not the "am" of a time ("8 am" is spoken "8 AM")."""
    return word not in LEXICON.words and word.lower() not in ("am", "pm")


# A piece of text, the words of it that must come through unchanged, and whether it is rewritten.
Piece = tuple[str, tuple[str, ...], bool]

ordinary: st.SearchStrategy[Piece] = (
    (st.sampled_from(_ORDINARY_SAMPLES) | st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True))
    .filter(_is_ordinary)
    .map(lambda word: (word, (word,), False))
)
integers = st.integers(min_value=0, max_value=99).map(str)
decimals = st.tuples(integers, st.integers(min_value=0, max_value=9)).map(
    lambda t: f"{t[0]}.{t[1]}"
)
numbers: st.SearchStrategy[Piece] = (integers | decimals).map(
    lambda n: (n, tuple(_WORDS.findall(n)), False)
)
keys: st.SearchStrategy[Piece] = st.sampled_from(sorted({*LEXICON.words, *LEXICON.symbols})).map(
    lambda key: (key, (), True)
)
# Ranges, times and units glued to numbers are the speech normaliser's now (test_normalise.py).
pieces = st.lists(ordinary | numbers | keys, min_size=1, max_size=25)


def _is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(word in remaining for word in needles)


@settings(max_examples=300, database=None, deadline=None)
@given(pieces=pieces)
def test_no_word_is_deleted_or_reordered(pieces: list[Piece]) -> None:
    text = " ".join(piece for piece, _, _ in pieces)
    kept = [word for _, words, _ in pieces for word in words]
    spoken = LEXICON.speak(text)
    spoken_words = _WORDS.findall(spoken)
    assert _is_subsequence(kept, spoken_words), (text, spoken)
    # Every rewritten piece is replaced by at least one spoken word of its own.
    rewritten = sum(1 for _, _, changed in pieces if changed)
    assert len(spoken_words) >= len(kept) + rewritten, (text, spoken)


# The words a key, a time or a unit glued to a number is made of: these may be rewritten.
_KEY_WORDS = {word for key in (*LEXICON.words, *LEXICON.symbols) for word in _WORDS.findall(key)}
_TIME_WORDS = {"a", "m", "p", "am", "pm", "A", "M", "P", "AM", "PM", "00", "h"}
_GLUED = re.compile(r"\d*(?:mg|mcg|µg|μg|mL|ml|kg|mmHg|hrs?|am|pm|AM|PM)")


def _rewritable(word: str) -> bool:
    return word in _KEY_WORDS or word in _TIME_WORDS or bool(_GLUED.fullmatch(word))


@settings(max_examples=300, database=None, deadline=None)
@given(text=st.text(max_size=80) | pieces.map(lambda ps: "".join(piece for piece, _, _ in ps)))
def test_any_text_keeps_its_words_outside_the_keys(text: str) -> None:
    """On any text, even pieces run together, no word the lexicon does not rewrite is lost."""
    spoken = LEXICON.speak(text)
    kept = [word for word in _WORDS.findall(text) if not _rewritable(word)]
    assert _is_subsequence(kept, _WORDS.findall(spoken)), (text, spoken)


def test_lexicon_is_exported() -> None:
    assert isinstance(LEXICON, Lexicon)
    assert LEXICON.patterns and LEXICON.words and LEXICON.symbols


@pytest.mark.parametrize(
    ("pattern", "text", "kept"),
    [
        ("'(\\d+) mg' = '\\1'", "Take 5 mg daily.", "Take 5 milligrams daily."),
        ("'(\\w+) not' = '\\1'", "Do not drive.", "Do not drive."),
    ],
)
def test_a_pattern_made_of_group_references_cannot_delete_a_word(
    tmp_path: Path, pattern: str, text: str, kept: str
) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(f"[patterns]\n{pattern}\n", encoding="utf-8")
    assert load_lexicon([clinic]).speak(text) == kept  # the match is left as written


def test_a_pattern_of_group_references_may_still_split_glued_words(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text("[patterns]\n'(\\d+)(tabs)' = '\\1 \\2'\n", encoding="utf-8")
    assert load_lexicon([clinic]).speak("Take 2tabs.") == "Take 2 tabs."
