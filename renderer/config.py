"""Options of a run, checked once: defaults, then a clinic's files, then command-line flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renderer.errors import UsageError

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


@dataclass(frozen=True)
class Options:
    target_grade: float = DEFAULT_TARGET_GRADE
    cue_files: tuple[Path, ...] = ()
    print: LargePrintOptions = LargePrintOptions()

    def __post_init__(self) -> None:
        low, high = GRADE_RANGE
        if not low <= self.target_grade <= high:
            raise UsageError(
                f"--target-grade must be between {low:g} and {high:g}, not {self.target_grade:g}"
            )
