"""One article through the stages, top to bottom: load, classify and protect, score, render,
prove, write."""

from __future__ import annotations

import contextlib
import importlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from renderer.analysis.article import analyse
from renderer.analysis.review import read_pin_file
from renderer.analysis.sections import CueSet, load_cues
from renderer.analysis.sentences import split_sentences
from renderer.config import FORMATS, Options
from renderer.errors import RendererError, VerificationError
from renderer.labels import has_wording
from renderer.loaders import read_input
from renderer.manifest import (
    EPUB,
    TRANSCRIPT,
    AudioOutput,
    BookOutput,
    EpubOutput,
    Fingerprint,
    Manifest,
    Output,
    PdfOutput,
    family,
    file_name,
    file_sha256,
    previous,
    remove_stale,
    still_good,
)
from renderer.manifest import Chapter as ManifestChapter
from renderer.manifest import up_to_date as up_to_date_manifest
from renderer.model import THEMES, Article, article_from_json, article_to_json
from renderer.outputs.casing import sentence_case
from renderer.outputs.files import FileMap, Staging, json_bytes, sha256_hex, slug_text, source_date
from renderer.outputs.lexicon import Lexicon, load_lexicon
from renderer.outputs.proof import (
    Expected,
    Findings,
)
from renderer.outputs.speech import SpeechEngine, Voice, choose_voice, open_engine
from renderer.version import VERSION

if TYPE_CHECKING:
    from renderer.outputs.audio import Script, Speech

# Each output's own modules are imported by its stage below, when it is asked for: a PDF alone
# does not load the speech, encoding and book writers, nor does speech alone load reportlab
# (together 0.1 s of every process that renders). OUTPUT_MODULES lists them all.
OUTPUT_MODULES = (
    "renderer.outputs.audio",
    "renderer.outputs.daisy",
    "renderer.outputs.epub",
    "renderer.outputs.fonts",
    "renderer.outputs.pdf",
    "renderer.outputs.pdf.check",
)


def import_outputs() -> None:
    """Import every output's modules now: a process that forks workers does it once for all of
    them (the stages would each import theirs in every worker)."""
    for name in OUTPUT_MODULES:
        importlib.import_module(name)


CREATOR = f"renderer {VERSION}"


@dataclass(frozen=True)
class Toolkit:
    """What a run loads once and every article shares: cues, and for audio the lexicon, the
    engine and its voices (a wrong --voice fails here, before any article is read)."""

    cues: CueSet
    lexicon: Lexicon | None = None
    engine: SpeechEngine | None = None
    voices: tuple[Voice, ...] = ()
    voice: Voice | None = None  # the one --voice named, or the engine's English voice
    # The cue, lexicon and font files the options name, hashed when they are loaded: what a
    # manifest records is what this process rendered with, and not hashed again per article.
    files_sha256: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, options: Options, engine: SpeechEngine | None = None) -> Toolkit:
        used = [*options.cue_files, *options.speech.lexicon_files]
        if options.print.font:
            used.append(options.print.font)
        hashes = {}
        for path in used:
            with contextlib.suppress(OSError):  # unreadable: its loader says so, in one line
                hashes[str(path)] = sha256_hex(path.read_bytes())
        cues = load_cues(options.cue_files)
        if not options.speaks:
            return cls(cues, files_sha256=hashes)
        lexicon = load_lexicon(options.speech.lexicon_files)
        engine = engine or open_engine(options.speech.engine)
        voices = tuple(engine.voices())
        voice = choose_voice(voices, options.speech.voice, None) or choose_voice(voices, None, "en")
        voice = voice or (voices[0] if voices else None)
        return cls(cues, lexicon, engine, voices, voice, hashes)


@dataclass(frozen=True)
class RenderResult:
    """What one article became: `files` maps each output ("pdf", "mp3" or "wav",
    "transcript.txt", "sections/01-....mp3", "daisy/ncc.html" ...) to where it is; `manifest`
    is what its manifest.json says (status "skipped" when an unchanged article was not rendered
    again); `warnings` are this run's outputs' own (a glyph no font has, a language no voice
    speaks)."""

    source: Path
    slug: str
    files: dict[str, Path]
    manifest: Manifest
    warnings: tuple[str, ...] = ()

    @property
    def skipped(self) -> bool:
        return self.manifest.status == "skipped"

    @property
    def pdf(self) -> Path | None:
        return self.files.get("pdf")

    @property
    def audio(self) -> Path | None:
        return self.files.get("mp3") or self.files.get("wav")

    @property
    def transcript(self) -> Path | None:
        return self.files.get(TRANSCRIPT)

    @property
    def pages(self) -> int | None:
        entry = self.manifest.pdf
        return entry.pages if entry else None

    @property
    def audio_seconds(self) -> float | None:
        entry = self.manifest.audio
        return entry.seconds if entry else None

    @property
    def book_headings(self) -> int | None:
        entry = self.manifest.book
        return len(entry.headings) if entry else None

    @property
    def epub_headings(self) -> int | None:
        entry = self.manifest.epub
        return len(entry.headings) if entry else None

    @property
    def voice(self) -> str | None:
        entry = self.manifest.audio
        return entry.voice if entry else None

    @classmethod
    def of(
        cls, source: Path, folder: Path, manifest: Manifest, warnings: tuple[str, ...] = ()
    ) -> RenderResult:
        files = {kind: folder / entry.path for kind, entry in manifest.outputs.items()}
        return cls(source, manifest.slug, files, manifest, warnings)


@dataclass(frozen=True)
class Made:
    """What one stage made of an article: each output's entry (its file staged under a
    temporary name, proven), the warnings it raised and the lines of what it proved."""

    outputs: dict[str, Output] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()


def _proven(found: Findings, source: str, what: str) -> tuple[str, ...]:
    """The lines of what an output's checker proved; an error naming the article when it found
    a problem (the output is then never written under its name)."""
    problems = found.problems
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise VerificationError(f"{what} failed its proof: {problems[0]}{more}", Path(source))
    return tuple(found.proved)


def _described(staging: Staging, name: str) -> tuple[str, int, str]:
    """An output's place, size and checksum, read from its staged file."""
    staged = staging.staged(name)
    return name, staged.stat().st_size, file_sha256(staged)


def _pdf(
    article: Article, expected: Expected, options: Options, slug: str, staging: Staging
) -> Made:
    from renderer.outputs.pdf import build_pdf
    from renderer.outputs.pdf.check import prove_pdf, unprintable_chars

    pdf = build_pdf(article, options.print)
    name = file_name(slug, "pdf")
    staging.write(name, pdf.data)
    entry = PdfOutput(
        *_described(staging, name),
        pages=pdf.pages,
        font=pdf.font,
        footer=pdf.footer,
        unprintable=tuple(unprintable_chars(expected.text.printed, pdf.printable)),
    )
    checks = _proven(prove_pdf(staging.staged(name), entry, expected), article.source, "the PDF")
    return Made({"pdf": entry}, tuple(pdf.warnings), checks)


def _voice(article: Article, options: Options, kit: Toolkit) -> tuple[Voice, tuple[str, ...]]:
    assert kit.voice is not None
    if options.speech.voice:
        return kit.voice, ()
    voice = choose_voice(kit.voices, None, article.language)
    if voice is None:
        return kit.voice, (f"no voice speaks {article.language!r}; read with {kit.voice.id}",)
    return voice, ()


@dataclass(frozen=True)
class _Spoken:
    """The script read once: every spoken output (the audio file, its sections, the talking
    books' MP3s) was written from this one synthesis as it was spoken, each to its staged file;
    what is kept is where each chapter and sentence starts, not the sound."""

    script: Script
    transcript: str
    speech: Speech
    voice: Voice
    audio: str | None = None  # the whole spoken version's file, when "audio" is asked for
    parts: tuple[str, ...] = ()  # --split-audio: each chapter's file
    book_audio: tuple[str, ...] = ()  # the DAISY book's MP3 of each chapter
    # Each chapter's MP3 as the talking books play it: the DAISY book's staged files, or for an
    # EPUB alone, files in a scratch folder that go once the EPUB holds them.
    chapter_mp3s: tuple[Path, ...] = ()


def _speak(
    article: Article,
    expected: Expected,
    options: Options,
    kit: Toolkit,
    slug: str,
    staging: Staging,
    scratch: contextlib.ExitStack,
) -> tuple[_Spoken, Made]:
    from renderer.outputs.audio import AudioFiles, Tags, build_script, prove_transcript, synthesise

    assert kit.engine is not None and kit.lexicon is not None
    script: Script = build_script(article, split_sentences)
    transcript = script.transcript()
    # Proved before a word is spoken: a script that lost text fails at once.
    checks = _proven(prove_transcript(transcript, expected), article.source, "the transcript")
    voice, warnings = _voice(article, options, kit)
    kit.engine.configure(voice.id, options.speech.rate)
    # The tags name the clinic that made the recording, and the title as the PDF shows it.
    creator = options.print.clinic_name or CREATOR
    tags = Tags(sentence_case(article.title, article), creator, article.language)
    fmt = options.speech.audio_format
    titles = [chapter.title for chapter in script.chapters]
    audio = file_name(slug, fmt) if "audio" in options.formats else None
    parts = tuple(
        f"sections/{number:02d}-{slug_text(title, 40) or 'section'}.{fmt}"
        for number, title in enumerate(titles)
        if audio and options.speech.split
    )
    book: tuple[str, ...] = ()
    chapter_mp3s: tuple[Path, ...] = ()
    if "daisy" in options.formats or "epub" in options.formats:  # the books' chapter MP3s
        from renderer.outputs.daisy import FOLDER as DAISY_FOLDER
        from renderer.outputs.daisy import audio_file

        numbers = range(len(titles))
        if "daisy" in options.formats:
            book = tuple(f"{DAISY_FOLDER}/{audio_file(number)}" for number in numbers)
            chapter_mp3s = tuple(staging.path(mp3) for mp3 in book)
        else:
            folder = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="renderer-")))
            chapter_mp3s = tuple(folder / audio_file(number) for number in numbers)
    # Each file is written as the script is spoken, so an hour of speech costs no more memory
    # than a minute; a chapter's MP3 is encoded once for --split-audio and the books alike.
    with AudioFiles(kit.engine.sample_rate, tags, titles) as files:
        if audio:
            files.whole(staging.path(audio), fmt)
        if parts and chapter_mp3s and fmt == "mp3":
            pairs = zip(parts, chapter_mp3s, strict=True)
            files.sections([(staging.path(p), mp3) for p, mp3 in pairs], fmt)
        else:
            if parts:
                files.sections([(staging.path(part),) for part in parts], fmt)
            if chapter_mp3s:
                files.sections([(mp3,) for mp3 in chapter_mp3s], "mp3")
        speech = synthesise(script, kit.engine, kit.lexicon, options.speech.rate, files)
        files.finish(speech)
    name = file_name(slug, TRANSCRIPT)
    staging.write(name, transcript.encode("utf-8"))
    spoken = _Spoken(script, transcript, speech, voice, audio, parts, book, chapter_mp3s)
    return spoken, Made({TRANSCRIPT: Output(*_described(staging, name))}, warnings, checks)


def _audio(
    article: Article,
    spoken: _Spoken,
    expected: Expected,
    options: Options,
    kit: Toolkit,
    staging: Staging,
) -> Made:
    """The spoken version and its sections (written by _speak), described and proved."""
    from renderer.outputs.audio import prove_audio, prove_readable_audio

    assert kit.engine is not None and spoken.audio is not None
    speech_options, speech, name = options.speech, spoken.speech, spoken.audio
    rate = speech.sample_rate
    entry = AudioOutput(
        *_described(staging, name),
        seconds=round(speech.seconds, 3),
        sample_rate=rate,
        voice=spoken.voice.id,
        rate=speech_options.rate,
        engine=kit.engine.description,
        chapters=tuple(
            ManifestChapter(c.title, round(c.start / rate, 3), c.start, c.end)
            for c in speech.chapters
        ),
    )
    found = prove_audio(staging.staged(name), entry, expected, spoken.transcript)
    checks = _proven(found, article.source, "the spoken version")
    outputs: dict[str, Output] = {speech_options.audio_format: entry}
    for part_name in spoken.parts:
        _proven(
            prove_readable_audio(staging.staged(part_name), part_name),
            article.source,
            part_name,
        )
        outputs[part_name] = Output(*_described(staging, part_name))
    return Made(outputs, (), checks)


def _book_date(source: Path) -> str:
    """A book's dc:date, as every output dates itself (files.source_date); a book must have one."""
    return source_date(source) or "1970-01-01"


def _book_identifier(spoken: _Spoken, options: Options, kit: Toolkit) -> str:
    """The talking books' identifier: the same words, voice, rate and engine give the same one,
    so a player that keeps its place by identifier finds it again after a re-render that
    changed nothing it hears (and the DAISY book and the EPUB of one render share it)."""
    assert kit.engine is not None
    heard = [spoken.transcript, spoken.voice.id, options.speech.rate, kit.engine.description]
    return f"renderer-{sha256_hex(json_bytes(heard))[:24]}"


def _narrator(spoken: _Spoken, kit: Toolkit) -> str:
    assert kit.engine is not None
    return f"{spoken.voice.name} ({kit.engine.description}), synthetic speech"


def _daisy(
    article: Article,
    spoken: _Spoken,
    expected: Expected,
    options: Options,
    kit: Toolkit,
    staging: Staging,
) -> Made:
    from renderer.outputs.daisy import FOLDER as DAISY_FOLDER
    from renderer.outputs.daisy import NCC, BookInfo, build_book, claimed_ms, prove_book

    assert kit.engine is not None
    clinic = options.print.clinic_name
    info = BookInfo(
        title=article.title,
        language=article.language,
        identifier=_book_identifier(spoken, options, kit),
        date=_book_date(Path(article.source)),
        creator=clinic or "Unknown",
        publisher=clinic or CREATOR,
        narrator=_narrator(spoken, kit),
        generator=CREATOR,
    )
    mp3s = [staging.staged(name) for name in spoken.book_audio]
    files = build_book(spoken.script, spoken.speech, info, mp3s)
    names = {name: f"{DAISY_FOLDER}/{name}" for name in files}
    texts = {name: data for name, data in files.items() if isinstance(data, bytes)}
    for name, data in texts.items():  # the MP3s were staged as they were spoken
        staging.write(names[name], data)
    total_ms = claimed_ms(texts[NCC])
    del files, texts  # the book is read back from its files, one at a time
    entry = BookOutput(
        *_described(staging, names[NCC]),
        seconds=total_ms / 1000,
        headings=tuple(chapter.title for chapter in spoken.script.chapters),
        files=len(names),
        identifier=info.identifier,
    )
    book = FileMap({name: staging.staged(kind) for name, kind in names.items()})
    checks = _proven(prove_book(book, entry, expected), article.source, "the DAISY book")
    outputs: dict[str, Output] = {
        kind: entry if name == NCC else Output(*_described(staging, kind))
        for name, kind in names.items()
    }
    return Made(outputs, (), checks)


def _epub(
    article: Article,
    spoken: _Spoken,
    expected: Expected,
    options: Options,
    kit: Toolkit,
    slug: str,
    staging: Staging,
) -> Made:
    """The EPUB 3 talking book: the article's text in the handout's type, colours and font,
    read aloud from the chapters' MP3s that _speak wrote (the DAISY book's, when it is made)."""
    from renderer.outputs.epub import EpubInfo, EpubStyle, lay_out, prove_epub, write_epub
    from renderer.outputs.fonts import resolve_fonts

    look = options.print
    text = lay_out(article, spoken.script, spoken.speech, spoken.chapter_mp3s)
    font = resolve_fonts(look.font).primary  # the PDF's: Atkinson Hyperlegible unless a clinic's
    style = EpubStyle(
        look.font_size,
        look.line_spacing,
        THEMES[look.theme],
        font.name,
        font.regular.path,
        font.bold.path,
    )
    info = EpubInfo(
        title=text.title,
        language=article.language,
        identifier=_book_identifier(spoken, options, kit),
        date=_book_date(Path(article.source)),
        publisher=look.clinic_name or CREATOR,
        narrator=_narrator(spoken, kit),
        generator=CREATOR,
    )
    name = file_name(slug, EPUB)
    files = write_epub(staging.path(name), text, info, style, spoken.chapter_mp3s)
    entry = EpubOutput(
        *_described(staging, name),
        seconds=text.ms / 1000,
        headings=text.headings,
        files=files,
        identifier=info.identifier,
    )
    checks = _proven(prove_epub(staging.staged(name), entry, expected), article.source, "the EPUB")
    return Made({EPUB: entry}, (), checks)


def _analysis_warnings(article: Article) -> list[str]:
    notes = [
        f"left out {d.region}: {' '.join(d.text.split())[:80]!r}"
        for d in article.dropped
        if not d.kept and d.text.strip()
    ]
    for s in article.sections:
        r = s.readability
        if r is not None and not r.reliable and r.words:
            name = f"section {s.index}" + (f" ({s.heading})" if s.heading else "")
            notes.append(f"{name}: readability is a rough guide ({r.words} words)")
    return notes


def fingerprint_of(path: Path, options: Options, kit: Toolkit) -> Fingerprint:
    """What the outputs of the article at `path` would be made from, now (raises what reading
    the file or its pin file raises)."""
    pins = read_pin_file(path)
    return Fingerprint.of(
        path.read_bytes(),
        options,
        kit.files_sha256,
        kit.engine.description if kit.engine else None,
        None if pins is None else pins.data,
    )


def up_to_date(path: Path, options: Options, folder: Path, kit: Toolkit) -> RenderResult | None:
    """The last run's result for an article whose input, options, renderer and engine are
    unchanged for every format asked for, and whose outputs are all still there, intact
    (its manifest then says "skipped"); None when it must be rendered."""
    try:
        now = fingerprint_of(path, options, kit)
    except (OSError, RendererError):
        return None  # a file that cannot be read: rendering says why
    skipped = up_to_date_manifest(folder, previous(folder), now)
    if skipped is None:
        return None
    skipped.write(folder)
    return RenderResult.of(path, folder, skipped)


def render_file(
    path: Path, options: Options, out_dir: Path, slug: str, kit: Toolkit | None = None
) -> RenderResult:
    """Analyse one article and write the outputs `options.formats` asks for, each only once it
    is proven to hold every protected passage and every sentence and heading it shows whole and
    in order (none if any fails), then its manifest.json, last, so that a manifest always
    describes complete files. Outputs of formats not asked for this time are kept when they
    are still current (a `--formats pdf` reprint keeps the audio)."""
    kit = kit or Toolkit.load(options)
    # Read once: the manifest's fingerprint is of the very bytes rendered, even if the file is
    # edited while this runs (the next run then sees the change).
    source = read_input(path)
    pins = read_pin_file(path)
    article = analyse(path, options, kit.cues, source, pins)
    analysis = article_to_json(article)
    # What every output must show is decided from the analysis as the manifest records it, as
    # verify decides it: render and verify cannot expect different text.
    expected = Expected.of(article_from_json(analysis))
    folder = out_dir / slug
    engine = kit.engine.description if kit.engine else None
    now = Fingerprint.of(
        source, options, kit.files_sha256, engine, None if pins is None else pins.data
    )
    last = previous(folder)
    warnings: list[str] = []
    if not has_wording(article.language):
        warnings.append(
            f"no translation of the renderer's own words into {article.language!r}: labels, "
            "footer and spoken announcements are in English"
        )
    made: list[Made] = []
    with Staging(folder) as staging, contextlib.ExitStack() as scratch:
        if "pdf" in options.formats:
            made.append(_pdf(article, expected, options, slug, staging))
        if options.speaks:
            spoken, said = _speak(article, expected, options, kit, slug, staging, scratch)
            made.append(said)
            if "audio" in options.formats:
                made.append(_audio(article, spoken, expected, options, kit, staging))
            if "daisy" in options.formats:
                made.append(_daisy(article, spoken, expected, options, kit, staging))
            if "epub" in options.formats:
                made.append(_epub(article, spoken, expected, options, kit, slug, staging))
        staging.commit()
    outputs = {kind: entry for m in made for kind, entry in m.outputs.items()}
    made_families = {family(kind) for kind in outputs}
    kept = {
        kind: entry
        for kind, entry in still_good(folder, last, now).items()
        if family(kind) not in made_families and kind not in outputs
    }
    outputs = {**outputs, **kept}
    formats = [f for f in FORMATS if f in options.formats or f in {family(k) for k in kept}]
    warnings += [w for m in made for w in m.warnings]
    manifest = Manifest(
        renderer=VERSION,
        source=str(path),
        slug=slug,
        status="rendered",
        reason=None,
        fingerprint=now.keeping(None if last is None else last.fingerprint, formats),
        analysis=analysis,
        outputs=outputs,
        # Only what went wrong in the outputs is told on the command line; the analysis notes
        # (regions left out, short sections) are for the manifest and the report.
        warnings=(*warnings, *_analysis_warnings(article)),
        checks=tuple(line for m in made for line in m.checks),
    )
    manifest.write(folder)
    remove_stale(folder, last, [entry.path for entry in outputs.values()])
    return RenderResult.of(path, folder, manifest, tuple(warnings))
