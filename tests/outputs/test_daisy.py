"""DAISY 2.02 books: built from the one synthesis of the spoken version, read back by a validator
written here from the standard (independent of renderer.outputs.daisy.check_book), and the
product's own check shown to catch each kind of broken book."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from conftest import RATE, RecordingEngine, run_cli
from renderer.analysis.article import analyse
from renderer.analysis.sentences import split_sentences
from renderer.config import Options, SpeechOptions, parse_formats
from renderer.errors import UsageError
from renderer.model import (
    Article,
    Block,
    BlockKind,
    ListItem,
    Section,
    SectionKind,
    protected_passages,
)
from renderer.outputs.audio import AudioFiles, Speech, Tags, build_script, synthesise
from renderer.outputs.daisy import NCC, TEXT, BookInfo, audio_file, build_book, check_book
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.proof import missing_passages
from renderer.pipeline import Toolkit, render_file

XHTML = "{http://www.w3.org/1999/xhtml}"
INFO = BookInfo(
    title="Test leaflet",
    language="en",
    identifier="renderer-test",
    date="2026-11-21",
    creator="Unknown",
    publisher="Test clinic",
    narrator="stand-in voice",
    generator="renderer test",
)
RISK = (
    "Call your doctor if you feel dizzy. Do not drive for 24 hours. "
    "Stop taking it if a rash appears."
)
DISCLAIMER = "This leaflet is not medical advice. Talk to your doctor before you start."


def para(text: str, **kwargs: object) -> Block:
    return Block(BlockKind.PARAGRAPH, text=text, **kwargs)  # type: ignore[arg-type]


def leaflet() -> Article:
    return Article(
        "test.md",
        "Test leaflet",
        "en",
        (
            Section(0, None, (para("Welcome. This leaflet explains the treatment."),)),
            Section(
                1,
                "How to take it",
                (
                    para("Take one tablet each morning."),
                    Block(
                        BlockKind.LIST,
                        items=(ListItem("with water"), ListItem("after breakfast")),
                        ordered=True,
                    ),
                ),
            ),
            Section(2, "Doses", (), level=2),
            Section(3, "For children", (para("Children take half a tablet."),), level=3),
            Section(4, "Side effects", (para(RISK),), kind=SectionKind.RISK, protected=True),
            Section(5, None, (para(DISCLAIMER),), kind=SectionKind.DISCLAIMER, protected=True),
        ),
    )


def spoken_book(article: Article) -> tuple[dict[str, bytes], Speech, RecordingEngine]:
    """A book as the pipeline makes one: each section's MP3 written to its file as the script is
    spoken, then the text files; every file read back as bytes."""
    engine = RecordingEngine()
    script = build_script(article, split_sentences)
    tags = Tags(INFO.title, INFO.creator, INFO.language)
    titles = [chapter.title for chapter in script.chapters]
    with tempfile.TemporaryDirectory(prefix="book-") as folder:
        mp3s = [Path(folder) / audio_file(n) for n in range(len(titles))]
        with AudioFiles(engine.sample_rate, tags, titles) as files:
            files.sections([(mp3,) for mp3 in mp3s], "mp3")
            speech = synthesise(script, engine, load_lexicon(), RATE, files)
            files.finish(speech)
        book = build_book(script, speech, INFO, mp3s)
        read = {
            name: data if isinstance(data, bytes) else data.read_bytes()
            for name, data in book.items()
        }
    return read, speech, engine


def make_book(article: Article | None = None) -> tuple[dict[str, bytes], RecordingEngine]:
    files, _, engine = spoken_book(article or leaflet())
    return files, engine


# --- an independent reader: the standard's rules, written again from the specification -----


@dataclass
class Mp3:
    """What the MPEG frame headers of a file say: its bit rates and its length as a decoder
    plays it (every frame, encoder delay and padding included)."""

    bitrates: set[int]
    seconds: float


_BITRATES = {  # kbit/s of Layer III by bit-rate index: MPEG-1, and MPEG-2 and 2.5
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def read_mp3(data: bytes) -> Mp3:
    offset = 0
    if data[:3] == b"ID3":
        size = data[6:10]
        offset = 10 + (size[0] << 21 | size[1] << 14 | size[2] << 7 | size[3])
    bitrates: set[int] = set()
    samples = 0
    rate = 0
    while offset + 4 <= len(data):
        header = int.from_bytes(data[offset : offset + 4], "big")
        assert header >> 21 == 0x7FF, f"lost frame sync at byte {offset}"
        version, layer = header >> 19 & 3, header >> 17 & 3
        assert layer == 1, "not Layer III"
        kbps = _BITRATES[3 if version == 3 else 2][header >> 12 & 15]
        rate = _RATES[version][header >> 10 & 3]
        padding = header >> 9 & 1
        per_frame = 1152 if version == 3 else 576
        bitrates.add(kbps)
        samples += per_frame
        offset += per_frame // 8 * kbps * 1000 // rate + padding
    assert offset == len(data), "the file does not end on a frame boundary"
    return Mp3(bitrates, samples / rate)


def npt(value: str | None) -> float:
    match = re.fullmatch(r"npt=(\d+\.\d{3})s", value or "")
    assert match, f"not an npt= clock value to the millisecond: {value!r}"
    return float(match.group(1))


def hms(value: str) -> float:
    match = re.fullmatch(r"(\d\d):(\d\d):(\d\d\.\d{3})", value)
    assert match, f"not an hh:mm:ss.mmm clock value: {value!r}"
    return int(match.group(1)) * 3600 + int(match.group(2)) * 60 + float(match.group(3))


@dataclass
class Book:
    meta: dict[str, str]
    headings: list[tuple[int, str, str]]  # (level, text, href)
    texts: list[str] = field(default_factory=list)  # what the pars show, in playing order
    clip_seconds: float = 0.0


def read_book(files: dict[str, bytes]) -> Book:
    """Parse ncc.html and every SMIL the way a player would, asserting the standard's rules."""
    ncc = etree.fromstring(files[NCC])
    assert ncc.tag == f"{XHTML}html"
    meta = {m.get("name"): m.get("content") for m in ncc.iter(f"{XHTML}meta") if m.get("name")}
    body = ncc.find(f"{XHTML}body")
    headings = []
    for element in body:
        level = int(element.tag[-1])
        (link,) = element.findall(f"{XHTML}a")
        headings.append((level, "".join(element.itertext()), link.get("href")))
        assert element.get("id"), "every NCC heading has an id"
    first = body[0]
    assert first.tag == f"{XHTML}h1" and first.get("class") == "title"
    content = etree.fromstring(files[TEXT])
    by_id = {e.get("id"): "".join(e.itertext()) for e in content.iter() if e.get("id")}
    book = Book(meta, headings)
    elapsed = 0.0
    for _, _, href in headings:
        name, fragment = href.split("#")
        smil = etree.fromstring(files[name])
        assert smil.tag == "smil"
        ids = {e.get("id") for e in smil.iter()}
        assert fragment in ids, f"NCC link {href} resolves"
        smil_meta = {m.get("name"): m.get("content") for m in smil.iter("meta")}
        assert smil_meta["dc:format"] == "Daisy 2.02"
        (seq,) = smil.find("body")
        in_this = 0.0
        previous_end: dict[str, float] = {}
        for par in seq:
            assert par.tag == "par"
            (text,) = par.findall("text")
            target, anchor = text.get("src").split("#")
            assert target == TEXT and anchor in by_id
            book.texts.append(by_id[anchor])
            for audio in par.findall("audio"):
                src = audio.get("src")
                begin, end = npt(audio.get("clip-begin")), npt(audio.get("clip-end"))
                mp3 = read_mp3(files[src])
                assert begin < end <= mp3.seconds, f"{src} clip {begin}-{end} within the file"
                assert begin >= previous_end.get(src, 0.0), "clips are ordered, not overlapping"
                previous_end[src] = end
                in_this += end - begin
        assert hms(smil_meta["ncc:timeInThisSmil"]) == pytest.approx(in_this, abs=0.0005)
        assert hms(smil_meta["ncc:totalElapsedTime"]) == pytest.approx(elapsed, abs=0.0005)
        assert float(seq.get("dur").rstrip("s")) == pytest.approx(in_this, abs=0.0005)
        elapsed += in_this
    book.clip_seconds = elapsed
    return book


# --- the book built from a script ----------------------------------------------------------


def test_the_book_reads_as_the_standard_asks() -> None:
    files, _ = make_book()
    book = read_book(files)
    for name in [
        "dc:title",
        "dc:creator",
        "dc:date",
        "dc:format",
        "dc:identifier",
        "dc:language",
        "dc:publisher",
        "ncc:charset",
        "ncc:pageFront",
        "ncc:pageNormal",
        "ncc:pageSpecial",
        "ncc:tocItems",
        "ncc:totalTime",
        "ncc:multimediaType",
        "ncc:depth",
        "ncc:files",
        "ncc:narrator",
        "ncc:generator",
        "ncc:maxPageNormal",
        "ncc:setInfo",
    ]:
        assert book.meta.get(name), f"ncc.html states {name}"
    assert book.meta["dc:format"] == "Daisy 2.02"
    assert book.meta["ncc:multimediaType"] == "audioFullText"  # every sentence has its text
    assert book.meta["ncc:charset"] == "utf-8"
    assert int(book.meta["ncc:tocItems"]) == len(book.headings)
    assert int(book.meta["ncc:files"]) == len(files)
    assert hms(book.meta["ncc:totalTime"]) == pytest.approx(book.clip_seconds, abs=0.0005)
    # h1 for the title, h2 for sections, h3 for the sub-section, as the article nests them
    assert [(level, text) for level, text, _ in book.headings] == [
        (1, "Test leaflet"),
        (2, "Welcome"),
        (2, "How to take it"),
        (2, "Doses"),
        (3, "For children"),
        (2, "Side effects"),
        (2, "Disclaimer"),  # untitled, headed as the print version labels it
    ]
    assert book.meta["ncc:depth"] == "3"


def test_one_smil_and_one_constant_bit_rate_mp3_per_section() -> None:
    files, _ = make_book()
    book = read_book(files)
    smils = sorted(n for n in files if n.endswith(".smil"))
    mp3s = sorted(n for n in files if n.endswith(".mp3"))
    assert len(smils) == len(mp3s) == len(book.headings)
    for name in mp3s:
        assert read_mp3(files[name]).bitrates == {64}, f"{name} is CBR at 64 kbit/s"


def test_every_protected_passage_is_in_the_sentence_texts_whole_and_in_order() -> None:
    article = leaflet()
    files, _ = make_book(article)
    book = read_book(files)
    passages = protected_passages(article)
    assert len(passages) == 2
    assert missing_passages(passages, "\n".join(book.texts)) == []
    assert "Important safety information." in book.texts  # introduced as in the spoken version
    # each sentence is its own clip, in the order of the article
    risk = split_sentences(RISK)
    start = book.texts.index(risk[0])
    assert book.texts[start : start + len(risk)] == risk


def test_the_book_is_cut_from_the_one_synthesis() -> None:
    # (that the engine hears each sentence once is checked on a whole render, further down)
    files, speech, _ = spoken_book(leaflet())
    book = read_book(files)
    # every clip together is the whole spoken version, less MP3 framing at each file's edges
    assert book.clip_seconds == pytest.approx(speech.seconds, abs=0.15 * len(speech.chapters))


def test_the_same_script_gives_the_same_bytes() -> None:
    assert make_book()[0] == make_book()[0]


def test_markup_in_the_text_is_escaped_not_interpreted() -> None:
    tricky = 'Use <b>only</b> 5 & 10 mg; "never" double </span><script>x</script>'
    article = Article("t.md", "A & B <leaflet>", "en", (Section(0, "Doses", (para(tricky),)),))
    files, _ = make_book(article)
    book = read_book(files)
    assert book.headings[0][1] == "A & B <leaflet>"
    assert "".join(book.texts).count("<script>x</script>") == 1
    assert b"<script>" not in files[TEXT]


# --- the product's own check catches each kind of broken book ------------------------------


def test_check_book_passes_a_good_book() -> None:
    files, _ = make_book()
    check = check_book(files)
    assert check.problems == ()
    assert check.headings[0] == "Test leaflet"
    assert check.total_ms / 1000 == pytest.approx(read_book(files).clip_seconds, abs=0.0005)


def _sub(name: str, old: str, new: str, count: int = 1) -> Callable[[dict[str, bytes]], None]:
    def change(files: dict[str, bytes]) -> None:
        text = files[name].decode()
        assert old in text, f"{old!r} not in {name}"
        files[name] = text.replace(old, new, count).encode()

    return change


def _drop(name: str) -> Callable[[dict[str, bytes]], None]:
    def change(files: dict[str, bytes]) -> None:
        del files[name]

    return change


def _clip_past_the_end(files: dict[str, bytes]) -> None:
    text = files["s02.smil"].decode()
    last = re.findall(r'clip-end="npt=([\d.]+)s"', text)[-1]
    files["s02.smil"] = text.replace(f'clip-end="npt={last}s"', 'clip-end="npt=999.000s"').encode()


def _swap_two_clips(files: dict[str, bytes]) -> None:
    text = files["s02.smil"].decode()
    clips = re.findall(r'clip-begin="[^"]+" clip-end="[^"]+"', text)
    text = text.replace(clips[0], "@@").replace(clips[1], clips[0]).replace("@@", clips[1])
    files["s02.smil"] = text.encode()


BROKEN = {
    "no ncc.html": (_drop(NCC), "ncc.html is missing"),
    "no content.html": (_drop(TEXT), "content.html is missing"),
    "a missing MP3": (_drop("s03.mp3"), "which is missing"),
    "a missing SMIL": (_drop("s01.smil"), "links to s01.smil, which is missing"),
    "malformed XML": (_sub("s01.smil", "</seq>", ""), "not well-formed"),
    "no dc:identifier": (_sub(NCC, 'name="dc:identifier"', 'name="x"'), "dc:identifier"),
    "wrong dc:format": (_sub(NCC, 'content="Daisy 2.02"', 'content="Daisy 3"'), "dc:format"),
    "title not first": (_sub(NCC, 'class="title"', 'class="x"'), 'h1 class="title"'),
    "a skipped level": (_sub(NCC, "h3", "h5", count=2), "skips from h2 to h5"),
    "a dangling NCC link": (_sub(NCC, "s02.smil#x", "s02.smil#nowhere"), "leads to no element"),
    "a dangling text src": (_sub("s02.smil", "content.html#t", "content.html#gone"), "no element"),
    "a clip past the end": (_clip_past_the_end, "after s02.mp3 ends"),
    "clips out of order": (_swap_two_clips, "before the clip before it ends"),
    "a wrong totalTime": (
        _sub(NCC, 'name="ncc:totalTime" content="00', 'name="ncc:totalTime" content="01'),
        "ncc:totalTime",
    ),
    "a wrong elapsed time": (
        _sub(
            "s03.smil",
            'name="ncc:totalElapsedTime" content="00',
            'name="ncc:totalElapsedTime" content="02',
        ),
        "ncc:totalElapsedTime",
    ),
    "a wrong tocItems": (
        _sub(NCC, 'name="ncc:tocItems" content="', 'name="ncc:tocItems" content="9'),
        "ncc:tocItems",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_check_book_names_what_is_broken(case: str) -> None:
    files, _ = make_book()
    change, expected = BROKEN[case]
    change(files)
    problems = check_book(files).problems
    assert any(expected in p for p in problems), problems


# --- through the renderer: render, verify, and verify catching tampering ------------------


def test_formats_accept_daisy_and_keep_the_default() -> None:
    assert parse_formats("pdf,audio,daisy") == ("pdf", "audio", "daisy")
    assert parse_formats("daisy") == ("daisy",)
    assert Options().formats == ("pdf", "audio")
    assert Options(formats=("daisy",)).speaks
    assert not Options(formats=("pdf",)).speaks
    with pytest.raises(UsageError, match="pdf, audio, daisy"):
        parse_formats("braille")


def test_render_writes_book_beside_the_audio_from_one_synthesis(tmp_path: Path) -> None:
    source = tmp_path / "leaflet.md"
    source.write_text(
        "# Test leaflet\n\nTake one tablet each morning.\n\n## Side effects\n\n"
        f"{RISK}\n\n## Disclaimer\n\n{DISCLAIMER}\n",
        encoding="utf-8",
    )
    engine = RecordingEngine()
    options = Options(formats=("audio", "daisy"), speech=SpeechOptions(voice="gmw/en"))
    kit = Toolkit.load(options, engine)
    result = render_file(source, options, tmp_path / "out", "leaflet", kit)
    spoken = len(engine.texts)
    assert spoken == sum(len(line) for c in build_script_of(source) for line in c)
    folder = tmp_path / "out" / "leaflet"
    book = {p.name: p.read_bytes() for p in (folder / "daisy").iterdir()}
    assert check_book(book).problems == ()
    assert read_book(book).headings[-1][1] == "Disclaimer"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["outputs"]["daisy/ncc.html"]["headings"] == [
        "Test leaflet",
        "Take one tablet each morning",
        "Side effects",
        "Disclaimer",
    ]
    assert {"mp3", "transcript.txt", "daisy/ncc.html", "daisy/s03.mp3"} <= set(result.files)


def test_a_sentence_without_a_letter_still_gets_a_clip_of_its_own(tmp_path: Path) -> None:
    # A real leaflet's mangled Bulgarian ("????????") starts a line: nothing to say, and no
    # pause after it inside the line; its clip must still last, or the book is invalid.
    source = tmp_path / "leaflet.md"
    source.write_text("# Contacts\n\n???????? Call the clinic on weekdays.\n", encoding="utf-8")
    options = Options(formats=("daisy",))
    result = render_file(source, options, tmp_path, "c", Toolkit.load(options, RecordingEngine()))
    assert "daisy/ncc.html" in result.files


def build_script_of(source: Path) -> list[list[tuple[str, ...]]]:
    script = build_script(analyse(source, Options()), split_sentences)
    return [[line for block in chapter.blocks for line in block] for chapter in script.chapters]


def test_a_rerender_with_fewer_sections_leaves_no_stale_files(tmp_path: Path) -> None:
    source = tmp_path / "leaflet.md"
    source.write_text("# Leaflet\n\nOne.\n\n## Two\n\nTwo.\n\n## Three\n\nThree.\n", "utf-8")
    options = Options(formats=("daisy",))
    kit = Toolkit.load(options, RecordingEngine())
    render_file(source, options, tmp_path, "leaflet", kit)
    assert (tmp_path / "leaflet" / "daisy" / "s03.mp3").is_file()
    source.write_text("# Leaflet\n\nOne.\n\n## Two\n\nTwo.\n", "utf-8")
    render_file(source, options, tmp_path, "leaflet", kit)
    names = sorted(p.name for p in (tmp_path / "leaflet" / "daisy").iterdir())
    assert "s03.mp3" not in names and "s03.smil" not in names
    assert len(names) == 2 + 2 * 3  # ncc, content, and title + 2 sections


def test_outputs_no_longer_asked_for_go_and_other_files_stay(tmp_path: Path) -> None:
    source = tmp_path / "leaflet.md"
    source.write_text("# Leaflet\n\nOne.\n\n## Side effects\n\nYou may feel dizzy.\n", "utf-8")
    everything = Options(
        formats=("pdf", "audio", "daisy"), speech=SpeechOptions(audio_format="wav")
    )
    kit = Toolkit.load(everything, RecordingEngine())
    render_file(source, everything, tmp_path, "leaflet", kit)
    folder = tmp_path / "leaflet"
    (folder / "daisy" / "notes.txt").write_text("the clinic's own", "utf-8")
    assert (folder / "leaflet.wav").is_file()
    render_file(source, Options(formats=("pdf",)), tmp_path, "leaflet", kit)
    left = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert left == ["daisy/notes.txt", "leaflet.pdf", "manifest.json"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short article with a risk section and a disclaimer, rendered with the real engine."""
    folder = tmp_path_factory.mktemp("daisy")
    source = folder / "leaflet.md"
    source.write_text(
        "# Test leaflet\n\nTake one tablet each morning.\n\n## Side effects\n\n"
        f"{RISK}\n\n## Disclaimer\n\n{DISCLAIMER}\n",
        encoding="utf-8",
    )
    from renderer.cli import main

    out = folder / "out"
    assert (
        main(["render", str(source), "-o", str(out), "--formats", "pdf,audio,daisy", "--quiet"])
        == 0
    )
    return out


def test_real_engine_book_passes_both_validators_and_verify(
    rendered: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book_folder = rendered / "leaflet" / "daisy"
    files = {p.name: p.read_bytes() for p in book_folder.iterdir()}
    book = read_book(files)
    assert [h[1] for h in book.headings] == [
        "Test leaflet",
        "Take one tablet each morning",
        "Side effects",
        "Disclaimer",
    ]
    manifest = json.loads((rendered / "leaflet" / "manifest.json").read_text())
    # the book's clips play the whole spoken version: as long as the MP3, less its framing
    # (each section's MP3 adds lame's delay and pads its last frame: up to about 0.1 s a file)
    slack = 0.1 * len(book.headings)
    assert book.clip_seconds == pytest.approx(manifest["outputs"]["mp3"]["seconds"], abs=slack)
    code, out, _ = run_cli(["verify", str(rendered)], capsys)
    assert code == 0, out


def _copy(rendered: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(rendered, target)
    return target


def _resign(folder: Path, kind: str) -> None:
    """Record a changed file's new checksum, as someone covering their tracks would."""
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    data = (folder / manifest["outputs"][kind]["path"]).read_bytes()
    manifest["outputs"][kind].update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    manifest_path.write_text(json.dumps(manifest), "utf-8")


def test_verify_catches_a_protected_sentence_reworded_in_the_book(
    rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _copy(rendered, tmp_path)
    content = out / "leaflet" / "daisy" / TEXT
    content.write_text(content.read_text().replace("Do not drive", "Do drive"), "utf-8")
    _resign(out / "leaflet", "daisy/content.html")
    code, _, out_text = run_cli(["verify", str(out)], capsys)
    assert code == 1
    assert "daisy/ncc.html: risk text of section" in out_text


def test_verify_catches_a_missing_section_mp3(
    rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _copy(rendered, tmp_path)
    (out / "leaflet" / "daisy" / "s02.mp3").unlink()
    code, _, out_text = run_cli(["verify", str(out)], capsys)
    assert code == 1
    assert "daisy/s02.mp3: is missing" in out_text
    assert "plays 's02.mp3', which is missing" in out_text


def test_verify_catches_a_clip_moved_past_the_end(
    rendered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _copy(rendered, tmp_path)
    smil = out / "leaflet" / "daisy" / "s02.smil"
    text = smil.read_text()
    last = re.findall(r'clip-end="npt=([\d.]+)s"', text)[-1]
    smil.write_text(text.replace(f"npt={last}s", "npt=999.000s"), "utf-8")
    _resign(out / "leaflet", "daisy/s02.smil")
    code, _, out_text = run_cli(["verify", str(out)], capsys)
    assert code == 1
    assert "after s02.mp3 ends" in out_text


def test_split_audio_and_the_book_share_one_encoding_per_section(tmp_path: Path) -> None:
    source = tmp_path / "leaflet.md"
    source.write_text("# Leaflet\n\nOne.\n\n## Two\n\nTwo.\n", "utf-8")
    speech = SpeechOptions(split=True)
    options = Options(formats=("audio", "daisy"), speech=speech)
    render_file(source, options, tmp_path, "leaflet", Toolkit.load(options, RecordingEngine()))
    folder = tmp_path / "leaflet"
    split = [p.read_bytes() for p in sorted((folder / "sections").iterdir())]
    book = [p.read_bytes() for p in sorted((folder / "daisy").glob("s*.mp3"))]
    assert len(split) == 3 and split == book
