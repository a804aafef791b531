"""Sentence splitting on health text: short safety steps, doses, abbreviations, quotes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renderer.analysis.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Stop. Call 911. Get help now.", 3),
        ("Ask Dr. Smith about side effects.", 1),
        ("Some foods, e.g. grapefruit juice, change how it works.", 1),
        ("Take 2.5 mg at 8 a.m. daily.", 1),
        ("Take it at 8 a.m. Then rest.", 2),
        ("Is it safe? Yes! Ask first.", 3),
        ('He said "stop." Then he left.', 2),
        ("He said “stop.” Then he left.", 2),
        ("Rest (as much as you can.) Then walk.", 2),
        ("Avoid alcohol, i.e. Beer, wine and spirits.", 1),
        ("Eat fruit, vegetables, etc. Then rest.", 2),
        ("Ibuprofen vs. Paracetamol: which is safer?", 1),
        ("Mr. Jones, Mrs. Jones and Ms. Lee met Prof. Kay at St. Mary's.", 1),
        ("See No. 5 in the list.", 1),
        ("Is it safe? No. Do not take it.", 3),
        ("Take approx. 200 mg a day.", 1),
        ("The U.S. Food and Drug Administration approved it.", 1),
        ("It is sold in the U.S. It is not sold in Canada.", 2),
        ("Ask Dr. J. Smith. He knows.", 2),
        ("Get the vaccine for hepatitis B. It protects you.", 2),
        ("Wait... Then call for help.", 2),
        ("Wait… then call for help.", 1),
        ("Wait... then call for help.", 1),
        ("It hurts. 2 tablets help.", 2),
        ("Not again. (See below.)", 2),
        ("What now?! Call us.", 2),
        ("Keep it cool. ¿Es seguro? ¡Sí!", 3),
        ("Take it with food", 1),
        ("line one\nline two", 2),
        ("First line.\n\nSecond line. Third one.", 3),
        ("Visit example.com for details.", 1),
        ("", 0),
        ("   \n\t ", 0),
    ],
)
def test_sentence_count(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count


def test_sentences_keep_their_text() -> None:
    assert split_sentences('  Stop.  Call 911.\nHe said "stop." Then he left.  ') == [
        "Stop.",
        "Call 911.",
        'He said "stop."',
        "Then he left.",
    ]


def test_textstat_would_count_one_sentence_here() -> None:
    # The reason this module exists: textstat 0.7.13 drops fragments of two words or fewer.
    assert split_sentences("Stop. Call 911. Get help now.") == [
        "Stop.",
        "Call 911.",
        "Get help now.",
    ]


_pieces = st.sampled_from(
    [
        "Stop.", "Call", "911.", "Dr.", "Smith", "e.g.", "2.5", "mg", "a.m.", "Then", "rest",
        "?", "!", "…", "...", '"stop."', "(see", "below.)", "U.S.", "No.", "5", "it", "Yes!",
        "¿Es", "J.", "etc.", "\n", "", "  ",
    ]
)  # fmt: skip


@given(st.lists(_pieces, max_size=40), st.sampled_from([" ", "  ", "\n", " \n "]))
def test_splitting_never_loses_or_reorders_a_word(pieces: list[str], gap: str) -> None:
    text = gap.join(pieces)
    sentences = split_sentences(text)
    assert " ".join(sentences).split() == text.split()
    assert all(s and s == s.strip() for s in sentences)


@given(st.text(max_size=200))
def test_splitting_any_text_keeps_every_word(text: str) -> None:
    assert " ".join(split_sentences(text)).split() == text.split()
