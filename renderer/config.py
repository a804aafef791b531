"""Options of a run, checked once: defaults, then a clinic's files, then command-line flags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renderer.errors import UsageError

# NIH asks for patient material below grade 8; AMA and AAFP ask for 6th grade or lower.
DEFAULT_TARGET_GRADE = 8.0
GRADE_RANGE = (1.0, 20.0)


@dataclass(frozen=True)
class Options:
    target_grade: float = DEFAULT_TARGET_GRADE
    cue_files: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        low, high = GRADE_RANGE
        if not low <= self.target_grade <= high:
            raise UsageError(
                f"--target-grade must be between {low:g} and {high:g}, not {self.target_grade:g}"
            )
