"""Tagged PDF (PDF/UA-1): the handout's structure recorded while reportlab draws it.

Open-source reportlab writes no structure tree, so the handout is tagged in two steps. While
the pages are drawn, every piece of content is wrapped in marked content: the article's text in
`/P <</MCID n>> BDC ... EMC` (n counted per page) for the structure node it belongs to, and the
page's furniture (background, box borders, table rules, the footer, "continued" labels and a
table's repeated header row) in `/Artifact BMC ... EMC`. The nodes (headings, paragraphs, lists,
tables, boxes, the QR figure) are made by the story in reading order and collect the marked
content drawn for them; a paragraph split over two pages keeps one node. After reportlab has
saved, structure.py writes the tree, the parent tree and the XMP with pikepdf.

This leans on reportlab internals, pinned in pyproject.toml to 5.1.x: a paragraph's bullet and
its text are two `Canvas.drawText` calls, lines are broken in `Paragraph.breakLines`, a frame's
background is drawn by the `_FBGBag` a `FrameBG` appends, and a table reports its background,
rows and rules through `renderCB`. tests/outputs/test_pdf_tags.py fails loudly when they change,
and the canvas raises TaggingError when text is drawn outside any node or artifact.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.flowables import FrameBG, _FBGBag


class TaggingError(RuntimeError):
    """Content was drawn outside the structure: a change in reportlab's drawing that the
    tagging does not know (a programming error, never the article's fault)."""


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: page (0-based) and its MCID there."""

    page: int
    mcid: int


@dataclass(frozen=True)
class LinkAnnotation:
    """A link annotation drawn for a node: page (0-based), its place among the page's link
    annotations, and its address."""

    page: int
    index: int
    url: str


class Node:
    """A structure element: a standard tag (P, H2, LI, TD ...), its children in reading order
    (nodes and the marked content drawn for it), and the attributes some tags need: a title
    (a box's Sect), alternate text (a Figure), a scope (a table's TH)."""

    def __init__(
        self,
        tag: str,
        parent: Node | None = None,
        *,
        title: str | None = None,
        alt: str | None = None,
        scope: str | None = None,
    ) -> None:
        self.tag = tag
        self.title = title
        self.alt = alt
        self.scope = scope
        self.children: list[Node | Marked] = []
        self.links: list[LinkAnnotation] = []
        if parent is not None:
            parent.children.append(self)

    def add(self, tag: str, **attributes: Any) -> Node:
        return Node(tag, self, **attributes)

    # platypus deep-copies some containers' flowables: their node must stay the one in the tree.
    def __copy__(self) -> Node:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Node:
        return self

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()


class TaggingCanvas(Canvas):  # type: ignore[misc]
    """A canvas that wraps what is drawn in marked content. Text must be drawn for a node
    (`expect_text`) or inside an artifact; anything else raises TaggingError."""

    def __init__(self, *args: Any, root: Node, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = root
        self._mcid = 0
        self._links = 0
        self._artifacts = 0  # depth: an artifact may be drawn inside another
        self._open: Node | None = None
        self._text_for: list[Node] = []
        self.drawing: Node | None = None  # the node whose flowable is being drawn (links)

    @property
    def page_index(self) -> int:
        return int(self.getPageNumber()) - 1

    @property
    def in_artifact(self) -> bool:
        return self._artifacts > 0

    def showPage(self) -> None:
        if self._open is not None or self._artifacts:
            raise TaggingError("a page ended inside marked content")
        super().showPage()
        self._mcid = 0
        self._links = 0

    @contextlib.contextmanager
    def artifact(self) -> Iterator[None]:
        """Everything drawn inside is page furniture, not part of the article."""
        if self._open is not None:
            raise TaggingError("an artifact was drawn inside tagged content")
        if not self._artifacts:
            self.addLiteral("/Artifact BMC")
        self._artifacts += 1
        try:
            yield
        finally:
            self._artifacts -= 1
            if not self._artifacts:
                self.addLiteral("EMC")

    @contextlib.contextmanager
    def tagged(self, node: Node) -> Iterator[None]:
        """Everything drawn inside belongs to `node` (one marked-content sequence)."""
        if self._artifacts:
            yield
            return
        if self._open is not None:
            raise TaggingError(f"{node.tag} content was drawn inside {self._open.tag} content")
        mcid = self._mcid
        self._mcid += 1
        node.children.append(Marked(self.page_index, mcid))
        self.addLiteral(f"/{node.tag} <</MCID {mcid}>> BDC")
        self._open = node
        try:
            yield
        finally:
            self._open = None
            self.addLiteral("EMC")

    def expect_text(self, nodes: list[Node]) -> None:
        """The next text objects drawn belong to these nodes, one each (a list item's bullet
        to its Lbl, then its text to its LBody)."""
        self._text_for = list(nodes)

    def expected_text_left(self) -> list[Node]:
        left, self._text_for = self._text_for, []
        return left

    def drawText(self, aTextObject: Any) -> None:
        if self._artifacts or self._open is not None:
            super().drawText(aTextObject)
            return
        if not self._text_for:
            raise TaggingError("text was drawn outside the structure and outside any artifact")
        with self.tagged(self._text_for.pop(0)):
            super().drawText(aTextObject)

    def linkURL(self, url: str, rect: Any, relative: int = 0, *args: Any, **kw: Any) -> None:
        # A link needs a Link element in the tree and the address as its description
        # (PDF/UA 7.18.5); which node it belongs to is known only now.
        if self.drawing is None:
            raise TaggingError(f"a link to {url!r} was drawn outside any node")
        self.drawing.links.append(LinkAnnotation(self.page_index, self._links, url))
        self._links += 1
        super().linkURL(url, rect, relative, *args, Contents=PDFString(url), **kw)


@contextlib.contextmanager
def artifact(canvas: Any) -> Iterator[None]:
    """An artifact on a tagging canvas; nothing on any other (an untagged build, measuring)."""
    if isinstance(canvas, TaggingCanvas):
        with canvas.artifact():
            yield
    else:
        yield


class TaggedParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph whose text belongs to a structure node (and whose bullet, if it has one,
    to a label node). Every line but the last ends with a space when a space follows in the
    text, so that text read through the tags does not join words across line ends; `joins_next`
    says the next flowable goes on with the same node (a long text set in pieces), so the last
    line gets one too."""

    def __init__(
        self,
        text: str | None,
        style: Any,
        *args: Any,
        node: Node | None = None,
        label: Node | None = None,
        joins_next: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.node = node
        self.label = label
        self.joins_next = joins_next
        # The text as written, white space collapsed: what a line end is compared with. A
        # part split off a paragraph holds the words as laid out, no longer the text.
        self.source_text = " ".join("".join(_frag_text(f) for f in self.frags).split())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # The story measures a paragraph (needed_height, keep_room) before a frame lays it out
        # at the same width, and a frame that cannot take it measures it again on the next
        # page: half of the line breaking of a long handout was done twice. The lines depend
        # only on the text, its style and the width, so those of the last wrap are kept while
        # they are still the paragraph's (split drops them when it sends it on whole).
        last: tuple[float, Any, Any, tuple[float, float]] | None = self.__dict__.get("_last_wrap")
        if last is not None:
            width, style, lines, kept = last
            if width == availWidth and style is self.style and self.__dict__.get("blPara") is lines:
                self.width, self.height = kept
                return kept
        size: tuple[float, float] = tuple(super().wrap(availWidth, availHeight))  # as it was
        self._last_wrap = (availWidth, self.style, self.__dict__.get("blPara"), size)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            if part is not self:
                part.node = self.node
                part.label = self.label if n == 0 else None
                part.joins_next = self.joins_next or n < len(parts) - 1
                part.source_text = self.source_text
        return parts

    def draw(self) -> None:
        # The spaces are added to the lines as drawn, not as measured: a split paragraph is
        # broken into lines again from its words, which must keep their widths.
        broken: Any = getattr(self, "blPara")  # noqa: B009 (reportlab sets it in wrap)
        self.blPara = _spaced_line_ends(self, broken)
        try:
            super().draw()
        finally:
            self.blPara = broken

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not isinstance(canvas, TaggingCanvas) or self.node is None:
            super().drawOn(canvas, x, y, _sW)
            return
        canvas.drawing = self.node
        try:
            if not canvas.in_artifact:
                label = self.label if self.bulletText else None
                canvas.expect_text([label, self.node] if label is not None else [self.node])
            super().drawOn(canvas, x, y, _sW)
            left = canvas.expected_text_left()
            if left and self.blPara.lines:
                raise TaggingError(
                    f"a paragraph drew less text than expected: {[n.tag for n in left]} left"
                )
        finally:
            canvas.drawing = None


def _frag_text(frag: Any) -> str:
    # A paragraph split from one without markup holds its words, not its text; one split
    # from one with markup holds [width, (frag, text) ...] per word.
    if isinstance(frag, list):
        return "".join(str(piece[1]) for piece in frag[1:]) + " "
    text = getattr(frag, "text", None)
    return str(text) if text is not None else " ".join(getattr(frag, "words", ()))


def _spaced_line_ends(paragraph: TaggedParagraph, broken: Any) -> Any:
    """The broken lines with a space at the end of each but the last where the text has white
    space after it (not where a word longer than the line was broken)."""
    lines = list(broken.lines)
    text = paragraph.source_text
    cursor = 0
    last = len(lines) if paragraph.joins_next else len(lines) - 1
    for i in range(last):
        line = lines[i]
        plain = isinstance(line, tuple)  # (extra space, words) of a paragraph without markup
        words = list(line[1]) if plain else list(line.words)
        if not words:
            continue
        shown = " ".join(words) if plain else "".join(getattr(w, "text", "") for w in words)
        core = " ".join(shown.split())
        found = text.find(core, cursor) if core else -1
        if found >= 0:
            cursor = found + len(core)
            if cursor < len(text) and text[cursor] != " ":
                continue  # a word broken across the line end
        elif i == len(lines) - 1:
            continue
        end = words[-1]
        if plain:
            lines[i] = (line[0], [*words[:-1], end + " "])
        elif hasattr(end, "text") and not end.text.endswith(" "):
            lines[i] = line.clone(words=[*words[:-1], end.clone(text=end.text + " ")])
    return broken.clone(lines=lines)


class BoxBorder(FrameBG):  # type: ignore[misc]
    """A FrameBG whose border is drawn as an artifact."""

    def draw(self) -> None:
        super().draw()
        frame = getattr(self, "_frame", None)
        if self.start and frame is not None and frame._frameBGs:
            frame._frameBGs[-1].__class__ = _ArtifactBG


class _ArtifactBG(_FBGBag):  # type: ignore[misc]
    def render(self, canv: Any, *args: Any) -> None:
        with artifact(canv):
            super().render(canv, *args)


class TaggedTable(Table):  # type: ignore[misc]
    """A table whose background and rules are artifacts, and whose header row, repeated at the
    top of each later page, is an artifact there (the first one is tagged)."""

    continuation = False

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            if part is not self:
                part.continuation = self.continuation or n > 0
        return parts


def table_events(table: Any, event: str, *args: Any) -> None:
    """The renderCB of a TaggedTable: artifacts around its background, its rules and a
    repeated header row."""
    canvas = table.canv
    if not isinstance(canvas, TaggingCanvas):
        return
    stack: list[Any] = table.__dict__.setdefault("_artifact_stack", [])
    if event in ("startBG", "startLines"):
        stack.append(canvas.artifact())
        stack[-1].__enter__()
    elif event in ("endBG", "endLines"):
        stack.pop().__exit__(None, None, None)
    elif event == "startRow":
        repeated = table.continuation and args[0] < table.repeatRows
        stack.append(canvas.artifact() if repeated else contextlib.nullcontext())
        stack[-1].__enter__()
    elif event == "endRow":
        stack.pop().__exit__(None, None, None)


class TaggedFigure(Flowable):  # type: ignore[misc]
    """A drawing (the QR code) as a Figure with alternate text."""

    def __init__(self, drawing: Flowable, node: Node) -> None:
        super().__init__()
        self.drawing = drawing
        self.node = node

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self.drawing.wrap(availWidth, availHeight)
        self.width, self.height = width, height
        return width, height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        context = canvas.tagged(self.node) if isinstance(canvas, TaggingCanvas) else None
        with context or contextlib.nullcontext():
            self.drawing.drawOn(canvas, x, y, _sW)
