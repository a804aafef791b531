"""One article through the stages, top to bottom: load, classify and protect, score."""

from __future__ import annotations

from pathlib import Path

from renderer.analysis.readability import score_article
from renderer.analysis.sections import CueSet, classify_article, load_cues
from renderer.config import Options
from renderer.loaders import load_article
from renderer.model import Article


def analyse(path: Path, options: Options, cues: CueSet | None = None) -> Article:
    """The full analysis of one input file; pass `cues` to reuse them across a batch."""
    article = load_article(path)
    article = classify_article(article, cues if cues is not None else load_cues(options.cue_files))
    return score_article(article, options.target_grade)
