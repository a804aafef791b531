"""Safety recognition on real articles nobody here wrote: ../shared/corpus, measured as bench/corpus.py does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import REPO

CORPUS = REPO.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(
    not (CORPUS / "labels.json").is_file(), reason="../shared/corpus is not beside the repository"
)
# bench/corpus.py, the one place that judges the corpus, loaded by its path: putting bench/ on
# sys.path would shadow the tests' own modules of the same name (engines).
_spec = importlib.util.spec_from_file_location("corpus", REPO / "bench" / "corpus.py")
assert _spec is not None and _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
sys.modules["corpus"] = corpus  # its dataclasses look their module up
_spec.loader.exec_module(corpus)


@pytest.fixture(scope="module")
def results() -> list[corpus.FileResult]:
    return corpus.measure(CORPUS)


def test_english_safety_passages_are_protected(results: list[corpus.FileResult]) -> None:
    found, total = corpus.totals(results, "language")["en"].protected
    assert total and found >= 0.95 * total, corpus.table(results)


def test_every_language_keeps_most_safety_passages(results: list[corpus.FileResult]) -> None:
    for language, tally in corpus.totals(results, "language").items():
        found, total = tally.protected
        assert found >= 0.9 * total, f"{language}: {found}/{total}\n{corpus.table(results)}"


def test_at_most_two_general_passages_are_boxed(results: list[corpus.FileResult]) -> None:
    boxed, _ = corpus.totals(results)["all"].general_boxed
    misses = [m for r in results for m in r.misses if m.startswith("boxed")]
    assert boxed <= 2, misses


def test_no_site_chrome_is_kept_and_every_title_is_right(
    results: list[corpus.FileResult],
) -> None:
    tally = corpus.totals(results)["all"]
    misses = [m for r in results for m in r.misses if m.startswith(("chrome", "title"))]
    assert tally.chrome_kept[0] == 0, misses
    assert tally.titles[0] == tally.titles[1], misses


def test_the_bench_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert corpus.main([str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert "protected found" in out and "NHS" in out and "pt" in out


def test_the_bench_refuses_a_folder_without_labels(tmp_path: Path) -> None:
    assert corpus.main([str(tmp_path)]) == 2
