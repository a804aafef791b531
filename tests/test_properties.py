"""Property: whatever an article holds (markup characters, reportlab tags, entities, accents, CJK,
emoji, right-to-left letters, combining marks), every protected passage the analysis finds, and
every sentence and heading, is whole and in order in the PDF's text layer and in the transcript
of the spoken version.

The proof is the renderer's own (renderer.outputs.proof), as the pipeline runs it; the speech
engine is not needed, since the transcript is exactly what it is asked to say.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.analysis.sentences import split_sentences
from renderer.config import LargePrintOptions, Options
from renderer.model import protected_passages
from renderer.outputs.audio import build_script
from renderer.outputs.pdf import build_pdf
from renderer.outputs.pdf.text import body_text, pdf_pages
from renderer.outputs.proof import complete_text_problems, expected_text, missing_passages

CUES = load_cues()

WORDS = ["dose", "tablet", "water", "doctor", "dizzy", "rest", "morning", "sleep", "café", "naïve"]
# Read as markup by one format or another, or by reportlab's paragraph parser if it ever saw them.
MARKUP = [
    "<b>",
    "</b>",
    "<i>",
    "<font size=80>",
    "</font>",
    '<a href="javascript:alert(1)">',
    "</a>",
    "<para>",
    "<img src=/etc/passwd/>",
    "<br/>",
    "<seq/>",
    "&amp;",
    "&lt;b&gt;",
    "&#9731;",
    "&copy;",
    "AT&T",
    "x < y",
    "a > b",
    "*",
    "**",
    "_",
    "`",
    "|",
    "[",
    "]",
    "[link](javascript:x)",
    "\\",
    "#",
]
UNICODE = [
    "µg",
    "≥ 5",
    "20 °C",
    "½",
    "薬",
    "药",
    "안녕",
    "😀",
    "👩\u200d⚕️",
    "⚠️",
    "שלום",
    "مرحبا",
    "e\u0301",  # e and a combining acute accent
    "n\u0303o",
    "ﬁne",
    "Ｆｕｌｌ",
    "soft\u00adhyphen",
    "zero\u200bwidth",
]
PROTECTED_HEADINGS = ["Side effects", "Warnings", "Disclaimer", "When to get help", "Precautions"]
OTHER_HEADINGS = ["About this medicine", "How to take it", "Storage"]

word = st.sampled_from(WORDS)
token = st.one_of(word, word, st.sampled_from(MARKUP), st.sampled_from(UNICODE))
# A capitalised word first and a full stop last, so every sentence has words of its own.
sentence = st.builds(
    lambda first, rest: " ".join([first.capitalize(), *rest]) + ".",
    word,
    st.lists(token, min_size=1, max_size=8),
)
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
items = st.lists(sentence, min_size=1, max_size=4)
table = st.tuples(
    st.lists(word, min_size=2, max_size=3),
    st.lists(st.lists(sentence, min_size=3, max_size=3), min_size=1, max_size=3),
)
block = st.one_of(
    paragraph.map(lambda p: ("p", p)),
    items.map(lambda i: ("ul", i)),
    table.map(lambda t: ("table", t)),
)
section = st.tuples(
    st.sampled_from(PROTECTED_HEADINGS + OTHER_HEADINGS),
    st.lists(block, min_size=1, max_size=3),
)
# At least one protected section with text, so that the property always has something to prove.
article = st.builds(
    lambda before, risk, after: [*before, risk, *after],
    st.lists(section, max_size=2),
    st.tuples(st.sampled_from(PROTECTED_HEADINGS), st.lists(block, min_size=1, max_size=3)),
    st.lists(section, max_size=2),
)

Block = tuple[str, object]
Sections = list[tuple[str, list[Block]]]


def as_markdown(sections: Sections) -> str:
    out = ["# Handout"]
    for heading, blocks in sections:
        out.append(f"## {heading}")
        for kind, content in blocks:
            if kind == "p":
                out.append(str(content))
            elif kind == "ul":
                out.append("\n".join(f"- {item}" for item in content))  # type: ignore[attr-defined]
            else:
                header, rows = content  # type: ignore[misc]
                width = len(rows[0])
                header = [*header, *["note"] * (width - len(header))][:width]
                lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
                lines += ["| " + " | ".join(row) + " |" for row in rows]
                out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def as_html(sections: Sections) -> str:
    out = ['<html lang="en"><body><main><h1>Handout</h1>']
    for heading, blocks in sections:
        out.append(f"<h2>{heading}</h2>")
        for kind, content in blocks:
            if kind == "p":
                out.append(f"<p>{content}</p>")
            elif kind == "ul":
                out.append("<ul>" + "".join(f"<li>{i}</li>" for i in content) + "</ul>")  # type: ignore[attr-defined]
            else:
                header, rows = content  # type: ignore[misc]
                head = "".join(f"<th>{h}</th>" for h in header)
                body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
                out.append(f"<table><tr>{head}</tr>{body}</table>")
    return "\n".join(out) + "</main></body></html>\n"


def check(tmp_path: Path, name: str, source: str) -> None:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    article_ = analyse(path, Options(), CUES)
    passages = protected_passages(article_)
    assert passages, "a section headed as safety content must be protected"
    pdf = build_pdf(article_, LargePrintOptions())
    text = body_text(pdf_pages(pdf.data), pdf.footer)
    # What no font can draw is compared as the marker the PDF shows (and the manifest lists).
    assert missing_passages(passages, text, pdf.printable) == []
    expected = expected_text(article_)
    assert complete_text_problems(expected.printed, text, pdf.printable) == []
    transcript = build_script(article_, split_sentences).transcript()
    assert missing_passages(passages, transcript) == []
    assert complete_text_problems(expected.spoken, transcript) == []


fast = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@fast
@given(sections=article)
def test_protected_markdown_survives_into_pdf_and_transcript(
    tmp_path: Path, sections: Sections
) -> None:
    check(tmp_path, "handout.md", as_markdown(sections))


@fast
@given(sections=article)
def test_protected_html_survives_into_pdf_and_transcript(
    tmp_path: Path, sections: Sections
) -> None:
    check(tmp_path, "handout.html", as_html(sections))
