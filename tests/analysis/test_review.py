"""A person's check on the judgement: unboxed safety sentences listed, a clinic's pins applied and
recorded, shown by `score`, the manifest and report.html, and a pin edit re-rendering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from renderer.analysis.article import analyse
from renderer.analysis.review import check_these, pins_path
from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.errors import ConfigError, InputError
from renderer.model import Article, Block, BlockKind, Section, SectionKind, article_to_json
from renderer.pipeline import Toolkit, render_file, up_to_date
from renderer.report import ArticleOutcome, summarise, write_reports

CUES = load_cues()

# Our own text: a garden first-aid sheet, with a strong cue ("call 999") in one section.
SHEET = """\
# Stings in the garden

## After a sting

Scrape the sting out with a bank card. Wash the skin with soap and cool water.

## Swelling of the throat

If your lips or throat swell after a sting, call 999 at once.

## Plants that sting

Nettles grow along the north hedge. Wear long sleeves when you weed there.
"""


def paragraph(text: str, protected: bool = False) -> Block:
    kind = SectionKind.RISK if protected else None
    return Block(BlockKind.PARAGRAPH, text, protected=protected, protection_kind=kind)


def write(folder: Path, text: str = SHEET, pins: str | None = None) -> Path:
    path = folder / "stings.md"
    path.write_text(text, encoding="utf-8")
    if pins is not None:
        pins_path(path).write_text(pins, encoding="utf-8")
    return path


def section_named(article: Article, heading: str) -> Section:
    return next(s for s in article.sections if s.heading == heading)


# -- check these ----------------------------------------------------------------------------------


def test_an_unboxed_call_999_sentence_is_listed_and_a_boxed_one_is_not() -> None:
    loose = "Dig the bed over in spring. If the child swallows the pellets, call 999."
    boxed = "If the dog eats the bait, call 999 and bring the packet."
    in_box = "Keep the spray away from your eyes. If you breathe it in and choke, call 999."
    article = Article(
        source="slugs.md",
        title="Slug pellets",
        language="en",
        sections=(
            Section(0, "Using the pellets", (paragraph(loose), paragraph(boxed, protected=True))),
            Section(1, "Sprays", (paragraph(in_box),), kind=SectionKind.RISK, protected=True),
        ),
    )
    found = check_these(article, CUES)
    assert [(c.section, c.heading, c.text, c.kind) for c in found] == [
        (0, "Using the pellets", "If the child swallows the pellets, call 999.", SectionKind.RISK)
    ]
    assert "999" in found[0].cue


def test_check_these_is_in_the_analysis_json_of_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, pins='unprotect = ["Swelling of the throat"]\n')
    code, out, err = run_cli(["score", str(path), "--json"], capsys)
    assert code == 0, err
    [analysis] = json.loads(out)
    assert [c["text"] for c in analysis["check_these"]] == [
        "If your lips or throat swell after a sting, call 999 at once."
    ]


# -- pins -----------------------------------------------------------------------------------------


def test_a_protect_pin_boxes_a_block_and_is_recorded(tmp_path: Path) -> None:
    pins = 'protect = [{ text = "nettles grow along the NORTH hedge", kind = "disclaimer" }]\n'
    article = analyse(write(tmp_path, pins=pins), Options(), CUES)
    block = section_named(article, "Plants that sting").blocks[0]
    assert block.protected and block.protection_kind is SectionKind.DISCLAIMER
    assert block.reason == 'pinned: protect "nettles grow along the NORTH hedge" (stings.pins.toml)'
    analysis = article_to_json(article)
    assert any(
        p["kind"] == "disclaimer" and p["text"].startswith("Nettles grow")
        for p in analysis["protected"]
    )
    [override] = analysis["overrides"]
    assert override["action"] == "protect" and override["pin_file"] == "stings.pins.toml"
    assert (override["heading"], override["block"]) == ("Plants that sting", 0)
    assert (override["before"], override["after"]) == ("not protected", "disclaimer, protected")


def test_an_unprotect_pin_unboxes_a_section_and_its_sentence_is_then_listed(
    tmp_path: Path,
) -> None:
    unpinned = analyse(write(tmp_path), Options(), CUES)
    assert section_named(unpinned, "Swelling of the throat").protected  # the classifier's call
    assert unpinned.check_these == () and unpinned.overrides == ()

    pins = 'unprotect = ["swelling of the  throat"]\n'  # case and spacing do not matter
    article = analyse(write(tmp_path, pins=pins), Options(), CUES)
    section = section_named(article, "Swelling of the throat")
    assert not section.protected and section.kind is SectionKind.GENERAL
    assert not any(b.protected for b in section.blocks)
    assert "unprotect" in (section.reason or "")
    assert all(
        p["heading"] != "Swelling of the throat" for p in article_to_json(article)["protected"]
    )
    assert [o.after for o in article.overrides] == ["not protected"]
    assert [c.text for c in article.check_these] == [
        "If your lips or throat swell after a sting, call 999 at once."
    ]


def test_a_pin_that_matches_nothing_fails_the_article_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, pins='protect = ["wasps nest in the shed"]\n')
    with pytest.raises(InputError):
        analyse(path, Options(), CUES)
    code, _, err = run_cli(["score", str(path)], capsys)
    assert code == 1
    [line] = err.strip().splitlines()
    assert str(pins_path(path)) in line and '"wasps nest in the shed"' in line


@pytest.mark.parametrize(
    "pins",
    ['protect = ["unclosed"\n', 'protect = "a text, not a list"\n', 'pin = ["typo in the key"]\n'],
)
def test_a_malformed_pin_file_is_a_one_line_config_error(
    tmp_path: Path, pins: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, pins=pins)
    with pytest.raises(ConfigError):
        analyse(path, Options(), CUES)
    code, _, err = run_cli(["score", str(path)], capsys)
    assert code == 2
    [line] = err.strip().splitlines()
    assert "stings.pins.toml" in line


def test_score_shows_check_these_left_out_furniture_and_pins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "cut.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>A cut finger</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/shop'>Shop the seed catalogue</a></nav>"
        "<main><h1>A cut finger</h1><h2>Cleaning it</h2>"
        "<p>Rinse the cut under cool tap water. Pat it dry with a clean towel.</p>"
        "<h2>Bleeding that goes on</h2>"
        "<p>Press a clean pad on it for ten minutes. If blood still pours out, call 999.</p>"
        "</main></body></html>",
        encoding="utf-8",
    )
    pins_path(page).write_text('unprotect = ["Bleeding that goes on"]\n', encoding="utf-8")
    code, out, err = run_cli(["score", str(page)], capsys)
    assert code == 0, err
    text = " ".join(out.split())
    assert (
        'Check these (risk language not boxed): - section 1 (Bleeding that goes on): "If blood'
        in text
    )
    assert "Left out as page furniture: - nav: Home Shop the seed catalogue" in text
    assert 'Pinned: - unprotect "Bleeding that goes on" (cut.pins.toml)' in text
    assert "risk, protected -> not protected" in text


# -- render and report ----------------------------------------------------------------------------


def test_editing_the_pin_file_renders_the_article_again(tmp_path: Path) -> None:
    options, kit, out_dir = Options(formats=("pdf",)), Toolkit(CUES), tmp_path / "out"
    path = write(tmp_path)
    first = render_file(path, options, out_dir, "stings", kit)
    assert first.manifest.analysis["overrides"] == []
    assert up_to_date(path, options, out_dir / "stings", kit) is not None  # unchanged: skipped

    pins_path(path).write_text('protect = ["Nettles grow along the north hedge"]\n', "utf-8")
    assert up_to_date(path, options, out_dir / "stings", kit) is None  # pins added: render again
    second = render_file(path, options, out_dir, "stings", kit)
    assert [o["pin"] for o in second.manifest.analysis["overrides"]] == [
        "Nettles grow along the north hedge"
    ]
    assert up_to_date(path, options, out_dir / "stings", kit) is not None

    pins_path(path).write_text('protect = ["Wear long sleeves when you weed there"]\n', "utf-8")
    assert up_to_date(path, options, out_dir / "stings", kit) is None  # pins edited
    pins_path(path).unlink()
    assert up_to_date(path, options, out_dir / "stings", kit) is None  # pins removed


def test_report_html_lists_check_these_pins_and_dropped_chrome(tmp_path: Path) -> None:
    page = tmp_path / "burn.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>A small burn</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/tools'>Browse our hand tools</a></nav>"
        "<main><h1>A small burn</h1><h2>Cooling it</h2>"
        "<p>Hold the burn under cool running water for twenty minutes.</p>"
        "<h2>When it is serious</h2>"
        "<p>Cover it loosely with cling film. If the burn is on the face, call 999.</p>"
        "</main></body></html>",
        encoding="utf-8",
    )
    pins_path(page).write_text('unprotect = ["When it is serious"]\n', encoding="utf-8")
    result = render_file(page, Options(formats=("pdf",)), tmp_path / "out", "burn", Toolkit(CUES))
    entry = summarise(ArticleOutcome(str(page), "burn", result.manifest), 8.0)
    write_reports(tmp_path / "out", [entry], 8.0)
    html = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "<h3>Check these: risk language not boxed</h3>" in html
    assert "If the burn is on the face, call 999." in html
    assert "<h3>Pinned by the clinic</h3>" in html
    assert "unprotect &quot;When it is serious&quot; (burn.pins.toml)" in html
    assert "<h3>Left out as page furniture" in html and "Browse our hand tools" in html
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    [article] = report["articles"]
    assert [c["cue"] for c in article["check_these"]] and len(article["overrides"]) == 1
    assert [d["region"] for d in article["dropped"]] == ["nav"]


def test_two_safety_words_in_an_unboxed_sentence_are_worth_a_second_look(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "## How to take it\n\nSwallow it with water. A smaller dose lowers the risk of "
        "dizziness on the first day. Take it after breakfast.\n",
    )
    article = analyse(path, Options())
    [check] = check_these(article, CUES)
    assert check.text == "A smaller dose lowers the risk of dizziness on the first day."
    assert check.cue == "risk + dizziness"
