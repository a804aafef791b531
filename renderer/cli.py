"""The `renderer` command: argument parsing, printing and exit codes (the only module that prints)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import signal
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from renderer.analysis.review import check_line, dropped_line, left_out, override_line
from renderer.analysis.sections import CueSet, load_cues
from renderer.batch import default_jobs, render_all
from renderer.config import (
    AUDIO_FORMATS,
    CONFIG_NAME,
    DEFAULT_FORMATS,
    DEFAULT_RATE,
    DEFAULT_TARGET_GRADE,
    DEFAULT_TIMEOUT,
    FONT_SIZE_RANGE,
    PAGE_SIZES,
    RATE_RANGE,
    THEMES,
    LargePrintOptions,
    Options,
    SpeechOptions,
    load_settings,
    parse_formats,
)
from renderer.errors import OutputError, RendererError, UsageError
from renderer.loaders import SUPPORTED_EXTENSIONS, find_inputs, unique_paths
from renderer.model import Article, Readability, Section, article_to_json
from renderer.outputs.files import check_writable
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.normalise import engine_text
from renderer.outputs.report import ArticleOutcome, ReportEntry, summarise, write_reports
from renderer.outputs.speech import open_engine, voices_for
from renderer.pipeline import RenderResult, Toolkit, analyse
from renderer.verify import verify_tree

EXIT_OK = 0
EXIT_FAILED = 1

SCORE_EXAMPLES = """\
examples:
  renderer score content/ketamine-therapy.md
  renderer score content/                       every supported file in the folder
  renderer score ../shared/seeds/*.txt --json --target-grade 8 > analysis.json
  renderer score handout.md --cues clinic-cues.toml

After its table, each article lists the sentences with strong risk or disclaimer language that
are not boxed ("Check these"), the page furniture left out, and its pins. To box or unbox a
passage of leaflet.md, name it in leaflet.pins.toml beside it (README: "Checking and pinning a
passage"):
  protect = ["Keep out of the reach of children"]
  unprotect = ["About this leaflet"]

The language is the file's (HTML lang, Markdown front matter "language: es-MX"), else detected
from the text; Spanish, Portuguese, French and German have their own safety cues, readability
formulas and labels (README: "Languages").

Supported files: {supported}.
Exit codes: 0 all scored; 1 some inputs failed (the rest are still scored); 2 usage error;
3 a required dependency is missing.
"""


RENDER_EXAMPLES = """\
examples:
  renderer render                                  content/ into output/, as `make render` does
  renderer render handouts/ -o printed/ --page-size a4 --font-size 24 --formats pdf
  renderer render leaflet.md --theme cream --clinic-name "Harbour Clinic" --clinic-phone "555 0100"
  renderer render leaflet.md --audio-url https://example.org/leaflet.mp3   adds a QR code
  renderer render leaflet.md --formats audio --voice en-us --rate 130 --split-audio
  renderer render folleto.md --formats audio --voice es --lexicon clinic-words.toml
  renderer render prospecto.html     in the page's language (lang="es-MX"): labels, voice, cues
  renderer render leaflet.md --formats pdf,audio,daisy   adds a DAISY 2.02 book in <slug>/daisy/
  renderer render handouts/ --jobs 4 --force      render all again, four at a time
  renderer render --config clinic.toml            defaults from this file instead of ./renderer.toml

Each article becomes OUTPUT/<slug>/<slug>.pdf, <slug>.mp3 (one chapter per section),
<slug>.transcript.txt and manifest.json (with daisy, also daisy/ncc.html and its files),
written only once they have been read back and every protected passage found whole;
OUTPUT/report.html, .csv and .json cover the batch. An article unchanged since the last run is
skipped. Exit codes: 0 all rendered; 1 some inputs failed (the rest are still rendered);
2 usage error; 3 a required dependency (the speech engine) is missing; 130 stopped by Ctrl-C,
143 by SIGTERM (what is finished is kept whole; run again to finish).
"""

VERIFY_EXAMPLES = """\
examples:
  renderer verify                 everything under output/
  renderer verify printed/        another output folder

One line per problem on stderr, naming the article and what is wrong. Exit codes: 0 all
intact; 1 a problem was found; 2 no manifest under DIR.
"""

VOICES_EXAMPLES = """\
examples:
  renderer voices                 every voice, with its languages
  renderer voices --language es   the voices that speak Spanish

Give an id or a language code to `renderer render --voice`.
"""

PRONOUNCE_EXAMPLES = """\
examples:
  renderer pronounce "Call 911 now."            nine one one, digit by digit
  renderer pronounce "Take 2-4 mg." "Visit https://www.nhs.uk/conditions/flu/"
  renderer pronounce --language es "Llame al 112." "Tome 0,5 mg."
  renderer pronounce --lexicon clinic-words.toml "Take 400 IU daily."

Prints one line per TEXT: exactly what the speech engine is given for it (numbers, phone numbers
and addresses read per language, then the lexicon and each --lexicon file, the last one last).
The transcript keeps the text as written.
"""


class _Reporter:
    """Writes failures as one line each on stderr and remembers the worst exit code."""

    def __init__(self, verbose: bool, stream: TextIO) -> None:
        self.verbose = verbose
        self.stream = stream
        self.exit_code = EXIT_OK

    def warn(self, path: Path, message: str) -> None:
        print(f"renderer: warning: {path}: {message}", file=self.stream)

    def note(self, message: str) -> None:
        print(f"renderer: note: {message}", file=self.stream)

    def failed(self, error: BaseException, path: Path | None = None) -> None:
        if isinstance(error, RendererError):
            line = str(error)
            code = error.exit_code
        else:
            where = f"{path}: " if path else ""
            line = f"{where}unexpected {type(error).__name__}: {error}"
            if not self.verbose:
                line += " (run with --verbose for the traceback)"
            code = EXIT_FAILED
        if self.verbose:
            traceback.print_exception(type(error), error, error.__traceback__, file=self.stream)
        print(f"renderer: {line}", file=self.stream)
        self.exit_code = max(self.exit_code, code)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _protection(section: Section) -> str:
    if section.protected:
        return f"yes: {section.reason}"
    blocks = [b for b in section.blocks if b.protected]
    if blocks:
        noun = "paragraph" if len(blocks) == 1 else "paragraphs"
        return f"{len(blocks)} {noun}: {blocks[0].reason}"
    return "no"


def _score_cells(r: Readability | None) -> list[str]:
    if r is None:
        return ["0", "0", "-", "-", "-"]
    return [
        str(r.words),
        str(r.sentences),
        f"{r.grade:.1f}",
        _yes_no(r.meets_target),
        _yes_no(r.reliable),
    ]


def _print_table(article: Article, target_grade: float, console: Console) -> None:
    table = Table(
        title=f"{article.title}  ({article.source}, language {article.language})",
        title_justify="left",
    )
    for name in ("#", "Heading", "Kind", "Protected", "Words", "Sentences", "Grade"):
        justify: Any = "right" if name in ("#", "Words", "Sentences", "Grade") else "left"
        table.add_column(name, justify=justify, overflow="fold")
    table.add_column(f"Grade <= {target_grade:g}")
    table.add_column("Reliable")
    for s in article.sections:
        heading = s.heading if s.heading is not None else "(untitled)"
        table.add_row(
            str(s.index), heading, s.kind.value, _protection(s), *_score_cells(s.readability)
        )
    table.add_section()
    table.add_row("", "Whole document", "", "", *_score_cells(article.readability))
    console.print(table)
    kept = [d for d in article.dropped if d.kept]
    if article.dropped:
        console.print(
            f"Dropped page regions: {len(article.dropped)} "
            f"({len(kept)} kept as protected sections because they carry safety language)"
        )
    _print_review(article_to_json(article), console)
    console.print()


def _print_review(analysis: dict[str, Any], console: Console) -> None:
    """What a person should look at: unboxed safety language, what was left out, the pins."""
    lists = (
        ("Check these (risk language not boxed):", analysis["check_these"], check_line),
        ("Left out as page furniture:", left_out(analysis), dropped_line),
        ("Pinned:", analysis["overrides"], override_line),
    )
    for title, entries, line in lists:
        if entries:
            console.print(title, markup=False)
            for entry in entries:
                console.print(f"  - {line(entry)}", markup=False)


def _inputs(
    paths: Sequence[Path], reporter: _Reporter, notes: list[str] | None = None
) -> list[Path]:
    files: list[Path] = []
    for arg in paths:
        try:
            files.extend(find_inputs([arg], notes))
        except RendererError as error:
            reporter.failed(error)
    return unique_paths(files)


def _score(args: argparse.Namespace, reporter: _Reporter) -> int:
    options, _ = _run_options(args)
    cues: CueSet = load_cues(options.cue_files)
    analyses: list[Article] = []
    for path in _inputs(args.paths, reporter):
        try:
            analyses.append(analyse(path, options, cues))
        except Exception as error:  # one bad article must not stop the others
            reporter.failed(error, path)
    if args.json:
        payload = [article_to_json(a) for a in analyses]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:

        def tables(console: Console) -> None:
            for article in analyses:
                _print_table(article, options.target_grade, console)

        _print_rich(tables)
    return reporter.exit_code


def _print_rich(draw: Callable[[Console], None]) -> None:
    """Draw with rich into a buffer and write it to stdout in one go: rich turns a closed pipe
    (`renderer score ... | head`) into exit code 1 of its own."""
    buffer = io.StringIO()
    tty = sys.stdout.isatty()
    width = shutil.get_terminal_size((140, 24)).columns if tty else 140
    draw(Console(file=buffer, width=width, highlight=False, force_terminal=tty))
    sys.stdout.write(buffer.getvalue())


def _summary(result: RenderResult) -> str:
    parts = []
    if result.pages is not None:
        parts.append(f"PDF {result.pages} pages")
    if result.audio_seconds is not None:
        minutes, seconds = divmod(round(result.audio_seconds), 60)
        parts.append(f"audio {minutes}:{seconds:02d} read by {result.voice}")
    if result.book_headings is not None:
        parts.append(f"DAISY book of {result.book_headings} headings")
    return "; ".join(parts)


def _setting(args: argparse.Namespace, settings: dict[str, Any], key: str, default: Any) -> Any:
    """A flag's value if it was given, else renderer.toml's, else the built-in default."""
    value = getattr(args, key)
    if value is None or value == []:
        return settings.get(key, default)
    return value


def _run_options(args: argparse.Namespace) -> tuple[Options, dict[str, Any]]:
    """Options from defaults < renderer.toml (or --config) < the command line's flags, and the
    file's settings."""
    settings, _ = load_settings(args.config)

    def pick(key: str, default: Any) -> Any:
        return _setting(args, settings, key, default)

    if args.command != "render":
        return Options(
            target_grade=pick("target_grade", DEFAULT_TARGET_GRADE),
            cue_files=tuple(pick("cues", [])),
        ), settings
    formats = (
        parse_formats(args.formats) if args.formats else settings.get("formats", DEFAULT_FORMATS)
    )
    options = Options(
        target_grade=pick("target_grade", DEFAULT_TARGET_GRADE),
        cue_files=tuple(pick("cues", [])),
        formats=formats,
        print=LargePrintOptions(
            page_size=pick("page_size", "letter"),
            font_size=pick("font_size", 18.0),
            theme=pick("theme", "standard"),
            font=pick("font", None),
            clinic_name=pick("clinic_name", None),
            clinic_phone=pick("clinic_phone", None),
            audio_url=args.audio_url,
        ),
        speech=SpeechOptions(
            engine=pick("engine", None),
            voice=pick("voice", None),
            rate=pick("rate", DEFAULT_RATE),
            audio_format=pick("audio_format", "mp3"),
            lexicon_files=tuple(pick("lexicon", [])),
            split=args.split_audio,
        ),
    )
    return options, settings


class _Progress:
    """A bar with the article count and time left on a terminal; a line per article otherwise
    (CI, cron); errors only with --quiet."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.bar: Progress | None = None
        self.quiet = quiet
        if not quiet and sys.stderr.isatty() and total > 1:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task("Rendering", total=total)
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


def _render(args: argparse.Namespace, reporter: _Reporter) -> int:
    options, settings = _run_options(args)
    jobs = _setting(args, settings, "jobs", default_jobs())
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    timeout = _setting(args, settings, "timeout", DEFAULT_TIMEOUT)
    if not timeout > 0:
        raise UsageError(f"--timeout must be more than 0 seconds, not {timeout:g}")
    kit = Toolkit.load(options)  # a missing engine or unknown voice stops the run here, once
    notes: list[str] = []
    files = _inputs(args.paths, reporter, notes)
    for note in notes:
        reporter.note(note)
    check_writable(args.output)  # a folder that cannot take files: one line, not one per article
    entries: dict[Path, ReportEntry] = {}  # not the results: they hold each article's text
    progress = _Progress(len(files), args.quiet)
    results = render_all(
        files, options, args.output, kit, jobs=jobs, force=args.force, timeout=timeout
    )
    try:
        with contextlib.closing(results):
            for path, outcome in results:
                entries[path] = summarise(_report_outcome(path, outcome), options.target_grade)
                if isinstance(outcome, OutputError) and _output_full(args.output):
                    # A full disk or a folder gone read-only fails every article after this
                    # one, and the reports too: stop here, in one line.
                    done = sum(e.status != "failed" for e in entries.values())
                    reporter.failed(
                        OutputError(
                            f"{outcome.message}; stopped with {done} of {len(files)} articles "
                            "rendered (run again when it can be written: what is done is skipped)",
                            outcome.path,
                        )
                    )
                    progress.stop()
                    return reporter.exit_code
                if not isinstance(outcome, RenderResult):
                    reporter.failed(outcome, path)
                    continue
                for warning in outcome.warnings:
                    reporter.warn(path, warning)
                progress.done(f"{path} -> {args.output / outcome.slug}/ ({_summary(outcome)})")
    except KeyboardInterrupt as stop:
        progress.stop()
        print(
            f"renderer: {_stopped_by(stop)} after {len(entries)} of {len(files)} articles; the "
            "files written are complete and nothing half-written is left",
            file=sys.stderr,
        )
        return _stopped_code(stop)
    progress.stop()
    ordered = [entries[path] for path in files if path in entries]
    reports = write_reports(args.output, ordered, options.target_grade)
    if not args.quiet:
        counts = Counter(entry.status for entry in ordered)
        rendered, skipped, failed = counts["rendered"], counts["skipped"], counts["failed"]
        print(
            f"Rendered {rendered}, skipped {skipped} unchanged, failed {failed} of {len(files)} "
            f"articles into {args.output}/ (report: {reports[-1]})"
        )
    return reporter.exit_code


def _output_full(folder: Path) -> bool:
    """Whether the output folder can no longer take any file (after an article failed to write)."""
    try:
        check_writable(folder)
    except OutputError:
        return True
    return False


def _report_outcome(path: Path, outcome: RenderResult | Exception) -> ArticleOutcome:
    if isinstance(outcome, RenderResult):
        return ArticleOutcome(str(path), outcome.slug, outcome.manifest)
    return ArticleOutcome(str(path), None, None, str(outcome))


def _verify(args: argparse.Namespace, reporter: _Reporter) -> int:
    report = verify_tree(args.folder)
    for problem in report.problems:
        print(f"renderer: {problem}", file=sys.stderr)
    if report.problems:
        reporter.exit_code = max(reporter.exit_code, EXIT_FAILED)
        failing = len({p.article for p in report.problems})
        print(
            f"{len(report.problems)} problems in {failing} of {report.articles} articles "
            f"({report.checks} checks)"
        )
    else:
        print(
            f"Verified {report.articles} articles: every output is intact and holds all its "
            f"text, protected passages included ({report.checks} checks)"
        )
    return reporter.exit_code


def _voices(args: argparse.Namespace, reporter: _Reporter) -> int:
    engine = open_engine(args.engine)
    voices = engine.voices()
    if args.language:
        voices = voices_for(voices, args.language)
        if not voices:
            raise UsageError(f"no voice speaks {args.language!r}")
    table = Table(title=engine.description, title_justify="left")
    for column in ("id", "name", "languages", "gender"):
        table.add_column(column)
    for voice in sorted(voices, key=lambda v: v.id):
        table.add_row(voice.id, voice.name, ", ".join(voice.languages), voice.gender or "")
    _print_rich(lambda console: console.print(table))
    return reporter.exit_code


def _pronounce(args: argparse.Namespace, reporter: _Reporter) -> int:
    lexicon = load_lexicon(tuple(args.lexicon))
    for text in args.text:
        print(engine_text(text, args.language, lexicon))
    return reporter.exit_code


def _add_analysis_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target-grade",
        type=float,
        metavar="GRADE",
        help=f"US school grade a section should not read above (default: "
        f"{DEFAULT_TARGET_GRADE:g}, the NIH ceiling for patient material)",
    )
    parser.add_argument(
        "--cues",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a TOML file of extra section cues (headings, phrases) to add to the defaults; "
        "may be given more than once",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"a clinic's defaults (default: ./{CONFIG_NAME} if there is one); flags override it",
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--verbose", action="store_true", help="show the traceback of an error as well"
    )
    parser = argparse.ArgumentParser(
        prog="renderer",
        description="Large-print PDFs, spoken versions and readability reports for health "
        "articles, with safety content kept whole.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    score = sub.add_parser(
        "score",
        parents=[common],
        help="per-section kind, protection and readability of articles",
        description="Split articles into sections, say which are protected safety content and "
        "why, and score the readability of each section and of the whole article.",
        epilog=SCORE_EXAMPLES.format(supported=", ".join(SUPPORTED_EXTENSIONS)),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    score.add_argument(
        "--json", action="store_true", help="print the analysis as JSON (a list, one per input)"
    )
    _add_analysis_flags(score)
    score.set_defaults(run=_score)

    render = sub.add_parser(
        "render",
        parents=[common],
        help="write a large-print PDF and a spoken version of each article",
        description="Render articles as large-print PDF handouts (18 pt and up, sans-serif, "
        "left aligned, high contrast) with safety sections boxed, and as spoken MP3 with a "
        "chapter per section and a transcript; safety sections are kept whole in every output.",
        epilog=RENDER_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("content")],
        metavar="PATH",
        help="files or folders (default: content/)",
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
        "in <slug>/daisy/) (default: pdf,audio)",
    )
    render.add_argument("--page-size", choices=PAGE_SIZES, help="paper (default: letter)")
    low, high = FONT_SIZE_RANGE
    render.add_argument(
        "--font-size",
        type=float,
        metavar="PT",
        help=f"body text size, {low:g} to {high:g} (default: 18); nothing on the page is smaller",
    )
    render.add_argument(
        "--theme",
        choices=THEMES,
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
    render.add_argument("--clinic-name", metavar="NAME", help="printed under the title")
    render.add_argument("--clinic-phone", metavar="PHONE", help="printed under the title")
    render.add_argument(
        "--audio-url",
        metavar="URL",
        help="an http(s) address of the spoken version: printed with a QR code",
    )
    render.add_argument(
        "--engine",
        metavar="NAME",
        help="the speech engine (default: espeak-ng on Linux, the system's voices elsewhere)",
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
        choices=AUDIO_FORMATS,
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
    _add_analysis_flags(render)
    render.set_defaults(run=_render)

    verify = sub.add_parser(
        "verify",
        parents=[common],
        help="check rendered outputs against their manifests",
        description="Re-read every manifest.json under DIR and check, from the files alone, "
        "that each output is the one written (size, sha256), that the PDF's text, the "
        "transcript and the DAISY book's text hold every protected passage and every sentence "
        "and heading whole and in order, and that the audio's length and chapters fit.",
        epilog=VERIFY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="a render's output folder (default: output/)",
    )
    verify.set_defaults(run=_verify)

    voices = sub.add_parser(
        "voices",
        parents=[common],
        help="list the voices of the speech engine",
        description="List the voices the speech engine offers, with their languages.",
        epilog=VOICES_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    voices.add_argument("--language", metavar="CODE", help="only voices for this language")
    voices.add_argument(
        "--engine", metavar="NAME", help="the speech engine to ask (default: the platform's)"
    )
    voices.set_defaults(run=_voices)

    pronounce = sub.add_parser(
        "pronounce",
        parents=[common],
        help="print the text exactly as the speech engine is given it",
        description="Print each TEXT as the speech engine is given it: the speech normaliser "
        "for the language, then the lexicon (the packaged one, then each --lexicon file).",
        epilog=PRONOUNCE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pronounce.add_argument("text", nargs="+", metavar="TEXT", help="a sentence to say")
    pronounce.add_argument(
        "--language",
        metavar="CODE",
        default="en",
        help="the article's language: en, es, pt, fr, de ... (default: en)",
    )
    pronounce.add_argument(
        "--lexicon",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a clinic's pronunciation file, applied after the packaged one (repeatable)",
    )
    pronounce.set_defaults(run=_pronounce)
    return parser


class _Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a service manager, a CI job's time limit): stopped as Ctrl-C stops."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _stopped_by(stop: KeyboardInterrupt) -> str:
    return "stopped by SIGTERM" if isinstance(stop, _Terminated) else "interrupted"


def _stopped_code(stop: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a command a signal ended."""
    return 128 + (signal.SIGTERM if isinstance(stop, _Terminated) else signal.SIGINT)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    reporter = _Reporter(args.verbose, sys.stderr)
    # Only the main thread may set a handler (main() may be called from another).
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        code: int = args.run(args, reporter)
    except RendererError as error:
        reporter.failed(error)
        code = reporter.exit_code
    except KeyboardInterrupt as stop:
        print(f"renderer: {_stopped_by(stop)}", file=sys.stderr)
        code = _stopped_code(stop)
    except BrokenPipeError:
        # the reader of our output went away (`renderer score ... | head`): not an error of ours
        sys.stderr.close()
        code = EXIT_OK
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous or signal.SIG_DFL)
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
