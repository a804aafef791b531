"""Speech normalisation: a sentence of the script rewritten, in its article's language, into
words a speech engine reads the way a person would. Only the engine's text changes; the
transcript keeps the article's words.

What is done here and what is left to the lexicon (outputs/lexicon.py, applied after this):

- **here**, per language, in code: everything that needs to know the language's numbers and
  grammar or the shape of a token: emergency, helpline and phone numbers (digit by digit, a
  pause between groups, vanity letters spelled); numbers with their separators ("4,000" in
  English is "4.000" in Spanish), decimals, ranges ("2-4 mg"), fractions, percentages,
  temperatures, ordinals, times, years; units after a number in the right number ("1 mg" is
  "one milligram", "2 mg" "two milligrams", "1 mg" in Spanish "un miligramo"); web and e-mail
  addresses; markup, long and symbol-only tokens; a short list of acronyms per language.
  Numbers come out in words (num2words), so nothing after this reads a digit.
- **the lexicon**, data a clinic edits (`--lexicon`): abbreviations and words ("Dr.", "IV",
  "mg" standing alone), symbols ("&", "<", "≥"), and "per" units ("/kg"). It runs last, on this
  stage's output, so a clinic's entry for a word always wins; a clinic pattern that looks for
  digits finds none, because numbers are words by then.

Choices a listener will notice:
- A web address is read as its site and, when short, its path: "https://www.nhs.uk/conditions/
  flu/" is "nhs dot uk slash conditions slash flu"; a path of more than three parts, or one that
  holds a code or a number, is left out after the site name. The scheme, "www." and any query
  are never read. An e-mail address is "help at clinic dot org".
- A number is read digit by digit when it is a phone number by its shape (groups like
  1-800-222-1222, (555) 123-4567, +44 20 7946 0000, 0800 ...), when it follows a word such as
  "call" or "llame", or when it is one of the language's emergency and helpline numbers (911,
  999, 111, 988, 112 ...) with no unit after it. Groups are separated by a comma: a short pause.
- Markup ("<font size=80>") is not read: the words around it are. A token of more than
  LONG_TOKEN characters is described ("a long word", "a long code") instead of spelled, and a
  run of three or more symbols with no letter or digit ("*****") is silent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from num2words import num2words

from renderer.outputs.lexicon import Lexicon

LONG_TOKEN = 50  # characters: longer than any word a reader meets (German compounds included)

# (the word for "one" that agrees with the unit, singular, plural)
Unit = tuple[str, str, str]


@dataclass(frozen=True)
class SpeechRules:
    """One language's words for reading numbers, addresses and tokens."""

    language: str  # num2words' code
    decimal: str  # the decimal separator written in this language
    thousands: str  # the thousands separators written (characters)
    point: str  # the decimal separator said
    to: str  # a range: "2 to 4"
    over: str  # blood pressure: "120 over 80"
    per: str  # "per kilogram"
    and_: str  # a whole number and a fraction: "one and a half"
    dot: str
    at: str
    slash: str
    long_word: str
    long_code: str
    units: Mapping[str, Unit]  # after a number: "mg" -> ("one", "milligram", "milligrams")
    per_words: Mapping[str, str]  # after "/" that follows a unit: "day" -> "day"
    fractions: Mapping[str, str]  # "1/2" -> "one half"
    call: str  # words after which a number is dialled (a regex alternation, case-insensitive)
    services: frozenset[str]  # emergency and helpline numbers read digit by digit
    spelled: frozenset[str]  # acronyms read letter by letter
    said: Mapping[str, str]  # acronyms read as a word: "COVID" -> "covid"
    ordinal: str = r"(?!)"  # a regex with one group, the number: "1st" -> (1)
    years: bool = False  # a bare 1100-2099 is a year ("twenty twenty-four")
    clock: Callable[[int, int, str], str] | None = None  # hour, minute, "AM"/"PM"/"" -> words


_EN_UNITS: dict[str, Unit] = {
    "mg": ("one", "milligram", "milligrams"),
    "mcg": ("one", "microgram", "micrograms"),
    "µg": ("one", "microgram", "micrograms"),
    "μg": ("one", "microgram", "micrograms"),
    "g": ("one", "gram", "grams"),
    "kg": ("one", "kilogram", "kilograms"),
    "mL": ("one", "millilitre", "millilitres"),
    "ml": ("one", "millilitre", "millilitres"),
    "L": ("one", "litre", "litres"),
    "mmHg": ("one", "millimetre of mercury", "millimetres of mercury"),
    "mmol": ("one", "millimole", "millimoles"),
    "IU": ("one", "international unit", "international units"),
    "h": ("one", "hour", "hours"),
    "hr": ("one", "hour", "hours"),
    "hrs": ("one", "hour", "hours"),
    "min": ("one", "minute", "minutes"),
    "cm": ("one", "centimetre", "centimetres"),
    "mm": ("one", "millimetre", "millimetres"),
    "kcal": ("one", "kilocalorie", "kilocalories"),
    "°C": ("one", "degree Celsius", "degrees Celsius"),
    "°F": ("one", "degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("one", "degree", "degrees"),
    "%": ("one", "percent", "percent"),
}


def _units(one_m: str, one_f: str, words: Mapping[str, tuple[str, str, bool]]) -> dict[str, Unit]:
    """A unit table from (singular, plural, feminine) per key, written once per language."""
    table = {
        key: (one_f if fem else one_m, singular, plural)
        for key, (singular, plural, fem) in words.items()
    }
    for alias, key in (("µg", "mcg"), ("μg", "mcg"), ("ml", "mL"), ("hr", "h"), ("hrs", "h")):
        if key in table:
            table[alias] = table[key]
    return table


_ES_UNITS = _units(
    "un",
    "una",
    {
        "mg": ("miligramo", "miligramos", False),
        "mcg": ("microgramo", "microgramos", False),
        "g": ("gramo", "gramos", False),
        "kg": ("kilogramo", "kilogramos", False),
        "mL": ("mililitro", "mililitros", False),
        "L": ("litro", "litros", False),
        "mmHg": ("milímetro de mercurio", "milímetros de mercurio", False),
        "UI": ("unidad internacional", "unidades internacionales", True),
        "h": ("hora", "horas", True),
        "min": ("minuto", "minutos", False),
        "cm": ("centímetro", "centímetros", False),
        "mm": ("milímetro", "milímetros", False),
        "°C": ("grado Celsius", "grados Celsius", False),
        "°": ("grado", "grados", False),
        "%": ("por ciento", "por ciento", False),
    },
)
_PT_UNITS = _units(
    "um",
    "uma",
    {
        "mg": ("miligrama", "miligramas", False),
        "mcg": ("micrograma", "microgramas", False),
        "g": ("grama", "gramas", False),
        "kg": ("quilograma", "quilogramas", False),
        "mL": ("mililitro", "mililitros", False),
        "L": ("litro", "litros", False),
        "UI": ("unidade internacional", "unidades internacionais", True),
        "h": ("hora", "horas", True),
        "min": ("minuto", "minutos", False),
        "°C": ("grau Celsius", "graus Celsius", False),
        "°": ("grau", "graus", False),
        "%": ("por cento", "por cento", False),
    },
)
_FR_UNITS = _units(
    "un",
    "une",
    {
        "mg": ("milligramme", "milligrammes", False),
        "mcg": ("microgramme", "microgrammes", False),
        "g": ("gramme", "grammes", False),
        "kg": ("kilogramme", "kilogrammes", False),
        "mL": ("millilitre", "millilitres", False),
        "L": ("litre", "litres", False),
        "UI": ("unité internationale", "unités internationales", True),
        "h": ("heure", "heures", True),
        "min": ("minute", "minutes", True),
        "°C": ("degré Celsius", "degrés Celsius", False),
        "°": ("degré", "degrés", False),
        "%": ("pour cent", "pour cent", False),
    },
)
_DE_UNITS = _units(
    "ein",
    "eine",
    {
        "mg": ("Milligramm", "Milligramm", False),
        "mcg": ("Mikrogramm", "Mikrogramm", False),
        "g": ("Gramm", "Gramm", False),
        "kg": ("Kilogramm", "Kilogramm", False),
        "mL": ("Milliliter", "Milliliter", False),
        "L": ("Liter", "Liter", False),
        "IE": ("internationale Einheit", "internationale Einheiten", True),
        "h": ("Stunde", "Stunden", True),
        "min": ("Minute", "Minuten", True),
        "°C": ("Grad Celsius", "Grad Celsius", False),
        "°": ("Grad", "Grad", False),
        "%": ("Prozent", "Prozent", False),
    },
)


def _english_clock(hour: int, minute: int, half: str) -> str:
    words = _cardinal(hour, "en")
    if minute:
        words += " " + ("oh " + _cardinal(minute, "en") if minute < 10 else _cardinal(minute, "en"))
    elif not half:
        words += " o'clock"
    return f"{words} {half}".strip()


# Month names and how a date is said, per language: numeric dates read as a person reads them
# ("2024-03-05" is not "twenty twenty-four minus three minus five").
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}
# The sign of an international number ("+44"), said before its digits.
_PLUS = {"en": "plus", "es": "más", "pt": "mais", "fr": "plus", "de": "plus"}
# English writers in the United States put the month first (3/5/2024 is March fifth); everyone
# else here writes the day first. A part over 12 settles it either way.
_MONTH_FIRST = ("en", "en-us", "en_us")


# German says the day after "am", "vom", "zum" ... in the dative: "am fünften März".
_DE_DATIVE = re.compile(r"\b(?:am|vom|zum|seit dem|ab dem|bis zum)\s+$", re.IGNORECASE)


def _say_date(year: int, month: int, day: int, language: str, before: str = "") -> str:
    code = rules_for(language).language
    name = _MONTHS[code].split()[month - 1]
    said_year = str(num2words(year, lang=code, to="year")).replace(",", "")
    if code == "en":
        return f"{name} {num2words(day, lang='en', to='ordinal')}, {said_year}"
    if code == "de":  # "der fünfte März" (5. März), "am fünften März"
        ordinal = str(num2words(day, lang="de", to="ordinal"))
        if _DE_DATIVE.search(before):
            return f"{ordinal}n {name} {said_year}"
        return f"der {ordinal} {name} {said_year}"
    first = {"fr": "premier", "pt": "primeiro"}.get(code) if day == 1 else None
    said_day = first or _cardinal(day, code)
    if code == "fr":
        return f"{said_day} {name} {said_year}"
    return f"{said_day} de {name} de {said_year}"  # es, pt


_ISO_DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-]|\.\d)")
_WRITTEN_DATE = re.compile(r"(?<![\w./-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\w/-]|\.\d)")
_MONTH_NAMES = "|".join(_MONTHS["en"].split())
_ENGLISH_DAY = re.compile(
    rf"\b({_MONTH_NAMES})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)|\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH_NAMES})\b"
)


def _dates(text: str, language: str) -> str:
    """Dates in words: "2024-03-05", "05/03/2024" (day or month first as the language writes
    it), and in English "March 5" and "5 March" with the day as an ordinal."""

    def valid(year: int, month: int, day: int) -> bool:
        return 1 <= month <= 12 and 1 <= day <= 31 and 1000 <= year <= 2999

    def iso(match: re.Match[str]) -> str:
        year, month, day = (int(g) for g in match.groups())
        if not valid(year, month, day):
            return match.group()
        return _say_date(year, month, day, language, match.string[: match.start()])

    def written(match: re.Match[str]) -> str:
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        month_first = language.lower() in _MONTH_FIRST
        if first > 12:
            month_first = False
        elif second > 12:
            month_first = True
        month, day = (first, second) if month_first else (second, first)
        if not valid(year, month, day):
            return match.group()
        return _say_date(year, month, day, language, match.string[: match.start()])

    text = _ISO_DATE.sub(iso, text)
    text = _WRITTEN_DATE.sub(written, text)
    if rules_for(language).language != "en":
        return text

    def english(match: re.Match[str]) -> str:
        if match.group(1):
            day = int(match.group(2))
            said = num2words(day, lang="en", to="ordinal")
            return f"{match.group(1)} {said}" if 1 <= day <= 31 else match.group()
        day = int(match.group(3))
        said = num2words(day, lang="en", to="ordinal")
        return f"the {said} of {match.group(4)}" if 1 <= day <= 31 else match.group()

    return _ENGLISH_DAY.sub(english, text)


RULES: dict[str, SpeechRules] = {
    "en": SpeechRules(
        language="en",
        decimal=".",
        thousands=",",
        point="point",
        to="to",
        over="over",
        per="per",
        and_="and",
        dot="dot",
        at="at",
        slash="slash",
        long_word="a long word",
        long_code="a long code",
        units=_EN_UNITS,
        per_words={"day": "day", "d": "day", "week": "week", "month": "month", "dose": "dose"},
        fractions={
            "1/2": "one half",
            "1/3": "one third",
            "2/3": "two thirds",
            "1/4": "one quarter",
            "3/4": "three quarters",
        },
        call=r"call|ring|dial|phone|telephone|tel|text|freephone|helpline|hotline|line",
        services=frozenset(
            [
                "911",
                "999",
                "111",
                "988",
                "112",
                "211",
                "311",
                "411",
                "511",
                "711",
                "811",
                "101",
                "105",
                "119",
                "000",
                "116123",
            ]
        ),
        spelled=frozenset(
            [
                "NHS",
                "GP",
                "GPs",
                "CDC",
                "FDA",
                "NIH",
                "HIV",
                "STI",
                "UTI",
                "ICU",
                "ER",
                "WHO",
                "US",
                "USA",
                "UK",
                "EU",
                "BMI",
                "COPD",
                "ADHD",
                "MRI",
                "DNA",
                "ECG",
                "EKG",
                "CPR",
            ]
        ),
        said={"COVID": "covid", "NICE": "nice", "AIDS": "aids", "NSAID": "en-said"},
        ordinal=r"(\d+)(?:st|nd|rd|th)",
        years=True,
        clock=_english_clock,
    ),
    "es": SpeechRules(
        language="es",
        decimal=",",
        thousands=".",
        point="coma",
        to="a",
        over="sobre",
        per="por",
        and_="y",
        dot="punto",
        at="arroba",
        slash="barra",
        long_word="una palabra larga",
        long_code="un código largo",
        units=_ES_UNITS,
        per_words={"día": "día", "dia": "día", "d": "día", "semana": "semana", "dosis": "dosis"},
        fractions={
            "1/2": "un medio",
            "1/3": "un tercio",
            "2/3": "dos tercios",
            "1/4": "un cuarto",
            "3/4": "tres cuartos",
        },
        call=r"llame|llama|llamar|marque|marca|marcar|teléfono|tel|línea",
        services=frozenset(
            [
                "112",
                "911",
                "061",
                "016",
                "024",
                "088",
                "091",
                "092",
                "062",
                "080",
                "085",
                "065",
                "800",
            ]
        ),
        spelled=frozenset(["OMS", "VIH", "ITS", "IMC", "EPOC", "UCI", "EE", "UU"]),
        said={"SIDA": "sida", "COVID": "covid"},
        ordinal=r"(\d+)\.?[ºª]",
    ),
    "pt": SpeechRules(
        language="pt",
        decimal=",",
        thousands=".",
        point="vírgula",
        to="a",
        over="por",
        per="por",
        and_="e",
        dot="ponto",
        at="arroba",
        slash="barra",
        long_word="uma palavra longa",
        long_code="um código longo",
        units=_PT_UNITS,
        per_words={"dia": "dia", "d": "dia", "semana": "semana", "dose": "dose"},
        fractions={"1/2": "um meio", "1/4": "um quarto", "3/4": "três quartos"},
        call=r"ligue|ligar|disque|telefone|tel|linha",
        services=frozenset(["112", "192", "193", "190", "188", "808"]),
        spelled=frozenset(["OMS", "VIH", "HIV", "SNS", "SUS", "UTI"]),
        said={"SIDA": "sida", "COVID": "covid"},
        ordinal=r"(\d+)\.?[ºª]",
    ),
    "fr": SpeechRules(
        language="fr",
        decimal=",",
        thousands="\u00a0\u202f ",
        point="virgule",
        to="à",
        over="sur",
        per="par",
        and_="et",
        dot="point",
        at="arobase",
        slash="barre oblique",
        long_word="un mot long",
        long_code="un long code",
        units=_FR_UNITS,
        per_words={"jour": "jour", "j": "jour", "semaine": "semaine", "dose": "dose"},
        fractions={"1/2": "un demi", "1/4": "un quart", "3/4": "trois quarts"},
        call=r"appelez|appeler|composez|téléphone|tél|tel",
        services=frozenset(["112", "114", "115", "119"]),
        spelled=frozenset(["OMS", "VIH", "IST"]),
        said={"SIDA": "sida", "COVID": "covid"},
        ordinal=r"(\d+)(?:er|re|e|ème)",
    ),
    "de": SpeechRules(
        language="de",
        decimal=",",
        thousands=".",
        point="Komma",
        to="bis",
        over="zu",
        per="pro",
        and_="und",
        dot="Punkt",
        at="at",
        slash="Schrägstrich",
        long_word="ein langes Wort",
        long_code="ein langer Code",
        units=_DE_UNITS,
        per_words={"Tag": "Tag", "d": "Tag", "Woche": "Woche", "Dosis": "Dosis"},
        fractions={"1/2": "ein halb", "1/4": "ein Viertel", "3/4": "drei Viertel"},
        call=r"rufen|anrufen|wählen|Telefon|Tel|Notruf",
        services=frozenset(["110", "112", "116117"]),
        spelled=frozenset(["WHO", "HIV"]),
        said={"COVID": "covid"},
    ),
}


def rules_for(language: str) -> SpeechRules:
    """The rules for an article language ("es-MX" -> Spanish); English for any other."""
    return RULES.get(language.split("-")[0].split("_")[0].lower(), RULES["en"])


def _cardinal(value: int, language: str) -> str:
    # num2words writes "one thousand, two hundred": the comma would be read as a pause.
    return str(num2words(value, lang=language)).replace(",", "")


# --- tokens that are not words --------------------------------------------------------------

_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,200})?/?>")
_TLDS = (
    "com|org|net|gov|edu|info|health|io|uk|us|ca|au|nz|ie|eu|es|mx|ar|co|cl|pe|br|pt|fr|de|at|ch|be"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()]+"
    rf"|(?<![@\w.-])(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})(?:/[^\s<>\"'()]*)?(?![\w@-])"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILING = ".,;:!?)]}'\""
_TOKEN = re.compile(r"\S+")
_SPACES = re.compile(r"[ \t]{2,}")
_VOWEL = re.compile(r"[aeiouyáéíóúàèìòùâêîôûäëïöü]", re.IGNORECASE)


def _spell(letters: str) -> str:
    return " ".join(letters.upper())


def _host_words(host: str, rules: SpeechRules) -> str:
    labels = [label for label in host.lower().split(".") if label]
    if labels and labels[0] == "www":
        labels = labels[1:]
    spoken = []
    for label in labels:
        # "uk", "nhs", "cdc": letters, not a word espeak would guess at
        if len(label) <= 2 or not _VOWEL.search(label) or label.upper() in rules.spelled:
            spoken.append(_spell(label))
        else:
            spoken.append(label.replace("-", " "))
    return f" {rules.dot} ".join(spoken)


def _say_url(address: str, rules: SpeechRules) -> str:
    rest = re.sub(r"^[a-z]+://", "", address, flags=re.IGNORECASE)
    rest = re.split(r"[?#]", rest, maxsplit=1)[0]
    host, _, path = rest.partition("/")
    words = _host_words(host.split(":")[0], rules)
    parts = [p for p in path.split("/") if p]
    if parts:
        parts[-1] = re.sub(r"\.(?:html?|aspx?|php|jsp)$", "", parts[-1], flags=re.IGNORECASE)
    # Read a short path of words; a long one, or one with a code or a number, stops at the site.
    readable = len(parts) <= 3 and all(
        re.fullmatch(r"[A-Za-z]+(?:[-_][A-Za-z]+)*", p) for p in parts
    )
    if readable:
        for part in parts:
            words += f" {rules.slash} " + re.sub(r"[-_]", " ", part)
    return words


def _say_email(address: str, rules: SpeechRules) -> str:
    local, _, host = address.partition("@")
    local_words = f" {rules.dot} ".join(w for w in local.split(".") if w)
    local_words = re.sub(r"[_+-]", " ", local_words)
    return f"{local_words} {rules.at} {_host_words(host, rules)}"


def _addresses(text: str, rules: SpeechRules) -> str:
    def url(match: re.Match[str]) -> str:
        found = match.group()
        address = found.rstrip(_TRAILING)
        return _say_url(address, rules) + found[len(address) :]

    text = _EMAIL.sub(lambda m: _say_email(m.group(), rules), text)
    return _URL.sub(url, text)


def _tokens(text: str, rules: SpeechRules) -> str:
    """Long tokens described, symbol runs made silent."""

    def token(match: re.Match[str]) -> str:
        word = match.group()
        core = word.strip(_TRAILING + "(['\"")
        if len(core) > LONG_TOKEN:
            start = word.find(core)
            described = rules.long_word if core.isalpha() else rules.long_code
            return word[:start] + described + word[start + len(core) :]
        if len(word) >= 3 and not any(c.isalnum() for c in word):
            return " "
        return word

    return _TOKEN.sub(token, text)


# --- numbers dialled ------------------------------------------------------------------------

# "1-800-662-HELP (4357)", "1-800-QUIT-NOW": digit groups, then letters, joined by dashes.
_VANITY = re.compile(
    r"(?<![\w-])(?:\+?\d{1,4}-)?(?:\d{3,4}-)+[A-Z]{2,8}(?:-[A-Z]{2,8})*(?:-\d{1,4})?(?![\w-])"
    r"(?:\s*\((\d[\d -]{2,12}\d)\))?"
)
# Digit groups joined by a dash, dot, space or brackets, each separator followed by a digit
# (so "Call 112. 1 000 people" is two numbers): "1-800-222-1222", "(555) 123-4567", "+44 20 ...".
_DIALLED = re.compile(
    r"(?<![\w.,/+-])(?:\+ ?|\()?\d+(?:(?:\)[ \u00a0]?|[-. \u00a0]\(?)\d+)*\)?(?![\w]|[.,]\d)"
)
_DATE = re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{1,2}([-/.])\d{1,2}\2\d{4}")


def _digits(group: str, rules: SpeechRules) -> str:
    return " ".join(_cardinal(int(d), rules.language) for d in group)


def _dialled_words(number: str, rules: SpeechRules) -> str:
    """Digit by digit, a comma (a short pause) between the written groups; letters spelled."""
    groups = re.findall(r"\d+|[A-Z]+", number)
    said = ", ".join(_digits(g, rules) if g.isdigit() else _spell(g) for g in groups)
    return f"{_PLUS[rules.language]} {said}" if number.lstrip("( ").startswith("+") else said


def _is_dialled(number: str, called: bool, unit_follows: bool, rules: SpeechRules) -> bool:
    number = number.strip()
    groups = re.findall(r"\d+", number)
    digits = sum(len(g) for g in groups)
    if _DATE.fullmatch(number):
        return False
    if number.startswith("+"):
        return digits >= 6
    if "(" in number and ")" in number and len(groups) >= 2:
        return digits >= 7
    if called and digits >= 3 and len(groups) <= 5 and not unit_follows:
        return True
    if len(groups) >= 3 and digits >= 7:
        # "1 000 000" is a French million, not a phone number: groups of three after the first.
        spaced_thousands = (
            " " in rules.thousands
            and re.search(r"[ \u00a0]", number) is not None
            and all(len(g) == 3 for g in groups[1:])
        )
        return not spaced_thousands or number.startswith("0")
    if len(groups) == 2 and [len(g) for g in groups] == [3, 4] and "-" in number:
        return True
    if unit_follows:
        return False
    if len(groups) == 1:
        group = groups[0]
        return (group.startswith("0") and len(group) >= 3) or group in rules.services
    return False


def _dialled(text: str, rules: SpeechRules) -> str:
    called = re.compile(rf"\b(?:{rules.call})\.?(?:\s+\w{{1,6}}){{0,2}}\s+$", re.IGNORECASE)

    def vanity(match: re.Match[str]) -> str:
        said = _dialled_words(match.group().split("(")[0], rules)
        if match.group(1):
            said += ", " + _dialled_words(match.group(1), rules)
        return said

    def number(match: re.Match[str]) -> str:
        found = match.group()
        # A closing bracket the number did not open belongs to the sentence: "(call 111)".
        tail = ""
        if found.endswith(")") and found.count("(") < found.count(")"):
            found, tail = found[:-1], ")"
        leading = len(found) - len(found.lstrip("( "))
        is_called = bool(called.search(text[: match.start()]))
        follows = re.compile(rf"\s?{_numbers_for(rules.language).unit}").match(text, match.end())
        if not _is_dialled(found, is_called, follows is not None, rules):
            return match.group()
        return found[:leading].replace("(", "") + _dialled_words(found, rules) + tail

    text = _VANITY.sub(vanity, text)
    return _DIALLED.sub(number, text)


# --- numbers counted ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Numbers:
    """The compiled patterns for one language's written numbers."""

    rules: SpeechRules
    number: str = field(init=False)
    grouped: str = field(init=False)
    unit: str = field(init=False)
    per: str = field(init=False)  # what may follow a unit after "/": "mg/kg/day"
    fractions: str = field(init=False)

    def __post_init__(self) -> None:
        r = self.rules
        decimal = re.escape(r.decimal)
        # "4,000" (en) or "4.000" (es): groups of exactly three; a decimal part after; and in
        # languages with a decimal comma, "0.5" written the English way is a decimal too.
        grouped = rf"\d{{1,3}}(?:[{r.thousands}]\d{{3}})+(?:{decimal}\d+)?"
        alternatives = [grouped, rf"\d+(?:{decimal}\d+)?"]
        if r.decimal != ".":
            alternatives.insert(1, r"\d+\.\d+(?!\.\d)")
        object.__setattr__(self, "grouped", grouped)
        object.__setattr__(self, "number", "(?:" + "|".join(alternatives) + ")")
        keys = sorted(r.units, key=len, reverse=True)
        units = "|".join(re.escape(k) + (r"(?!\w)" if k[-1].isalnum() else "") for k in keys)
        object.__setattr__(self, "unit", f"(?:{units})")
        per_keys = sorted({*r.units, *r.per_words} - {"%", "°", "°C", "°F"}, key=len, reverse=True)
        object.__setattr__(self, "per", "|".join(re.escape(k) for k in per_keys))
        object.__setattr__(self, "fractions", "|".join(re.escape(f) for f in r.fractions))

    def words(self, written: str) -> str:
        """A written number in words: "4,000" (en) and "4.000" (es) are four thousand; "0,5"
        (es) is "cero coma cinco"; a decimal part is read digit by digit."""
        r = self.rules
        if re.fullmatch(self.grouped, written):
            written = re.sub(f"[{r.thousands}]", "", written)
            whole, _, part = written.partition(r.decimal)
        else:
            whole, _, part = written.replace(",", ".").partition(".")
        said = _cardinal(int(whole or "0"), r.language)
        if part:
            said += f" {r.point} " + _digits(part, r)
        return said

    def with_unit(self, written: str, unit: str, counted: bool = True) -> str:
        """A number and its unit in the right number: "1 mg" is one milligram; the top of a
        range is counted with its bottom ("0.5-1 mL" is millilitres)."""
        one, singular, plural = self.rules.units[unit]
        if written == "1" and counted:
            return f"{one} {singular}"
        return f"{self.words(written)} {plural}"

    def plain(self, written: str) -> str:
        """A number without a unit: a year where the language reads years as such."""
        if self.rules.years and re.fullmatch(r"1[1-9]\d\d|20\d\d", written):
            return str(num2words(int(written), lang=self.rules.language, to="year"))
        return self.words(written)


@functools.cache
def _numbers_for(language: str) -> _Numbers:
    return _Numbers(rules_for(language))


_EDGE = r"(?<![\w.,])"
_END = r"(?![\w]|[.,]\d)"


def _numbers(text: str, rules: SpeechRules) -> str:
    n = _numbers_for(rules.language)
    num, unit = n.number, n.unit
    per_chain = rf"(?:/(?:{n.per})(?!\w))*"

    def say_per(chain: str) -> str:
        said = []
        for key in filter(None, chain.split("/")):
            noun = rules.units[key][1] if key in rules.units else rules.per_words[key]
            said.append(f"{rules.per} {noun}")
        return (" " + " ".join(said)) if said else ""

    # Times first, while "8:30" is whole.
    if rules.clock is not None:
        clock = rules.clock
        half = r"(?:\s?([ap])\.?m\.?|\s?([AP])\.?M\.?)"

        def time(match: re.Match[str]) -> str:
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            letter = (match.group(3) or match.group(4) or "").upper()
            return clock(hour, minute, f"{letter}M" if letter else "")

        text = re.sub(rf"{_EDGE}(\d{{1,2}})(?::([0-5]\d))?{half}(?!\w)", time, text)
        text = re.sub(
            rf"{_EDGE}(\d{{1,2}}):([0-5]\d){_END}",
            lambda m: clock(int(m.group(1)), int(m.group(2)), ""),
            text,
        )
    else:
        text = re.sub(
            rf"{_EDGE}(\d{{1,2}})[:h]([0-5]\d){_END}",
            lambda m: (
                _cardinal(int(m.group(1)), rules.language)
                + ("" if m.group(2) == "00" else " " + _cardinal(int(m.group(2)), rules.language))
            ),
            text,
        )
    # Blood pressure: "120/80 mmHg".
    text = re.sub(
        rf"{_EDGE}(\d{{2,3}})/(\d{{2,3}})(?=\s?mmHg(?!\w))",
        lambda m: f"{n.words(m.group(1))} {rules.over} {n.words(m.group(2))}",
        text,
    )
    # Ranges: "2-4 mg", "2–4 mg", "18 - 65" (not a chain such as a date or a code).
    text = re.sub(
        rf"(?<![\w.,\-–/])({num}) ?[-–] ?({num})(?:\s?({unit})({per_chain}))?(?![\w\-–/]|[.,]\d)",
        lambda m: (
            f"{n.plain(m.group(1))} {rules.to} "
            + (n.with_unit(m.group(2), m.group(3), False) if m.group(3) else n.plain(m.group(2)))
            + say_per(m.group(4) or "")
        ),
        text,
    )
    # A number and its unit, glued or not: "1 mg", "50mg", "0,5 mg", "38°C", "50%", "5 mg/kg/day".
    text = re.sub(
        rf"{_EDGE}({num})\s?({unit})({per_chain})",
        lambda m: n.with_unit(m.group(1), m.group(2)) + say_per(m.group(3)),
        text,
    )
    # Fractions: "1 1/2", "1/2", "½".
    vulgar = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4"}
    text = re.sub("[½⅓⅔¼¾]", lambda m: " " + vulgar[m.group()], text)
    text = re.sub(
        rf"{_EDGE}(?:(\d+)\s+)?({n.fractions})(?![\w/]|[.,]\d)",
        lambda m: (
            (f"{n.words(m.group(1))} {rules.and_} " if m.group(1) else "")
            + rules.fractions[m.group(2)]
        ),
        text,
    )
    # Ordinals: "1st", "2.º", "3e".
    text = re.sub(
        rf"{_EDGE}{rules.ordinal}(?!\w)",
        lambda m: str(num2words(int(m.group(1)), lang=rules.language, to="ordinal")),
        text,
    )

    return re.sub(rf"{_EDGE}{num}{_END}", lambda m: n.plain(m.group()), text)


@functools.cache
def _acronyms_for(language: str) -> re.Pattern[str] | None:
    rules = rules_for(language)
    keys = sorted({*rules.spelled, *rules.said}, key=len, reverse=True)
    if not keys:
        return None
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")


def _acronyms(text: str, rules: SpeechRules) -> str:
    pattern = _acronyms_for(rules.language)
    if pattern is None:
        return text

    def say(match: re.Match[str]) -> str:
        word = match.group()
        if word in rules.said:
            return rules.said[word]
        plural = word.endswith("s")  # "GPs": the letters, then the plural
        return _spell(word[:-1] if plural else word) + ("s" if plural else "")

    return pattern.sub(say, text)


def normalise(text: str, language: str) -> str:
    """`text` as words a speech engine reads right, in `language` (see the module's notes)."""
    rules = rules_for(language)
    spoken = _MARKUP.sub(" ", text)
    spoken = _addresses(spoken, rules)
    spoken = _tokens(spoken, rules)
    spoken = _dates(spoken, language)
    spoken = _dialled(spoken, rules)
    spoken = _numbers(spoken, rules)
    spoken = _acronyms(spoken, rules)
    spoken = _SPACES.sub(" ", spoken).strip()
    if not any(c.isalnum() for c in spoken) and any(c.isalnum() for c in text):
        return text  # nothing left to say of a text that had words: leave it to the engine
    return spoken


def engine_text(text: str, language: str, lexicon: Lexicon) -> str:
    """Exactly what the speech engine is given for `text`: normalised, then the lexicon's
    (the clinic's last). `renderer pronounce` prints this."""
    return lexicon.speak(normalise(text, language))


def spoken_words(transcript: str, language: str) -> int:
    """How many words are said for a transcript (its lines normalised): what the pace check
    measures the audio against. The clinic's lexicon is left out, so that `renderer verify`
    gets the same count from the transcript and the article's language alone."""
    return sum(len(normalise(line, language).split()) for line in transcript.splitlines())
