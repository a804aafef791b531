"""One article through the stages, top to bottom: load, classify and protect, score, render,
prove, write."""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from renderer.analysis.readability import score_article
from renderer.analysis.review import PinFile, apply_pins, check_these, read_pin_file
from renderer.analysis.sections import CueSet, classify_article, load_cues
from renderer.analysis.sentences import split_sentences
from renderer.config import Options, options_to_json
from renderer.errors import ConfigError, VerificationError
from renderer.labels import has_wording, wording_for
from renderer.loaders import load_article, read_input
from renderer.model import Article, ProtectedPassage, article_to_json, protected_passages
from renderer.outputs.audio import (
    Script,
    Speech,
    Tags,
    build_script,
    encode_mp3,
    encode_sections,
    encode_wav,
    read_audio,
    synthesise,
)
from renderer.outputs.daisy import FOLDER as DAISY_FOLDER
from renderer.outputs.daisy import NCC, BookInfo, build_book, check_book
from renderer.outputs.files import atomic_write, json_bytes, sha256_hex, slug_text
from renderer.outputs.lexicon import Lexicon, load_lexicon
from renderer.outputs.pdf import build_pdf, sentence_case
from renderer.outputs.proof import (
    ExpectedText,
    audio_problems,
    body_text,
    complete_text_check,
    complete_text_problems,
    expected_text,
    missing_passages,
    pdf_pages,
    shown_as,
    unprintable_chars,
)
from renderer.outputs.speech import SpeechEngine, Voice, choose_voice, open_engine
from renderer.version import VERSION

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


def analyse(
    path: Path,
    options: Options,
    cues: CueSet | None = None,
    data: bytes | None = None,
    pins: PinFile | None = None,
) -> Article:
    """The full analysis of one input file; pass `cues` to reuse them across a batch, and
    `data` when the file's bytes are already read, with `pins` its pin file as read then (None:
    it has none). Without `data`, the pin file beside `path` is read here."""
    article = load_article(path, data)
    cues = cues if cues is not None else load_cues(options.cue_files)
    article = classify_article(article, cues)
    pin_file = read_pin_file(path) if data is None else pins
    if pin_file is not None:
        article = apply_pins(article, pin_file)
    article = replace(article, check_these=check_these(article, cues))
    return score_article(article, options.target_grade)


@dataclass(frozen=True)
class RenderResult:
    """What one article became: `files` maps each output ("pdf", "mp3" or "wav",
    "transcript.txt", "sections/01-....mp3") to where it was written; `manifest` is what
    manifest.json says (`skipped` when an unchanged article was not rendered again);
    `warnings` are the outputs' own (a glyph no font has, a language no voice speaks)."""

    source: Path
    slug: str
    files: dict[str, Path]
    manifest: dict[str, Any]
    warnings: tuple[str, ...] = ()
    skipped: bool = False

    @property
    def pdf(self) -> Path | None:
        return self.files.get("pdf")

    @property
    def audio(self) -> Path | None:
        return self.files.get("mp3") or self.files.get("wav")

    @property
    def _audio_entry(self) -> dict[str, Any] | None:
        outputs = self.manifest["outputs"]
        entry: dict[str, Any] | None = outputs.get("mp3") or outputs.get("wav")
        return entry

    @property
    def transcript(self) -> Path | None:
        return self.files.get("transcript.txt")

    @property
    def pages(self) -> int | None:
        pdf = self.manifest["outputs"].get("pdf")
        return int(pdf["pages"]) if pdf else None

    @property
    def audio_seconds(self) -> float | None:
        return float(self._audio_entry["seconds"]) if self._audio_entry else None

    @property
    def book_headings(self) -> int | None:
        book = self.manifest["outputs"].get(f"{DAISY_FOLDER}/{NCC}")
        return len(book["headings"]) if book else None

    @property
    def voice(self) -> str | None:
        return str(self._audio_entry["voice"]) if self._audio_entry else None


@dataclass
class _Outputs:
    """Files of one article, held in memory until every one of them is proven, with what the
    manifest says of each and the checks they passed."""

    files: dict[str, bytes] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def _fail(path: Path, what: str, problems: list[str]) -> VerificationError:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return VerificationError(f"{what}: {problems[0]}{more}", path)


def _pdf(
    article: Article,
    passages: tuple[ProtectedPassage, ...],
    expected: ExpectedText,
    options: Options,
    out: _Outputs,
) -> None:
    pdf = build_pdf(article, options.print)
    text = body_text(pdf_pages(pdf.data), pdf.footer, wording_for(article.language))
    # Characters no font could draw are shown as a marker; verify compares the same way.
    unprintable = unprintable_chars(expected.printed, pdf.printable)
    shown = shown_as(unprintable)
    problems = missing_passages(passages, text, shown)
    if problems:
        raise _fail(Path(article.source), "the PDF would not hold all protected text", problems)
    lost = complete_text_problems(expected.printed, text, shown)
    if lost:
        raise _fail(Path(article.source), "the PDF would lose text", lost)
    out.files["pdf"] = pdf.data
    out.details["pdf"] = {
        "pages": pdf.pages,
        "font": pdf.font,
        "footer": pdf.footer,
        "unprintable": unprintable,
    }
    out.warnings.extend(pdf.warnings)
    out.checks.append(f"pdf: {len(passages)} protected passages whole and in order")
    out.checks.append(f"pdf: {complete_text_check(expected.printed)}")


def _voice(article: Article, options: Options, kit: Toolkit, out: _Outputs) -> Voice:
    assert kit.voice is not None
    if options.speech.voice:
        return kit.voice
    voice = choose_voice(kit.voices, None, article.language)
    if voice is None:
        out.warnings.append(f"no voice speaks {article.language!r}; read with {kit.voice.id}")
    return voice or kit.voice


@dataclass(frozen=True)
class _Spoken:
    """The script read once: every spoken output (the audio file, the DAISY book) is made
    from this one synthesis."""

    script: Script
    transcript: str
    speech: Speech
    voice: Voice
    tags: Tags

    @functools.cached_property
    def section_mp3s(self) -> list[bytes]:
        """One MP3 per chapter, encoded once for --split-audio and the DAISY book alike."""
        return encode_sections(self.speech, self.tags)


def _speak(
    article: Article,
    passages: tuple[ProtectedPassage, ...],
    expected: ExpectedText,
    options: Options,
    kit: Toolkit,
    out: _Outputs,
) -> _Spoken:
    assert kit.engine is not None and kit.lexicon is not None
    script: Script = build_script(article, split_sentences)
    transcript = script.transcript()
    problems = missing_passages(passages, transcript)
    if problems:
        raise _fail(
            Path(article.source), "the transcript would not hold all protected text", problems
        )
    lost = complete_text_problems(expected.spoken, transcript)
    if lost:
        raise _fail(Path(article.source), "the transcript would lose text", lost)
    voice = _voice(article, options, kit, out)
    kit.engine.configure(voice.id, options.speech.rate)
    speech = synthesise(script, kit.engine, kit.lexicon, options.speech.rate)
    out.files["transcript.txt"] = transcript.encode("utf-8")
    out.checks.append(f"transcript: {len(passages)} protected passages whole and in order")
    out.checks.append(f"transcript: {complete_text_check(expected.spoken)}")
    # The tags name the clinic that made the recording, and the title as the PDF shows it.
    creator = options.print.clinic_name or CREATOR
    tags = Tags(sentence_case(article.title), creator, article.language)
    return _Spoken(script, transcript, speech, voice, tags)


def _audio(
    article: Article, spoken: _Spoken, options: Options, kit: Toolkit, out: _Outputs
) -> None:
    assert kit.engine is not None
    speech_options, speech = options.speech, spoken.speech
    fmt = speech_options.audio_format
    encode = encode_mp3 if fmt == "mp3" else encode_wav
    data = encode(speech.frames, speech.sample_rate, spoken.tags, speech.chapters)
    titles = [c.title for c in spoken.script.chapters]
    rate = speech_options.rate
    facts = read_audio(data, fmt)
    problems = audio_problems(facts, spoken.transcript, rate, titles, article.language)
    if problems:
        raise _fail(Path(article.source), "the spoken version failed its check", problems)
    out.files[fmt] = data
    out.details[fmt] = {
        "seconds": round(speech.seconds, 3),
        "sample_rate": speech.sample_rate,
        "voice": spoken.voice.id,
        "rate": rate,
        "engine": kit.engine.description,
        "chapters": [
            {
                "title": c.title,
                "start": round(c.start / speech.sample_rate, 3),
                "start_sample": c.start,
                "end_sample": c.end,
            }
            for c in speech.chapters
        ],
    }
    out.checks.append(
        f"{fmt}: {speech.seconds:.1f} s fits {len(spoken.transcript.split())} words at {rate} "
        f"words a minute; {len(titles)} chapters match the sections"
    )
    if speech_options.split:
        parts = (
            spoken.section_mp3s if fmt == "mp3" else encode_sections(speech, spoken.tags, encode)
        )
        for number, (chapter, part) in enumerate(zip(speech.chapters, parts, strict=True)):
            name = slug_text(chapter.title, 40) or "section"
            out.files[f"sections/{number:02d}-{name}.{fmt}"] = part


def _book_date(source: Path) -> str:
    """The book's dc:date: SOURCE_DATE_EPOCH when set (reproducible builds), else the day the
    article was last changed, so the same article gives the same book on any day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        stamp = int(epoch) if epoch else source.stat().st_mtime
    except (ValueError, OSError):
        stamp = 0
    return datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%d")


def _daisy(
    article: Article,
    passages: tuple[ProtectedPassage, ...],
    expected: ExpectedText,
    spoken: _Spoken,
    options: Options,
    kit: Toolkit,
    out: _Outputs,
) -> None:
    assert kit.engine is not None
    clinic = options.print.clinic_name
    # The same words, voice, rate and engine give the same identifier, so a player that keeps
    # its place by identifier finds it again after a re-render that changed nothing it hears.
    heard = [spoken.transcript, spoken.voice.id, options.speech.rate, kit.engine.description]
    info = BookInfo(
        title=article.title,
        language=article.language,
        identifier=f"renderer-{sha256_hex(json_bytes(heard))[:24]}",
        date=_book_date(Path(article.source)),
        creator=clinic or "Unknown",
        publisher=clinic or CREATOR,
        narrator=f"{spoken.voice.name} ({kit.engine.description}), synthetic speech",
        generator=CREATOR,
    )
    files = build_book(spoken.script, spoken.speech, info, spoken.section_mp3s)
    check = check_book(files)
    problems = [
        *check.problems,
        *missing_passages(passages, check.text),
        *complete_text_problems(expected.spoken, check.text),
    ]
    titles = [c.title for c in spoken.script.chapters]
    if list(check.headings) != titles:
        problems.append(f"the NCC's headings {list(check.headings)} are not the sections {titles}")
    if problems:
        raise _fail(Path(article.source), "the DAISY book failed its check", problems)
    for name, data in files.items():
        out.files[f"{DAISY_FOLDER}/{name}"] = data
    out.details[f"{DAISY_FOLDER}/{NCC}"] = {
        "seconds": check.total_ms / 1000,
        "headings": list(check.headings),
        "files": len(files),
        "identifier": info.identifier,
    }
    out.checks.append(
        f"daisy: {len(titles)} headings, {len(files)} files, {check.total_ms / 1000:.1f} s of "
        f"clips; {len(passages)} protected passages whole and in order in its text"
    )
    out.checks.append(f"daisy: {complete_text_check(expected.spoken)} in its text")


def fingerprint(
    source: bytes, options: Options, kit: Toolkit, pins: PinFile | None = None
) -> dict[str, Any]:
    """Everything an article's outputs depend on (`source` is its input file's bytes, `pins`
    its pin file): when all of it is unchanged since the last run, rendering again would give
    the same files."""
    found: dict[str, Any] = {
        "renderer": VERSION,
        "input_sha256": sha256_hex(source),
        "options": options_to_json(options),
        "files_sha256": dict(kit.files_sha256),
        "engine": kit.engine.description if kit.engine and options.speaks else None,
    }
    if pins is not None:  # only then: adding the key would re-render every unpinned article
        found["pins_sha256"] = sha256_hex(pins.data)
    return found


def _output_name(slug: str, kind: str) -> str:
    return kind if "/" in kind else f"{slug}.{kind}"


def up_to_date(
    path: Path, options: Options, out_dir: Path, slug: str, kit: Toolkit
) -> RenderResult | None:
    """The last run's result for an article whose input, options, renderer and engine are
    unchanged and whose outputs are all still there, intact; None when it must be rendered."""
    folder = out_dir / slug
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        now = fingerprint(path.read_bytes(), options, kit, read_pin_file(path))
        if manifest.get("fingerprint") != now:
            return None
        files = {kind: folder / entry["path"] for kind, entry in manifest["outputs"].items()}
        for kind, target in files.items():
            if sha256_hex(target.read_bytes()) != manifest["outputs"][kind]["sha256"]:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ConfigError):
        return None  # a pin file that cannot be read: rendering says why
    manifest["status"] = "skipped"
    manifest["reason"] = "input, options, renderer and engine unchanged since the last run"
    atomic_write(folder / "manifest.json", json_bytes(manifest))
    return RenderResult(path, slug, files, manifest, skipped=True)


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


def _previous_outputs(folder: Path) -> set[Path]:
    """The files the article's last complete render wrote, as its manifest lists them (only
    those inside its folder: a manifest is not trusted to name others)."""
    try:
        outputs = json.loads((folder / "manifest.json").read_text("utf-8"))["outputs"]
        paths = {folder / entry["path"] for entry in outputs.values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()
    inside = folder.resolve()
    return {p for p in paths if inside in p.resolve().parents}


def _remove_stale(folder: Path, previous: set[Path], written: Iterable[Path]) -> None:
    """Delete what the last render wrote and this one did not (the SMIL and MP3 of a section
    the book lost, the DAISY book or the WAV no longer asked for), then the sub-folders that
    left empty. Files the renderer never wrote are not touched."""
    for old in previous - set(written):
        old.unlink(missing_ok=True)
    for sub in {p.parent for p in previous} - {folder}:
        with contextlib.suppress(OSError):  # still holds files
            sub.rmdir()


def render_file(
    path: Path, options: Options, out_dir: Path, slug: str, kit: Toolkit | None = None
) -> RenderResult:
    """Analyse one article and write the outputs `options.formats` asks for, each only once it
    is proven to hold every protected passage and every sentence and heading it shows whole and
    in order (none if any fails), then its manifest.json, last, so that a manifest always
    describes complete files."""
    kit = kit or Toolkit.load(options)
    # Read once: the manifest's fingerprint is of the very bytes rendered, even if the file is
    # edited while this runs (the next run then sees the change).
    source = read_input(path)
    pins = read_pin_file(path)
    article = analyse(path, options, kit.cues, source, pins)
    passages = protected_passages(article)
    # What every output must show is read from the very JSON the manifest records, as verify
    # reads it: render and verify cannot expect different text.
    analysis = article_to_json(article)
    expected = expected_text(analysis)
    out = _Outputs()
    if not has_wording(article.language):
        out.warnings.append(
            f"no translation of the renderer's own words into {article.language!r}: labels, "
            "footer and spoken announcements are in English"
        )
    if "pdf" in options.formats:
        _pdf(article, passages, expected, options, out)
    if options.speaks:
        spoken = _speak(article, passages, expected, options, kit, out)
        if "audio" in options.formats:
            _audio(article, spoken, options, kit, out)
        if "daisy" in options.formats:
            _daisy(article, passages, expected, spoken, options, kit, out)
    folder = out_dir / slug
    previous = _previous_outputs(folder)
    written: dict[str, Path] = {}
    entries: dict[str, dict[str, Any]] = {}
    for kind, data in out.files.items():
        name = _output_name(slug, kind)
        atomic_write(folder / name, data)
        written[kind] = folder / name
        entries[kind] = {
            "path": name,
            "bytes": len(data),
            "sha256": sha256_hex(data),
            **out.details.get(kind, {}),
        }
    warnings = [*out.warnings, *_analysis_warnings(article)]
    manifest = {
        "renderer": VERSION,
        "source": str(path),
        "slug": slug,
        "status": "rendered",
        "reason": None,
        "fingerprint": fingerprint(source, options, kit, pins),
        "analysis": analysis,
        "outputs": entries,
        "warnings": warnings,
        "verification": {"passed": True, "checks": out.checks},
    }
    atomic_write(folder / "manifest.json", json_bytes(manifest))
    _remove_stale(folder, previous, written.values())
    # Only what went wrong in the outputs is told on the command line; the analysis notes
    # (regions left out, short sections) are for the manifest and the report.
    return RenderResult(path, slug, written, manifest, tuple(out.warnings))
