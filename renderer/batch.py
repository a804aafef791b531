"""Many articles in one run: stable, unique output names, and each article's success or failure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.pipeline import RenderResult, render_file

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(path: Path) -> str:
    """A folder and file name from the input's file name (never its content): safe anywhere."""
    ascii_name = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")[:80] or "article"


def assign_slugs(paths: Sequence[Path]) -> dict[Path, str]:
    """Unique slugs in input order: a second 'guide.md' becomes 'guide-2'."""
    taken: set[str] = set()
    slugs: dict[Path, str] = {}
    for path in paths:
        base = slug = slugify(path)
        n = 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        slugs[path] = slug
    return slugs


def render_all(
    paths: Sequence[Path], options: Options, out_dir: Path
) -> Iterator[tuple[Path, RenderResult | Exception]]:
    """Render each article in turn, yielding its result or the error that stopped it."""
    cues = load_cues(options.cue_files)
    slugs = assign_slugs(paths)
    for path in paths:
        try:
            yield path, render_file(path, options, out_dir, slugs[path], cues)
        except Exception as error:  # one bad article must not stop the batch
            yield path, error
