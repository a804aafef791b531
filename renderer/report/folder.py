"""The reports of a whole output folder: every article a manifest there describes, this run's
first, so that a `--formats pdf` reprint of one article, or a run over one new file, still
gives a report of everything the folder holds."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from renderer.manifest import NAME, Manifest
from renderer.report.entries import ArticleOutcome, ReportEntry, summarise
from renderer.report.writer import write_reports


class RunEntry(Protocol):
    """One input of this run as it ended (batch.Finished)."""

    @property
    def path(self) -> Path: ...
    @property
    def slug(self) -> str: ...
    @property
    def error(self) -> str | None: ...


def _read(folder: Path) -> Manifest | None:
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, KeyError):
        return Manifest.read(folder / NAME)
    return None


def folder_entries(
    out_dir: Path, this_run: Sequence[RunEntry], target_grade: float
) -> list[ReportEntry]:
    """This run's articles in input order (one that failed is reported failed, even where an
    earlier render's files are still there), then the articles earlier runs rendered into the
    folder, by slug. Manifests are read one at a time: a report of thousands of articles does
    not hold their text."""
    entries = []
    seen = set()
    for item in this_run:
        seen.add(item.slug)
        manifest = None if item.error is not None else _read(out_dir / item.slug)
        error = item.error
        if manifest is None and error is None:
            error = f"its {NAME} cannot be read"
        outcome = ArticleOutcome(str(item.path), item.slug, manifest, error)
        entries.append(summarise(outcome, target_grade))
    for path in sorted(out_dir.glob(f"*/{NAME}")):
        slug = path.parent.name
        if slug in seen:
            continue
        manifest = _read(path.parent)
        if manifest is None:
            outcome = ArticleOutcome(str(path), slug, None, f"its {NAME} cannot be read")
        else:
            outcome = ArticleOutcome(manifest.source, slug, manifest)
        entries.append(summarise(outcome, target_grade))
    return entries


def write_folder_reports(
    out_dir: Path, this_run: Sequence[RunEntry], target_grade: float
) -> list[Path]:
    """Write report.json, .csv and .html of every article in `out_dir` (folder_entries)."""
    return write_reports(out_dir, folder_entries(out_dir, this_run, target_grade), target_grade)
