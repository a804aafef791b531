"""Text repair before analysis: what real files bring (mojibake, PDF line-end hyphens) is put right
once, recorded, and seen the same way by the classifier, every output and every proof."""

from __future__ import annotations

import json
from pathlib import Path

from renderer.analysis.article import analyse
from renderer.config import Options
from renderer.model import article_to_json
from renderer.pipeline import render_file

WRAPPED = (
    "Leaflet for patients\n\n"
    "Side effects\n\n"
    "Tell your nurse at once about any unusual bruising or bleeding, or other associ-\n"
    "ated signs such as dark stools, because the tablets can make long-\n"
    "term bleeding problems worse in people with a long-term liver condition.\n"
    "Keep taking the tablets unless your nurse says otherwise, every morning.\n\n"
    "About the tablets\n\n"
    "The tablets are small and white and come in a bottle of thirty tablets with\n"
    "a child-proof cap that you push down and turn to open it each morning.\n"
)


def test_a_word_split_at_a_line_end_is_joined_and_a_compound_keeps_its_hyphen(
    tmp_path: Path,
) -> None:
    path = tmp_path / "leaflet.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    article = analyse(path, Options())
    text = " ".join(s.plain_text() for s in article.sections)
    assert "associated signs" in text and "associ-" not in text
    assert "long-term bleeding" in text
    assert article_to_json(article)["repairs"] == [
        "line-end hyphen joined: 'associ-ated' -> 'associated'",
        "line-end hyphen kept in the compound 'long-term'",
    ]


def test_mojibake_is_repaired_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(
        "# Menâ€™s health\n\n## Warnings\n\nDonâ€™t take it with alcohol. Itâ€™s unsafe.\n",
        encoding="utf-8",
    )
    article = analyse(path, Options())
    assert article.title == "Men’s health"
    assert article.sections[0].plain_text() == "Don’t take it with alcohol. It’s unsafe."
    assert article.sections[0].protected
    assert len(article.repairs) == 2 and all("mojibake" in r for r in article.repairs)


def test_clean_text_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("# Café “crème”\n\nTake 5 µg at 37 °C – not ＡＢ.\n", encoding="utf-8")
    article = analyse(path, Options())
    assert article.title == "Café “crème”"
    assert article.sections[0].plain_text() == "Take 5 µg at 37 °C – not ＡＢ."
    assert article.repairs == ()


def test_a_hyphenated_leaflet_renders_and_its_manifest_lists_the_repairs(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    result = render_file(path, Options(formats=("pdf",)), tmp_path / "out", "leaflet")
    assert result.pdf is not None and result.pdf.is_file()
    manifest = json.loads((tmp_path / "out" / "leaflet" / "manifest.json").read_text())
    assert any("associated" in r for r in manifest["analysis"]["repairs"])
