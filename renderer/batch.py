"""Many articles in one run: stable, unique output names, and each article's success or failure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from renderer.config import Options
from renderer.outputs.files import slug_text
from renderer.pipeline import RenderResult, Toolkit, render_file


def slugify(path: Path) -> str:
    """A folder and file name from the input's file name (never its content): safe anywhere."""
    return slug_text(path.stem) or "article"


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
    paths: Sequence[Path], options: Options, out_dir: Path, kit: Toolkit | None = None
) -> Iterator[tuple[Path, RenderResult | Exception]]:
    """Render each article in turn, yielding its result or the error that stopped it."""
    kit = kit or Toolkit.load(options)
    slugs = assign_slugs(paths)
    for path in paths:
        try:
            yield path, render_file(path, options, out_dir, slugs[path], kit)
        except Exception as error:  # one bad article must not stop the batch
            yield path, error
