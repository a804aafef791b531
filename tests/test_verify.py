"""`renderer verify` from the files alone: a clean render passes, and each kind of tampering (a cut
file, a swapped file with its checksum updated, an edited transcript or manifest, a path out of
the folder, a general sentence lost or moved in any output) is caught with a message naming the
article and the file."""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

from conftest import CONTENT, FIXTURES
from renderer.config import Options, SpeechOptions
from renderer.errors import UsageError
from renderer.outputs.speech import Voice
from renderer.pipeline import Toolkit, render_file
from renderer.verify import Problem, verify_article, verify_tree

KETAMINE = "ketamine-therapy"
STRAY = "stray-disclaimer"


class StandInEngine:
    """Speaks every word in exactly 60/rate seconds of a constant sample: fast, and the same on
    every machine."""

    description = "stand-in"
    sample_rate = 8000

    def __init__(self) -> None:
        self.rate = 150

    def voices(self) -> list[Voice]:
        return [Voice("gmw/en", "English", ("en-gb",))]

    def configure(self, voice: str, rate: int) -> None:
        self.rate = rate

    def synthesise(self, text: str) -> bytes:
        return struct.pack("<h", 1000) * (len(text.split()) * self.sample_rate * 60 // self.rate)


def render_tree(folder: Path, options: Options) -> Path:
    kit = Toolkit.load(options, StandInEngine())
    render_file(FIXTURES / "stray-disclaimer.md", options, folder, STRAY, kit)
    render_file(CONTENT / "ketamine-therapy.md", options, folder, KETAMINE, kit)
    return folder


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_tree(tmp_path_factory.mktemp("rendered"), Options())


@pytest.fixture
def tree(rendered: Path, tmp_path: Path) -> Path:
    """A copy of the rendered tree, free to tamper with."""
    return Path(shutil.copytree(rendered, tmp_path / "output"))


def manifest(tree: Path, slug: str = KETAMINE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tree / slug / "manifest.json").read_text("utf-8"))
    return data


def save_manifest(tree: Path, data: dict[str, Any], slug: str = KETAMINE) -> None:
    (tree / slug / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def rewrite(tree: Path, name: str, data: bytes, *, update_manifest: bool) -> None:
    """Replace an output of the ketamine article, and with `update_manifest` its size and checksum
    in the manifest too, as someone covering their tracks would."""
    (tree / KETAMINE / name).write_bytes(data)
    if update_manifest:
        listed = manifest(tree)
        for entry in listed["outputs"].values():
            if entry["path"] == name:
                entry.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
        save_manifest(tree, listed)


def problems(tree: Path) -> list[str]:
    return [str(problem) for problem in verify_tree(tree).problems]


def assert_caught(found: list[str], *words: str) -> None:
    assert found, "the tampering was not caught"
    assert any(all(word in line for word in words) for line in found), found


def test_a_clean_tree_verifies(rendered: Path) -> None:
    report = verify_tree(rendered)
    assert report.problems == ()
    assert report.articles == 2
    assert report.checks > 10


def test_a_clean_article_verifies_on_its_own(rendered: Path) -> None:
    found, checks = verify_article(rendered / KETAMINE / "manifest.json")
    assert found == [] and checks > 5
    assert verify_tree(rendered / KETAMINE).articles == 1  # a folder holding a manifest.json


def test_a_truncated_pdf_is_caught(tree: Path) -> None:
    pdf = tree / KETAMINE / f"{KETAMINE}.pdf"
    data = pdf.read_bytes()
    pdf.write_bytes(data[: len(data) // 2])
    found = problems(tree)
    assert_caught(found, KETAMINE, f"{KETAMINE}.pdf", "checksum")
    assert all(line.startswith(f"{KETAMINE}: {KETAMINE}.pdf: ") for line in found), found
    assert len(found) >= 2, "the cut PDF is caught by its content too, not only its checksum"


def test_another_articles_pdf_with_its_checksum_updated_is_caught(tree: Path) -> None:
    other = (tree / STRAY / f"{STRAY}.pdf").read_bytes()
    rewrite(tree, f"{KETAMINE}.pdf", other, update_manifest=True)
    found = problems(tree)
    assert not any("checksum" in line for line in found)
    assert_caught(
        found, KETAMINE, f"{KETAMINE}.pdf", "section 4 (Side effects and risks)", "missing"
    )


def test_a_protected_sentence_cut_from_the_transcript_is_caught(tree: Path) -> None:
    name = f"{KETAMINE}.transcript.txt"
    text = (tree / KETAMINE / name).read_text("utf-8")
    sentence = "Long-term heavy use has been linked to bladder and memory problems. "
    assert sentence in text
    rewrite(tree, name, text.replace(sentence, "").encode("utf-8"), update_manifest=True)
    found = problems(tree)
    assert_caught(
        found, KETAMINE, name, "risk text of section 4 (Side effects and risks)", "missing"
    )
    assert not any("checksum" in line for line in found)


def test_a_cut_transcript_is_caught_by_checksum_and_content(tree: Path) -> None:
    name = f"{KETAMINE}.transcript.txt"
    text = (tree / KETAMINE / name).read_text("utf-8")
    rewrite(tree, name, text.replace("bladder and ", "").encode("utf-8"), update_manifest=False)
    found = problems(tree)
    assert_caught(found, KETAMINE, name, "checksum")
    assert_caught(found, KETAMINE, name, "section 4", "missing")


def test_a_transcript_with_only_whitespace_changed_fails_on_its_checksum_alone(tree: Path) -> None:
    name = f"{KETAMINE}.transcript.txt"
    text = (tree / KETAMINE / name).read_text("utf-8")
    respaced = "\n".join(line.replace(" ", "  ") + " " for line in text.split("\n"))
    rewrite(tree, name, respaced.encode("utf-8"), update_manifest=False)
    found = problems(tree)
    assert len(found) == 1, found
    assert_caught(found, KETAMINE, name, "checksum")


def test_a_truncated_mp3_is_caught(tree: Path) -> None:
    mp3 = tree / KETAMINE / f"{KETAMINE}.mp3"
    data = mp3.read_bytes()
    mp3.write_bytes(data[: len(data) // 2])
    found = problems(tree)
    assert_caught(found, KETAMINE, f"{KETAMINE}.mp3", "checksum")
    assert_caught(found, KETAMINE, f"{KETAMINE}.mp3", "s long, the manifest says")


def test_an_mp3_cut_to_its_tag_cannot_be_read(tree: Path) -> None:
    mp3 = tree / KETAMINE / f"{KETAMINE}.mp3"
    mp3.write_bytes(mp3.read_bytes()[:200])
    assert_caught(problems(tree), KETAMINE, f"{KETAMINE}.mp3", "cannot be read")


def test_a_missing_output_is_caught(tree: Path) -> None:
    (tree / STRAY / f"{STRAY}.transcript.txt").unlink()
    found = problems(tree)
    assert found == [f"{STRAY}: {STRAY}.transcript.txt: is missing"]


def test_an_output_left_out_of_the_manifest_is_caught(tree: Path) -> None:
    listed = manifest(tree)
    del listed["outputs"]["pdf"]
    save_manifest(tree, listed)
    assert problems(tree) == [f"{KETAMINE}: manifest.json: lists no pdf output"]


def test_a_manifest_that_is_not_json_is_caught(tree: Path) -> None:
    path = tree / KETAMINE / "manifest.json"
    path.write_text("{not json", "utf-8")
    found = verify_tree(tree).problems
    assert len(found) == 1
    assert found[0].article == str(path)
    assert "manifest cannot be read" in found[0].message


def test_a_manifest_without_its_outputs_is_caught(tree: Path) -> None:
    listed = manifest(tree)
    del listed["outputs"]["mp3"]["chapters"]
    save_manifest(tree, listed)
    (found,) = verify_tree(tree).problems
    assert "'chapters' is missing" in found.message


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "link.pdf"])
def test_an_output_path_out_of_the_article_folder_is_not_read(tree: Path, path: str) -> None:
    (tree / KETAMINE / "link.pdf").symlink_to(tree / STRAY / f"{STRAY}.pdf")
    listed = manifest(tree)
    listed["outputs"]["pdf"]["path"] = path
    save_manifest(tree, listed)
    found = problems(tree)
    assert found == [f"{KETAMINE}: {path}: is a link or lies outside the article folder: not read"]


def test_an_edited_protected_passage_in_the_manifest_is_caught(tree: Path) -> None:
    listed = manifest(tree)
    passage = listed["analysis"]["protected"][0]
    passage["text"] = passage["text"].replace("bladder and ", "")
    save_manifest(tree, listed)
    assert_caught(problems(tree), KETAMINE, "manifest.json", "section 4", "sha256")


def test_protected_units_that_leave_text_out_are_caught(tree: Path) -> None:
    listed = manifest(tree)
    passage = listed["analysis"]["protected"][0]
    passage["units"] = passage["units"][:1]  # the text and its checksum untouched
    save_manifest(tree, listed)
    found = problems(tree)
    assert found == [
        f"{KETAMINE}: manifest.json: the units of protected text of section 4 "
        "(Side effects and risks) are not its text"
    ]


def test_a_folder_without_manifests_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "absent"):
        with pytest.raises(UsageError, match=r"no manifest.json under .*: render first"):
            verify_tree(folder)


def test_a_wav_tree_verifies(tmp_path: Path) -> None:
    options = Options(speech=SpeechOptions(audio_format="wav"))
    tree = render_tree(tmp_path, options)
    assert (tree / KETAMINE / f"{KETAMINE}.wav").is_file()
    assert verify_tree(tree).problems == ()
    wav = tree / KETAMINE / f"{KETAMINE}.wav"
    wav.write_bytes(wav.read_bytes()[:1000])
    assert_caught(problems(tree), KETAMINE, f"{KETAMINE}.wav", "checksum")


def test_a_problem_reads_as_article_and_message() -> None:
    assert str(Problem("leaflet", "leaflet.pdf: is missing")) == "leaflet: leaflet.pdf: is missing"


# -- every sentence, not only the protected ones ---------------------------------------------------

GENERAL = "This affects a chemical messenger called glutamate."
SECTION_1 = "text of section 1 (What is ketamine therapy?) is missing or out of order"


def test_a_clean_render_records_the_complete_text_checks(rendered: Path) -> None:
    checks = manifest(rendered)["verification"]["checks"]
    for output in ("pdf", "transcript"):
        assert f"{output}: every sentence and heading of 10 sections whole and in order" in checks


def test_a_general_sentence_cut_from_the_transcript_is_caught(tree: Path) -> None:
    name = f"{KETAMINE}.transcript.txt"
    text = (tree / KETAMINE / name).read_text("utf-8")
    assert GENERAL in text
    rewrite(tree, name, text.replace(GENERAL, "").encode("utf-8"), update_manifest=True)
    assert problems(tree) == [f"{KETAMINE}: {name}: {SECTION_1}: {GENERAL!r}"]


def test_two_general_paragraphs_swapped_in_the_transcript_are_caught(tree: Path) -> None:
    name = f"{KETAMINE}.transcript.txt"
    text = (tree / KETAMINE / name).read_text("utf-8")
    first, second = [p for p in text.split("\n\n") if p.startswith("Ketamine")][:2]
    swapped = text.replace(first, "\0").replace(second, first).replace("\0", second)
    rewrite(tree, name, swapped.encode("utf-8"), update_manifest=True)
    assert_caught(problems(tree), KETAMINE, name, "section 1", "missing or out of order")


def test_a_pdf_that_lost_a_general_sentence_is_caught(tree: Path, tmp_path: Path) -> None:
    source = tmp_path / f"{KETAMINE}.md"
    text = (CONTENT / f"{KETAMINE}.md").read_text("utf-8")
    assert "This affects\na chemical" in text  # the sentence as the source wraps it
    source.write_text(text.replace("This affects\na chemical messenger called glutamate.", ""))
    options = Options(formats=("pdf",))
    render_file(source, options, tmp_path / "cut", KETAMINE, Toolkit.load(options))
    cut = (tmp_path / "cut" / KETAMINE / f"{KETAMINE}.pdf").read_bytes()
    rewrite(tree, f"{KETAMINE}.pdf", cut, update_manifest=True)
    found = problems(tree)
    assert f"{KETAMINE}: {KETAMINE}.pdf: {SECTION_1}: {GENERAL!r}" in found
    assert not any("protected" in line or "risk" in line for line in found)


def test_section_blocks_that_leave_text_out_are_caught(tree: Path) -> None:
    listed = manifest(tree)
    listed["analysis"]["sections"][1]["blocks"].pop()  # its text and the outputs untouched
    save_manifest(tree, listed)
    assert problems(tree) == [
        f"{KETAMINE}: manifest.json: the blocks of section 1 are not its text"
    ]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_tree(tmp_path_factory.mktemp("book"), Options(formats=("daisy",)))


CONTENT_HTML = "daisy/content.html"


def edit_book_text(book: Path, tmp_path: Path, old: str, new: str) -> Path:
    tree = Path(shutil.copytree(book, tmp_path / "book"))
    html = (tree / KETAMINE / CONTENT_HTML).read_text("utf-8")
    assert old in html
    rewrite(tree, CONTENT_HTML, html.replace(old, new).encode("utf-8"), update_manifest=True)
    return tree


def test_a_clean_book_verifies_every_sentence(book: Path) -> None:
    assert verify_tree(book).problems == ()
    checks = manifest(book)["verification"]["checks"]
    assert "daisy: every sentence and heading of 10 sections whole and in order" in (checks)


def test_a_general_sentence_emptied_in_the_book_text_is_caught(book: Path, tmp_path: Path) -> None:
    tree = edit_book_text(book, tmp_path, f">{GENERAL}</span>", "></span>")
    found = problems(tree)
    assert found == [f"{KETAMINE}: daisy/ncc.html: {SECTION_1}: {GENERAL!r}"]


def test_two_sentences_swapped_in_the_book_text_are_caught(book: Path, tmp_path: Path) -> None:
    first = "Ketamine blocks a part of brain cells called the NMDA receptor."
    swapped = f'>{GENERAL}</span> <span id="t0010">{first}</span>'
    tree = edit_book_text(
        book, tmp_path, f'>{first}</span> <span id="t0010">{GENERAL}</span>', swapped
    )
    assert_caught(problems(tree), KETAMINE, "daisy/ncc.html", "section 1", "out of order")
