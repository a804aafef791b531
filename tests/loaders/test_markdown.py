"""Markdown loader: front matter, headings, lists, tables, quotes and inline markup."""

from __future__ import annotations

import pytest

from renderer.errors import InputError
from renderer.loaders.markdown import parse
from renderer.model import BlockKind

DOC = """\
---
title: Ketamine *therapy*
language: es
---
# Ketamine therapy

Take **two** tablets with [water](https://example.org) and `food`.

## Side effects

- Nausea
  - mostly in the first hour
- Dizziness

1. Sit down
2. Call for help

| Drug | Dose |
|------|------|
| A    | 2 mg |

> A quoted *tip* here.

<script>alert("x")</script>
"""


def test_front_matter_is_metadata_not_text() -> None:
    article = parse(DOC, "x.md", "X")
    assert article.title == "Ketamine therapy"
    assert article.language == "es"
    all_text = " ".join(s.plain_text() for s in article.sections)
    assert "title:" not in all_text and "language" not in all_text


def test_h1_repeating_the_title_is_not_a_section() -> None:
    article = parse(DOC, "x.md", "X")
    assert [s.heading for s in article.sections] == [None, "Side effects"]


def test_inline_markup_is_reduced_to_plain_text() -> None:
    article = parse(DOC, "x.md", "X")
    assert article.sections[0].blocks[0].text == "Take two tablets with water and food."


def test_lists_tables_and_quotes_keep_their_structure() -> None:
    blocks = parse(DOC, "x.md", "X").sections[1].blocks
    kinds = [b.kind for b in blocks]
    assert kinds == [BlockKind.LIST, BlockKind.LIST, BlockKind.TABLE, BlockKind.QUOTE]
    assert [(i.text, i.depth) for i in blocks[0].items] == [
        ("Nausea", 0),
        ("mostly in the first hour", 1),
        ("Dizziness", 0),
    ]
    assert blocks[1].ordered and [i.text for i in blocks[1].items] == ["Sit down", "Call for help"]
    assert blocks[2].header == ("Drug", "Dose") and blocks[2].rows == (("A", "2 mg"),)
    assert blocks[3].text == "A quoted tip here."


def test_script_in_raw_html_is_not_text() -> None:
    text = " ".join(s.plain_text() for s in parse(DOC, "x.md", "X").sections)
    assert "alert" not in text


def test_without_front_matter_the_first_h1_is_the_title() -> None:
    article = parse("# Anxiety care\n\nBody.\n", "x.md", "Fallback")
    assert article.title == "Anxiety care" and article.language == ""  # detected on loading


def test_without_any_title_the_file_name_is_used() -> None:
    assert parse("Just a paragraph.\n", "x.md", "Fallback").title == "Fallback"


def test_a_later_h1_is_a_section() -> None:
    article = parse("# Title\n\nIntro.\n\n# Part two\n\nMore.\n", "x.md", "X")
    assert article.title == "Title"
    assert [(s.heading, s.level) for s in article.sections] == [(None, 2), ("Part two", 1)]


def test_markup_characters_stay_literal() -> None:
    article = parse("Use AT&T or x < y and &copy; here.\n", "x.md", "X")
    assert article.sections[0].blocks[0].text == "Use AT&T or x < y and © here."


def test_dashes_around_plain_text_are_not_front_matter() -> None:
    # CommonMark reads "text" over "---" as a heading: the text is kept, not taken as metadata.
    article = parse("---\nDo not drive for 24 hours after your dose.\n---\n", "x.md", "X")
    assert article.sections[0].heading == "Do not drive for 24 hours after your dose."


def test_front_matter_title_must_be_text() -> None:
    with pytest.raises(InputError, match="front matter 'title' must be text"):
        parse("---\ntitle: {x: 1}\n---\nBody.\n", "x.md", "X")


def test_raw_html_blocks_decode_entities_and_keep_attributes_out() -> None:
    article = parse(
        '<div title="a>b">alcohol &amp; sedatives &mdash; call&nbsp;911</div>\n', "x.md", "X"
    )
    assert article.sections[0].blocks[0].text == "alcohol & sedatives — call 911"


def test_deeply_nested_quotes_keep_their_text() -> None:
    article = parse(">" * 30 + " deep text\n", "x.md", "X")
    assert article.sections[0].blocks[0].text == "deep text"
