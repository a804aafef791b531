"""The story: an article turned into platypus flowables, section by section, with protected
passages boxed, headings in the outline, and tables that fit large print."""

from __future__ import annotations

import html
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
)
from renderer.outputs.casing import HeadingCase, sentence_case
from renderer.outputs.fonts import FontSet
from renderer.outputs.pdf.flowables import BoxMark, Heading
from renderer.outputs.pdf.layout import Layout, Styles, needed_height
from renderer.outputs.pdf.tags import (
    BoxBorder,
    Node,
    TaggedFigure,
    TaggedParagraph,
    TaggedTable,
    table_events,
)

__all__ = ["Builder", "sentence_case"]

_BOX_STROKE = 3.0  # points: a thick border that survives photocopying
# reportlab lays out all that is left of a paragraph again at every page break, so one very
# long paragraph (a 200,000-character line) takes time quadratic in its length: longer text is
# set as consecutive paragraphs of at most this many characters (about two pages), each but
# the last without the gap after it, cut after a sentence or at least a word where it can be.
_MAX_PARAGRAPH_CHARS = 4000
_SENTENCE_GAP = re.compile(r"[.!?…]['\"’”)\]]*\s+")
_GAP = re.compile(r"\s+")
# A printed web address becomes a link (http, https and mailto only): up to white space or
# markup, without the punctuation that ends the sentence around it.
# A host without a dot ("http://x" in a snippet of markup) is not an address a reader can use.
_ADDRESS = re.compile(
    r"(?:https?://[^\s<>\"/.]+\.[^\s<>\"]+|mailto:[^\s<>\"@]+@[^\s<>\"]+)", re.IGNORECASE
)
_ADDRESS_END = ".,;:!?)]}'’”"
# Flowables that take no room of their own: what follows a heading is measured past them.
_NO_ROOM = (CondPageBreak, Spacer, Indenter, FrameBG, BoxMark)


class Builder:
    """Turns an article into platypus flowables."""

    def __init__(
        self,
        layout: Layout,
        theme: Theme,
        fonts: FontSet,
        wording: Wording,
        case: HeadingCase | None = None,
    ) -> None:
        self.layout = layout
        self.theme = theme
        self.fonts = fonts
        self.wording = wording
        self.case = case or HeadingCase()
        self.styles = Styles(layout, theme, fonts)
        self.outline: list[tuple[str, int]] = []
        # The structure tree, grown in reading order as the story is made (tags.py).
        self.root = Node("Document")
        self.level = 1  # the last heading's level: H1 is the title

    def markup(self, text: str, bold: bool = False) -> str:
        """Paragraph markup for `text`, its printed web addresses made links."""
        out = []
        position = 0
        for match in _ADDRESS.finditer(text):
            address = match.group().rstrip(_ADDRESS_END)
            if address.endswith(("//", ":")):
                continue
            out.append(self.fonts.markup(text[position : match.start()], bold))
            # As xml.sax.saxutils.escape(address, {'"': "&quot;"}), without importing urllib.
            href = html.escape(address, quote=False).replace('"', "&quot;")
            out.append(f'<a href="{href}">{self.fonts.markup(address, bold)}</a>')
            position = match.start() + len(address)
        out.append(self.fonts.markup(text[position:], bold))
        return "".join(out)

    def para(
        self, text: str, style: ParagraphStyle, node: Node | None, **kwargs: Any
    ) -> TaggedParagraph:
        bold = style.fontName == self.fonts.primary.bold.name
        return TaggedParagraph(self.markup(text, bold), style, node=node, **kwargs)

    def heading(self, text: str, level: int, parent: Node) -> list[Flowable]:
        """A heading in sentence case that adds itself to the outline under the title (level 0:
        the title itself); a very long one is set in pieces as body text is, the first carrying
        the outline entry. Its tag (H1 to H6) never skips a level after the one before."""
        shown = self.case(text)
        base = self.styles.title if level == 0 else self.styles.heading
        depth = 1 if level == 0 else max(2, min(level, self.level + 1, 6))
        if level:
            self.level = depth
        node = parent.add(f"H{depth}")
        pieces = _in_pieces(shown, base)
        return [
            Heading(
                self.markup(piece, bold=True),
                style,
                node=node,
                joins_next=n < len(pieces) - 1,
                entry=(shown, depth - 1, self.outline) if n == 0 else None,
            )
            for n, (piece, style) in enumerate(pieces)
        ]

    def keep_room(self, flowables: list[Flowable], following: list[Flowable]) -> CondPageBreak:
        """A page break unless these flowables (a heading, a box's opening) and the start of
        what follows them still fit: a heading or a box label never ends a page."""
        return CondPageBreak(
            needed_height(flowables, self.layout.frame_width) + self.lead_height(following)
        )

    def lead_height(self, flowables: list[Flowable]) -> float:
        """The height of the start of `flowables` that must share a page with what comes before
        it: a table's header and two rows, a list's first two items, a kept-together group
        whole, else up to three lines of text."""
        content = [f for f in flowables if not isinstance(f, _NO_ROOM)]
        width = self.layout.frame_width
        three_lines = 3 * self.layout.leading
        if not content:
            return three_lines
        first = content[0]
        if isinstance(first, TaggedTable):
            rows = (1 if first.repeatRows else 0) + 2
            return float(sum(first._rowHeights[:rows]))
        if isinstance(first, KeepTogether):
            return min(needed_height([first], width), self.layout.frame_height)
        if isinstance(first, Paragraph) and first.bulletText:
            items, starts = [], 0
            for flowable in content:
                if isinstance(flowable, Paragraph) and flowable.bulletText:
                    starts += 1
                if starts > 2:
                    break
                items.append(flowable)
            return needed_height(items, width)
        return min(needed_height([first], width), three_lines)

    def block(self, block: Block, parent: Node) -> list[Flowable]:
        if block.kind is BlockKind.LIST:
            return self.listing(block, parent)
        if block.kind is BlockKind.TABLE:
            return self.table(block, parent)
        if block.kind is BlockKind.QUOTE:
            indent = self.layout.font_size * 1.5
            return [
                Indenter(left=indent),
                *self.body(block.text, self.styles.body, parent.add("BlockQuote").add("P")),
                Indenter(left=-indent),
            ]
        return self.body(block.text, self.styles.body, parent.add("P"))

    def body(
        self,
        text: str,
        style: ParagraphStyle,
        node: Node,
        bullet: str | None = None,
        label: Node | None = None,
    ) -> list[Flowable]:
        """Body text as one paragraph, or as consecutive ones when it is very long (the bullet
        on the first, the gap after the last), all of them one structure node."""
        pieces = _in_pieces(text, style)
        return [
            self.para(
                piece,
                piece_style,
                node,
                bulletText=bullet if n == 0 else None,
                label=label if n == 0 else None,
                joins_next=n < len(pieces) - 1,
            )
            for n, (piece, piece_style) in enumerate(pieces)
        ]

    def listing(self, block: Block, parent: Node) -> list[Flowable]:
        size = self.layout.font_size
        bullet = "•" if self.fonts.primary.regular.draws("•") else "-"
        out: list[Flowable] = []
        numbers: dict[int, int] = {}
        # A nested list is an L inside the LBody of the item it follows.
        outer = parent.add("L")
        lists: list[tuple[int, Node]] = []
        last_body: Node | None = None
        for item in block.items:
            while lists and lists[-1][0] > item.depth:
                lists.pop()
            if not lists:
                lists.append((item.depth, outer))
            elif lists[-1][0] < item.depth:
                inner = last_body.add("L") if last_body is not None else lists[-1][1]
                lists.append((item.depth, inner))
            entry = lists[-1][1].add("LI")
            label = entry.add("Lbl")
            last_body = entry.add("LBody")
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
            out += self.body(item.text, style, last_body, bullet=marker, label=label)
        return out

    def table(self, block: Block, parent: Node) -> list[Flowable]:
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
            return self.table_as_lines(block, parent)
        natural = [max([0.0, *map(width, cells)]) + 2 * padding for cells in columns_text]
        extra = [max(0.0, n - w) for n, w in zip(natural, needed, strict=True)]
        spare = layout.frame_width - sum(needed)
        col_widths = [
            w + (spare * e / sum(extra) if sum(extra) else spare / columns)
            for w, e in zip(needed, extra, strict=True)
        ]
        rows: list[list[TaggedParagraph]] = []
        if block.header:
            rows.append(
                [
                    self.para(cell, self.styles.cell_header, None)
                    for cell in _pad(block.header, columns)
                ]
            )
        rows.extend(
            [self.para(cell, self.styles.cell, None) for cell in _pad(row, columns)]
            for row in block.rows
        )
        table = TaggedTable(
            rows,
            colWidths=col_widths,
            repeatRows=1 if block.header else 0,
            hAlign="LEFT",
            renderCB=table_events,
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
            return self.table_as_lines(block, parent)
        # The structure is made only now that the table is kept (not read as lines).
        node = parent.add("Table")
        for n, cells in enumerate(rows):
            row = node.add("TR")
            header = n == 0 and bool(block.header)
            for cell in cells:
                cell.node = row.add("TH", scope="Column") if header else row.add("TD")
        return [table, Spacer(1, layout.font_size)]

    def table_as_lines(self, block: Block, parent: Node) -> list[Flowable]:
        """A table too wide for large print, read as "Header: value" lines, a group per row
        (a paragraph each)."""
        out: list[Flowable] = []
        style = ParagraphStyle("row", parent=self.styles.body, spaceAfter=0)
        for row in block.labelled_rows():
            group: list[Flowable] = []
            for label, cell in row:
                node = parent.add("P")
                pieces = [self.markup(piece) for piece in _pieces(cell)]
                if label:
                    pieces[0] = f"<b>{self.fonts.markup(label, bold=True)}:</b> {pieces[0]}"
                group += [
                    TaggedParagraph(piece, style, node=node, joins_next=n < len(pieces) - 1)
                    for n, piece in enumerate(pieces)
                ]
            group.append(Spacer(1, self.layout.font_size))
            out.append(KeepTogether(group))
        if not block.rows and block.header:
            out.append(self.para(" ".join(block.header), self.styles.body, parent.add("P")))
        return out

    def boxed(
        self,
        kind: SectionKind,
        heading: str | None,
        level: int,
        blocks: tuple[Block, ...],
        parent: Node,
    ) -> list[Flowable]:
        label = self.wording.label(kind) or self.wording.risk
        pad = self.layout.font_size * 0.75
        # A box is a section of its own, titled with its label, so that a screen reader can
        # name it and jump past or to it.
        sect = parent.add("Sect", title=label)
        opening: list[Flowable] = [Spacer(1, pad)]
        if not heading or heading.strip().lower() != label.lower():
            opening.append(self.para(label, self.styles.label, sect.add("P")))  # not twice
        if heading:
            opening += self.heading(heading, level, sect)
        inner: list[Flowable] = [
            BoxMark(label),
            BoxBorder(
                color=None, strokeColor=colors.HexColor(self.theme.box), strokeWidth=_BOX_STROKE
            ),
            Indenter(left=pad, right=pad),
            *opening,
        ]
        following: list[Flowable] = []
        for block in blocks:
            following += self.block(block, sect)
        inner += following
        inner += [
            Indenter(left=-pad, right=-pad),
            FrameBG(start=False),
            BoxMark(None),
            Spacer(1, self.layout.font_size),
        ]
        room = self.keep_room(opening, following)
        # Kept on one page with its heading when it fits on one; a longer box starts where it
        # is and breaks with a "continued" label, rather than leaving a page nearly blank.
        if needed_height(inner, self.layout.frame_width - 2 * pad) <= self.layout.frame_height:
            return [room, KeepTogether(inner)]
        return [room, *inner]

    def section(self, section: Section) -> list[Flowable]:
        if section.kind is SectionKind.BOILERPLATE:
            return []
        if section.protected and section.blocks:
            return self.boxed(
                section.kind, section.heading, section.level, section.blocks, self.root
            )
        heading = self.heading(section.heading, section.level, self.root) if section.heading else []
        following: list[Flowable] = []
        for kind, blocks in block_runs(section.blocks):
            if kind is not None:
                following += self.boxed(kind, None, section.level, blocks, self.root)
            else:
                following += self.block(blocks[0], self.root)
        if heading:
            return [self.keep_room(heading, following), *heading, *following]
        return following

    def front_matter(
        self, article: Article, options: LargePrintOptions, dated: str | None
    ) -> list[Flowable]:
        """The title, the clinic's name and phone, the date and edition, and the QR code that
        leads to the spoken version."""
        out: list[Flowable] = self.heading(article.title, 0, self.root)
        contact = clinic_contact(options, self.wording)
        if contact:
            out.append(self.para(contact, self.styles.body, self.root.add("P")))
        edition = " · ".join(part for part in (dated, options.edition) if part)
        if edition:
            out.append(self.para(edition, self.styles.body, self.root.add("P")))
        if options.audio_url:
            listen = self.para(self.wording.listen, self.styles.label, self.root.add("P"))
            figure = self.root.add("Figure", alt=f"{self.wording.listen}: {options.audio_url}")
            out += [
                listen,
                TaggedFigure(self.qr_code(options.audio_url), figure),
                Spacer(1, self.layout.font_size * 0.5),
                self.para(options.audio_url, self.styles.body, self.root.add("P")),
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


def clinic_contact(options: LargePrintOptions, wording: Wording) -> str:
    """The clinic's name and phone as printed under the title and in every page's footer."""
    phone = wording.phone.format(number=options.clinic_phone) if options.clinic_phone else None
    return " · ".join(part for part in (options.clinic_name, phone) if part)


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
