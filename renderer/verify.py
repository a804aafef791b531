"""`renderer verify`: prove again, from the files alone, that every output of a rendered tree is
the one its manifest.json lists and holds every protected passage, and every sentence and heading
it shows, whole and in order (DESIGN.md), with the very checkers render ran before it wrote them
(each in its output's package: prove_pdf, prove_transcript, prove_audio, prove_book, prove_epub)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from renderer.errors import UsageError
from renderer.manifest import (
    BOOK_FOLDER,
    BOOK_NCC,
    EPUB,
    NAME,
    TRANSCRIPT,
    AudioOutput,
    EpubOutput,
    Manifest,
    Output,
    PdfOutput,
    file_sha256,
    inside,
)
from renderer.model import ProtectedPassage, protected_passages
from renderer.outputs.audio import prove_audio, prove_readable_audio, prove_transcript
from renderer.outputs.daisy import prove_book
from renderer.outputs.epub import prove_epub
from renderer.outputs.files import FileMap
from renderer.outputs.pdf.check import prove_pdf
from renderer.outputs.proof import (
    Expected,
    Findings,
    missing_passages,
    squeeze,
)

_BOOK = BOOK_FOLDER + "/"


@dataclass(frozen=True)
class Problem:
    article: str  # the slug (or the manifest path when unreadable)
    message: str

    def __str__(self) -> str:
        return f"{self.article}: {self.message}"


@dataclass(frozen=True)
class VerifyReport:
    articles: int
    problems: tuple[Problem, ...]
    checks: int  # how many checks ran


@dataclass
class _Article:
    """One article's manifest as verify reads it, and what it found."""

    manifest: Manifest
    folder: Path
    expected: Expected
    problems: list[Problem] = field(default_factory=list)
    checks: int = 0

    def check(self, where: str, problems: Iterable[str]) -> None:
        self.checks += 1
        self.problems.extend(Problem(self.manifest.slug, f"{where}: {p}") for p in problems)

    def found(self, where: str, findings: Findings) -> None:
        self.checks += findings.checks
        slug = self.manifest.slug
        self.problems.extend(Problem(slug, f"{where}: {p}") for p in findings.problems)


def verify_tree(folder: Path) -> VerifyReport:
    """Verify every article under `folder` (its own manifest.json and each `*/manifest.json`)."""
    manifests = sorted(folder.glob(f"*/{NAME}"))
    if (folder / NAME).is_file():
        manifests.insert(0, folder / NAME)
    if not manifests:
        raise UsageError(f"no {NAME} under {folder}: render first (renderer render -o {folder})")
    problems: list[Problem] = []
    checks = 0
    for manifest in manifests:
        found, ran = verify_article(manifest)
        problems.extend(found)
        checks += ran
    return VerifyReport(len(manifests), tuple(problems), checks)


def verify_article(manifest_path: Path) -> tuple[list[Problem], int]:
    """The problems of one article's outputs, and how many checks ran."""
    try:
        manifest = Manifest.read(manifest_path)
        expected = Expected.of(manifest.article)
        recorded = manifest.recorded_passages
    except (
        OSError,
        ValueError,
        TypeError,
        AttributeError,
        KeyError,
    ) as exc:  # JSON, UTF-8: ValueError
        return [Problem(str(manifest_path), f"the manifest cannot be read: {exc}")], 1
    article = _Article(manifest, manifest_path.parent, expected)
    _check_manifest(article, recorded)
    transcript = None
    entry = manifest.outputs.get(TRANSCRIPT)
    if entry is not None and (path := _intact(article, entry)) is not None:
        transcript = _transcript(article, entry, path)
    for kind, entry in manifest.outputs.items():
        if kind == TRANSCRIPT or (kind.startswith(_BOOK) and kind != BOOK_NCC):
            continue
        path = _intact(article, entry)
        if path is None:
            continue
        if isinstance(entry, PdfOutput):
            article.found(entry.path, prove_pdf(path, entry, expected))
        elif isinstance(entry, AudioOutput):
            article.found(entry.path, prove_audio(path, entry, expected, transcript))
        elif isinstance(entry, EpubOutput):
            article.found(entry.path, prove_epub(path, entry, expected))
        elif kind.endswith((".mp3", ".wav")):  # a section of --split-audio
            article.found(entry.path, prove_readable_audio(path, entry.path))
    book = {
        kind[len(_BOOK) :]: path
        for kind, entry in manifest.outputs.items()
        if kind.startswith(_BOOK) and (path := _intact(article, entry)) is not None
    }
    if book:
        where = manifest.book.path if manifest.book else BOOK_NCC
        article.found(where, prove_book(FileMap(book), manifest.book, expected))
    return article.problems, article.checks


def _check_manifest(article: _Article, recorded: tuple[tuple[ProtectedPassage, str], ...]) -> None:
    """The manifest against itself: every format it records is listed, its protected passages
    are its analysis' own and their text, and each section's recorded text is its blocks."""
    manifest = article.manifest
    wanted = {"pdf"} & set(manifest.formats)
    audio_format = (manifest.fingerprint.options.get("speech") or {}).get("audio_format", "mp3")
    if "audio" in manifest.formats:
        wanted.add(str(audio_format))
    if {"audio", "daisy", "epub"} & set(manifest.formats):
        wanted.add(TRANSCRIPT)
    if "daisy" in manifest.formats:
        wanted.add(BOOK_NCC)
    if "epub" in manifest.formats:
        wanted.add(EPUB)
    unlisted = sorted(wanted - set(manifest.outputs))
    article.check(NAME, [f"lists no {kind} output" for kind in unlisted])
    for passage, sha256 in recorded:
        article.check(NAME, _passage_problems(passage, sha256))
    derived = [(p.section, p.text) for p in protected_passages(manifest.article)]
    if [(p.section, p.text) for p, _ in recorded] != derived:
        article.check(NAME, ["its protected passages are not the ones its analysis gives"])
    mismatched = [
        index
        for index, section in enumerate(manifest.article.sections)
        if squeeze(section.plain_text())
        != squeeze(str(manifest.analysis["sections"][index]["text"]))
    ]
    article.check(NAME, [f"the blocks of section {index} are not its text" for index in mismatched])


def _passage_problems(passage: ProtectedPassage, recorded: str) -> list[str]:
    heading = f" ({passage.heading})" if passage.heading else ""
    where = f"protected text of section {passage.section}{heading}"
    if passage.sha256 != recorded:
        return [f"{where} does not match its recorded sha256"]
    # The outputs are searched for the units, not the text: they must be all of it, in order.
    parts = "".join(squeeze(part) for part in (*passage.units, *passage.labels))
    covered = len(parts) == len(squeeze(passage.text))
    if not covered or missing_passages([passage], passage.text):
        return [f"the units of {where} are not its text"]
    return []


def _intact(article: _Article, entry: Output) -> Path | None:
    """An output's file once it is found inside the article's folder; its size and checksum
    against the manifest's (a mismatch is told, and the file still checked, so that the
    content checks say what changed)."""
    target = inside(article.folder, entry.path)
    if target is None:
        article.check(entry.path, ["is a link or lies outside the article folder: not read"])
        return None
    try:
        if not target.is_file():
            article.check(entry.path, ["is missing"])
            return None
        size, sha256 = target.stat().st_size, file_sha256(target)
    except OSError as exc:
        article.check(entry.path, [f"cannot be read: {exc}"])
        return None
    found = []
    if sha256 != entry.sha256:
        found.append("its checksum (sha256) does not match the manifest")
    if size != entry.bytes:
        found.append(f"{size} bytes, the manifest says {entry.bytes}")
    article.check(entry.path, ["; ".join(found)] if found else [])
    return target


def _transcript(article: _Article, entry: Output, path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        article.check(entry.path, [f"is not UTF-8 text: {exc}"])
        return None
    except OSError as exc:
        article.check(entry.path, [f"cannot be read: {exc}"])
        return None
    article.found(entry.path, prove_transcript(text, article.expected))
    return text
