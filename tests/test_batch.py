"""Batch runs through the command line: workers, skipping unchanged articles, a bad file amid good
ones, Ctrl-C and SIGTERM, odd file names and slug collisions, renderer.toml."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, assert_outputs_match_manifests, run_cli
from conftest import write_leaflet as article


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def manifest(out: Path, slug: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / slug / "manifest.json").read_text("utf-8"))
    return data


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    article(folder, "a.md", "Apples")
    article(folder, "b.md", "Bananas")
    article(folder, "more/c.txt", "Cherries")
    return folder


def test_jobs_1_and_jobs_2_give_identical_files(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli(["render", str(inputs), "-o", str(one), "--jobs", "1"], capsys)[0] == 0
    assert run_cli(["render", str(inputs), "-o", str(two), "--jobs", "2"], capsys)[0] == 0
    files = tree(one)
    assert files == tree(two)
    assert {"report.json", "report.csv", "report.html", "a/a.pdf", "a/a.mp3"} <= set(files)
    assert {"a/manifest.json", "b/manifest.json", "c/c.transcript.txt"} <= set(files)


def test_an_unchanged_article_is_skipped_until_forced_or_changed(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    base = ["render", str(inputs), "-o", str(out), "--formats", "pdf", "--jobs", "1"]
    assert run_cli(base, capsys)[0] == 0
    first = (out / "a" / "a.pdf").stat().st_mtime_ns
    code, stdout, _ = run_cli(base, capsys)
    assert code == 0 and "skipped 3 unchanged" in stdout
    assert manifest(out, "a")["status"] == "skipped" and manifest(out, "a")["reason"]
    assert (out / "a" / "a.pdf").stat().st_mtime_ns == first
    article(inputs, "b.md", "Blueberries")
    code, stdout, _ = run_cli(base, capsys)
    assert "Rendered 1, skipped 2" in stdout and manifest(out, "b")["status"] == "rendered"
    code, stdout, _ = run_cli([*base, "--font-size", "20"], capsys)
    assert "Rendered 3, skipped 0" in stdout
    code, stdout, _ = run_cli([*base, "--font-size", "20", "--force"], capsys)
    assert "Rendered 3, skipped 0" in stdout


def test_a_tampered_output_is_rendered_again(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    base = ["render", str(inputs), "-o", str(out), "--formats", "pdf", "--jobs", "1"]
    run_cli(base, capsys)
    pdf = out / "a" / "a.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(good[: len(good) // 2])
    _, stdout, _ = run_cli(base, capsys)
    assert "Rendered 1, skipped 2" in stdout and pdf.read_bytes() == good


def test_an_article_edited_while_it_renders_is_rendered_again_next_time(
    inputs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import renderer.outputs.pdf

    out = tmp_path / "out"
    base = ["render", str(inputs / "a.md"), "-o", str(out), "--formats", "pdf", "--jobs", "1"]
    build = renderer.outputs.pdf.build_pdf

    def build_while_someone_saves(*args: Any, **kwargs: Any) -> Any:
        article(inputs, "a.md", "Apricots")  # saved after the render read the file
        return build(*args, **kwargs)

    monkeypatch.setattr(renderer.outputs.pdf, "build_pdf", build_while_someone_saves)
    assert run_cli(base, capsys)[0] == 0
    monkeypatch.undo()
    # The manifest describes what was rendered (Apples), so the edit is not taken as done.
    _, stdout, _ = run_cli(base, capsys)
    assert "Rendered 1, skipped 0" in stdout
    assert "Apricots" in json.dumps(manifest(out, "a")["analysis"])


def test_a_bad_file_amid_good_ones(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inputs / "broken.html").write_bytes(b"\x00\x01\x02 binary \xff\xfe")
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(["render", str(inputs), "-o", str(out), "--jobs", "2"], capsys)
    assert code == 1
    assert stderr.count("\n") == 1 and "broken.html" in stderr
    assert "Rendered 3, skipped 0 unchanged, failed 1 of 4" in stdout
    report = json.loads((out / "report.json").read_text("utf-8"))
    failed = [a for a in report["articles"] if a["status"] == "failed"]
    assert len(failed) == 1 and "broken.html" in failed[0]["source"] and failed[0]["error"]
    assert not (out / "broken").exists()


def test_odd_names_and_collisions_stay_inside_the_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    article(folder, "one/guide.md")
    article(folder, "two/guide.md")
    article(folder, "Ünïcödé  leaflet (final!!).md")
    article(folder, "!!!.md")
    article(folder, ".hidden/secret.md")
    out = tmp_path / "out"
    code, _, stderr = run_cli(["render", str(folder), "-o", str(out), "--formats", "pdf"], capsys)
    assert code == 0, stderr
    slugs = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert slugs == ["article", "guide", "guide-2", "unicode-leaflet-final"]
    assert "hidden folder" in stderr
    assert all(out in p.resolve().parents for p in out.rglob("*"))


def test_a_symlink_loop_is_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    article(folder, "!!!.md")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    code, _, stderr = run_cli(
        ["render", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf"], capsys
    )
    assert code == 0 and "a link back to a folder already read" in stderr


def test_render_with_no_arguments_renders_content_into_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article(tmp_path / "content", "leaflet.md")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run_cli(["render"], capsys)
    assert code == 0
    files = set(tree(tmp_path / "output"))
    assert {"leaflet/leaflet.pdf", "leaflet/leaflet.mp3", "report.html"} <= files
    assert "leaflet.md -> output/leaflet/" in stdout


@pytest.mark.slow  # content/ and the seeds spoken by espeak-ng: once, for every test that reads them
def test_content_and_seeds_end_to_end_then_verify(
    rendered_tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads((rendered_tree / "report.json").read_text("utf-8"))
    assert report["totals"]["rendered"] == len(report["articles"]) >= 5
    for entry in report["articles"]:
        assert {"pdf", "mp3", "transcript.txt", "daisy/ncc.html", "epub"} <= set(entry["outputs"])
    code, stdout, stderr = run_cli(["verify", str(rendered_tree)], capsys)
    assert code == 0 and stderr == "" and "Verified" in stdout


# -- Ctrl-C ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [
        # Ctrl-C: the run's own process gets SIGINT.
        (lambda p: p.send_signal(signal.SIGINT), 130, "interrupted after"),
        # A service manager or `timeout` stopping the run: SIGTERM to the whole process group.
        (lambda p: os.killpg(p.pid, signal.SIGTERM), 143, "stopped by SIGTERM after"),
    ],
    ids=["ctrl-c", "sigterm"],
)
@pytest.mark.slow  # two runs of five articles spoken by espeak-ng, one stopped part way
def test_ctrl_c_or_sigterm_stops_cleanly_and_a_re_run_finishes(
    tmp_path: Path, stop: Callable[[subprocess.Popen[str]], object], code: int, said: str
) -> None:
    folder = tmp_path / "in"
    # Five: with two workers, three are still waiting when the first is done and the stop comes.
    for n in range(5):
        article(folder, f"leaflet-{n}.md", f"Leaflet {n}")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "renderer", "render", str(folder), "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [*command, "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert process.stdout is not None
    process.stdout.readline()  # the first article is done
    stop(process)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - started < 10
    assert process.returncode == code and said in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1  # no worker reported as failed or killed
    assert not list(out.rglob("*.part"))
    assert_outputs_match_manifests(out)  # what was finished is complete
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(list(out.glob("*/manifest.json"))) == 5
    check = subprocess.run(
        [sys.executable, "-m", "renderer", "verify", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert check.returncode == 0, check.stderr


# -- renderer.toml ---------------------------------------------------------------------------


def test_the_config_file_sets_defaults_and_flags_override_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article(tmp_path / "content", "leaflet.md")
    words = tmp_path / "words.toml"
    words.write_text('[words]\nRest = "Rest"\n', encoding="utf-8")
    (tmp_path / "renderer.toml").write_text(
        'clinic_name = "Harbour Clinic"\nfont_size = 24\ntheme = "cream"\nformats = ["pdf"]\n'
        'target_grade = 6\nlexicon = "words.toml"\njobs = 1\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert run_cli(["render"], capsys)[0] == 0
    options = manifest(tmp_path / "output", "leaflet")["fingerprint"]["options"]  # type: ignore[index]
    assert options["print"]["clinic_name"] == "Harbour Clinic"
    assert options["print"]["font_size"] == 24.0 and options["print"]["theme"] == "cream"
    assert options["target_grade"] == 6.0 and options["formats"] == ["pdf"]
    assert options["speech"]["lexicon_files"] == ["words.toml"]  # beside renderer.toml
    assert run_cli(["render", "--font-size", "30", "--theme", "standard"], capsys)[0] == 0
    options = manifest(tmp_path / "output", "leaflet")["fingerprint"]["options"]  # type: ignore[index]
    assert options["print"]["font_size"] == 30.0 and options["print"]["theme"] == "standard"
    assert options["print"]["clinic_name"] == "Harbour Clinic"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"\n', "unknown key 'colour'"),
        ("font_size = 40\n", "font_size = 40: must be body text size"),
        ('font_size = "big"\n', "font_size = 'big': must be body text size"),
        ('theme = "neon"\n', "theme = 'neon'"),
        ("rate = 1000\n", "rate = 1000"),
        ("jobs = 0\n", "jobs = 0"),
        ("timeout = 0\n", "timeout = 0: must be seconds"),
        ('timeout = "soon"\n', "timeout = 'soon'"),
        ('formats = ["pdf", "video"]\n', "formats"),
        ("font_size = \n", "not valid TOML"),
    ],
)
def test_config_mistakes_name_the_key(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "clinic.toml"
    config.write_text(text, encoding="utf-8")
    source = article(tmp_path, "a.md")
    code, _, stderr = run_cli(["render", str(source), "--config", str(config)], capsys)
    assert code == 2 and message in stderr and "clinic.toml" in stderr
    assert stderr.count("\n") == 1


@pytest.mark.parametrize("value", ["0", "-5", "nan"])
def test_a_timeout_must_be_more_than_0_seconds(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = article(tmp_path, "a.md")
    code, _, stderr = run_cli(["render", str(source), f"--timeout={value}"], capsys)
    assert code == 2 and "--timeout must be more than 0 seconds" in stderr


# -- what a run keeps: outputs of other formats, and the report of the whole folder --------------


def test_a_pdf_reprint_keeps_the_audio_and_the_report_lists_every_article(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    tone = ["--engine", "tone", "--jobs", "1"]
    assert run_cli(["render", str(inputs), "-o", str(out), *tone], capsys)[0] == 0
    audio = (out / "a" / "a.mp3").read_bytes()
    transcript = (out / "a" / "a.transcript.txt").read_bytes()

    # A quick reprint of one article at another size: its PDF is new, its audio is kept.
    reprint = [
        "render",
        str(inputs / "a.md"),
        "-o",
        str(out),
        "--formats",
        "pdf",
        "--font-size",
        "24",
    ]
    assert run_cli([*reprint, *tone], capsys)[0] == 0
    assert (out / "a" / "a.mp3").read_bytes() == audio
    assert (out / "a" / "a.transcript.txt").read_bytes() == transcript
    listed = manifest(out, "a")["outputs"]
    assert isinstance(listed, dict) and {"pdf", "mp3", "transcript.txt"} <= set(listed)
    assert_outputs_match_manifests(out)
    assert run_cli(["verify", str(out)], capsys)[0] == 0

    # The report still describes all three articles, not only the one rendered last.
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert sorted(a["slug"] for a in report["articles"]) == ["a", "b", "c"]
    html = (out / "report.html").read_text("utf-8")
    assert all(f"{slug}/{slug}.pdf" in html for slug in ("a", "b", "c"))

    # Both formats asked for again, nothing changed since: the article is skipped, not redone.
    again = ["render", str(inputs / "a.md"), "-o", str(out), "--font-size", "24", *tone]
    code, stdout, _ = run_cli(again, capsys)
    assert code == 0 and "skipped 1 unchanged" in stdout


def test_outputs_made_stale_by_changed_options_are_removed(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    tone = ["--engine", "tone", "--jobs", "1"]
    base = ["render", str(inputs / "a.md"), "-o", str(out), *tone]
    assert run_cli([*base, "--split-audio"], capsys)[0] == 0
    assert (out / "a" / "sections").is_dir()
    # A WAV this time, without sections: the MP3 and its sections were made from other
    # options, so they go, and the manifest lists only what is there.
    assert run_cli([*base, "--audio-format", "wav", "--formats", "audio"], capsys)[0] == 0
    assert not (out / "a" / "a.mp3").exists() and not (out / "a" / "sections").exists()
    assert (out / "a" / "a.wav").is_file() and (out / "a" / "a.pdf").is_file()
    assert_outputs_match_manifests(out)
    assert run_cli(["verify", str(out)], capsys)[0] == 0
