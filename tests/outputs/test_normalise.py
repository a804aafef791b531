"""Speech normalisation: what the engine is given for numbers, phone numbers, addresses and odd
tokens, per language; `renderer pronounce`; and the pace check measured against what is said."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RATE, RecordingEngine, run_cli
from renderer.analysis.sentences import split_sentences
from renderer.model import Article, Block, BlockKind, Section
from renderer.outputs.audio import (
    Tags,
    audio_problems,
    build_script,
    encode_wav,
    read_audio,
    synthesise,
)
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.normalise import LONG_TOKEN, engine_text, normalise, spoken_words

LEXICON = load_lexicon()


def say(text: str, language: str = "en") -> str:
    return engine_text(text, language, LEXICON)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # emergency and helpline numbers, digit by digit
        ("Call 911 now.", "Call nine one one now."),
        ("Call 988.", "Call nine eight eight."),
        ("Ring 999 or 111.", "Ring nine nine nine or one one one."),
        ("Call NHS 111 (free).", "Call N H S one one one (free)."),
        ("In Europe dial 112.", "In Europe dial one one two."),
        # phone numbers: a comma (a short pause) between groups, vanity letters spelled
        ("Call 1-800-222-1222.", "Call one, eight zero zero, two two two, one two two two."),
        (
            "1-800-662-HELP (4357)",
            "one, eight zero zero, six six two, H E L P, four three five seven",
        ),
        ("Call (555) 123-4567.", "Call five five five, one two three, four five six seven."),
        ("Call 0800 123 4567", "Call zero eight zero zero, one two three, four five six seven"),
        ("Text 741741 to talk.", "Text seven four one seven four one to talk."),
        # ... but a count is a count, and a number with a unit is a dose
        # (an emergency number is read as one wherever it stands: a count of 911 is misread,
        # which costs less than an emergency number read as a count)
        ("There were 911 calls", "There were nine one one calls"),
        ("Take 111 mg.", "Take one hundred and eleven milligrams."),
        # doses, units in the right number, ranges
        ("Take 2-4 mg.", "Take two to four milligrams."),
        ("Take 2–4 mg.", "Take two to four milligrams."),
        ("Take 1 mg, then 2 mg.", "Take one milligram, then two milligrams."),
        ("Take 50mg.", "Take fifty milligrams."),
        ("0.5-1 mL", "zero point five to one millilitres"),
        ("5 mg/kg/day", "five milligrams per kilogram per day"),
        ("120/80 mmHg", "one hundred and twenty over eighty millimetres of mercury"),
        ("every 4 hr", "every four hours"),
        ("ages 18-65.", "ages eighteen to sixty-five."),
        ("a 24-hour line", "a twenty-four-hour line"),
        # separators, decimals, fractions, percentages, temperatures, ordinals, years, times
        ("4,000 people", "four thousand people"),
        ("50% of 1,200", "fifty percent of one thousand two hundred"),
        (
            "a fever of 38°C or 100.4 °F",
            "a fever of thirty-eight degrees Celsius or one hundred point four degrees Fahrenheit",
        ),
        ("Take 1 1/2 tablets or ½ cup", "Take one and one half tablets or one half cup"),
        ("the 3rd dose in 2024", "the third dose in twenty twenty-four"),
        ("from 2019-2021", "from twenty nineteen to twenty twenty-one"),
        ("at 8 a.m. and 8:30 p.m.", "at eight AM and eight thirty PM"),
        ("at 12:05 pm or 10 PM", "at twelve oh five PM or ten PM"),
        # addresses: the site and a short path, as a person reads them
        (
            "Visit https://www.nhs.uk/conditions/flu/ today.",
            "Visit N H S dot U K slash conditions slash flu today.",
        ),
        (
            "See www.cdc.gov/flu/about/index.html.",
            "See C D C dot gov slash flu slash about slash index.",
        ),
        ("See https://example.org/a/b/c/d?x=1.", "See example dot org."),
        ("Email help@clinic.org.", "Email help at clinic dot org."),
        # markup, long and symbol-only tokens
        ("Some <font size=80>big</font> text.", "Some big text."),
        ("A token: " + "x" * 300 + ".", "A token: a long word."),
        ("A code: " + "a1" * 30 + ".", "A code: a long code."),
        ("**** Stop ****", "Stop"),
        # acronyms from a short list
        ("Ask the WHO or your GP.", "Ask the W H O or your G P."),
        ("COVID-19 and GPs", "covid-nineteen and G Ps"),
    ],
)
def test_english(text: str, spoken: str) -> None:
    assert say(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Llame al 112.", "Llame al uno uno dos."),
        ("Llame al 061.", "Llame al cero seis uno."),
        ("Llame al 911 en México.", "Llame al nueve uno uno en México."),
        ("Teléfono 900 123 456.", "Teléfono nueve cero cero, uno dos tres, cuatro cinco seis."),
        ("Tome 0,5 mg.", "Tome cero coma cinco miligramos."),
        ("Tome 1 mg o 2 mg.", "Tome un miligramo o dos miligramos."),
        ("Tome 2-4 mg.", "Tome dos a cuatro miligramos."),
        ("4.000 personas", "cuatro mil personas"),
        ("1,5 mg cada 8 h", "uno coma cinco miligramos cada ocho horas"),
        ("Durante 1 h.", "Durante una hora."),
        ("fiebre de 38 °C", "fiebre de treinta y ocho grados Celsius"),
        ("el 50 %", "el cincuenta por ciento"),
        ("el 2.º día", "el segundo día"),
        ("Visite www.cdc.gov/spanish/.", "Visite C D C punto gov barra spanish."),
        ("Escriba a ayuda@clinica.es.", "Escriba a ayuda arroba clinica punto E S."),
        ("la OMS", "la O M S"),
    ],
)
def test_spanish(text: str, spoken: str) -> None:
    assert say(text, "es") == spoken


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        ("pt", "Ligue 112. Tome 0,5 mg.", "Ligue um um dois. Tome zero vírgula cinco miligramas."),
        ("fr", "Appelez le 112. 1 000 personnes", "Appelez le un un deux. mille personnes"),
        (
            "de",
            "Rufen Sie 112 an. 2,5 mg",
            "Rufen Sie eins eins zwei an. zwei Komma fünf Milligramm",
        ),
        ("es-MX", "Llame al 911.", "Llame al nueve uno uno."),
        ("xx", "Call 911.", "Call nine one one."),  # a language without rules: English's
    ],
)
def test_other_languages(language: str, text: str, spoken: str) -> None:
    assert say(text, language) == spoken


@pytest.mark.parametrize(
    ("language", "text", "spoken"),
    [
        # an ISO date is unambiguous in every language
        ("en", "Updated 2024-03-05.", "Updated March fifth, twenty twenty-four."),
        ("es", "Revisado el 2024-03-05.", "Revisado el cinco de marzo de dos mil veinticuatro."),
        ("fr", "Mis à jour le 2024-03-01.", "Mis à jour le premier mars deux mille vingt-quatre."),
        ("pt", "Em 2024-03-01.", "Em primeiro de março de dois mil e vinte e quatro."),
        ("de", "Stand 2024-03-05", "Stand der fünfte März zweitausendvierundzwanzig"),
        ("de", "am 05.03.2024", "am fünften März zweitausendvierundzwanzig"),
        # day or month first as the language writes it; a part over 12 settles it
        ("en", "on 3/5/2024", "on March fifth, twenty twenty-four"),
        ("en-GB", "on 3/5/2024", "on May third, twenty twenty-four"),
        ("en", "on 31/12/2024", "on December thirty-first, twenty twenty-four"),
        ("es", "el 05/03/2024", "el cinco de marzo de dos mil veinticuatro"),
        # English days written with the month: ordinals
        ("en", "From March 5 to 5 April.", "From March fifth to the fifth of April."),
        # a range of doses is not a date
        ("en", "Take 2-4 mg.", "Take two to four milligrams."),
        # an international number says its sign
        (
            "en",
            "Call +44 20 7946 0958.",
            "Call plus four four, two zero, seven nine four six, zero nine five eight.",
        ),
        (
            "es",
            "Llame al +34 91 123 45 67.",
            "Llame al más tres cuatro, nueve uno, uno dos tres, cuatro cinco, seis siete.",
        ),
    ],
)
def test_dates_and_international_numbers(language: str, text: str, spoken: str) -> None:
    assert say(text, language) == spoken


def test_the_clinic_lexicon_applies_last(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(
        "[patterns]\n'international units' = 'I U'\n[words]\nmilligrams = \"milli grams\"\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon([clinic])
    assert engine_text("Take 2 mg and 400 IU.", "en", lexicon) == (
        "Take two milli grams and four hundred I U."
    )


# -- renderer pronounce ----------------------------------------------------------------------


def test_pronounce_prints_one_line_per_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["pronounce", "Call 911 now.", "Take 2-4 mg."], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["Call nine one one now.", "Take two to four milligrams."]


def test_pronounce_in_spanish_with_a_clinic_lexicon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[words]\nmiligramos = "mili gramos"\n', encoding="utf-8")
    code, out, _ = run_cli(
        ["pronounce", "--language", "es", "--lexicon", str(clinic), "Tome 0,5 mg.", "112"], capsys
    )
    assert code == 0
    assert out.splitlines() == ["Tome cero coma cinco mili gramos.", "uno uno dos"]


def test_pronounce_needs_a_text_and_names_a_missing_lexicon(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        run_cli(["pronounce"], capsys)
    assert stop.value.code == 2
    code, _, err = run_cli(["pronounce", "--lexicon", "/nonexistent.toml", "x"], capsys)
    assert code == 2 and "/nonexistent.toml" in err


def test_pronounce_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_cli(["pronounce", "--help"], capsys)
    assert 'renderer pronounce "Call 911 now."' in capsys.readouterr().out


# -- the transcript keeps the article's words ------------------------------------------------


def test_only_the_engine_text_changes() -> None:
    text = "Call 911 or visit https://www.nhs.uk/ now. Take 2-4 mg."
    article = Article(
        "t.md", "Test", "en", (Section(0, "Help", (Block(BlockKind.PARAGRAPH, text=text),)),)
    )
    script = build_script(article, split_sentences)
    engine = RecordingEngine()
    synthesise(script, engine, LEXICON, RATE)
    assert text in script.transcript()
    assert "Call nine one one or visit N H S dot U K now." in engine.texts
    assert "Take two to four milligrams." in engine.texts


# -- the pace check --------------------------------------------------------------------------


TAGS = Tags("Leaflet", "test", "en")


def tone(samples: int) -> bytes:
    return b"\x10\x00" * samples


def test_the_pace_check_counts_the_words_said() -> None:
    address = "Visit https://www.nhs.uk/conditions/flu/ or call 1-800-222-1222. "
    transcript = "Leaflet\n\n\nSection 1 of 1: Help.\n\n" + address * 20 + "\n"
    said = spoken_words(transcript, "en")
    assert said > 3 * len(transcript.split())
    # audio as long as the words said take: right; as long as the written words: too short
    wav = encode_wav(tone(8000 * said * 60 // RATE), 8000, TAGS, ())
    facts = read_audio(wav, "wav")
    assert audio_problems(facts, transcript, RATE, [], "en") == []
    written = read_audio(encode_wav(tone(8000 * 20 * 60 // RATE), 8000, TAGS, ()), "wav")
    assert "spoken words" in audio_problems(written, transcript, RATE, [], "en")[0]


# -- a hostile article, spoken by the real engine --------------------------------------------

LONG_WORD = "a" * 150 + "b" * 150


def test_an_article_with_an_address_markup_and_a_long_word_renders_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text(
        "Flu\n\nRead more at https://www.nhs.uk/conditions/flu/ or "
        "www.cdc.gov/flu/about/index.html today.\n\n"
        f"Some pages show <font size=80> literally. Here is a long token: {LONG_WORD}.\n\n"
        "When to get help\n\nCall 911 or 1-800-222-1222 if you cannot breathe.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["render", str(source), "-o", str(out), "--formats", "pdf,audio,daisy", "--quiet"]
    code, _, err = run_cli(args, capsys)
    assert code == 0, err
    folder = out / "hostile"
    assert {"hostile.pdf", "hostile.mp3", "hostile.transcript.txt"} <= {
        p.name for p in folder.iterdir()
    }
    assert (folder / "daisy" / "ncc.html").is_file()
    transcript = (folder / "hostile.transcript.txt").read_text("utf-8")
    assert "<font size=80>" in transcript and LONG_WORD in transcript  # as written
    seconds = json.loads((folder / "manifest.json").read_text("utf-8"))["outputs"]["mp3"]["seconds"]
    assert seconds < 60  # spoken, not spelled letter by letter (that took 55 s for the body)
    code, verified, _ = run_cli(["verify", str(out)], capsys)
    assert code == 0, verified


# -- properties ------------------------------------------------------------------------------

words = st.sampled_from(["take", "the", "dose", "Call", "now", "people", "daily", "and"])
numbers = st.one_of(
    st.integers(min_value=0, max_value=99_999).map(str),
    st.integers(min_value=1000, max_value=999_999).map(lambda n: f"{n:,}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(st.integers(0, 20), st.sampled_from(["-", "–"]), st.integers(0, 20)).map(
        lambda t: f"{t[0]}{t[1]}{t[2]}"
    ),
    st.tuples(st.integers(0, 500), st.sampled_from([" mg", "mg", " mL", "%", "°C", " kg"])).map(
        lambda t: f"{t[0]}{t[1]}"
    ),
    st.sampled_from(["911", "1-800-222-1222", "(555) 123-4567", "8:30 p.m.", "1/2"]),
)


@settings(max_examples=200, database=None, deadline=None)
@given(pieces=st.lists(words | numbers, min_size=1, max_size=20))
def test_numbers_become_words_and_words_stay_in_order(pieces: list[str]) -> None:
    text = " ".join(pieces)
    spoken = normalise(text, "en")
    assert not re.search(r"\d", spoken), (text, spoken)
    kept = [p for p in pieces if p.isalpha()]
    remaining = iter(spoken.split())
    assert all(word in remaining for word in kept), (text, spoken)


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("pneumonoultramicroscopicsilicovolcanoconiosis", "en"),
        ("Rindfleischetikettierungsüberwachungsaufgaben", "de"),
        ("x" * LONG_TOKEN, "en"),
    ],
)
def test_a_long_but_real_word_is_read(word: str, language: str) -> None:
    assert normalise(f"{word}.", language) == f"{word}."
