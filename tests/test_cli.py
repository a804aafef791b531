"""The `renderer score` command as a user meets it: tables, JSON, exit codes and one-line errors."""

from __future__ import annotations

import json
import re
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


def test_score_prints_a_table_per_article(
    good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # as piped: 140 (pytest-xdist's workers set 80)
    code, out, err = run(["score", str(good)], capsys)
    assert code == 0 and err == ""
    assert "Side effects" in out and "risk" in out and 'heading cue "Side effects"' in out
    assert "Whole document" in out and "Grade <= 8" in out


@pytest.mark.parametrize("columns", [80, 60, 40])
def test_the_score_table_cuts_no_word_in_a_narrow_terminal(
    columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Staff who use large terminal fonts have 80 columns or fewer: "ketamin e" is unreadable.
    code, out, err = run(["score", str(CONTENT), "--json"], capsys)
    assert code == 0, err
    expected: list[str] = []
    for analysis in json.loads(out):
        for section in analysis["sections"]:
            expected += [*(section["heading"] or "(untitled)").split(), section["kind"]]
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run(["score", str(CONTENT)], capsys)
    assert code == 0, err
    assert max(len(line.rstrip()) for line in out.splitlines()) <= columns
    tokens = re.sub(r"[\u2500-\u257f]", " ", out).split()  # without the table's lines
    words = {*tokens, *(token.removesuffix(",") for token in tokens)}
    cut = [word for word in expected if word not in words]
    assert not cut, f"cut at {columns} columns: {cut}"
    assert "protected:" in out
    if columns == 80:
        assert "Section" in out and "~ a grade from" in out  # the narrow table and its legend


def test_the_score_table_has_a_column_for_every_figure_when_it_fits(
    good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(["score", str(good)], capsys)
    assert code == 0
    header = next(line for line in out.splitlines() if "Sentences" in line)
    assert "Protected" in header and "Reliable" in header and "Grade <= 8" in header


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
    ]  # in the order given: a missing file is reported where the others are


def test_unsupported_extension_is_one_line_saying_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leaflet.odt"
    path.write_bytes(b"PK\x03\x04")
    code, out, err = run(["score", str(path)], capsys)
    assert code == 1 and out == ""
    assert err == (
        f"renderer: {path}: unsupported file type '.odt': save it as .docx or .txt with "
        "LibreOffice's File > Save As (supported: .txt, .text, .md, .markdown, .html, .htm, "
        ".docx)\n"
    )


def test_a_missing_folder_says_it_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nosuchdir"
    code, out, err = run(["score", str(missing)], capsys)
    assert (code, out, err) == (1, "", f"renderer: {missing}: no such file or folder\n")


def test_render_without_a_content_folder_says_what_to_do_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["render", "--formats", "pdf"], capsys)
    assert (code, out) == (2, "")
    assert err == (
        "renderer: no content/ folder here to render: name the articles "
        "(renderer render FILE_OR_FOLDER ...) or run it in the folder that holds content/\n"
    )
    assert list(tmp_path.iterdir()) == []  # no output/ and no report of nothing


def test_a_folder_of_documents_we_cannot_read_names_them_and_writes_no_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handouts = tmp_path / "handouts"
    handouts.mkdir()
    (handouts / "leaflet.pdf").write_bytes(b"%PDF-1.7")
    (handouts / "notes.rtf").write_bytes(b"{\\rtf1}")
    out = tmp_path / "output"
    code, stdout, err = run(["render", str(handouts), "-o", str(out), "--formats", "pdf"], capsys)
    assert (code, stdout) == (1, "")
    [line] = err.splitlines()
    assert line.startswith(
        f"renderer: {handouts}: no supported files in this folder, only leaflet.pdf, notes.rtf "
        "(.pdf: copy its text into a .txt file"
    )
    assert ".rtf: save it as .docx or .txt" in line
    assert not out.exists()


def test_choices_are_taken_in_any_case_and_kept_in_lower_case(
    tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # --audio-format is checked even though only the PDF is made
    flags = ["--page-size", "A4", "--theme", "Cream", "--formats", "PDF", "--audio-format", "WAV"]
    code, _, err = run(
        ["render", str(good), "-o", str(tmp_path / "a"), "--jobs", "1", *flags], capsys
    )
    assert code == 0, err
    manifest = json.loads((tmp_path / "a" / "good" / "manifest.json").read_text("utf-8"))
    options = manifest["fingerprint"]["options"]
    assert (options["print"]["page_size"], options["print"]["theme"]) == ("a4", "cream")
    assert (options["formats"], options["speech"]["audio_format"]) == (["pdf"], "wav")

    (tmp_path / "renderer.toml").write_text(
        'page_size = "A4"\ntheme = "High-Contrast"\nformats = ["Pdf"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["render", str(good), "-o", "b", "--jobs", "1"], capsys)
    assert code == 0, err
    manifest = json.loads((tmp_path / "b" / "good" / "manifest.json").read_text("utf-8"))
    assert manifest["fingerprint"]["options"]["print"]["theme"] == "high-contrast"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--page-size", "A5"], "--page-size must be one of letter, a4, not 'A5'"),
        (["--theme", "neon"], "--theme must be one of standard, cream, high-contrast, not 'neon'"),
        (
            ["--formats", "pdf,Video"],
            "--formats must be one or more of pdf, audio, daisy, epub, not 'Video'",
        ),
        (["--formats", ","], "--formats must be one or more of pdf, audio, daisy, epub, not ','"),
        (["--audio-format", "ogg"], "--audio-format must be one of mp3, wav, not 'ogg'"),
        (["--font-size", "12"], "--font-size must be between 16 and 32 pt, not 12"),
        (["--rate", "1000"], "--rate must be between 80 and 400 words a minute, not 1000"),
        (["--jobs", "0"], "--jobs must be 1 or more, not 0"),
        (["--audio-url", "ftp://x"], "--audio-url must be an http or https address, not 'ftp://x'"),
    ],
)
def test_a_bad_flag_is_one_line_naming_it_and_exits_2(
    tmp_path: Path,
    good: Path,
    flags: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(["render", str(good), "-o", str(out), *flags], capsys)
    assert (code, stdout, err) == (2, "", f"renderer: {message}\n")
    assert not out.exists()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('page_size = "A5"\n', "page_size = 'A5': must be paper: letter, a4"),
        ("page_size = 4\n", "page_size = 4: must be paper: letter, a4"),
        ('colour = "red"\n', "unknown key 'colour' (allowed: target_grade, cues, formats,"),
        ('rate = "slow"\n', "rate = 'slow': must be words a minute, 80 to 400"),
        ("rate = 150.5\n", "rate = 150.5: must be words a minute, 80 to 400"),
        ("jobs = true\n", "jobs = True: must be how many articles to render at once, 1 or more"),
        ('cues = ["a.toml", ""]\n', "cues = ['a.toml', '']: must be a section-cue file"),
        ('font = ""\n', "font = '': must be a TrueType font file"),
        ('formats = "pdf,video"\n', "formats = 'pdf,video': must be a list of outputs"),
    ],
)
def test_a_bad_setting_names_the_file_the_key_and_the_cause(
    tmp_path: Path, good: Path, toml: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "clinic.toml"
    config.write_text(toml, encoding="utf-8")
    code, out, err = run(["score", str(good), "--config", str(config)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"renderer: {config}: {message}") and err.count("\n") == 1


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
        == f"renderer: {cues}: unknown key 'risk.heading' (allowed: headings, sentences, paragraphs)"
    )


def test_unexpected_errors_are_one_line_unless_verbose(
    good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr("renderer.analysis.article.analyse", broken)
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


# What `renderer --help` must not load (about 0.5 s of imports between them): the PDF, reading
# PDFs back, MP3, readability, the parsers, the speech engine, validation and the pipeline.
SLOW_IMPORTS = (
    "reportlab",
    "pypdfium2",
    "lameenc",
    "textstat",
    "bs4",
    "markdown_it",
    "pyttsx3",
    "espeakng_loader",
    "pydantic",
    "rich",
    "ftfy",
    "mammoth",
    "renderer.pipeline",
    "renderer.batch",
    "renderer.outputs",
    "renderer.analysis",
)


def imported_by(*args: str) -> set[str]:
    """The modules a `python -m renderer ARGS` process imported (from -X importtime)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "renderer", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize("command", ["", "score", "render", "verify", "voices", "pronounce"])
def test_help_loads_nothing_slow(command: str) -> None:
    modules = imported_by(*command.split(), "--help")
    slow = sorted(m for m in modules if m.startswith(SLOW_IMPORTS))
    assert not slow, f"renderer {command} --help imported {slow[:10]}"
    assert "renderer.cli" in modules  # the measurement itself works


def test_score_loads_no_pdf_or_speech_code() -> None:
    modules = imported_by("score", "content/ketamine-therapy.md", "--json")
    pdf_or_speech = ("reportlab", "pypdfium2", "lameenc", "pyttsx3", "renderer.pipeline")
    assert not sorted(m for m in modules if m.startswith(pdf_or_speech))
    assert "textstat" in modules  # it did score
