"""Scoring speed: the renderer's full analysis against textstat's formulas alone, on the same text.

Run: .venv/bin/python bench/score.py [FILE ...]   (default: content/ and ../shared/seeds/)
Prints milliseconds per 1,000 words for both and their ratio, from one run. bench/engines.py
calls `run` with the other benchmarks on the same text.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import textstat

from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.config import Options
from renderer.loaders import find_inputs, load_article

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 5


def best_of(rounds: int, work: Callable[..., object], *args: object) -> float:
    times = []
    for _ in range(rounds):
        _clear()  # textstat caches results per string; clearing keeps both sides honest
        start = time.perf_counter()
        work(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def raw_textstat(text: str) -> None:
    # The seven formulas the renderer reports, each on the whole text, as a script would call them.
    for formula in (
        textstat.flesch_reading_ease,
        textstat.flesch_kincaid_grade,
        textstat.smog_index,
        textstat.gunning_fog,
        textstat.coleman_liau_index,
        textstat.automated_readability_index,
        textstat.dale_chall_readability_score,
    ):
        formula(text)


def run(files: list[Path]) -> dict[str, float]:
    """Print a row per article and the median ratio; return milliseconds per 1,000 words over
    all the articles (ours and textstat's) and the median ratio."""
    options = Options()
    cues = load_cues()
    analyse(files[0], options, cues)  # load the syllable dictionary outside the timing
    print(f"{'article':40} {'words':>6} {'renderer':>10} {'textstat':>10} {'ratio':>6}")
    ratios = []
    total_words, total_ours, total_theirs = 0, 0.0, 0.0
    for path in files:
        article = load_article(path)
        text = "\n\n".join(s.plain_text() for s in article.sections)
        words = len(text.split())
        ours = best_of(ROUNDS, analyse, path, options, cues)
        theirs = best_of(ROUNDS, raw_textstat, text)
        per_k = 1000 / words * 1000
        ratios.append(ours / theirs)
        total_words, total_ours, total_theirs = (
            total_words + words,
            total_ours + ours,
            total_theirs + theirs,
        )
        print(
            f"{path.name[:40]:40} {words:6} {ours * per_k:8.1f}ms {theirs * per_k:8.1f}ms "
            f"{ours / theirs:5.2f}x"
        )
    median = statistics.median(ratios)
    print(f"median ratio (ms per 1,000 words, renderer / textstat): {median:.2f}x")
    return {
        "ms_per_1000_words": total_ours / total_words * 1e6,
        "textstat_ms_per_1000_words": total_theirs / total_words * 1e6,
        "median_ratio": median,
    }


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [REPO / "content", REPO.parent / "shared" / "seeds"]
    run(find_inputs(p for p in paths if p.exists()))
    return 0


def _clear() -> None:
    from textstat.backend import counts, metrics, selections

    for module in (counts, metrics, selections):
        for name in dir(module):
            cache_clear = getattr(getattr(module, name), "cache_clear", None)
            if callable(cache_clear):
                cache_clear()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
