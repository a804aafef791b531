"""The engine seam: engines chosen by name (built in, installed, or MODULE:CALLABLE), one of
each per process and never across a fork, clear lines for every wrong name, the tone stand-in,
and the tests' own engines (tests/engines.py) running inside the workers."""

from __future__ import annotations

import array
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_cli
from conftest import write_leaflet as leaflet
from engines import calls
from renderer.errors import UsageError
from renderer.outputs.audio import read_audio
from renderer.outputs.speech import (
    BUILT_IN,
    SAMPLE_WIDTH,
    SpeechError,
    choose_voice,
    engine_names,
    open_engine,
)
from renderer.outputs.speech.standins import LOUDNESS

LINUX = sys.platform.startswith("linux")


def renderer(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "renderer", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def with_test_engines(log: Path) -> dict[str, str]:
    """A run's environment with tests/engines.py importable, logging to `log`."""
    path = os.pathsep.join([str(REPO), str(REPO / "tests")])
    return {**os.environ, "PYTHONPATH": path, "RENDERER_TEST_LOG": str(log)}


# -- by name -----------------------------------------------------------------------------------


def test_engines_are_chosen_by_name_and_kept_one_of_each_per_process() -> None:
    assert {"espeak", "system", "tone"} <= set(engine_names())
    tone = open_engine("tone")
    assert open_engine("Tone") is tone and open_engine(" tone ") is tone
    assert open_engine("renderer.outputs.speech.standins:Tone") is tone  # the same reference
    assert "tone" in tone.description


@pytest.mark.skipif(not LINUX, reason="espeak-ng is Linux's engine")
def test_on_linux_the_default_and_system_engines_are_espeak_ng() -> None:
    # pyttsx3's own driver on Linux is espeak-ng through the file path that loses audio, and
    # espeak-ng cannot be started twice in a process: all three names are one engine.
    assert open_engine() is open_engine("espeak") is open_engine("system")
    assert open_engine().description.startswith("espeak-ng")
    assert BUILT_IN["system"] == BUILT_IN["espeak"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
@pytest.mark.parametrize("name", [None, "tone"], ids=["the platform's", "tone"])
def test_an_engine_is_not_used_across_a_fork_whatever_its_name(name: str | None) -> None:
    # pyttsx3 #131: a child forked after espeak-ng started hung on its first utterance. The
    # child is told to start its own process instead, whichever engine it asks for.
    open_engine(name)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            open_engine(name)
            os.write(write, b"no error")
        except SpeechError as error:
            os.write(write, str(error).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert b"spawn" in os.read(read, 1000)


# -- wrong names: one line each ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("espeak-ng", 2, "unknown speech engine 'espeak-ng': choose espeak, system, tone"),
        ("no such:Engine", 2, "MODULE:CALLABLE"),
        ("c:\\voices\\engine.py", 2, "MODULE:CALLABLE"),
        ("nosuchmodule:Engine", 2, "no module named 'nosuchmodule'"),
        ("engines:Missing", 2, "engines has no 'Missing'"),
        ("engines:LOG", 2, "'LOG' cannot be called"),
        ("engines:NotAnEngine", 2, "it has no sample_rate, voices, configure, synthesise"),
    ],
)
def test_a_wrong_engine_name_is_one_line(
    name: str, code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result, _, stderr = run_cli(["voices", "--engine", name], capsys)
    assert (result, stderr.count("\n")) == (code, 1), stderr
    assert message in stderr


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import piper_not_here\n", "ModuleNotFoundError: No module named 'piper_not_here'"),
        ("raise OSError('no audio device')\n", "OSError: no audio device"),
        ("def Engine():\n    raise RuntimeError('no licence\\nfor this voice')\n", "licence for"),
    ],
)
def test_an_engine_that_cannot_be_loaded_or_started_is_one_line_and_exit_3(
    source: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    module = f"broken_voice_{abs(hash(source))}"
    (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    result, _, stderr = run_cli(["voices", "--engine", f"{module}:Engine"], capsys)
    assert (result, stderr.count("\n")) == (3, 1), stderr
    assert message in stderr and module in stderr


def test_render_with_an_unknown_engine_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FIXTURES / "stray-disclaimer.md"
    out = tmp_path / "out"
    result, _, stderr = run_cli(["render", str(source), "-o", str(out), "--engine", "x"], capsys)
    assert result == 2 and "unknown speech engine 'x'" in stderr
    assert not out.exists() or not any(out.iterdir())


# -- engines from elsewhere --------------------------------------------------------------------


def test_an_installed_package_offers_its_engine_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What `pip install` leaves for a package whose pyproject.toml has
    # [project.entry-points."renderer.speech_engines"] hum = "engines:Recording"
    info = tmp_path / "hum_voices-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hum-voices\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[renderer.speech_engines]\nhum = engines:Recording\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "hum" in engine_names()
    assert type(open_engine("Hum")).__name__ == "Recording"
    result, _, stderr = run_cli(["voices", "--engine", "nosuch"], capsys)
    assert result == 2 and "choose espeak, system, tone, hum," in stderr


def test_an_engine_in_the_current_folder_is_found_as_uvicorn_finds_an_app(tmp_path: Path) -> None:
    # The console script's sys.path lacks the folder it runs in (`python -m` has it), and the
    # workers must find the module as the run's process did.
    script = Path(sys.executable).with_name("renderer")
    if not script.is_file():
        pytest.skip("the renderer console script is not installed")
    (tmp_path / "clinic_voice.py").write_text(
        "from renderer.outputs.speech.standins import Tone\n\n\n"
        "class Engine(Tone):\n    description = 'the clinic voice'\n",
        encoding="utf-8",
    )
    source = FIXTURES / "stray-disclaimer.md"
    args = ["render", str(source), "-o", "out", "--formats", "audio"]
    result = subprocess.run(
        [str(script), *args, "--engine", "clinic_voice:Engine"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / source.stem / "manifest.json").read_text("utf-8"))
    assert manifest["outputs"]["mp3"]["engine"] == "the clinic voice"  # spoken by a worker


# -- the tone stand-in -------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [80, 150, 175, 400])
def test_the_tone_lasts_as_long_as_the_words_take_at_the_rate(rate: int) -> None:
    engine = open_engine("tone")
    engine.configure("tone/en-us", rate)
    text = "Take one tablet each morning with water, and rest if you feel dizzy."
    frames = engine.synthesise(text)
    seconds = len(frames) / SAMPLE_WIDTH / engine.sample_rate
    assert seconds == pytest.approx(len(text.split()) * 60 / rate, abs=0.01)
    samples = array.array("h", frames)
    assert 0 < max(samples) <= 32767 * LOUDNESS + 1  # a sound, and a quiet one
    assert samples.count(0) > len(samples) / 5  # a gap after each word: they can be counted


def test_the_tone_has_a_voice_for_each_language_and_refuses_what_espeak_refuses() -> None:
    engine = open_engine("tone")
    voices = engine.voices()
    for language, voice in [
        ("en", "tone/en-us"),
        ("en-GB", "tone/en-gb"),
        ("es-MX", "tone/es-419"),
    ]:
        assert choose_voice(voices, None, language).id == voice  # type: ignore[union-attr]
    with pytest.raises(UsageError, match="renderer voices --engine tone"):
        engine.configure("gmw/en", 150)
    with pytest.raises(ValueError):
        engine.synthesise(" ... ")


def test_an_article_spoken_by_the_tone_passes_every_check_and_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FIXTURES / "stray-disclaimer.md"
    args = ["render", str(source), "-o", str(tmp_path), "--formats", "audio,daisy"]
    code, stdout, stderr = run_cli([*args, "--engine", "tone"], capsys)
    assert code == 0, stderr
    folder = tmp_path / "stray-disclaimer"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert "tone" in manifest["outputs"]["mp3"]["engine"]
    facts = read_audio((folder / "stray-disclaimer.mp3").read_bytes(), "mp3")
    assert facts.seconds > 5 and len(facts.chapters) > 1
    code, _, stderr = run_cli(["verify", str(tmp_path)], capsys)
    assert code == 0, stderr
    if LINUX:  # the real engine asked for next: the stand-in's audio is not kept as if spoken
        code, stdout, stderr = run_cli(args, capsys)
        assert code == 0 and "Rendered 1, skipped 0" in stdout, stderr
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        assert manifest["outputs"]["mp3"]["engine"].startswith("espeak-ng")


# -- the tests' engines, inside the workers ----------------------------------------------------


def test_one_spoken_article_is_spoken_by_a_worker_that_loads_only_what_it_needs(
    tmp_path: Path,
) -> None:
    # A forkserver would load every parser, the fonts and the language detector (about 1 s)
    # before the only worker starts: for one article the worker is started bare instead.
    folder = tmp_path / "in"
    leaflet(folder, "one.md")
    log = tmp_path / "engine.log"
    args = ["render", str(folder / "one.md"), "-o", str(tmp_path / "out"), "--formats", "audio"]
    result = renderer([*args, "--engine", "engines:Recording"], with_test_engines(log))
    assert result.returncode == 0, result.stderr
    started = calls(log, "start")
    speakers = {c["pid"] for c in calls(log, "synthesise")}
    assert len(started) == 2 and speakers == {started[1]["pid"]} != {started[0]["pid"]}
    assert [c["preloaded"] for c in started] == [False, False]


def test_an_engine_of_ones_own_is_opened_in_each_worker_and_given_the_normalised_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    leaflet(folder, "emergency.md", extra="In an emergency call 911 now. ")
    leaflet(folder, "plain.md")
    out = tmp_path / "out"
    log = tmp_path / "engine.log"
    env = with_test_engines(log)
    args = ["render", str(folder), "-o", str(out), "--formats", "audio", "--rate", "170"]
    result = renderer([*args, "--jobs", "1", "--engine", "engines:Recording"], env)
    assert result.returncode == 0, result.stderr
    assert run_cli(["verify", str(out)], capsys)[0] == 0
    started = [c["pid"] for c in calls(log, "start")]
    spoken = calls(log, "synthesise")
    speakers = {c["pid"] for c in spoken}
    # Started once in the run's process (its voices, before any article), once in each worker;
    # each article spoken by a fresh process, even with --jobs 1 (see batch.py).
    assert len(started) == len(set(started)) == 3 and len(speakers) == 2
    assert started[0] not in speakers
    # Two articles: the workers are forked from a server that loaded what they need once.
    assert [c["preloaded"] for c in calls(log, "start")] == [False, True, True]
    by_worker = {pid: " ".join(c["text"] for c in spoken if c["pid"] == pid) for pid in speakers}
    (emergency,) = [text for text in by_worker.values() if "emergency" in text.lower()]
    assert "nine one one" in emergency and "911" not in emergency  # the engine's words ...
    transcript = (out / "emergency" / "emergency.transcript.txt").read_text("utf-8")
    assert "call 911 now." in transcript  # ... the transcript's the article's
    assert {(c["voice"], c["rate"]) for c in calls(log, "configure")} == {("tone/en-us", 170)}
