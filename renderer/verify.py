"""`renderer verify`: prove again, from the files alone, that every output of a rendered tree is
the one its manifest.json lists and holds every protected passage, and every sentence and heading
it shows, whole and in order (DESIGN.md), with the same checks render ran."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from renderer.config import AUDIO_FORMATS, SPOKEN_FORMATS
from renderer.errors import UsageError
from renderer.labels import ENGLISH, Wording, wording_for
from renderer.model import ProtectedPassage, SectionKind
from renderer.outputs.audio import chapter_seconds, read_audio
from renderer.outputs.daisy import FOLDER as DAISY_FOLDER
from renderer.outputs.daisy import NCC, check_book
from renderer.outputs.files import sha256_hex
from renderer.outputs.proof import (
    ExpectedText,
    audio_problems,
    body_text,
    complete_text_problems,
    expected_text,
    missing_passages,
    pdf_pages,
    shown_as,
    squeeze,
)
from renderer.outputs.speech import SpeechError

CHAPTER_SLACK = 0.05  # seconds a chapter may start off the manifest's time (millisecond tags)
LENGTH_SLACK = 0.5  # an MP3 reads back a frame or two longer (encoder delay and padding)
_NUMBER = (int, float)
_AUDIO = {"seconds": _NUMBER, "sample_rate": int, "rate": int, "chapters": list}
_BOOK = DAISY_FOLDER + "/"  # the DAISY book's files, listed as "daisy/ncc.html" ...
_FIELDS: dict[str, dict[str, Any]] = {
    "pdf": {"pages": int, "footer": str, "unprintable": list},
    **dict.fromkeys(AUDIO_FORMATS, _AUDIO),
    _BOOK + NCC: {"seconds": _NUMBER, "headings": list},
}


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
    slug: str
    folder: Path
    outputs: dict[str, dict[str, Any]]
    passages: list[ProtectedPassage]
    recorded: list[str]  # the sha256 the manifest records for each passage's text
    expected: set[str]  # output kinds the recorded options asked for
    text: ExpectedText  # what each output must show, from the recorded analysis
    wording: Wording = ENGLISH  # the words the renderer added, in the article's language
    language: str = "en"  # the recorded analysis' language: the pace check reads in it
    problems: list[Problem] = field(default_factory=list)
    checks: int = 0

    def check(self, where: str, problems: Iterable[str]) -> None:
        self.checks += 1
        self.problems.extend(Problem(self.slug, f"{where}: {p}") for p in problems)


def verify_tree(folder: Path) -> VerifyReport:
    """Verify every article under `folder` (its own manifest.json and each `*/manifest.json`)."""
    manifests = sorted(folder.glob("*/manifest.json"))
    if (folder / "manifest.json").is_file():
        manifests.insert(0, folder / "manifest.json")
    if not manifests:
        raise UsageError(
            f"no manifest.json under {folder}: render first (renderer render -o {folder})"
        )
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
        article = _load(manifest_path)
    except (OSError, ValueError, TypeError) as exc:  # JSON and UTF-8 errors are ValueErrors
        return [Problem(str(manifest_path), f"the manifest cannot be read: {exc}")], 1
    unlisted = sorted(article.expected - set(article.outputs))
    article.check("manifest.json", [f"lists no {kind} output" for kind in unlisted])
    for passage, recorded in zip(article.passages, article.recorded, strict=True):
        article.check("manifest.json", _passage_problems(passage, recorded))
    article.check(
        "manifest.json",
        [f"the blocks of section {index} are not its text" for index in article.text.mismatched],
    )
    files = {kind: _read(article, kind) for kind in article.outputs}
    if (pdf := files.get("pdf")) is not None:
        _check_pdf(article, pdf)
    text = files.get("transcript.txt")
    transcript = None if text is None else _check_transcript(article, text)
    for kind, data in files.items():
        if data is not None and kind.endswith(AUDIO_FORMATS) and not kind.startswith(_BOOK):
            _check_audio(article, kind, data, transcript)
    book = {k[len(_BOOK) :]: data for k, data in files.items() if k.startswith(_BOOK) and data}
    if book:
        _check_book(article, book)
    return article.problems, article.checks


def _get(data: Any, key: str, kind: Any = object) -> Any:
    if not isinstance(data, dict) or key not in data or not isinstance(data[key], kind):
        raise ValueError(f"{key!r} is missing or of the wrong type")
    return data[key]


def _load(path: Path) -> _Article:
    manifest = json.loads(path.read_bytes())
    outputs = _get(manifest, "outputs", dict)
    for kind, entry in outputs.items():
        needs = {"path": str, "bytes": int, "sha256": str, **_FIELDS.get(kind, {})}
        for key, type_ in needs.items():
            _get(entry, key, type_)
        for chapter in entry.get("chapters", []):
            _get(chapter, "title", str)
            _get(chapter, "start_sample", int)
    options = _get(_get(manifest, "fingerprint", dict), "options", dict)
    formats = _get(options, "formats", list)
    audio = _get(_get(options, "speech", dict), "audio_format", str)
    expected = {"pdf"} & set(formats) | ({audio} if "audio" in formats else set())
    if any(f in SPOKEN_FORMATS for f in formats):
        expected.add("transcript.txt")
    if "daisy" in formats:
        expected.add(_BOOK + NCC)
    analysis = _get(manifest, "analysis", dict)
    protected = _get(analysis, "protected", list)
    passages = [_passage(item) for item in protected]
    recorded = [_get(item, "sha256", str) for item in protected]
    slug = _get(manifest, "slug", str)
    text = expected_text(analysis)
    language = _get(analysis, "language", str)
    return _Article(
        slug,
        path.parent,
        outputs,
        passages,
        recorded,
        expected,
        text,
        wording_for(language),
        language,
    )


def _passage(item: Any) -> ProtectedPassage:
    units, labels = tuple(_get(item, "units", list)), tuple(_get(item, "labels", list))
    if not all(isinstance(text, str) for text in (*units, *labels)):
        raise ValueError("a protected passage's units and labels must be text")
    kind = SectionKind(_get(item, "kind", str))
    heading = _get(item, "heading", (str, type(None)))
    text = _get(item, "text", str)
    return ProtectedPassage(_get(item, "section", int), kind, text, heading, units, labels)


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


def _read(article: _Article, kind: str) -> bytes | None:
    """An output's bytes once it is found inside the article's folder with the listed size and
    checksum (read anyway on a mismatch, so that the content checks say what changed)."""
    entry = article.outputs[kind]
    name: str = entry["path"]
    target = article.folder / name
    try:
        inside = target.resolve().is_relative_to(article.folder.resolve())
        if not inside or ".." in Path(name).parts or target.is_symlink():
            article.check(name, ["is a link or lies outside the article folder: not read"])
            return None
        if not target.is_file():
            article.check(name, ["is missing"])
            return None
        data = target.read_bytes()
    except (OSError, ValueError) as exc:
        article.check(name, [f"cannot be read: {exc}"])
        return None
    found = []
    if sha256_hex(data) != entry["sha256"]:
        found.append("its checksum (sha256) does not match the manifest")
    if len(data) != entry["bytes"]:
        found.append(f"{len(data)} bytes, the manifest says {entry['bytes']}")
    article.check(name, ["; ".join(found)] if found else [])
    return data


def _check_pdf(article: _Article, data: bytes) -> None:
    entry = article.outputs["pdf"]
    try:
        pages = pdf_pages(data)
    except pdfium.PdfiumError as exc:
        article.check(entry["path"], [f"cannot be opened as a PDF: {exc}"])
        return
    wrong = [f"{len(pages)} pages, the manifest says {entry['pages']}"]
    article.check(entry["path"], wrong if len(pages) != entry["pages"] else [])
    shown = shown_as(entry["unprintable"])  # characters no font could draw: shown as a marker
    text = body_text(pages, entry["footer"], article.wording)
    article.check(entry["path"], missing_passages(article.passages, text, shown))
    article.check(entry["path"], complete_text_problems(article.text.printed, text, shown))


def _check_transcript(article: _Article, data: bytes) -> str | None:
    name = article.outputs["transcript.txt"]["path"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        article.check(name, [f"is not UTF-8 text: {exc}"])
        return None
    article.check(name, missing_passages(article.passages, text))
    article.check(name, complete_text_problems(article.text.spoken, text))
    return text


def _check_audio(article: _Article, kind: str, data: bytes, transcript: str | None) -> None:
    entry, fmt = article.outputs[kind], kind.rsplit(".", 1)[-1]
    try:
        facts = read_audio(data, fmt)
    except SpeechError as exc:
        article.check(entry["path"], [exc.message])
        return
    if kind not in _FIELDS:  # a section of --split-audio: readable is enough, the whole is checked
        return
    chapters, rate = entry["chapters"], entry["sample_rate"]
    titles = [chapter["title"] for chapter in chapters]
    if transcript is not None:  # its length against the words, its chapters against the titles
        found_pace = audio_problems(facts, transcript, entry["rate"], titles, article.language)
        article.check(entry["path"], found_pace)
    found = []
    if abs(facts.seconds - entry["seconds"]) > LENGTH_SLACK:
        found.append(f"{facts.seconds:.1f} s long, the manifest says {entry['seconds']:.1f} s")
    if facts.sample_rate != rate:
        found.append(f"sampled at {facts.sample_rate} Hz, the manifest says {rate} Hz")
    if [title for title, _ in facts.chapters] == titles:  # else audio_problems told
        for (title, start), chapter in zip(facts.chapters, chapters, strict=True):
            expected = chapter_seconds(chapter["start_sample"], rate, fmt)
            if abs(start - expected) > CHAPTER_SLACK:
                found.append(f"chapter {title!r} starts at {start:.2f} s, not {expected:.2f} s")
    article.check(entry["path"], found)


def _check_book(article: _Article, files: dict[str, bytes]) -> None:
    """The DAISY book read as a player would: its structure and times (check_book), its
    headings against the manifest's, and every protected passage, sentence and heading in the
    text its clips read."""
    entry = article.outputs.get(_BOOK + NCC)
    where = entry["path"] if entry else _BOOK + NCC
    check = check_book(files)
    article.check(where, check.problems)
    if entry is None:
        return
    found = []
    if list(check.headings) != entry["headings"]:
        found.append(f"headings {list(check.headings)}, the manifest says {entry['headings']}")
    if abs(check.total_ms / 1000 - entry["seconds"]) > 0.001:
        found.append(
            f"{check.total_ms / 1000:.3f} s of clips, the manifest says {entry['seconds']} s"
        )
    article.check(where, found)
    article.check(where, missing_passages(article.passages, check.text))
    article.check(where, complete_text_problems(article.text.spoken, check.text))
