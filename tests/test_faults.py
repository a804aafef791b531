"""Faults a batch must survive: the run killed (SIGKILL) at any point, even while a worker is stuck
in C code; a speech engine or PDF build that hangs, crashes or fails on one article; and no
network anywhere, workers included.

The speech faults come from the engines in tests/engines.py, chosen with `--engine` as a clinic
chooses an engine of its own: they run in the workers, where the speaking is done, and nothing
of the renderer is patched. What is not the renderer's, the machine around it, is altered by the
`sitecustomize.py` below: each run is a `python -m renderer` subprocess whose PYTHONPATH starts
with the folder holding it, and Python's `site` imports it when any interpreter with this
environment starts: the command itself, and the forkserver that multiprocessing starts for it
(a fresh `python -c ...` that inherits the environment). The workers are forked from the
forkserver after that, so they carry the same changes. RENDERER_TEST_FAULTS says which.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2
import pytest

from conftest import REPO, assert_outputs_match_manifests, run_cli
from conftest import write_leaflet as leaflet
from engines import calls
from renderer.outputs.audio import read_audio

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="forkserver workers, SIGKILL and /proc"
)

SITECUSTOMIZE = '''\
"""The machine around the renderer for tests/test_faults.py, in every Python process of a run."""

import os
import signal
import time

FAULTS = os.environ.get("RENDERER_TEST_FAULTS", "").split(",")
LOG = os.environ.get("RENDERER_TEST_LOADS")


def fault(name):
    """Hang or crash when `name` carries a marker word."""
    name = name.lower()
    if "hanghere" in name:
        time.sleep(10**6)
    if "crashhere" in name:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would


if "offline" in FAULTS:
    import socket

    def refuse(*args, **kwargs):
        raise OSError("tests/test_faults.py: no network")

    def local_only(original):
        def connect(self, address):
            if self.family != socket.AF_UNIX:
                refuse()
            return original(self, address)

        return connect

    socket.socket.connect = local_only(socket.socket.connect)
    socket.socket.connect_ex = local_only(socket.socket.connect_ex)
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

if "loads" in FAULTS:  # not a fault: a log of which process loads what
    import sys

    def note(what):
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {what}\\n")

    class Watch:
        def find_spec(self, name, path=None, target=None):
            if name in ("renderer.cli", "markdown_it", "bs4", "renderer.outputs.audio"):
                note(name)
            return None

    sys.meta_path.insert(0, Watch())

    def logged(owner, name, what):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            note(what)
            return original(*args, **kwargs)

        setattr(owner, name, wrapper)

    def opened(event, args):  # the syllable table is a file of the renderer's, read once
        if event == "open" and str(args[0]).endswith("cmudict-syllables.txt"):
            note("syllables")

    sys.addaudithook(opened)

    import pyphen
    from reportlab.pdfbase import ttfonts

    logged(pyphen.Pyphen, "__init__", "pyphen")
    logged(ttfonts.TTFont, "__init__", "font")

if "pdf" in FAULTS:  # reportlab lays out every page of a handout in its document's build()
    from reportlab.platypus import doctemplate

    build = doctemplate.BaseDocTemplate.build

    def build_faulty(self, *args, **kwargs):
        fault(self.title or "")
        return build(self, *args, **kwargs)

    doctemplate.BaseDocTemplate.build = build_faulty
'''

# atomic_write's temporary names (renderer/outputs/files.py)
PARTIAL = re.compile(r"\..+\.[0-9a-f]{12}\.part")


def environment(tmp_path: Path, faults: str = "") -> dict[str, str]:
    """A run's environment: the faults of the machine, and tests/engines.py importable (the
    engines log to `engine.log`)."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(REPO), str(REPO / "tests")]),
        "RENDERER_TEST_FAULTS": faults,
        "RENDERER_TEST_LOG": str(tmp_path / "engine.log"),
        "RENDERER_TEST_LOADS": str(tmp_path / "loads.log"),
    }


def renderer(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "renderer", *map(str, args)]


def session_processes(session: int) -> list[int]:
    """The live processes of a session: a run started with start_new_session=True, its
    forkserver, resource tracker and workers (none of them starts a session of its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        state, _ppid, _group, sid = stat.rsplit(")", 1)[1].split()[:4]
        if int(sid) == session and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def wait_for_session_end(session: int, limit: float = 20.0) -> tuple[list[int], float]:
    """Wait (at most `limit` seconds: a hang guard) for every process of the session to exit;
    what is left, and how long it took."""
    started = time.monotonic()
    while (left := session_processes(session)) and time.monotonic() - started < limit:
        time.sleep(0.02)
    return left, time.monotonic() - started


def kill_session(session: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(session, signal.SIGKILL)


def run_to_the_end(command: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run `command` in a session of its own to its end; every process it started (forkserver,
    workers, a killed hung one) must be gone after it. Its exit code, stdout and stderr."""
    run = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = run.communicate(timeout=120)
        assert wait_for_session_end(run.pid)[0] == [], "a process of the run was left behind"
    finally:
        kill_session(run.pid)
    return run.returncode, stdout, stderr


def final_files(out: Path) -> list[Path]:
    return [p for p in sorted(out.rglob("*")) if p.is_file() and not PARTIAL.fullmatch(p.name)]


def partial_files(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.part") if PARTIAL.fullmatch(p.name)]


def assert_complete(out: Path) -> None:
    """Every file under its final name is whole: it parses, and a manifest's checksums match."""
    for path in final_files(out):
        data = path.read_bytes()
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF"), path
            assert len(pypdfium2.PdfDocument(data)) >= 1, path
        elif path.suffix == ".mp3":
            assert read_audio(data, "mp3").seconds > 1, path
        elif path.suffix == ".json":
            json.loads(data)
        else:
            data.decode("utf-8")
    assert_outputs_match_manifests(out)


def snapshot(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_ino for p in final_files(out)} if out.is_dir() else {}


def written_since(out: Path, before: dict[Path, int]) -> tuple[int, bool]:
    """Final files written since `before` (atomic_write's rename makes a new inode), and
    whether a temporary file is there now."""
    written, writing = 0, False
    for path in out.rglob("*") if out.is_dir() else ():
        try:
            if PARTIAL.fullmatch(path.name):
                writing = True
            elif path.is_file() and before.get(path) != path.stat().st_ino:
                written += 1
        except OSError:
            continue  # renamed or removed while we looked
    return written, writing


# Where each run is killed: `write`: the moment the first file is being written; `file`: just
# after a random one of the articles' files has been written; `time`: at a random moment, start-up
# included. `group` kills the whole process group, as a closed terminal or a stopped service
# would; `main` only the command, as the out-of-memory killer would: its workers must follow.
KILLS = [
    ("pdf,audio", "write", "main"),
    ("pdf", "file", "group"),
    ("pdf,audio", "time", "main"),
    ("pdf,audio", "file", "main"),
    ("pdf", "time", "group"),
    ("pdf", "write", "main"),
]
ARTICLES = 3
FAULTY = "engines:Faulty"  # tests/engines.py: hangs, spins, crashes or fails on a marker word
LIMIT = 3  # seconds a hung article is given (--timeout)


@pytest.mark.slow  # six whole runs started and killed: their start-up is most of it
def test_a_run_killed_anywhere_leaves_only_whole_files_and_the_next_run_finishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    for n in range(ARTICLES):
        leaflet(folder, f"leaflet-{n}.md")
    out = tmp_path / "out"
    env = environment(tmp_path)
    rng = random.Random(6)
    # The tone stand-in speaks in a fraction of espeak-ng's time: what is killed is the writing.
    tone = ["--engine", "tone"]
    assert run_cli(["render", str(folder), "-o", str(out), "--jobs", "2", *tone], capsys)[0] == 0
    for round_number, (formats, when, how) in enumerate(KILLS):
        article_files = ARTICLES * (4 if "audio" in formats else 2)  # outputs and manifest
        after_files = rng.randint(1, article_files - 1)
        after_seconds = rng.uniform(0.05, 3.0)
        before = snapshot(out)
        command = renderer("render", folder, "-o", out, "--jobs", 2, "--formats", formats, *tone)
        started = time.monotonic()
        process = subprocess.Popen(
            [*command, "--force"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while process.poll() is None and time.monotonic() - started < 120:
                written, writing = written_since(out, before)
                if (
                    (when == "write" and (writing or written))
                    or (when == "file" and written >= after_files)
                    or (when == "time" and time.monotonic() - started >= after_seconds)
                ):
                    break
                time.sleep(0.001)
            if how == "group":
                kill_session(process.pid)
            else:
                process.kill()
            where = (
                f"round {round_number} ({formats} {when} {how} {time.monotonic() - started:.2f} s)"
            )
            code = process.wait(timeout=30)
            left, waited = wait_for_session_end(process.pid)
            assert not left, f"{where}: still running {waited:.1f} s after the kill: {left}"
        finally:
            kill_session(process.pid)
        if when != "time":  # the moment was while the run was writing: it must still run
            assert code == -signal.SIGKILL, f"{where}: the run ended (exit {code}) before the kill"
        assert_complete(out)

        # A stale temporary file of ours goes; a look-alike that is not atomic_write's stays.
        (out / "leaflet-1").mkdir(parents=True, exist_ok=True)
        planted = [
            out / ".report.json.0123456789ab.part",
            out / "leaflet-1" / ".x.mp3.abcdef012345.part",
        ]
        lookalike = out / "leaflet-1" / ".notes.part"
        for path in (*planted, lookalike):
            path.write_bytes(b"half")
        code, _, stderr = run_cli(
            ["render", str(folder), "-o", str(out), "--jobs", "2", "--formats", formats, *tone],
            capsys,
        )
        assert code == 0, f"{where}: {stderr}"
        assert partial_files(out) == [] and lookalike.exists()
        lookalike.unlink()
        code, _, stderr = run_cli(["verify", str(out)], capsys)
        assert code == 0, f"{where}: {stderr}"
        assert_complete(out)


def test_workers_die_with_the_run_even_when_stuck_in_c_code(tmp_path: Path) -> None:
    """The run's process alone is killed, as the out-of-memory killer would, while a worker is
    stuck in C code that holds the GIL (no thread of its own can run): it still goes at once."""
    folder = tmp_path / "in"
    leaflet(folder, "spins.md", "Say Spinhere now. ")
    leaflet(folder, "other.md")
    log = tmp_path / "engine.log"
    process = subprocess.Popen(
        renderer("render", folder, "-o", tmp_path / "out", "--jobs", 2, "--engine", FAULTY),
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        started = time.monotonic()

        def spinning() -> bool:
            # The worker creates the log, then writes to it: wait for the line, not the file.
            return log.exists() and '"spinning"' in log.read_text("utf-8")

        while not spinning() and process.poll() is None and time.monotonic() - started < 120:
            time.sleep(0.01)
        assert spinning()
        process.kill()
        process.wait(timeout=30)
        left, waited = wait_for_session_end(process.pid)
        assert not left, f"still running {waited:.1f} s after the run was killed: {left}"
    finally:
        kill_session(process.pid)


# -- one article hangs, crashes or fails -------------------------------------------------------


def test_a_hung_crashed_or_failing_speech_engine_fails_its_article_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    # The hung article comes first: the others are rendered beside it while it waits out its
    # limit. With the tone stand-in a leaflet takes a worker well under a second, within half
    # a second even beside two processes spinning on the two cores (measured): LIMIT is ample.
    leaflet(folder, "a-hangs.md", "Say Hanghere now. ")
    leaflet(folder, "good-1.md")
    leaflet(folder, "crashes.md", "Say Crashhere now. ")
    leaflet(folder, "fails.md", "Say Failhere now. ")
    leaflet(folder, "good-2.md")
    config = tmp_path / "clinic.toml"
    # The file's keys, not flags: the engine named there is the one the workers open.
    config.write_text(f'timeout = {LIMIT}\njobs = 2\nengine = "{FAULTY}"\n', encoding="utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    command = renderer("render", folder, "-o", out, "--config", config)
    code, stdout, stderr = run_to_the_end(command, environment(tmp_path))
    took = time.monotonic() - started
    lines = stderr.splitlines()
    assert code == 1, stderr
    assert len(lines) == 3, stderr
    (hung,) = [line for line in lines if "a-hangs.md" in line]
    assert f"the speech engine did not finish within {LIMIT} s" in hung and "--timeout" in hung
    (crashed,) = [line for line in lines if "crashes.md" in line]
    assert "the worker rendering it died (signal 9, SIGKILL)" in crashed
    (failed,) = [line for line in lines if "fails.md" in line]
    assert "refused the word Failhere" in failed
    assert "Rendered 2, skipped 0 unchanged, failed 3 of 5" in stdout
    for slug in ("good-1", "good-2"):
        assert {p.name for p in (out / slug).iterdir()} == {
            f"{slug}.pdf",
            f"{slug}.mp3",
            f"{slug}.transcript.txt",
            "manifest.json",
        }
    for slug in ("a-hangs", "crashes", "fails"):  # nothing of a failed article, not even its PDF
        assert not (out / slug).exists() or not any((out / slug).iterdir())
    assert took < 100  # a hang guard, not a speed test: the hung article was stopped at LIMIT
    code, _, stderr = run_cli(["verify", str(out)], capsys)
    assert code == 0, stderr


@pytest.mark.slow  # two runs, one waiting out the time limit
@pytest.mark.parametrize(("marker", "said"), [
    ("Hanghere", f"the speech engine did not finish within {LIMIT} s"),
    ("Crashhere", "the worker rendering it died (signal 9, SIGKILL)"),
])  # fmt: skip
def test_one_article_alone_that_hangs_or_crashes_is_stopped_and_named(
    tmp_path: Path, marker: str, said: str
) -> None:
    # One spoken article is given a worker of its own, spawned bare (batch.py): the limit and
    # a dying worker are handled as in a batch.
    article = leaflet(tmp_path / "in", "alone.md", f"Say {marker} now. ")
    out = tmp_path / "out"
    args = ("render", article, "-o", out, "--formats", "audio", "--engine", FAULTY)
    code, stdout, stderr = run_to_the_end(
        renderer(*args, "--timeout", LIMIT), environment(tmp_path)
    )
    assert code == 1 and "failed 1 of 1" in stdout, stderr
    (line,) = stderr.splitlines()
    assert "alone.md" in line and said in line
    assert not partial_files(out)
    folder = out / "alone"
    assert not folder.exists() or not any(folder.iterdir())  # nothing of the failed article


def test_a_pdf_build_that_hangs_or_crashes_fails_its_article_and_workers_are_replaced(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    names = ["0-hanghere.md", "a.md", "b.md", "crashhere.md", "c.md", "d.md", "e.md"]
    for name in names:
        leaflet(folder, name)
    out = tmp_path / "out"
    run = subprocess.run(
        renderer("render", folder, "-o", out, "--formats", "pdf", "--jobs", 2, "--timeout", LIMIT),
        env=environment(tmp_path, "pdf"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 2, run.stderr
    (hung,) = [line for line in lines if "0-hanghere.md" in line]
    assert f"rendering did not finish within {LIMIT} s" in hung  # not the speech engine: none
    (crashed,) = [line for line in lines if "crashhere.md" in line]
    assert "died (signal 9, SIGKILL)" in crashed
    assert "Rendered 5, skipped 0 unchanged, failed 2 of 7" in run.stdout
    assert sorted(p.parent.name for p in out.glob("*/*.pdf")) == ["a", "b", "c", "d", "e"]


# -- no network, workers included --------------------------------------------------------------


def test_the_whole_pipeline_runs_with_the_network_blocked_in_every_process(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    for n in range(3):
        leaflet(folder, f"leaflet-{n}.md")
    out = tmp_path / "out"
    env = environment(tmp_path, "offline")
    # The platform's real engine, wrapped to note whether the network is blocked where it speaks.
    watched = ["--engine", "engines:Watched"]
    run = subprocess.run(
        renderer("render", folder, "-o", out, "--formats", "pdf,audio", "--jobs", 2, *watched),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    verify = subprocess.run(renderer("verify", out), env=env, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    # The block was in force in the processes that did the speaking: one per article.
    spoken = calls(tmp_path / "engine.log", "synthesise")
    states, pids = {c["network"] for c in spoken}, {c["pid"] for c in spoken}
    assert states == {"blocked"} and len(pids) == 3


def test_fresh_workers_start_with_the_command_dictionaries_fonts_and_parsers_loaded(
    tmp_path: Path,
) -> None:
    # Run as a clinic runs it, by the console script: multiprocessing then knows the script's
    # path, and a worker would run it again (importing the CLI from disk as it is by then).
    script = Path(sys.executable).with_name("renderer")
    if not script.is_file():
        pytest.skip("the renderer console script is not installed")
    folder = tmp_path / "in"
    leaflet(folder, "one.md")
    leaflet(folder, "two.md")
    (folder / "three.html").write_text(
        "<h1>Three</h1><p>Rest and drink water.</p><h2>Warnings</h2><p>Stop if you feel faint.</p>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["render", str(folder), "-o", str(out), "--formats", "audio", "--jobs", "2"]
    run = subprocess.run(
        [str(script), *args, "--engine", "engines:Recording"],
        env=environment(tmp_path, "loads"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    log = [line.split() for line in (tmp_path / "loads.log").read_text("utf-8").splitlines()]
    workers = {str(c["pid"]) for c in calls(tmp_path / "engine.log", "synthesise")}
    assert len(workers) == 3  # a fresh worker for each article that is spoken
    loaded_by_workers = sorted({what for pid, what in log if pid in workers})
    assert loaded_by_workers == []
    loaded = {what for _, what in log}
    preloaded = {"renderer.cli", "markdown_it", "bs4", "syllables", "pyphen", "font"}
    assert preloaded | {"renderer.outputs.audio"} <= loaded  # the stages' own modules too
