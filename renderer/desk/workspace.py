"""The desk's private temporary folder: one job per upload, each in a folder of its own named by
an unguessable id, seen only by the browser session that made it, and removed a set time after
it was last used (or when the desk stops).

A job's folder holds `in/` (the stored copies and their pin files, named by us) and `results/`
(one output folder per article, so that renders of different articles share nothing, and the
job's report over all of them)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renderer.desk.pins import DeskPin, add_pin, write_pins
from renderer.desk.uploads import stored_name

if TYPE_CHECKING:
    from renderer.config import Options
    from renderer.model import Article

# What a render of one article is doing, as the page says it.
WAITING, RENDERING, RENDERED, SKIPPED, FAILED = (
    "waiting",
    "rendering",
    "rendered",
    "skipped",
    "failed",
)
DONE = (RENDERED, SKIPPED, FAILED)


@dataclass
class DeskArticle:
    """One handout of a job: its stored copy, the name it was uploaded as, and its pins."""

    key: str  # our name for it: its stored file's stem and its output folder's name
    shown: str  # the name it was uploaded as (or "Pasted text")
    path: Path  # the stored copy
    pins: list[DeskPin] = field(default_factory=list)
    version: int = 0  # goes up with each pin, so a cached analysis is known to be stale
    analysed: tuple[Any, Article | None, str | None] | None = None  # (key, article, error)

    @property
    def out_dir(self) -> Path:
        return self.path.parent.parent / "results" / self.key


@dataclass
class RunItem:
    """One article of a render, as it goes: waiting, rendering, then rendered, skipped or
    failed (with the one-line error, naming the article as it was uploaded)."""

    article: DeskArticle
    status: str = WAITING
    error: str | None = None


@dataclass
class RenderRun:
    """A render of every article of a job with one set of options."""

    options: Options
    items: list[RunItem]
    started: float = field(default_factory=time.monotonic)
    report: Path | None = None  # the job's report.html, once every article is done
    problem: str | None = None  # why the render could not start at all

    @property
    def finished(self) -> int:
        return sum(item.status in DONE for item in self.items)

    @property
    def done(self) -> bool:
        return self.finished == len(self.items)


@dataclass
class Job:
    """One upload of one or more handouts, and what became of them."""

    id: str
    owner: str  # the browser session that made it
    folder: Path
    articles: list[DeskArticle] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # uploads not taken, one line each
    values: dict[str, Any] = field(default_factory=dict)  # the options form as last sent
    run: RenderRun | None = None
    touched: float = field(default_factory=time.monotonic)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def inputs(self) -> Path:
        return self.folder / "in"

    @property
    def results(self) -> Path:
        return self.folder / "results"

    def article(self, key: str) -> DeskArticle | None:
        return next((a for a in self.articles if a.key == key), None)

    def add(self, shown: str, name: str, data: bytes) -> DeskArticle:
        """Store a handout's bytes under a name of our own; `name` is only read for its type."""
        key, file_name = stored_name(name, {a.key for a in self.articles})
        path = self.inputs / file_name
        self.inputs.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:  # never another file: our names are unique in the job
            handle.write(data)
        article = DeskArticle(key, shown, path)
        self.articles.append(article)
        return article

    def pin(self, article: DeskArticle, pin: DeskPin) -> None:
        pins = add_pin(article.pins, pin)
        write_pins(article.path, pins)
        article.pins = pins
        article.version += 1

    def unpin(self, article: DeskArticle, number: int) -> None:
        pins = [p for n, p in enumerate(article.pins) if n != number]
        write_pins(article.path, pins)
        article.pins = pins
        article.version += 1

    def plain(self, text: str) -> str:
        """A message with our stored names replaced by the names the handouts were uploaded as
        (and the private folder left out): what staff see of an error."""
        for article in self.articles:
            text = text.replace(
                str(article.path.with_name(article.key + ".pins.toml")),
                f"the pins of {article.shown}",
            )
            text = text.replace(str(article.path), article.shown)
            text = text.replace(article.path.name, article.shown)
        return text.replace(str(self.folder) + os.sep, "")

    @property
    def busy(self) -> bool:
        return self.run is not None and not self.run.done


class Workspace:
    """Every job of the desk, in one private temporary folder (mode 0700)."""

    def __init__(
        self, root: Path | None, keep_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if root is None:
            self.root = Path(tempfile.mkdtemp(prefix="renderer-desk-"))
            self._own_root = True
        else:
            root.mkdir(parents=True, exist_ok=True)
            self.root = Path(tempfile.mkdtemp(prefix="renderer-desk-", dir=root))
            self._own_root = True
        os.chmod(self.root, 0o700)
        self.uploads = self.root / "uploading"  # where a request's files are spooled
        self.uploads.mkdir(mode=0o700)
        self.keep_seconds = keep_seconds
        self.clock = clock
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def new_job(self, owner: str) -> Job:
        job_id = secrets.token_urlsafe(16)
        folder = self.root / "jobs" / job_id
        folder.mkdir(parents=True, mode=0o700)
        job = Job(job_id, owner, folder, touched=self.clock())
        with self._lock:
            self._jobs[job_id] = job
        return job

    def job(self, job_id: str, owner: str) -> Job | None:
        """The job with this id when `owner` made it (another session's is not there for it)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or not secrets.compare_digest(job.owner, owner):
            return None
        job.touched = self.clock()
        return job

    def jobs_of(self, owner: str) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values() if j.owner == owner]

    def remove(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self) -> list[str]:
        """Remove the jobs not used for the set time (a job still rendering is kept until it is
        done); return their ids."""
        now = self.clock()
        with self._lock:
            old = [
                j for j in self._jobs.values() if now - j.touched > self.keep_seconds and not j.busy
            ]
        for job in old:
            self.remove(job)
        return [j.id for j in old]

    def close(self) -> None:
        """Remove every job and the folder itself."""
        with self._lock:
            self._jobs.clear()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    @contextlib.contextmanager
    def sweeping(self, every: float) -> Iterator[None]:
        """Sweep every `every` seconds in a thread, until the block ends."""
        stop = threading.Event()

        def sweep() -> None:
            while not stop.wait(every):
                self.sweep()

        thread = threading.Thread(target=sweep, name="desk-sweeper", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(5)
