"""Speed against the raw engines, from one run on the same text: every benchmark, then a summary.

Run: .venv/bin/python bench/engines.py [FILE|DIR ...]   (default: content/ and ../shared/seeds/)
Runs bench/score.py, bench/pdf.py and bench/audio.py on the same articles (their tables are
printed as they go), then times the `renderer render` command line on them twice: a first run
into an empty folder, and a second, unchanged, that skips every article by its fingerprint.
Ends with one table: speech against `espeak-ng -w` at the same rate (target 1.3x or less), MP3
encoding against real time, the PDF build against a bare reportlab build (target 2x or less),
scoring time per 1,000 words, and the re-run against the first run; each line with the load
average before and after it and the cores other processes used meanwhile.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import audio
import pdf
import score
from timing import Machine, become_subreaper, reap_orphans, renderer_command, watch_machine

from renderer.loaders import find_inputs

REPO = Path(__file__).resolve().parents[1]


def _timed_command(command: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    reap_orphans()  # its forkserver and workers, so that their CPU counts as ours
    if done.returncode != 0:
        raise SystemExit(
            f"engines: {shlex.join(command)} failed ({done.returncode}):\n{done.stderr}"
        )
    return seconds, done.stdout


def rerun(paths: list[Path]) -> dict[str, Any]:
    """Render `paths` into an empty folder, then again unchanged; then verify the folder."""
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-rerun-") as folder:
        out = Path(folder) / "out"
        command = [*renderer_command(), "render", *map(str, paths), "-o", str(out)]
        print(f"re-run: {shlex.join(command)}  (run twice; cwd: a temporary folder)")
        for key in ("first", "second"):
            found[key], stdout = _timed_command(command, Path(folder))
            summary = [line for line in stdout.splitlines() if line.startswith("Rendered ")]
            found[f"{key}_summary"] = summary[-1].split(" into ")[0] if summary else "?"
            print(f"  {key}: {found[key]:.2f} s ({found[f'{key}_summary']})")
        found["verify"], _ = _timed_command([*renderer_command(), "verify", str(out)], Path(folder))
        print(f"  verify: {found['verify']:.2f} s")
    return found


def _measure(title: str, work: Callable[[], Any]) -> tuple[Any, Machine]:
    print(f"\n== {title}")
    with watch_machine() as machine:
        result = work()
    print(f"({machine})")
    return result, machine


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [REPO / "content", REPO.parent / "shared" / "seeds"]
    paths = [p for p in paths if p.exists()]
    files = find_inputs(paths)
    cores = os.cpu_count() or 1
    become_subreaper()
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(
        f"machine: {cores} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"text: {len(files)} articles from {', '.join(map(str, paths))}"
    )
    rows: list[tuple[str, str, str, str, Machine]] = []

    sums, machine = _measure("speech and MP3 (bench/audio.py)", lambda: audio.run(files))
    if "cli" in sums:
        ratio = sums["ours"] / sums["cli"]
        rows.append(
            (
                f"speech vs espeak-ng -w, {audio.RATE} wpm",
                f"{ratio:.2f}x ({sums['ours']:.2f} s vs {sums['cli']:.2f} s)",
                "<= 1.3x",
                "met" if ratio <= 1.3 else "MISSED",
                machine,
            )
        )
    else:
        rows.append(("speech vs espeak-ng -w", "espeak-ng not on PATH", "<= 1.3x", "-", machine))
    real = sums["audio"] / sums["mp3"]
    rows.append(
        (
            "MP3 encoding vs real time",
            f"{real:.0f}x ({sums['audio']:.0f} s of audio in {sums['mp3']:.2f} s)",
            ">= 100x",
            "met" if real >= 100 else "MISSED",
            machine,
        )
    )

    found, machine = _measure("PDF build (bench/pdf.py)", lambda: pdf.run(files))
    ratio = found["median_ratio"]
    rows.append(
        (
            "PDF build vs bare reportlab, per page",
            f"{ratio:.2f}x (with read-back proof {found['median_proof_ratio']:.2f}x)",
            "<= 2x",
            "met" if ratio <= 2 else "MISSED",
            machine,
        )
    )

    found, machine = _measure("scoring (bench/score.py)", lambda: score.run(files))
    rows.append(
        (
            "scoring, per 1,000 words",
            f"{found['ms_per_1000_words']:.0f} ms ({found['median_ratio']:.1f}x textstat alone)",
            "-",
            "-",
            machine,
        )
    )

    found, machine = _measure("unchanged re-run (renderer render, twice)", lambda: rerun(paths))
    rows.append(
        (
            "unchanged re-run vs first run",
            f"{found['second']:.2f} s vs {found['first']:.2f} s "
            f"({found['second'] / found['first']:.2f}x); verify {found['verify']:.2f} s",
            "-",
            "-",
            machine,
        )
    )

    print(f"\n== summary ({len(files)} articles, one run)")
    print(f"{'measurement':38} {'figure':52} {'target':8} {'verdict':7} machine")
    for name, figure, target, verdict, machine in rows:
        print(f"{name:38} {figure:52} {target:8} {verdict:7} {machine}")
    busy = [name for name, *_, machine in rows if machine.others_cores >= 0.25 * cores]
    if busy:
        print(
            "BUSY: other processes used a quarter of the cores or more during: "
            + "; ".join(busy)
            + ". Timings there are slower than on a quiet machine."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
