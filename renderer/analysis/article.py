"""The full analysis of one input file: load, classify and protect, apply the clinic's pins,
list what to check, score. What `renderer score` prints and every render starts from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from renderer.analysis.readability import score_article
from renderer.analysis.review import PinFile, apply_pins, check_these, read_pin_file
from renderer.analysis.sections import CueSet, classify_article, load_cues
from renderer.config import Options
from renderer.loaders import load_article
from renderer.model import Article


def analyse(
    path: Path,
    options: Options,
    cues: CueSet | None = None,
    data: bytes | None = None,
    pins: PinFile | None = None,
) -> Article:
    """The full analysis of one input file; pass `cues` to reuse them across a batch, and
    `data` when the file's bytes are already read, with `pins` its pin file as read then (None:
    it has none). Without `data`, the pin file beside `path` is read here."""
    article = load_article(path, data)
    cues = cues if cues is not None else load_cues(options.cue_files)
    article = classify_article(article, cues)
    pin_file = read_pin_file(path) if data is None else pins
    if pin_file is not None:
        article = apply_pins(article, pin_file)
    article = replace(article, check_these=check_these(article, cues))
    return score_article(article, options.target_grade)
