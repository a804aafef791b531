"""HTML loader: title, language, main content, dropped furniture, structure, and hostile pages."""

from __future__ import annotations

import builtins
import html
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderer.loaders import load_article
from renderer.loaders.html import parse
from renderer.model import Article, Block, BlockKind, DroppedRegion, ListItem


def article_text(article: Article) -> str:
    """Every word a reader of the sections gets, headings included."""
    parts: list[str] = []
    for section in article.sections:
        if section.heading:
            parts.append(section.heading)
        parts.append(section.plain_text())
    return "\n".join(parts)


def blocks(article: Article) -> list[Block]:
    return [block for section in article.sections for block in section.blocks]


def dropped_with(article: Article, text: str) -> DroppedRegion:
    found = [region for region in article.dropped if text in region.text]
    assert len(found) == 1, f"{text!r} in {article.dropped}"
    return found[0]


def code(source: str) -> str:
    return f"({len(source)} characters of code)"


def page(body: str, head: str = "<title>Page</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


CLINIC_PAGE = """\
<!DOCTYPE html>
<html lang="en-GB">
<head>
  <title>Ketamine treatment | Riverside Clinic</title>
  <style>body { color: #222 }</style>
  <script>var tracking = "head-script";</script>
</head>
<body>
  <div class="cookie-banner" id="cookie-banner">
    <p>We use cookies to improve your visit.</p>
  </div>
  <header>
    <p class="site-name">Riverside Clinic</p>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/team">Our team</a></li></ul></nav>
  </header>
  <main>
    <article>
      <header><h1>Ketamine treatment</h1><p>Reviewed by Dr Patel</p></header>
      <p>Ketamine is offered to some adults.</p>
      <h2>Side effects</h2>
      <p>Nausea is common.</p>
      <aside class="related"><h2>Related articles</h2><p>Understanding anxiety</p></aside>
      <p>Dizziness fades.</p>
      <script>trackScroll("inline-script");</script>
      <style>.x { color: red }</style>
      <footer>Page last reviewed: May 2024</footer>
    </article>
    <section class="newsletter">
      <h2>Stay in touch</h2>
      <form><label>Newsletter sign-up</label><input type="email"><button>Subscribe</button></form>
    </section>
  </main>
  <footer>
    <div class="disclaimer">
      <p>This page is general information, not medical advice.</p>
      <p>Always talk to your doctor about your own situation.</p>
    </div>
    <p>&copy; 2024 Riverside Clinic. All rights reserved.</p>
    <nav><a href="/privacy">Privacy policy</a></nav>
  </footer>
  <script>document.getElementById("cookie-banner").remove();</script>
</body>
</html>
"""


# --- title and language ----------------------------------------------------------------------


def test_title_is_the_first_h1_and_not_also_a_section_heading() -> None:
    article = parse(CLINIC_PAGE, "clinic.html", "Fallback")
    assert article.title == "Ketamine treatment"
    assert "Ketamine treatment" not in [s.heading for s in article.sections]
    # what followed the h1 in its <header> is still read
    assert article.sections[0].heading is None
    assert article.sections[0].plain_text().startswith("Reviewed by Dr Patel")


def test_a_title_with_inline_markup_is_read_whole() -> None:
    text = page(
        "<main><h1>Ketamine <em>therapy</em><a href='#'><svg></svg></a></h1><p>a</p></main>"
    )
    assert parse(text, "a.html", "F").title == "Ketamine therapy"


@pytest.mark.parametrize("separator", ["|", "-", "–", "—"])
def test_title_falls_back_to_the_title_element_without_the_site_name(separator: str) -> None:
    text = page("<main><p>Body text.</p></main>", f"<title>Side effects {separator} Clinic</title>")
    assert parse(text, "a.html", "Fallback").title == "Side effects"


def test_title_keeps_hyphenated_words_and_falls_back_to_the_file_name() -> None:
    text = page("<p>Body.</p>", "<title>COVID-19 vaccines</title>")
    assert parse(text, "a.html", "Fallback").title == "COVID-19 vaccines"
    assert parse("<p>Body.</p>", "a.html", "Fallback").title == "Fallback"


def test_an_h1_that_is_not_the_title_is_a_level_one_section() -> None:
    text = page("<main><h1>First</h1><p>a</p><h1>Second</h1><p>b</p><h3>Third</h3><p>c</p></main>")
    article = parse(text, "a.html", "F")
    assert article.title == "First"
    assert [(s.heading, s.level, s.plain_text()) for s in article.sections] == [
        (None, 2, "a"),
        ("Second", 1, "b"),
        ("Third", 3, "c"),
    ]


@pytest.mark.parametrize(
    ("attribute", "language"),
    [
        (' lang="en-GB"', "en-GB"),
        (' lang="es"', "es"),
        (' lang="FR-ca"', "fr-ca"),
        # not said: load_article detects it from the text (tests/loaders/test_language.py)
        ("", ""),
        (' lang=""', ""),
        (' lang="not a language!"', ""),
    ],
)
def test_language_comes_from_the_html_element(attribute: str, language: str) -> None:
    text = f"<html{attribute}><body><p>Text.</p></body></html>"
    assert parse(text, "a.html", "F").language == language


# --- main content and dropped regions --------------------------------------------------------


def test_furniture_is_left_out_of_the_sections() -> None:
    text = article_text(parse(CLINIC_PAGE, "clinic.html", "F"))
    for furniture in (
        "cookies",
        "Riverside Clinic",
        "Home",
        "Our team",
        "Related articles",
        "Understanding anxiety",
        "Newsletter",
        "Subscribe",
        "medical advice",
        "All rights reserved",
        "Privacy policy",
        "tracking",
        "trackScroll",
        "color",
        "getElementById",
    ):
        assert furniture not in text
    for content in ("Ketamine is offered", "Nausea is common.", "Dizziness fades."):
        assert content in text


def test_furniture_is_recorded_as_dropped_regions_in_page_order() -> None:
    article = parse(CLINIC_PAGE, "clinic.html", "F")
    assert [(d.region, d.text, d.before_main) for d in article.dropped] == [
        ("cookie-banner", "We use cookies to improve your visit.", True),
        ("header", "Riverside Clinic", True),
        ("header", "Home Our team", True),
        ("aside", "Related articles Understanding anxiety", False),
        ("script", code('trackScroll("inline-script");'), False),
        ("style", code(".x { color: red }"), False),
        ("form", "Newsletter sign-up Subscribe", False),
        (
            "footer",
            "This page is general information, not medical advice. "
            "Always talk to your doctor about your own situation.",
            False,
        ),
        ("footer", "© 2024 Riverside Clinic. All rights reserved.", False),
        ("footer", "Privacy policy", False),
        ("script", code('document.getElementById("cookie-banner").remove();'), False),
    ]
    assert not any(region.kept for region in article.dropped)


def test_a_header_and_footer_inside_the_article_are_content() -> None:
    text = article_text(parse(CLINIC_PAGE, "clinic.html", "F"))
    assert "Reviewed by Dr Patel" in text
    assert "Page last reviewed: May 2024" in text
    # content in <main> around the <article> is main content too
    assert "Stay in touch" in text


def test_a_footer_holding_only_a_nav_is_one_region() -> None:
    article = parse(
        page("<main><p>Body.</p></main><footer><nav><ul><li>A</li><li>B</li></ul></nav></footer>"),
        "a.html",
        "F",
    )
    assert article.dropped == (DroppedRegion("footer", "A B", before_main=False),)


def test_a_disclaimer_with_a_heading_stays_together() -> None:
    body = (
        "<main><p>Body.</p></main><footer>"
        "<h4>Disclaimer</h4><p>Not medical advice.</p><h4>Contact</h4><p>Call us.</p></footer>"
    )
    article = parse(page(body), "a.html", "F")
    assert [d.text for d in article.dropped] == [
        "Disclaimer Not medical advice.",
        "Contact Call us.",
    ]


def test_a_lone_wrapper_inside_a_footer_is_looked_through() -> None:
    body = (
        "<main><p>Body.</p></main>"
        '<footer><div class="container"><div class="disclaimer">Not medical advice.</div>'
        "<p>© Clinic</p></div></footer>"
    )
    article = parse(page(body), "a.html", "F")
    assert [d.text for d in article.dropped] == ["Not medical advice.", "© Clinic"]


def test_everything_outside_the_main_content_is_dropped() -> None:
    body = (
        '<a href="#main">Skip to content</a>'
        '<div class="promo"><p>Book a consultation today</p></div>'
        "<main><p>Article text.</p></main>"
        "<div>Popular this week</div>"
        "Stray words"
    )
    article = parse(page(body), "a.html", "F")
    assert article_text(article) == "Article text."
    assert [(d.region, d.text, d.before_main) for d in article.dropped] == [
        ("outside-main", "Skip to content", True),
        ("outside-main", "Book a consultation today", True),
        ("outside-main", "Popular this week", False),
        ("outside-main", "Stray words", False),
    ]


def test_main_nested_in_wrappers_splits_what_is_before_from_what_is_after() -> None:
    body = (
        '<div id="page"><nav>Menu</nav><div class="content">'
        "<main><p>Article text.</p></main>"
        '<div class="sidebar">Sidebar</div></div><footer>Legal</footer></div>'
    )
    article = parse(page(body), "a.html", "F")
    assert [(d.region, d.text, d.before_main) for d in article.dropped] == [
        ("nav", "Menu", True),
        ("outside-main", "Sidebar", False),
        ("footer", "Legal", False),
    ]


@pytest.mark.parametrize(
    "main",
    [
        '<div role="main"><p>Article text.</p></div>',
        "<article><p>Article text.</p></article>",
    ],
)
def test_role_main_or_an_article_is_the_main_content(main: str) -> None:
    article = parse(page(f"<div>Before</div>{main}<div>After</div>"), "a.html", "F")
    assert article_text(article) == "Article text."
    assert [(d.text, d.before_main) for d in article.dropped] == [
        ("Before", True),
        ("After", False),
    ]


def test_an_article_inside_an_aside_is_not_the_main_content() -> None:
    body = "<aside><article><p>Related teaser</p></article></aside><div><p>Real text.</p></div>"
    article = parse(page(body), "a.html", "F")
    assert article_text(article) == "Real text."
    assert dropped_with(article, "Related teaser").region == "aside"


def test_an_empty_main_falls_back_to_the_body() -> None:
    article = parse(page("<main></main><div><p>Text outside.</p></div>"), "a.html", "F")
    assert article_text(article) == "Text outside."


def test_without_landmarks_the_page_header_and_footer_are_still_dropped() -> None:
    body = (
        "<header><h1>Clinic name</h1></header>"
        "<div><h2>Ketamine</h2><p>Text.</p><section><header>Section intro</header></section></div>"
        "<footer>© Clinic</footer>"
    )
    article = parse(page(body, "<title>Ketamine | Clinic</title>"), "a.html", "F")
    assert article.title == "Ketamine"
    assert [(s.heading, s.plain_text()) for s in article.sections] == [
        ("Ketamine", "Text.\n\nSection intro")
    ]
    assert [(d.region, d.text, d.before_main) for d in article.dropped] == [
        ("header", "Clinic name", True),
        ("footer", "© Clinic", False),
    ]


def test_cookie_and_consent_banners_are_dropped_wherever_they_are() -> None:
    body = (
        "<main><p>Intro.</p>"
        '<div id="gdpr-notice">We store your data.</div>'
        '<div class="ConsentBanner">Accept all?</div>'
        '<section id="informed-consent"><h2>Informed consent</h2><p>You sign a form.</p></section>'
        "</main>"
    )
    article = parse(page(body), "a.html", "F")
    text = article_text(article)
    assert "We store your data" not in text
    assert "Accept all" not in text
    # an article section about consent is content, not a banner
    assert "Informed consent" in text
    assert "You sign a form." in text
    assert [d.region for d in article.dropped] == ["cookie-banner", "cookie-banner"]


def test_a_cookie_class_on_a_page_wrapper_does_not_drop_the_page() -> None:
    body = '<div class="has-cookie-banner"><h1>Title</h1><p>Everything.</p></div>'
    article = parse(page(body), "a.html", "F")
    assert article.title == "Title"
    assert article_text(article) == "Everything."


def test_buttons_svgs_and_iframes_in_the_article_are_recorded() -> None:
    body = (
        "<article><p>Take <button>Show dose</button>two tablets"
        "<svg><text>Icon label</text></svg>.</p>"
        '<iframe src="https://video.example/embed">Your browser cannot show video</iframe>'
        "<noscript>Turn on JavaScript</noscript><template><p>Hidden template</p></template>"
        "</article>"
    )
    article = parse(page(body), "a.html", "F")
    assert article_text(article) == "Take two tablets."
    assert [(d.region, d.text) for d in article.dropped] == [
        ("button", "Show dose"),
        ("svg", "Icon label"),
        ("iframe", "Your browser cannot show video"),
        ("noscript", "Turn on JavaScript"),
        ("template", "Hidden template"),
    ]


def test_furniture_before_any_article_text_counts_as_before_main() -> None:
    body = "<main><nav>Breadcrumbs</nav><h1>T</h1><p>Text.</p><nav>Next page</nav></main>"
    article = parse(page(body), "a.html", "F")
    assert [(d.text, d.before_main) for d in article.dropped] == [
        ("Breadcrumbs", True),
        ("Next page", False),
    ]


# --- structure -------------------------------------------------------------------------------


def test_text_before_the_first_heading_is_an_untitled_section() -> None:
    article = parse(page("<main><p>Intro.</p><h2>Dosing</h2><p>Two.</p></main>"), "a.html", "F")
    assert [(s.heading, s.plain_text()) for s in article.sections] == [
        (None, "Intro."),
        ("Dosing", "Two."),
    ]


def test_inline_markup_is_reduced_to_its_text() -> None:
    body = (
        '<main><p>Take <b>two</b> tablets with <a href="/water">water</a>'
        "<br>and <em>food</em>, <span>twice</span> a day.</p></main>"
    )
    assert blocks(parse(page(body), "a.html", "F")) == [
        Block(BlockKind.PARAGRAPH, text="Take two tablets with water and food, twice a day.")
    ]


def test_inline_markup_inside_a_word_does_not_split_it() -> None:
    article = parse(page("<main><p><b>Ket</b>amine</p></main>"), "a.html", "F")
    assert article_text(article) == "Ketamine"


def test_loose_text_is_gathered_into_paragraphs_split_at_blocks() -> None:
    body = "<main><div>Loose <i>text</i> here<p>A paragraph.</p>more loose</div></main>"
    article = parse(page(body), "a.html", "F")
    assert [b.text for b in blocks(article)] == ["Loose text here", "A paragraph.", "more loose"]


def test_lists_keep_order_and_nesting_depth() -> None:
    body = (
        "<main><ol><li>Meet the doctor</li><li>Bring your medicines</li></ol>"
        "<ul><li>Nausea<ul><li>mostly in the <b>first</b> hour<ol><li>deepest</li></ol></li>"
        "</ul></li><li>Dizziness</li></ul></main>"
    )
    ordered, unordered = blocks(parse(page(body), "a.html", "F"))
    assert ordered == Block(
        BlockKind.LIST,
        items=(ListItem("Meet the doctor"), ListItem("Bring your medicines")),
        ordered=True,
    )
    assert unordered == Block(
        BlockKind.LIST,
        items=(
            ListItem("Nausea", 0),
            ListItem("mostly in the first hour", 1),
            ListItem("deepest", 2),
            ListItem("Dizziness", 0),
        ),
        ordered=False,
    )


def test_tables_keep_their_header_and_rows() -> None:
    body = (
        "<main>"
        "<table><caption>Doses</caption><thead><tr><th>Drug</th><th>Dose</th></tr></thead>"
        "<tbody><tr><td>A</td><td>2 <b>mg</b></td></tr><tr><td>B</td><td>4 mg</td></tr></tbody>"
        "</table>"
        "<table><tr><th>When</th><th>What</th></tr><tr><td>Morning</td><td>Rest</td></tr></table>"
        "<table><tr><td>No</td><td>header</td></tr></table>"
        "</main>"
    )
    caption, with_thead, th_row, plain = blocks(parse(page(body), "a.html", "F"))
    assert caption == Block(BlockKind.PARAGRAPH, text="Doses")
    assert with_thead == Block(
        BlockKind.TABLE, header=("Drug", "Dose"), rows=(("A", "2 mg"), ("B", "4 mg"))
    )
    assert th_row == Block(BlockKind.TABLE, header=("When", "What"), rows=(("Morning", "Rest"),))
    assert plain == Block(BlockKind.TABLE, rows=(("No", "header"),))


def test_a_layout_table_is_read_as_sections() -> None:
    body = '<table role="presentation"><tr><td><h2>Dosing</h2><p>Two tablets.</p></td></tr></table>'
    article = parse(page(body), "a.html", "F")
    assert [(s.heading, s.plain_text()) for s in article.sections] == [("Dosing", "Two tablets.")]


def test_blockquote_pre_figure_and_definitions() -> None:
    body = (
        "<main>"
        "<blockquote><p>It helped me</p><p>a lot.</p></blockquote>"
        "<pre>  dose:   2 mg\n  when:  daily</pre>"
        '<figure><img src="chart.png" alt="A chart"><figcaption>Figure 1: doses</figcaption></figure>'
        "<dl><dt>NMDA</dt><dd>A brain receptor.</dd>"
        "<div><dt>IV</dt><dt>Infusion</dt><dd>Medicine given into a vein.</dd></div>"
        "<dt>Orphan term</dt></dl>"
        "</main>"
    )
    assert blocks(parse(page(body), "a.html", "F")) == [
        Block(BlockKind.QUOTE, text="It helped me a lot."),
        Block(BlockKind.PARAGRAPH, text="dose: 2 mg when: daily"),
        Block(BlockKind.PARAGRAPH, text="Figure 1: doses"),
        Block(BlockKind.PARAGRAPH, text="NMDA: A brain receptor."),
        Block(BlockKind.PARAGRAPH, text="IV, Infusion: Medicine given into a vein."),
        Block(BlockKind.PARAGRAPH, text="Orphan term"),
    ]


def test_no_empty_blocks_or_headings() -> None:
    body = "<main><p> </p><p>&nbsp;</p><h2><img src='x.png'></h2><ul><li> </li></ul><p>Text.</p></main>"
    article = parse(page(body), "a.html", "F")
    assert [(s.heading, s.plain_text()) for s in article.sections] == [(None, "Text.")]


# --- hostile pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("<div>", "</div>"),
        ("<span>", "</span>"),
        ("<ul><li>", "</li></ul>"),
        ("<blockquote>", "</blockquote>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<aside>", "</aside>"),
    ],
    ids=["div", "span", "list", "quote", "table", "aside"],
)
def test_nesting_four_thousand_deep_is_read_without_recursion_error(
    opening: str, closing: str
) -> None:
    depth = 4000
    body = f"<main><p>Start.</p>{opening * depth}Deep words here{closing * depth}<p>End.</p></main>"
    article = parse(page(body), "a.html", "F")
    everything = article_text(article) + " ".join(d.text for d in article.dropped)
    assert "Deep words here" in everything
    assert "Start." in everything
    assert "End." in everything


def test_main_and_footer_nested_four_thousand_deep() -> None:
    depth = 4000
    body = (
        f"<nav>Menu</nav>{'<div>' * depth}<main><p>Body text.</p></main>{'</div>' * depth}"
        f"<footer>{'<div>' * depth}Legal text{'</div>' * depth}</footer>"
    )
    article = parse(page(body), "a.html", "F")
    assert article_text(article) == "Body text."
    assert [(d.region, d.text) for d in article.dropped] == [
        ("nav", "Menu"),
        ("footer", "Legal text"),
    ]


def test_entities_decode_and_markup_looking_text_stays_literal() -> None:
    body = "<main><p>&copy; 2024 &amp; &lt;font size=80&gt;big&lt;/font&gt; &#8211; &eacute;</p></main>"
    assert article_text(parse(page(body), "a.html", "F")) == "© 2024 & <font size=80>big</font> – é"


def test_markup_looking_title_text_stays_literal() -> None:
    text = page("<p>Body.</p>", "<title>&lt;script&gt;alert(1)&lt;/script&gt; | Site</title>")
    assert parse(text, "a.html", "F").title == "<script>alert(1)</script>"


def test_an_image_pointing_at_a_local_file_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = page("<main><p>Take two tablets.</p></main>")
    with_image = page(
        '<main><p>Take two <img src="file:///etc/passwd" alt="root">tablets.</p>'
        '<img src="file:///etc/passwd"><picture><source srcset="file:///etc/shadow"></picture></main>'
    )
    expected = parse(plain, "a.html", "F")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the loader tried to open {args}")

    monkeypatch.setattr(builtins, "open", refuse)
    assert parse(with_image, "a.html", "F") == expected


def test_text_that_looks_like_a_file_name_is_parsed_not_opened() -> None:
    # bs4 warns about such input, and the test suite turns warnings into errors
    article = parse("/etc/passwd", "a.html", "F")
    assert article_text(article) == "/etc/passwd"


def test_comments_and_cdata_are_not_text() -> None:
    body = "<main><p>Visible<!-- hidden comment --> text<![CDATA[ cdata ]]></p></main>"
    assert article_text(parse(page(body), "a.html", "F")) == "Visible text"


_WORD = st.text(alphabet=st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=12)
_INLINE = st.sampled_from(["", "b", "em", "a", "span", "strong", "code"])


@settings(max_examples=150, database=None, deadline=None)
@given(
    st.lists(st.lists(st.tuples(_WORD, _INLINE), min_size=1, max_size=12), min_size=1, max_size=5)
)
def test_every_word_of_article_paragraphs_survives(
    paragraphs: list[list[tuple[str, str]]],
) -> None:
    markup = []
    for words in paragraphs:
        rendered = [
            f"<{tag}>{html.escape(word)}</{tag}>" if tag else html.escape(word)
            for word, tag in words
        ]
        markup.append(f"<p>{' '.join(rendered)}</p>")
    article = parse(page(f"<article>{''.join(markup)}</article>"), "a.html", "F")
    survived = article_text(article).split()
    for words in paragraphs:
        for word, _ in words:
            assert word in survived


# Fragments of pages, put together in any order: unclosed, misnested, half-commented.
# fmt: off
_FRAGMENTS = [
    "<p>", "</p>", "<ul>", "<ol>", "<li>", "</ul>", "<table>", "<thead>", "<tr>", "<td>", "<th>",
    "</table>", "<main>", "</main>", "<article>", "<nav>", "</nav>", "<header>", "<footer>",
    "<aside>", "<h1>", "</h1>", "<h2>", "<dl>", "<dt>", "<dd>", "<blockquote>", "<pre>",
    "<script>", "</script>", "<div class=cookie>", "</div>", "<br>", "<!--", "-->", "&amp;",
    "&lt;", "<template>", "<svg>", "<button>", "<b>", "</b>", "<figure>", "<figcaption>",
    "<form>", "<html lang=de>",
]
# fmt: on
_SOUP = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=40)


@settings(max_examples=300, database=None, deadline=None)
@given(_SOUP)
def test_any_tag_soup_reads_without_error_or_empty_text(parts: list[str]) -> None:
    article = parse("".join(parts), "a.html", "F")
    assert article.title
    for section in article.sections:
        assert section.heading is None or section.heading.strip()
        for block in section.blocks:
            assert block.units()
            assert all(unit and unit == unit.strip() for unit in block.units())
    for region in article.dropped:
        assert region.text and region.text == region.text.strip()


# --- through the loader registry -------------------------------------------------------------


def test_load_article_reads_an_html_file(tmp_path: Path) -> None:
    path = tmp_path / "clinic-page.html"
    path.write_text(CLINIC_PAGE, encoding="utf-8")
    article = load_article(path)
    assert article.source == str(path)
    assert article.title == "Ketamine treatment"
    assert article.language == "en-GB"
    assert [s.heading for s in article.sections] == [None, "Side effects", "Stay in touch"]
    assert dropped_with(article, "not medical advice").region == "footer"


def test_load_article_takes_the_file_name_when_the_page_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "ketamine_after-care.htm"
    path.write_bytes(b"<p>Rest for the day.</p>")
    article = load_article(path)
    assert article.title == "Ketamine after care"
    assert article_text(article) == "Rest for the day."


def test_words_that_meet_at_an_element_edge_get_a_space_and_the_repair_is_listed() -> None:
    page = (
        "<html><body><main><h1>Leaflet</h1>"
        "<p><span>No utilice</span><span>Zanthex</span> si tiene fiebre.</p>"
        "<ul><li><span>take it with</span><span>Water</span></li></ul>"
        "<p>The <b>W</b>arning and <i>e</i>xample stay whole; H<sub>2</sub>O too.</p>"
        "</main></body></html>"
    )
    article = parse(page, "p.html", "P")
    texts = [u for s in article.sections for b in s.blocks for u in b.units()]
    assert texts == [
        "No utilice Zanthex si tiene fiebre.",
        "take it with Water",
        "The Warning and example stay whole; H2O too.",
    ]
    assert article.repairs == (
        "space put between words that met at an element's edge: 'utilice' | 'Zanthex'",
        "space put between words that met at an element's edge: 'with' | 'Water'",
    )
