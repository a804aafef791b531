"""Plain-text loader: headings, titles, lists and paragraphs of scraped and hand-written text."""

from __future__ import annotations

from renderer.loaders.text import parse
from renderer.model import BlockKind


def headings(text: str) -> list[str | None]:
    return [s.heading for s in parse(text, "x.txt", "X").sections]


def test_seed_shaped_text_finds_question_and_plain_headings() -> None:
    text = (
        "An opening paragraph that runs on for a while and ends with a full stop.\n"
        "What is this medicine?\n"
        "It is a medicine. It is taken by mouth.\n"
        "Conclusion\n"
        "That is all.\n"
    )
    article = parse(text, "x.txt", "Fallback")
    assert [s.heading for s in article.sections] == [None, "What is this medicine?", "Conclusion"]
    assert article.sections[0].blocks[0].text.startswith("An opening paragraph")
    assert article.title == "Fallback"  # a long first line is body text, not a title


def test_label_paragraphs_are_not_headings() -> None:
    text = (
        "Side effects\n"
        "Nausea: Some people feel sick for an hour after the dose.\n"
        "Dizziness: Sit down until it passes.\n"
    )
    article = parse(text, "x.txt", "X")
    assert [s.heading for s in article.sections] == ["Side effects"]
    assert [b.text.split(":")[0] for b in article.sections[0].blocks] == ["Nausea", "Dizziness"]


def test_all_caps_first_line_is_the_title_and_all_caps_lines_are_headings() -> None:
    text = "KETAMINE: A GUIDE\n\nIntro text here.\nWARNINGS\nDo not drive after a dose.\n"
    article = parse(text, "x.txt", "X")
    assert article.title == "KETAMINE: A GUIDE"
    assert [s.heading for s in article.sections] == [None, "WARNINGS"]


def test_short_first_line_set_off_by_a_blank_line_is_the_title() -> None:
    article = parse("Living with anxiety\n\nBody text follows here.\n", "x.txt", "X")
    assert article.title == "Living with anxiety"
    assert article.sections[0].heading is None


def test_numbered_heading_but_numbered_run_is_a_list() -> None:
    text = (
        "Intro paragraph that ends here.\n"
        "2. Risks\n"
        "Some risks are listed.\n"
        "1. Eat first\n"
        "2. Sit down\n"
        "3. Rest\n"
    )
    article = parse(text, "x.txt", "X")
    assert [s.heading for s in article.sections] == [None, "2. Risks"]
    listing = article.sections[1].blocks[1]
    assert listing.kind is BlockKind.LIST and listing.ordered
    assert [i.text for i in listing.items] == ["Eat first", "Sit down", "Rest"]


def test_bulleted_list_with_nesting() -> None:
    text = "Before you go\n- Eat a light meal.\n  - No alcohol.\n- Bring a friend.\n"
    block = parse(text, "x.txt", "X").sections[0].blocks[0]
    assert block.kind is BlockKind.LIST and not block.ordered
    assert [(i.text, i.depth) for i in block.items] == [
        ("Eat a light meal.", 0),
        ("No alcohol.", 1),
        ("Bring a friend.", 0),
    ]


def test_hard_wrapped_paragraphs_are_joined_and_short_last_lines_are_not_headings() -> None:
    text = (
        "Taking the medicine\n"
        "\n"
        "Take one tablet every morning with water and a light\n"
        "breakfast, and never more than one in a day\n"
        "\n"
        "Keep it away from children and pets, in a cool and dry\n"
        "place out of direct sunlight\n"
    )
    article = parse(text, "x.txt", "X")
    assert article.title == "Taking the medicine"
    blocks = article.sections[0].blocks
    assert [b.text for b in blocks] == [
        "Take one tablet every morning with water and a light breakfast, and never more "
        "than one in a day",
        "Keep it away from children and pets, in a cool and dry place out of direct sunlight",
    ]


def test_text_before_the_first_heading_is_an_untitled_section() -> None:
    sections = parse("Some words first.\nA heading\nMore words.\n", "x.txt", "X").sections
    assert sections[0].heading is None and sections[0].blocks[0].text == "Some words first."


def test_heading_at_the_end_makes_an_empty_section() -> None:
    assert headings("Body text.\nComments\n") == [None, "Comments"]


def test_a_run_of_short_unpunctuated_warnings_is_text_not_empty_headings() -> None:
    text = "Intro text here.\nDo not drive for 24 hours\nDo not drink alcohol tonight\nCall 911 if you cannot breathe\n"
    article = parse(text, "x.txt", "X")
    assert [s.heading for s in article.sections] == [None]
    assert [b.text for b in article.sections[0].blocks][1:] == [
        "Do not drive for 24 hours",
        "Do not drink alcohol tonight",
        "Call 911 if you cannot breathe",
    ]


def test_a_numbered_heading_before_a_bulleted_list_stays_a_heading() -> None:
    text = "Intro line here.\n4. Possible side effects\n- stomach pain\n- headache\n5. How to store it\nKeep it cool.\n"
    article = parse(text, "x.txt", "X")
    assert [s.heading for s in article.sections] == [
        None,
        "4. Possible side effects",
        "5. How to store it",
    ]
    assert [i.text for i in article.sections[1].blocks[0].items] == ["stomach pain", "headache"]


def test_all_caps_heading_in_hard_wrapped_text() -> None:
    text = "Taking it\n\nTake it with food and a glass\nof water every day.\n\nSIDE EFFECTS\nMost people feel fine. Some get a\nheadache.\n"
    article = parse(text, "x.txt", "X")
    assert [s.heading for s in article.sections] == [None, "SIDE EFFECTS"]
    assert article.sections[1].blocks[0].text == "Most people feel fine. Some get a headache."


def test_a_line_with_a_sentence_break_is_not_a_heading() -> None:
    text = "Intro text here.\nMedicine may make you feel sleepy. Do not drive or use machines until\nyou know how it affects you.\n"
    assert [s.heading for s in parse(text, "x.txt", "X").sections] == [None]


def test_an_all_caps_sentence_is_not_the_title() -> None:
    article = parse("DO NOT DRIVE AFTER YOUR DOSE.\n\nBody text here.\n", "x.txt", "Fallback")
    assert article.title == "Fallback"
    assert article.sections[0].blocks[0].text == "DO NOT DRIVE AFTER YOUR DOSE."
