"""A handout in the reader's language: every word the renderer adds (box labels, the footer, the
spoken announcements) is in the article's language, in the PDF, the transcript and the DAISY book."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, RecordingEngine
from renderer.config import Options, SpeechOptions
from renderer.labels import ENGLISH, WORDINGS, has_wording, wording_for
from renderer.outputs.pdf.text import pdf_pages
from renderer.pipeline import Toolkit, render_file
from renderer.verify import verify_tree

# The renderer's own English words, as they would appear in an output.
ENGLISH_WORDS = (
    ENGLISH.risk,
    ENGLISH.disclaimer,
    "continued",
    ENGLISH.page.format(page=1),
    ENGLISH.section.format(number=1, total=2).split(" 1")[0],  # "Section"
    ENGLISH.listen,
)


@pytest.mark.parametrize(
    ("name", "language"),
    [("prospecto-es.html", "es"), ("folheto-pt.md", "pt"), ("notice-fr.md", "fr")],
)
def test_a_leaflet_gets_no_english_word_from_the_renderer(
    tmp_path: Path, name: str, language: str
) -> None:
    options = Options(
        formats=("pdf", "audio", "daisy"), speech=SpeechOptions(voice="roa/es", audio_format="mp3")
    )
    kit = Toolkit.load(options, RecordingEngine())
    result = render_file(FIXTURES / "languages" / name, options, tmp_path, "leaflet", kit)
    assert result.pdf is not None
    folder = tmp_path / "leaflet"
    outputs = {
        "pdf": " ".join(pdf_pages(result.pdf.read_bytes())),
        "transcript": (folder / "leaflet.transcript.txt").read_text(encoding="utf-8"),
        "daisy": " ".join(
            p.read_text(encoding="utf-8") for p in sorted((folder / "daisy").glob("*.html"))
        ),
    }
    wording = WORDINGS[language]
    for output, text in outputs.items():
        for word in ENGLISH_WORDS:
            assert not re.search(rf"\b{re.escape(word)}\b", text), (output, word)
    assert wording.risk in outputs["pdf"] and wording.page.format(page=1) in outputs["pdf"]
    assert f"{wording.risk}." in outputs["transcript"]
    assert wording.section.format(number=1, total=5) in outputs["transcript"]
    assert re.search(rf'name="dc:language" content="{language}\b', outputs["daisy"])
    report = verify_tree(tmp_path)
    assert report.problems == ()


def test_a_language_without_translations_gets_english_and_says_so(tmp_path: Path) -> None:
    source = tmp_path / "foglio.md"
    source.write_text(
        "---\nlanguage: it\n---\n# Foglio\n\n## Effetti indesiderati\n\nPuò dare sonnolenza.\n",
        encoding="utf-8",
    )
    result = render_file(source, Options(formats=("pdf",)), tmp_path / "out", "foglio")
    assert any("'it'" in w and "English" in w for w in result.warnings)
    assert not has_wording("it") and wording_for("it") is ENGLISH
    assert wording_for("es-419") is WORDINGS["es"] and wording_for("pt_BR") is WORDINGS["pt"]


@pytest.mark.parametrize("language", sorted(WORDINGS))
def test_each_wording_reads_its_page_numbers_back(language: str) -> None:
    wording = WORDINGS[language]
    footer = f"Title · {wording.page.format(page=12)}\r\n34"
    assert wording.page_number().sub("", footer).strip() == "Title ·"
