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


FORMATS = ("pdf", "audio")
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


def parse_formats(value: str) -> tuple[str, ...]:
    """`pdf,audio` as a tuple in our order; an unknown or empty list is a usage error."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in FORMATS:
            raise UsageError(f"--formats takes {' and '.join(FORMATS)}, not {name!r}")
    if not names:
        raise UsageError("--formats needs at least one of " + ", ".join(FORMATS))
    return tuple(f for f in FORMATS if f in names)


@dataclass(frozen=True)
class Options:
    target_grade: float = DEFAULT_TARGET_GRADE
    cue_files: tuple[Path, ...] = ()
    formats: tuple[str, ...] = FORMATS
    print: LargePrintOptions = LargePrintOptions()
    speech: SpeechOptions = SpeechOptions()

    def __post_init__(self) -> None:
        low, high = GRADE_RANGE
        if not low <= self.target_grade <= high:
            raise UsageError(
                f"--target-grade must be between {low:g} and {high:g}, not {self.target_grade:g}"
            )


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
