"""What the report tells a manager to rewrite: articles ranked by how far their gradable sections
are over target, short sections apart, sentences only when they are over target, plainer words
from the packaged list, protected text to keep, each warning once, a CSV a spreadsheet opens."""

from __future__ import annotations

import copy
import csv
import io
import json
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from conftest import write_leaflet
from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.manifest import Manifest
from renderer.pipeline import Toolkit, render_file
from renderer.report import ArticleOutcome, summarise, write_reports
from renderer.report.entries import MIN_SENTENCE_WORDS, group_warnings
from renderer.report.plainwords import LIST_NAME, PlainWord, find_plain_words, parse_list
from renderer.report.writer import ranked

TARGET = 8.0
LONG = (
    "Patients should utilize the medication prior to the procedure in order to minimize the "
    "discomfort that they may experience. "
)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small leaflet's manifest as JSON, for the tests to reshape."""
    folder = tmp_path_factory.mktemp("rewrite")
    path = write_leaflet(folder, "leaflet.md", extra=LONG * 3)
    result = render_file(
        path, Options(formats=("pdf",)), folder / "out", "leaflet", Toolkit(load_cues())
    )
    return result.manifest.to_json()


def outcome(
    manifest: dict[str, Any],
    name: str,
    grades: list[tuple[float, bool]],
    warnings: list[str] | None = None,
) -> ArticleOutcome:
    """The leaflet as an article `name` whose sections have these (grade, reliable) figures."""
    data = copy.deepcopy(manifest)
    sections = data["analysis"]["sections"]
    template = next(s for s in sections if s["readability"] is not None)
    data["analysis"]["sections"] = []
    for n, (grade, reliable) in enumerate(grades):
        section = copy.deepcopy(template)
        section.update(index=n, heading=f"{name} part {n}", protected=False, kind="general")
        section["readability"].update(grade=grade, reliable=reliable)
        data["analysis"]["sections"].append(section)
    data["analysis"]["title"] = name
    data["slug"] = name
    if warnings is not None:
        data["warnings"] = warnings
    return ArticleOutcome(f"content/{name}.md", name, Manifest.from_json(data))


def test_articles_are_ranked_by_how_far_their_gradable_sections_are_over_target(
    manifest: dict[str, Any],
) -> None:
    outcomes = [
        outcome(manifest, "mild", [(9.0, True), (7.0, True)]),  # 1 grade over
        outcome(manifest, "short", [(16.0, False), (15.0, False)]),  # short sections never count
        outcome(manifest, "worst", [(10.5, True), (9.5, True)]),  # 2.5 + 1.5 over
        ArticleOutcome("content/broken.pdf", None, None, "content/broken.pdf: not an article"),
        outcome(manifest, "fine", [(6.0, True)]),
    ]
    entries = ranked([summarise(o, TARGET) for o in outcomes])
    by_name = {e.name: e for e in entries}
    assert by_name["worst"].points_over == 4.0
    assert by_name["mild"].points_over == 1.0
    assert by_name["short"].points_over == 0.0 and len(by_name["short"].short) == 2
    assert [by_name[n].rank for n in ("worst", "mild")] == [1, 2]
    assert by_name["content/broken.pdf"].rank is None
    # With nothing over target, the higher whole-article grade comes first, then input order.
    assert {by_name["short"].rank, by_name["fine"].rank} == {3, 4}
    assert [e.number for e in entries] == [1, 2, 3, 4, 5]  # input order is kept for the ids


def test_the_html_shows_the_ranking_first_and_the_articles_in_that_order(
    manifest: dict[str, Any], tmp_path: Path
) -> None:
    outcomes = [
        outcome(manifest, "mild", [(9.0, True)]),
        outcome(manifest, "worst", [(12.0, True)]),
    ]
    write_reports(tmp_path, [summarise(o, TARGET) for o in outcomes], TARGET)
    text = (tmp_path / "report.html").read_text("utf-8")
    assert text.index("What to rewrite first") < text.index('id="article-2"')
    assert text.index('id="article-2"') < text.index('id="article-1"')  # worst, then mild
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert [(a["title"], a["rank"]) for a in report["articles"]] == [("mild", 2), ("worst", 1)]
    assert [a["grade_points_over_target"] for a in report["articles"]] == [1.0, 4.0]


def test_a_short_section_is_too_short_to_grade_never_over_target(
    manifest: dict[str, Any],
) -> None:
    entry = summarise(outcome(manifest, "a", [(13.1, False), (9.0, True), (3.0, False)]), TARGET)
    short, over, fine = entry.sections
    assert short.short and not short.over and short.over_by == 0.0
    assert over.over and over.over_by == 1.0 and not over.short
    assert fine.short and not fine.over
    assert entry.over == [over] and entry.short == [short, fine]


def test_hard_sentences_are_listed_only_when_over_target_and_long_enough(
    manifest: dict[str, Any],
) -> None:
    data = copy.deepcopy(manifest)
    article = outcome(data, "a", [(12.0, True)])
    assert article.manifest is not None
    analysis = article.manifest.to_json()
    analysis["analysis"]["sections"][0]["readability"]["hardest_sentences"] = [
        {"text": "Nausea and vomiting", "grade": 13.1},  # a list item, not a sentence
        {"text": "A good clinic will answer these clearly.", "grade": 4.0},  # under target
        {"text": "Ketamine works on a part of brain cells called receptors.", "grade": 12.7},
    ]
    entry = summarise(
        ArticleOutcome(article.source, article.slug, Manifest.from_json(analysis)), TARGET
    )
    (section,) = entry.sections
    assert [s.text for s in section.hardest] == [
        "Ketamine works on a part of brain cells called receptors."
    ]
    assert all(len(s.text.split()) >= MIN_SENTENCE_WORDS for s in section.hardest)


def test_protected_text_is_marked_keep_as_is_wherever_a_change_is_suggested(
    manifest: dict[str, Any], tmp_path: Path
) -> None:
    data = copy.deepcopy(manifest)
    article = outcome(data, "a", [(12.0, True), (11.0, True)])
    assert article.manifest is not None
    changed = article.manifest.to_json()
    changed["analysis"]["sections"][1].update(protected=True, kind="risk")
    for section in changed["analysis"]["sections"]:
        section["readability"]["hardest_sentences"] = [
            {"text": "You should utilize the medication prior to every single meal.", "grade": 12.0}
        ]
    write_reports(
        tmp_path,
        [summarise(ArticleOutcome("a.md", "a", Manifest.from_json(changed)), TARGET)],
        TARGET,
    )
    text = (tmp_path / "report.html").read_text("utf-8")
    sections_table = text[text.index('<caption id="article-1-sections">') :]
    rows = sections_table[: sections_table.index("</table>")].split("<tr>")[2:]
    assert "Rewrite: 4.0 grades over target" in rows[0]
    assert "Keep as is unless a clinician signs off" in rows[1]
    hard = text[text.index("Sentences to rewrite") :]
    assert hard.count("keep as is unless a clinician signs off") == 1  # the protected section's
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert [r["rewrite"] for r in rows] == ["rewrite", "keep as is unless a clinician signs off"]
    assert [r["over_by"] for r in rows] == ["4.0", "3.0"]


def test_plainer_words_come_from_the_packaged_list_with_where_they_are(
    manifest: dict[str, Any], tmp_path: Path
) -> None:
    entry = summarise(ArticleOutcome("leaflet.md", "leaflet", Manifest.from_json(manifest)), TARGET)
    found = {w.entry.words: w for w in entry.plain_words}
    assert {"utilize", "medication", "prior to", "in order to", "minimize"} <= set(found)
    assert found["utilize"].entry.plainer == "use" and found["utilize"].count == 3
    assert found["experience"].entry.note  # the list says when a swap does not fit
    write_reports(tmp_path, [entry], TARGET)
    text = (tmp_path / "report.html").read_text("utf-8")
    assert '<th scope="row">prior to</th><td>before</td><td class="num">3</td>' in text
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert any("utilize -> use" in r["plainer_words"] for r in rows)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    (utilize,) = [w for w in report["articles"][0]["plain_words"] if w["words"] == "utilize"]
    assert utilize == {
        "words": "utilize",
        "plainer": "use",
        "note": "",
        "found": ["utilize"],
        "count": 3,
        "sections": [utilize["sections"][0]],
        "protected_only": False,
    }


def test_plain_words_match_word_forms_and_whole_words_only() -> None:
    entries = (
        PlainWord("initiate", "start"),
        PlainWord("in the event of", "if"),
        PlainWord("in the event that", "if"),
        PlainWord("monitor", "check"),
        PlainWord("oral", "by mouth"),
        PlainWord("remedy", "cure"),
    )
    found = find_plain_words(
        [
            (
                0,
                "Treatment was initiated. In the  event of pain, initiating it again helps.",
                False,
            ),
            (1, "A moral choice; a heart monitor; monitoring; remedies.", True),
            (2, "Re-initiate nothing. Initiates.", False),
        ],
        "en-US",
        entries,
    )
    by_words = {w.entry.words: w for w in found}
    assert by_words["initiate"].forms == ("initiated", "initiating", "initiates")
    assert by_words["initiate"].sections == (0, 2) and by_words["initiate"].count == 3
    assert by_words["in the event of"].forms == ("in the event of",)
    assert "oral" not in by_words  # not inside "moral"
    assert by_words["monitor"].protected_only and by_words["monitor"].count == 2
    assert by_words["remedy"].forms == ("remedies",)
    assert found[0].entry.words == "initiate"  # most often found first
    assert find_plain_words([(0, "Initiated.", False)], "es", entries) == ()


def test_the_packaged_list_parses_and_says_where_it_comes_from() -> None:
    text = resources.files("renderer.report").joinpath(LIST_NAME).read_text("utf-8")
    header = " ".join(line for line in text.splitlines() if line.startswith("#"))
    assert "Source:" in header and "public domain" in header
    entries = parse_list(text)
    assert len(entries) >= 100
    assert len({e.words for e in entries}) == len(entries)  # no entry twice
    with pytest.raises(ValueError, match="line 2"):
        parse_list("# comment\nno tab here\n")


def test_each_warning_is_said_once_with_a_count() -> None:
    notes = group_warnings(
        [
            "section 0: readability is a rough guide (76 words)",
            "section 1 (What is it?): readability is a rough guide (97 words)",
            "left out footer: 'Privacy'",
            "left out header: 'Home'",
            "left out footer: 'Terms'",
            "no translation of the renderer's own words into 'xx'",
            "no translation of the renderer's own words into 'xx'",
        ]
    )
    assert [(n.message, n.count, n.places) for n in notes] == [
        ("readability is a rough guide", 2, ("section 0", "What is it?")),
        ("left out as page furniture", 3, ("footer ×2", "header")),
        ("no translation of the renderer's own words into 'xx'", 2, ()),
    ]


def test_the_csv_opens_in_a_spreadsheet_as_it_is(manifest: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(manifest)
    data["analysis"]["sections"][0]["heading"] = '=HYPERLINK("x")\nsecond line'
    data["analysis"]["title"] = "Café “quotes”"
    entry = summarise(ArticleOutcome("a.md", "a", Manifest.from_json(data)), TARGET)
    write_reports(tmp_path, [entry], TARGET)
    raw = (tmp_path / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads it so
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == len(entry.sections) + 2  # a line per row
    assert b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0]["heading"] == '\'=HYPERLINK("x") second line'  # text, not a formula
    assert rows[0]["title"] == "Café “quotes”"
    assert all(r["rank"] == "1" for r in rows)


def test_a_report_of_an_article_with_no_protected_or_plain_words_says_nothing_of_them(
    manifest: dict[str, Any], tmp_path: Path
) -> None:
    data = copy.deepcopy(manifest)
    data["analysis"]["language"] = "fr"  # the list is English
    entry = summarise(ArticleOutcome("a.md", "a", Manifest.from_json(data)), TARGET)
    assert entry.plain_words == ()
    write_reports(tmp_path, [replace(entry)], TARGET)
    assert "Plainer words" not in (tmp_path / "report.html").read_text("utf-8")
