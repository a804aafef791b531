"""The `renderer score` command as a user meets it: tables, JSON, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONTENT, REPO, SEEDS, run_cli
from renderer.cli import main

GOOD = (
    "## Side effects\n\nYou may feel dizzy. Sit down until it passes.\n\n## Costs\n\nIt is free.\n"
)


run = run_cli


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.md"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_score_prints_a_table_per_article(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", str(good)], capsys)
    assert code == 0 and err == ""
    assert "Side effects" in out and "risk" in out and 'heading cue "Side effects"' in out
    assert "Whole document" in out and "Grade <= 8" in out


def test_score_json_follows_the_design_contract(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["score", str(good), "--json", "--target-grade", "6"], capsys)
    assert code == 0
    [analysis] = json.loads(out)
    assert {"source", "title", "language", "sections", "protected", "document"} <= set(analysis)
    section = analysis["sections"][0]
    for key in ("index", "heading", "kind", "protected", "text", "words", "sentences"):
        assert key in section
    readability = section["readability"]
    for key in (
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "smog_index",
        "gunning_fog",
        "coleman_liau_index",
        "automated_readability_index",
        "dale_chall_readability_score",
        "grade",
        "meets_target",
        "reliable",
    ):
        assert key in readability
    assert readability["meets_target"] == (readability["grade"] <= 6)
    [passage] = analysis["protected"]
    assert passage["kind"] == "risk" and passage["section"] == 0
    assert passage["text"] == "You may feel dizzy. Sit down until it passes."
    assert len(passage["sha256"]) == 64


def test_a_bad_input_does_not_stop_the_others(
    tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.md"
    binary.write_bytes(bytes(range(256)))
    code, out, err = run(
        ["score", str(empty), str(good), str(binary), str(tmp_path / "gone.txt"), "--json"],
        capsys,
    )
    assert code == 1
    assert [a["source"] for a in json.loads(out)] == [str(good)]
    assert err.splitlines() == [
        f"renderer: {empty}: no text (the file is empty or holds only white space)",
        f"renderer: {binary}: not a text file (binary or undecodable content)",
        f"renderer: {tmp_path / 'gone.txt'}: no such file",
    ]


def test_unsupported_extension_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leaflet.docx"
    path.write_bytes(b"PK\x03\x04")
    code, out, err = run(["score", str(path)], capsys)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "unsupported file type '.docx'" in err and ".md" in err


def test_usage_errors_exit_2(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["score"])
    assert caught.value.code == 2
    code, _, err = run(["score", str(good), "--target-grade", "40"], capsys)
    assert code == 2 and "--target-grade must be between 1 and 20" in err


def test_a_bad_cue_file_exits_2(
    tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cues = tmp_path / "cues.toml"
    cues.write_text('[risk]\nheading = ["x"]\n', encoding="utf-8")
    code, _, err = run(["score", str(good), "--cues", str(cues)], capsys)
    assert code == 2
    assert (
        err.strip()
        == f"renderer: {cues}: unknown key 'risk.heading' (allowed: headings, paragraphs, sentences)"
    )


def test_unexpected_errors_are_one_line_unless_verbose(
    good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr("renderer.pipeline.analyse", broken)
    code, _, err = run(["score", str(good)], capsys)
    assert code == 1
    assert err.splitlines() == [
        f"renderer: {good}: unexpected ValueError: boom (run with --verbose for the traceback)"
    ]
    code, _, err = run(["score", "--verbose", str(good)], capsys)
    assert code == 1 and "Traceback" in err and "ValueError: boom" in err


def test_folders_are_walked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", str(CONTENT), "--json"], capsys)
    assert code == 0, err
    sources = sorted(Path(a["source"]).name for a in json.loads(out))
    assert sources == sorted(
        p.name for p in CONTENT.iterdir() if p.suffix in (".md", ".txt", ".html")
    )


def test_help_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["score", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "renderer score content/ketamine-therapy.md" in out and "--target-grade" in out


def test_python_dash_m_and_the_seeds(seed_labels: dict[str, object]) -> None:
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    result = subprocess.run(
        [sys.executable, "-m", "renderer", "score", *seeds, "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_a_closed_pipe_is_not_an_error() -> None:
    result = subprocess.run(
        [
            "bash",
            "-c",
            f'"{sys.executable}" -m renderer score content/ | head -1 >/dev/null; exit ${{PIPESTATUS[0]}}',
        ],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
