"""Intelligibility: how much of each DAISY sentence an offline recogniser hears, ours against the
plain espeak-ng command line on the same sentences.

Needs, for this benchmark only (not a project dependency):
    .venv/bin/pip install pocketsphinx miniaudio
Run: .venv/bin/python bench/intelligibility.py [FILE ...] [--rendered DIR] [--limit N]
     (default: renders ../shared/seeds/ into a temporary folder with `--formats daisy`)

For each sentence clip of each book (a SMIL `par` whose text is a sentence of content.html;
headings are skipped, since what is spoken for them is an announcement, not their text), the
clip is cut from its sNN.mp3, decoded to 16 kHz mono PCM by miniaudio (pip only: no ffmpeg or
sox needed) and transcribed by pocketsphinx with the US English model inside its wheel. The same
sentence is synthesised by espeak-ng at its command line's defaults (voice "en", 175 words a
minute), by the `espeak-ng` binary if one is on PATH, else by the espeakng-loader wheel's library
with the same defaults; it is encoded to MP3 as the renderer's clips are and decoded the same
way. A sentence is protected when it lies inside a unit of a protected passage of the manifest's
analysis. Word error rate = (substitutions + deletions + insertions) / reference words, summed
over the sentences (not a mean of per-sentence rates); it exceeds 100% when the recogniser
inserts words. Both texts are normalised alike (see `words`).

pocketsphinx is weak on synthetic speech (about 100% on espeak): compare rows and versions with
this figure, never read it as absolute. Each clip is decoded from a fresh feature state, so the
same audio always gives the same transcript (two runs gave identical espeak-ng rows). It is slow
(about 0.25 s of CPU a second of audio: 107 sentences of the seeds took 8 minutes for both rows),
so at most --limit sentences, spread evenly over the books, are decoded.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import wave
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from audio import bare_mp3
from lxml import etree
from num2words import num2words
from timing import renderer_command, watch_machine

try:
    import miniaudio
    from pocketsphinx import Decoder
except ImportError as missing:
    sys.exit(f"bench: {missing.name} is missing: .venv/bin/pip install pocketsphinx miniaudio")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
RATE = 16_000  # what pocketsphinx's en-us model was trained on
DEFAULT_LIMIT = 40  # sentences: about 3 minutes for both rows (4.4 s a sentence)
XHTML = "{http://www.w3.org/1999/xhtml}"
_NPT = re.compile(r"npt=(\d+(?:\.\d+)?)s")
Pcm = bytes  # 16-bit mono at RATE


@dataclass(frozen=True)
class Sentence:
    article: str
    text: str
    mp3: Path
    begin: float  # seconds in mp3
    end: float
    protected: bool


@dataclass
class Score:
    sentences: int = 0
    words: int = 0
    errors: int = 0

    def add(self, reference: Sequence[str], heard: Sequence[str]) -> None:
        self.sentences += 1
        self.words += len(reference)
        self.errors += edit_distance(reference, heard)

    @property
    def wer(self) -> str:
        return f"{100 * self.errors / self.words:.0f}%" if self.words else "-"


# --- what was said -------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _number(match: re.Match[str]) -> str:
    digits, plural = match.group(1).replace(",", ""), match.group(2)
    value = int(digits)
    # How a reader says it: 1960s and 2018 as years, everything else as a cardinal.
    spoken = num2words(value, to="year") if 1100 <= value < 2100 else num2words(value)
    if plural:
        spoken = spoken[:-1] + "ies" if spoken.endswith("y") else spoken + "s"
    return f" {spoken} "


def words(text: str) -> list[str]:
    """The words of a reference or a transcript, compared alike: NFKC, lower case, curly
    apostrophes straightened, whole numbers in words (num2words; 1100-2099 as years, "1960s" as
    "nineteen sixties"), a decimal point as "point", "%" as "percent", hyphens and dashes as
    spaces, other punctuation dropped (an apostrophe inside a word is kept: pocketsphinx's
    dictionary has "it's"), and recogniser fillers such as <sil> or [noise] removed."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"<[^>]*>|\[[^\]]*\]", " ", text)
    text = re.sub(r"(\d)\.(\d)", r"\1 point \2", text).replace("%", " percent ")
    text = re.sub(r"(\d[\d,]*)(s\b)?", _number, text)
    text = re.sub(r"[^\w']+", " ", text.replace("-", " "))
    return [w.strip("'") for w in text.split() if w.strip("'")]


def edit_distance(reference: Sequence[str], heard: Sequence[str]) -> int:
    """Word-level Levenshtein distance: substitutions + deletions + insertions."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        diagonal, row[0] = row[0], i
        for j, other in enumerate(heard, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (word != other))
    return row[-1]


# --- the books -----------------------------------------------------------------------------------


def render(paths: Sequence[Path], folder: Path) -> float:
    """Render DAISY books into folder as a user would; the seconds it took."""
    start = time.perf_counter()
    command = [*renderer_command(), "render", *map(str, paths), "-o", str(folder)]
    subprocess.run([*command, "--formats", "daisy", "--quiet"], check=True)
    return time.perf_counter() - start


def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    return etree.parse(str(path), parser)


def book_sentences(article: Path) -> list[Sentence]:
    """Every sentence clip of the DAISY book of one article folder, in reading order; none for
    an article not in English (the recogniser's model is US English)."""
    analysis = json.loads((article / "manifest.json").read_text(encoding="utf-8"))["analysis"]
    if not str(analysis.get("language", "en")).startswith("en"):
        print(f"bench: {article.name} is not in English: skipped", file=sys.stderr)
        return []
    units = [_plain(u) for p in analysis["protected"] for u in p["units"]]
    book = article / "daisy"
    texts = {
        el.get("id"): _plain("".join(el.itertext()))
        for el in _parse(book / "content.html").iter(f"{XHTML}span")
    }
    found = []
    for smil in sorted(book.glob("s*.smil")):
        for par in _parse(smil).iter("par"):
            text_id = par.find("text").get("src").partition("#")[2]
            audio = par.find("audio")
            if text_id not in texts or audio is None:
                continue  # a heading
            begin, end = (
                float(_NPT.fullmatch(audio.get(k)).group(1)) for k in ("clip-begin", "clip-end")
            )
            text = texts[text_id]
            protected = any(text in unit for unit in units)
            found.append(
                Sentence(article.name, text, book / audio.get("src"), begin, end, protected)
            )
    return found


def spread(items: Sequence[Sentence], limit: int) -> list[Sentence]:
    """At most limit items, evenly spaced (so every book and section has its share)."""
    if limit <= 0 or len(items) <= limit:
        return list(items)
    return [items[i * len(items) // limit] for i in range(limit)]


# --- audio ---------------------------------------------------------------------------------------


def decode_mp3(data: bytes) -> Pcm:
    decoded = miniaudio.decode(data, miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=RATE)
    return decoded.samples.tobytes()


def cli_speaker() -> tuple[str, Callable[[str], tuple[bytes, int]]]:
    """What speaks at the espeak-ng command line's defaults here, and a function giving the
    16-bit PCM and sample rate for a text."""
    binary = shutil.which("espeak-ng")
    if binary:

        def speak_cli(text: str) -> tuple[bytes, int]:
            with tempfile.TemporaryDirectory(prefix="bench-espeak-") as folder:
                source, wav = Path(folder) / "text.txt", Path(folder) / "out.wav"
                source.write_text(text, encoding="utf-8")
                subprocess.run([binary, "-w", str(wav), "-f", str(source)], check=True)
                with wave.open(str(wav)) as w:
                    return w.readframes(w.getnframes()), w.getframerate()

        version = subprocess.run([binary, "--version"], capture_output=True, text=True)
        return f"{binary} ({version.stdout.split(' Data')[0].strip()})", speak_cli

    return (
        f"libespeak-ng from espeakng-loader {_version('espeakng-loader')} (no espeak-ng binary)",
        EspeakLibrary(),
    )


class EspeakLibrary:
    """The espeakng-loader wheel's libespeak-ng, set as espeak-ng's command line sets it up."""

    SYNCHRONOUS, POS_CHARACTER, UTF8, PHONEMES, END_PAUSE = 2, 1, 1, 0x100, 0x1000  # speak_lib.h

    def __init__(self) -> None:
        import espeakng_loader

        # Without the data path the C library calls exit(1) (PITFALLS.md): set it before loading.
        os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.sample_rate = self.lib.espeak_Initialize(self.SYNCHRONOUS, 0, None, 0)
        if self.sample_rate <= 0 or self.lib.espeak_SetVoiceByName(b"en") != 0:
            sys.exit("bench: the espeakng-loader library did not start")
        self.chunks: list[bytes] = []
        callback_type = ctypes.CFUNCTYPE(
            ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
        )
        self.callback = callback_type(self._collect)  # kept: C holds only a pointer to it
        self.lib.espeak_SetSynthCallback(self.callback)
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: object) -> int:
        if wav and count > 0:
            self.chunks.append(ctypes.string_at(wav, 2 * count))
        return 0

    def __call__(self, text: str) -> tuple[bytes, int]:
        self.chunks.clear()
        data = text.encode("utf-8")
        # The flags espeak-ng's own command line passes: text, [[phonemes]] allowed, end pause.
        flags = self.UTF8 | self.PHONEMES | self.END_PAUSE
        if (
            self.lib.espeak_Synth(data, len(data) + 1, 0, self.POS_CHARACTER, 0, flags, None, None)
            != 0
        ):
            sys.exit("bench: libespeak-ng failed on a sentence")
        return b"".join(self.chunks), self.sample_rate


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# --- the run -------------------------------------------------------------------------------------


class Recogniser:
    def __init__(self) -> None:
        self.decoder = Decoder(samprate=RATE, loglevel="FATAL")  # the wheel's en-us model
        self.seconds = 0.0

    def __call__(self, pcm: Pcm) -> str:
        start = time.perf_counter()
        # Without this a transcript depends on the clips decoded before it (7 of 107 differed
        # between two runs that differed only in the other row): each starts from scratch.
        self.decoder.reinit_feat()
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        hypothesis = self.decoder.hyp()
        self.seconds += time.perf_counter() - start
        return hypothesis.hypstr if hypothesis else ""


def measure(
    sentences: Iterable[Sentence], details: list[dict[str, object]] | None
) -> dict[str, tuple[Score, Score, float, float]]:
    """Per row: score over all sentences, over protected ones, seconds of speech, seconds of
    recognition (the renderer's speech seconds are filled in by the caller)."""
    recognise = Recogniser()
    cli_name, speak = cli_speaker()
    ours, ours_protected, cli, cli_protected = Score(), Score(), Score(), Score()
    books: dict[Path, Pcm] = {}
    ours_recognition = cli_speech = 0.0
    for sentence in sentences:
        if sentence.mp3 not in books:
            books[sentence.mp3] = decode_mp3(sentence.mp3.read_bytes())
        start, end = (2 * round(t * RATE) for t in (sentence.begin, sentence.end))
        reference = words(sentence.text)
        before = recognise.seconds
        heard_ours = recognise(books[sentence.mp3][start:end])
        ours_recognition += recognise.seconds - before
        started = time.perf_counter()
        pcm, sample_rate = speak(sentence.text)
        cli_audio = decode_mp3(bare_mp3(pcm, sample_rate))  # as the renderer encodes its clips
        cli_speech += time.perf_counter() - started
        heard_cli = recognise(cli_audio)
        for score, heard in ((ours, heard_ours), (cli, heard_cli)):
            score.add(reference, words(heard))
        if sentence.protected:
            ours_protected.add(reference, words(heard_ours))
            cli_protected.add(reference, words(heard_cli))
        if details is not None:
            details.append(
                {
                    "article": sentence.article,
                    "protected": sentence.protected,
                    "text": sentence.text,
                    "ours": heard_ours,
                    "espeak_cli": heard_cli,
                }
            )
    cli_recognition = recognise.seconds - ours_recognition
    print(f"espeak-ng CLI row: {cli_name}, its defaults (voice en, 175 wpm)")
    return {
        "renderer (as shipped)": (ours, ours_protected, 0.0, ours_recognition),
        "espeak-ng CLI": (cli, cli_protected, cli_speech, cli_recognition),
    }


def table(rows: dict[str, tuple[Score, Score, float, float]], render_seconds: float | None) -> None:
    head = f"{'':22} {'sentences':>9} {'words':>6} {'WER':>5} | {'protected':>9} {'words':>6} {'WER':>5} | {'speech s':>8} {'recog s':>7}"
    print(head)
    print("-" * len(head))
    for name, (all_, protected, speech, recognition) in rows.items():
        if name.startswith("renderer"):
            spoken = f"{render_seconds:8.1f}" if render_seconds is not None else f"{'-':>8}"
        else:
            spoken = f"{speech:8.1f}"
        print(
            f"{name:22} {all_.sentences:9} {all_.words:6} {all_.wer:>5} | "
            f"{protected.sentences:9} {protected.words:6} {protected.wer:>5} | "
            f"{spoken} {recognition:7.1f}"
        )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "paths", nargs="*", type=Path, help=f"articles to render (default: {SEEDS})"
    )
    parser.add_argument(
        "--rendered", type=Path, help="an output folder already rendered with --formats daisy"
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"sentences to decode, spread over the books; 0 for all (default: {DEFAULT_LIMIT})",
    )
    parser.add_argument(
        "--details", type=Path, help="write each sentence and both transcripts as JSON"
    )
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="bench-intelligibility-") as scratch,
        watch_machine() as machine,
    ):
        render_seconds: float | None = None
        folder = args.rendered
        if folder is None:
            folder = Path(scratch)
            render_seconds = render(args.paths or [SEEDS], folder)
        books = sorted(p.parent.parent for p in folder.glob("*/daisy/ncc.html"))
        if not books:
            sys.exit(f"bench: no DAISY book in {folder}/*/daisy/ (render with --formats daisy)")
        everything = [s for book in books for s in book_sentences(book)]
        chosen = spread(everything, args.limit)
        print(
            f"{len(books)} books, {len(everything)} sentence clips "
            f"({sum(s.protected for s in everything)} protected); decoding {len(chosen)}"
        )
        details: list[dict[str, object]] | None = [] if args.details else None
        rows = measure(chosen, details)
    table(rows, render_seconds)
    if render_seconds is not None:
        print(
            "renderer 'speech s' is the whole render of every book (--formats daisy), not only the clips decoded"
        )
    print(f"pocketsphinx {_version('pocketsphinx')}, its en-us model; {machine}")
    if args.details and details is not None:
        args.details.write_text(json.dumps(details, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
