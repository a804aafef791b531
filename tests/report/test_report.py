"""The batch reports: report.json, report.csv and report.html from the articles' manifests, with
the HTML checked as a page (one h1, landmarks, no script, nothing fetched, AAA contrast) and
hostile article text kept as text."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import CONTENT
from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.manifest import Manifest
from renderer.pipeline import Toolkit, render_file
from renderer.report import (
    CSV_HEADER,
    OVER_BAR,
    REPORT_NAMES,
    ArticleOutcome,
    summarise,
    write_reports,
)
from renderer.version import VERSION

TARGET = 8.0
HOSTILE = "<script>alert(1)</script>"
FAILED = ArticleOutcome("content/broken.pdf", None, None, "content/broken.pdf: not an article")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ArticleOutcome]]:
    """The content articles rendered once (PDF only), as the batch would hand them over."""
    out_dir = tmp_path_factory.mktemp("output")
    kit = Toolkit(load_cues())
    outcomes = []
    paths = sorted(p for p in CONTENT.iterdir() if p.suffix in {".md", ".txt", ".html"})
    assert paths, f"no articles in {CONTENT}"
    for path in paths:
        result = render_file(path, Options(formats=("pdf",)), out_dir, path.stem, kit)
        outcomes.append(ArticleOutcome(str(path), result.slug, result.manifest))
    return out_dir, outcomes


@pytest.fixture
def batch(rendered: tuple[Path, list[ArticleOutcome]]) -> list[ArticleOutcome]:
    """The rendered articles, one of them skipped as unchanged, and one failure."""
    _, outcomes = rendered
    last = outcomes[-1].manifest
    assert last is not None
    skipped = replace(
        last,
        status="skipped",
        reason="input, options, renderer and engine unchanged since the last run",
    )
    return [*outcomes[:-1], ArticleOutcome(outcomes[-1].source, outcomes[-1].slug, skipped), FAILED]


@pytest.fixture
def reports(
    rendered: tuple[Path, list[ArticleOutcome]], batch: list[ArticleOutcome]
) -> dict[str, bytes]:
    out_dir, _ = rendered
    paths = write(out_dir, batch, TARGET)
    assert paths == [out_dir / name for name in REPORT_NAMES]
    return {path.name: path.read_bytes() for path in paths}


def write(out_dir: Path, outcomes: list[ArticleOutcome], target: float = TARGET) -> list[Path]:
    return write_reports(out_dir, [summarise(o, target) for o in outcomes], target)


def sections_of(outcome: ArticleOutcome) -> list[dict[str, Any]]:
    assert outcome.manifest is not None
    sections: list[dict[str, Any]] = outcome.manifest.analysis["sections"]
    return sections


def squash(text: str) -> str:
    return " ".join(text.split())


def over_target(section: dict[str, Any], target: float = TARGET) -> bool:
    """Long enough to grade, and graded over the target."""
    readability = section["readability"]
    return readability is not None and readability["reliable"] and readability["grade"] > target


def too_short(section: dict[str, Any]) -> bool:
    readability = section["readability"]
    return readability is not None and not readability["reliable"]


def html_order(reports: dict[str, bytes], batch: list[ArticleOutcome]) -> list[ArticleOutcome]:
    """The articles in the order report.html shows them: by rank, a failed one last."""
    ranks = [a["rank"] for a in json.loads(reports["report.json"])["articles"]]
    ordered = sorted(
        zip(ranks, range(len(batch)), batch, strict=True),
        key=lambda r: (r[0] is None, r[0] or 0, r[1]),
    )
    return [outcome for _, _, outcome in ordered]


# -- report.json ----------------------------------------------------------------------------------


def test_json_lists_every_article_with_its_status_and_totals(
    reports: dict[str, bytes], batch: list[ArticleOutcome], rendered: tuple[Path, Any]
) -> None:
    report = json.loads(reports["report.json"])
    assert report["renderer"] == VERSION
    assert report["target_grade"] == TARGET
    articles = report["articles"]
    assert [a["source"] for a in articles] == [o.source for o in batch]
    assert [a["status"] for a in articles] == ["rendered"] * (len(batch) - 2) + [
        "skipped",
        "failed",
    ]
    all_sections = [s for o in batch[:-1] for s in sections_of(o)]
    assert report["totals"] == {
        "articles": len(batch),
        "rendered": len(batch) - 2,
        "skipped": 1,
        "failed": 1,
        "sections": len(all_sections),
        "sections_over_target": sum(over_target(s) for s in all_sections),
        "sections_too_short_to_grade": sum(too_short(s) for s in all_sections),
    }
    out_dir, _ = rendered
    for entry, outcome in zip(articles[:-1], batch[:-1], strict=True):
        assert outcome.manifest is not None
        analysis = outcome.manifest.analysis
        assert entry["slug"] == outcome.slug
        assert entry["error"] is None
        assert entry["title"] == analysis["title"]
        assert entry["words"] == analysis["document"]["words"]
        assert entry["grade"] == analysis["document"]["readability"]["grade"]
        assert entry["protected_passages"] == len(analysis["protected"])
        assert entry["sections_over_target"] == sum(over_target(s) for s in sections_of(outcome))
        assert entry["outputs"] == {"pdf": f"{outcome.slug}/{outcome.slug}.pdf"}
        assert (out_dir / entry["outputs"]["pdf"]).is_file()  # relative to the report's folder
        assert entry["warnings"] == list(outcome.manifest.warnings)
        assert entry["verification"]["passed"] is True


def test_json_lists_a_failed_article_with_its_error(reports: dict[str, bytes]) -> None:
    failed = json.loads(reports["report.json"])["articles"][-1]
    assert failed == {
        "source": FAILED.source,
        "slug": None,
        "status": "failed",
        "reason": None,
        "error": FAILED.error,
        "title": None,
        "words": None,
        "grade": None,
        "rank": None,
        "sections": 0,
        "sections_over_target": 0,
        "sections_too_short_to_grade": 0,
        "grade_points_over_target": 0.0,
        "protected_passages": 0,
        "outputs": {},
        "warnings": [],
        "verification": None,
        "check_these": [],
        "overrides": [],
        "dropped": [],
        "plain_words": [],
        "notes": [],
    }


# -- report.csv -----------------------------------------------------------------------------------


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_section_and_none_for_a_failure(
    reports: dict[str, bytes], batch: list[ArticleOutcome]
) -> None:
    header, *rows = csv_rows(reports["report.csv"])
    assert tuple(header) == CSV_HEADER
    expected = [(o.slug, s) for o in batch[:-1] for s in sections_of(o)]
    assert len(rows) == len(expected)
    for row, (slug, section) in zip(rows, expected, strict=True):
        record = dict(zip(header, row, strict=True))
        readability = section["readability"]
        assert record["article"] == slug
        assert record["section"] == str(section["index"])
        assert record["heading"] == (section["heading"] or "")
        assert record["kind"] == section["kind"]
        assert record["protected"] == ("yes" if section["protected"] else "no")
        assert record["words"] == str(section["words"])
        assert record["sentences"] == str(section["sentences"])
        if readability is None:
            assert record["grade"] == record["meets_target"] == record["reliable"] == ""
        else:
            assert record["grade"] == f"{readability['grade']:.1f}"
            assert record["meets_target"] == ("no" if readability["grade"] > TARGET else "yes")
            assert record["reliable"] == ("yes" if readability["reliable"] else "no")
            verdict = "over target" if over_target(section) else "meets target"
            assert record["verdict"] == ("too short to grade" if too_short(section) else verdict)
        if section["protected"]:
            assert record["rewrite"] == "keep as is unless a clinician signs off"
        else:
            assert record["rewrite"] == ("rewrite" if over_target(section) else "")
    assert FAILED.source not in reports["report.csv"].decode("utf-8")


def test_csv_marks_a_section_with_no_readability_by_empty_cells(
    rendered: tuple[Path, list[ArticleOutcome]], tmp_path: Path
) -> None:
    outcome = hostile_outcome(rendered[1][0])
    write(tmp_path, [outcome], TARGET)
    _, *rows = csv_rows((tmp_path / "report.csv").read_bytes())
    assert [row[2] for row in rows] == [f"Heading {HOSTILE}", *(row[2] for row in rows[1:])]
    assert rows[1][7:10] == ["", "", ""]  # grade, meets_target, reliable
    assert rows[2][7:10] == ["3.0", "yes", "no"]
    verdicts = [dict(zip(CSV_HEADER, row, strict=True))["verdict"] for row in rows]
    assert verdicts[1:3] == ["no text to grade", "too short to grade"]


# -- report.html ----------------------------------------------------------------------------------


class Page(HTMLParser):
    """The page's elements, in order, with their attributes and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def test_html_is_one_accessible_self_contained_page(
    reports: dict[str, bytes], batch: list[ArticleOutcome]
) -> None:
    text = reports["report.html"].decode("utf-8")
    assert text.startswith("<!DOCTYPE html>\n")
    page = Page(text)
    assert page.all("html") == [{"lang": "en"}]
    assert {"charset": "utf-8"} in page.all("meta")
    assert any(m.get("name") == "viewport" for m in page.all("meta"))
    head = text[: text.index("</head>")]
    assert head.count("<title>") == 1  # the charts' own <title>s are in the body
    assert len(page.all("header")) == len(page.all("main")) == len(page.all("h1")) == 1
    assert len(page.all("h2")) == 1 + len(batch)  # the summary, then one per article
    assert page.all("h3")
    for forbidden in ("script", "link", "img", "iframe", "object", "embed", "base"):
        assert not page.all(forbidden), forbidden
    style = re.search(r"<style>(.*?)</style>", text, re.DOTALL)
    assert style is not None
    assert re.search(r"body \{[^}]*font-size: 1[2-9]\d%;[^}]*line-height: 1\.5", style.group(1))
    assert ":focus" in style.group(1) and "outline" in style.group(1)
    assert "url(" not in style.group(1) and "@import" not in style.group(1)
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)  # no event handlers either
        for name in ("href", "src", "xlink:href"):
            value = attrs.get(name)
            assert value is None or value.startswith(("./", "#")), value
    for svg in re.findall(r"<svg\b.*?</svg>", text, re.DOTALL):
        assert "http" not in svg and "<?xml" not in svg and "DOCTYPE" not in svg


def test_html_summary_table_and_links_to_each_pdf(
    reports: dict[str, bytes], batch: list[ArticleOutcome], rendered: tuple[Path, Any]
) -> None:
    page = Page(reports["report.html"].decode("utf-8"))
    assert len(page.all("caption")) == len(page.all("table"))
    assert {a.get("scope") for a in page.all("th")} <= {"col", "row"}
    hrefs = [a["href"] for a in page.all("a")]
    out_dir, _ = rendered
    for outcome in batch[:-1]:
        link = f"./{outcome.slug}/{outcome.slug}.pdf"
        assert link in hrefs
        assert (out_dir / link).is_file()
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids))  # two charts must not share an id
    for href in hrefs:
        if href is not None and href.startswith("#"):
            assert href[1:] in ids


def test_html_charts_are_svg_images_with_a_name_and_a_table_beside(
    reports: dict[str, bytes], batch: list[ArticleOutcome]
) -> None:
    text = reports["report.html"].decode("utf-8")
    page = Page(text)
    charts = page.all("svg")
    assert len(charts) == len(batch) - 1  # none for the failed article
    for chart in charts:
        assert chart["role"] == "img"
        assert chart["aria-label"] and "target grade 8" in chart["aria-label"]
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.DOTALL)
    for svg, outcome in zip(svgs, html_order(reports, batch)[:-1], strict=True):
        assert "<title>" in svg and "<rect" in svg
        assert "target 8" in svg  # the target line's label
        sections = sections_of(outcome)
        # Over-target bars are told apart by a label, not by colour alone; so are short ones.
        over = sum(over_target(s) for s in sections)
        assert len(re.findall(r">[\d.]+ over</text>", svg)) == over
        assert len(re.findall(r">~[\d.]+ too short to grade</text>", svg)) == sum(
            too_short(s) for s in sections
        )
        # Each bar is named by its section's heading (cut short with "…" if it is long).
        for section in sections:
            name = section["heading"] or ("Opening (no heading)" if section["index"] == 0 else "")
            label = html.escape(name[:20]) if name else f"Section {section['index']}"
            assert f">{label}" in svg, label
    # Screen readers get the same figures as a table: a row per section of each article.
    total = sum(len(sections_of(o)) for o in batch[:-1])
    assert text.count('<span class="over">over target</span>') == sum(
        over_target(s) for o in batch[:-1] for s in sections_of(o)
    )
    assert len(re.findall(r'<tr><th scope="row">\d+</th>', text)) == total


def test_html_chart_bars_are_as_long_as_the_grades_against_the_target_line(
    reports: dict[str, bytes], batch: list[ArticleOutcome]
) -> None:
    text = reports["report.html"].decode("utf-8")
    number = r"([\d.]+)"
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.DOTALL)
    for svg, outcome in zip(svgs, html_order(reports, batch)[:-1], strict=True):
        ((x1, x2),) = re.findall(
            rf'<polyline points="{number} [\d.]+, {number} [\d.]+" style="[^"]*stroke-width: 4;',
            svg,
        )
        assert x1 == x2  # the target is a vertical line across every bar
        bars = re.findall(
            rf'<rect x="{number}" y="[\d.]+" width="{number}" height="[\d.]+" '
            r'style="fill: (#\w+); stroke: #000000; stroke-width: 2;( stroke-dasharray: [^;]+;)?"/>',
            svg,
        )
        graded = [s for s in sections_of(outcome) if s["readability"] is not None]
        assert len(bars) == len(graded)
        for (left, width, fill, dashed), section in zip(bars, graded, strict=True):
            drawn = TARGET * float(width) / (float(x1) - float(left))
            assert drawn == pytest.approx(section["readability"]["grade"], abs=0.05)
            assert (fill == OVER_BAR) == over_target(section)
            assert bool(dashed) == too_short(section)


def test_html_shows_the_failed_article_with_its_error(reports: dict[str, bytes]) -> None:
    text = reports["report.html"].decode("utf-8")
    assert "content/broken.pdf: not an article" in text
    assert '<td class="failed">failed</td>' in text


def test_html_lists_hard_sentences_dropped_regions_notes_and_checks(
    reports: dict[str, bytes], batch: list[ArticleOutcome]
) -> None:
    page = Page(reports["report.html"].decode("utf-8"))
    text = squash(" ".join(page.text))
    for outcome in batch[:-1]:
        assert outcome.manifest is not None
        for section in sections_of(outcome):
            readability = section["readability"]
            for sentence in readability["hardest_sentences"] if readability else ():
                line = squash(f"{sentence['text']} (grade {sentence['grade']:.1f})")
                # Only a sentence over target, of six words or more, in a section that needs
                # work: never a short list item, never one that meets the target.
                wanted = (
                    (over_target(section) or too_short(section))
                    and sentence["grade"] > TARGET
                    and len(sentence["text"].split()) >= 6
                )
                assert (line in text) == wanted, line
        for dropped in outcome.manifest.analysis["dropped"]:
            assert squash(dropped["text"])[:60] in text
        for check in outcome.manifest.checks:
            assert squash(check) in text
        # Each warning once, with how often: the rough-guide note of many sections is one line.
        rough = [w for w in outcome.manifest.warnings if "rough guide" in w]
        if len(rough) > 1:
            assert f"readability is a rough guide — {len(rough)} times" in text
            assert not any(squash(w) in text for w in rough)
        left_out = [w for w in outcome.manifest.warnings if w.startswith("left out ")]
        if len(left_out) > 1:
            assert f"left out as page furniture — {len(left_out)} times" in text


def hostile_outcome(outcome: ArticleOutcome) -> ArticleOutcome:
    """A rendered article whose text (and slug) try to become markup: three sections, the second
    with no readability, the third unreliable and under target."""
    assert outcome.manifest is not None
    manifest = copy.deepcopy(outcome.manifest.to_json())
    analysis = manifest["analysis"]
    analysis["title"] = f"Title {HOSTILE}"
    sections = analysis["sections"][:3]
    first = sections[0]
    first["heading"] = f"Heading {HOSTILE}"
    first["readability"]["grade"] = 12.0
    first["readability"]["hardest_sentences"] = [
        {"text": f"A long and hard sentence {HOSTILE}", "grade": 14.2}
    ]
    sections[1]["readability"] = None
    sections[2]["readability"].update(grade=3.0, reliable=False)
    analysis["sections"] = sections
    analysis["dropped"] = [
        {"region": f"aside {HOSTILE}", "text": HOSTILE * 20, "before_main": False, "kept": False}
    ]
    manifest["warnings"] = [f"warning {HOSTILE}"]
    manifest["verification"]["checks"] = [f"check {HOSTILE}"]
    slug = 'x" onmouseover="alert(1)'
    manifest["outputs"]["pdf"]["path"] = f"{HOSTILE}.pdf"
    return ArticleOutcome(f"content/{HOSTILE}.md", slug, Manifest.from_json(manifest))


def test_html_keeps_hostile_article_text_as_text(
    rendered: tuple[Path, list[ArticleOutcome]], tmp_path: Path
) -> None:
    failed = ArticleOutcome(f"{HOSTILE}.md", None, None, f"error {HOSTILE}")
    write(tmp_path, [hostile_outcome(rendered[1][0]), failed], TARGET)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = Page(text)
    assert not page.all("script")
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    words = " ".join(page.text)
    for what in ("Title", "Heading", "sentence", "warning", "check", "error"):
        assert f"{what} {HOSTILE}" in words, what
    (pdf,) = [a["href"] for a in page.all("a") if a["href"] and a["href"].endswith(".pdf")]
    assert pdf.startswith("./x%22%20onmouseover") and "<" not in pdf and '"' not in pdf
    # A left-out region shows its first 100 characters only.
    (region,) = [t for t in page.text if t.startswith(HOSTILE * 2)]
    assert region == HOSTILE * 4 + "…"


def test_html_marks_unreliable_and_missing_grades(
    rendered: tuple[Path, list[ArticleOutcome]], tmp_path: Path
) -> None:
    write(tmp_path, [hostile_outcome(rendered[1][0])], TARGET)
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><th scope="row">(\d+)</th>.*?</tr>', text)
    assert rows == ["0", "1", "2"]
    assert re.search(r'<th scope="row">1</th>.*?no grade</td><td>no text to grade</td>', text)
    assert re.search(
        r'<th scope="row">2</th>.*?3\.0 \(rough guide\)</td><td>too short to grade</td>', text
    )
    # the chart marks them too
    assert ">no text to grade</text>" in text and ">~3.0 too short to grade</text>" in text


# -- colours --------------------------------------------------------------------------------------


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour with channels from 0 to 1."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colours(text: str) -> Iterator[tuple[float, float, float]]:
    """Every colour written as #rgb, #rrggbb or rgb(r%,g%,b%) in the text."""
    for match in re.finditer(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", text):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
        yield r, g, b
    for match in re.finditer(r"rgb\(\s*([\d.]+)%\s*,\s*([\d.]+)%\s*,\s*([\d.]+)%\s*\)", text):
        r, g, b = (float(v) / 100 for v in match.groups())
        yield r, g, b


def test_every_colour_reaches_7_to_1_on_the_white_page(reports: dict[str, bytes]) -> None:
    text = reports["report.html"].decode("utf-8")
    style = re.search(r"<style>(.*?)</style>", text, re.DOTALL)
    assert style is not None
    white = (1.0, 1.0, 1.0)
    # The page is the only background: every other colour is drawn on it.
    backgrounds = re.findall(r"background(?:-color)?:\s*([^;}]+)", style.group(1))
    assert backgrounds and all(list(colours(b)) == [white] for b in backgrounds)
    used = list(colours(style.group(1)))
    for svg in re.findall(r"<svg\b.*?</svg>", text, re.DOTALL):
        used += colours(" ".join(re.findall(r'style="([^"]*)"', svg)))
        assert not re.search(r'(?:fill|stroke|color)="', svg)  # every colour is in a style
    foreground = {c for c in used if c != white}
    assert len(foreground) >= 3  # text, link, over-target bar at least
    for colour in foreground:
        assert contrast(colour, white) >= 7.0, colour


def test_contrast_formula_matches_wcag_examples() -> None:
    assert contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert contrast((0x77 / 255,) * 3, (1, 1, 1)) == pytest.approx(4.48, abs=0.01)


# -- determinism and the target line --------------------------------------------------------------


def test_reports_are_byte_identical_for_the_same_outcomes(
    batch: list[ArticleOutcome], tmp_path: Path
) -> None:
    first = [p.read_bytes() for p in write(tmp_path / "a", batch, TARGET)]
    second = [p.read_bytes() for p in write(tmp_path / "b", batch, TARGET)]
    again = [p.read_bytes() for p in write(tmp_path / "a", batch, TARGET)]
    assert first == second == again
    assert not [p.name for p in (tmp_path / "a").iterdir() if p.name not in REPORT_NAMES]


def test_the_target_line_moves_with_the_target_grade(
    batch: list[ArticleOutcome], tmp_path: Path
) -> None:
    def charts(target: float) -> list[str]:
        (html,) = [p for p in write(tmp_path, batch, target) if p.suffix == ".html"]
        return re.findall(r"<svg\b.*?</svg>", html.read_text(encoding="utf-8"), re.DOTALL)

    def target_lines(svg: str) -> list[str]:
        return re.findall(r'<polyline points="([^"]*)" style="[^"]*stroke-width: 4;', svg)

    low, high = charts(8.0), charts(10.0)
    assert len(low) == len(high) == len(batch) - 1
    for a, b in zip(low, high, strict=True):
        assert a != b
        assert len(target_lines(a)) == len(target_lines(b)) == 1
        assert target_lines(a) != target_lines(b)
        assert "target 10" in b and "target 10" not in a
