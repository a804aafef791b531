"""Shared by the loaders: gathers headings and blocks, in reading order, into sections."""

from __future__ import annotations

import re

from renderer.model import Block, BlockKind, Section

_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Collapse runs of white space to one space and trim the ends."""
    return _SPACE.sub(" ", text).strip()


class SectionBuilder:
    """Feed headings and blocks in reading order; `sections()` returns them grouped.

    Text before the first heading becomes an untitled section. Empty blocks are ignored.
    """

    def __init__(self) -> None:
        self._sections: list[Section] = []
        self._heading: str | None = None
        self._level = 2
        self._blocks: list[Block] = []
        self._started = False

    def heading(self, text: str, level: int = 2) -> None:
        self._flush()
        self._heading = clean(text)
        self._level = level
        self._started = True

    def block(self, block: Block) -> None:
        if block.units():
            self._blocks.append(block)

    def paragraph(self, text: str, kind: BlockKind = BlockKind.PARAGRAPH) -> None:
        text = clean(text)
        if text:
            self.block(Block(kind, text=text))

    def _flush(self) -> None:
        if self._started or self._blocks:
            self._sections.append(
                Section(
                    index=len(self._sections),
                    heading=self._heading or None,
                    blocks=tuple(self._blocks),
                    level=self._level,
                )
            )
        self._blocks = []

    def sections(self) -> tuple[Section, ...]:
        self._flush()
        self._started = False
        self._heading = None
        return tuple(self._sections)
