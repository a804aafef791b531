"""The EPUB's checker, run by render on the staged file and by `renderer verify` on the written
one: the book read from its file alone as a reading system opens it (the zip and its mimetype,
the container, the package and its metadata, the navigation, every document and overlay), every
clip inside its MP3, in order, covering it, and the times adding up; then every protected
passage, sentence and heading whole and in order in the text shown, and in the text lit while
it is read.

EPUBCheck and Ace check the standard's rules (the tests run them); neither opens the audio, and
nothing in them knows what the article said. This does both."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from renderer.manifest import EpubOutput
from renderer.outputs.audio import read_audio
from renderer.outputs.epub.standard import (
    ACCESSIBILITY_METADATA,
    ACTIVE_CLASS,
    CONTAINER,
    CONTAINER_NS,
    DC_NS,
    EPUB_NS,
    MEDIA_TYPE,
    MIMETYPE,
    MP3,
    OPF_NS,
    SMIL,
    SMIL_NS,
    XHTML,
    XHTML_NS,
    clock,
    clock_ms,
)
from renderer.outputs.proof import (
    Expected,
    Findings,
    TextRun,
    book_claims,
    complete_text_problems,
    missing_passages,
)
from renderer.outputs.speech import SpeechError

# The clips of an MP3 reach its end to within this: lame's delay and the padding of its last
# frame are heard as the file's length, and no sentence is in them.
COVER_SLACK_MS = 200
_MODIFIED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class EpubCheck:
    """What a book's file says of itself, and what is wrong with it."""

    problems: tuple[str, ...]
    headings: tuple[str, ...]  # the table of contents' entries, in order
    text: str  # every document's text, in reading order
    played: str  # the text of each element its overlays light, in playing order
    total_ms: int  # the sum of all clips
    identifier: str | None
    files: int


@dataclass(frozen=True)
class _Item:
    path: str  # in the zip
    media_type: str
    properties: tuple[str, ...]
    overlay: str | None  # the id of its media overlay


@dataclass
class _Reading:
    """What check_epub gathers as it reads a book."""

    book: zipfile.ZipFile
    problems: list[str] = field(default_factory=list)
    documents: dict[str, etree._Element] = field(default_factory=dict)  # spine XHTML by path
    ids: dict[str, dict[str, etree._Element]] = field(default_factory=dict)  # per document
    durations: dict[str, float] = field(default_factory=dict)  # each MP3's, in seconds
    last_end: dict[str, int] = field(default_factory=dict)  # each MP3's last clip's end, ms
    played: list[str] = field(default_factory=list)

    def read(self, name: str) -> bytes | None:
        try:
            return self.book.read(name)
        except KeyError:
            self.problems.append(f"{name} is missing")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            self.problems.append(f"{name} cannot be read from the zip: {exc}")
        return None

    def xml(self, name: str) -> etree._Element | None:
        data = self.read(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            self.problems.append(f"{name} is not well-formed XML: {exc}")
            return None


def _resolve(base: str, href: str) -> tuple[str, str]:
    """An href of the file `base` as a path in the zip, and its fragment."""
    target, _, fragment = href.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(target)))
    return path, fragment


def _text(element: etree._Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _all(root: etree._Element, namespace: str, name: str) -> Iterator[etree._Element]:
    yield from root.iter(f"{{{namespace}}}{name}")


def check_epub(path: Path) -> EpubCheck:
    """Read a book from its file and check it against the rules a reading system relies on
    and against its own claims (see the module's docstring)."""
    try:
        book = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return EpubCheck((f"not an EPUB (a zip file): {exc}",), (), "", "", 0, None, 0)
    with book:
        reading = _Reading(book)
        infos = book.infolist()
        _check_mimetype(reading, infos)
        package_path = _package_path(reading)
        package = reading.xml(package_path) if package_path else None
        if package_path is None or package is None:
            return EpubCheck(tuple(reading.problems), (), "", "", 0, None, len(infos))
        identifier, meta = _check_metadata(reading, package, package_path)
        items = _manifest(reading, package, package_path, {i.filename for i in infos})
        spine = _spine(reading, package, items)
        headings = _check_navigation(reading, items)
        _check_style(reading, items, meta)
        total = 0
        for item in spine:
            total += _check_overlay(reading, item, items, meta)
        _check_covered(reading, items)
        claimed = [
            clock_ms(value) for refines, value in meta.get("media:duration", []) if not refines
        ]
        if len(claimed) != 1 or claimed[0] is None or abs(claimed[0] - total) > 1:
            reading.problems.append(
                f"the package's media:duration is {claimed}, the clips add up to {clock(total)}"
            )
        text = "\n".join(_text(reading.documents[item.path]) for item in spine)
        return EpubCheck(
            tuple(reading.problems),
            headings,
            text,
            "\n".join(reading.played),
            total,
            identifier,
            len(infos),
        )


def _check_mimetype(reading: _Reading, infos: list[zipfile.ZipInfo]) -> None:
    first = infos[0] if infos else None
    if first is None or first.filename != MIMETYPE:
        reading.problems.append(f"the zip's first file is not {MIMETYPE!r}")
    elif first.compress_type != zipfile.ZIP_STORED or first.extra:
        reading.problems.append(f"{MIMETYPE} is compressed or has an extra field")
    elif reading.read(MIMETYPE) != MEDIA_TYPE:
        reading.problems.append(f"{MIMETYPE} does not say {MEDIA_TYPE.decode()}")


def _package_path(reading: _Reading) -> str | None:
    container = reading.xml(CONTAINER)
    if container is None:
        return None
    rootfile = next(_all(container, CONTAINER_NS, "rootfile"), None)
    full_path = rootfile.get("full-path") if rootfile is not None else None
    if not full_path:
        reading.problems.append(f"{CONTAINER} names no package document")
        return None
    return str(full_path)


def _check_metadata(
    reading: _Reading, package: etree._Element, name: str
) -> tuple[str | None, dict[str, list[tuple[str | None, str]]]]:
    """The book's identifier and its meta elements by property (each with what it refines)."""
    problems = reading.problems
    if package.tag != f"{{{OPF_NS}}}package" or package.get("version") != "3.0":
        problems.append(f"{name} is not an EPUB 3 package document")
    unique = package.get("unique-identifier")
    identifier = next(
        (_text(e) for e in _all(package, DC_NS, "identifier") if e.get("id") == unique), None
    )
    if not identifier:
        problems.append(f"{name}: no dc:identifier is the unique-identifier {unique!r}")
    for element in ("title", "language"):
        if not any(_text(e) for e in _all(package, DC_NS, element)):
            problems.append(f"{name} has no dc:{element}")
    meta: dict[str, list[tuple[str | None, str]]] = {}
    for element in _all(package, OPF_NS, "meta"):
        if element.get("property"):
            meta.setdefault(str(element.get("property")), []).append(
                (element.get("refines"), _text(element))
            )
    modified = [value for _, value in meta.get("dcterms:modified", [])]
    if len(modified) != 1 or not _MODIFIED.fullmatch(modified[0]):
        problems.append(f"{name}: dcterms:modified is {modified}, not one CCYY-MM-DDThh:mm:ssZ")
    missing = [p for p in ACCESSIBILITY_METADATA if not any(v for _, v in meta.get(p, []))]
    if missing:
        problems.append(f"{name} lacks the accessibility metadata {', '.join(missing)}")
    return identifier, meta


def _manifest(
    reading: _Reading, package: etree._Element, name: str, in_zip: set[str]
) -> dict[str, _Item]:
    """The package's items by id, each found in the zip; and nothing in the zip unlisted."""
    items: dict[str, _Item] = {}
    for element in _all(package, OPF_NS, "item"):
        ident, href = str(element.get("id", "")), str(element.get("href", ""))
        path, _ = _resolve(name, href)
        if ident in items:
            reading.problems.append(f"{name}: two items have the id {ident!r}")
        if path not in in_zip:
            reading.problems.append(f"{name} lists {href}, which is not in the zip")
        items[ident] = _Item(
            path,
            str(element.get("media-type", "")),
            tuple(str(element.get("properties", "")).split()),
            element.get("media-overlay"),
        )
    listed = {item.path for item in items.values()} | {MIMETYPE, name}
    unlisted = sorted(p for p in in_zip - listed if not p.startswith("META-INF/"))
    if unlisted:
        reading.problems.append(f"{name} does not list {', '.join(unlisted)}")
    return items


def _spine(reading: _Reading, package: etree._Element, items: dict[str, _Item]) -> list[_Item]:
    """The documents in reading order, each parsed, with the ids it holds."""
    spine = []
    for itemref in _all(package, OPF_NS, "itemref"):
        item = items.get(str(itemref.get("idref")))
        if item is None or item.media_type != XHTML:
            reading.problems.append(f"the spine's {itemref.get('idref')!r} is no XHTML item")
            continue
        root = reading.xml(item.path)
        if root is None:
            continue
        if root.tag != f"{{{XHTML_NS}}}html":
            reading.problems.append(f"{item.path} is not XHTML (its root is {root.tag!r})")
        body = next(_all(root, XHTML_NS, "body"), root)
        reading.documents[item.path] = body
        reading.ids[item.path] = {str(e.get("id")): e for e in root.iter() if e.get("id")}
        spine.append(item)
    if not spine:
        reading.problems.append("the spine holds no document")
    return spine


def _check_navigation(reading: _Reading, items: dict[str, _Item]) -> tuple[str, ...]:
    """The table of contents' entries, each leading to an element of a document of the spine."""
    navs = [item for item in items.values() if "nav" in item.properties]
    if len(navs) != 1:
        reading.problems.append(f"the package has {len(navs)} navigation documents, not 1")
        return ()
    root = reading.xml(navs[0].path)
    if root is None:
        return ()
    toc = next(
        (
            n
            for n in _all(root, XHTML_NS, "nav")
            if "toc" in str(n.get(f"{{{EPUB_NS}}}type", "")).split()
        ),
        None,
    )
    if toc is None:
        reading.problems.append(f"{navs[0].path} has no table of contents (epub:type toc)")
        return ()
    labels = []
    for link in _all(toc, XHTML_NS, "a"):
        labels.append(_text(link))
        target, fragment = _resolve(navs[0].path, str(link.get("href", "")))
        ids = reading.ids.get(target)
        if ids is None or (fragment and fragment not in ids):
            reading.problems.append(f"the table of contents' {link.get('href')!r} leads nowhere")
    if not labels:
        reading.problems.append("the table of contents is empty")
    return tuple(labels)


def _check_style(
    reading: _Reading, items: dict[str, _Item], meta: dict[str, list[tuple[str | None, str]]]
) -> None:
    """The class a reading system puts on the element being read is named, and styled: else the
    voice reads with nothing lit, and no validator says so."""
    named = [value for _, value in meta.get("media:active-class", [])]
    active = named[0] if named else ACTIVE_CLASS
    if not named:
        reading.problems.append("the package names no media:active-class")
    styles = [item for item in items.values() if item.media_type == "text/css"]
    if not any(
        f".{active}" in (reading.read(s.path) or b"").decode("utf-8", "replace") for s in styles
    ):
        reading.problems.append(f"no style sheet styles the class {active!r} of the sentence read")


def _check_overlay(
    reading: _Reading,
    document: _Item,
    items: dict[str, _Item],
    meta: dict[str, list[tuple[str | None, str]]],
) -> int:
    """Check a document's media overlay (every par lighting one of its elements, with a clip
    inside its MP3 that starts where the MP3's clip before it ended) against its stated
    media:duration; its length in ms (the sum of its clips)."""
    problems = reading.problems
    if document.overlay is None:
        problems.append(f"{document.path} has no media overlay")
        return 0
    overlay = items.get(document.overlay)
    if overlay is None or overlay.media_type != SMIL:
        problems.append(f"{document.path}'s media overlay {document.overlay!r} is no SMIL item")
        return 0
    root = reading.xml(overlay.path)
    if root is None:
        return 0
    if root.tag != f"{{{SMIL_NS}}}smil" or root.get("version") != "3.0":
        problems.append(f"{overlay.path} is not a SMIL 3.0 media overlay")
    ids = reading.ids.get(document.path, {})
    audio = {item.path: item for item in items.values()}
    ms = 0
    for n, par in enumerate(_all(root, SMIL_NS, "par"), 1):
        where = f"{overlay.path}: par {par.get('id') or n}"
        text = next(_all(par, SMIL_NS, "text"), None)
        target, fragment = _resolve(
            overlay.path, str(text.get("src", "") if text is not None else "")
        )
        if target != document.path or fragment not in ids:
            problems.append(
                f"{where} lights {text.get('src') if text is not None else None!r}, "
                f"which is no element of {document.path}"
            )
        else:
            reading.played.append(_text(ids[fragment]))
        clip = next(_all(par, SMIL_NS, "audio"), None)
        if clip is None:
            problems.append(f"{where} has no audio")
            continue
        src, _ = _resolve(overlay.path, str(clip.get("src", "")))
        ms += _check_clip(reading, where, src, audio.get(src), clip)
    claimed = [
        clock_ms(value)
        for refines, value in meta.get("media:duration", [])
        if refines == f"#{document.overlay}"
    ]
    if len(claimed) != 1 or claimed[0] is None or abs(claimed[0] - ms) > 1:
        problems.append(f"{overlay.path}: its media:duration is {claimed}, its clips {clock(ms)}")
    return ms


def _check_clip(
    reading: _Reading, where: str, src: str, item: _Item | None, clip: etree._Element
) -> int:
    """The clip's length in ms (0 when it is wrong, with the reason in the problems)."""
    problems = reading.problems
    if item is None or item.media_type != MP3:
        problems.append(f"{where} plays {src}, which is no {MP3} item of the package")
        return 0
    begin, end = clock_ms(clip.get("clipBegin")), clock_ms(clip.get("clipEnd"))
    if begin is None or end is None or end <= begin:
        problems.append(f"{where} has no valid clipBegin and clipEnd (a clip must last)")
        return 0
    if src not in reading.durations:
        data = reading.read(src)
        try:
            reading.durations[src] = read_audio(data, "mp3").seconds if data else 0.0
        except SpeechError as exc:
            problems.append(f"{src}: {exc.message}")
            reading.durations[src] = 0.0
    length = reading.durations[src] * 1000
    if end > length + 1:  # a millisecond of rounding
        problems.append(f"{where} ends at {end} ms, after {src} ends ({length / 1000:.3f} s)")
    last = reading.last_end.get(src, 0)
    if begin != last:
        problems.append(
            f"{where} starts at {begin} ms in {src}, not where the clip before it ended "
            f"({last} ms): clips must be in order, without gaps or overlaps"
        )
    reading.last_end[src] = end
    return end - begin


def _check_covered(reading: _Reading, items: dict[str, _Item]) -> None:
    """Every MP3 of the book is played to its end: no speech without its text."""
    for item in items.values():
        if item.media_type != MP3:
            continue
        if item.path not in reading.last_end:
            reading.problems.append(f"{item.path} is never played")
            continue
        left = reading.durations.get(item.path, 0.0) * 1000 - reading.last_end[item.path]
        if left > COVER_SLACK_MS:
            reading.problems.append(
                f"{item.path}: its clips end {left / 1000:.3f} s before the audio does"
            )


def epub_runs(expected: Expected) -> tuple[TextRun, ...]:
    """What the EPUB must show: all that is spoken (a boilerplate section's protected passages
    too), with the title and headings as print shows them (a boilerplate section, not printed,
    keeps its heading as written)."""
    printed = {run.section: run for run in expected.text.printed}
    runs = []
    for run in expected.text.spoken:
        shown = printed.get(run.section)
        if shown is None:
            runs.append(run)
        elif run.section is None:
            runs.append(shown)
        else:
            runs.append(replace(run, heading=shown.heading))
    return tuple(runs)


def prove_epub(path: Path, entry: EpubOutput | None, expected: Expected) -> Findings:
    """The EPUB read as a reading system would (check_epub: its structure and times), its
    navigation, length and identifier against the manifest, and every protected passage,
    sentence and heading in the text it shows and, but for table headers (read with each of
    their cells), in the text it lights as the voice reads it."""
    found = Findings()
    check = check_epub(path)
    found.add(check.problems)
    if entry is not None:
        problems = book_claims(check.headings, check.total_ms, entry, "its contents list")
        if check.identifier != entry.identifier:
            problems.append(
                f"its identifier is {check.identifier!r}, the manifest says {entry.identifier!r}"
            )
        if check.files != entry.files:
            problems.append(f"it holds {check.files} files, the manifest says {entry.files}")
        found.add(problems)
    passed = not found.problems
    runs = epub_runs(expected)
    found.text_holds(expected, runs, check.text, "epub")
    heard = [replace(passage, labels=()) for passage in expected.passages]
    lost = missing_passages(heard, check.played)
    lost += complete_text_problems([replace(run, labels=()) for run in runs], check.played)
    found.add(f"as it is read aloud, {problem}" for problem in lost)
    if passed and not found.problems:
        sections = sum(1 for run in runs if run.section is not None)
        found.proved.insert(
            0,
            f"epub: {len(check.headings)} entries in its contents, {check.files} files, "
            f"{check.total_ms / 1000:.1f} s of clips covering every MP3",
        )
        found.proved.append(
            f"epub: every sentence and heading of {sections} sections lit in order as it is read"
        )
    return found
