"""Hostile input through `renderer render`: every case ends in a correct render, or in one line on
stderr naming the file and the cause with exit code 1. Never a traceback, a hang, a file outside
the output folder, or a half-written file under a final name; the good articles of a batch are
rendered whatever the bad ones hold.

Inputs are made by the tests in a temporary folder, which is also the working folder, so that
every path in a message is short and known, and a file name that a shell would run as a command
("$(touch pwned)") would leave its mark there if anything ran it.
"""

from __future__ import annotations

import codecs
import errno
import io
import json
import os
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from conftest import assert_outputs_match_manifests, run_cli
from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.model import comparable_text, protected_passages
from renderer.outputs.fonts import MISSING_GLYPH_MARKER, resolve_fonts
from renderer.outputs.pdf.text import body_text, pdf_pages
from renderer.outputs.proof import missing_passages

CUES = load_cues()
OUT = Path("out")
# Text as the PDF can show it with the fonts of this machine (a CI machine may have fewer).
printable = resolve_fonts().printable
GOOD = (
    "# Rest\n\nThis leaflet is about rest. Drink water and rest.\n\n"
    "## Side effects\n\nYou may feel dizzy for an hour. Sit down until it passes.\n"
)
# What the loaders say of a file that holds no article; each case below must give one of these.
EMPTY = "no text (the file is empty or holds only white space)"
BINARY = "not a text file (binary or undecodable content)"
NOTHING = "no text (nothing readable was found in the file)"
LONG_WORD = "Supercalifragilistic" * 20  # 400 characters, nowhere to break it
TITLE_SCALE = 1.67  # pdf.py: the title is the largest type on the page, 1.67 times body size


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    Path("in").mkdir()
    yield tmp_path
    assert not any(p.name == "pwned" for p in tmp_path.rglob("*")), "a file name was run"


# -- helpers -------------------------------------------------------------------------------------


def write(name: str, content: str | bytes) -> Path:
    path = Path("in") / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def render(
    capsys: pytest.CaptureFixture[str], *args: str | Path, formats: str = "pdf", jobs: int = 1
) -> tuple[int, list[str]]:
    """`renderer render ARGS -o out`: the exit code and the error lines on stderr (warnings
    and notes left out), after checking that nothing went wrong the way no case may."""
    command = ["render", "-o", str(OUT), "--formats", formats, "--jobs", str(jobs)]
    code, _, stderr = run_cli([*command, *map(str, args)], capsys)
    assert "Traceback" not in stderr and "unexpected" not in stderr, stderr
    assert_tidy(OUT)
    errors = [
        line
        for line in stderr.splitlines()
        if not line.startswith(("renderer: warning: ", "renderer: note: "))
    ]
    return code, errors


def assert_tidy(out: Path) -> None:
    """Nothing outside the output folder, no temporary file left, and every file under a final
    name complete: each manifest's files have the size and checksum it records."""
    if not out.exists():
        return
    inside = out.resolve()
    for path in out.rglob("*"):
        assert inside in path.resolve().parents, path
        assert not path.name.endswith(".part"), path
    assert_outputs_match_manifests(out)


def rendered(slug: str, *kinds: str) -> bool:
    folder = OUT / slug
    return (folder / "manifest.json").is_file() and all(
        (folder / f"{slug}.{kind}").is_file() for kind in kinds or ("pdf",)
    )


def pdf_text(slug: str) -> str:
    """The PDF's text as the guarantee compares it (NFKC, white space collapsed)."""
    return comparable_text(" ".join(pdf_pages((OUT / slug / f"{slug}.pdf").read_bytes())))


def pdf_entry(slug: str) -> dict[str, Any]:
    """What the manifest says of the PDF: its footer, the characters it could not show ..."""
    entry: dict[str, Any] = json.loads((OUT / slug / "manifest.json").read_text("utf-8"))[
        "outputs"
    ]["pdf"]
    return entry


def pdf_body(slug: str) -> str:
    """The PDF's text without the running footer and "continued" labels, as the proof reads it."""
    pages = pdf_pages((OUT / slug / f"{slug}.pdf").read_bytes())
    return body_text(pages, pdf_entry(slug)["footer"])


def squeeze(text: str) -> str:
    # A line break may fall inside a long word: compare without any white space.
    return "".join(comparable_text(text).split())


def pdf_objects(slug: str) -> tuple[int, int, float]:
    """Images, annotations (links among them) and the largest type size in the PDF."""
    document = pdfium.PdfDocument((OUT / slug / f"{slug}.pdf").read_bytes())
    images = annotations = 0
    largest = 0.0
    try:
        for page in document:
            images += len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])))
            annotations += pdfium_c.FPDFPage_GetAnnotCount(page.raw)
            textpage = page.get_textpage()
            for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
                largest = max(largest, pdfium_c.FPDFText_GetFontSize(textpage.raw, i))
            textpage.close()
            page.close()
    finally:
        document.close()
    return images, annotations, largest


def png_bytes() -> bytes:
    """A real one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("leaflet.txt", GOOD)
    return buffer.getvalue()


# -- inputs that are no article: one line each, and the good article beside them rendered ----------

NO_ARTICLE = [
    ("empty.md", b"", EMPTY),
    ("blank.txt", b"  \n\t\r\n   \n", EMPTY),
    ("bom-only.md", codecs.BOM_UTF8 + b"\r\n", EMPTY),
    ("random.txt", random.Random(6).randbytes(4096), BINARY),
    ("picture.md", png_bytes(), BINARY),
    ("picture.txt", png_bytes(), BINARY),
    ("archive.html", zip_bytes(), BINARY),
    ("nul.txt", b"Some text\x00 with a NUL byte in it.\n", BINARY),
    ("bad-utf16.txt", codecs.BOM_UTF16_LE + "Text ".encode("utf-16-le") + b"\x00\xd8", BINARY),
    (
        "scripts-only.html",
        b"<html><body><script>go()</script><nav>Home</nav></body></html>",
        NOTHING,
    ),
    ("markup-only.md", b"<div></div>\n\n<!-- nothing -->\n", NOTHING),
]


@pytest.mark.parametrize(("name", "content", "cause"), NO_ARTICLE, ids=[c[0] for c in NO_ARTICLE])
def test_an_input_that_is_no_article_is_one_line(
    capsys: pytest.CaptureFixture[str], name: str, content: bytes, cause: str
) -> None:
    bad, good = write(name, content), write("good.md", GOOD)
    code, errors = render(capsys, bad, good)
    assert (code, errors) == (1, [f"renderer: {bad}: {cause}"])
    assert rendered("good")
    assert [p.name for p in OUT.iterdir() if p.is_dir()] == ["good"]


def test_a_batch_of_bad_files_and_one_good_one(capsys: pytest.CaptureFixture[str]) -> None:
    for name, content, _ in NO_ARTICLE:
        write(name, content)
    write("missing-here.md", GOOD).unlink()
    write("zz-good.md", GOOD)
    code, errors = render(capsys, "in", "in/missing-here.md")
    expected = [f"renderer: in/{name}: {cause}" for name, _, cause in sorted(NO_ARTICLE)]
    assert code == 1
    assert sorted(errors) == sorted([*expected, "renderer: in/missing-here.md: no such file"])
    assert rendered("zz-good")
    report = json.loads((OUT / "report.json").read_text("utf-8"))
    assert sorted(a["status"] for a in report["articles"]) == ["failed"] * (len(NO_ARTICLE) + 1) + [
        "rendered"
    ]  # each bad file and the missing one


def test_a_batch_with_audio_in_worker_processes(capsys: pytest.CaptureFixture[str]) -> None:
    for name, content, _ in NO_ARTICLE[:6]:
        write(name, content)
    write("zz-good.md", GOOD)
    code, errors = render(capsys, "in", formats="pdf,audio", jobs=2)
    expected = [f"renderer: in/{name}: {cause}" for name, _, cause in NO_ARTICLE[:6]]
    assert code == 1 and sorted(errors) == sorted(expected)
    assert rendered("zz-good", "pdf", "mp3", "transcript.txt")


# -- encodings: the words come out right -----------------------------------------------------------

CAFE = (
    "# Café menu\n\nThe café serves “coffee” and ‘tea’ – every day.\n\n"
    "## Side effects\n\nToo much coffee can make you feel shaky.\n"
)
CAFE_LATIN1 = (
    "# Café menu\n\nThe café serves «crème brûlée» at 20 °C, señor.\n\n"
    "## Side effects\n\nToo much coffee can make you feel shaky.\n"
)
ENCODINGS = [
    ("utf-8-bom", codecs.BOM_UTF8 + CAFE.encode("utf-8"), CAFE),
    ("utf-16-bom", CAFE.encode("utf-16"), CAFE),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"), CAFE),
    ("utf-16-le-no-bom", CAFE.encode("utf-16-le"), CAFE),
    ("utf-16-be-no-bom", CAFE.encode("utf-16-be"), CAFE),
    ("windows-1252-crlf", CAFE.replace("\n", "\r\n").encode("cp1252"), CAFE),
    ("latin-1", CAFE_LATIN1.encode("latin-1"), CAFE_LATIN1),
]


@pytest.mark.parametrize(("name", "data", "text"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_text_in_any_encoding_a_clinic_saves_reads_right(
    capsys: pytest.CaptureFixture[str], name: str, data: bytes, text: str
) -> None:
    code, errors = render(capsys, write(f"{name}.md", data))
    assert (code, errors) == (0, [])
    shown = pdf_text(name)
    assert shown.startswith("Café menu ")
    assert printable(comparable_text(text.split("\n\n")[1])) in shown  # café, curly quotes, dash


def test_encodings_are_spoken_right(capsys: pytest.CaptureFixture[str]) -> None:
    code, errors = render(capsys, write("cafe.md", CAFE.encode("utf-16")), formats="pdf,audio")
    assert (code, errors) == (0, [])
    transcript = (OUT / "cafe" / "cafe.transcript.txt").read_text("utf-8")
    assert "The café serves “coffee” and ‘tea’ – every day." in transcript


# -- size: long lines, long words, deep nesting ------------------------------------------------------

SENTENCES = ("Rest well and drink plenty of water every day. " * 5000)[:200_000]
LONG_LINES = [
    ("sentences.txt", SENTENCES),  # a file that was never wrapped: one paragraph
    ("one-word.md", "x" * 200_000),  # nowhere to break at all
    ("heading.md", f"# {SENTENCES.strip()}\n\n## {SENTENCES.strip()}\n\nText.\n"),
]


@pytest.mark.parametrize(("name", "text"), LONG_LINES, ids=[n for n, _ in LONG_LINES])
def test_a_200_000_character_line_renders_whole(
    capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    # Rendered in seconds: a page break no longer lays out the rest of a paragraph again.
    code, errors = render(capsys, write(name, text + "\n"))
    assert (code, errors) == (0, [])
    body = squeeze(pdf_body(name.split(".")[0]))
    for line in text.splitlines():
        assert squeeze(line.lstrip("# ")) in body


LONG_WORD_MD = f"""# Long words

- A list item with {LONG_WORD} in it.

| Name | Value |
|---|---|
| Cell {LONG_WORD} | short |

## Side effects

- A warning with {LONG_WORD} in it.

| Risk | Note |
|---|---|
| {LONG_WORD} | rare |
"""
LONG_WORD_HTML = f"""<html><body><h1>Long words</h1>
<ul><li>A list item with {LONG_WORD} in it.</li></ul>
<table><tr><th>Name</th><th>Value</th></tr><tr><td>Cell {LONG_WORD}</td><td>short</td></tr></table>
<h2>Side effects</h2><ul><li>A warning with {LONG_WORD} in it.</li></ul>
<table><tr><th>Risk</th><th>Note</th></tr><tr><td>{LONG_WORD}</td><td>rare</td></tr></table>
</body></html>"""


@pytest.mark.parametrize(
    ("name", "source"), [("md.md", LONG_WORD_MD), ("html.html", LONG_WORD_HTML)]
)
def test_a_400_character_word_in_a_list_item_and_a_table_cell(
    capsys: pytest.CaptureFixture[str], name: str, source: str
) -> None:
    code, errors = render(capsys, write(name, source))
    assert (code, errors) == (0, [])
    slug = name.split(".")[0]
    assert squeeze(pdf_text(slug)).count(LONG_WORD) == 4


def test_html_nested_4000_deep(capsys: pytest.CaptureFixture[str]) -> None:
    deep = (
        "<html><body><h1>Deep</h1>"
        + "<div>" * 4000
        + "<p>Deep paragraph. Call your doctor if you feel unwell.</p>"
        + "</div>" * 4000
        + "<ul><li>" * 4000
        + "deep item"
        + "</li></ul>" * 4000
        + "<table><tr><td>" * 2000
        + "deep cell"
        + "</td></tr></table>" * 2000
        + "<b>" * 4000
        + "deep bold"
        + "</b>" * 4000
        + "<ol><li>" * 4000  # never closed
        + "unclosed item"
    )
    code, errors = render(capsys, write("deep.html", deep))
    assert (code, errors) == (0, [])
    shown = pdf_text("deep")
    for words in ("Call your doctor if you feel unwell.", "deep item", "deep cell", "deep bold"):
        assert words in shown
    assert "unclosed item" in shown


def test_markdown_nested_4000_deep(capsys: pytest.CaptureFixture[str]) -> None:
    source = (
        "# Deep\n\n"
        + ">" * 4000
        + " quoted words\n\n"
        + "".join("  " * i + f"- item {i}\n" for i in range(300))
        + "\n"
        + "*" * 3000
        + "starred"
        + "*" * 3000
        + "\n\n"
        + "[" * 3000
        + "bracketed"
        + "]" * 3000
        + "\n"
    )
    code, errors = render(capsys, write("deep.md", source))
    assert (code, errors) == (0, [])
    shown = pdf_text("deep")
    for words in ("quoted words", "item 0", "item 299", "starred", "bracketed"):
        assert words in shown


# -- nothing from the local disk, no links, markup printed as text -----------------------------------

SECRET = "TOP-SECRET-42"


def test_images_and_links_to_local_files_embed_and_link_nothing(
    capsys: pytest.CaptureFixture[str], in_tmp: Path
) -> None:
    secret = in_tmp / "secret.txt"
    secret.write_text(SECRET)
    picture = in_tmp / "secret.png"
    picture.write_bytes(png_bytes())
    page = f"""<html><body><h1>Images</h1>
<p>See <img src="/etc/passwd" alt="pw"> and <img src="{picture}"> and
<img src="file://{picture}"> and <img src="{picture.name}"> here.</p>
<p>Links: <a href="file://{secret}">the file</a>, <a href="javascript:alert(1)">click me</a>,
<a href="{secret}">a path</a>, <a href="JaVaScRiPt:alert(2)">mixed case</a>.</p>
<object data="{secret}">object</object><iframe src="file:///etc/passwd"></iframe>
<embed src="{picture}"><link rel="stylesheet" href="{secret}"><video src="{picture}"></video>
<h2>Warnings</h2><p>Do not <a href="javascript:void(0)">click</a> this. Call your doctor.</p>
</body></html>"""
    source = f"""# Links

A [bad link](javascript:alert(1)) and <javascript:alert(2)> and [file](file://{secret}).

An image ![a picture]({picture}) and ![the passwords](/etc/passwd) and <img src="{picture}">.

Use [the ref] here.

[the ref]: javascript:alert(3)

## Side effects

See [help](javascript:alert(4)). Call your doctor.
"""
    code, errors = render(capsys, write("page.html", page), write("notes.md", source))
    assert (code, errors) == (0, [])
    for slug, words in (
        ("page", "Links: the file, click me, a path, mixed case."),
        ("notes", "bad link"),
    ):
        assert words in pdf_text(slug)
        assert SECRET not in pdf_text(slug) and "root:" not in pdf_text(slug)
        images, annotations, _ = pdf_objects(slug)
        assert (images, annotations) == (0, 0)
        data = (OUT / slug / f"{slug}.pdf").read_bytes()
        for forbidden in (b"/URI", b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/Annot"):
            assert forbidden not in data, forbidden


MARKUP = [
    (
        "markup.txt",  # plain text: every character as typed
        'MARKUP TEST\n\nText <font size=80 color=red>BIG</font>, <a href="http://x">link</a>, '
        "<para>para</para>, <img src=/etc/passwd/>, &amp; &lt; &#9731; and <b>unbalanced.\n\n"
        "Side effects\n\nWarning <b>bold <i>nested</b> <seq/> <onDraw name=x/> <br/> &#x2603;. "
        "Call your doctor.\n",
        [
            'Text <font size=80 color=red>BIG</font>, <a href="http://x">link</a>, <para>para</para>, '
            "<img src=/etc/passwd/>, &amp; &lt; &#9731; and <b>unbalanced.",
            "Warning <b>bold <i>nested</b> <seq/> <onDraw name=x/> <br/> &#x2603;. Call your doctor.",
        ],
    ),
    (
        "markup.md",  # Markdown: inline HTML tags are markup, entities are characters
        "# Markup <font size=80>BIG</font>\n\nText <font size=80>huge</font> and &amp; and &lt;b&gt; "
        "and &#9731; and <b>unbalanced and AT&T x < y > z.\n\n## Side effects\n\n"
        "Warning <para>para</para> \\<font size=80\\> `<b>code</b>` &copy; done.\n",
        [
            "Markup BIG Text huge and & and <b> and ☃ and unbalanced and AT&T x < y > z.",
            "Warning para <font size=80> <b>code</b> © done.",
        ],
    ),
    (
        "markup.html",  # HTML: entities decoded once, so escaped markup shows as markup
        "<html><body><h1>Markup &lt;font size=80&gt;</h1><p>Text &lt;font size=80&gt;BIG&lt;/font&gt;"
        " and &amp;amp; &amp;lt; &amp;#9731; &#9731; &copy; &lt;b&gt;unbalanced AT&amp;T x &lt; y."
        "</p><h2>Side effects</h2><p>Warning &lt;para&gt; &lt;img src=/etc/passwd/&gt; "
        "<font size=80>big</font> call your doctor.</p></body></html>",
        [
            "Markup <font size=80> Text <font size=80>BIG</font> and &amp; &lt; &#9731; ☃ © "
            "<b>unbalanced AT&T x < y.",
            "Warning <para> <img src=/etc/passwd/> big call your doctor.",
        ],
    ),
]


@pytest.mark.parametrize(("name", "source", "shown"), MARKUP, ids=[m[0] for m in MARKUP])
def test_markup_in_the_text_is_shown_never_obeyed(
    capsys: pytest.CaptureFixture[str], name: str, source: str, shown: list[str]
) -> None:
    code, errors = render(capsys, write(name, source))
    assert (code, errors) == (0, [])
    slug = name.split(".")[0]
    # The handout's date line sits between the title and the text.
    text = re.sub(r" \d{4}-\d{2}-\d{2} ", " ", pdf_text(slug), count=1)
    for words in shown:
        assert printable(words) in text  # "☃" is the marker where no font has it
    images, annotations, largest = pdf_objects(slug)
    assert (images, annotations) == (0, 0)
    assert largest <= 18 * TITLE_SCALE + 0.01  # no <font size=80> took effect


# -- emoji and CJK in safety text ---------------------------------------------------------------------

EMOJI = """# Emoji guide

Some words for the reader first.

## Side effects

Call us 😀 if you feel unwell. Do not take 药 with alcohol ⚠️ ever. Ｆｕｌｌ width ① and ﬁne.

## Disclaimer

This is not medical advice 👩‍⚕️. Talk to your doctor.
"""


def test_emoji_and_cjk_in_a_protected_passage_survive_in_pdf_and_audio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write("emoji.md", EMOJI)
    code, errors = render(capsys, path, formats="pdf,audio")
    assert (code, errors) == (0, [])
    assert rendered("emoji", "pdf", "mp3", "transcript.txt")
    passages = protected_passages(analyse(path, Options(), CUES))
    assert [p.heading for p in passages] == ["Side effects", "Disclaimer"]
    manifest = json.loads((OUT / "emoji" / "manifest.json").read_text("utf-8"))
    pdf = manifest["outputs"]["pdf"]
    # A glyph no font has (which depends on the fonts installed) is shown as the marker, and the
    # manifest names it: the passage is whole as the PDF can show it, every other character too.
    unprintable = set(pdf["unprintable"])
    assert unprintable <= set(EMOJI)

    def shown(text: str) -> str:
        return "".join(MISSING_GLYPH_MARKER if c in unprintable else c for c in text)

    assert missing_passages(passages, pdf_body("emoji"), shown) == []
    transcript = (OUT / "emoji" / "emoji.transcript.txt").read_text("utf-8")
    assert missing_passages(passages, transcript) == []  # verbatim, no marker
    assert run_cli(["verify", str(OUT)], capsys)[0] == 0


RIGHT_TO_LEFT = """# Tablets

About these tablets.

## Disclaimer

This is not medical advice. In Hebrew שלום עולם and in Arabic مرحبا بالعالم. Talk to your doctor.
"""


def test_right_to_left_letters_in_a_protected_passage_are_marked_not_reversed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Without rlbidi and uharfbuzz reportlab sets them left to right, unjoined: the handout
    # would print "םולש" for "שלום" (and its proof would fail on it). Marked, they are reported.
    code, errors = render(capsys, write("rtl.md", RIGHT_TO_LEFT))
    assert (code, errors) == (0, [])
    text = pdf_text("rtl")
    assert "In Hebrew [?][?][?][?] [?][?][?][?] and in Arabic [?][?][?][?][?]" in text
    assert "םולש" not in text and "שלום" not in text
    unprintable = json.loads((OUT / "rtl" / "manifest.json").read_text("utf-8"))["outputs"]["pdf"][
        "unprintable"
    ]
    assert set(unprintable) == set("שלוםעולםمرحبابالعالم")


@pytest.mark.parametrize(
    "warning",
    [
        "薬を飲まないでください。 Do not take with alcohol.",
        "Do not take with alcohol: مرحبا بالعالم يا صديقي.",
    ],
    ids=["japanese", "arabic"],
)
def test_a_sentence_in_another_script_inside_a_warning_is_spoken(
    capsys: pytest.CaptureFixture[str], warning: str
) -> None:
    source = f"# Tablets\n\nAbout these tablets.\n\n## Warnings\n\n{warning}\n"
    code, errors = render(capsys, write("other-script.md", source), formats="pdf,audio")
    assert (code, errors) == (0, [])


# -- file names ------------------------------------------------------------------------------------------

NAMES = [
    ("my leaflet.md", "my leaflet.md", "my-leaflet"),
    ("Ünïcödé café.md", "Ünïcödé café.md", "unicode-cafe"),
    ("日本語.md", "日本語.md", "article"),
    ("$(touch pwned);.md", "$(touch pwned);.md", "touch-pwned"),
    ("`touch pwned`.md", "`touch pwned`.md", "touch-pwned"),
    ('it\'s "quoted" & <odd>|;.md', 'it\'s "quoted" & <odd>|;.md', "it-s-quoted-odd"),
    ("-x.md after --", "-x.md", "x"),
    ("./-x.md", "-x.md", "x"),
    ("--help.md after --", "--help.md", "help"),
    ("..md", "..md", "article"),
]


@pytest.mark.parametrize(("case", "name", "slug"), NAMES, ids=[n[0] for n in NAMES])
def test_odd_file_names_give_slugs_inside_the_output_folder(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    name: str,
    slug: str,
) -> None:
    path = write(name, GOOD)
    monkeypatch.chdir("in")  # so that the name alone is the argument
    args = ["./" + name] if case.startswith("./") else ["--", name]
    code, errors = render(capsys, *args)
    assert (code, errors) == (0, [])
    assert rendered(slug)
    assert sorted(p.name for p in OUT.iterdir()) == sorted(
        [slug, "report.csv", "report.html", "report.json"]
    )
    manifest = json.loads((OUT / slug / "manifest.json").read_text("utf-8"))
    assert Path(manifest["source"]).name == path.name


def test_a_file_named_twice_is_rendered_once_under_its_own_slug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write("-x.md", GOOD)
    monkeypatch.chdir("in")
    code, errors = render(capsys, "--", "-x.md", "./-x.md")
    assert (code, errors) == (0, [])
    assert sorted(p.name for p in OUT.iterdir() if p.is_dir()) == ["x"]


# -- where the outputs go: missing inputs, folders that cannot take files -----------------------------


def test_a_missing_input_is_one_line_and_the_others_render(
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = write("good.md", GOOD)
    code, errors = render(capsys, "in/gone.md", good, "in/nowhere/gone.txt", "in/gone.pdf")
    assert code == 1
    assert errors == [
        "renderer: in/gone.md: no such file",
        "renderer: in/nowhere/gone.txt: no such file",
        "renderer: in/gone.pdf: no such file",
    ]
    assert rendered("good")


@pytest.mark.parametrize(
    ("output", "cause"),
    [
        ("somefile/out", "cannot make this folder: somefile is a file"),
        ("somefile/out/deeper", "cannot make this folder: somefile is a file"),
        ("somefile", "is a file, not a folder"),
    ],
)
def test_an_output_folder_under_a_file_is_one_line(
    capsys: pytest.CaptureFixture[str], output: str, cause: str
) -> None:
    Path("somefile").write_text("keep me")
    good = write("good.md", GOOD)
    code, _, stderr = run_cli(["render", str(good), "-o", output, "--formats", "pdf"], capsys)
    assert code == 1
    assert stderr == f"renderer: {output}: {cause} (choose another with -o DIR)\n"
    assert Path("somefile").read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder regardless")
def test_a_read_only_output_folder_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    OUT.mkdir()
    OUT.chmod(0o500)
    try:
        code, errors = render(capsys, write("good.md", GOOD))
    finally:
        OUT.chmod(0o700)
    assert code == 1
    assert errors == [
        "renderer: out: cannot write in this folder: Permission denied (choose another with -o DIR)"
    ]
    assert list(OUT.iterdir()) == []


def refuse_in(folder: Path, code: int) -> Any:
    """os.open that fails with `code` for files in `folder`, as a read-only folder or a full
    disk does, and opens everything else."""
    real_open = os.open
    inside = folder.resolve()

    def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and inside in Path(os.fsdecode(path)).resolve().parents:
            raise OSError(code, os.strerror(code), os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    return fake_open


def test_a_folder_without_write_permission_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a read-only folder does for any user but root (who is exempt, so it is simulated).
    OUT.mkdir()
    monkeypatch.setattr(os, "open", refuse_in(OUT, errno.EACCES))
    code, errors = render(capsys, write("a.md", GOOD), write("b.md", GOOD))
    assert code == 1
    assert errors == [
        "renderer: out: cannot write in this folder: Permission denied (choose another with -o DIR)"
    ]
    assert list(OUT.iterdir()) == []


class FullDisk:
    """os.fdopen on a disk with room for `files` more files: the next file gets half its bytes
    written, then fails with ENOSPC, as a real disk that fills up mid-run does."""

    def __init__(self, files: int) -> None:
        self.files = files
        self.real = os.fdopen

    def __call__(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = self.real(fd, *args, **kwargs)
        self.files -= 1
        if self.files >= 0:
            return handle
        original = handle.write

        def write(data: bytes) -> int:
            original(data[: len(data) // 2])
            handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        handle.write = write
        return handle


def test_a_disk_that_fills_up_mid_run_stops_it_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [write(f"{name}.md", GOOD) for name in "abc"]
    # Room for the check of the folder, then a.pdf and a's manifest; b.pdf fills the disk.
    monkeypatch.setattr(os, "fdopen", FullDisk(3))
    code, errors = render(capsys, *paths)
    assert code == 1
    assert errors == [
        "renderer: out/b/b.pdf: cannot write: No space left on device; stopped with 1 of 3 "
        "articles rendered (run again when it can be written: what is done is skipped)"
    ]
    assert rendered("a")
    assert not (OUT / "b" / "b.pdf").exists() and not (OUT / "c").exists()
    assert [p.name for p in OUT.rglob(".*")] == []  # not even a temporary file


def test_a_full_disk_before_the_run_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fdopen", FullDisk(0))
    code, errors = render(capsys, write("a.md", GOOD))
    assert code == 1
    assert errors == [
        "renderer: out: cannot write in this folder: No space left on device (choose another "
        "with -o DIR)"
    ]
    assert list(OUT.iterdir()) == []


def test_a_folder_in_the_way_of_one_article_fails_that_one_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = [write(f"{name}.md", GOOD) for name in "abc"]
    (OUT / "b" / "b.pdf").mkdir(parents=True)
    code, errors = render(capsys, *paths)
    assert code == 1
    assert errors == ["renderer: out/b/b.pdf: cannot write: Is a directory"]
    assert rendered("a") and rendered("c")
