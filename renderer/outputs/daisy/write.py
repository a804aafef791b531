"""Writing a DAISY 2.02 book: its NCC, its text and a SMIL file per section, from the script,
the speech's clips and the sections' MP3s."""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from renderer.outputs.audio import (
    Clip,
    Script,
    Speech,
    SpokenSection,
    chapter_seconds,
    read_audio,
)
from renderer.outputs.daisy.standard import (
    FORMAT,
    MULTIMEDIA_TYPE,
    NCC,
    NCC_METADATA,
    TEXT,
    XHTML_NS,
    clock,
    milliseconds,
)
from renderer.outputs.speech import SpeechError

_XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
_SMIL_DOCTYPE = (
    '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
)
# Characters XML 1.0 cannot hold at all; a loader keeps none of them, this is the last guard.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    mp3: Path
    pars: tuple[_Par, ...]

    @property
    def smil(self) -> str:
        return f"s{self.number:02d}.smil"

    @property
    def audio(self) -> str:
        return audio_file(self.number)

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


def audio_file(number: int) -> str:
    """The name in the book of section `number`'s MP3."""
    return f"s{number:02d}.mp3"


def _sections(script: Script, speech: Speech, mp3s: Sequence[Path]) -> list[_Section]:
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
            return milliseconds(chapter_seconds(sample - start, rate, "mp3"))

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
    script: Script, speech: Speech, info: BookInfo, mp3s: Sequence[Path]
) -> dict[str, bytes | Path]:
    """The book's files by name, in the book's order: ncc.html, sNN.smil and sNN.mp3 per
    section, content.html. `mp3s` are the sections' MP3 files (audio.AudioFiles wrote them as
    they were spoken, once for --split-audio too), to be named `audio_file(n)` in the book: they
    are read for their lengths, and given back as they are; the text files are made here."""
    sections = _sections(script, speech, mp3s)
    files: dict[str, bytes | Path] = {}
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
