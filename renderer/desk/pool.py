"""The desk's one worker pool: every article of every staff member's render waits for one of its
places, so two people rendering at once share the machine's cores instead of doubling the load.

Each article is rendered by the batch (`render_all`), alone and into a folder of its own: the
batch's own rules (a fresh worker process per spoken article, the time limit, a worker that
dies reported as a failure, skipping what is unchanged) apply to the desk as to the command
line, and two articles rendering at once never write in the same folder. When the last article
of a render is done, the job's report is written over all of them."""

from __future__ import annotations

import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from renderer.desk.workspace import FAILED, RENDERING, Job, RenderRun, RunItem
from renderer.errors import RendererError

REPORT = "report.html"


class RenderPool:
    def __init__(self, workers: int, timeout: float | None) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="desk-render")
        # The desk renders one article at a time, again and again: its workers are forked from
        # one server that has loaded everything once, started now rather than at the first
        # render (which would otherwise spawn a bare worker for its one article).
        from renderer.batch import start_worker_server

        start_worker_server()
        # Loading a toolkit may start this process's speech engine, which is not safe to start
        # or ask for its voices from two threads at once.
        self._kit_lock = threading.Lock()

    def start(self, job: Job, run: RenderRun) -> None:
        """Queue every article of `run`; they render as places come free."""
        kit_holder: dict[str, object] = {}
        for item in run.items:
            self._executor.submit(self._render, job, run, item, kit_holder)

    def shutdown(self) -> None:
        """Stop taking articles; those rendering are stopped when the process ends (the batch's
        workers end with it)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _kit(self, run: RenderRun, holder: dict[str, object]) -> object:
        from renderer.pipeline import Toolkit

        with self._kit_lock:
            if "kit" not in holder:
                holder["kit"] = Toolkit.load(run.options)
            return holder["kit"]

    def _render(self, job: Job, run: RenderRun, item: RunItem, holder: dict[str, object]) -> None:
        from renderer.batch import render_all
        from renderer.pipeline import Toolkit

        with job.lock:
            item.status = RENDERING
        status, error = FAILED, None
        try:
            kit = self._kit(run, holder)
            assert isinstance(kit, Toolkit)
            batch = render_all(
                [item.article.path],
                run.options,
                item.article.out_dir,
                kit,
                jobs=1,
                timeout=self.timeout,
            )
            if batch.stopped is not None:
                error = str(batch.stopped)
            else:
                (finished,) = batch.finished
                status, error = finished.status, finished.error
        except RendererError as failure:
            error = str(failure)
        except Exception as failure:  # one article's bug must not take the desk down
            traceback.print_exception(
                type(failure), failure, failure.__traceback__, file=sys.stderr
            )
            error = f"{item.article.path}: unexpected {type(failure).__name__}: {failure}"
        with job.lock:
            item.status = status
            item.error = None if error is None else job.plain(error)
            last = run.done
        if last:
            try:
                self._report(job, run)
            except Exception as failure:  # the outputs stand; the page must still settle
                traceback.print_exception(
                    type(failure), failure, failure.__traceback__, file=sys.stderr
                )
                with job.lock:
                    run.problem = (
                        f"the report could not be written: {type(failure).__name__}: {failure}"
                    )

    def _report(self, job: Job, run: RenderRun) -> None:
        """The job's report.html, .csv and .json, over every article of the render, each named
        as it was uploaded, its files linked from the job's results folder."""
        from renderer.batch import Finished
        from renderer.report import ArticleOutcome, summarise, write_reports
        from renderer.report.folder import folder_entries

        target = run.options.target_grade
        entries = []
        for item in run.items:
            article = item.article
            if item.status == FAILED:
                outcome = ArticleOutcome(article.shown, None, None, item.error)
                entries.append(summarise(outcome, target))
                continue
            finished = Finished(article.path, article.key, item.status)
            for entry in folder_entries(article.out_dir, [finished], target):
                outputs = tuple(replace(o, path=f"{article.key}/{o.path}") for o in entry.outputs)
                entries.append(replace(entry, source=article.shown, outputs=outputs))
        try:
            paths = write_reports(job.results, entries, target)
        except RendererError as failure:
            with job.lock:
                run.problem = job.plain(str(failure))
            return
        with job.lock:
            run.report = next(p for p in paths if p.name == REPORT)


def output_path(job: Job, relative: str) -> Path | None:
    """A file of the job's results by its path from the results folder, when it is inside it
    and no link: what the page links to (the report's links are relative to it too)."""
    from renderer.manifest import inside

    target = inside(job.results, relative)
    if target is None or not target.is_file():
        return None
    return target
