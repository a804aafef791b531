"""manifest.json, typed: the one place that knows its JSON, what an article's outputs were made
from (its fingerprint), and when they are stale.

Render writes a manifest last, so that it always describes complete files; `renderer verify`,
the reports and the next run's skip-if-unchanged read it back through `Manifest.read`."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from renderer.config import Options, options_to_json
from renderer.model import (
    Article,
    ProtectedPassage,
    SectionKind,
    article_from_json,
    json_field,
    json_texts,
)
from renderer.outputs.files import atomic_write, json_bytes
from renderer.version import VERSION

NAME = "manifest.json"
BOOK_FOLDER = "daisy"  # the DAISY book's files are listed as "daisy/ncc.html" ...
BOOK_NCC = f"{BOOK_FOLDER}/ncc.html"
TRANSCRIPT = "transcript.txt"
EPUB = "epub"  # the EPUB 3 talking book: <slug>.epub
AUDIO_FORMATS = ("mp3", "wav")
_READ_BLOCK = 1 << 20


# --- Outputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """One file of an article: where it is (relative to the article's folder), its size and
    checksum. A transcript, a section's audio file or a file of the DAISY book is no more."""

    path: str
    bytes: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "bytes": self.bytes, "sha256": self.sha256}

    @staticmethod
    def _base(data: Any) -> tuple[str, int, str]:
        return (
            json_field(data, "path", str),
            json_field(data, "bytes", int),
            json_field(data, "sha256", str),
        )


@dataclass(frozen=True)
class PdfOutput(Output):
    pages: int
    font: str
    footer: str  # the running footer, as each page shows it
    unprintable: tuple[str, ...]  # characters no font could draw, shown as a marker

    def to_json(self) -> dict[str, Any]:
        return {
            **super().to_json(),
            "pages": self.pages,
            "font": self.font,
            "footer": self.footer,
            "unprintable": list(self.unprintable),
        }


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds, as a player lists it
    start_sample: int
    end_sample: int


@dataclass(frozen=True)
class AudioOutput(Output):
    """The spoken version (MP3 or WAV): one chapter per section."""

    seconds: float
    sample_rate: int
    voice: str
    rate: int
    engine: str
    chapters: tuple[Chapter, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **super().to_json(),
            "seconds": self.seconds,
            "sample_rate": self.sample_rate,
            "voice": self.voice,
            "rate": self.rate,
            "engine": self.engine,
            "chapters": [
                {
                    "title": c.title,
                    "start": c.start,
                    "start_sample": c.start_sample,
                    "end_sample": c.end_sample,
                }
                for c in self.chapters
            ],
        }


@dataclass(frozen=True)
class BookOutput(Output):
    """A talking book's entry file (the DAISY NCC): what the whole book holds."""

    seconds: float
    headings: tuple[str, ...]
    files: int
    identifier: str

    def to_json(self) -> dict[str, Any]:
        return {
            **super().to_json(),
            "seconds": self.seconds,
            "headings": list(self.headings),
            "files": self.files,
            "identifier": self.identifier,
        }


@dataclass(frozen=True)
class EpubOutput(BookOutput):
    """The EPUB 3 talking book, one file: its clips' length, its table of contents' entries,
    the files it holds, and its identifier (the DAISY book's, when both are made)."""


def is_whole_audio(kind: str) -> bool:
    """The article's spoken version, not a section's file of --split-audio or a book's clip."""
    return kind in AUDIO_FORMATS


def output_from_json(kind: str, data: Any) -> Output:
    """The entry of `kind` ("pdf", "mp3", "transcript.txt", "daisy/ncc.html" ...), typed by its
    kind. Raises ValueError naming what is wrong."""
    base = Output._base(data)
    if kind == "pdf":
        return PdfOutput(
            *base,
            pages=json_field(data, "pages", int),
            font=json_field(data, "font", str),
            footer=json_field(data, "footer", str),
            unprintable=json_texts(data, "unprintable"),
        )
    if is_whole_audio(kind):
        chapters = tuple(
            Chapter(
                json_field(c, "title", str),
                json_field(c, "start", float),
                json_field(c, "start_sample", int),
                json_field(c, "end_sample", int),
            )
            for c in json_field(data, "chapters", list)
        )
        return AudioOutput(
            *base,
            seconds=json_field(data, "seconds", float),
            sample_rate=json_field(data, "sample_rate", int),
            voice=json_field(data, "voice", str),
            rate=json_field(data, "rate", int),
            engine=json_field(data, "engine", str),
            chapters=chapters,
        )
    if kind in (BOOK_NCC, EPUB):
        return (BookOutput if kind == BOOK_NCC else EpubOutput)(
            *base,
            seconds=json_field(data, "seconds", float),
            headings=json_texts(data, "headings"),
            files=json_field(data, "files", int),
            identifier=json_field(data, "identifier", str),
        )
    return Output(*base)


def file_name(slug: str, kind: str) -> str:
    """Where an output of `kind` goes in the article's folder: `<slug>.pdf`, `<slug>.mp3`,
    `<slug>.transcript.txt`; a kind that is a path already (`daisy/ncc.html`) stays one."""
    return kind if "/" in kind else f"{slug}.{kind}"


# Which format asked for an output, so that a run asking for fewer formats keeps the others.
def family(kind: str) -> str:
    if kind == "pdf":
        return "pdf"
    if kind.startswith(f"{BOOK_FOLDER}/"):
        return "daisy"
    if kind == EPUB:
        return "epub"
    return "audio"  # the audio file, its sections, and the transcript (also made for DAISY)


# --- What the outputs were made from -----------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """Everything an article's outputs depend on: when all of it is unchanged since the last
    run, rendering again would give the same files."""

    renderer: str
    input_sha256: str
    options: dict[str, Any]  # config.options_to_json
    files_sha256: dict[str, str]  # the cue, lexicon and font files the options name
    engine: str | None  # the speech engine's description, when the outputs speak
    pins_sha256: str | None = None  # the article's pin file, when it has one

    @classmethod
    def of(
        cls,
        source: bytes,
        options: Options,
        files_sha256: Mapping[str, str],
        engine: str | None,
        pins: bytes | None = None,
    ) -> Fingerprint:
        return cls(
            VERSION,
            hashlib.sha256(source).hexdigest(),
            options_to_json(options),
            dict(files_sha256),
            engine if options.speaks else None,
            None if pins is None else hashlib.sha256(pins).hexdigest(),
        )

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "renderer": self.renderer,
            "input_sha256": self.input_sha256,
            "options": self.options,
            "files_sha256": self.files_sha256,
            "engine": self.engine,
        }
        if self.pins_sha256 is not None:  # only then: the key would re-render every article
            found["pins_sha256"] = self.pins_sha256
        return found

    @classmethod
    def from_json(cls, data: Any) -> Fingerprint:
        files = json_field(data, "files_sha256", dict)
        if not all(isinstance(v, str) for v in files.values()):
            raise ValueError("'files_sha256' must map file names to checksums")
        engine = data.get("engine") if isinstance(data, Mapping) else None
        pins = data.get("pins_sha256") if isinstance(data, Mapping) else None
        return cls(
            json_field(data, "renderer", str),
            json_field(data, "input_sha256", str),
            json_field(data, "options", dict),
            files,
            engine if isinstance(engine, str) else None,
            pins if isinstance(pins, str) else None,
        )

    def _files(self, *paths: Any) -> dict[str, str | None]:
        names = [str(p) for p in paths if p]
        return {name: self.files_sha256.get(name) for name in names}

    def part(self, name: str, engine: bool = True) -> dict[str, Any]:
        """What the outputs of one format family ("pdf", "audio", "daisy", "epub") depend on: the
        article (its input, pins, the renderer and the cue files that classify it) and that
        family's own options, files and engine. A run that asks for other formats leaves this
        family's files alone when their part is unchanged."""
        options = self.options
        cues = options.get("cue_files") or []
        common = {
            "renderer": self.renderer,
            "input": self.input_sha256,
            "pins": self.pins_sha256,
            "cues": self._files(*cues),
        }
        if name == "pdf":
            pdf_options = options.get("print") or {}
            return {**common, "print": pdf_options, "font": self._files(pdf_options.get("font"))}
        speech = options.get("speech") or {}
        pdf_options = options.get("print") or {}
        spoken = {
            **common,
            "speech": speech,
            "engine": self.engine if engine else None,
            "lexicon": self._files(*(speech.get("lexicon_files") or [])),
            # the clinic names itself as the recording's artist and the books' publisher
            "clinic": pdf_options.get("clinic_name"),
        }
        if name == "epub":  # spoken, and set in the handout's type, colours and font
            keys = ("font_size", "line_spacing", "theme")
            look = {key: pdf_options.get(key) for key in keys}
            return {**spoken, "look": look, "font": self._files(pdf_options.get("font"))}
        return spoken

    def current(self, last: Fingerprint, name: str) -> bool:
        """Whether outputs of family `name` made from `last` are what this fingerprint would
        make. A run that speaks nothing has not opened the engine: for it, spoken outputs made
        with the same engine options are current."""
        engine = self.engine is not None or name == "pdf"
        return last.part(name, engine) == self.part(name, engine)

    def keeping(self, last: Fingerprint | None, formats: Iterable[str]) -> Fingerprint:
        """This run's fingerprint for a manifest that also lists outputs kept from the last:
        the formats it holds recorded, and, when this run spoke nothing, the engine that spoke
        the kept ones, so the next run asking for all of them skips the article."""
        formats = list(formats)
        engine = self.engine
        if engine is None and last is not None and {"audio", "daisy", "epub"} & set(formats):
            engine = last.engine
        return replace(self, options={**self.options, "formats": formats}, engine=engine)


# --- The manifest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    renderer: str
    source: str
    slug: str
    status: str  # "rendered" | "skipped"
    reason: str | None
    fingerprint: Fingerprint
    analysis: dict[str, Any]  # the analysis JSON (model.article_to_json), as recorded
    outputs: dict[str, Output]
    warnings: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()  # what render proved of the outputs, one line each
    passed: bool = True

    @functools.cached_property
    def article(self) -> Article:
        """The recorded analysis, typed (raises ValueError when it is not of the analysis'
        shape)."""
        return article_from_json(self.analysis)

    @functools.cached_property
    def recorded_passages(self) -> tuple[tuple[ProtectedPassage, str], ...]:
        """The protected passages as the manifest records them, each with its recorded sha256:
        verify compares them with the ones the recorded analysis gives."""
        found = []
        for item in json_field(self.analysis, "protected", list):
            passage = ProtectedPassage(
                json_field(item, "section", int),
                SectionKind(json_field(item, "kind", str)),
                json_field(item, "text", str),
                item.get("heading") if isinstance(item.get("heading"), str) else None,
                json_texts(item, "units"),
                json_texts(item, "labels"),
            )
            found.append((passage, json_field(item, "sha256", str)))
        return tuple(found)

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.fingerprint.options.get("formats") or ())

    @property
    def pdf(self) -> PdfOutput | None:
        entry = self.outputs.get("pdf")
        return entry if isinstance(entry, PdfOutput) else None

    @property
    def audio(self) -> AudioOutput | None:
        for kind in AUDIO_FORMATS:
            entry = self.outputs.get(kind)
            if isinstance(entry, AudioOutput):
                return entry
        return None

    @property
    def book(self) -> BookOutput | None:
        entry = self.outputs.get(BOOK_NCC)
        return entry if isinstance(entry, BookOutput) else None

    @property
    def epub(self) -> EpubOutput | None:
        entry = self.outputs.get(EPUB)
        return entry if isinstance(entry, EpubOutput) else None

    def to_json(self) -> dict[str, Any]:
        return {
            "renderer": self.renderer,
            "source": self.source,
            "slug": self.slug,
            "status": self.status,
            "reason": self.reason,
            "fingerprint": self.fingerprint.to_json(),
            "analysis": self.analysis,
            "outputs": {kind: entry.to_json() for kind, entry in self.outputs.items()},
            "warnings": list(self.warnings),
            "verification": {"passed": self.passed, "checks": list(self.checks)},
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Raises ValueError naming the first thing that is missing or of the wrong type."""
        outputs = {}
        for kind, entry in json_field(data, "outputs", dict).items():
            try:
                outputs[kind] = output_from_json(kind, entry)
            except ValueError as error:
                raise ValueError(f"output {kind!r}: {error}") from None
        verification = json_field(data, "verification", dict)
        reason = data.get("reason")
        return cls(
            renderer=json_field(data, "renderer", str),
            source=json_field(data, "source", str),
            slug=json_field(data, "slug", str),
            status=json_field(data, "status", str),
            reason=reason if isinstance(reason, str) else None,
            fingerprint=Fingerprint.from_json(json_field(data, "fingerprint", dict)),
            analysis=json_field(data, "analysis", dict),
            outputs=outputs,
            warnings=json_texts(data, "warnings"),
            checks=json_texts(verification, "checks"),
            passed=json_field(verification, "passed", bool),
        )

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Raises OSError when it cannot be read, ValueError when it is not a manifest."""
        return cls.from_json(json.loads(path.read_bytes()))

    def write(self, folder: Path) -> Path:
        target = folder / NAME
        atomic_write(target, json_bytes(self.to_json()))
        return target


# --- Staleness ---------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    """A file's checksum, read a block at a time: an hour of audio is not held to hash it."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def inside(folder: Path, name: str) -> Path | None:
    """`folder / name` when it lies inside `folder` and is no link: a manifest is not trusted to
    name other files."""
    target = folder / name
    try:
        if ".." in Path(name).parts or target.is_symlink():
            return None
        if not target.resolve().is_relative_to(folder.resolve()):
            return None
    except (OSError, ValueError):
        return None
    return target


def intact(folder: Path, entry: Output) -> bool:
    """Whether the file an entry lists is there, inside the folder, with its size and checksum."""
    target = inside(folder, entry.path)
    try:
        return (
            target is not None
            and target.stat().st_size == entry.bytes
            and file_sha256(target) == entry.sha256
        )
    except OSError:
        return False


def previous(folder: Path) -> Manifest | None:
    """The article's last manifest, or None when there is none that can be read."""
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, KeyError):
        return Manifest.read(folder / NAME)
    return None


def up_to_date(folder: Path, last: Manifest | None, now: Fingerprint) -> Manifest | None:
    """The last run's manifest marked as skipped when every format this run asks for was made
    from what is unchanged (`now`) and its files are all still there, intact; else None."""
    if last is None:
        return None
    asked = set(now.options.get("formats") or ())
    if not asked <= set(last.formats):
        return None
    families = {family(kind) for kind in last.outputs}
    if not all(now.current(last.fingerprint, f) for f in families):
        return None
    if not all(intact(folder, entry) for entry in last.outputs.values()):
        return None
    return replace(
        last,
        status="skipped",
        reason="input, options, renderer and engine unchanged since the last run",
    )


def still_good(folder: Path, last: Manifest | None, now: Fingerprint) -> dict[str, Output]:
    """The last run's outputs that this run may keep without making them again: those of a
    family made from what is unchanged (a `--formats pdf` reprint keeps the audio), intact."""
    if last is None:
        return {}
    return {
        kind: entry
        for kind, entry in last.outputs.items()
        if now.current(last.fingerprint, family(kind)) and intact(folder, entry)
    }


def remove_stale(folder: Path, last: Manifest | None, kept: Iterable[str]) -> None:
    """Delete what the last manifest listed and the new one does not (the SMIL and MP3 of a
    section the book lost, a WAV now an MP3), then the sub-folders that left empty. Files the
    renderer never listed are not touched."""
    if last is None:
        return
    keep = set(kept)
    gone = [
        target
        for entry in last.outputs.values()
        if entry.path not in keep and (target := inside(folder, entry.path)) is not None
    ]
    for old in gone:
        old.unlink(missing_ok=True)
    for sub in {p.parent for p in gone} - {folder}:
        with contextlib.suppress(OSError):  # still holds files
            sub.rmdir()


@dataclass
class Staged:
    """What a render made of one article before its manifest is written: each output's entry,
    the warnings and the checks it passed."""

    outputs: dict[str, Output] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
