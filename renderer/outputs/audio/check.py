"""The spoken version's checker, run by render on the staged files and by `renderer verify` on
the written ones: the transcript holds all the text, and the audio file, read back as a player
reads it, fits the words and has the sections' chapters where the manifest says."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from renderer.manifest import AudioOutput
from renderer.outputs.audio.encode import chapter_seconds
from renderer.outputs.audio.read import AudioFacts, read_audio
from renderer.outputs.audio.script import pause_seconds
from renderer.outputs.normalise import spoken_words
from renderer.outputs.proof import Expected, Findings
from renderer.outputs.speech import SpeechError

# The spoken version may run this much faster or slower than its rate says: espeak-ng speaks
# 5-17% faster than asked, end-of-sentence pauses and spelled-out abbreviations add time. The
# words counted are the ones said (the transcript normalised in the article's language), so a
# web address or a phone number read in full is not taken for doubled speech.
PACE_BAND = (0.5, 1.6)


def audio_problems(
    facts: AudioFacts,
    transcript: str,
    rate: int,
    chapter_titles: Sequence[str],
    language: str,
) -> list[str]:
    """What is wrong with a spoken version read back from its file: a length that does not fit
    the words said for the transcript (in the article's `language`) at `rate`, or chapters that
    are not the script's, in order."""
    problems = []
    words = spoken_words(transcript, language)
    expected = words * 60 / rate
    # A voice reads a letter of a script it does not speak (kana, hanzi, Arabic, Hebrew ...)
    # by its name ("Japanese letter ..."), a word or two each: more speech, never less.
    spelled = sum(1 for c in transcript if unicodedata.category(c) == "Lo")
    longest = (words + 2 * spelled) * 60 / rate
    speech = facts.seconds - pause_seconds(transcript)
    low, high = PACE_BAND
    if not low * expected <= speech <= high * longest:
        problems.append(
            f"{facts.seconds:.1f} s of audio for {words} spoken words at {rate} words a minute "
            f"(expected about {expected + facts.seconds - speech:.0f} s)"
        )
    titles = [title for title, _ in facts.chapters]
    if titles != list(chapter_titles):
        problems.append(f"chapters {titles} are not the sections {list(chapter_titles)}")
    starts = [start for _, start in facts.chapters]
    if any(b <= a for a, b in itertools.pairwise(starts)) or (
        starts and starts[-1] >= facts.seconds
    ):
        problems.append(f"chapter starts {starts} are not in order within the audio")
    return problems


def prove_transcript(text: str, expected: Expected) -> Findings:
    """The transcript holds every protected passage, sentence and heading that is spoken."""
    found = Findings()
    found.text_holds(expected, expected.text.spoken, text, "transcript")
    return found


CHAPTER_SLACK = 0.05  # seconds a chapter may start off the manifest's time (millisecond tags)
LENGTH_SLACK = 0.5  # an MP3 reads back a frame or two longer (encoder delay and padding)


def prove_audio(
    path: Path, entry: AudioOutput, expected: Expected, transcript: str | None
) -> Findings:
    """The spoken version read back from its file as a player reads it: a length that fits the
    words of the transcript at its rate, its chapters the sections' titles in order and where
    the manifest says, its sample rate and length as the manifest says."""
    found = Findings()
    fmt = entry.path.rsplit(".", 1)[-1]  # the file may be staged under a temporary name
    try:
        facts = read_audio(path, fmt)
    except SpeechError as exc:
        found.add([exc.message])
        return found
    titles = [chapter.title for chapter in entry.chapters]
    if transcript is not None:  # its length against the words, its chapters against the titles
        found.add(audio_problems(facts, transcript, entry.rate, titles, expected.language))
    problems = []
    if abs(facts.seconds - entry.seconds) > LENGTH_SLACK:
        problems.append(f"{facts.seconds:.1f} s long, the manifest says {entry.seconds:.1f} s")
    if facts.sample_rate != entry.sample_rate:
        problems.append(
            f"sampled at {facts.sample_rate} Hz, the manifest says {entry.sample_rate} Hz"
        )
    if [title for title, _ in facts.chapters] == titles:  # else audio_problems told
        for (title, start), chapter in zip(facts.chapters, entry.chapters, strict=True):
            at = chapter_seconds(chapter.start_sample, entry.sample_rate, fmt)
            if abs(start - at) > CHAPTER_SLACK:
                problems.append(f"chapter {title!r} starts at {start:.2f} s, not {at:.2f} s")
    found.add(problems)
    if not found.problems:
        found.proved.append(
            f"{fmt}: {facts.seconds:.1f} s fits {len(transcript.split()) if transcript else 0} "
            f"words at {entry.rate} words a minute; {len(titles)} chapters match the sections"
        )
    return found


def prove_readable_audio(path: Path, name: str) -> Findings:
    """A section's file of --split-audio (`name`): readable is enough (the whole is checked)."""
    found = Findings()
    try:
        read_audio(path, name.rsplit(".", 1)[-1])
    except SpeechError as exc:
        found.add([exc.message])
    else:
        found.add([])
    return found
