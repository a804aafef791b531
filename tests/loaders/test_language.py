"""The article's language: as the file declares it, else detected from the text, else English."""

from __future__ import annotations

from pathlib import Path

import pytest

from renderer.loaders import load_article
from renderer.model import article_to_json

SPANISH = (
    "El paracetamol alivia el dolor y baja la fiebre. Tome un comprimido cada ocho horas con un "
    "vaso de agua. Si el dolor dura más de tres días, hable con su médico de familia."
)
PORTUGUESE = (
    "O paracetamol alivia a dor e baixa a febre. Tome um comprimido de oito em oito horas com "
    "um copo de água. Se a dor durar mais de três dias, fale com o seu médico de família."
)
ENGLISH = (
    "Paracetamol eases pain and brings a fever down. Take one tablet every eight hours with a "
    "glass of water. If the pain lasts more than three days, talk to your family doctor."
)


@pytest.mark.parametrize(
    ("name", "text", "language"),
    [
        ("folleto.txt", f"Paracetamol\n\n{SPANISH}\n", "es"),
        ("folheto.md", f"# Paracetamol\n\n{PORTUGUESE}\n", "pt"),
        ("leaflet.html", f"<html><body><h1>Paracetamol</h1><p>{ENGLISH}</p></body></html>", "en"),
    ],
)
def test_an_undeclared_language_is_detected(
    tmp_path: Path, name: str, text: str, language: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    article = load_article(path)
    assert article.language == language
    assert article.language_source.startswith("detected (")
    assert article_to_json(article)["language_source"] == article.language_source


def test_a_declared_language_wins_over_the_text(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.html"
    path.write_text(f'<html lang="es-MX"><body><p>{ENGLISH}</p></body></html>', encoding="utf-8")
    article = load_article(path)
    assert (article.language, article.language_source) == ("es-MX", "declared")
    path = tmp_path / "folheto.md"
    path.write_text(f"---\nlanguage: pt-BR\n---\n{ENGLISH}\n", encoding="utf-8")
    assert load_article(path).language == "pt-BR"


@pytest.mark.parametrize("text", ["No tome más de dos.\n", "Não tome.\n", "Call 911 now.\n"])
def test_a_short_text_is_not_guessed_into_a_wrong_voice(tmp_path: Path, text: str) -> None:
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    article = load_article(path)
    assert (article.language, article.language_source) == ("en", "default")
