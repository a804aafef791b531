"""Large-print PDF handouts with reportlab: build the document in memory, then the caller writes it."""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Indenter,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import FrameBG

from renderer.config import LargePrintOptions
from renderer.labels import ENGLISH, Wording, wording_for
from renderer.model import (
    THEMES,
    Article,
    Block,
    BlockKind,
    Section,
    SectionKind,
    Theme,
    block_runs,
    is_all_caps,
)
from renderer.outputs.fonts import FontSet, resolve_fonts
from renderer.version import VERSION

PAGE_SIZES = {"letter": LETTER, "a4": A4}
# Printers cannot print to the edge; 0.75 in keeps text clear of it and of a hole punch.
MIN_MARGIN = 0.75 * inch
# Large-print guidance: about 60-70 characters per line. Margins widen to hold the line here.
TARGET_LINE_CHARS = 66
_SAMPLE = "the quick brown fox jumps over the lazy dog and keeps on running, "
_BOX_STROKE = 3.0  # points: a thick border that survives photocopying
# reportlab lays out all that is left of a paragraph again at every page break, so one very
# long paragraph (a 200,000-character line) takes time quadratic in its length: longer text is
# set as consecutive paragraphs of at most this many characters (about two pages), each but
# the last without the gap after it, cut after a sentence or at least a word where it can be.
_MAX_PARAGRAPH_CHARS = 4000
_SENTENCE_GAP = re.compile(r"[.!?…]['\"’”)\]]*\s+")
_GAP = re.compile(r"\s+")


@dataclass(frozen=True)
class Layout:
    """Page geometry for one paper size and type size."""

    page_width: float
    page_height: float
    font_size: float
    leading: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def frame_width(self) -> float:
        return self.page_width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.page_height - self.top - self.bottom

    @classmethod
    def compute(cls, options: LargePrintOptions, fonts: FontSet) -> Layout:
        width, height = PAGE_SIZES[options.page_size]
        size = options.font_size
        leading = size * options.line_spacing
        face = fonts.primary.regular.name
        char_width = pdfmetrics.stringWidth(_SAMPLE, face, size) / len(_SAMPLE)
        column = min(width - 2 * MIN_MARGIN, TARGET_LINE_CHARS * char_width)
        side = (width - column) / 2
        # The footer line sits in the bottom margin at body size, with a line of space above it.
        return cls(width, height, size, leading, side, side, MIN_MARGIN, MIN_MARGIN + 2 * leading)


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


class _Heading(Paragraph):  # type: ignore[misc]
    """A heading that adds itself to the PDF outline on the page where it lands.

    `entry` is (title, outline level, the list that records (title, page)); when reportlab
    splits a very long heading across pages, only the first part carries it.
    """

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        *args: Any,
        entry: tuple[str, int, list[tuple[str, int]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(text, style, *args, **kwargs)
        self._entry = entry

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if parts:
            parts[0]._entry = self._entry
        return parts

    def draw(self) -> None:
        if self._entry is not None:
            title, level, outline = self._entry
            key = f"h{len(outline)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
            outline.append((title, self.canv.getPageNumber()))
        super().draw()


class _BoxMark(Flowable):  # type: ignore[misc]
    """Records, when placed, which protected box is open: a page that ends inside one gets a
    "continued" label at the top of the next."""

    _ZEROSIZE = 1

    def __init__(self, label: str | None) -> None:
        super().__init__()
        self.label = label

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._renderer_open_box = self.label


class _Handout(BaseDocTemplate):  # type: ignore[misc]
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
        self.open_label = getattr(canv, "_renderer_open_box", None)
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


class _Styles:
    def __init__(self, layout: Layout, theme: Theme, fonts: FontSet) -> None:
        size, leading = layout.font_size, layout.leading
        text = colors.HexColor(theme.text)
        self.body = ParagraphStyle(
            "body",
            fontName=fonts.primary.regular.name,
            fontSize=size,
            leading=leading,
            textColor=text,
            alignment=TA_LEFT,
            spaceAfter=size,  # a blank line between paragraphs
            allowWidows=0,
            allowOrphans=0,
            hyphenationLang="",  # large print: no hyphenation
            splitLongWords=1,  # only a word longer than a line is broken, so nothing runs off
            bulletFontName=fonts.primary.regular.name,
            bulletFontSize=size,
        )
        bold = fonts.primary.bold.name
        self.label = ParagraphStyle("label", parent=self.body, fontName=bold, spaceAfter=size * 0.5)
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=bold,
            fontSize=size * 1.33,
            leading=size * 1.33 * 1.3,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.5,
        )
        self.title = ParagraphStyle(
            "title",
            parent=self.heading,
            fontSize=size * 1.67,
            leading=size * 1.67 * 1.25,
            spaceBefore=0,
            spaceAfter=size,
        )
        self.cell = ParagraphStyle("cell", parent=self.body, spaceAfter=0)
        self.cell_header = ParagraphStyle("cell-header", parent=self.cell, fontName=bold)


def sentence_case(heading: str) -> str:
    """ALL-CAPS headings are hard to read in large print: show them in sentence case (the
    proof expects headings and the title as this shows them)."""
    if is_all_caps(heading):
        return heading[:1].upper() + heading[1:].lower()
    return heading


class _Builder:
    """Turns an article into platypus flowables."""

    def __init__(self, layout: Layout, theme: Theme, fonts: FontSet, wording: Wording) -> None:
        self.layout = layout
        self.theme = theme
        self.fonts = fonts
        self.wording = wording
        self.styles = _Styles(layout, theme, fonts)
        self.outline: list[tuple[str, int]] = []

    def para(self, text: str, style: ParagraphStyle, **kwargs: Any) -> Paragraph:
        return Paragraph(
            self.fonts.markup(text, bold=style.fontName == self.fonts.primary.bold.name),
            style,
            **kwargs,
        )

    def heading(self, text: str, level: int) -> list[Flowable]:
        """A heading in sentence case that adds itself to the outline (level 0: the title); a
        very long one is set in pieces as body text is, the first carrying the outline entry."""
        shown = sentence_case(text)
        base = self.styles.title if level == 0 else self.styles.heading
        outline_level = 0 if level <= 2 else 1
        return [
            _Heading(
                self.fonts.markup(piece, bold=True),
                style,
                entry=(shown, outline_level, self.outline) if n == 0 else None,
            )
            for n, (piece, style) in enumerate(_in_pieces(shown, base))
        ]

    def keep_room(self, *flowables: Flowable) -> CondPageBreak:
        """A page break unless these flowables and three lines of body text still fit: a heading
        or a box label never ends a page."""
        return CondPageBreak(
            _height(list(flowables), self.layout.frame_width) + 3 * self.layout.leading
        )

    def block(self, block: Block) -> list[Flowable]:
        if block.kind is BlockKind.LIST:
            return self.listing(block)
        if block.kind is BlockKind.TABLE:
            return self.table(block)
        if block.kind is BlockKind.QUOTE:
            indent = self.layout.font_size * 1.5
            return [
                Indenter(left=indent),
                *self.body(block.text, self.styles.body),
                Indenter(left=-indent),
            ]
        return self.body(block.text, self.styles.body)

    def body(self, text: str, style: ParagraphStyle, bullet: str | None = None) -> list[Flowable]:
        """Body text as one paragraph, or as consecutive ones when it is very long (the bullet
        on the first, the gap after the last)."""
        return [
            self.para(piece, piece_style, bulletText=bullet if n == 0 else None)
            for n, (piece, piece_style) in enumerate(_in_pieces(text, style))
        ]

    def listing(self, block: Block) -> list[Flowable]:
        size = self.layout.font_size
        bullet = "•" if self.fonts.primary.regular.draws("•") else "-"
        out: list[Flowable] = []
        numbers: dict[int, int] = {}
        for item in block.items:
            numbers[item.depth] = numbers.get(item.depth, 0) + 1
            for deeper in [d for d in numbers if d > item.depth]:
                del numbers[deeper]
            marker = f"{numbers[item.depth]}." if block.ordered else bullet
            # Deep nesting must not push text off the page: indents stop at a third of the line.
            indent = min(size * 1.8 * (item.depth + 1), self.layout.frame_width / 3)
            style = ParagraphStyle(
                f"item{item.depth}",
                parent=self.styles.body,
                leftIndent=indent,
                bulletIndent=indent - size * 1.6,
                spaceAfter=size * 0.5,
            )
            out += self.body(item.text, style, bullet=marker)
        return out

    def table(self, block: Block) -> list[Flowable]:
        columns = max([len(block.header), *(len(r) for r in block.rows)], default=0)
        if columns == 0:
            return []
        layout = self.layout
        padding = layout.font_size * 0.4
        face = self.fonts.primary.regular.name

        def width(text: str) -> float:
            return float(pdfmetrics.stringWidth(text, face, layout.font_size))

        # A column must fit its longest word and about eight characters; beyond that, spare
        # width goes to the columns whose text would otherwise wrap, in proportion.
        min_width = width("abcdefgh")
        columns_text = [
            [row[c] for row in (block.header, *block.rows) if c < len(row)] for c in range(columns)
        ]
        needed = [
            max([min_width, *(width(w) for cell in cells for w in cell.split())]) + 2 * padding
            for cells in columns_text
        ]
        if sum(needed) > layout.frame_width:
            return self.table_as_lines(block)
        natural = [max([0.0, *map(width, cells)]) + 2 * padding for cells in columns_text]
        extra = [max(0.0, n - w) for n, w in zip(natural, needed, strict=True)]
        spare = layout.frame_width - sum(needed)
        col_widths = [
            w + (spare * e / sum(extra) if sum(extra) else spare / columns)
            for w, e in zip(needed, extra, strict=True)
        ]
        rows: list[list[Paragraph]] = []
        if block.header:
            rows.append(
                [self.para(cell, self.styles.cell_header) for cell in _pad(block.header, columns)]
            )
        rows.extend(
            [self.para(cell, self.styles.cell) for cell in _pad(row, columns)] for row in block.rows
        )
        table = Table(
            rows, colWidths=col_widths, repeatRows=1 if block.header else 0, hAlign="LEFT"
        )
        line = colors.HexColor(self.theme.text)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), face, layout.font_size),  # else Helvetica
                    ("GRID", (0, 0), (-1, -1), 1, line),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), padding),
                    ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                    ("TOPPADDING", (0, 0), (-1, -1), padding),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
                ]
            )
        )
        _, height = table.wrap(layout.frame_width, layout.frame_height)
        # A row cannot split across pages: one taller than most of a page would not fit.
        row_heights = getattr(table, "_rowHeights", None) or [height]
        if max(row_heights) > 0.8 * (layout.frame_height - 2 * layout.leading):
            return self.table_as_lines(block)
        return [table, Spacer(1, layout.font_size)]

    def table_as_lines(self, block: Block) -> list[Flowable]:
        """A table too wide for large print, read as "Header: value" lines, a group per row."""
        out: list[Flowable] = []
        style = ParagraphStyle("row", parent=self.styles.body, spaceAfter=0)
        for row in block.labelled_rows():
            lines = []
            for label, cell in row:
                pieces = [self.fonts.markup(piece) for piece in _pieces(cell)]
                if label:
                    pieces[0] = f"<b>{self.fonts.markup(label, bold=True)}:</b> {pieces[0]}"
                lines += pieces
            group: list[Flowable] = [Paragraph(line, style) for line in lines]
            group.append(Spacer(1, self.layout.font_size))
            out.append(KeepTogether(group))
        if not block.rows and block.header:
            out.append(self.para(" ".join(block.header), self.styles.body))
        return out

    def boxed(
        self, kind: SectionKind, heading: str | None, level: int, blocks: tuple[Block, ...]
    ) -> list[Flowable]:
        label = self.wording.label(kind) or self.wording.risk
        pad = self.layout.font_size * 0.75
        opening: list[Flowable] = [Spacer(1, pad)]
        if not heading or heading.strip().lower() != label.lower():
            opening.append(self.para(label, self.styles.label))  # not "Disclaimer" twice
        if heading:
            opening += self.heading(heading, level)
        inner: list[Flowable] = [
            _BoxMark(label),
            FrameBG(
                color=None, strokeColor=colors.HexColor(self.theme.box), strokeWidth=_BOX_STROKE
            ),
            Indenter(left=pad, right=pad),
            *opening,
        ]
        for block in blocks:
            inner += self.block(block)
        inner += [
            Indenter(left=-pad, right=-pad),
            FrameBG(start=False),
            _BoxMark(None),
            Spacer(1, self.layout.font_size),
        ]
        room = self.keep_room(*opening)
        # Kept on one page with its heading when it fits on one; a longer box starts where it
        # is and breaks with a "continued" label, rather than leaving a page nearly blank.
        if _height(inner, self.layout.frame_width - 2 * pad) <= self.layout.frame_height:
            return [room, KeepTogether(inner)]
        return [room, *inner]

    def section(self, section: Section) -> list[Flowable]:
        if section.kind is SectionKind.BOILERPLATE:
            return []
        if section.protected and section.blocks:
            return self.boxed(section.kind, section.heading, section.level, section.blocks)
        out: list[Flowable] = []
        if section.heading:
            heading = self.heading(section.heading, section.level)
            out += [self.keep_room(*heading), *heading]
        for kind, blocks in block_runs(section.blocks):
            if kind is not None:
                out += self.boxed(kind, None, section.level, blocks)
            else:
                out += self.block(blocks[0])
        return out

    def front_matter(self, article: Article, options: LargePrintOptions) -> list[Flowable]:
        out: list[Flowable] = self.heading(article.title, 0)
        contact = " · ".join(
            part
            for part in (
                options.clinic_name,
                self.wording.phone.format(number=options.clinic_phone)
                if options.clinic_phone
                else None,
            )
            if part
        )
        if contact:
            out.append(self.para(contact, self.styles.body))
        if options.audio_url:
            size = 2 * inch
            widget = QrCodeWidget(options.audio_url, barLevel="M")
            x1, y1, x2, y2 = widget.getBounds()
            drawing = Drawing(
                size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0]
            )
            widget.barFillColor = colors.HexColor(self.theme.text)
            widget.barStrokeColor = colors.HexColor(self.theme.text)
            drawing.add(widget)
            out += [
                self.para(self.wording.listen, self.styles.label),
                drawing,
                Spacer(1, self.layout.font_size * 0.5),
                self.para(options.audio_url, self.styles.body),
            ]
        return out


@functools.cache
def _measuring_canvas() -> Canvas:
    return Canvas(io.BytesIO())


def _height(flowables: list[Flowable], width: float) -> float:
    """The height the flowables need in a column of this width (spaces between them included)."""
    canvas = _measuring_canvas()
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrapOn(canvas, width, 1e9)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _in_pieces(text: str, style: ParagraphStyle) -> list[tuple[str, ParagraphStyle]]:
    """A paragraph as the pieces it is set in (see _pieces), each with its style: the space
    before the paragraph on the first piece, the space after it on the last, none between."""
    pieces = _pieces(text)
    if len(pieces) == 1:
        return [(pieces[0], style)]
    last = len(pieces) - 1
    return [
        (
            piece,
            ParagraphStyle(
                f"{style.name}-{n}",
                parent=style,
                spaceBefore=style.spaceBefore if n == 0 else 0,
                spaceAfter=style.spaceAfter if n == last else 0,
            ),
        )
        for n, piece in enumerate(pieces)
    ]


def _pieces(text: str, limit: int = _MAX_PARAGRAPH_CHARS) -> list[str]:
    """`text` cut into pieces of at most `limit` characters: after the last sentence that ends
    in the second half of the limit, else at the last white space there, else (a word longer
    than half the limit) between two characters, never before a combining mark."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = 0
        for gap in (_SENTENCE_GAP, _GAP):
            ends = [m.end() for m in gap.finditer(window, limit // 2)]
            if ends:
                cut = ends[-1]
                break
        if not cut:
            cut = limit
            while cut > 1 and unicodedata.category(text[cut]).startswith("M"):
                cut -= 1
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text]


def _pad(row: tuple[str, ...], columns: int) -> list[str]:
    return list(row) + [""] * (columns - len(row))


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
    builder = _Builder(layout, theme, fonts, wording)
    story = builder.front_matter(article, options)
    for section in article.sections:
        story += builder.section(section)
    title = short_title(article.title, fonts, layout, wording)
    footer = f"{title} · " if title else ""
    buffer = io.BytesIO()
    doc = _Handout(
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
