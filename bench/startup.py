"""Whole-process cost: the `renderer` command as a user starts it, against bare scripts doing the
same job with the same libraries, on one long article.

Run: .venv/bin/python bench/startup.py [--rounds N] [--words N] [--keep DIR] [--only PARTS]
Builds one Markdown article of about --words words (default 6,559, the size issue 17 measured)
from the articles in content/ (our own words, repeated in turn until long enough), then times,
each as a fresh process and the best of --rounds runs (default 3):
- `python -c pass`: the interpreter alone, the floor under every other line;
- `renderer --help` (target: under 0.3 s);
- `renderer score ARTICLE`: loading, analysis and readability, no output written;
- `renderer render ARTICLE --formats pdf --jobs 1` into an empty folder, against a bare reportlab
  script that sets the same text (a SimpleDocTemplate of one Paragraph per paragraph, list item
  and table cell, in the renderer's font at its default size) (target: 2.5x or less);
- `renderer render ARTICLE --formats audio --audio-format wav --jobs 1` into an empty folder,
  against the espeak-ng command line writing a WAV of the same text at the same rate
  (bench/audio.py's `cli_speak`), or, where there is no `espeak-ng` binary, a minimal script
  doing what that command does with the espeakng-loader wheel's libespeak-ng (the renderer's own
  engine) (target: 1.5x or less);
- `renderer render ARTICLE --formats audio --jobs 1` (an MP3) against that command line piped
  into an MP3 encoder, `espeak-ng --stdout | lame`: lameenc at the renderer's bit rate and
  quality, the two processes running at once as a shell runs a pipe (target: 1.5x or less).
  Encoding is most of an MP3's cost (lame alone takes longer than the speech), so an MP3 is
  held to the command line that also makes one.
Prints one line per measurement: wall and CPU seconds (CPU counts the forkserver and workers a
render starts), the baseline's, the ratios of wall times (what the targets are about) and of CPU
times (steadier when other processes compete for the cores), the target, the load average and
the cores other processes used meanwhile (a busy machine slows every figure: run it when nothing
heavy is running, and trust the best of several runs). Asserts nothing. Words are counted as
whitespace-separated words of the text, headings included (the analysis counts fewer: it skips
headings and punctuation). --keep DIR keeps the article, its text and the last outputs there.
--only start,pdf,audio,wav measures only those (start: the first three lines), to follow one
figure while working on it.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from audio import RATE, cli_speak
from markdown_article import BARE_MP3, BARE_SPEECH, markdown_block, md
from timing import Machine, become_subreaper, reap_orphans, renderer_command, watch_machine

import renderer
from renderer.config import LargePrintOptions
from renderer.loaders import find_inputs, load_article
from renderer.model import Article, Block
from renderer.outputs.audio.encode import MP3_BITRATE, MP3_QUALITY
from renderer.outputs.fonts import resolve_fonts

REPO = Path(__file__).resolve().parents[1]
WORDS = 6559
ROUNDS = 3

# A bare reportlab script: what someone would write to set a text in large print with reportlab
# alone. Run as its own process, like the renderer, so that both pay for their imports.
BARE_PDF = """
import sys
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

font, size, text, out = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
pdfmetrics.registerFont(TTFont("Body", font))
style = ParagraphStyle("body", fontName="Body", fontSize=size, leading=size * 1.5)
with open(text, encoding="utf-8") as f:
    story = [Paragraph(escape(line), style) for line in f.read().splitlines() if line.strip()]
SimpleDocTemplate(out, pagesize=LETTER).build(story)
"""


# --- The article ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LongArticle:
    markdown: str  # the article the renderer reads
    plain: str  # the same text, one paragraph, list item or table cell a line: the baselines'
    words: int


def long_article(articles: list[Article], words: int) -> LongArticle:
    """One article of at least `words` words: the sections of `articles` in turn, each under its
    heading (a section without one under its article's title), over and over until long enough."""
    title = "Ketamine treatment: a long guide"
    # Declared, as content/ketamine-therapy.md does: detecting it would add the detector's load.
    front = f"---\ntitle: {json.dumps(title)}\nlanguage: {articles[0].language}\n---"
    markdown, plain, count = [front], [title], len(title.split())

    def sections() -> Iterator[tuple[str, tuple[Block, ...]]]:
        while True:
            for article in articles:
                for section in article.sections:
                    yield section.heading or article.title, section.blocks

    for heading, blocks in sections():
        if count >= words:
            break
        markdown.append(f"## {md(heading)}")
        plain.append(heading)
        for block in blocks:
            markdown.append(markdown_block(block))
            plain.extend(block.units())
        count += len(heading.split()) + sum(len(u.split()) for b in blocks for u in b.units())
    return LongArticle("\n\n".join(markdown) + "\n", "\n".join(plain) + "\n", count)


# --- Timing whole processes ----------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    seconds: float  # wall time, the best run
    cpu: float  # CPU time of the command and every process it started, the best run
    machine: Machine
    helpers_cpu: float = 0.0  # of `cpu`, the forkserver's and its workers'
    baseline: str = ""
    baseline_seconds: float = 0.0
    baseline_cpu: float = 0.0
    target: float | None = None  # the ratio to the baseline (or seconds, with no baseline) to meet


# As a user's Python runs: it keeps the compiled modules it writes. A shell that sets
# PYTHONDONTWRITEBYTECODE (as some sandboxes do) would have every run compile the renderer's
# modules from source again, about 0.1 s that no installed copy pays.
USER_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_command(command: list[str], cwd: Path) -> float:
    """One run of `command`; its leftover processes (the forkserver of a run that made audio)
    are waited for, so that their CPU time counts and none runs into the next run. Returns the
    CPU seconds of those (the forkserver with the workers it started)."""
    done = subprocess.run(command, cwd=cwd, env=USER_ENVIRONMENT, capture_output=True, text=True)
    leftovers = reap_orphans()
    if done.returncode != 0:
        raise SystemExit(
            f"startup: {shlex.join(command)} failed ({done.returncode}):\n{done.stderr}"
        )
    return sum(usage.ru_utime + usage.ru_stime for usage in leftovers.values())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(
    rounds: int, run: Callable[[], object], before: Callable[[], object] | None = None
) -> tuple[float, float, float, Machine]:
    """The best wall time and the best CPU time of `rounds` runs (`before` each, untimed), and
    of that best CPU time what the processes the command left behind used (`run` returns it)."""
    walls, cpus, helpers = [], [], []
    with watch_machine() as machine:
        for _ in range(rounds):
            if before:
                before()
            cpu, start = children_cpu(), time.perf_counter()
            left = run()
            walls.append(time.perf_counter() - start)
            cpus.append(children_cpu() - cpu)
            helpers.append(left if isinstance(left, float) else 0.0)
    best = min(range(rounds), key=cpus.__getitem__)
    return min(walls), cpus[best], helpers[best], machine


def fresh(folder: Path) -> Callable[[], None]:
    """Empty `folder` before a run, so the renderer never skips an article as up to date."""

    def empty() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    return empty


def speech_baseline(text: Path, wav: Path) -> tuple[str, Callable[[], object]]:
    """The espeak-ng command line if it is installed, else the minimal script on the wheel's
    library: a description and one run."""
    if shutil.which("espeak-ng"):  # as bench/audio.py decides
        return f"espeak-ng -v en -s {RATE} -w (the command line)", lambda: cli_speak(text, wav)
    command = [sys.executable, "-c", BARE_SPEECH, "en", str(RATE), str(text), str(wav)]
    return (
        "libespeak-ng of espeakng-loader, one espeak_Synth (no espeak-ng binary)",
        lambda: run_command(command, text.parent),
    )


def mp3_baseline(text: Path, mp3: Path) -> tuple[str, Callable[[], object]]:
    """`espeak-ng --stdout | lame - OUT`: the command line's speech piped into an MP3 encoder
    (lameenc, at the renderer's bit rate and quality), the two running at once as a shell runs
    a pipe. Where there is no espeak-ng binary, the minimal library script writes the WAV."""
    if shutil.which("espeak-ng"):
        speak = ["espeak-ng", "-v", "en", "-s", str(RATE), "--stdout", "-f", str(text)]
        name = f"espeak-ng -v en -s {RATE} --stdout | lame (lameenc)"
    else:
        speak = [sys.executable, "-c", BARE_SPEECH, "en", str(RATE), str(text), "-"]
        name = "libespeak-ng of espeakng-loader, one espeak_Synth | lame (lameenc)"
    encode = [sys.executable, "-c", BARE_MP3, str(MP3_BITRATE), str(MP3_QUALITY), str(mp3)]

    def run() -> None:
        with subprocess.Popen(speak, stdout=subprocess.PIPE, env=USER_ENVIRONMENT) as speaker:
            assert speaker.stdout is not None
            encoded = subprocess.run(encode, stdin=speaker.stdout, env=USER_ENVIRONMENT)
            speaker.stdout.close()
        if speaker.returncode or encoded.returncode:
            raise SystemExit(f"startup: the MP3 baseline failed: {shlex.join(speak)} | lame")

    return f"{name}, {MP3_BITRATE} kbit/s quality {MP3_QUALITY}", run


PARTS = ("start", "pdf", "audio", "wav")  # --only: the start-up lines, the PDF, MP3 or WAV render


def measure(
    folder: Path, rounds: int, words: int, only: frozenset[str] = frozenset(PARTS)
) -> list[Figure]:
    articles = [load_article(path) for path in find_inputs([REPO / "content"])]
    if not articles:
        raise SystemExit(f"startup: no articles in {REPO / 'content'} to build the text from")
    article = long_article(articles, words)
    source, text = folder / "long-guide.md", folder / "long-guide.txt"
    source.write_text(article.markdown, encoding="utf-8")
    text.write_text(article.plain, encoding="utf-8")
    print(
        f"article: {source} ({article.words} words, built from {len(articles)} articles in "
        f"content/); best of {rounds} runs each"
    )
    renderer_cli = renderer_command()
    figures: list[Figure] = []

    def add(name: str, command: list[str], out: Path | None = None) -> Figure:
        seconds, cpu, helpers, machine = best_of(
            rounds, lambda: run_command(command, folder), fresh(out) if out else None
        )
        figures.append(Figure(name, seconds, cpu, machine, helpers))
        print(f"  {name}: {seconds:.2f} s (CPU {cpu:.2f} s)")
        return figures[-1]

    def against(figure: Figure, name: str, run: Callable[[], object], target: float) -> None:
        figure.baseline, figure.target = name, target
        figure.baseline_seconds, figure.baseline_cpu, _, _ = best_of(rounds, run)
        print(f"  {name}: {figure.baseline_seconds:.2f} s (CPU {figure.baseline_cpu:.2f} s)")

    if "start" in only:
        add("python -c pass", [sys.executable, "-c", "pass"])
        add("renderer --help", [*renderer_cli, "--help"]).target = 0.3
        add("renderer score ARTICLE", [*renderer_cli, "score", str(source)])

    def render(out: Path, *flags: str) -> list[str]:
        return [*renderer_cli, "render", str(source), "-o", str(out), "--jobs", "1", *flags]

    if "pdf" in only:
        out = folder / "pdf"
        pdf = add("renderer render --formats pdf --jobs 1", render(out, "--formats", "pdf"), out)
        font = resolve_fonts().primary.regular.path
        size = LargePrintOptions().font_size
        bare = [sys.executable, "-c", BARE_PDF, *map(str, (font, size, text, folder / "bare.pdf"))]
        against(
            pdf,
            f"bare reportlab script, {font.name} {size:g} pt",
            lambda: run_command(bare, folder),
            2.5,
        )

    if not only & {"audio", "wav"}:
        return figures
    # Each spoken render against the command line making the same kind of file: a WAV as
    # `espeak-ng -w` writes one, an MP3 as `espeak-ng --stdout | lame` does.
    if "wav" in only:
        out = folder / "wav"
        flags = ("--formats", "audio", "--audio-format", "wav")
        wav = add("renderer render --audio-format wav", render(out, *flags), out)
        against(wav, *speech_baseline(text, folder / "bare.wav"), 1.5)
    if "audio" in only:
        out = folder / "audio"
        flags = ("--formats", "audio")
        speech = add("renderer render --formats audio (MP3)", render(out, *flags), out)
        against(speech, *mp3_baseline(text, folder / "bare.mp3"), 1.5)
    return figures


def table(figures: list[Figure]) -> str:
    lines = [
        f"{'measurement':40} {'wall':>7} {'CPU':>6} {'baseline':>8} {'CPU':>6} {'ratio':>6} "
        f"{'(CPU)':>6} {'target':>8}  verdict machine"
    ]
    for f in figures:
        if f.baseline:
            ratio = f.seconds / f.baseline_seconds
            cells = (
                f"{f.baseline_seconds:7.2f}s {f.baseline_cpu:5.2f}s {ratio:5.2f}x "
                f"{f.cpu / f.baseline_cpu:5.2f}x {f'<= {f.target:g}x':>8}"
            )
            verdict = "met" if f.target is None or ratio <= f.target else "MISSED"
        else:
            target = f"< {f.target:g} s" if f.target else "-"
            cells = f"{'-':>8} {'-':>6} {'-':>6} {'-':>6} {target:>8}"
            verdict = "" if f.target is None else "met" if f.seconds < f.target else "MISSED"
        lines.append(
            f"{f.name:40} {f.seconds:6.2f}s {f.cpu:5.2f}s {cells}  {verdict:7} {f.machine}"
        )
    named: set[str] = set()
    for f in figures:
        if f.baseline and f.baseline not in named:
            named.add(f.baseline)
            lines.append(f"{f.name.strip()}: against the {f.baseline}")
    for f in figures:
        if f.helpers_cpu:
            lines.append(
                f"{f.name.strip()}: of its {f.cpu:.2f} s of CPU, {f.helpers_cpu:.2f} s in "
                "processes it left running (a forkserver and its workers), "
                f"{f.cpu - f.helpers_cpu:.2f} s in the run's own process and the workers it "
                "waited for"
            )
    lines.append(
        "ratio: wall time over the baseline's (the targets' measure); (CPU): CPU time over the "
        "baseline's, steadier on a busy machine; CPU includes the forkserver and workers"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="runs of each, the best kept")
    parser.add_argument("--words", type=int, default=WORDS, help="length of the article")
    parser.add_argument("--keep", type=Path, help="keep the article and outputs in this folder")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"which measurements, comma-separated, of {','.join(PARTS)} (default: all)",
    )
    args = parser.parse_args(argv)
    only = frozenset(part.strip() for part in args.only.split(",") if part.strip())
    if not only or only - set(PARTS):
        parser.error(f"--only takes {', '.join(PARTS)}, not {args.only!r}")
    become_subreaper()  # a render's forkserver outlives it: reaped here between runs
    # Compiled once here, as pip does on install (see USER_ENVIRONMENT).
    compileall.compile_dir(Path(renderer.__file__).parent, quiet=1)
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        figures = measure(args.keep.resolve(), args.rounds, args.words, only)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
            figures = measure(Path(folder), args.rounds, args.words, only)
    print()
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
