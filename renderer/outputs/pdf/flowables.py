"""The handout's own flowables: a heading that bookmarks itself, and the marks that tell the page
template a protected box is open."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from renderer.outputs.pdf.tags import TaggedParagraph

# The canvas attribute a BoxMark sets and the page template reads at each page's end.
OPEN_BOX = "_renderer_open_box"


class Heading(TaggedParagraph):
    """A heading that adds itself to the PDF outline on the page where it lands, opening at the
    heading itself rather than the top of the page.

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
        for n, part in enumerate(parts):
            part._entry = self._entry if n == 0 else None
        return parts

    def draw(self) -> None:
        if self._entry is not None:
            title, level, outline = self._entry
            key = f"h{len(outline)}"
            # The view opens with the heading's top (and the space above it) at the top.
            self.canv.bookmarkHorizontal(key, 0, self.height + self.style.spaceBefore)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
            outline.append((title, self.canv.getPageNumber()))
        super().draw()


class BoxMark(Flowable):  # type: ignore[misc]
    """Records, when placed, which protected box is open: a page that ends inside one gets a
    "continued" label at the top of the next."""

    _ZEROSIZE = 1

    def __init__(self, label: str | None) -> None:
        super().__init__()
        self.label = label

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        setattr(self.canv, OPEN_BOX, self.label)
