"""`renderer render`: a batch of articles into large-print PDFs, spoken versions and a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renderer.cli.shared import (
    Reporter,
    add_analysis_flags,
    inputs,
    run_options,
    stopped_by,
    stopped_code,
)
from renderer.config import (
    AUDIO_FORMATS,
    DEFAULT_FONT_SIZE,
    DEFAULT_PAGE_SIZE,
    DEFAULT_RATE,
    DEFAULT_TIMEOUT,
    FONT_SIZE_RANGE,
    PAGE_SIZES,
    RATE_RANGE,
    THEMES,
)

# What a bare `renderer render` reads, as `make render` does.
CONTENT = "content"

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from renderer.pipeline import RenderResult

EXAMPLES = """\
examples:
  renderer render                                  content/ into output/, as `make render` does
  renderer render handouts/ -o printed/ --page-size a4 --font-size 24 --formats pdf
  renderer render leaflet.md --theme cream --clinic-name "Harbour Clinic" --clinic-phone "555 0100"
  renderer render leaflet.md --audio-url https://example.org/leaflet.mp3   adds a QR code
  renderer render leaflet.md --formats audio --voice en-us --rate 130 --split-audio
  renderer render folleto.md --formats audio --voice es --lexicon clinic-words.toml
  renderer render prospecto.html     in the page's language (lang="es-MX"): labels, voice, cues
  renderer render leaflet.md --formats pdf,audio,daisy   adds a DAISY 2.02 book in <slug>/daisy/
  renderer render leaflet.md --formats pdf,epub   adds <slug>.epub, to read and hear on a phone
  renderer render handouts/ --jobs 4 --force      render all again, four at a time
  renderer render --config clinic.toml            defaults from this file instead of ./renderer.toml
  renderer render handout.docx --page-size A4     a Word handout; choices in any case

Inputs: {supported}; a .pdf, .odt, .rtf or .doc is
named with what to save it as instead.

Each article becomes OUTPUT/<slug>/<slug>.pdf, <slug>.mp3 (one chapter per section),
<slug>.transcript.txt and manifest.json (with daisy, also daisy/ncc.html and its files),
written only once they have been read back and every protected passage found whole;
OUTPUT/report.html, .csv and .json cover the batch. An article unchanged since the last run is
skipped. Exit codes: 0 all rendered; 1 some inputs failed (the rest are still rendered);
2 usage error; 3 a required dependency (the speech engine) is missing; 130 stopped by Ctrl-C,
143 by SIGTERM (what is finished is kept whole; run again to finish).
"""


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from renderer.loaders import SUPPORTED_EXTENSIONS

    render = sub.add_parser(
        "render",
        parents=[common],
        help="write a large-print PDF and a spoken version of each article",
        description="Render articles as large-print PDF handouts (18 pt and up, sans-serif, "
        "left aligned, high contrast) with safety sections boxed, and as spoken MP3 with a "
        "chapter per section and a transcript; safety sections are kept whole in every output.",
        epilog=EXAMPLES.format(supported=", ".join(SUPPORTED_EXTENSIONS)),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[],
        metavar="PATH",
        help=f"files or folders (default: {CONTENT}/)",
    )
    render.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="where the outputs go (default: output/)",
    )
    render.add_argument(
        "--formats",
        metavar="LIST",
        help="outputs to write, comma-separated: pdf, audio, daisy (a DAISY 2.02 talking book "
        "in <slug>/daisy/), epub (an EPUB 3 talking book, <slug>.epub: large print read aloud "
        "with each sentence lit) (default: pdf,audio)",
    )
    render.add_argument(
        "--page-size",
        metavar="{" + ",".join(PAGE_SIZES) + "}",
        help=f"paper, in any case (default: {DEFAULT_PAGE_SIZE})",
    )
    low, high = FONT_SIZE_RANGE
    render.add_argument(
        "--font-size",
        type=float,
        metavar="PT",
        help=f"body text size, {low:g} to {high:g} (default: {DEFAULT_FONT_SIZE:g}); nothing on "
        "the page is smaller",
    )
    render.add_argument(
        "--theme",
        metavar="{" + ",".join(THEMES) + "}",
        help="standard (default): black on white, for print; cream: dark on cream, less glare; "
        "high-contrast: light on black, for screens (all at least 7:1)",
    )
    render.add_argument(
        "--font",
        type=Path,
        metavar="TTF",
        help="a clinic's own TrueType font instead of Atkinson Hyperlegible, which comes with "
        "pip (its bold is found beside it, e.g. Name-Bold.ttf)",
    )
    render.add_argument(
        "--clinic-name", metavar="NAME", help="printed under the title and in every page's footer"
    )
    render.add_argument(
        "--clinic-phone", metavar="PHONE", help="printed under the title and in every page's footer"
    )
    render.add_argument(
        "--edition",
        metavar="TEXT",
        help='a version printed under the title beside the date, e.g. "Version 3, reviewed by '
        "Dr Lee\"; the date is the source file's, or SOURCE_DATE_EPOCH's when set",
    )
    render.add_argument(
        "--audio-url",
        metavar="URL",
        help="an http(s) address of the spoken version: printed with a QR code",
    )
    render.add_argument(
        "--engine",
        metavar="NAME",
        help="the speech engine: espeak (espeak-ng; the default on Linux), system (the "
        "computer's own voices; the default on Windows and macOS), tone (a quiet tone as long as "
        "the speech would be: for trying a run where no speech engine is installed), the name "
        "an installed package gives its engine, or MODULE:CALLABLE for an engine of your own",
    )
    render.add_argument(
        "--voice",
        metavar="VOICE",
        help="a voice id or language code from `renderer voices` (default: a voice for the "
        "article's language)",
    )
    low_rate, high_rate = RATE_RANGE
    render.add_argument(
        "--rate",
        type=int,
        metavar="WPM",
        help=f"speaking rate in words a minute, {low_rate} to {high_rate} (default: {DEFAULT_RATE}, "
        "slower than the engine's 200 so that listeners can follow)",
    )
    render.add_argument(
        "--audio-format",
        metavar="{" + ",".join(AUDIO_FORMATS) + "}",
        help="mp3: 64 kbit/s CBR mono with ID3 chapters (default); wav: 16-bit with cue points",
    )
    render.add_argument(
        "--lexicon",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a TOML file of pronunciations to add to the defaults; may be given more than once",
    )
    render.add_argument(
        "--split-audio",
        action="store_true",
        help="also write one audio file per section, in OUTPUT/<slug>/sections/",
    )
    render.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="articles rendered at once, in separate processes (default: the number of cores)",
    )
    render.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"stop an article that takes longer than this in a worker process, report it and "
        f"go on with the others (default: {DEFAULT_TIMEOUT:g}); `--jobs 1 --formats pdf` "
        "renders without workers, and so without a limit",
    )
    render.add_argument(
        "--force",
        action="store_true",
        help="render every article, even one unchanged since the last run",
    )
    render.add_argument("--quiet", action="store_true", help="print errors and warnings only")
    add_analysis_flags(render)
    render.set_defaults(run=run)


def _summary(result: RenderResult) -> str:
    parts = []
    if result.pages is not None:
        parts.append(f"PDF {result.pages} pages")
    if result.audio_seconds is not None:
        minutes, seconds = divmod(round(result.audio_seconds), 60)
        parts.append(f"audio {minutes}:{seconds:02d} read by {result.voice}")
    if result.book_headings is not None:
        parts.append(f"DAISY book of {result.book_headings} headings")
    if result.epub_headings is not None:
        parts.append(f"EPUB of {result.epub_headings} headings")
    return "; ".join(parts)


class _Progress:
    """A bar with the article count and time left on a terminal; a line per article otherwise
    (CI, cron); errors only with --quiet."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.bar: Progress | None = None
        self.quiet = quiet
        if not quiet and sys.stderr.isatty() and total > 1:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task: TaskID = self.bar.add_task("Rendering", total=total)
            self.bar.start()

    def done(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, highlight=False, markup=False)
            self.bar.advance(self.task)
        elif not self.quiet:
            print(line, flush=True)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from renderer.batch import default_jobs, render_all
    from renderer.outputs.files import check_writable
    from renderer.pipeline import RenderResult, Toolkit

    paths = args.paths or [_default_content()]
    options, run_as = run_options(args)
    jobs, timeout = run_as.jobs or default_jobs(), run_as.timeout
    kit = Toolkit.load(options)  # a missing engine or unknown voice stops the run here, once
    notes: list[str] = []
    files = inputs(paths, reporter, notes)
    for note in notes:
        reporter.note(note)
    if not files:
        return reporter.exit_code  # each path said why it gave nothing; no report of nothing
    check_writable(args.output)  # a folder that cannot take files: one line, not one per article
    progress = _Progress(len(files), args.quiet)
    finished = 0

    def done(path: Path, outcome: RenderResult | Exception) -> None:
        nonlocal finished
        finished += 1
        if not isinstance(outcome, RenderResult):
            reporter.failed(outcome, path)
            return
        for warning in outcome.warnings:
            reporter.warn(path, warning)
        progress.done(f"{path} -> {args.output / outcome.slug}/ ({_summary(outcome)})")

    try:
        batch = render_all(
            files,
            options,
            args.output,
            kit,
            jobs=jobs,
            force=args.force,
            timeout=timeout,
            on_done=done,
        )
    except KeyboardInterrupt as stop:
        progress.stop()
        print(
            f"renderer: {stopped_by(stop)} after {finished} of {len(files)} articles; the "
            "files written are complete and nothing half-written is left",
            file=sys.stderr,
        )
        return stopped_code(stop)
    progress.stop()
    if batch.stopped is not None:
        # A full disk or a folder gone read-only failed every article after this one, and
        # would fail the reports too: the batch stopped there, said in one line.
        reporter.failed(batch.stopped)
        return reporter.exit_code
    if not args.quiet:
        rendered, skipped = batch.count("rendered"), batch.count("skipped")
        print(
            f"Rendered {rendered}, skipped {skipped} unchanged, failed {batch.count('failed')} "
            f"of {len(files)} articles into {args.output}/ (report: {batch.reports[-1]})"
        )
    return reporter.exit_code


def _default_content() -> Path:
    """The content/ folder a bare `renderer render` reads, or a usage error saying what to do."""
    from renderer.errors import UsageError

    content = Path(CONTENT)
    if not content.is_dir():
        raise UsageError(
            f"no {CONTENT}/ folder here to render: name the articles "
            f"(renderer render FILE_OR_FOLDER ...) or run it in the folder that holds {CONTENT}/"
        )
    return content
