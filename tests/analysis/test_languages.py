"""Safety recognition in the article's language: the same leaflet, written for these tests in
Spanish, Portuguese, French and German (tests/fixtures/languages/), read by each language's cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from renderer.analysis.article import analyse
from renderer.config import Options
from renderer.model import Article, protected_passages

LEAFLETS = sorted((FIXTURES / "languages").iterdir())


def _protected_text(article: Article) -> str:
    return " ".join(f"{p.heading or ''} {p.text}" for p in protected_passages(article))


@pytest.mark.parametrize("path", LEAFLETS, ids=lambda p: p.name)
def test_a_leaflet_in_its_own_language_is_protected_where_it_warns(path: Path) -> None:
    article = analyse(path, Options())
    assert article.language.split("-")[0] in ("es", "pt", "fr", "de")
    what, before, how, effects, storage = article.sections
    # 1 (what it is for) and 5 (storage) are general; 2 (before you take) and 4 (side effects)
    # are protected, and in 3 (how to take) only what to do after taking too much
    assert not what.protected and not any(b.protected for b in what.blocks)
    assert not storage.protected and not any(b.protected for b in storage.blocks)
    assert before.protected and effects.protected
    assert not how.protected
    assert [b.protected for b in how.blocks] == [False, True]
    boxed = _protected_text(article)
    assert how.blocks[1].text in boxed and how.blocks[0].text not in boxed


@pytest.mark.parametrize("path", LEAFLETS, ids=lambda p: p.name)
def test_read_as_english_the_same_leaflet_loses_its_boxes(path: Path, tmp_path: Path) -> None:
    # the control: without its language's cues, most of the leaflet's warnings go unseen
    text = path.read_text(encoding="utf-8")
    for declared in ('lang="es-ES"', "language: pt-PT", "language: fr-FR", "language: de-DE"):
        text = text.replace(declared, 'lang="en"' if "lang=" in declared else "language: en")
    english = tmp_path / path.name
    english.write_text(text, encoding="utf-8")
    assert len(_protected_text(analyse(english, Options()))) < len(
        _protected_text(analyse(path, Options()))
    )
