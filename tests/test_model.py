"""The model's own rules: how a table's cells are paired with their headers, and which of a
block's texts are labels and which are values."""

from __future__ import annotations

from renderer.model import Block, BlockKind, ListItem


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


def test_a_tables_header_cells_are_labels_and_its_body_cells_values() -> None:
    table = Block(BlockKind.TABLE, header=("Dose", ""), rows=(("5 mg", ""), ("", "twice")))
    assert table.labels() == ("Dose",)
    assert table.values() == ("5 mg", "twice")
    assert table.units() == ("Dose", "5 mg", "twice")


def test_other_blocks_have_no_labels() -> None:
    items = (ListItem("one"), ListItem("two", 1))
    listing = Block(BlockKind.LIST, items=items)
    assert listing.labels() == ()
    assert listing.values() == listing.units() == ("one", "two")
    assert Block(BlockKind.PARAGRAPH, "").values() == ()
