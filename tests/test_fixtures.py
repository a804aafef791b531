"""The sample files in tests/fixtures, end to end through `analyse`: what a user of each would see."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from renderer.analysis.article import analyse
from renderer.config import Options
from renderer.model import SectionKind, protected_passages


def test_cp1252_leaflet() -> None:
    article = analyse(FIXTURES / "cp1252-leaflet.txt", Options())
    assert article.title == "PATIENT LEAFLET"
    assert article.sections[0].blocks[0].text == (
        "This leaflet explains your new tablets – read it all."
    )
    risk = article.sections[1]
    assert (risk.heading, risk.kind, risk.protected) == ("Side effects", SectionKind.RISK, True)
    assert "“light-headed”" in risk.plain_text() and "It’s rare" in risk.plain_text()


def test_stray_disclaimer_and_residue() -> None:
    article = analyse(FIXTURES / "stray-disclaimer.md", Options())
    summary = [(s.heading, s.kind.value, s.protected) for s in article.sections]
    assert summary == [
        ("Parking and buses", "general", False),
        ("Red flags", "general", False),
        ("Comments", "boilerplate", False),
        ("Share this page", "boilerplate", False),
    ]
    [passage] = protected_passages(article)
    assert passage.text == "This page does not replace advice from your doctor."


def test_stray_disclaimer_with_a_clinic_cue_file(tmp_path: Path) -> None:
    cues = tmp_path / "clinic.toml"
    cues.write_text('[risk]\nheadings = ["red flags"]\n', encoding="utf-8")
    article = analyse(FIXTURES / "stray-disclaimer.md", Options(cue_files=(cues,)))
    assert article.sections[1].protected and article.sections[1].kind is SectionKind.RISK
    assert [p.text for p in protected_passages(article)] == [
        "This page does not replace advice from your doctor.",
        "A fever that lasts more than three days.",
    ]


def test_footer_disclaimer() -> None:
    article = analyse(FIXTURES / "footer-disclaimer.html", Options())
    assert (article.title, article.language) == ("Sleep after surgery", "en-GB")
    last = article.sections[-1]
    assert last.kind is SectionKind.DISCLAIMER and last.protected
    assert last.plain_text() == (
        "This page is general information, not medical advice. "
        "Talk to your care team about your own recovery."
    )
    assert {d.region for d in article.dropped} >= {"nav", "footer"}
    assert [d.text for d in article.dropped if d.region == "footer" and not d.kept] == [
        "© 2026 Harbour Health"
    ]
    body = " ".join(s.plain_text() for s in article.sections[:-1])
    assert "Home" not in body and "Harbour Health" not in body


def test_a_medication_guide_is_read_by_its_fixed_questions() -> None:
    article = analyse(FIXTURES / "medication-guide.md", Options())
    protected = [(s.protected, [b.protected for b in s.blocks]) for s in article.sections]
    assert protected == [
        (True, [False]),  # What is the most important information I should know about ...?
        (False, [False]),  # What is ...?
        (True, [False]),  # Who should not take ...?
        (False, [False, True]),  # How should I take ...? only the overdose paragraph
        (True, [False, False]),  # What are the possible side effects of ...?
        (False, [False]),  # How should I store ...? (keep out of reach of children: handling)
        (False, [False]),  # General information about the safe and effective use of ...
    ]


def test_urgency_cards_are_boxed_with_their_lists() -> None:
    article = analyse(FIXTURES / "urgency-cards.html", Options())
    cards = [s for s in article.sections if s.level == 3]
    assert len(cards) == 3 and all(s.protected for s in cards)
    assert all(s.heading and s.heading.endswith(":") for s in cards)
    assert not any(s.protected for s in article.sections if s.level == 2)
