"""Many articles in one run: stable, unique output names, unchanged articles skipped, the rest
rendered in worker processes, each article's success or failure handed back as it finishes."""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from renderer.config import DEFAULT_TIMEOUT, Options
from renderer.errors import OutputError, RendererError
from renderer.outputs import files
from renderer.outputs.files import slug_text
from renderer.outputs.speech import SpeechEngine, Voice, open_engine
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


@dataclass(frozen=True)
class Finished:
    """One input of a batch as it ended: "rendered", "skipped" (unchanged since the last run)
    or "failed", with the one-line error that stopped it. Its manifest, not this, holds what
    it became: a batch of thousands keeps these, not every article's text."""

    path: Path
    slug: str
    status: str
    error: str | None = None


@dataclass(frozen=True)
class BatchReport:
    """What a batch did: each input as it ended, in input order; the report files written
    (describing the whole output folder); and, when the batch stopped early because the output
    folder could no longer take a file, why."""

    finished: tuple[Finished, ...]
    reports: tuple[Path, ...] = ()
    stopped: RendererError | None = None

    def count(self, status: str) -> int:
        return sum(1 for f in self.finished if f.status == status)


OnDone = Callable[[Path, "RenderResult | Exception"], None]


def render_all(
    paths: Sequence[Path],
    options: Options,
    out_dir: Path,
    kit: Toolkit | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    on_done: OnDone | None = None,
) -> BatchReport:
    """Render each article, then write report.json, report.csv and report.html describing
    every article of `out_dir` (this run's and those rendered before), and return what
    happened. `on_done` is told of each article as it finishes (its result, or the error
    that stopped it), for progress.

    An article whose input, options, renderer and engine are unchanged since the last run, with
    its outputs intact, is not rendered again unless `force`. The others are rendered in up to
    `jobs` worker processes (in this one for PDF alone with `jobs` 1); the files are the same
    whatever `jobs` is. An article a worker spends more than `timeout` seconds on (None: no
    limit) is stopped and fails, as does one whose worker dies; the others are still rendered.
    When the output folder can no longer take any file (a full disk, a folder gone read-only),
    the batch stops there: every later article would fail the same way, and so would the
    reports. Ctrl-C or SIGTERM stop it too (KeyboardInterrupt), leaving only whole files.
    """
    slugs = assign_slugs(paths)
    finished: list[Finished] = []
    outcomes = _outcomes(paths, slugs, options, out_dir, kit, jobs, force, timeout)
    with closing(outcomes):
        for path, outcome in outcomes:
            if isinstance(outcome, RenderResult):
                finished.append(Finished(path, outcome.slug, outcome.manifest.status))
            else:
                finished.append(Finished(path, slugs[path], "failed", str(outcome)))
            if isinstance(outcome, OutputError) and _output_full(out_dir):
                # Told once, as why the batch stopped, not as this article's failure too.
                done = sum(f.status != "failed" for f in finished)
                stopped = OutputError(
                    f"{outcome.message}; stopped with {done} of {len(paths)} articles rendered "
                    "(run again when it can be written: what is done is skipped)",
                    outcome.path,
                )
                return BatchReport(_in_order(paths, finished), (), stopped)
            if on_done is not None:
                on_done(path, outcome)
    ordered = _in_order(paths, finished)
    if not ordered:
        return BatchReport(ordered)
    # Imported here: every worker imports this module too, and writes no report.
    from renderer.report.folder import write_folder_reports

    reports = write_folder_reports(out_dir, ordered, options.target_grade)
    return BatchReport(ordered, tuple(reports))


def _in_order(paths: Sequence[Path], finished: list[Finished]) -> tuple[Finished, ...]:
    by_path = {f.path: f for f in finished}
    return tuple(by_path[p] for p in paths if p in by_path)


def _output_full(folder: Path) -> bool:
    """Whether the output folder can no longer take any file (after an article failed to write)."""
    try:
        files.check_writable(folder)
    except OutputError:
        return True
    return False


def _outcomes(
    paths: Sequence[Path],
    slugs: dict[Path, str],
    options: Options,
    out_dir: Path,
    kit: Toolkit | None,
    jobs: int,
    force: bool,
    timeout: float | None,
) -> Generator[Outcome, None, None]:
    """Each article's result (or the error that stopped it) as it finishes."""
    kit = kit or Toolkit.load(options)
    _remove_partial_files(out_dir, slugs.values())
    todo = []
    for path in paths:
        skipped = None if force else up_to_date(path, options, out_dir / slugs[path], kit)
        if skipped is not None:
            yield path, skipped
        else:
            todo.append(path)
    # espeak-ng's wave generator carries state (its pitch flutter) from one utterance to the
    # next, so an article's audio would depend on which articles a process spoke before it:
    # each is spoken by a fresh process, and `--jobs 1` and `--jobs 2` give the same files.
    fresh = options.speaks
    if not todo or (jobs <= 1 and not fresh):
        # In this process: without a speech engine there is nothing that can hang (reportlab
        # and pdfium run to completion on our own text), and no worker to start up. The time
        # limit needs a worker to stop, so it does not apply here.
        for path in todo:
            try:
                yield path, render_file(path, options, out_dir, slugs[path], kit)
            except Exception as error:  # one bad article must not stop the batch
                yield path, _naming(error, path)
        return
    tasks = [(path, slugs[path]) for path in todo]
    try:
        yield from _Scheduler(options, out_dir, jobs, timeout, fresh).run(tasks)
    except BaseException:
        # Ctrl-C, SIGTERM, an error here, or the caller stopping early: the workers were killed
        # wherever they were, and their temporary files go.
        _remove_partial_files(out_dir, slugs.values())
        raise


def _naming(error: Exception, path: Path) -> Exception:
    """The error, naming the article when the stage that raised it could not (the speech
    engine knows only the sentence it was given)."""
    if isinstance(error, RendererError) and error.path is None:
        error.path = str(path)
    return error


def _remove_partial_files(out_dir: Path, slugs: Iterable[str]) -> None:
    """Delete the temporary files (atomic_write's `.name.<hex>.part`) that a stopped or killed
    run left in the folders this run writes: the output folder's own (the reports) and each
    article's."""
    files.remove_partial_files(out_dir, recursive=False)
    for slug in slugs:
        files.remove_partial_files(out_dir / slug)


# --- The workers ------------------------------------------------------------------------------
#
# multiprocessing.Pool cannot stop one task: a hung speech engine would hold its worker, and the
# run, for ever. So the parent runs its own few processes, hands each one article at a time over
# a pipe, and waits on their pipes and exit sentinels with a deadline: a worker past its article's
# deadline is killed, a worker that dies is reported, and either is replaced.

Task = tuple[Path, Path, str]  # input, output folder, slug


_use_server = False  # this process forks its workers from the preloaded forkserver, once started


def _start_method(articles: int) -> str:
    """How workers start. A worker must not inherit a started speech engine (see open_engine):
    forkserver or spawn starts it from a clean process, each with its own engine.

    The forkserver loads what every worker needs once (_forkserver.py: the parsers, the fonts,
    the language detector ...: about 1 s) and each worker is forked from it ready; that pays
    back from the second article on, or in a process that renders again and again (the desk,
    which starts it at once: start_worker_server). For one article in a process without one,
    it would be a second load before the only worker starts, of more than the article needs
    (the detector alone is 0.6 s, and an article that declares its language never uses it):
    that worker is spawned, and loads only what its article needs."""
    global _use_server
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return "spawn"
    if articles > 1 or _use_server:
        _use_server = True
        return "forkserver"
    return "spawn"


def start_worker_server(now: bool = True) -> None:
    """For a process that will render again and again: its workers are forked from one
    preloaded forkserver, started now (its first article then waits less) or, with `now`
    False, by the first batch that needs a worker, even of one article."""
    global _use_server
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    _use_server = True
    if now:
        from multiprocessing import forkserver

        multiprocessing.set_forkserver_preload(_PRELOAD)
        forkserver.ensure_running()


_PRELOAD = ["renderer._forkserver"]  # imports once, and starts no speech engine


class _MarkedEngine:
    """A worker's speech engine that raises a flag shared with the parent while it works, so
    that an article stopped for taking too long can be blamed on the right stage."""

    def __init__(self, engine: SpeechEngine, busy: Any) -> None:
        self._engine = engine
        self._busy = busy
        self.description = engine.description

    @classmethod
    def open(cls, busy: Any, name: str | None) -> _MarkedEngine:
        """This process's engine, marked; starting it is the engine's work too."""
        busy.value = 1
        try:
            return cls(open_engine(name), busy)
        finally:
            busy.value = 0

    @property
    def sample_rate(self) -> int:
        return self._engine.sample_rate

    @sample_rate.setter
    def sample_rate(self, value: int) -> None:
        self._engine.sample_rate = value

    @contextmanager
    def _working(self) -> Iterator[None]:
        self._busy.value = 1
        try:
            yield
        finally:
            self._busy.value = 0

    def voices(self) -> list[Voice]:
        with self._working():
            return self._engine.voices()

    def configure(self, voice: str, rate: int) -> None:
        with self._working():
            self._engine.configure(voice, rate)

    def synthesise(self, text: str) -> bytes:
        with self._working():
            return self._engine.synthesise(text)


def _exit_with_parent(lifeline: Connection[Any, Any]) -> None:
    """End this worker when the run's process ends, however it ends (SIGKILL included, when none
    of its clean-up runs): an orphan would hold a core for nobody, or hang for ever. That process
    holds the only other end of `lifeline` and never writes to it: it closes when the run ends."""
    if sys.platform.startswith("linux"):
        import fcntl

        # The kernel sends us SIGKILL the moment the lifeline closes, even while we are stuck in
        # C code that holds the GIL (a runaway regular expression). PR_SET_PDEATHSIG would not
        # do: our parent may be the forkserver, which lives on while any worker does.
        fd = lifeline.fileno()
        fcntl.fcntl(fd, fcntl.F_SETOWN, os.getpid())
        fcntl.fcntl(fd, fcntl.F_SETSIG, signal.SIGKILL)
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_ASYNC)

    # Everywhere, and for a run that ended before the lines above: a thread waits for the end.
    def watch() -> None:
        with suppress(EOFError, OSError):
            lifeline.recv_bytes()
        os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _work(
    tasks: Connection[Any, Any],
    lifeline: Connection[Any, Any],
    busy: Any,
    options: Options,
) -> None:
    """A worker's life: render the articles the parent sends, one at a time, each outcome sent
    back, until the parent sends None or goes away."""
    for stop in (signal.SIGINT, signal.SIGTERM):  # the parent handles them and stops us
        signal.signal(stop, signal.SIG_IGN)
    _exit_with_parent(lifeline)
    kit: Toolkit | None = None
    while True:
        try:
            task: Task | None = tasks.recv()
        except (EOFError, OSError):
            return
        if task is None:
            # Told to stop: every file is written, renamed and closed, and nothing of ours runs
            # at exit. A spawned worker would otherwise tear its interpreter down module by
            # module (0.07-0.1 s that the run waits for, every article); a forked one exits
            # this way already (multiprocessing's own os._exit).
            for stream in (sys.stdout, sys.stderr):
                with suppress(Exception):
                    stream.flush()
            os._exit(0)
        path, out_dir, slug = task
        outcome: RenderResult | Exception
        try:
            if kit is None:
                kit = Toolkit.load(
                    options,
                    _MarkedEngine.open(busy, options.speech.engine) if options.speaks else None,
                )
            outcome = render_file(path, options, out_dir, slug, kit)
        except RendererError as error:
            outcome = _naming(error, path)
        except Exception as error:  # not every exception survives the trip back
            outcome = RendererError(f"unexpected {type(error).__name__}: {error}", path)
        try:
            tasks.send(outcome)
        except OSError:
            return  # the parent is gone
        except Exception as error:  # an outcome that does not pickle: its words still can
            tasks.send(RendererError(f"unexpected {type(error).__name__}: {outcome}", path))


@dataclass
class _Worker:
    """The parent's handle on one worker process and the article it is rendering."""

    process: BaseProcess
    tasks: Connection[Any, Any]  # the parent's end: tasks out, outcomes back
    lifeline: Connection[Any, Any]  # closed by the parent's death, never written
    busy: Any  # shared flag: the speech engine is working
    path: Path | None = None
    slug: str = ""
    timeout: float | None = None
    deadline: float = math.inf

    @classmethod
    def start(cls, context: BaseContext, options: Options) -> _Worker:
        tasks, child_tasks = context.Pipe()
        watch, lifeline = context.Pipe(duplex=False)
        busy = context.RawValue("b", 0)
        process = context.Process(  # type: ignore[attr-defined]  # (missing from the stub)
            target=_work,
            args=(child_tasks, watch, busy, options),
            name="renderer-worker",
            daemon=True,
        )
        process.start()
        # Only the worker may hold its ends: then a dead worker reads as EOF here, and a dead
        # parent as EOF there.
        child_tasks.close()
        watch.close()
        return cls(process, tasks, lifeline, busy)

    def assign(self, task: Task, timeout: float | None) -> None:
        self.path, self.slug = task[0], task[2]
        self.deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        self.timeout = timeout
        self.busy.value = 0
        with suppress(OSError):  # it has just died: outcome() will say so
            self.tasks.send(task)

    def outcome(self, ready: list[Any]) -> RenderResult | Exception | None:
        """What the worker's article came to, None while it is still at work: its result, or
        an error once it has died or run out of time (it is killed then)."""
        assert self.path is not None
        if self.tasks in ready or self.process.sentinel in ready:
            try:
                if self.tasks.poll():
                    result: RenderResult | Exception = self.tasks.recv()
                    return result
            except (EOFError, OSError):
                pass  # it died before it could say anything
            self.process.join(10)
            self.kill()  # in case it closed its pipe and lingers
            return RendererError(_died(self.process.exitcode), self.path)
        if self.timeout is not None and time.monotonic() >= self.deadline:
            stage = "the speech engine" if self.busy.value else "rendering"
            self.kill()
            return RendererError(
                f"{stage} did not finish within {self.timeout:g} s, so the article was stopped "
                "(--timeout sets the limit)",
                self.path,
            )
        return None

    @property
    def alive(self) -> bool:
        return self.process.exitcode is None

    def stop(self) -> None:
        """Let an idle (or finished) worker exit on its own; kill it if it does not."""
        with suppress(OSError):
            self.tasks.send(None)
        self.process.join(10)
        self.kill()

    def signal_kill(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()

    def kill(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.tasks.close()
        self.lifeline.close()


class _Interrupts:
    """Ctrl-C and SIGTERM, held while the scheduler talks to its processes and acted on at once
    while it waits for them. Cut off half-way, starting a worker (a hand-over of file
    descriptors with the forkserver) kills the forkserver with a traceback, and stopping one
    leaves multiprocessing's clean-up half done, to print "Exception ignored" at exit: a user
    stopping the run must see neither. Only the main thread can set signal handlers: elsewhere
    nothing is held."""

    def __init__(self) -> None:
        self.caught: list[int] = []
        self.before: dict[int, Any] = {}
        self.open = False

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            self.before = {
                held: signal.signal(held, self._arrived) for held in (signal.SIGINT, signal.SIGTERM)
            }
        return self

    def __exit__(self, *exc: object) -> None:
        for held, handler in self.before.items():
            signal.signal(held, handler)
        self._deliver()

    @contextmanager
    def acting(self) -> Iterator[None]:
        """Within the block, a signal acts at once; one held before acts now."""
        self._deliver()
        self.open = True
        try:
            yield
        finally:
            self.open = False

    def _arrived(self, signum: int, frame: Any) -> None:
        if self.open:
            self._act(signum, frame)
        else:
            self.caught.append(signum)

    def _deliver(self) -> None:
        caught, self.caught = self.caught, []
        for signum in caught:
            self._act(signum, None)

    def _act(self, signum: int, frame: Any) -> None:
        handler = self.before.get(signum)
        if callable(handler):
            handler(signum, frame)  # Python's own raises KeyboardInterrupt; the CLI's, for SIGTERM
        elif handler == signal.SIG_DFL:
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)


def _died(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = f", {signal.Signals(-exitcode).name}"
        except ValueError:
            name = ""
        return f"the worker rendering it died (signal {-exitcode}{name})"
    return f"the worker rendering it stopped without a result (exit code {exitcode})"


class _Scheduler:
    """Up to `jobs` workers, each rendering one article at a time under `timeout`; a fresh
    worker for every article when `fresh`, else each reused until the work runs out."""

    def __init__(
        self, options: Options, out_dir: Path, jobs: int, timeout: float | None, fresh: bool
    ) -> None:
        self.options = options
        self.out_dir = out_dir
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.fresh = fresh

    def run(self, tasks: Sequence[tuple[Path, str]]) -> Generator[Outcome, None, None]:
        self.context = multiprocessing.get_context(_start_method(len(tasks)))
        if self.context.get_start_method() == "forkserver":
            self.context.set_forkserver_preload(_PRELOAD)
        waiting = deque(tasks)
        idle: list[_Worker] = []
        busy: list[_Worker] = []
        with _Interrupts() as interrupts:
            try:
                while waiting or busy:
                    while waiting and len(busy) < self.jobs:
                        worker = self._reuse_or_start(idle)
                        path, slug = waiting.popleft()
                        worker.assign((path, self.out_dir, slug), self.timeout)
                        busy.append(worker)
                    with interrupts.acting():
                        ready = wait(
                            [w.tasks for w in busy] + [w.process.sentinel for w in busy],
                            _seconds_left(busy),
                        )
                    for worker in list(busy):
                        outcome = worker.outcome(ready)
                        if outcome is None:
                            continue
                        busy.remove(worker)
                        assert worker.path is not None
                        done = worker.path
                        if self.fresh or not worker.alive:
                            worker.stop()  # done with its one article, or dead, or killed
                        else:
                            idle.append(worker)
                        if not isinstance(outcome, RenderResult):  # what a killed writer left
                            files.remove_partial_files(self.out_dir / worker.slug)
                        yield done, outcome
                for worker in idle:
                    worker.stop()
                idle.clear()
            finally:
                # Ctrl-C, SIGTERM or an error: stop now (a second Ctrl-C is held till this is
                # done). Every worker is sent SIGKILL before any is waited for: one left alive
                # would be sent SIGTERM at exit by multiprocessing, ignore it, and be waited for
                # for ever.
                stopping = (*busy, *idle)
                for worker in stopping:
                    worker.signal_kill()
                for worker in stopping:
                    worker.kill()

    def _reuse_or_start(self, idle: list[_Worker]) -> _Worker:
        while idle:
            worker = idle.pop()
            if worker.alive:
                return worker
            worker.kill()  # died while idle (the out-of-memory killer): let it go
        return _Worker.start(self.context, self.options)


def _seconds_left(busy: Sequence[_Worker]) -> float | None:
    deadline = min((w.deadline for w in busy), default=math.inf)
    return None if math.isinf(deadline) else max(0.0, deadline - time.monotonic())
