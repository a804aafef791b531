"""The colours of report.html and its charts."""

from __future__ import annotations

# The page is white and nothing else has a background: every other colour is drawn on white and
# reaches the WCAG AAA ratio of 7:1 against it (the tests compute it).
PAGE = "#ffffff"
TEXT = "#000000"
LINK = "#00008b"  # dark blue, 15:1
VISITED = "#4b0082"  # indigo, 12.9:1
OVER_BAR = "#7a0000"  # dark red, 11:1; over-target bars are also filled and labelled "over"
