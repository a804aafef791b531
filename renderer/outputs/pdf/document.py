"""The handout as a document: the page templates and what they draw on every page (background,
"continued" label, footer with "Page N of M"), and build_pdf, which lays out the story in them."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from renderer.config import LargePrintOptions
from renderer.labels import ENGLISH, Wording, wording_for
from renderer.model import THEMES, Article, Theme
from renderer.outputs.fonts import FontSet, resolve_fonts
from renderer.outputs.pdf.flowables import OPEN_BOX
from renderer.outputs.pdf.layout import MIN_MARGIN, Layout
from renderer.outputs.pdf.story import Builder, sentence_case
from renderer.version import VERSION


@dataclass(frozen=True)
class PdfResult:
    """A built handout: its bytes, and what proving and reporting on it need."""

    data: bytes
    pages: int
    font: str
    warnings: list[str]
    outline: list[tuple[str, int]]  # (heading as shown, 1-based page)
    footer: str  # the running footer's text before "Page N of M"
    printable: Callable[[str], str] = field(repr=False)  # text as the PDF can show it


class Handout(BaseDocTemplate):  # type: ignore[misc]
    """The pages a story is laid out on: a plain page, and a page that opens with a
    "continued" label when the page before it ended inside a protected box. Both are drawn on
    the theme's background and end with the footer."""

    def __init__(
        self,
        buffer: io.BytesIO,
        layout: Layout,
        theme: Theme,
        fonts: FontSet,
        footer: str,
        wording: Wording,
        **meta: Any,
    ) -> None:
        super().__init__(
            buffer,
            pagesize=(layout.page_width, layout.page_height),
            leftMargin=layout.left,
            rightMargin=layout.right,
            topMargin=layout.top,
            bottomMargin=layout.bottom,
            invariant=1,
            displayDocTitle=1,
            # Without these the canvas starts every page in a non-embedded Helvetica.
            initialFontName=fonts.primary.regular.name,
            initialFontSize=layout.font_size,
            initialLeading=layout.leading,
            **meta,
        )
        self._doSave = 0  # we save after drawing the page total
        self.layout = layout
        self.theme = theme
        self.fonts = fonts
        self.footer = footer
        self.wording = wording
        self.open_label: str | None = None
        # Room for the longest "continued" label, wrapped at the column width, and a gap.
        label_space = layout.leading + max(
            self._continued_label(label).wrap(layout.frame_width, layout.frame_height)[1]
            for label in wording.labels
        )
        normal = Frame(
            layout.left,
            layout.bottom,
            layout.frame_width,
            layout.frame_height,
            id="body",
            leftPadding=0,
            rightPadding=0,
        )
        continued = Frame(
            layout.left,
            layout.bottom,
            layout.frame_width,
            layout.frame_height - label_space,
            id="continued",
            leftPadding=0,
            rightPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate("normal", [normal], onPage=self._background, onPageEnd=self._page_end),
                PageTemplate(
                    "continued", [continued], onPage=self._continued, onPageEnd=self._page_end
                ),
            ]
        )

    def _background(self, canv: Any, doc: Any) -> None:
        if self.theme.background.upper() != "#FFFFFF":
            canv.saveState()
            canv.setFillColor(colors.HexColor(self.theme.background))
            canv.rect(0, 0, self.layout.page_width, self.layout.page_height, stroke=0, fill=1)
            canv.restoreState()

    def _continued(self, canv: Any, doc: Any) -> None:
        self._background(canv, doc)
        layout = self.layout
        label = self._continued_label(self.open_label or "")
        _, height = label.wrap(layout.frame_width, layout.frame_height)
        label.drawOn(canv, layout.left, layout.page_height - layout.top - height)

    def _continued_label(self, label: str) -> Paragraph:
        style = ParagraphStyle(
            "continued",
            fontName=self.fonts.primary.bold.name,
            fontSize=self.layout.font_size,
            leading=self.layout.leading,
            textColor=colors.HexColor(self.theme.text),
        )
        continued = self.wording.continued.format(label=label)
        return Paragraph(self.fonts.markup(continued, bold=True), style)

    def _page_end(self, canv: Any, doc: Any) -> None:
        # Drawn at the page's end so text extraction reads the footer after the body text.
        layout = self.layout
        canv.saveState()
        canv.setFillColor(colors.HexColor(self.theme.text))
        x, y = layout.left, MIN_MARGIN
        page = self.wording.page.format(page=doc.page)
        for face, chunk in self.fonts.runs(f"{self.footer}{page}"):
            canv.setFont(face, layout.font_size)
            canv.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, face, layout.font_size)
        canv.translate(x, y)
        canv.doForm("page-total")  # filled in by finish(), once the page count is known
        canv.restoreState()
        self.open_label = getattr(canv, OPEN_BOX, None)
        self.handle_nextPageTemplate("continued" if self.open_label else "normal")

    def finish(self) -> None:
        canv = self.canv
        canv.beginForm("page-total")
        canv.setFillColor(colors.HexColor(self.theme.text))
        canv.setFont(self.fonts.primary.regular.name, self.layout.font_size)
        canv.drawString(0, 0, str(self.page))
        canv.endForm()
        canv.showOutline()
        canv.save()


def short_title(title: str, fonts: FontSet, layout: Layout, wording: Wording = ENGLISH) -> str:
    """The title as it fits in the footer beside "Page NN of NN" at body size."""
    face = fonts.primary.regular.name
    widest = f" · {wording.page.format(page=888)}888"
    room = layout.frame_width - pdfmetrics.stringWidth(widest, face, layout.font_size)
    shown = fonts.printable(sentence_case(title))
    if pdfmetrics.stringWidth(shown, face, layout.font_size) <= room:
        return shown
    # The longest start that fits with the ellipsis, found by halving (a title can be a whole
    # 200,000-character line; measuring it one character shorter each time would take hours).
    fits, too_long = 0, len(shown)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if pdfmetrics.stringWidth(shown[:middle] + "…", face, layout.font_size) <= room:
            fits = middle
        else:
            too_long = middle
    shown = shown[:fits]
    return shown.rstrip() + "…" if shown else ""


def build_pdf(article: Article, options: LargePrintOptions) -> PdfResult:
    """Lay out the article as a large-print handout and return the PDF's bytes."""
    fonts = resolve_fonts(options.font)
    layout = Layout.compute(options, fonts)
    theme = THEMES[options.theme]
    wording = wording_for(article.language)
    builder = Builder(layout, theme, fonts, wording)
    story = builder.front_matter(article, options)
    for section in article.sections:
        story += builder.section(section)
    title = short_title(article.title, fonts, layout, wording)
    footer = f"{title} · " if title else ""
    buffer = io.BytesIO()
    doc = Handout(
        buffer,
        layout,
        theme,
        fonts,
        footer,
        wording,
        title=article.title,
        author=options.clinic_name or "renderer",
        subject="Large-print patient handout",
        creator=f"renderer {VERSION}",
        keywords=["large print", "patient information", article.language],
        lang=article.language,
    )
    doc.build(story)
    doc.finish()
    return PdfResult(
        data=buffer.getvalue(),
        pages=doc.page,
        font=fonts.primary.name,
        warnings=fonts.warnings(),
        outline=builder.outline,
        footer=footer,
        printable=fonts.printable,
    )
