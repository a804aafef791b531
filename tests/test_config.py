"""The configuration layer: defaults, renderer.toml, flags and code all meet the same rules."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from renderer.config import (
    SETTINGS,
    LargePrintOptions,
    Options,
    RunOptions,
    SpeechOptions,
    build_options,
    build_run_options,
    load_settings,
    options_to_json,
    parse_formats,
)
from renderer.errors import ConfigError, UsageError

OPTION_TYPES = (Options, LargePrintOptions, SpeechOptions, RunOptions)


def write(folder: Path, text: str, name: str = "renderer.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_options_give_the_json_every_fingerprint_was_made_from() -> None:
    # A manifest's fingerprint holds this JSON: a change would make every article look stale.
    assert options_to_json(Options()) == {
        "target_grade": 8.0,
        "cue_files": [],
        "formats": ["pdf", "audio"],
        "print": {
            "page_size": "letter",
            "font_size": 18.0,
            "line_spacing": 1.5,
            "theme": "standard",
            "font": None,
            "clinic_name": None,
            "clinic_phone": None,
            "audio_url": None,
            "edition": None,
        },
        "speech": {
            "voice": None,
            "rate": 150,
            "audio_format": "mp3",
            "lexicon_files": [],
            "split": False,
            "engine": None,
        },
    }


@pytest.mark.parametrize("cls", OPTION_TYPES, ids=lambda cls: cls.__name__)
def test_every_default_meets_its_own_rule(cls: type) -> None:
    # Defaults are not checked when options are built (so Options() needs no pydantic): here.
    hints = typing.get_type_hints(cls, include_extras=True)
    for option in dataclasses.fields(cls):
        if option.default is dataclasses.MISSING:
            continue
        kept = TypeAdapter(hints[option.name]).validate_python(option.default)
        assert kept == option.default, option.name


def test_options_built_in_code_keep_their_keywords_and_are_checked() -> None:
    options = Options(
        target_grade=6,
        cue_files=("clinic-cues.toml",),
        formats=("daisy", "PDF"),
        print=LargePrintOptions(page_size="A4", theme="High-Contrast", font_size=24),
        speech=SpeechOptions(audio_format="WAV", rate=130, engine="espeak", split=True),
    )
    assert options.target_grade == 6.0 and options.cue_files == (Path("clinic-cues.toml"),)
    assert options.formats == ("pdf", "daisy")  # our order, lower case
    assert (options.print.page_size, options.print.theme) == ("a4", "high-contrast")
    assert options.print.font_size == 24.0 and isinstance(options.print.font_size, float)
    assert (options.speech.audio_format, options.speech.engine) == ("wav", "espeak")
    assert pickle.loads(pickle.dumps(options)) == options  # as workers receive them
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.target_grade = 7.0  # type: ignore[misc]
    assert dataclasses.replace(options, formats=("Audio",)).formats == ("audio",)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: LargePrintOptions(font_size="18"), "--font-size must be a number, not '18'"),
        (lambda: SpeechOptions(rate=True), "--rate must be a whole number, not True"),
        (lambda: SpeechOptions(rate=150.0), "--rate must be a whole number, not 150"),
        (lambda: SpeechOptions(voice=" "), "--voice must be text, not ' '"),
        (lambda: Options(cue_files=("a.toml", "")), "--cues must be a list of file names"),
        (lambda: Options(formats=()), "--formats must be one or more of pdf, audio, daisy, epub"),
        (lambda: RunOptions(timeout=float("inf") * 0), "--timeout must be more than 0 seconds"),
        (lambda: SpeechOptions(split="yes"), "--split-audio must be true or false, not 'yes'"),
    ],
)
def test_a_value_of_the_wrong_kind_is_a_usage_error_naming_the_flag(
    build: typing.Callable[[], object], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        build()
    assert str(caught.value).startswith(message) and caught.value.exit_code == 2


def test_defaults_need_no_pydantic() -> None:
    # Checking a value loads pydantic (0.25 s); building options from defaults must not.
    code = "import sys; from renderer.config import Options; Options(); print('pydantic' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_values_as_flags_give_them_need_no_pydantic() -> None:
    # argparse gives a str, int or float: the field's rule takes it without pydantic (0.08 s).
    code = (
        "import sys; from renderer.config import *; "
        "Options(formats=parse_formats('PDF,audio'), target_grade=6.0, "
        "print=LargePrintOptions(page_size='A4', font_size=24.0, theme='Cream', clinic_name='Hill'),"
        " speech=SpeechOptions(rate=130, audio_format='WAV', split=True, engine='tone'));"
        " RunOptions(jobs=1, timeout=30.0); print('pydantic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


SAMPLES: list[object] = [
    "",
    " ",
    "A4",
    "letter",
    "Cream",
    "mp3",
    "WAV",
    "pdf,Audio",
    "pdf, braille",
    "https://x.org",
    "ftp://x",
    "espeak",
    0,
    1,
    7,
    150,
    400,
    1000,
    True,
    False,
    -1.0,
    0.0,
    8.0,
    18.0,
    33.0,
    float("nan"),
    float("inf"),
    ["pdf", "DAISY"],
    ("epub",),
    [],
    ["pdf", 3],
    ("a.toml",),
    None,
]


@pytest.mark.parametrize("cls", OPTION_TYPES, ids=lambda cls: cls.__name__)
def test_a_rule_applied_alone_agrees_with_pydantic(
    cls: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shortcut for plain values must keep, convert and refuse exactly as pydantic does,
    # in the same words.
    from renderer import config

    def outcome(option: dataclasses.Field[object], value: object) -> tuple[object, ...]:
        try:
            kept = config._checked(cls, option, value)
        except UsageError as error:
            return ("refused", str(error))
        return ("kept", kept, type(kept)) if kept == kept else ("kept NaN",)

    shortcut_taken = 0
    for option in dataclasses.fields(cls):
        annotation = config._field_types(cls)[option.name]
        for value in SAMPLES:
            try:
                taken = config._by_rule_alone(annotation, value) is not config._NEEDS_PYDANTIC
            except config.Refused:
                taken = True
            if not taken:
                continue
            shortcut_taken += 1
            alone = outcome(option, value)
            with monkeypatch.context() as forced:
                forced.setattr(config, "_by_rule_alone", lambda *_: config._NEEDS_PYDANTIC)
                assert outcome(option, value) == alone, (option.name, value)
    assert shortcut_taken >= 5  # the shortcut is taken for this class (not all left to pydantic)


def test_formats_from_a_flag() -> None:
    assert parse_formats("Daisy, PDF") == ("pdf", "daisy")
    with pytest.raises(UsageError, match="not 'braille'"):
        parse_formats("pdf,braille")


def test_settings_and_flags_merge_over_the_defaults(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        'page_size = "A4"\nfont_size = 24\nlexicon = "words/clinic.toml"\n'
        'cues = ["a.toml", "b.toml"]\nformats = ["audio", "PDF"]\njobs = 2\n',
    )
    settings, found = load_settings(config)
    assert found == config
    assert settings == {
        "page_size": "a4",
        "font_size": 24.0,
        "lexicon": (tmp_path / "words" / "clinic.toml",),  # beside the file, one made a list
        "cues": (tmp_path / "a.toml", tmp_path / "b.toml"),
        "formats": ("pdf", "audio"),
        "jobs": 2,
    }
    options = build_options({**settings, "font_size": 30.0, "split_audio": True})
    assert options.print.font_size == 30.0 and options.print.page_size == "a4"
    assert options.speech.split and options.speech.lexicon_files == settings["lexicon"]
    assert options.print.theme == "standard" and options.speech.rate == 150  # untouched
    assert build_run_options(settings) == RunOptions(jobs=2)
    assert json.loads(json.dumps(options_to_json(options)))["formats"] == ["pdf", "audio"]


def test_no_renderer_toml_means_no_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(None) == ({}, None)
    write(tmp_path, 'theme = "cream"\n')
    assert load_settings(None) == ({"theme": "cream"}, Path("renderer.toml"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"\n', "unknown key 'colour' (allowed: target_grade, cues, formats, "),
        ("font_size = 40\n", "font_size = 40: must be body text size in points, 16 to 32"),
        ('font_size = "24"\n', "font_size = '24': must be body text size in points, 16 to 32"),
        ('theme = "neon"\n', "theme = 'neon': must be one of standard, cream, high-contrast"),
        ("timeout = 0\n", "timeout = 0: must be seconds one article may take before it is "),
        ('formats = ["pdf", "video"]\n', "formats = ['pdf', 'video']: must be a list of outputs"),
        ("[print]\npage_size = 'a4'\n", "unknown key 'print'"),
        ('audio_url = "https://example.org/a.mp3"\n', "unknown key 'audio_url'"),
        ("font_size = \n", "configuration file is not valid TOML"),
    ],
)
def test_a_mistake_in_the_file_is_one_line_naming_it_the_key_and_the_cause(
    tmp_path: Path, text: str, message: str
) -> None:
    config = write(tmp_path, text, "clinic.toml")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value).startswith(f"{config}: {message}")
    assert "\n" not in str(caught.value) and caught.value.exit_code == 2


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "absent.toml")


def test_every_key_says_what_it_holds() -> None:
    assert set(SETTINGS) == {
        "target_grade",
        "cues",
        "formats",
        "page_size",
        "font_size",
        "theme",
        "font",
        "clinic_name",
        "clinic_phone",
        "edition",
        "voice",
        "rate",
        "audio_format",
        "lexicon",
        "engine",
        "jobs",
        "timeout",
    }
    assert all(SETTINGS.values())
