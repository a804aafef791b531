"""Which of an engine's voices reads an article: by the id or language asked, else by the
article's language and region."""

from __future__ import annotations

from collections.abc import Sequence

from renderer.errors import UsageError
from renderer.outputs.speech.engine import Voice


def _language_tag(value: str) -> str:
    return value.strip().lower().replace("_", "-")


def choose_voice(voices: Sequence[Voice], wanted: str | None, language: str | None) -> Voice | None:
    """The voice `wanted` names (an id, a name or a language code), else one for `language`.

    None when nothing was asked and no voice speaks the language (the engine's default stays).
    An unknown `wanted` is an error: pyttsx3 silently keeps the old voice (see configure()).
    """
    if wanted:
        key = _language_tag(wanted)
        for voice in voices:
            if key in (voice.id.lower(), voice.name.lower()):
                return voice
        found = voices_for(voices, key)
        if not found:
            raise UsageError(
                f"unknown voice {wanted!r}: `renderer voices` lists the voices of this machine"
            )
        return found[0]
    if not language:
        return None
    # An article that names only its language gets the region most of its readers speak:
    # "en" is read in American English unless it says "en-GB" (or the clinic names a voice).
    found = voices_for(voices, _DEFAULT_REGION.get(_language_tag(language), language))
    return found[0] if found else None


def voices_for(voices: Sequence[Voice], language: str) -> list[Voice]:
    """The voices that speak `language`, best match first: "en-us" itself, then its variants
    ("en" takes en-gb and en-us), then the language of a regional tag ("es" for es-mx)."""
    tag = _language_tag(language)

    def tags(voice: Voice) -> list[str]:
        # espeak-ng names a voice after its language ("roa/fr" speaks fr, listed as fr-fr)
        return [_language_tag(lang) for lang in voice.languages] + [voice.id.rsplit("/", 1)[-1]]

    def accepts(wanted: str, rule: int, t: str) -> bool:
        return (t == wanted, t.startswith(wanted + "-"), wanted.startswith(t + "-"))[rule]

    found: list[Voice] = []
    for wanted in (*_REGIONAL.get(tag, ()), tag):
        for rule in range(3):
            found += [
                v
                for v in voices
                if v not in found and any(accepts(wanted, rule, t) for t in tags(v))
            ]
    return found


# Regions whose speech is closer to a regional voice than to the language's first one: Spanish
# outside Spain to Latin American Spanish ("es-419"), before Castilian.
_LATIN_AMERICA = ("mx", "us", "ar", "bo", "cl", "co", "cr", "cu", "do", "ec", "gt", "hn", "ni",
                  "pa", "pe", "pr", "py", "sv", "uy", "ve")  # fmt: skip
_REGIONAL: dict[str, tuple[str, ...]] = {f"es-{region}": ("es-419",) for region in _LATIN_AMERICA}
_DEFAULT_REGION = {"en": "en-us"}
