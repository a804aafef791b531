"""The real speech engine (espeak-ng through pyttsx3): each workaround in outputs/speech.py has a
test here that fails if the upstream bug it answers comes back; then the command line end to end."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from conftest import CONTENT, FIXTURES, REPO, SEEDS, run_cli
from renderer.batch import slugify
from renderer.errors import UsageError
from renderer.manifest import Manifest
from renderer.model import protected_passages
from renderer.outputs.audio import read_audio
from renderer.outputs.proof import missing_passages
from renderer.outputs.speech import SAMPLE_WIDTH, Voice, choose_voice, open_engine

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the espeak-ng workarounds are Linux's"
)

SENTENCE = "The dose may cause dizziness, so you should rest for an hour afterwards."


def seconds(frames: bytes) -> float:
    return len(frames) / SAMPLE_WIDTH / open_engine().sample_rate


def wpm(words: int, frames: bytes) -> float:
    return words / (seconds(frames) / 60)


def test_one_engine_per_process() -> None:
    # espeak cannot be initialised twice; pyttsx3 rebuilding a dropped engine crashed.
    assert open_engine() is open_engine()


def test_long_text_comes_back_complete() -> None:
    # pyttsx3 #142/#149/#151/#259: save_to_file + runAndWait returned before espeak finished
    # and wrote nothing for texts of 50 words and more.
    engine = open_engine()
    engine.configure("gmw/en", 150)
    text = " ".join([SENTENCE] * 20)  # 260 words
    frames = engine.synthesise(text)
    assert 120 <= wpm(len(text.split()), frames) <= 220


def test_rate_and_voice_changes_survive_back_to_back_synthesis() -> None:
    # runAndWait() calls stop(), which cancelled a queued rate change under load (76 in 200).
    engine = open_engine()
    words = len(SENTENCE.split())
    for _ in range(15):
        engine.configure("gmw/en-us", 100)
        slow = engine.synthesise(SENTENCE)
        engine.configure("gmw/en", 350)
        fast = engine.synthesise(SENTENCE)
        assert wpm(words, fast) > 2 * wpm(words, slow)


def test_the_driver_loop_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # The adapter must not go through runAndWait()/stop() nor the driver's file-writing callback.
    import pyttsx3
    from pyttsx3.drivers.espeak import EspeakDriver

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyttsx3's run loop was used")

    monkeypatch.setattr(pyttsx3.Engine, "runAndWait", forbidden)
    monkeypatch.setattr(pyttsx3.Engine, "stop", forbidden)
    monkeypatch.setattr(EspeakDriver, "_onSynth", forbidden)
    engine = open_engine()
    engine.configure("gmw/en", 150)
    assert seconds(engine.synthesise(SENTENCE)) > 2


def test_speech_is_synchronous_and_an_interrupt_during_it_is_not_lost() -> None:
    # espeak-ng runs in synchronous mode: our callback runs on this thread, inside Synth() (no
    # hand-off to espeak's own thread for each sentence). ctypes would print and drop what a
    # signal handler raises in there; the adapter stops espeak and raises it instead.
    class Alarm(Exception):
        pass

    def ring(signum: int, frame: object) -> None:
        raise Alarm

    engine = open_engine()
    engine.configure("gmw/en", 150)
    long_text = " ".join([SENTENCE] * 400)  # 5,200 words: seconds of synthesis
    previous = signal.signal(signal.SIGALRM, ring)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        started = time.monotonic()
        with pytest.raises(Alarm):
            engine.synthesise(long_text)
        assert time.monotonic() - started < 5  # stopped, not spoken to the end
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert seconds(engine.synthesise(SENTENCE)) > 2  # and it speaks normally afterwards


def test_an_unknown_voice_is_an_error_not_the_old_voice() -> None:
    # pyttsx3 #59: setting an unknown voice raises nothing and keeps the previous one.
    engine = open_engine()
    with pytest.raises(UsageError, match="renderer voices"):
        engine.configure("gmw/klingon", 150)
    with pytest.raises(UsageError, match="renderer voices"):
        choose_voice(engine.voices(), "tlh", None)


def test_voices_by_id_name_and_language() -> None:
    voices = open_engine().voices()
    assert len(voices) > 50
    assert choose_voice(voices, "roa/es", None).id == "roa/es"  # type: ignore[union-attr]
    assert choose_voice(voices, "es", None).id == "roa/es"  # type: ignore[union-attr]
    assert choose_voice(voices, "en", None).id == "gmw/en"  # type: ignore[union-attr]
    assert choose_voice(voices, "en_US", None).id == "gmw/en-us"  # type: ignore[union-attr]
    assert choose_voice(voices, None, "fr").id == "roa/fr"  # type: ignore[union-attr]
    assert choose_voice(voices, None, "xx") is None


def test_nothing_to_say_is_refused_not_crashed() -> None:
    # pyttsx3 #140: an empty text crashed espeak.
    with pytest.raises(ValueError):
        open_engine().synthesise("  ... ")


# -- a machine without an engine --------------------------------------------------------------


def no_engine_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """PYTHONPATH that hides the espeakng-loader wheel and makes pyttsx3 fail as it does when
    no libespeak-ng is installed."""
    stubs = tmp_path / "stubs"
    (stubs / "espeakng_loader").mkdir(parents=True)
    (stubs / "espeakng_loader" / "__init__.py").write_text("raise ImportError('hidden')\n")
    (stubs / "pyttsx3").mkdir()
    (stubs / "pyttsx3" / "__init__.py").write_text(
        textwrap.dedent(
            """
            def init(*args, **kwargs):
                raise RuntimeError(
                    "This means you probably do not have eSpeak or eSpeak-ng installed!"
                )
            """
        )
    )
    return {**os.environ, "PYTHONPATH": f"{stubs}{os.pathsep}{REPO}", **extra}


def renderer(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "renderer", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_no_engine_exits_3_with_what_to_install(tmp_path: Path) -> None:
    env = no_engine_env(tmp_path)
    out = tmp_path / "out"
    result = renderer(["render", str(FIXTURES / "stray-disclaimer.md"), "-o", str(out)], env)
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1 and "pip install espeakng-loader" in result.stderr
    assert not out.exists()
    assert renderer(["voices"], env).returncode == 3
    pdf_only = ["render", str(FIXTURES / "stray-disclaimer.md"), "-o", str(out), "--formats", "pdf"]
    assert renderer(pdf_only, env).returncode == 0


def test_a_bad_espeak_data_path_is_an_error_not_a_silent_exit(tmp_path: Path) -> None:
    # The C library calls exit(1) on a data folder it cannot use: the process would just end.
    env = no_engine_env(tmp_path, ESPEAK_DATA_PATH=str(tmp_path / "nowhere"))
    result = renderer(["voices"], env)
    assert result.returncode == 3 and "ESPEAK_DATA_PATH" in result.stderr


# -- end to end --------------------------------------------------------------------------------


def test_render_audio_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = CONTENT / "ketamine-therapy.md"
    args = ["render", str(source), "-o", str(tmp_path), "--formats", "audio", "--rate", "160"]
    code, stdout, stderr = run_cli(args, capsys)
    assert code == 0 and stderr == "", stderr
    folder = tmp_path / "ketamine-therapy"
    assert sorted(p.name for p in folder.iterdir()) == [
        "ketamine-therapy.mp3",
        "ketamine-therapy.transcript.txt",
        "manifest.json",
    ]
    data = (folder / "ketamine-therapy.mp3").read_bytes()
    mp3 = MP3(io.BytesIO(data))
    assert mp3.info.sample_rate == 22050 and mp3.info.channels == 1
    transcript = (folder / "ketamine-therapy.transcript.txt").read_text("utf-8")
    words = len(transcript.split())
    assert 0.8 * words / 160 * 60 < mp3.info.length < 1.6 * words / 160 * 60
    from renderer.analysis.article import analyse
    from renderer.config import Options

    article = analyse(source, Options())
    chapters = read_audio(data, "mp3").chapters
    titles = [t for t, _ in chapters][1:]
    assert len(titles) == len(article.sections)
    for title, section in zip(titles, article.sections, strict=True):
        # an untitled section is named after its first words
        assert title == section.heading or " ".join(section.plain_text().split()).startswith(
            title.rstrip("…")
        )
    assert missing_passages(protected_passages(article), transcript) == []
    assert "read by gmw/en" in stdout


def test_render_wav_and_a_clinic_lexicon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lexicon = tmp_path / "clinic.toml"
    lexicon.write_text('[words]\nHarbour = "Harbor"\n', encoding="utf-8")
    source = FIXTURES / "stray-disclaimer.md"
    args = ["render", str(source), "-o", str(tmp_path), "--formats", "audio"]
    args += ["--audio-format", "wav", "--lexicon", str(lexicon), "--voice", "en-us"]
    code, _, stderr = run_cli(args, capsys)
    assert code == 0, stderr
    wav = tmp_path / "stray-disclaimer" / "stray-disclaimer.wav"
    facts = read_audio(wav.read_bytes(), "wav")
    assert facts.sample_rate == 22050 and facts.chapters[0] == ("Getting to the clinic", 0.0)
    assert "Harbour Street" in (wav.parent / "stray-disclaimer.transcript.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--voice", "no-such-voice"], "renderer voices"),
        (["--rate", "500"], "--rate"),
        (["--lexicon", "missing.toml"], "missing.toml"),
    ],
)
def test_bad_audio_flags_are_usage_errors(
    flags: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["render", str(FIXTURES / "stray-disclaimer.md"), "-o", str(tmp_path), *flags]
    code, _, stderr = run_cli(args, capsys)
    assert code == 2 and message in stderr and stderr.count("\n") == 1
    assert not any(tmp_path.iterdir())


def test_voices_lists_languages(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run_cli(["voices", "--language", "es"], capsys)
    assert code == 0 and "roa/es" in stdout and "gmw/en" not in stdout
    code, _, stderr = run_cli(["voices", "--language", "tlh"], capsys)
    assert code == 2 and "tlh" in stderr


@pytest.mark.slow  # every seed spoken by espeak-ng (once: the session's rendered tree)
def test_the_seeds_are_spoken_with_every_protected_passage(rendered_tree: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        manifest = Manifest.read(rendered_tree / slugify(seed) / "manifest.json")
        assert manifest.audio is not None and manifest.audio.seconds > 60
        # Render proved every protected passage in the transcript and the MP3's pace; the
        # manifest records it.
        assert any(check.startswith("transcript: ") for check in manifest.checks)
        assert any(check.startswith("mp3: ") for check in manifest.checks)


@pytest.mark.parametrize(
    ("language", "voice"),
    [
        ("es", "roa/es"),
        ("es-ES", "roa/es"),
        ("es-MX", "roa/es-419"),  # Latin American Spanish outside Spain
        ("es-US", "roa/es-419"),
        ("es-419", "roa/es-419"),
        ("pt", "roa/pt"),
        ("pt-BR", "roa/pt-br"),
        ("pt-PT", "roa/pt"),
        ("en-US", "gmw/en-us"),
        ("en-GB", "gmw/en"),
        ("en", "gmw/en-us"),  # an article that says only "en" is read in American English
    ],
)
def test_the_article_language_and_region_pick_the_voice(language: str, voice: str) -> None:
    voices = [
        Voice("roa/es", "Spanish (Spain)", ("es",)),
        Voice("roa/es-419", "Spanish (Latin America)", ("es-419",)),
        Voice("roa/pt", "Portuguese (Portugal)", ("pt",)),
        Voice("roa/pt-br", "Portuguese (Brazil)", ("pt-br",)),
        Voice("gmw/en", "English (Great Britain)", ("en-gb",)),
        Voice("gmw/en-us", "English (America)", ("en-us",)),
    ]
    chosen = choose_voice(voices, None, language)
    assert chosen is not None and chosen.id == voice
