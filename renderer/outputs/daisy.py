"""DAISY 2.02 talking books, made from the spoken version's script and speech (never a second
synthesis), and the reader that checks one.

A book is a flat folder: `ncc.html` (the navigation centre: the metadata and one heading per
section, each linking into its SMIL file), `content.html` (the text, each sentence in its own
element), and per section one SMIL 1.0 file and one constant-bit-rate MP3. Each SMIL `par`
pairs a heading or a sentence of `content.html` with its clip of the section's MP3, so a player
jumps by heading, and one that shows text highlights the sentence being read.

Because every sentence has its text, the book is, in the standard's terms, "full audio and full
text" (`ncc:multimediaType` audioFullText): in an "audio with NCC" book a clip could only point
at a heading. Players that only play audio follow the NCC and the SMIL files as for any book.

Another book format (EPUB 3 with media overlays, say) would be one more module like this one:
it needs only the Script, the Speech and its clips.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from lxml import etree

from renderer.outputs.audio import (
    Clip,
    Script,
    Speech,
    SpokenSection,
    chapter_seconds,
    read_audio,
)
from renderer.outputs.speech import SpeechError

FOLDER = "daisy"
NCC = "ncc.html"
TEXT = "content.html"
FORMAT = "Daisy 2.02"
MULTIMEDIA_TYPE = "audioFullText"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
_SMIL_DOCTYPE = (
    '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
)
# What the NCC must say of the book (DAISY 2.02, appendix 2, and what this book states).
NCC_METADATA = (
    "dc:title",
    "dc:creator",
    "dc:date",
    "dc:format",
    "dc:identifier",
    "dc:language",
    "dc:publisher",
    "ncc:charset",
    "ncc:depth",
    "ncc:files",
    "ncc:generator",
    "ncc:maxPageNormal",
    "ncc:multimediaType",
    "ncc:narrator",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:setInfo",
    "ncc:tocItems",
    "ncc:totalTime",
)
SMIL_METADATA = ("dc:format", "dc:identifier", "dc:title", "ncc:timeInThisSmil")
# Characters XML 1.0 cannot hold at all; a loader keeps none of them, this is the last guard.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NPT = re.compile(r"npt=(\d+(?:\.\d+)?)s")
_CLOCK = re.compile(r"(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)")


@dataclass(frozen=True)
class BookInfo:
    """What the NCC says of the book besides its sections."""

    title: str
    language: str
    identifier: str  # stable for the same words, so a player keeps its place across re-renders
    date: str  # yyyy-mm-dd
    creator: str
    publisher: str
    narrator: str  # the synthetic voice
    generator: str


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def clock(ms: int) -> str:
    """A SMIL clock value to the millisecond: 01:02:03.456."""
    seconds, milli = divmod(ms, 1000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}.{milli:03d}"


def _npt(ms: int) -> str:
    return f"npt={ms // 1000}.{ms % 1000:03d}s"


def _e(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _meta(name: str, content: str, scheme: str | None = None) -> str:
    extra = f' scheme="{_e(scheme)}"' if scheme else ""
    return f'<meta name="{name}" content="{_e(content)}"{extra} />'


@dataclass(frozen=True)
class _Par:
    text_id: str  # the element of content.html
    text: str
    begin: int  # milliseconds in the section's MP3
    end: int
    line: tuple[int, int] = (0, 0)  # (block, line) of the chapter: sentences of a line share a <p>


@dataclass(frozen=True)
class _Section:
    number: int
    chapter: SpokenSection
    level: int
    mp3: bytes
    pars: tuple[_Par, ...]

    @property
    def smil(self) -> str:
        return f"s{self.number:02d}.smil"

    @property
    def audio(self) -> str:
        return f"s{self.number:02d}.mp3"

    @property
    def ms(self) -> int:
        return self.pars[-1].end


def _levels(chapters: Sequence[SpokenSection]) -> list[int]:
    """h1 for the title, then each section at its level, never more than one below the one
    before (an NCC's headings may not skip a level) and never past h6."""
    levels: list[int] = []
    for chapter in chapters:
        level = 1 if not levels else max(2, min(chapter.level, levels[-1] + 1, 6))
        levels.append(level)
    return levels


def _sections(script: Script, speech: Speech, mp3s: Sequence[bytes]) -> list[_Section]:
    by_chapter: dict[int, list[Clip]] = {}
    for clip in speech.clips:
        by_chapter.setdefault(clip.chapter, []).append(clip)
    rate = speech.sample_rate
    counter = itertools.count()
    sections = []
    levels = _levels(script.chapters)
    chapters = zip(script.chapters, speech.chapters, mp3s, strict=True)
    for number, (chapter, timing, mp3) in enumerate(chapters):

        def at(sample: int, start: int = timing.start) -> int:  # ms in the section's MP3
            return _ms(chapter_seconds(sample - start, rate, "mp3"))

        # The file ends where its last sample plays, lame's delay counted, but never past what
        # a player reads as its length.
        length = min(at(timing.end), math.floor(read_audio(mp3, "mp3").seconds * 1000))
        clips = by_chapter.get(number, [])
        # The announcement ("Section 2 of 5: Side effects.") is the heading's clip; the text
        # shown with it is the heading itself.
        announcement = [c for c in clips if (c.block, c.line) == (0, 0)]
        rest = [c for c in clips if (c.block, c.line) != (0, 0)]
        if not announcement:
            raise SpeechError(f"section {chapter.title!r} has no announcement to head it")
        edges = [at(c.start) for c in rest] + [length]
        pars = [_Par(f"t{next(counter):04d}", chapter.title, 0, edges[0])]
        for clip, begin, end in zip(rest, edges, edges[1:], strict=False):
            place = (clip.block, clip.line)
            pars.append(_Par(f"t{next(counter):04d}", clip.text, begin, end, place))
        sections.append(_Section(number, chapter, levels[number], mp3, tuple(pars)))
    return sections


def build_book(
    script: Script, speech: Speech, info: BookInfo, mp3s: Sequence[bytes]
) -> dict[str, bytes]:
    """The book's files by name: ncc.html, content.html, and sNN.smil and sNN.mp3 per section.
    `mp3s` are the sections' MP3s (audio.encode_sections), made once for --split-audio too."""
    sections = _sections(script, speech, mp3s)
    files: dict[str, bytes] = {}
    elapsed = 0
    for section in sections:
        files[section.smil] = _smil(section, info, elapsed).encode("utf-8")
        files[section.audio] = section.mp3
        elapsed += section.ms
    files[TEXT] = _content(sections, info).encode("utf-8")
    ncc = _ncc(sections, info, elapsed, len(files) + 1)
    return {NCC: ncc.encode("utf-8"), **files}


def _head(title: str, info: BookInfo) -> str:
    lang = _e(info.language)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"{_XHTML_DOCTYPE}\n"
        f'<html xmlns="{XHTML_NS}" xml:lang="{lang}" lang="{lang}">\n'
        "<head>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        f"<title>{_e(title)}</title>\n"
    )


def _ncc(sections: Sequence[_Section], info: BookInfo, total_ms: int, files: int) -> str:
    values = {
        "dc:title": info.title,
        "dc:creator": info.creator,
        "dc:date": info.date,
        "dc:format": FORMAT,
        "dc:identifier": info.identifier,
        "dc:language": info.language,
        "dc:publisher": info.publisher,
        "ncc:charset": "utf-8",
        "ncc:depth": str(max(s.level for s in sections)),
        "ncc:files": str(files),
        "ncc:generator": info.generator,
        "ncc:maxPageNormal": "0",
        "ncc:multimediaType": MULTIMEDIA_TYPE,
        "ncc:narrator": info.narrator,
        "ncc:pageFront": "0",
        "ncc:pageNormal": "0",
        "ncc:pageSpecial": "0",
        "ncc:setInfo": "1 of 1",
        "ncc:tocItems": str(len(sections)),
        "ncc:totalTime": clock(total_ms),
    }
    schemes = {"dc:date": "yyyy-mm-dd", "dc:language": "ISO 639", "ncc:totalTime": "hh:mm:ss"}
    head = "".join(_meta(name, values[name], schemes.get(name)) + "\n" for name in NCC_METADATA)
    body = []
    for s in sections:
        title_class = ' class="title"' if s.number == 0 else ""
        link = f"{s.smil}#x{s.pars[0].text_id[1:]}"
        body.append(
            f'<h{s.level}{title_class} id="n{s.number:02d}"><a href="{link}">'
            f"{_e(s.chapter.title)}</a></h{s.level}>\n"
        )
    return (
        _head(info.title, info) + head + "</head>\n<body>\n" + "".join(body) + "</body>\n</html>\n"
    )


def _content(sections: Sequence[_Section], info: BookInfo) -> str:
    """The text a player shows while it reads: headings, then a paragraph per spoken line, each
    sentence in its own element for the SMIL files to point at."""
    style = (
        "<style type=\"text/css\">body { font-family: 'Tiresias LPfont', Verdana, sans-serif; "
        "font-size: 150%; line-height: 1.5; max-width: 40em; margin: 1em auto; "
        "color: #000; background: #fff; }</style>\n"
    )
    meta = (_meta("dc:title", info.title), _meta("dc:identifier", info.identifier))
    parts = [_head(info.title, info), *(m + "\n" for m in meta), style, "</head>\n<body>\n"]
    for section in sections:
        heading = section.pars[0]
        level = section.level
        parts.append(f'<h{level} id="{heading.text_id}">{_e(heading.text)}</h{level}>\n')
        for _, line in itertools.groupby(section.pars[1:], key=lambda par: par.line):
            inner = " ".join(f'<span id="{p.text_id}">{_e(p.text)}</span>' for p in line)
            parts.append(f"<p>{inner}</p>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _smil(section: _Section, info: BookInfo, elapsed_ms: int) -> str:
    meta = {
        "dc:format": FORMAT,
        "dc:identifier": info.identifier,
        "dc:title": info.title,
        "ncc:generator": info.generator,
        "ncc:timeInThisSmil": clock(section.ms),
        "ncc:totalElapsedTime": clock(elapsed_ms),
        "title": section.chapter.title,
    }
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        _SMIL_DOCTYPE,
        "<smil>",
        "<head>",
        *(_meta(name, value) for name, value in meta.items()),
        '<layout><region id="txtView" /></layout>',
        "</head>",
        "<body>",
        f'<seq dur="{section.ms / 1000:.3f}s">',
    ]
    for par in section.pars:
        n = par.text_id[1:]
        lines += [
            f'<par endsync="last" id="p{n}">',
            f'<text src="{TEXT}#{par.text_id}" id="x{n}" />',
            f'<audio src="{section.audio}" clip-begin="{_npt(par.begin)}" '
            f'clip-end="{_npt(par.end)}" id="a{n}" />',
            "</par>",
        ]
    lines += ["</seq>", "</body>", "</smil>", ""]
    return "\n".join(lines)


# --- reading a book back ------------------------------------------------------------------


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
    return _ms(int(hours) * 3600 + int(minutes) * 60 + float(seconds))


def _npt_ms(value: str | None) -> int | None:
    match = _NPT.fullmatch(value or "")
    return _ms(float(match.group(1))) if match else None


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
            durations[src] = read_audio(reading.files[src], "mp3").seconds
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
