"""Audio build speed: our speech against the espeak-ng command line, our MP3 against bare lameenc.

Run: .venv/bin/python bench/audio.py [FILE ...]   (default: ../shared/seeds/ and content/)
Prints, per article and in total, from one run: seconds of synthesis for both and the ratio
(target: 1.3x or less), the audio seconds each produced (ours includes the script's pauses, shown
apart), MP3 encoding speed as times real time (target: 100x or more) and the ratio to bare
lameenc; then the process's peak memory. bench/engines.py calls `run` with the other benchmarks
on the same text.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

from timing import best

from renderer.analysis.article import analyse
from renderer.analysis.sentences import split_sentences
from renderer.config import DEFAULT_RATE, Options
from renderer.loaders import find_inputs
from renderer.outputs.audio import (
    Pcm,
    Script,
    Speech,
    Tags,
    build_script,
    encode_mp3,
    lame_encoder,
    pause_seconds,
    synthesise,
)
from renderer.outputs.lexicon import Lexicon, load_lexicon
from renderer.outputs.speech import SpeechEngine, open_engine

REPO = Path(__file__).resolve().parents[1]
RATE = DEFAULT_RATE
ROUNDS = 3  # speech and encoding take a second or so an article
Sums = dict[str, float]


def cli_speak(text_file: Path, wav_file: Path) -> float:
    """The espeak-ng command line on the same text and rate; the seconds of audio it wrote."""
    command = ["espeak-ng", "-v", "en", "-s", str(RATE), "-w", str(wav_file), "-f", str(text_file)]
    subprocess.run(command, check=True, capture_output=True)
    with wave.open(str(wav_file), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def bare_mp3(frames: bytes, sample_rate: int) -> bytes:
    """lame given the whole PCM in one call, set as the renderer sets it."""
    encoder = lame_encoder(sample_rate)
    return bytes(encoder.encode(frames) + encoder.flush())


def heard(script: Script, speak: Callable[[str], str]) -> str:
    """The sentences the engine is given, as one text."""
    return " ".join(
        speak(s) for c in script.chapters for block in c.blocks for line in block for s in line
    )


def speak(script: Script, engine: SpeechEngine, lexicon: Lexicon) -> tuple[Speech, Pcm]:
    """Our synthesis, its PCM kept in memory (the renderer writes it to files as it comes)."""
    pcm = Pcm()
    return synthesise(script, engine, lexicon, RATE, pcm), pcm


def measure(path: Path, engine: SpeechEngine, lexicon: Lexicon, folder: Path | None) -> Sums:
    """Seconds of work and of audio for one article; the CLI's only with a `folder` to use."""
    article = analyse(path, Options())
    script = build_script(article, split_sentences)
    ours, (speech, pcm) = best(ROUNDS, speak, script, engine, lexicon)
    frames = bytes(pcm.frames)
    tags = Tags(article.title, "bench", "en")
    found = {
        "ours": ours,
        "audio": speech.seconds,
        "pauses": pause_seconds(script.transcript()),
        "mp3": best(ROUNDS, encode_mp3, frames, speech.sample_rate, tags, speech.chapters)[0],
        "bare": best(ROUNDS, bare_mp3, frames, speech.sample_rate)[0],
    }
    if folder is not None:
        text_file, wav_file = folder / "text.txt", folder / "cli.wav"
        text_file.write_text(heard(script, lexicon.speak), encoding="utf-8")
        found["cli"], found["cli_audio"] = best(ROUNDS, cli_speak, text_file, wav_file)
    return found


def row(name: str, m: Sums) -> str:
    if "cli" in m:
        cli = f"{m['cli']:6.2f}s {m['ours'] / m['cli']:5.2f}x {m['cli_audio']:6.1f}s"
    else:
        cli = f"{'-':>7} {'-':>6} {'-':>7}"
    return (
        f"{name[:30]:30} {m['ours']:6.2f}s {cli} {m['audio']:6.1f}s {m['pauses']:6.1f}s | "
        f"{m['mp3']:5.3f}s {m['audio'] / m['mp3']:5.0f}x {m['bare']:5.3f}s {m['mp3'] / m['bare']:5.2f}x"
    )


def run(files: list[Path]) -> Sums:
    """Print a row per article and the totals; return the totals (seconds of work and audio,
    summed over the articles: see `measure`)."""
    engine = open_engine()
    engine.configure("gmw/en", RATE)
    lexicon = load_lexicon()
    has_cli = shutil.which("espeak-ng") is not None
    print(f"ours: {engine.description}; {RATE} words a minute; best of {ROUNDS}")
    if not has_cli:
        print(
            "espeak-ng not on PATH: the CLI comparison is skipped (install: apt install espeak-ng)"
        )
    print(
        f"{'article':30} {'speech':>7} {'cli':>7} {'ratio':>6} {'cli aud':>7} {'audio':>7} "
        f"{'pauses':>7} | {'mp3':>6} {'x real':>6} {'bare':>6} {'ratio':>6}"
    )
    total: Sums = {}
    with tempfile.TemporaryDirectory(prefix="bench-audio-") as folder:
        for path in files:
            found = measure(path, engine, lexicon, Path(folder) if has_cli else None)
            print(row(path.name, found))
            for key, value in found.items():
                total[key] = total.get(key, 0.0) + value
    print(row("total", total))
    print(
        "targets: speech / espeak-ng CLI at most 1.3x; MP3 at least 100x real time. "
        "'audio' includes 'pauses' (the script's silences); the CLI's 'cli aud' has none."
    )
    return total


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [REPO.parent / "shared" / "seeds", REPO / "content"]
    run(find_inputs(p for p in paths if p.exists()))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    print(f"peak memory (max RSS): {rss / (1024**2 if sys.platform == 'darwin' else 1024):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
