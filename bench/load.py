"""Load: the `renderer render` command on batches of made-up articles, timed and its memory watched.

Run: .venv/bin/python bench/load.py [--articles 50,200] [--formats pdf audio pdf,audio]
                                     [--jobs 1,2] [--repeat N] [--quick] [--keep DIR] [--no-snapshot]
Writes the articles (bench/articles.py, seeded: the batch of 50 is the first 50 of the 200) into
a temporary folder and runs the real command line on them, as a user would, once per batch size,
formats and jobs (--repeat times, the jobs settings taking turns), on a copy of renderer/ taken
at the start (so that edits to the working tree during the half hour the full run takes cannot
mix versions). First it measures the machine's own ceiling: how much faster two copies of a
CPU-bound loop run than one. Prints articles a minute, the speedup of the most jobs over
--jobs 1 (target 1.7x or more for 2), and peak memory: of the run's own process and of each
worker process (target under 200 MB, and flat from the small batch to the large one). Each run also shows the
load average before and after it, and how many cores other processes used while it ran, because
a busy machine slows every figure here.

How memory is measured: a thread reads VmHWM (the peak resident set so far) from /proc for every
process under the run, every 50 ms; a worker's last reading is its peak, short by whatever it
grew in its final 50 ms. As a check, the benchmark makes itself the "child subreaper" (Linux
prctl), so the forkserver, orphaned when the run's process exits, is handed to it and reaped
here: the kernel's ru_maxrss for it is the exact maximum over the forkserver and every worker it
reaped ("krnl" below). The run's own process is reaped directly; its ru_maxrss is its peak.
A worker's RSS includes the pages it shares with the forkserver (the preloaded modules and
dictionary); "uss", read from smaps_rollup, is the part only that worker holds. Linux only.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import os
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from articles import parse_range, write_articles
from timing import Machine, become_subreaper, reap_orphans, renderer_command, watch_machine

REPO = Path(__file__).resolve().parents[1]
SAMPLE_SECONDS = 0.05
USS_EVERY = 4  # private memory (smaps_rollup) costs more to read: every 0.2 s
MEMORY_TARGET_MB = 200
SPEEDUP_TARGET = 1.7
FLAT_TOLERANCE_MB = 10  # "flat": the large batch's peak within this of the small batch's


# --- Watching the process tree ----------------------------------------------------------------


@dataclass
class Seen:
    """One process under the run, as the sampler saw it."""

    pid: int
    ppid: int
    cmdline: str
    role: str = "other"
    peak_kib: int = 0  # the highest VmHWM read
    private_kib: int = 0  # the highest private (unshared) memory read, every USS_EVERY samples
    first: float = 0.0
    last: float = 0.0


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            text = _read(f"/proc/{pid}/task/{tid}/children")
            found += [int(x) for x in (text or "").split()]
    return found


def _private_kib(pid: int) -> int:
    """Memory only this process holds (USS): its RSS less pages shared with others, such as
    the forkserver's preloaded modules and dictionary that every worker inherits."""
    rollup = _read(f"/proc/{pid}/smaps_rollup") or ""
    return sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Private_"))


def _hwm_kib(pid: int) -> int | None:
    status = _read(f"/proc/{pid}/status")
    if status is None:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0  # a zombie has no memory lines


class TreeSampler(threading.Thread):
    """Every SAMPLE_SECONDS: find the processes under `root` and keep each one's peak VmHWM."""

    def __init__(self, root: int) -> None:
        super().__init__(name="tree-sampler", daemon=True)
        self.root = root
        self.seen: dict[int, Seen] = {}
        self.live: set[int] = {root}
        self.halt = threading.Event()
        self.lock = threading.Lock()  # the watchdog reads while this thread samples
        self.samples = 0

    def run(self) -> None:
        while not self.halt.is_set():
            with self.lock:
                self.sample()
            self.halt.wait(SAMPLE_SECONDS)
        with self.lock:
            self.sample()

    def sample(self) -> None:
        now = time.perf_counter()
        self.samples += 1
        if self.root not in self.seen:
            self._meet(self.root, os.getpid(), now)
        for pid in list(self.live):
            for child in _children(pid):
                if child not in self.seen:
                    self.live.add(child)
                    self._meet(child, pid, now)
        for pid in list(self.live):
            hwm = _hwm_kib(pid)
            if hwm is None:
                self.live.discard(pid)  # gone (its last reading stands)
                continue
            entry = self.seen[pid]
            entry.peak_kib = max(entry.peak_kib, hwm)
            entry.last = now
            if self.samples % USS_EVERY == 0 and pid != self.root:
                entry.private_kib = max(entry.private_kib, _private_kib(pid))
            if not self._settled(entry):
                # Met between fork and exec, it still showed its parent's command line.
                entry.cmdline = _cmdline(pid) or entry.cmdline

    def _meet(self, pid: int, ppid: int, now: float) -> None:
        self.seen[pid] = Seen(pid, ppid, _cmdline(pid), first=now, last=now)

    def _settled(self, entry: Seen) -> bool:
        return entry.pid == self.root or "multiprocessing" in entry.cmdline

    def _roles(self) -> None:
        for entry in self.seen.values():  # parents were met before their children
            parent = self.seen.get(entry.ppid)
            if entry.pid == self.root:
                entry.role = "parent"
            elif parent is not None and parent.role == "forkserver":
                entry.role = "worker"  # forked without exec: the forkserver's command line
            elif "multiprocessing.forkserver" in entry.cmdline:
                entry.role = "forkserver"
            elif "resource_tracker" in entry.cmdline:
                entry.role = "tracker"
            elif "spawn_main" in entry.cmdline:
                entry.role = "worker"
            else:
                entry.role = "other"

    def stop(self) -> None:
        self.halt.set()
        self.join()

    def of(self, role: str) -> list[Seen]:
        with self.lock:
            self._roles()
            return [s for s in self.seen.values() if s.role == role]


def _cmdline(pid: int) -> str:
    return (_read(f"/proc/{pid}/cmdline") or "").replace("\0", " ").strip()


# --- One run of the command line ---------------------------------------------------------------


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    articles: int
    formats: str
    jobs: int
    round: int = 1  # of --repeat: the jobs settings take turns, round after round
    wall: float = 0.0
    exit_code: int | None = None
    rendered: int = 0
    failed: int = 0
    machine: Machine = field(default_factory=Machine)
    cpu: float = 0.0  # CPU seconds of the run's whole process tree
    parent_mb: float = 0.0
    worker_mb: list[float] = field(default_factory=list)  # each worker's polled peak
    worker_private_mb: list[float] = field(default_factory=list)  # each one's peak USS
    kernel_worker_mb: float | None = None  # forkserver + workers, exact
    forkserver_mb: float | None = None
    note: str = ""

    @property
    def per_minute(self) -> float:
        return self.rendered / self.wall * 60 if self.wall else 0.0


def _mb(kib: float) -> float:
    return kib / 1024


def render_once(
    renderer: Sequence[str],
    inputs: Path,
    out: Path,
    run: Run,
    timeout: float,
    cwd: Path,
    env: dict[str, str],
) -> Run:
    command = [*renderer, "render", str(inputs), "-o", str(out)]
    command += ["--formats", run.formats, "--jobs", str(run.jobs)]
    label = f"{run.articles} articles, {run.formats}, --jobs {run.jobs}"
    print(f"load: {label}: {shlex.join(command)}", file=sys.stderr)
    with watch_machine() as run.machine:
        _render_once(command, run, timeout, cwd, env, out.with_suffix(".stderr"))
    return run


def _render_once(
    command: list[str],
    run: Run,
    timeout: float,
    cwd: Path,
    env: dict[str, str],
    stderr_path: Path,
) -> None:
    start = time.perf_counter()
    with open(stderr_path, "w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            command,
            cwd=cwd,  # no renderer.toml of the caller's applies
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            start_new_session=True,  # its own process group, to stop it whole on a timeout
        )
    sampler = TreeSampler(process.pid)
    sampler.start()
    summary: list[str] = []

    def follow() -> None:  # one line per article on stdout; a progress line every tenth
        assert process.stdout is not None
        done = 0
        step = max(1, run.articles // 10)
        for line in process.stdout:
            if " -> " in line:
                done += 1
                if done % step == 0 or done == run.articles:
                    elapsed = time.perf_counter() - start
                    print(f"load:   {done}/{run.articles} in {elapsed:.0f} s", file=sys.stderr)
            elif line.startswith("Rendered "):
                summary.append(line.strip())

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()

    def watchdog() -> None:
        # A worker that cannot even start (an import error) makes the run start one after
        # another for ever: stop the whole group then, or at the time limit.
        while process.poll() is None:
            why = ""
            if len(sampler.of("worker")) > 2 * run.articles + 10:
                why = "workers keep dying (more started than twice the articles)"
            elif time.perf_counter() - start > timeout:
                why = f"over the {timeout:.0f} s limit"
            if why:
                run.note = f"stopped: {why}"
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                return
            time.sleep(1)

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:  # Ctrl-C or SIGTERM: stop the run's whole group, then go
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        raise
    run.wall = time.perf_counter() - start
    process.returncode = run.exit_code = os.waitstatus_to_exitcode(status)
    orphans = reap_orphans(limit=30)
    sampler.stop()
    reader.join(10)
    run.cpu = _cpu(usage) + sum(_cpu(u) for u in orphans.values())
    # ru_maxrss (KiB on Linux) covers a process and the children it reaped. The run's process
    # reaps none of its tree in Python 3.11 (the forkserver reaps the workers and is left to
    # us); if it ever does, its own figure is the polled one.
    parent = sampler.seen.get(process.pid)
    polled = parent.peak_kib if parent else 0
    servers = sampler.of("forkserver")
    reaped_here = all(s.pid in orphans for s in servers)
    run.parent_mb = _mb(max(usage.ru_maxrss, polled) if reaped_here else polled)
    run.worker_mb = [_mb(w.peak_kib) for w in sampler.of("worker")]
    run.worker_private_mb = [_mb(w.private_kib) for w in sampler.of("worker")]
    for server in servers:
        run.forkserver_mb = _mb(server.peak_kib)
        if server.pid in orphans:
            run.kernel_worker_mb = _mb(orphans[server.pid].ru_maxrss)
    if summary:
        words = summary[-1].replace(",", "").split()  # "Rendered R skipped S unchanged failed F"
        run.rendered, run.failed = int(words[1]), int(words[6])
    if run.exit_code != 0 or run.failed:
        tail = (_read(str(stderr_path)) or "").strip().splitlines()[-5:]
        run.note = run.note or f"exit {run.exit_code}: " + " | ".join(tail)[-300:]
    print(
        f"load:   done in {run.wall:.1f} s, exit {run.exit_code}, {run.rendered} rendered, "
        f"{run.failed} failed; {sampler.samples} memory samples",
        file=sys.stderr,
    )


# --- The report ---------------------------------------------------------------------------------


def _worker_cells(run: Run) -> str:
    if not run.worker_mb:
        return f"{'(rendered in the parent)':>29}"
    kernel = f"{run.kernel_worker_mb:5.0f}" if run.kernel_worker_mb is not None else "    -"
    private = max(run.worker_private_mb) if run.worker_private_mb else 0.0
    return (
        f"{statistics.median(run.worker_mb):5.0f} {max(run.worker_mb):5.0f} {kernel} "
        f"{private:5.0f} {len(run.worker_mb):5}"
    )


def print_table(runs: list[Run], cores: int) -> None:
    print()
    print(f"{'':25} {'':7} {'':8} {'':7} {'':9} {'parent':>6}  {'worker MB':-^29}  {'load':>11}")
    print(
        f"{'articles formats    jobs':25} {'wall s':>7} {'art/min':>8} {'speedup':>7} "
        f"{'cpu s/art':>9} {'MB':>6}  {'med':>5} {'max':>5} {'krnl':>5} {'uss':>5} {'n':>5}  "
        f"{'before>after':>12} {'others':>6}"
    )
    base: dict[tuple[int, str, int], float] = {}
    for run in runs:
        if run.jobs == 1 and run.rendered and not run.failed:
            base[(run.articles, run.formats, run.round)] = run.per_minute
    for run in runs:
        first = base.get((run.articles, run.formats, run.round))
        valid = first and run.jobs > 1 and not run.failed
        speedup = f"{run.per_minute / first:6.2f}x" if valid and first else f"{'':7}"
        cpu_per = run.cpu / run.rendered if run.rendered else 0.0
        m = run.machine
        print(
            f"{run.articles:8} {run.formats:10} {run.jobs:4} {run.wall:7.1f} {run.per_minute:8.1f} "
            f"{speedup} {cpu_per:9.2f} {run.parent_mb:6.0f}  {_worker_cells(run)}  "
            f"{m.load_before:5.2f}>{m.load_after:<5.2f} {m.others_cores:5.2f}c"
            + (f"  round {run.round}" if run.round > 1 else "")
            + (f"  ! {run.note}" if run.note else "")
        )
    print(
        f"wall: the command from start to exit. art/min: articles rendered a minute. speedup: "
        f"art/min over --jobs 1 (target {SPEEDUP_TARGET}x for 2). cpu s/art: CPU seconds of the "
        f"run's whole process tree per article. parent: the run's own process, peak RSS. worker: "
        f"median and max of each worker's peak RSS (VmHWM polled every "
        f"{SAMPLE_SECONDS * 1000:.0f} ms); krnl: the kernel's exact max RSS over the forkserver "
        f"and all its workers; uss: the largest peak of memory a worker held alone (not shared "
        f"with the forkserver; every {SAMPLE_SECONDS * USS_EVERY * 1000:.0f} ms); n: workers "
        f"started. load: the 1-minute load average; others: cores other processes used during "
        f"the run (of {cores})."
    )


def print_verdicts(runs: list[Run], sizes: list[int]) -> None:
    print()
    rounds = {(r.articles, r.formats, r.jobs, r.round): r for r in runs}
    speedups: dict[tuple[int, str, int], list[float]] = {}
    for run in runs:
        first = rounds.get((run.articles, run.formats, 1, run.round))
        if run.jobs <= 1 or first is None:
            continue
        if first.failed or run.failed or not first.rendered or not run.rendered:
            print(f"speedup {run.articles} x {run.formats}: not measured (articles failed)")
            continue
        key = (run.articles, run.formats, run.jobs)
        speedups.setdefault(key, []).append(run.per_minute / first.per_minute)
    for (articles, formats, jobs), found in speedups.items():
        # With --repeat, the median of the rounds: this machine's figures swing by 0.3x from
        # one minute to the next (the parallel ceiling above moves as much).
        speedup = statistics.median(found)
        spread = f", median of {len(found)} rounds: {min(found):.2f}-{max(found):.2f}x"
        verdict = "met" if speedup >= SPEEDUP_TARGET else "MISSED"
        print(
            f"speedup {articles} x {formats}, --jobs {jobs} over 1: {speedup:.2f}x"
            f"{spread if len(found) > 1 else ''} (target {SPEEDUP_TARGET}x): {verdict}"
        )
    by = {(r.articles, r.formats, r.jobs): r for r in runs if r.round == 1}
    for run in by.values():
        peak = _peak_worker(run) or run.parent_mb
        where = "worker" if run.worker_mb else "parent (no workers)"
        verdict = "met" if peak < MEMORY_TARGET_MB else "MISSED"
        own = (
            f", {max(run.worker_private_mb):.0f} MB of it its own" if run.worker_private_mb else ""
        )
        print(
            f"memory {run.articles} x {run.formats}, --jobs {run.jobs}: {where} peak RSS "
            f"{peak:.0f} MB{own} (target < {MEMORY_TARGET_MB} MB): {verdict}"
        )
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for (articles, formats, jobs), run in by.items():
            if articles != large or (small, formats, jobs) not in by:
                continue
            before = by[(small, formats, jobs)]
            for what, a, b in (
                ("worker", _peak_worker(before), _peak_worker(run)),
                ("parent", before.parent_mb, run.parent_mb),
            ):
                if a is None or b is None:
                    continue
                flat = "flat" if b - a <= FLAT_TOLERANCE_MB else "GROWS"
                print(
                    f"growth {formats}, --jobs {jobs}, {what}: {a:.0f} MB at {small} -> "
                    f"{b:.0f} MB at {large} articles ({b - a:+.0f} MB): {flat} "
                    f"(within {FLAT_TOLERANCE_MB} MB)"
                )


def _peak_worker(run: Run) -> float | None:
    if not run.worker_mb:
        return None
    return max([*run.worker_mb, run.kernel_worker_mb or 0.0])


# --- The machine's own ceiling ----------------------------------------------------------------

_SPIN = "import time; t = time.perf_counter(); sum(i * i for i in range(6_000_000)); print(time.perf_counter() - t)"


def parallel_ceiling(copies: int) -> float:
    """How many times one copy's throughput `copies` copies of a CPU-bound Python loop get when
    run at once: the best speedup any program can show here now (2.0 on two idle cores; less
    when other processes, or the host under a virtual machine, take a share)."""

    def spin(n: int) -> float:
        procs = [
            subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
            for _ in range(n)
        ]
        return max(float(p.communicate()[0]) for p in procs)

    alone = min(spin(1) for _ in range(2))
    together = min(spin(copies) for _ in range(2))
    return copies * alone / together


# --- Main ---------------------------------------------------------------------------------------


def snapshot(root: Path) -> tuple[dict[str, str], str]:
    """Copy the renderer package into `root` and return the environment that makes the command
    line import the copy, and a description of it. Every process of every run then runs the
    same code, even while the working tree is being edited: a worker started for each article
    imports the command-line module afresh, and an edit half-way through a batch would
    otherwise fail articles or mix two versions in one run."""
    target = root / "renderer"
    shutil.copytree(REPO / "renderer", target, ignore=shutil.ignore_patterns("__pycache__"))
    digest = hashlib.sha256()
    for path in sorted(target.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(target).as_posix().encode() + path.read_bytes())
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    check = subprocess.run(
        [sys.executable, "-c", "import renderer.cli, renderer.pipeline; print(renderer.__file__)"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
    )
    if check.returncode != 0 or not check.stdout.startswith(str(target)):
        raise SystemExit(
            f"load: the copy of renderer/ does not import (the tree may be mid-edit):\n"
            f"{check.stderr.strip()[-1000:]}"
        )
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return env, f"a copy of renderer/ (sha256 {digest.hexdigest()[:12]}, on git {head or '?'})"


def _stop_on_sigterm() -> None:
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=_ints, default=[50, 200], metavar="N,N")
    parser.add_argument("--formats", nargs="+", default=["pdf", "audio", "pdf,audio"])
    parser.add_argument("--jobs", type=_ints, default=[1, 2], metavar="N,N")
    parser.add_argument("--quick", action="store_true", help="10 articles: a smoke run")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run each jobs setting N times, taking turns; the speedup is the median (memory "
        "and growth are read from the first round)",
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--words",
        type=parse_range,
        default=(250, 900),
        metavar="MIN,MAX",
        help="article length range (skewed to short; default 250,900)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a run may take")
    parser.add_argument("--keep", type=Path, help="write the articles and outputs here, and keep")
    parser.add_argument(
        "--no-snapshot",
        action="store_true",
        help="run the working tree's renderer/ in place (default: a copy taken at the start)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    sizes = [10] if args.quick else sorted(set(args.articles))
    subreaper = become_subreaper()
    _stop_on_sigterm()
    cores = os.cpu_count() or 1
    renderer = renderer_command()
    started = time.perf_counter()
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(
        f"machine: {cores} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"at start; renderer: {shlex.join(renderer)}; Python {sys.version.split()[0]}"
    )
    if not subreaper:
        print("note: could not become the child subreaper: no 'krnl' worker figure")
    jobs_max = max(args.jobs)
    if jobs_max > 1:
        with watch_machine() as machine:
            ceiling = parallel_ceiling(jobs_max)
        print(
            f"ceiling: {jobs_max} copies of a CPU-bound loop run {ceiling:.2f}x as fast as one "
            f"({machine}): no speedup of --jobs {jobs_max} can beat that now"
        )
    runs: list[Run] = []
    with contextlib.ExitStack() as stack:
        if args.keep:
            root = args.keep
            root.mkdir(parents=True, exist_ok=True)
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-load-")))
        inputs = root / "articles"
        if args.no_snapshot:
            env, code = dict(os.environ), f"renderer/ in place ({REPO / 'renderer'})"
        else:
            env, code = snapshot(root / "code")
        print(f"code: {code}")
        paths = write_articles(inputs / "all", max(sizes), args.seed, args.words)
        total_words = [len(p.read_text("utf-8").split()) for p in paths]
        for size in sizes:
            folder = inputs / str(size)
            folder.mkdir(exist_ok=True)
            for path in paths[:size]:
                shutil.copyfile(path, folder / path.name)
        print(
            f"articles: {max(sizes)} generated (seed {args.seed}), {statistics.mean(total_words):.0f} "
            f"words on average with markup ({min(total_words)}-{max(total_words)}); md, html, txt in turn"
        )
        for size in sizes:
            for formats in args.formats:
                for round_, jobs in itertools.product(
                    range(1, args.repeat + 1), sorted(set(args.jobs))
                ):
                    name = f"out-{size}-{formats.replace(',', '+')}-j{jobs}-r{round_}"
                    run = Run(size, formats, jobs, round_)
                    runs.append(
                        render_once(
                            renderer, inputs / str(size), root / name, run, args.timeout, root, env
                        )
                    )
                    if round_ > 1 and not args.keep:
                        shutil.rmtree(root / name, ignore_errors=True)  # audio runs are large
        print_table(runs, cores)
        print_verdicts(runs, sizes)
    busy = [r for r in runs if r.machine.others_cores >= 0.25 * cores]
    if busy:
        print(
            f"BUSY: other processes used a quarter of the cores or more during {len(busy)} of "
            f"{len(runs)} runs (up to {max(r.machine.others_cores for r in busy):.2f} of {cores}): "
            "their times, and the speedup most of all, are worse than on a quiet machine."
        )
    print(
        f"\ntotal {time.perf_counter() - started:.0f} s; load average at end "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    failed = [r for r in runs if r.exit_code != 0 or r.failed or not r.rendered]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
