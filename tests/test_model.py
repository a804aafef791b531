"""The model's own rules: how a table's cells are paired with their headers."""

from __future__ import annotations

from renderer.model import Block, BlockKind


def test_table_cells_are_paired_with_their_column_headers() -> None:
    table = Block(
        BlockKind.TABLE,
        header=("Dose", "", "When"),
        rows=(("5 mg", "with food", "morning", "extra"), ("10 mg",)),
    )
    assert table.labelled_rows() == (
        (("Dose", "5 mg"), ("", "with food"), ("When", "morning"), ("", "extra")),
        (("Dose", "10 mg"),),
    )


def test_a_table_without_a_header_has_no_labels() -> None:
    table = Block(BlockKind.TABLE, rows=(("a", "b"),))
    assert table.labelled_rows() == ((("", "a"), ("", "b")),)
    assert Block(BlockKind.PARAGRAPH, "text").labelled_rows() == ()
