"""Memory against the article's length: the peak of a long render, against the raw engine's.

Run: .venv/bin/python bench/memory.py [--words 1000,9000,36000] [--keep DIR]
For each length, writes one Markdown booklet of about that many words from the articles in
content/ (our own words: each article one part under its title, over and over until long
enough; a part per article keeps the chapters under the 255 an MP3's table of contents holds),
then runs, each as a fresh process:
- `renderer render BOOKLET --formats audio,daisy --jobs 1` into an empty folder;
- the raw engine on the same text at the same rate, writing a WAV: the `espeak-ng` command line
  (bench/audio.py's `cli_speak`), or, where there is no `espeak-ng` binary, a minimal script doing
  what that command does with the espeakng-loader wheel's libespeak-ng (the renderer's own
  engine), its samples written to the file as they come, as the command line writes them.
Prints a table: for each length, the minutes of audio, the render's time, the peak memory of
each process of the render (the command, its forkserver, its worker) and of the largest (issue
16's target: under 200 MB), the raw engine's peak, and the worker's peak over the raw engine's
and over the shortest booklet's (target: close to 1, so that a clinic's long booklet needs no
more memory than a leaflet). Asserts nothing. A 36,000-word render takes minutes: run it when
nothing heavy runs.

How memory is measured: bench/load.py's sampler reads VmHWM (the peak resident set so far) of
every process under the command every 50 ms, the forkserver and its workers included (this
process is made their "child subreaper", so they stay in view when the command exits). The
kernel's ru_maxrss is not used: Linux counts in it the memory of the process a child was forked
from, before it exec'd, so every command started from this one (which has loaded the renderer
and its language model to write the booklets) would show at least this process's size. Linux
only.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from audio import RATE
from load import TreeSampler
from markdown_article import BARE_SPEECH, markdown_block, md
from timing import Machine, become_subreaper, reap_orphans, renderer_command, watch_machine

from renderer.loaders import find_inputs, load_article
from renderer.model import Article
from renderer.outputs.audio import read_audio

REPO = Path(__file__).resolve().parents[1]
LENGTHS = (1000, 9000, 36000)
TIMEOUT = 3600  # seconds: a worker's limit (the default 600 could stop a four-hour booklet)


# --- The booklet ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Booklet:
    markdown: str  # what the renderer reads
    plain: str  # the same words, a paragraph, list item or table cell a line: the raw engine's
    words: int
    parts: int


def booklet(articles: list[Article], words: int) -> Booklet:
    """A booklet of at least `words` words: each article of `articles` in turn as one part under
    its title (its own headings left out, its blocks kept), over and over, until long enough
    (the last part ends with the block that makes it so)."""
    title = "Ketamine treatment: a long booklet"
    front = f'---\ntitle: "{title}"\nlanguage: {articles[0].language}\n---'
    markdown, plain, count, parts = [front], [title], len(title.split()), 0
    while count < words:
        article = articles[parts % len(articles)]
        parts += 1
        heading = f"Part {parts}: {article.title}"
        markdown.append(f"## {md(heading)}")
        plain.append(heading)
        count += len(heading.split())
        for block in (b for section in article.sections for b in section.blocks):
            if count >= words:
                break
            markdown.append(markdown_block(block))
            plain.extend(block.units())
            count += sum(len(unit.split()) for unit in block.units())
    return Booklet("\n\n".join(markdown) + "\n", "\n".join(plain) + "\n", count, parts)


# --- One command, its memory watched -----------------------------------------------------------


ROLES = {"parent": "command", "forkserver": "forkserver", "worker": "worker"}


@dataclass
class Peak:
    seconds: float  # wall time
    processes: dict[str, float]  # each kind of process's peak resident set, MB ("worker" ...)
    machine: Machine

    @property
    def mb(self) -> float:
        """The largest process's peak."""
        return max(self.processes.values(), default=0.0)

    @property
    def where(self) -> str:
        return max(self.processes, key=lambda kind: self.processes[kind], default="-")

    @property
    def rendering(self) -> float:
        """The peak of the process that spoke and encoded: the worker (or the command itself,
        where it made none)."""
        return self.processes.get("worker") or self.processes.get("command", 0.0)


def watched(command: list[str], cwd: Path) -> Peak:
    """Run `command`; the peak memory of each kind of process under it, and its time."""
    with watch_machine() as machine:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, _ = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        reap_orphans()  # the forkserver, which outlives the command
        sampler.stop()
    assert process.stderr is not None
    errors = process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"memory: {shlex.join(command)} failed:\n{errors}")
    peaks: dict[str, float] = {}
    for role in ("parent", "forkserver", "worker", "tracker", "other"):
        for seen in sampler.of(role):
            kind = ROLES.get(role, "other")
            peaks[kind] = max(peaks.get(kind, 0.0), seen.peak_kib / 1024)
    return Peak(seconds, peaks, machine)


def raw_engine(text: Path, wav: Path) -> tuple[str, list[str]]:
    """The espeak-ng command line if it is installed, else the minimal script on the wheel's
    library: a description and the command."""
    if shutil.which("espeak-ng"):  # as bench/audio.py decides
        command = ["espeak-ng", "-v", "en", "-s", str(RATE), "-w", str(wav), "-f", str(text)]
        return f"espeak-ng -v en -s {RATE} -w (the command line)", command
    return (
        "libespeak-ng of espeakng-loader, one espeak_Synth written as it comes (no espeak-ng binary)",
        [sys.executable, "-c", BARE_SPEECH, "en", str(RATE), str(text), str(wav)],
    )


@dataclass
class Row:
    words: int
    parts: int
    audio_seconds: float
    ours: Peak
    raw: Peak
    raw_name: str


def measure(folder: Path, words: int, articles: list[Article]) -> Row:
    book = booklet(articles, words)
    source, text = folder / f"booklet-{words}.md", folder / f"booklet-{words}.txt"
    source.write_text(book.markdown, encoding="utf-8")
    text.write_text(book.plain, encoding="utf-8")
    out = folder / f"out-{words}"
    shutil.rmtree(out, ignore_errors=True)
    command = [*renderer_command(), "render", str(source), "-o", str(out)]
    command += ["--formats", "audio,daisy", "--jobs", "1", "--timeout", str(TIMEOUT)]
    print(f"memory: {book.words} words in {book.parts} parts: {shlex.join(command)}")
    ours = watched(command, folder)
    print(f"memory:   {ours.seconds:.0f} s, {ours.mb:.0f} MB (its {ours.where})")
    raw_name, raw_command = raw_engine(text, folder / f"raw-{words}.wav")
    raw = watched(raw_command, folder)
    with wave.open(str(folder / f"raw-{words}.wav"), "rb") as wav:
        raw_audio = wav.getnframes() / wav.getframerate()
    print(f"memory:   raw engine {raw.seconds:.0f} s, {raw.mb:.0f} MB, {raw_audio:.0f} s of audio")
    audio = read_audio(out / source.stem / f"{source.stem}.mp3", "mp3").seconds
    return Row(book.words, book.parts, audio, ours, raw, raw_name)


def table(rows: list[Row]) -> str:
    first = rows[0].ours.rendering if rows else 0.0
    kinds = list(dict.fromkeys(kind for r in rows for kind in r.ours.processes))
    lines = [
        f"{'words':>7} {'parts':>5} {'audio':>6} {'render':>6} "
        + "".join(f"{kind:>11}" for kind in kinds)
        + f" {'largest':>8} {'raw':>6} {'x raw':>6} {'x ' + format(rows[0].words, ','):>8}"
        + "  machine"
    ]
    for r in rows:
        ours = r.ours
        lines.append(
            f"{r.words:7,} {r.parts:5} {r.audio_seconds / 60:5.0f}m {ours.seconds:5.0f}s "
            + "".join(f"{ours.processes.get(kind, 0.0):8.0f} MB" for kind in kinds)
            + f" {ours.mb:5.0f} MB {r.raw.mb:3.0f} MB {ours.rendering / r.raw.mb:5.1f}x "
            + f"{ours.rendering / first:7.2f}x  {ours.machine}"
        )
    if rows:
        lines.append(f"raw: {rows[0].raw_name}")
    lines.append(
        "command, forkserver, worker: the peak resident set (VmHWM) of each process of "
        "`renderer render --formats audio,daisy --jobs 1` (the largest of each kind; other: "
        "multiprocessing's resource tracker); largest: of them all (issue 16's target: under "
        "200 MB). x raw and the last column: the worker's peak (the process that speaks and "
        "encodes) over the raw engine's on the same text, and over the shortest booklet's "
        "(target: close to 1)"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--words",
        default=",".join(map(str, LENGTHS)),
        help="booklet lengths, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--keep", type=Path, help="keep the booklets and outputs in this folder")
    args = parser.parse_args(argv)
    lengths = [int(w) for w in args.words.split(",") if w.strip()]
    become_subreaper()  # a render's forkserver outlives it: reaped here, its peak counted
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    articles = [load_article(path) for path in find_inputs([REPO / "content"])]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as temporary:
        folder = args.keep.resolve() if args.keep else Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        for words in lengths:
            rows.append(measure(folder, words, articles))
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
