"""Property: loading and analysis never lose, add or reorder a word of an article (but for recorded repairs)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.loaders.repair import repair_text
from renderer.model import Article, SectionKind

CUES = load_cues()
_WORD = re.compile(r"\w+")

# Letters only (accents and Greek included), so no word can be read as markup.
word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüøñµ", min_size=1, max_size=9)
capitalised = word.map(lambda w: w[:1].upper() + w[1:])
sentence = st.builds(
    lambda first, rest, end: " ".join([first, *rest]) + end,
    capitalised,
    st.lists(word, min_size=2, max_size=14),
    st.sampled_from([".", "!", "?"]),
)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
heading = st.lists(word, min_size=1, max_size=5).map(lambda ws: " ".join(ws).capitalize())
items = st.lists(sentence, min_size=1, max_size=4)
section = st.tuples(heading, st.lists(st.one_of(paragraph, items), min_size=0, max_size=3))
article = st.lists(section, min_size=1, max_size=5)


def as_markdown(sections: list[tuple[str, list[str | list[str]]]]) -> str:
    out: list[str] = []
    for title, blocks in sections:
        out.append(f"## {title}")
        for block in blocks:
            out.append(block if isinstance(block, str) else "\n".join(f"- {i}" for i in block))
    return "\n\n".join(out) + "\n"


def as_text(sections: list[tuple[str, list[str | list[str]]]]) -> str:
    out: list[str] = ["Intro words before any heading."]
    for title, blocks in sections:
        out.append(title)
        for block in blocks:
            out.append(block if isinstance(block, str) else "\n".join(f"- {i}" for i in block))
    return "\n".join(out) + "\n"


def words_of(article: Article) -> list[str]:
    parts = [article.title] if article.title != "Input" else []
    for s in article.sections:
        parts.extend([s.heading or "", s.plain_text()])
    return _WORD.findall(" ".join(parts))


def check(tmp_path: Path, name: str, source: str) -> None:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    result = analyse(path, Options(), CUES)
    # Repair may put wrongly decoded letters right ("Éµ" is the UTF-8 of "ɵ" read as Latin-1).
    assert words_of(result) == _WORD.findall(repair_text(source))
    for s in result.sections:
        if s.kind is SectionKind.BOILERPLATE:
            assert not s.blocks  # the vocabulary holds no residue, so only empty sections qualify


settings_ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings_
@given(sections=article)
def test_markdown_keeps_every_word(
    tmp_path: Path, sections: list[tuple[str, list[str | list[str]]]]
) -> None:
    check(tmp_path, "input.md", as_markdown(sections))


@settings_
@given(sections=article)
def test_text_keeps_every_word(
    tmp_path: Path, sections: list[tuple[str, list[str | list[str]]]]
) -> None:
    check(tmp_path, "input.txt", as_text(sections))
