"""One article through the stages, top to bottom: load, classify and protect, score, render,
prove, write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from renderer.analysis.readability import score_article
from renderer.analysis.sections import CueSet, classify_article, load_cues
from renderer.analysis.sentences import split_sentences
from renderer.config import Options
from renderer.errors import VerificationError
from renderer.loaders import load_article
from renderer.model import Article, ProtectedPassage, protected_passages
from renderer.outputs.audio import (
    Script,
    Tags,
    build_script,
    encode_mp3,
    encode_wav,
    read_audio,
    synthesise,
)
from renderer.outputs.files import atomic_write, slug_text
from renderer.outputs.lexicon import Lexicon, load_lexicon
from renderer.outputs.pdf import LABELS, build_pdf
from renderer.outputs.proof import audio_problems, body_text, missing_passages, pdf_pages
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

    @classmethod
    def load(cls, options: Options, engine: SpeechEngine | None = None) -> Toolkit:
        cues = load_cues(options.cue_files)
        if "audio" not in options.formats:
            return cls(cues)
        lexicon = load_lexicon(options.speech.lexicon_files)
        engine = engine or open_engine()
        voices = tuple(engine.voices())
        voice = choose_voice(voices, options.speech.voice, None) or choose_voice(voices, None, "en")
        return cls(cues, lexicon, engine, voices, voice or (voices[0] if voices else None))


def analyse(path: Path, options: Options, cues: CueSet | None = None) -> Article:
    """The full analysis of one input file; pass `cues` to reuse them across a batch."""
    article = load_article(path)
    article = classify_article(article, cues if cues is not None else load_cues(options.cue_files))
    return score_article(article, options.target_grade)


@dataclass(frozen=True)
class RenderResult:
    """What one article became: `files` maps each output ("pdf", "mp3" or "wav",
    "transcript.txt", "sections/01-....mp3") to where it was written."""

    source: Path
    slug: str
    article: Article
    files: dict[str, Path]
    pages: int | None = None
    audio_seconds: float | None = None
    voice: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def pdf(self) -> Path | None:
        return self.files.get("pdf")

    @property
    def audio(self) -> Path | None:
        return self.files.get("mp3") or self.files.get("wav")

    @property
    def transcript(self) -> Path | None:
        return self.files.get("transcript.txt")


@dataclass
class _Outputs:
    """Files of one article, held in memory until every one of them is proven."""

    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _fail(path: Path, what: str, problems: list[str]) -> VerificationError:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return VerificationError(f"{what}: {problems[0]}{more}", path)


def _pdf(
    article: Article, passages: tuple[ProtectedPassage, ...], options: Options, out: _Outputs
) -> int:
    pdf = build_pdf(article, options.print)
    text = body_text(pdf_pages(pdf.data), pdf.footer, LABELS.values())
    problems = missing_passages(passages, text, pdf.printable)
    if problems:
        raise _fail(Path(article.source), "the PDF would not hold all protected text", problems)
    out.files["pdf"] = pdf.data
    out.warnings.extend(pdf.warnings)
    return int(pdf.pages)


def _voice(article: Article, options: Options, kit: Toolkit, out: _Outputs) -> Voice:
    assert kit.voice is not None
    if options.speech.voice:
        return kit.voice
    voice = choose_voice(kit.voices, None, article.language)
    if voice is None:
        out.warnings.append(f"no voice speaks {article.language!r}; read with {kit.voice.id}")
    return voice or kit.voice


def _audio(
    article: Article,
    passages: tuple[ProtectedPassage, ...],
    options: Options,
    kit: Toolkit,
    out: _Outputs,
) -> tuple[float, str]:
    assert kit.engine is not None and kit.lexicon is not None
    speech_options = options.speech
    script: Script = build_script(article, split_sentences)
    transcript = script.transcript()
    problems = missing_passages(passages, transcript)
    if problems:
        raise _fail(
            Path(article.source), "the transcript would not hold all protected text", problems
        )
    voice = _voice(article, options, kit, out)
    kit.engine.configure(voice.id, speech_options.rate)
    speech = synthesise(script, kit.engine, kit.lexicon, speech_options.rate)
    fmt = speech_options.audio_format
    encode = encode_mp3 if fmt == "mp3" else encode_wav
    tags = Tags(article.title, CREATOR, article.language)
    data = encode(speech.frames, speech.sample_rate, tags, speech.chapters)
    titles = [c.title for c in script.chapters]
    problems = audio_problems(read_audio(data, fmt), transcript, speech_options.rate, titles)
    if problems:
        raise _fail(Path(article.source), "the spoken version failed its check", problems)
    out.files[fmt] = data
    out.files["transcript.txt"] = transcript.encode("utf-8")
    if speech_options.split:
        for number, chapter in enumerate(speech.chapters):
            part = Tags(
                f"{article.title}: {chapter.title}" if number else article.title,
                CREATOR,
                article.language,
                album=article.title,
                track=f"{number + 1}/{len(speech.chapters)}",
            )
            name = slug_text(chapter.title, 40) or "section"
            out.files[f"sections/{number:02d}-{name}.{fmt}"] = encode(
                speech.chapter_frames(chapter), speech.sample_rate, part
            )
    return speech.seconds, voice.id


def render_file(
    path: Path, options: Options, out_dir: Path, slug: str, kit: Toolkit | None = None
) -> RenderResult:
    """Analyse one article and write the outputs `options.formats` asks for, each only once it
    is proven to hold every protected passage whole and in order; none if any fails."""
    kit = kit or Toolkit.load(options)
    article = analyse(path, options, kit.cues)
    passages = protected_passages(article)
    out = _Outputs()
    pages: int | None = None
    seconds: float | None = None
    voice: str | None = None
    if "pdf" in options.formats:
        pages = _pdf(article, passages, options, out)
    if "audio" in options.formats:
        seconds, voice = _audio(article, passages, options, kit, out)
    folder = out_dir / slug
    written = {}
    for kind, data in out.files.items():
        target = folder / kind if "/" in kind else folder / f"{slug}.{kind}"
        atomic_write(target, data)
        written[kind] = target
    return RenderResult(path, slug, article, written, pages, seconds, voice, tuple(out.warnings))
