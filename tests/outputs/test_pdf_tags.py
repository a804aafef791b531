"""The tagged PDF (PDF/UA-1) as a screen reader meets it, checked by validators nobody here
wrote (page-validation, veraPDF's PDF/UA-1 profile, poppler's tag reader), and the page layout
a reader sees: headings kept with what follows, footers, dates, bookmarks.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import page
import pikepdf
import pypdfium2 as pdfium
import pytest
import reportlab
from reportlab.platypus import Table
from reportlab.platypus.flowables import _FBGBag

from conftest import CONTENT, FIXTURES, REPO, SEEDS
from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.config import LargePrintOptions, Options
from renderer.manifest import PdfOutput
from renderer.model import THEMES, Article, comparable_text, protected_passages
from renderer.outputs.pdf import HeadingCase, build_pdf, sentence_case
from renderer.outputs.pdf.check import _marked_text, prove_pdf, tagged_text
from renderer.outputs.pdf.tags import TaggingCanvas, TaggingError
from renderer.outputs.pdf.text import body_text, pdf_pages
from renderer.outputs.proof import Expected, Findings

CUES = load_cues()
VERAPDF = REPO.parent / "shared" / "tools" / "verapdf" / "check-pdfua"
LAYOUTS = [("letter", 18.0), ("a4", 28.0)]
LAYOUT_IDS = ["letter-18pt", "a4-28pt"]
THEME_NAMES = sorted(THEMES)
INPUTS = sorted(
    p for p in CONTENT.iterdir() if p.is_file() and not p.name.startswith(".")
) + sorted(
    p
    for p in FIXTURES.rglob("*")
    if p.is_file() and p.suffix in (".txt", ".md", ".html") and p.name != "README.md"
)
INPUT_IDS = [str(p.relative_to(p.parents[1])) for p in INPUTS]
CLINIC = {"clinic_name": "Harbour Clinic", "clinic_phone": "555 0100"}
# Our test articles hold no character the fonts from pip cannot draw.
PRINTABLE = str

STRESS = f"""# Stress test

A first paragraph that says what this page is for.

## Doses

Before the table a line or two.

| Dose | When | Notes |
|---|---|---|
{"".join(f"| {n} mg | Day {n} | Take it with food and water, sitting up. |{chr(10)}" for n in range(40))}
## Steps

1. Wash your hands.
   - Use soap.
   - Dry them well.
2. Open the pack at https://example.org/how-to-open?pack=1&size=2 (see the video).
3. Write to mailto:help@example.org if you are unsure.

## Side effects

{" ".join(f"Sentence {i} says you may feel dizzy or sick for a while after the dose." for i in range(150))}

- You may feel sick.
- You may feel sleepy.

## Disclaimer

This page does not replace advice from your doctor.
"""


def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@cache
def analysed(path: Path) -> Article:
    return analyse(path, Options(), CUES)


@cache
def built(path: Path, page_size: str, font_size: float, theme: str, clinic: bool = False) -> bytes:
    options = LargePrintOptions(
        page_size=page_size, font_size=font_size, theme=theme, **(CLINIC if clinic else {})
    )
    return build_pdf(analysed(path), options).data


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stress") / "stress.md"
    path.write_text(STRESS, encoding="utf-8")
    return path


def pdfua_failures(data: bytes) -> list[str]:
    report = page.validate_pdf_bytes(data, profile=page.ValidationProfile.PDF_UA_1)
    assert report.rules.total >= 100, "page-validation checked fewer rules than it has"
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


# -- 1. validators: page-validation (fast), veraPDF (slow, Java) --------------------------------


@pytest.mark.parametrize(("page_size", "font_size"), LAYOUTS, ids=LAYOUT_IDS)
@pytest.mark.parametrize("path", INPUTS, ids=INPUT_IDS)
def test_every_test_article_passes_pdfua(path: Path, page_size: str, font_size: float) -> None:
    theme = "high-contrast" if page_size == "a4" else "standard"
    assert pdfua_failures(built(path, page_size, font_size, theme, clinic=True)) == []


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize(("page_size", "font_size"), LAYOUTS, ids=LAYOUT_IDS)
def test_every_article_passes_pdfua_in_every_theme(
    stress: Path, page_size: str, font_size: float, theme: str
) -> None:
    for path in [*INPUTS, *seeds(), stress]:
        assert pdfua_failures(built(path, page_size, font_size, theme)) == [], path.name


def test_the_stress_article_passes_pdfua(stress: Path) -> None:
    data = built(stress, "letter", 18.0, "cream", clinic=True)
    assert len(pdf_pages(data)) >= 10
    assert pdfua_failures(data) == []


def test_page_validation_fails_an_untagged_handout() -> None:
    # The control: the same pages without tags fail, so the checks above can fail.
    untagged = build_pdf(analysed(CONTENT / "ketamine-therapy.md"), LargePrintOptions(), False)
    assert len(pdfua_failures(untagged.data)) > 0


def java_ready() -> str | None:
    """Why veraPDF cannot run here, or None when it can."""
    if not VERAPDF.exists():
        return f"{VERAPDF} is missing (../shared/tools beside the repository)"
    if not (shutil.which("java") and shutil.which("javac")):
        return "Java 17 (java, javac) is not installed: apt-get install openjdk-17-jdk-headless"
    if not Path("/usr/share/java/jaxb-runtime.jar").exists():
        return "Debian's libjaxb-java is not installed: apt-get install libjaxb-java"
    return None


@pytest.mark.slow
def test_verapdf_pdfua1_profile_passes_every_handout(
    tmp_path: Path, stress: Path, request: pytest.FixtureRequest
) -> None:
    missing = java_ready()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"veraPDF must run in CI: {missing} (.ci/run installs it)")
        pytest.skip(f"veraPDF cannot run: {missing}")
    files = []
    for path in [*INPUTS, *seeds(), stress]:
        for (page_size, font_size), theme in zip(LAYOUTS * 2, THEME_NAMES * 2, strict=False):
            out = tmp_path / f"{path.stem}-{page_size}-{font_size:g}-{theme}.pdf"
            out.write_bytes(built(path, page_size, font_size, theme))
            files.append(out)
        out = tmp_path / f"{path.stem}-a4-28-high-contrast-clinic.pdf"
        out.write_bytes(built(path, "a4", 28.0, "high-contrast", clinic=True))
        files.append(out)
    # A file that fails, so a checker that passes everything is caught.
    control = tmp_path / "untagged-control.pdf"
    control.write_bytes(
        build_pdf(analysed(CONTENT / "ketamine-therapy.md"), LargePrintOptions(), False).data
    )
    result = subprocess.run(
        [str(VERAPDF), *map(str, files), str(control)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode == 2:
        pytest.fail(f"veraPDF could not be set up: {result.stderr.strip()[-500:]}")
    verdicts = [line for line in result.stdout.splitlines() if ", 106 rules in profile" in line]
    assert len(verdicts) == len(files) + 1, result.stdout[-2000:] + result.stderr[-2000:]
    failing = [line for line in verdicts if "COMPLIANT," not in line.split(": ", 1)[1][:10]]
    assert [line for line in failing if "untagged-control" not in line] == [], result.stdout
    assert any("untagged-control" in line and "NOT COMPLIANT" in line for line in verdicts)


# -- 2. reading through the tags ------------------------------------------------------------------


def words(text: str) -> str:
    return " ".join(comparable_text(text).split())


@pytest.mark.parametrize("path", INPUTS, ids=INPUT_IDS)
def test_the_tags_read_every_sentence_in_order_and_no_furniture(path: Path) -> None:
    data = built(path, "a4", 28.0, "standard", clinic=True)
    elements = tagged_text(data)
    assert elements[0][0] == "Document"
    read = "\n".join(text for _, text in elements)
    article = analysed(path)
    expected = Expected.of(article)
    assert tag_problems(data, expected) == []
    # The footer, page numbers and "continued" labels are artifacts, never read.
    assert "Page 1 of" not in read
    assert not any(text.startswith("Harbour Clinic · Phone") for _, text in elements[3:])
    for label in expected.wording.continued_labels():
        assert label not in read


def tag_problems(data: bytes, expected: Expected) -> list[str]:
    """What the proof finds missing or out of order in the text read through the tags."""
    found = Findings()
    text = "\n".join(text for _, text in tagged_text(data))
    found.text_holds(expected, expected.text.printed, text, "tags", PRINTABLE)
    return found.problems


def test_every_line_end_is_a_space_in_the_tags(stress: Path) -> None:
    # Text read through the tags must not join words across line ends ("better,even"): each
    # paragraph's tagged text is its source text, spaces and all, whatever the line breaks.
    article = analysed(stress)
    units = {words(u) for s in article.sections for b in s.blocks for u in b.values()}
    units |= {words(label) for label in Expected.of(article).wording.labels}
    data = built(stress, "a4", 28.0, "standard")
    # Read by poppler: pdfium drops a text object that is only a space, which reportlab draws
    # at the end of a line that ends a link.
    paragraphs = [text for tag, text in poppler_tags(data) if tag in ("P", "LBody", "TD")]
    assert len(paragraphs) > 50
    checked = 0
    for text in paragraphs:
        if words(text) in units:
            checked += 1
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            continue  # the handout's date
        else:
            # A unit set in pieces (very long text) or a table header: its words must be
            # whole words of the article, never two glued together.
            for word in text.split():
                assert any(word in unit.split() for unit in units) or word.startswith("["), word
    assert checked > 40


def poppler_tags(data: bytes) -> list[tuple[str, str]]:
    """(tag, text) of each structure element with text, as poppler's pdfinfo reads them."""
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    result = subprocess.run(
        ["pdfinfo", "-struct-text", "-"], input=data, capture_output=True, check=False
    )
    if result.returncode:  # an older poppler cannot read from standard input
        pytest.skip(f"pdfinfo -struct-text: {result.stderr.decode()[:200]}")
    found = re.findall(
        r'^\s*(\w+)(?: "[^"]*")?(?: \(\w+\))?\n\s+"(.*)"$', result.stdout.decode(), re.MULTILINE
    )
    return [(tag, text) for tag, text in found]


def test_a_word_longer_than_a_line_is_not_broken_by_a_space(tmp_path: Path) -> None:
    long_word = "Supercalifragilistic" * 20
    path = tmp_path / "long.md"
    path.write_text(f"# Long\n\n## Side effects\n\nA warning with {long_word} in it.\n")
    data = build_pdf(analysed(path), LargePrintOptions(font_size=24.0)).data
    texts = [text for tag, text in tagged_text(data) if tag == "P"]
    assert f"A warning with {long_word} in it." in [words(t) for t in texts]


def test_the_structure_holds_headings_lists_tables_boxes_links_and_the_figure(
    stress: Path,
) -> None:
    options = LargePrintOptions(audio_url="https://example.org/a.mp3", **CLINIC)
    data = build_pdf(analysed(stress), options).data
    elements = tagged_text(data)
    tags = [tag for tag, _ in elements]
    headings = [(tag, text) for tag, text in elements if re.fullmatch(r"H\d", tag)]
    assert headings[0] == ("H1", "Stress test")
    assert [t for t, _ in headings[1:]] == ["H2"] * 4
    for needed in ("L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Sect", "Link"):
        assert needed in tags, needed
    # The nested list sits inside the item it belongs to; the table has one TH row, then 40.
    assert tags.count("TR") == 41 and tags.count("TH") == 3
    with pikepdf.open(io.BytesIO(data)) as pdf:
        elems = {str(e.S): e for e in _all_elements(pdf.Root.StructTreeRoot)}
        assert str(elems["/Figure"].Alt) == "Listen to this handout: https://example.org/a.mp3"
        assert str(elems["/Sect"].T) in ("Important safety information", "Disclaimer")
        assert elems["/TH"].A.Scope == pikepdf.Name.Column
        nested = [e for e in _all_elements(pdf.Root.StructTreeRoot) if e.S == "/LBody"]
        assert any(
            any(isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/L" for k in e.K)
            for e in nested
        )
        # Every link annotation is a Link element's, with its address as its description.
        annotations = [a for p in pdf.pages for a in p.obj.get("/Annots", [])]
        uris = sorted(str(a.A.URI) for a in annotations)
        assert uris == [
            "https://example.org/a.mp3",
            "https://example.org/how-to-open?pack=1&size=2",
            "mailto:help@example.org",
        ]
        for annotation in annotations:
            assert str(annotation.Contents) == str(annotation.A.URI)
            assert "/StructParent" in annotation
        assert all(p.obj.Tabs == pikepdf.Name.S for p in pdf.pages)
        assert pdf.Root.MarkInfo.Marked is True
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "Stress test</rdf:li>" in xmp


def _all_elements(tree: Any) -> list[Any]:
    out, stack = [], list(tree.K)
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            out.append(element)
            kids = element.get("/K", [])
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return out


def test_poppler_reads_the_same_tags() -> None:
    data = built(CONTENT / "ketamine-therapy.md", "letter", 18.0, "standard")
    kinds = ("H1", "H2", "H3", "P", "LBody")  # poppler prints a TH's scope between tag and text
    theirs = [text for tag, text in poppler_tags(data) if tag in kinds]
    ours = [text for tag, text in tagged_text(data) if text and tag in kinds]
    assert len(theirs) > 30
    assert [squeezed(t) for t in theirs] == [squeezed(t) for t in ours]


def squeezed(text: str) -> str:
    return "".join(comparable_text(text).split())


def test_pdfinfo_says_tagged() -> None:
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    data = built(CONTENT / "ketamine-clinic-page.html", "letter", 18.0, "standard")
    result = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=False)
    if result.returncode:
        pytest.skip(f"pdfinfo: {result.stderr.decode()[:200]}")
    assert re.search(r"^Tagged:\s+yes$", result.stdout.decode(), re.MULTILINE)


# -- 3. the checker: render and verify prove the tags ---------------------------------------------


def entry_for(data: bytes, article: Article, expected: Expected, footer: str) -> PdfOutput:
    return PdfOutput(
        "x.pdf",
        len(data),
        "0" * 64,
        pages=len(pdf_pages(data)),
        font="Atkinson Hyperlegible",
        footer=footer,
        unprintable=(),
    )


def test_the_proof_fails_an_untagged_handout(tmp_path: Path) -> None:
    article = analysed(CONTENT / "ketamine-therapy.md")
    result = build_pdf(article, LargePrintOptions(), tagged=False)
    path = tmp_path / "x.pdf"
    path.write_bytes(result.data)
    expected = Expected.of(article)
    found = prove_pdf(path, entry_for(result.data, article, expected, result.footer), expected)
    assert any("tags:" in p and "MarkInfo" in p for p in found.problems), found.problems


def test_the_proof_fails_a_protected_passage_outside_the_tags(tmp_path: Path) -> None:
    # The text layer still shows the passage, but a screen reader would never reach it.
    article = analysed(CONTENT / "ketamine-therapy.md")
    result = build_pdf(article, LargePrintOptions())
    expected = Expected.of(article)
    passage = protected_passages(article)[0].units[0]
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        for element in _all_elements(pdf.Root.StructTreeRoot):
            kids = element.get("/K")
            if isinstance(kids, pikepdf.Array):
                kept = [
                    k
                    for k in kids
                    if not (
                        isinstance(k, pikepdf.Dictionary)
                        and "/S" in k
                        and words(_element_text(result.data, k)).startswith(words(passage)[:40])
                    )
                ]
                element.K = pikepdf.Array(kept)
        out = io.BytesIO()
        pdf.save(out)
    path = tmp_path / "x.pdf"
    path.write_bytes(out.getvalue())
    assert words(passage)[:40] in words(body_text(pdf_pages(path), result.footer))
    found = prove_pdf(path, entry_for(out.getvalue(), article, expected, result.footer), expected)
    assert any("read through the tags" in p for p in found.problems), found.problems


def _element_text(data: bytes, element: Any) -> str:
    """The text of an element's own marked content (a paragraph's)."""
    mcids = [
        (k.Pg.objgen, int(k.MCID))
        for k in element.get("/K", [])
        if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"
    ]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {p.obj.objgen: n for n, p in enumerate(pdf.pages)}
    texts = _marked_text(data)
    return "".join(texts.get((pages[g], m), "") for g, m in mcids)


# -- 4. reportlab internals the tagging leans on (fail loudly when they change) ---------------------


def test_reportlab_is_the_minor_version_the_tagging_was_written_for() -> None:
    assert reportlab.Version.startswith("5.1."), (
        f"reportlab {reportlab.Version}: check outputs/pdf/tags.py against its paragraph, "
        "frame background and table drawing, then move the pin in pyproject.toml"
    )
    assert callable(getattr(_FBGBag, "render", None))
    assert "renderCB" in Table.__init__.__code__.co_varnames


def test_text_drawn_outside_the_structure_raises() -> None:
    from renderer.outputs.pdf.tags import Node

    canvas = TaggingCanvas(io.BytesIO(), root=Node("Document"))
    with pytest.raises(TaggingError):
        canvas.drawString(72, 72, "stray")
    with canvas.artifact():
        canvas.drawString(72, 72, "furniture")  # an artifact is fine


def test_tagged_and_untagged_pages_look_the_same() -> None:
    article = analysed(CONTENT / "ketamine-therapy.md")
    tagged = build_pdf(article, LargePrintOptions(theme="cream"))
    plain = build_pdf(article, LargePrintOptions(theme="cream"), tagged=False)
    assert tagged.pages == plain.pages
    for n in (0, tagged.pages - 1):
        assert _pixels(tagged.data, n) == _pixels(plain.data, n)


def _pixels(data: bytes, number: int) -> bytes:
    document = pdfium.PdfDocument(data)
    try:
        bitmap = document[number].render(scale=0.5)
        return bytes(bitmap.buffer)
    finally:
        document.close()


# -- 5. layout: what a reader sees ------------------------------------------------------------------


def page_texts(data: bytes) -> list[str]:
    return [words(p) for p in pdf_pages(data)]


@pytest.mark.parametrize("filler", range(0, 16))
def test_a_heading_keeps_a_table_header_and_two_rows_with_it(tmp_path: Path, filler: int) -> None:
    before = "\n\n".join(["Plain words about parking and buses near the clinic."] * filler)
    rows = "".join(f"| {n} mg | Day {n} |\n" for n in range(8))
    path = tmp_path / "table.md"
    path.write_text(
        f"# Table\n\n{before}\n\n## Comparing doses\n\n| Dose | When |\n|---|---|\n{rows}",
        encoding="utf-8",
    )
    pages = page_texts(build_pdf(analysed(path), LargePrintOptions()).data)
    [heading] = [i for i, p in enumerate(pages) if "Comparing doses" in p]
    assert "Dose When 0 mg Day 0 1 mg Day 1" in pages[heading]


@pytest.mark.parametrize("filler", range(0, 12))
def test_a_heading_keeps_two_list_items_with_it(tmp_path: Path, filler: int) -> None:
    before = "\n\n".join(["Plain words about parking and buses near the clinic."] * filler)
    items = "\n".join(f"- Item {n} says something about the dose." for n in range(6))
    path = tmp_path / "list.md"
    path.write_text(f"# List\n\n{before}\n\n## What to bring\n\n{items}\n", encoding="utf-8")
    pages = page_texts(build_pdf(analysed(path), LargePrintOptions()).data)
    [heading] = [i for i, p in enumerate(pages) if "What to bring" in p]
    assert "Item 1 says something about the dose." in pages[heading]


@pytest.mark.parametrize("filler", range(0, 30))
def test_a_continued_label_always_has_box_text_under_it(tmp_path: Path, filler: int) -> None:
    before = "\n\n".join(["Plain words about parking near the clinic."] * filler)
    disclaimer = " ".join(
        f"Point {n}: this page is general information and not medical advice." for n in range(9)
    )
    path = tmp_path / "box.md"
    path.write_text(f"# Box\n\n{before}\n\n## Disclaimer\n\n{disclaimer}\n", encoding="utf-8")
    result = build_pdf(analysed(path), LargePrintOptions(page_size="a4", font_size=28.0))
    for text in page_texts(result.data):
        if text.startswith("Disclaimer, continued"):
            rest = text[len("Disclaimer, continued") :]
            assert re.search(r"Point \d", rest), text


def test_the_footer_title_is_cut_at_a_word() -> None:
    article = analysed(CONTENT / "ketamine-therapy.md")
    result = build_pdf(article, LargePrintOptions(page_size="a4", font_size=28.0))
    title = result.footer.rstrip(" ·")
    assert title.endswith("…")
    kept = title[:-1]
    assert article.title.startswith(kept) and article.title[len(kept)] == " "


def test_the_clinic_is_in_every_page_footer() -> None:
    data = built(CONTENT / "ketamine-therapy.md", "a4", 28.0, "high-contrast", clinic=True)
    pages = pdf_pages(data)
    assert len(pages) > 3
    for number, text in enumerate(pages, 1):
        tail = words(text)[-80:]
        assert "Harbour Clinic · Phone 555 0100" in tail, number
        assert tail.endswith(f"Page {number} of {len(pages)}")


def test_the_date_and_edition_are_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715000000")  # 2024-05-06
    article = analysed(CONTENT / "ketamine-therapy.md")
    result = build_pdf(article, LargePrintOptions(edition="Version 3, reviewed by Dr Lee"))
    first = words(pdf_pages(result.data)[0])
    assert "2024-05-06 · Version 3, reviewed by Dr Lee" in first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    dated = build_pdf(article, LargePrintOptions())
    day = words(pdf_pages(dated.data)[0]).split(" ")
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", w) for w in day)


def test_bookmarks_open_at_their_heading_under_the_title() -> None:
    data = built(CONTENT / "ketamine-therapy.md", "letter", 18.0, "standard")
    document = pdfium.PdfDocument(data)
    try:
        marks = list(document.get_toc())
        assert marks[0].level == 0 and all(m.level >= 1 for m in marks[1:])
        for mark in marks:
            dest = mark.get_dest()
            assert dest is not None
            view, position = dest.get_view()
            assert view == pdfium.raw.PDFDEST_VIEW_XYZ, mark.get_title()
            top = position[1]
            page = document[dest.get_index()]
            textpage = page.get_textpage()
            title = mark.get_title()
            # The heading's text is just below the top the view opens at.
            found = textpage.search(title[:20]).get_next()
            assert found is not None, title
            box = textpage.get_charbox(found[0])
            assert 0 <= top - box[3] < 40, (title, top, box)
            textpage.close()
            page.close()
    finally:
        document.close()


# -- 6. headings in capitals ----------------------------------------------------------------------


def test_capital_headings_keep_names_and_acronyms(tmp_path: Path) -> None:
    path = tmp_path / "caps.md"
    path.write_text(
        "# HOW DR. SMITH USES THE NMDA RECEPTOR AND SSRIS\n\n"
        "We met Dr. Smith at Harbour Clinic in New York. She works with the NMDA receptor "
        "and with SSRIs every day.\n\n## HARBOUR CLINIC IN NEW YORK\n\nIt is open daily.\n\n"
        "## WHAT TO EXPECT FROM COVID CARE\n\nRest well.\n",
        encoding="utf-8",
    )
    article = analysed(path)
    result = build_pdf(article, LargePrintOptions())
    text = words(" ".join(pdf_pages(result.data)))
    for shown in (
        "How Dr. Smith uses the NMDA receptor and SSRIs",
        "Harbour Clinic in New York",
        "What to expect from COVID care",  # a word the dictionary does not know stays
    ):
        assert shown in text
    assert [t for t, _ in result.outline][1:] == [
        "Harbour Clinic in New York",
        "What to expect from COVID care",
    ]


def test_sentence_case_without_the_article_uses_the_dictionary_only() -> None:
    assert sentence_case("PATIENT LEAFLET") == "Patient leaflet"
    assert sentence_case("Mixed Case Stays") == "Mixed Case Stays"
    assert HeadingCase()("TAKE WITH NSAIDS") == "Take with NSAIDS"
