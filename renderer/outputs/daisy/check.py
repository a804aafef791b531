"""Checking a DAISY 2.02 book from its files alone, as a player would read it: the structure the
standard asks for, and the book's own claims of its times and files."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from lxml import etree

from renderer.manifest import BookOutput
from renderer.outputs.audio import read_audio
from renderer.outputs.daisy.standard import (
    FORMAT,
    NCC,
    NCC_METADATA,
    SMIL_METADATA,
    TEXT,
    XHTML_NS,
    clock,
    milliseconds,
)
from renderer.outputs.files import FileMap
from renderer.outputs.proof import Expected, Findings, book_claims
from renderer.outputs.speech import SpeechError

_NPT = re.compile(r"npt=(\d+(?:\.\d+)?)s")
_CLOCK = re.compile(r"(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)")


@dataclass(frozen=True)
class BookCheck:
    """What a book's files say of themselves, and what is wrong with them."""

    problems: tuple[str, ...]
    headings: tuple[str, ...]  # the NCC's, in order
    text: str  # every heading and sentence the SMIL files pair with audio, in playing order
    total_ms: int  # the sum of all clips


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _parse(name: str, data: bytes, problems: list[str]) -> etree._Element | None:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        problems.append(f"{name} is not well-formed XML: {exc}")
        return None


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (e for e in element.iter() if _local(e) == name)


def _metadata(root: etree._Element) -> dict[str, str]:
    return {
        str(m.get("name")): str(m.get("content", ""))
        for m in _children(root, "meta")
        if m.get("name")
    }


def _clock_ms(value: str) -> int | None:
    match = _CLOCK.fullmatch(value)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return milliseconds(int(hours) * 3600 + int(minutes) * 60 + float(seconds))


def _npt_ms(value: str | None) -> int | None:
    match = _NPT.fullmatch(value or "")
    return milliseconds(float(match.group(1))) if match else None


def _split_link(link: str) -> tuple[str, str]:
    name, _, fragment = link.partition("#")
    return name, fragment


def check_book(files: Mapping[str, bytes]) -> BookCheck:
    """Read a book from its files (name to bytes) and check it against the standard's rules
    and its own claims: well-formed XML, the NCC's metadata, a title heading first and no
    skipped levels, every link and `src` resolving, every clip inside its MP3 and clips of a
    file in order without overlap, and the times of the SMIL files and the NCC adding up."""
    reading = _Reading(files)
    ncc_data = files.get(NCC)
    if ncc_data is None:
        return BookCheck((f"{NCC} is missing",), (), "", 0)
    ncc = _parse(NCC, ncc_data, reading.problems)
    if TEXT not in files:
        reading.problems.append(f"{TEXT} is missing")
    elif (content := _parse(TEXT, files[TEXT], reading.problems)) is not None:
        reading.texts = {
            str(e.get("id")): " ".join("".join(e.itertext()).split())
            for e in content.iter()
            if e.get("id")
        }
    if ncc is None:
        return BookCheck(tuple(reading.problems), (), "", 0)
    meta, headings = _check_ncc(ncc, reading.problems)
    smils = _linked_smils(headings, reading)
    elapsed = 0
    for name, root in smils.items():
        elapsed += _check_smil(name, root, elapsed, reading) if root is not None else 0
    _claims_clock(NCC, meta, "ncc:totalTime", elapsed, reading.problems)
    _claims(meta, "ncc:files", len(reading.referenced), reading.problems)
    titles = tuple(" ".join("".join(h.itertext()).split()) for h in headings)
    return BookCheck(tuple(reading.problems), titles, "\n".join(reading.spoken), elapsed)


@dataclass
class _Reading:
    """What check_book gathers as it reads a book."""

    files: Mapping[str, bytes]
    texts: dict[str, str] = field(default_factory=dict)  # content.html's elements by id
    problems: list[str] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)  # the texts the pars show, in order
    referenced: set[str] = field(default_factory=lambda: {NCC, TEXT})
    durations: dict[str, float] = field(default_factory=dict)  # each MP3's, in seconds


def _check_ncc(
    ncc: etree._Element, problems: list[str]
) -> tuple[dict[str, str], list[etree._Element]]:
    """The NCC's metadata and headings, checked: required names, format, XHTML, a title
    heading first, no skipped level, and the counts it states."""
    meta = _metadata(ncc)
    missing = [name for name in NCC_METADATA if not meta.get(name)]
    if missing:
        problems.append(f"{NCC} lacks the metadata {', '.join(missing)}")
    if meta.get("dc:format") != FORMAT:
        problems.append(f"{NCC}: dc:format is {meta.get('dc:format')!r}, not {FORMAT!r}")
    if ncc.tag != f"{{{XHTML_NS}}}html":
        problems.append(f"{NCC} is not XHTML (its root is {ncc.tag!r})")
    body = next(_children(ncc, "body"), None)
    headings = [e for e in (body if body is not None else ()) if re.fullmatch(r"h[1-6]", _local(e))]
    if not headings or _local(headings[0]) != "h1" or headings[0].get("class") != "title":
        problems.append(f'{NCC}: the first heading is not <h1 class="title">')
    levels = [int(_local(h)[1]) for h in headings]
    for (a, b), heading in zip(itertools.pairwise(levels), headings[1:], strict=False):
        if b > a + 1:
            problems.append(f"{NCC}: heading {heading.get('id')!r} skips from h{a} to h{b}")
    _claims(meta, "ncc:tocItems", len(headings), problems)
    _claims(meta, "ncc:depth", max(levels, default=0), problems)
    return meta, headings


def _linked_smils(
    headings: Sequence[etree._Element], reading: _Reading
) -> dict[str, etree._Element | None]:
    """The SMIL files the headings link to, parsed, in the order the NCC reaches them (None
    for one missing or malformed), each heading's one link checked to lead to an element."""
    smils: dict[str, etree._Element | None] = {}
    for heading in headings:
        links = list(_children(heading, "a"))
        if len(links) != 1 or not links[0].get("href"):
            reading.problems.append(f"{NCC}: heading {heading.get('id')!r} needs exactly one link")
            continue
        href = str(links[0].get("href"))
        name, fragment = _split_link(href)
        if name not in smils:
            reading.referenced.add(name)
            if name not in reading.files:
                reading.problems.append(f"{NCC} links to {name}, which is missing")
                smils[name] = None
            else:
                smils[name] = _parse(name, reading.files[name], reading.problems)
        root = smils[name]
        if root is not None and not any(e.get("id") == fragment for e in root.iter()):
            reading.problems.append(f"{NCC}: link {href!r} leads to no element")
    return smils


def _check_smil(name: str, root: etree._Element, elapsed: int, reading: _Reading) -> int:
    """Check one SMIL file's metadata, pars and clips; its length in ms (the sum of its clips)."""
    problems = reading.problems
    smil_meta = _metadata(root)
    absent = [m for m in SMIL_METADATA if not smil_meta.get(m)]
    if absent:
        problems.append(f"{name} lacks the metadata {', '.join(absent)}")
    ms = 0
    last_end: dict[str, int] = {}
    for par in _children(root, "par"):
        for text in _children(par, "text"):
            target, fragment = _split_link(str(text.get("src", "")))
            if target != TEXT or fragment not in reading.texts:
                problems.append(f"{name}: text {text.get('src')!r} leads to no element")
            else:
                reading.spoken.append(reading.texts[fragment])
        clips = list(_children(par, "audio"))
        if not clips:
            problems.append(f"{name}: par {par.get('id')!r} has no audio")
        for audio in clips:
            ms += _check_clip(name, audio, reading, last_end)
            reading.referenced.add(str(audio.get("src")))
    seq = next(_children(root, "seq"), None)
    dur = _npt_ms("npt=" + str(seq.get("dur", ""))) if seq is not None else None
    if dur != ms:
        problems.append(f"{name}: its seq lasts {dur} ms, its clips {ms} ms")
    _claims_clock(name, smil_meta, "ncc:timeInThisSmil", ms, problems)
    _claims_clock(name, smil_meta, "ncc:totalElapsedTime", elapsed, problems)
    return ms


def _check_clip(
    name: str, audio: etree._Element, reading: _Reading, last_end: dict[str, int]
) -> int:
    """The clip's length in ms (0 when it is wrong, with the reason in the problems)."""
    problems, durations = reading.problems, reading.durations
    src = str(audio.get("src", ""))
    begin, end = _npt_ms(audio.get("clip-begin")), _npt_ms(audio.get("clip-end"))
    where = f"{name}: clip {audio.get('id')!r}"
    if src not in reading.files:
        problems.append(f"{where} plays {src!r}, which is missing")
        return 0
    if begin is None or end is None or end <= begin:
        problems.append(f"{where} has no valid clip-begin and clip-end")
        return 0
    if src not in durations:
        try:
            files = reading.files
            audio = files.path(src) if isinstance(files, FileMap) else files[src]
            durations[src] = read_audio(audio, "mp3").seconds
        except SpeechError as exc:
            problems.append(f"{src}: {exc.message}")
            durations[src] = 0.0
    if end > durations[src] * 1000 + 1:  # a millisecond of rounding
        problems.append(f"{where} ends at {end} ms, after {src} ends ({durations[src]:.3f} s)")
    if begin < last_end.get(src, 0):
        problems.append(f"{where} starts at {begin} ms, before the clip before it ends")
    last_end[src] = end
    return end - begin


def _claims(meta: Mapping[str, str], name: str, actual: int, problems: list[str]) -> None:
    if name in meta and meta[name] != str(actual):
        problems.append(f"{NCC}: {name} says {meta[name]}, the book has {actual}")


def _claims_clock(
    where: str, meta: Mapping[str, str], name: str, actual_ms: int, problems: list[str]
) -> None:
    said = _clock_ms(meta.get(name, ""))
    if said != actual_ms:
        problems.append(
            f"{where}: {name} says {meta.get(name)!r}, the clips add up to {clock(actual_ms)}"
        )


def claimed_ms(ncc: bytes) -> int:
    """The length a book's NCC claims for the whole book (ncc:totalTime), in milliseconds; 0
    when it claims none (check_book says what is wrong with it)."""
    problems: list[str] = []
    root = _parse(NCC, ncc, problems)
    if root is None:
        return 0
    return _clock_ms(_metadata(root).get("ncc:totalTime", "")) or 0


def prove_book(
    files: Mapping[str, bytes], entry: BookOutput | None, expected: Expected
) -> Findings:
    """The DAISY book read as a player would (check_book: its structure and times), its
    headings and length against the manifest, and every protected passage, sentence and
    heading in the text its clips read."""
    found = Findings()
    check = check_book(files)
    found.add(check.problems)
    if entry is None:
        return found
    found.add(book_claims(check.headings, check.total_ms, entry))
    passed = not found.problems
    found.text_holds(expected, expected.text.spoken, check.text, "daisy")
    if passed and not found.problems:
        found.proved.insert(
            0,
            f"daisy: {len(entry.headings)} headings, {entry.files} files, "
            f"{check.total_ms / 1000:.1f} s of clips",
        )
    return found
