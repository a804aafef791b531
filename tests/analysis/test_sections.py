"""Classification and protection: the seeds' labels, and tricky articles written for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS
from renderer.analysis import sections
from renderer.analysis.sections import classify_article, load_cues
from renderer.analysis.sentences import split_sentences
from renderer.config import read_toml, validate
from renderer.errors import ConfigError
from renderer.labels import ENGLISH
from renderer.loaders import load_article
from renderer.loaders.markdown import parse as parse_md
from renderer.model import (
    Article,
    DroppedRegion,
    SectionKind,
    comparable_text,
    protected_passages,
)
from renderer.outputs.audio import build_script

CUES = load_cues()


def classify(markdown: str, cues: Any = CUES) -> Article:
    return classify_article(parse_md(markdown, "t.md", "T"), cues)


def kinds(article: Article) -> list[tuple[str | None, str, bool]]:
    return [(s.heading, s.kind.value, s.protected) for s in article.sections]


# --- the seeds -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["000_7fb457eacca863fe.txt", "001_cc464d98c99a8263.txt"])
def test_seed_labels_hold(seed_labels: dict[str, Any], name: str) -> None:
    expected = seed_labels[name]
    article = classify_article(load_article(SEEDS / name), CUES)
    assert article.language == expected["language"]
    passages = [comparable_text(p.text) for p in protected_passages(article)]
    for sentence in expected["protected_passages"]:
        assert any(comparable_text(sentence) in p for p in passages), sentence
    for sentence in expected["general_passages"]:
        assert not any(comparable_text(sentence) in p for p in passages), sentence
    rendered = [s.heading for s in article.sections if s.kind is not SectionKind.BOILERPLATE]
    for heading in expected["absent_headings"]:
        assert heading not in rendered


def test_every_protection_says_why(seed_labels: dict[str, Any]) -> None:
    for name in seed_labels:
        article = classify_article(load_article(SEEDS / name), CUES)
        for section in article.sections:
            assert (section.reason is not None) == (
                section.protected or section.kind is SectionKind.BOILERPLATE
            )
            assert all(b.reason for b in section.blocks if b.protected)


# --- headings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Possible side effects", "risk"),
        ("Warnings and precautions", "risk"),
        ("When to get help right away", "risk"),
        ("Drug interactions", "risk"),
        ("Is it safe?", "risk"),
        ("Who should not take it", "risk"),
        ("Disclaimer", "disclaimer"),
        ("Is ketamine therapy right for you?", "disclaimer"),
        ("How it works", "general"),
        ("Benefits", "general"),
    ],
)
def test_heading_cues(heading: str, kind: str) -> None:
    article = classify(f"## {heading}\n\nThe clinic opens at nine in the morning.\n")
    assert article.sections[0].kind.value == kind
    assert article.sections[0].protected is (kind != "general")


def test_sub_sections_inherit_protection_from_their_heading() -> None:
    article = classify(
        "## Side effects\n\n### Common ones\n\nYou may feel tired.\n\n"
        "### Rare ones\n\nYou may see colours.\n\n## Costs\n\nIt costs money.\n"
    )
    assert kinds(article) == [
        ("Side effects", "risk", True),
        ("Common ones", "risk", True),
        ("Rare ones", "risk", True),
        ("Costs", "general", False),
    ]
    assert protected_passages(article)[0].text == "You may feel tired."


# --- bodies ----------------------------------------------------------------------------------


def test_a_passing_mention_does_not_protect_a_section() -> None:
    article = classify(
        "## About the treatment\n\nLike any treatment it has benefits and risks. The clinic is "
        "open on weekdays. Sessions last an hour. Most people come with a friend. Parking is free.\n"
    )
    assert kinds(article) == [("About the treatment", "general", False)]
    assert protected_passages(article) == ()


def test_a_stray_disclaimer_paragraph_is_protected_on_its_own() -> None:
    article = classify(
        "## Getting there\n\nThe clinic is on Main Street. Buses stop outside. Parking is free "
        "after six. The door is on the left side of the building.\n\n"
        "This page does not replace advice from your doctor.\n\n"
        "The waiting room has chairs. There is a water cooler. Children are welcome. "
        "The lift goes to every floor.\n"
    )
    section = article.sections[0]
    assert not section.protected and section.kind is SectionKind.GENERAL
    assert [b.protected for b in section.blocks] == [False, True, False]
    assert section.blocks[1].protection_kind is SectionKind.DISCLAIMER
    assert "does not replace" in (section.blocks[1].reason or "")
    passages = protected_passages(article)
    assert [(p.section, p.kind, p.text) for p in passages] == [
        (0, SectionKind.DISCLAIMER, "This page does not replace advice from your doctor.")
    ]


def test_a_body_that_is_mostly_warnings_protects_the_section() -> None:
    article = classify(
        "## Afterwards\n\nDo not drive for the rest of the day. You may feel dizzy. "
        "Nausea can last an hour. Have a light dinner.\n"
    )
    section = article.sections[0]
    assert section.protected and section.kind is SectionKind.RISK
    assert "sentences carry safety cues" in (section.reason or "")


def test_a_list_of_warnings_is_protected_as_a_block() -> None:
    article = classify(
        "## Your visit\n\nCome ten minutes early. Bring your card. Wear comfortable clothes. "
        "Have a snack first. The room is quiet. Music is available. A nurse will meet you.\n\n"
        "- Call 911 if you have chest pain.\n- Seek emergency help if you cannot breathe.\n"
    )
    blocks = article.sections[0].blocks
    assert not article.sections[0].protected
    assert [b.protected for b in blocks] == [False, True]


# --- boilerplate -----------------------------------------------------------------------------


def test_empty_sections_and_comment_residue_are_boilerplate() -> None:
    article = classify(
        "## Dosing\n\nTake it once.\n\n## Comments\n\n## Share this article\n\nShare on Facebook\n\n"
        "## Related articles\n\n- Ten facts about sleep\n- Read more\n"
    )
    assert kinds(article) == [
        ("Dosing", "general", False),
        ("Comments", "boilerplate", False),
        ("Share this article", "boilerplate", False),
        ("Related articles", "boilerplate", False),
    ]
    assert all(s.reason for s in article.sections[1:])


def test_boilerplate_never_holds_protected_text() -> None:
    article = classify("## Comments\n\nPlease talk to your doctor before you stop any medicine.\n")
    section = article.sections[0]
    assert section.kind is not SectionKind.BOILERPLATE
    assert section.protected or any(b.protected for b in section.blocks)


def test_untitled_share_residue_is_boilerplate() -> None:
    article = classify("## Dosing\n\nTake it once.\n\n---\n\nShare this post\n\n12 comments\n")
    assert article.sections[0].kind is SectionKind.GENERAL
    # a thematic break does not start a section: the residue paragraphs stay in "Dosing"
    assert len(article.sections) == 1


def test_a_heading_that_only_introduces_sub_sections_is_not_residue() -> None:
    article = classify("## Treatment\n\n### Week one\n\nRest a lot.\n")
    assert article.sections[0].kind is SectionKind.GENERAL


# --- clinic cue files ------------------------------------------------------------------------


def test_a_clinic_teaches_its_own_headings(tmp_path: Path) -> None:
    doc = "## Red flags\n\nA fever over three days.\n\n## Before your procedure\n\nEat lightly.\n"
    assert kinds(classify(doc)) == [
        ("Red flags", "general", False),
        ("Before your procedure", "general", False),
    ]
    cue_file = tmp_path / "clinic.toml"
    cue_file.write_text(
        '[risk]\nheadings = ["red flags", "before your (?:procedure|visit)"]\n', encoding="utf-8"
    )
    assert kinds(classify(doc, load_cues([cue_file]))) == [
        ("Red flags", "risk", True),
        ("Before your procedure", "risk", True),
    ]


def test_a_clinic_adds_a_provider_term(tmp_path: Path) -> None:
    doc = "## Visiting\n\nTalk to your midwife before you travel.\n"
    assert not classify(doc).sections[0].blocks[0].protected
    cue_file = tmp_path / "clinic.toml"
    cue_file.write_text('[terms]\nprovider = ["midwife"]\n', encoding="utf-8")
    assert classify(doc, load_cues([cue_file])).sections[0].protected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[risk]\nheading = ["x"]\n', "unknown key 'risk.heading'"),
        ('[warnings]\nheadings = ["x"]\n', "unknown table [warnings]"),
        ('[risk]\nheadings = "x"\n', "risk.headings = 'x': must be a list of patterns (text)"),
        ('[risk]\nheadings = ["a", 5]\n', "risk.headings[1] = 5: must be text"),
        ('risk = ["x"]\n', "risk = ['x']: must be a table"),
        ('[terms]\nnurse = "midwife"\n', "terms.nurse = 'midwife': must be a list"),
        ('[risk]\nheadings = ["(unclosed"]\n', "not a valid pattern"),
        ('[risk]\nheadings = ["{nurse}"]\n', "[terms] has no 'nurse'"),
        ("[risk\n", "not valid TOML"),
    ],
)
def test_bad_cue_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    cue_file = tmp_path / "clinic.toml"
    cue_file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_cues([cue_file])
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "name", sorted(p.name for p in Path(sections.__file__).parent.glob("cues*.toml"))
)
def test_each_packaged_cue_file_has_the_shape_a_clinic_file_must_have(name: str) -> None:
    # They are not checked when loaded (that would load pydantic on every start): here.
    packaged = read_toml(None, "cue file", ("renderer.analysis", name))
    checked = validate(sections.CueFile, packaged, None, "cue file")
    assert checked.risk.headings == tuple(packaged["risk"]["headings"])


@pytest.mark.parametrize(
    "name", sorted(p.name for p in Path(sections.__file__).parent.glob("cues*.toml"))
)
def test_each_packaged_cue_is_a_pattern_of_its_own_that_matches_no_empty_text(name: str) -> None:
    # Not checked one by one when loaded (half of their compiling time): here, as a clinic's
    # cues are checked, with the default table's terms a language's table may use.
    default = read_toml(None, "cue file", ("renderer.analysis", "cues.toml"))
    own = read_toml(None, "cue file", ("renderer.analysis", name))
    tables = [default] if name == "cues.toml" else [default, own]
    merged = sections._merge((table, Path(name)) for table in tables)
    terms = merged.pop("terms")
    for kind, lists in merged.items():
        for key, patterns in lists.items():
            sections._compile(patterns, terms, f"{kind}.{key}", whole=False)


def test_cues_are_compiled_once_per_process_for_the_same_files(tmp_path: Path) -> None:
    assert load_cues() is CUES
    cue_file = tmp_path / "clinic.toml"
    cue_file.write_text('[risk]\nheadings = ["red flags"]\n', encoding="utf-8")
    first = load_cues([cue_file])
    assert load_cues([cue_file]) is first
    cue_file.write_text('[risk]\nheadings = ["amber flags"]\n', encoding="utf-8")
    changed = load_cues([cue_file])  # the same name with new contents is read again
    assert changed is not first
    assert kinds(classify("## Amber flags\n\nA fever.\n", changed))[0][1] == "risk"


def test_a_missing_cue_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cue file not found"):
        load_cues([tmp_path / "absent.toml"])


# --- dropped page regions --------------------------------------------------------------------


def test_dropped_regions_with_safety_language_are_kept_as_protected_sections() -> None:
    article = parse_md("## Treatment\n\nIt is given in a clinic.\n", "t.html", "T")
    disclaimer = "This page is not medical advice. Talk to your doctor about your own care."
    warning = "Stop the medicine and call 911 if your lips swell."
    article = Article(
        article.source,
        article.title,
        article.language,
        article.sections,
        dropped=(
            DroppedRegion("nav", "Home Services Contact", before_main=True),
            DroppedRegion("header", warning, before_main=True),
            DroppedRegion("footer", disclaimer),
            DroppedRegion("footer", "© 2026 Riverside Clinic"),
        ),
    )
    result = classify_article(article, CUES)
    assert [(s.index, s.kind.value, s.protected, s.plain_text()) for s in result.sections] == [
        (0, "risk", True, warning),
        (1, "general", False, "It is given in a clinic."),
        (2, "disclaimer", True, disclaimer),
    ]
    assert [(d.region, d.kept) for d in result.dropped] == [
        ("nav", False),
        ("header", True),
        ("footer", True),
        ("footer", False),
    ]
    assert "footer" in (result.sections[2].reason or "")


# --- review findings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "Recommended dose",
        "Response to treatment",
        "Categories of antidepressants",
        "How to sign up for the group",
    ],
)
def test_boilerplate_cues_match_the_whole_heading_only(heading: str) -> None:
    article = classify(f"## {heading}\n\nTake one tablet each morning with food.\n")
    assert article.sections[0].kind is SectionKind.GENERAL


@pytest.mark.parametrize(
    "heading", ["Comments", "12 comments", "Related articles (3)", "Share this:"]
)
def test_residue_headings_with_counts_and_colons(heading: str) -> None:
    assert classify(f"## {heading}\n\nA B C\n").sections[0].kind is SectionKind.BOILERPLATE


def test_a_protected_lead_in_protects_the_list_it_introduces() -> None:
    article = classify(
        "## Ibuprofen\n\nIt eases pain and swelling for many people. It is sold in most shops, "
        "comes as tablets, capsules, gels and syrups, and has been used for more than fifty years.\n\n"
        "Do not take ibuprofen if you:\n\n- have a stomach ulcer\n- are pregnant\n- have asthma\n"
    )
    blocks = article.sections[0].blocks
    assert [b.protected for b in blocks] == [False, True, True]
    assert blocks[2].reason == "introduced by a protected lead-in"


def test_a_table_whose_header_names_side_effects_is_protected() -> None:
    article = classify(
        "## Overview\n\nMost people have none of these. The clinic is open daily.\n\n"
        "| Side effect | How often |\n|---|---|\n| Headache | Common |\n| Tiredness | Common |\n"
        "| Rash | Rare |\n"
    )
    table = article.sections[0].blocks[1]
    assert table.protected and table.reason == 'table header cue "Side effect"'


@pytest.mark.parametrize(
    "warning",
    [
        "Do not exceed the stated dose.",
        "May cause drowsiness.",
        "If symptoms persist, see your doctor.",
        "Call your doctor at once if you have chest pain.",
        "Fatal if swallowed.",
        "Dial 911.",
        "Go to A&E now.",
        "Seek help if you have thoughts of suicide.",
        "Stop use and ask a doctor if pain gets worse.",
    ],
)
def test_common_label_warnings_are_protected_as_risk(warning: str) -> None:
    article = classify(
        f"## Notes\n\nThe clinic is open daily and sessions last an hour with rest after.\n\n{warning}\n"
    )
    [passage] = protected_passages(article)
    assert passage.text == warning and passage.kind is SectionKind.RISK


def test_a_clinic_cue_that_matches_empty_text_is_refused(tmp_path: Path) -> None:
    cue_file = tmp_path / "clinic.toml"
    cue_file.write_text('[risk]\nsentences = ["tingl(?:ing)?|"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_cues([cue_file])
    assert (
        str(caught.value) == f"{cue_file}: risk.sentences cue 'tingl(?:ing)?|' matches empty text"
    )


def test_a_title_that_is_a_warning_is_also_a_protected_passage() -> None:
    article = classify_article(
        parse_md(
            "---\ntitle: Do not drive after taking this medicine\n---\nBody text.\n", "t.md", "T"
        ),
        CUES,
    )
    assert article.sections[0].protected and article.sections[0].kind is SectionKind.RISK
    assert protected_passages(article)[0].text == "Do not drive after taking this medicine"


def test_a_warning_that_stands_alone_as_a_heading_becomes_protected_text() -> None:
    article = classify("Intro text.\n\n## Do not drive for 24 hours after your dose\n")
    assert [s.heading for s in article.sections] == [None, None]
    assert protected_passages(article)[0].text == "Do not drive for 24 hours after your dose"


def test_an_urgency_card_and_its_list_are_one_box_one_passage_one_introduction() -> None:
    article = classify(
        "## Bites and stings\n\nMost bites heal in a few days with rest and cold packs. A bite "
        "from a pet can be washed with soap and warm water, then covered with a clean, dry "
        "plaster that you change every day until the skin has closed over.\n\n"
        "Call 999 or go to A&E now if you or your child have:\n\n"
        "- swelling of the lips or tongue\n- trouble breathing\n\n"
        "Keep the bite clean and dry.\n"
    )
    section = article.sections[0]
    assert not section.protected
    assert [b.protected for b in section.blocks] == [False, True, True, False]
    (passage,) = protected_passages(article)
    assert passage.units == (
        "Call 999 or go to A&E now if you or your child have:",
        "swelling of the lips or tongue",
        "trouble breathing",
    )
    script = build_script(article, split_sentences)
    spoken = " ".join(" ".join(s) for c in script.chapters for b in c.blocks for s in b)
    assert spoken.count(ENGLISH.risk) == 1


@pytest.mark.parametrize(
    ("doc", "protected"),
    [
        # an NHS-style card: the heading itself is the lead-in, its list is the card
        ("## Ask for an urgent GP appointment if:\n\n- you have a high temperature\n", True),
        # a leaflet's sub-heading in a paragraph governs the text up to the next one
        (
            "## 2. What you need to know before you use Zanthex\n\nDriving and using machines\n\n"
            "You may feel sleepy for a day.\n\nZanthex contains lactose\n\nEach dose has 5 mg "
            "of lactose, a sugar found in milk, which is far less than a cup of tea with milk "
            "holds, so most people who drink no milk can still take it.\n",
            [True, True, False, False],
        ),
        # a run-in heading: the heading words open the paragraph
        (
            "## 2. Before you use it\n\nZanthex with alcohol Alcohol makes you sleepier.\n",
            True,
        ),
        # instructions are general unless a strong cue says otherwise
        ("## How to take it\n\nSwallow the tablet whole. Do not chew it.\n", [False]),
        ("## How to take it\n\nIf you take too much, call 111 straight away.\n", [True]),
        # "at risk" says who, not what to beware of
        ("## Who is at risk\n\nPeople who travel to warm countries.\n", False),
    ],
)
def test_structure_decides_what_is_protected(doc: str, protected: bool | list[bool]) -> None:
    section = classify(doc).sections[0]
    if isinstance(protected, bool):
        assert section.protected is protected
    else:
        assert not section.protected
        assert [b.protected for b in section.blocks] == protected


def test_a_us_label_reads_its_mixed_case_headings_as_sub_sections() -> None:
    article = classify(
        "## DESCRIPTION\n\nA white tablet.\n\n## WARNINGS\n\nStop if a rash appears.\n\n"
        "## Pregnancy\n\nNot studied.\n\n## Laboratory Tests\n\nCheck the liver.\n\n"
        "## OVERDOSAGE\n\nNo antidote is known.\n\n## HOW SUPPLIED\n\nBottles of 100.\n"
    )
    levels = {s.heading: (s.level, s.protected) for s in article.sections}
    assert levels["Laboratory Tests"] == (3, True)  # under WARNINGS
    assert levels["HOW SUPPLIED"] == (2, False)
    assert levels["DESCRIPTION"] == (2, False)


def test_furniture_lines_and_a_table_of_contents_are_dropped_and_listed() -> None:
    article = classify(
        "# Sore throat\n\nOn this page\n\n- Causes of sore throat\n- Treating a sore throat\n\n"
        "## Causes of sore throat\n\nColds cause most of them.\n\n"
        "## Treating a sore throat\n\nRest and drink water.\n\nLearn how to cite this page\n"
    )
    dropped = [(d.region, d.text) for d in article.dropped]
    assert ("chrome", "On this page") in dropped
    assert ("chrome", "Learn how to cite this page") in dropped
    assert any(region == "contents" for region, _ in dropped)
    text = " ".join(s.plain_text() for s in article.sections)
    assert "On this page" not in text and "cite this page" not in text
    assert "Rest and drink water." in text


def test_spanish_and_portuguese_leaflets_use_their_own_cues() -> None:
    for language, doc in (
        ("es", "## Embarazo\n\nConsulte a su médico antes de tomar Zanthex.\n"),
        ("es", "## Datos\n\nSi nota mareos, no conduzca.\n"),
        ("pt", "## Dados\n\nSe sentir tonturas, não conduza.\n"),
    ):
        markdown = f"---\nlanguage: {language}\n---\n{doc}"
        assert classify(markdown).sections[0].protected, doc
        # the same text read as English finds nothing
        assert (language == "es" and "Embarazo" in doc) or not classify(doc).sections[0].protected
