"""The handout as a document: the page templates and what they draw on every page (background,
"continued" label, footer with the clinic's contact and "Page N of M"), and build_pdf, which
lays out the story in them, tagged (tags.py, structure.py)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, Indenter, PageTemplate, Paragraph
from reportlab.platypus.flowables import FrameBG

from renderer.config import LargePrintOptions
from renderer.labels import ENGLISH, Wording, wording_for
from renderer.model import THEMES, Article, Theme
from renderer.outputs.casing import HeadingCase
from renderer.outputs.files import source_date
from renderer.outputs.fonts import FontSet, resolve_fonts
from renderer.outputs.pdf.flowables import OPEN_BOX, BoxMark
from renderer.outputs.pdf.layout import MIN_MARGIN, Layout
from renderer.outputs.pdf.story import Builder, clinic_contact
from renderer.outputs.pdf.structure import write_structure, xmp_packet
from renderer.outputs.pdf.tags import TaggingCanvas, artifact
from renderer.version import VERSION


@dataclass(frozen=True)
class PdfResult:
    """A built handout: its bytes, and what proving and reporting on it need."""

    data: bytes
    pages: int
    font: str
    warnings: list[str]
    outline: list[tuple[str, int]]  # (heading as shown, 1-based page)
    footer: str  # the running footer's text before "Page N of M" (the contact line first)
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
        footer: tuple[str, str],
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
        self.contact, self.footer = footer
        self.wording = wording
        self.open_label: str | None = None
        self.upcoming: list[Any] = []
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

    def handle_flowable(self, flowables: list[Any]) -> None:
        # What is still to be laid out, read at a page's end (box_goes_on).
        self.upcoming = flowables
        super().handle_flowable(flowables)

    def box_goes_on(self, label: str | None) -> str | None:
        """The label of the box still open at this page's end, or None when nothing of it is
        left for the next page: only its closing marks (which may not fit below the last
        line's space) would otherwise put a "continued" label over nothing."""
        if label is None:
            return None
        for flowable in self.upcoming:
            if isinstance(flowable, BoxMark):
                return flowable.label
            if not isinstance(flowable, (Indenter, FrameBG)):
                return label
        return None

    def _background(self, canv: Any, doc: Any) -> None:
        if self.theme.background.upper() != "#FFFFFF":
            with artifact(canv):
                canv.saveState()
                canv.setFillColor(colors.HexColor(self.theme.background))
                canv.rect(0, 0, self.layout.page_width, self.layout.page_height, stroke=0, fill=1)
                canv.restoreState()

    def _continued(self, canv: Any, doc: Any) -> None:
        self._background(canv, doc)
        layout = self.layout
        label = self._continued_label(self.open_label or "")
        _, height = label.wrap(layout.frame_width, layout.frame_height)
        with artifact(canv):
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
        # Drawn at the page's end so text extraction reads the footer after the body text; an
        # artifact, so that a screen reader reading the tags does not hear it on every page.
        layout = self.layout
        with artifact(canv):
            canv.saveState()
            canv.setFillColor(colors.HexColor(self.theme.text))
            if self.contact:
                self._footer_line(canv, self.contact, MIN_MARGIN + layout.leading)
            page = self.wording.page.format(page=doc.page)
            x = self._footer_line(canv, f"{self.footer}{page}", MIN_MARGIN)
            canv.translate(x, MIN_MARGIN)
            canv.doForm("page-total")  # filled in by finish(), once the page count is known
            canv.restoreState()
        self.open_label = self.box_goes_on(getattr(canv, OPEN_BOX, None))
        setattr(canv, OPEN_BOX, self.open_label)
        self.handle_nextPageTemplate("continued" if self.open_label else "normal")

    def _footer_line(self, canv: Any, text: str, y: float) -> float:
        """Draw one line of the footer at body size; return where it ends."""
        x = self.layout.left
        for face, chunk in self.fonts.runs(text):
            canv.setFont(face, self.layout.font_size)
            canv.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, face, self.layout.font_size)
        return x

    def finish(self) -> None:
        canv = self.canv
        canv.beginForm("page-total")  # drawn inside the footer's artifact
        canv.setFillColor(colors.HexColor(self.theme.text))
        canv.setFont(self.fonts.primary.regular.name, self.layout.font_size)
        with artifact(canv):  # the page number, as the footer it is drawn in
            canv.drawString(0, 0, str(self.page))
        canv.endForm()
        canv.showOutline()
        canv.save()


def short_title(
    title: str,
    fonts: FontSet,
    layout: Layout,
    wording: Wording = ENGLISH,
    case: HeadingCase | None = None,
) -> str:
    """The title as it fits in the footer beside "Page NN of NN" at body size: whole, or cut
    after its last word that fits, with an ellipsis (the full title is in the metadata)."""
    face = fonts.primary.regular.name
    widest = f" · {wording.page.format(page=888)}888"
    room = layout.frame_width - pdfmetrics.stringWidth(widest, face, layout.font_size)
    return fit_line(fonts.printable((case or HeadingCase())(title)), fonts, layout, room)


def fit_line(shown: str, fonts: FontSet, layout: Layout, room: float | None = None) -> str:
    """`shown` as it fits in `room` points (the column) at body size: whole, or cut after
    its last word that fits, with an ellipsis; a first word too long for the room is cut."""
    face = fonts.primary.regular.name
    room = layout.frame_width if room is None else room
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
    cut = shown[:fits]
    # Back to the end of the last whole word (and its punctuation), if one fits.
    if fits < len(shown) and not shown[fits].isspace():
        words = cut.rsplit(None, 1)
        if len(words) == 2:
            cut = words[0]
    cut = cut.rstrip(" \t,;:·-–—")
    return cut + "…" if cut else ""


def build_pdf(article: Article, options: LargePrintOptions, tagged: bool = True) -> PdfResult:
    """Lay out the article as a large-print handout and return the PDF's bytes: a tagged
    PDF/UA-1 file, or (`tagged=False`, for measuring what tagging costs) the same pages
    without marked content or structure."""
    fonts = resolve_fonts(options.font)
    layout = Layout.compute(options, fonts)
    theme = THEMES[options.theme]
    wording = wording_for(article.language)
    case = HeadingCase(article)
    builder = Builder(layout, theme, fonts, wording, case)
    story = builder.front_matter(article, options, source_date(article.source))
    for section in article.sections:
        story += builder.section(section)
    title = short_title(article.title, fonts, layout, wording, case)
    contact = fit_line(fonts.printable(clinic_contact(options, wording)), fonts, layout)
    footer = f"{title} · " if title else ""
    buffer = io.BytesIO()
    author = options.clinic_name or "renderer"
    subject = "Large-print patient handout"
    creator = f"renderer {VERSION}"
    doc = Handout(
        buffer,
        layout,
        theme,
        fonts,
        (contact, footer),
        wording,
        title=article.title,
        author=author,
        subject=subject,
        creator=creator,
        keywords=["large print", "patient information", article.language],
        lang=article.language,
    )
    maker = functools.partial(TaggingCanvas, root=builder.root) if tagged else Canvas
    doc.build(story, canvasmaker=maker)
    doc.finish()
    data = buffer.getvalue()
    if tagged:
        xmp = xmp_packet(article.title, article.language, author, subject, creator)
        data = write_structure(data, builder.root, xmp)
    return PdfResult(
        data=data,
        pages=doc.page,
        font=fonts.primary.name,
        warnings=fonts.warnings(),
        outline=builder.outline,
        footer=f"{contact} {footer}" if contact else footer,
        printable=fonts.printable,
    )
