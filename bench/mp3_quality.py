"""lame's algorithm quality for our speech: what each setting costs and what it does to the sound,
measured against the PCM it was made from, not by ear.

Needs, for this benchmark only (not project dependencies):
    .venv/bin/pip install pesq pystoi miniaudio
Run: .venv/bin/python bench/mp3_quality.py [FILE ...] [--segments N] [--qualities 5,7]
     (default: the articles in content/, 60 segments, lameenc's qualities 2, 5 and 7)

The articles are spoken as the renderer speaks them (its engine, voice, rate and script, sentence
by sentence) and their PCM joined. For each quality the whole PCM is encoded as the renderer
encodes it (64 kbit/s CBR mono, in 1 MiB blocks: encode_mp3) and decoded again by miniaudio; the
decoded audio is aligned by lame's delay (LAME_DELAY samples). Then, on --segments stretches of 8
s spread evenly over the speech:
- PESQ, wideband (ITU-T P.862.2; MOS-LQO from about 1 to 4.64), after resampling both to 16 kHz;
- STOI (Taal et al., 2011: short-time objective intelligibility, 0 to 1).
Both compare the decoded MP3 with the PCM it was made from; both were built to predict listeners'
judgements of speech. Also printed: the CPU time of the encoding and its speed as times real time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from timing import watch_machine

import renderer.outputs.audio.encode as encode
from renderer.analysis.article import analyse
from renderer.analysis.sentences import split_sentences
from renderer.config import Options
from renderer.loaders import find_inputs
from renderer.outputs.audio import LAME_DELAY, Pcm, Tags, build_script, synthesise
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.speech import choose_voice, open_engine

try:
    import miniaudio
    from pesq import pesq
    from pystoi import stoi
    from scipy.signal import resample_poly
except ImportError as missing:
    sys.exit(f"bench: {missing.name} is missing: .venv/bin/pip install pesq pystoi miniaudio")

REPO = Path(__file__).resolve().parents[1]
SEGMENT = 8.0  # seconds: PESQ is meant for utterances of a few seconds to about 20
QUALITIES = (2, 5, 7)  # lameenc accepts 2 (best) to 7 (fastest)


def spoken_pcm(files: list[Path]) -> tuple[np.ndarray, int]:
    """The articles spoken as the renderer speaks them, one after the other, as samples in
    -1..1, and their sample rate."""
    options = Options()
    engine, lexicon = open_engine(), load_lexicon()
    pcm = Pcm()
    for path in files:
        article = analyse(path, options)
        voice = choose_voice(engine.voices(), None, article.language)
        assert voice is not None, f"no voice for {article.language}"
        engine.configure(voice.id, options.speech.rate)
        script = build_script(article, split_sentences)
        synthesise(script, engine, lexicon, options.speech.rate, pcm)
    samples = np.frombuffer(bytes(pcm.frames), dtype="<i2").astype(np.float64) / 32768
    return samples, engine.sample_rate


def through_lame(samples: np.ndarray, rate: int, quality: int) -> tuple[np.ndarray, float]:
    """The samples encoded as the renderer encodes them at `quality`, decoded and aligned with
    the input; and the CPU seconds of the encoding."""
    frames = (samples * 32768).astype("<i2").tobytes()
    encode.MP3_QUALITY = quality  # read by Mp3Writer when it starts lame
    start = time.process_time()
    mp3 = encode.encode_mp3(frames, rate, Tags("bench", "bench", "en"))
    cpu = time.process_time() - start
    decoded = miniaudio.decode(mp3, miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=rate)
    heard = np.frombuffer(decoded.samples.tobytes(), dtype="<i2").astype(np.float64) / 32768
    return heard[LAME_DELAY : LAME_DELAY + len(samples)], cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[REPO / "content"])
    parser.add_argument("--segments", type=int, default=60)
    parser.add_argument("--qualities", default=",".join(map(str, QUALITIES)))
    args = parser.parse_args(argv)
    qualities = [int(q) for q in args.qualities.split(",")]
    with watch_machine() as machine:
        samples, rate = spoken_pcm(find_inputs(args.files))
        seconds = len(samples) / rate
        length = int(SEGMENT * rate)
        count = min(args.segments, int(seconds // SEGMENT))
        starts = [n * (len(samples) - length) // count for n in range(count)]
        print(
            f"{seconds / 60:.1f} minutes of speech at {rate} Hz; {count} segments of {SEGMENT:g} s"
        )
        print(f"{'quality':>7} {'CPU':>7} {'speed':>7} {'PESQ-WB':>8} {'lowest':>7} {'STOI':>7}")
        for quality in qualities:
            heard, cpu = through_lame(samples, rate, quality)
            pesqs, stois = [], []
            for start in starts:
                said, got = samples[start : start + length], heard[start : start + length]
                wide = [resample_poly(x, 16000, rate) for x in (said, got)]
                pesqs.append(pesq(16000, wide[0], wide[1], "wb"))
                stois.append(stoi(said, got, rate, extended=False))
            print(
                f"{quality:7d} {cpu:6.2f}s {seconds / cpu:6.0f}x {np.mean(pesqs):8.3f} "
                f"{min(pesqs):7.3f} {np.mean(stois):7.4f}"
            )
    print(f"machine: {machine}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
