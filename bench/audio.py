"""Audio build speed: our speech against the espeak-ng command line, our MP3 against bare lameenc.

Run: .venv/bin/python bench/audio.py [FILE ...]   (default: ../shared/seeds/ and content/)
Prints, per article and in total, from one run: seconds of synthesis for both and the ratio
(target: 1.3x or less), the audio seconds each produced (ours includes the script's pauses, shown
apart), MP3 encoding speed as times real time (target: 100x or more) and the ratio to bare
lameenc; then the process's peak memory.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import lameenc

from renderer.analysis.sentences import split_sentences
from renderer.config import DEFAULT_RATE, Options
from renderer.loaders import find_inputs
from renderer.outputs.audio import (
    MP3_BITRATE,
    MP3_QUALITY,
    Tags,
    build_script,
    encode_mp3,
    pause_seconds,
    synthesise,
)
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.speech import open_engine
from renderer.pipeline import analyse

REPO = Path(__file__).resolve().parents[1]
RATE = DEFAULT_RATE
ROUNDS = 3  # speech: seconds per article, so fewer rounds
ENCODE_ROUNDS = 5


def best(rounds, work, *args):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def cli_speak(text_file: Path, wav_file: Path) -> float:
    """The espeak-ng command line on the same text and rate; the seconds of audio it wrote."""
    command = ["espeak-ng", "-v", "en", "-s", str(RATE), "-w", str(wav_file), "-f", str(text_file)]
    subprocess.run(command, check=True, capture_output=True)
    with wave.open(str(wav_file), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def bare_mp3(frames: bytes, sample_rate: int) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_BITRATE)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(MP3_QUALITY)
    return bytes(encoder.encode(frames) + encoder.flush())


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [REPO.parent / "shared" / "seeds", REPO / "content"]
    files = find_inputs(p for p in paths if p.exists())
    engine = open_engine()
    engine.configure("gmw/en", RATE)
    lexicon = load_lexicon()
    cli = shutil.which("espeak-ng")
    print(f"ours: {engine.description}, {RATE} wpm, best of {ROUNDS}")
    if cli is None:
        print("espeak-ng CLI not on PATH: CLI comparison skipped (install: apt install espeak-ng)")
    print(
        f"{'article':30} {'speech':>7} {'cli':>7} {'ratio':>6} {'audio':>7} {'pauses':>7} "
        f"{'cli aud':>7} | {'mp3':>6} {'x real':>6} {'bare':>6} {'ratio':>6}"
    )
    total = dict.fromkeys(("ours", "cli", "audio", "pauses", "cli_audio", "mp3", "bare"), 0.0)
    with tempfile.TemporaryDirectory(prefix="bench-audio-") as folder:
        text_file, wav_file = Path(folder) / "text.txt", Path(folder) / "cli.wav"
        for path in files:
            article = analyse(path, Options())
            script = build_script(article, split_sentences)
            ours, speech = best(ROUNDS, synthesise, script, engine, lexicon, RATE)
            pauses = pause_seconds(script.transcript())
            row = f"{path.name[:30]:30} {ours:6.2f}s"
            if cli:
                heard = (
                    lexicon.speak(s)
                    for chapter in script.chapters
                    for block in chapter.blocks
                    for line in block
                    for s in line
                )
                text_file.write_text(" ".join(heard), encoding="utf-8")
                raw, cli_audio = best(ROUNDS, cli_speak, text_file, wav_file)
                total["cli"] += raw
                total["cli_audio"] += cli_audio
                row += f" {raw:6.2f}s {ours / raw:5.2f}x"
            else:
                row += f" {'-':>7} {'-':>6}"
                cli_audio = float("nan")
            tags = Tags(article.title, "bench", "en")
            args = (speech.frames, speech.sample_rate)
            mp3, _ = best(ENCODE_ROUNDS, encode_mp3, *args, tags, speech.chapters)
            bare, _ = best(ENCODE_ROUNDS, bare_mp3, *args)
            for key, value in (("ours", ours), ("audio", speech.seconds), ("pauses", pauses)):
                total[key] += value
            total["mp3"] += mp3
            total["bare"] += bare
            print(
                f"{row} {speech.seconds:6.1f}s {pauses:6.1f}s {cli_audio:6.1f}s | "
                f"{mp3:5.3f}s {speech.seconds / mp3:5.0f}x {bare:5.3f}s {mp3 / bare:5.2f}x"
            )
    t = total
    if cli:
        print(
            f"total speech {t['ours']:.2f}s, espeak-ng CLI {t['cli']:.2f}s: {t['ours'] / t['cli']:.2f}x "
            f"(target 1.3x); audio {t['audio']:.1f}s (of it {t['pauses']:.1f}s pauses, speech "
            f"{t['audio'] - t['pauses']:.1f}s), CLI audio {t['cli_audio']:.1f}s"
        )
    else:
        print(
            f"total speech {t['ours']:.2f}s for {t['audio']:.1f}s of audio ({t['pauses']:.1f}s pauses)"
        )
    print(
        f"total MP3 encode {t['mp3']:.3f}s: {t['audio'] / t['mp3']:.0f}x real time (target 100x); "
        f"bare lameenc {t['bare']:.3f}s, ours / bare {t['mp3'] / t['bare']:.2f}x"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    print(f"peak memory (max RSS): {rss / (1024**2 if sys.platform == 'darwin' else 1024):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
