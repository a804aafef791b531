"""The article's language when the file does not say it: detected offline with py3langid."""

from __future__ import annotations

import functools
import re
from typing import Any

# What the detector may answer: the languages clinics print in most, and enough others that a
# page in Italian or Polish is named as such (and gets English labels with a warning) rather
# than taken for the nearest of ours.
CANDIDATES = (
    "en", "es", "pt", "fr", "de", "it", "nl", "ca", "gl", "ro", "pl", "cs", "sv", "da", "fi",
    "no", "el", "tr", "ru", "uk", "ar", "he", "fa", "ur", "hi", "bn", "zh", "ja", "ko", "vi", "tl",
)  # fmt: skip
# A short text is too little to tell Spanish from Portuguese reliably: it stays English unless
# it says otherwise, rather than being read by a wrong voice.
MIN_WORDS = 12
MIN_CONFIDENCE = 0.95
# The opening of the body decides: a leaflet may carry a second language further down.
SAMPLE_CHARS = 1500
_WORD = re.compile(r"[^\W\d_]{2,}")


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def load_detector() -> None:
    """Load the model now (0.8 s): a process that forks workers does it once for all."""
    _identifier()


def detect_language(text: str) -> tuple[str, float] | None:
    """The language `text` is written in and the detector's confidence, or None when the text
    is too short or the detector is unsure."""
    sample = text[:SAMPLE_CHARS]
    if len(_WORD.findall(sample)) < MIN_WORDS:
        return None
    language, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return str(language), float(confidence)
