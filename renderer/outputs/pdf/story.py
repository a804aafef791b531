"""The story: an article turned into platypus flowables, section by section, with protected
passages boxed, headings in the outline, and tables that fit large print."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Indenter,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import FrameBG

from renderer.config import LargePrintOptions
from renderer.labels import Wording
from renderer.model import (
    Article,
    Block,
    BlockKind,
    Section,
    SectionKind,
    Theme,
    block_runs,
    is_all_caps,
)
from renderer.outputs.fonts import FontSet
from renderer.outputs.pdf.flowables import BoxMark, Heading
from renderer.outputs.pdf.layout import Layout, Styles, needed_height

_BOX_STROKE = 3.0  # points: a thick border that survives photocopying
# reportlab lays out all that is left of a paragraph again at every page break, so one very
# long paragraph (a 200,000-character line) takes time quadratic in its length: longer text is
# set as consecutive paragraphs of at most this many characters (about two pages), each but
# the last without the gap after it, cut after a sentence or at least a word where it can be.
_MAX_PARAGRAPH_CHARS = 4000
_SENTENCE_GAP = re.compile(r"[.!?…]['\"’”)\]]*\s+")
_GAP = re.compile(r"\s+")


def sentence_case(heading: str) -> str:
    """ALL-CAPS headings are hard to read in large print: show them in sentence case (the
    proof expects headings and the title as this shows them)."""
    if is_all_caps(heading):
        return heading[:1].upper() + heading[1:].lower()
    return heading


class Builder:
    """Turns an article into platypus flowables."""

    def __init__(self, layout: Layout, theme: Theme, fonts: FontSet, wording: Wording) -> None:
        self.layout = layout
        self.theme = theme
        self.fonts = fonts
        self.wording = wording
        self.styles = Styles(layout, theme, fonts)
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
            Heading(
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
            needed_height(list(flowables), self.layout.frame_width) + 3 * self.layout.leading
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
            BoxMark(label),
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
            BoxMark(None),
            Spacer(1, self.layout.font_size),
        ]
        room = self.keep_room(*opening)
        # Kept on one page with its heading when it fits on one; a longer box starts where it
        # is and breaks with a "continued" label, rather than leaving a page nearly blank.
        if needed_height(inner, self.layout.frame_width - 2 * pad) <= self.layout.frame_height:
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
            out += [
                self.para(self.wording.listen, self.styles.label),
                self.qr_code(options.audio_url),
                Spacer(1, self.layout.font_size * 0.5),
                self.para(options.audio_url, self.styles.body),
            ]
        return out

    def qr_code(self, url: str) -> Flowable:
        """A 2-inch QR code of `url` in the theme's text colour."""
        # Imported here: the QR widget brings reportlab's graphics and all its barcodes, and
        # only a handout with an audio link (--audio-url) needs them; `score` never does.
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        size = 2 * inch
        widget = QrCodeWidget(url, barLevel="M")
        x1, y1, x2, y2 = widget.getBounds()
        drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
        widget.barFillColor = colors.HexColor(self.theme.text)
        widget.barStrokeColor = colors.HexColor(self.theme.text)
        drawing.add(widget)
        return drawing


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
