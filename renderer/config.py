"""Options of a run, checked once: defaults, then a clinic's files, then command-line flags."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from renderer.errors import ConfigError, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def read_toml(
    path: Path | None, what: str, default: tuple[str, str] | None = None
) -> dict[str, Any]:
    """A TOML file as a table: `path`, or when it is None the packaged file `default`
    (package, name). `what` names the file in errors ("cue file", "lexicon")."""
    try:
        if path is None:
            assert default is not None
            raw = resources.files(default[0]).joinpath(default[1]).read_bytes()
        else:
            raw = path.read_bytes()
        return tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path) from None
    except IsADirectoryError:
        raise ConfigError(f"{what} is a folder, not a file", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {what}: {exc}", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} is not valid TOML: {exc}", path) from None


# NIH asks for patient material below grade 8; AMA and AAFP ask for 6th grade or lower.
DEFAULT_TARGET_GRADE = 8.0
GRADE_RANGE = (1.0, 20.0)


PAGE_SIZES = ("letter", "a4")
THEMES = ("standard", "cream", "high-contrast")
FONT_SIZE_RANGE = (16.0, 32.0)  # UKAAF: 16 pt minimum, 18 ideal; above 32 a line holds too little


@dataclass(frozen=True)
class LargePrintOptions:
    """How the PDF handout looks: paper, type size, theme, font, and the clinic's details."""

    page_size: str = "letter"
    font_size: float = 18.0
    line_spacing: float = 1.5
    theme: str = "standard"
    font: Path | None = None
    clinic_name: str | None = None
    clinic_phone: str | None = None
    audio_url: str | None = None

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise UsageError(
                f"--page-size must be one of {', '.join(PAGE_SIZES)}, not {self.page_size!r}"
            )
        if self.theme not in THEMES:
            raise UsageError(f"--theme must be one of {', '.join(THEMES)}, not {self.theme!r}")
        low, high = FONT_SIZE_RANGE
        if not low <= self.font_size <= high:
            raise UsageError(
                f"--font-size must be between {low:g} and {high:g} pt, not {self.font_size:g}"
            )
        if self.audio_url is not None and not self.audio_url.startswith(("https://", "http://")):
            raise UsageError(
                f"--audio-url must be an http or https address, not {self.audio_url!r}"
            )


FORMATS = ("pdf", "audio", "daisy")
DEFAULT_FORMATS = ("pdf", "audio")  # a DAISY book is asked for by name
SPOKEN_FORMATS = ("audio", "daisy")  # the outputs made from one synthesis of the script
AUDIO_FORMATS = ("mp3", "wav")
RATE_RANGE = (80, 400)
# Words a minute. espeak's own default is 200, a brisk conversational pace; audiobooks are
# narrated at 150-160, and listeners who are older, ill or new to the words follow a slower
# reading better. At 150 espeak-ng was measured at 150-175 words a minute.
DEFAULT_RATE = 150


@dataclass(frozen=True)
class SpeechOptions:
    """How the spoken version sounds and is written."""

    voice: str | None = None  # an id or language code; None: the article's language
    rate: int = DEFAULT_RATE
    audio_format: str = "mp3"
    lexicon_files: tuple[Path, ...] = ()
    split: bool = False  # also one file per section
    engine: str | None = None  # a speech engine by name (speech.ENGINES); None: the platform's

    def __post_init__(self) -> None:
        low, high = RATE_RANGE
        if not low <= self.rate <= high:
            raise UsageError(
                f"--rate must be between {low} and {high} words a minute, not {self.rate}"
            )
        if self.audio_format not in AUDIO_FORMATS:
            raise UsageError(
                f"--audio-format must be one of {', '.join(AUDIO_FORMATS)}, not {self.audio_format!r}"
            )


# Seconds an article may take in a worker before it is stopped and reported, so that one
# hung speech engine cannot stall an unattended batch for ever. A long article (10,000 words,
# an hour of audio) takes under a minute on a 2-core machine; ten minutes leaves room for a
# loaded one. Not an option of the outputs: it changes no file, so no fingerprint holds it.
DEFAULT_TIMEOUT = 600.0


def parse_formats(value: str) -> tuple[str, ...]:
    """`pdf,audio` as a tuple in our order; an unknown or empty list is a usage error."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in FORMATS:
            raise UsageError(f"--formats takes {', '.join(FORMATS)}, not {name!r}")
    if not names:
        raise UsageError("--formats needs at least one of " + ", ".join(FORMATS))
    return tuple(f for f in FORMATS if f in names)


@dataclass(frozen=True)
class Options:
    target_grade: float = DEFAULT_TARGET_GRADE
    cue_files: tuple[Path, ...] = ()
    formats: tuple[str, ...] = DEFAULT_FORMATS
    print: LargePrintOptions = LargePrintOptions()
    speech: SpeechOptions = SpeechOptions()

    def __post_init__(self) -> None:
        low, high = GRADE_RANGE
        if not low <= self.target_grade <= high:
            raise UsageError(
                f"--target-grade must be between {low:g} and {high:g}, not {self.target_grade:g}"
            )

    @property
    def speaks(self) -> bool:
        """Whether any output asked for needs the script spoken (and so the speech engine)."""
        return any(f in SPOKEN_FORMATS for f in self.formats)


def options_to_json(options: Options) -> dict[str, Any]:
    """The options as JSON (paths as strings), as a manifest records them."""

    def plain(value: Any) -> Any:
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    result: dict[str, Any] = plain(asdict(options))
    return result


CONFIG_NAME = "renderer.toml"
# Keys of renderer.toml: what each holds, and which option checks its value.
SETTINGS: dict[str, str] = {
    "formats": "a list of outputs: " + ", ".join(FORMATS),
    "page_size": "paper: " + ", ".join(PAGE_SIZES),
    "font_size": f"body text size in points, {FONT_SIZE_RANGE[0]:g} to {FONT_SIZE_RANGE[1]:g}",
    "theme": "one of " + ", ".join(THEMES),
    "font": "a TrueType font file",
    "clinic_name": "text printed under the title",
    "clinic_phone": "text printed under the title",
    "engine": "a speech engine by name (see `renderer voices --help`)",
    "voice": "a voice id or language code from `renderer voices`",
    "rate": f"words a minute, {RATE_RANGE[0]} to {RATE_RANGE[1]}",
    "audio_format": "one of " + ", ".join(AUDIO_FORMATS),
    "target_grade": f"a school grade, {GRADE_RANGE[0]:g} to {GRADE_RANGE[1]:g}",
    "lexicon": "a pronunciation file, or a list of them",
    "cues": "a section-cue file, or a list of them",
    "jobs": "how many articles to render at once, 1 or more",
    "timeout": "seconds one article may take before it is stopped, more than 0",
}
_PATHS = {"font", "lexicon", "cues"}
_LISTS = {"formats", "lexicon", "cues"}
_NUMBERS = {"font_size", "target_grade", "timeout"}
_INTEGERS = {"rate", "jobs"}


def load_settings(path: Path | None) -> tuple[dict[str, Any], Path | None]:
    """A clinic's defaults: `path` (from --config), else renderer.toml in the working folder if
    there is one, else none. Each value is checked here, so a mistake names its key; file paths
    in it are taken relative to the file's own folder."""
    if path is None:
        if not Path(CONFIG_NAME).is_file():
            return {}, None
        path = Path(CONFIG_NAME)
    table = read_toml(path, "configuration file")
    settings: dict[str, Any] = {}
    for key, value in table.items():
        if key not in SETTINGS:
            allowed = ", ".join(SETTINGS)
            raise ConfigError(f"unknown key {key!r}; the keys are: {allowed}", path)
        settings[key] = _setting(key, value, path)
    return settings, path


def _setting(key: str, value: Any, path: Path) -> Any:
    wrong = ConfigError(f"{key} = {value!r}: must be {SETTINGS[key]}", path)
    if key in _LISTS and isinstance(value, str):
        value = [value]
    if key in _LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise wrong
    elif key in _INTEGERS:
        if not isinstance(value, int) or isinstance(value, bool):
            raise wrong
    elif key in _NUMBERS:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise wrong
        value = float(value)
    elif not isinstance(value, str) or not value:
        raise wrong
    if (key == "jobs" and value < 1) or (key == "timeout" and not value > 0):
        raise wrong
    if key in _PATHS:
        folder = path.parent
        value = [folder / v for v in value] if key in _LISTS else folder / value
    try:  # the options' own checks, so the file and the flags accept the same values
        if key == "formats":
            value = parse_formats(",".join(value))
        elif key in {"page_size", "font_size", "theme", "clinic_name", "clinic_phone"}:
            LargePrintOptions(**{key: value})
        elif key in {"engine", "voice", "rate", "audio_format"}:
            SpeechOptions(**{key: value})
        elif key == "target_grade":
            Options(target_grade=value)
    except UsageError as error:
        raise ConfigError(f"{key} = {value!r}: {error.message}", path) from None
    return value
