"""Many articles in one run: stable, unique output names, unchanged articles skipped, the rest
rendered in worker processes, each article's success or failure handed back as it finishes."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Generator, Sequence
from multiprocessing.pool import Pool
from pathlib import Path

from renderer.config import Options
from renderer.errors import RendererError
from renderer.outputs.files import slug_text
from renderer.pipeline import RenderResult, Toolkit, render_file, up_to_date

Outcome = tuple[Path, RenderResult | Exception]


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


def default_jobs() -> int:
    return os.cpu_count() or 1


def _start_method() -> str:
    # A worker forked from a process whose speech engine has started hangs (pyttsx3 #131):
    # forkserver (or spawn) starts workers from a clean process, each with its own engine.
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


_WORKER_KIT: Toolkit | None = None


def _start_worker(options: Options) -> None:
    global _WORKER_KIT
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    _WORKER_KIT = Toolkit.load(options)


def _render_in_worker(task: tuple[Path, Options, Path, str]) -> Outcome:
    path, options, out_dir, slug = task
    try:
        return path, render_file(path, options, out_dir, slug, _WORKER_KIT)
    except RendererError as error:
        return path, error
    except Exception as error:  # not every exception survives the trip back between processes
        return path, RendererError(f"unexpected {type(error).__name__}: {error}", path)


def render_all(
    paths: Sequence[Path],
    options: Options,
    out_dir: Path,
    kit: Toolkit | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
) -> Generator[Outcome, None, None]:
    """Render each article, yielding its result (or the error that stopped it) as it finishes.

    An article whose input, options, renderer and engine are unchanged since the last run, with
    its outputs intact, is not rendered again unless `force`. The others are rendered in up to
    `jobs` worker processes (in this one for PDF alone with `jobs` 1); the files are the same
    whatever `jobs` is.
    """
    kit = kit or Toolkit.load(options)
    slugs = assign_slugs(paths)
    todo = []
    for path in paths:
        skipped = None if force else up_to_date(path, options, out_dir, slugs[path], kit)
        if skipped is not None:
            yield path, skipped
        else:
            todo.append(path)
    # espeak-ng's wave generator carries state (its pitch flutter) from one utterance to the
    # next, so an article's audio would depend on which articles a process spoke before it:
    # each is spoken by a fresh process, and `--jobs 1` and `--jobs 2` give the same files.
    fresh = "audio" in options.formats
    if not todo or (jobs <= 1 and not fresh):
        for path in todo:
            try:
                yield path, render_file(path, options, out_dir, slugs[path], kit)
            except Exception as error:  # one bad article must not stop the batch
                yield path, error
        return
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["renderer.pipeline"])  # imports once, no engine
    tasks = [(path, options, out_dir, slugs[path]) for path in todo]
    workers = max(1, min(jobs, len(todo)))
    pool: Pool = context.Pool(workers, _start_worker, (options,), 1 if fresh else None)
    try:
        yield from pool.imap_unordered(_render_in_worker, tasks)
        pool.close()
    finally:
        pool.terminate()  # on Ctrl-C: workers stop now; their files are under temporary names
        pool.join()
        remove_partial_files(out_dir)


def remove_partial_files(out_dir: Path) -> list[Path]:
    """Delete the temporary files a stopped writer left (atomic_write's `.name.*.part`)."""
    removed = []
    for partial in out_dir.glob("**/.*.part") if out_dir.is_dir() else ():
        partial.unlink(missing_ok=True)
        removed.append(partial)
    return removed
