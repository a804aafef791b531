"""PDF build speed: the renderer's handout against a bare reportlab build of the same text.

Run: .venv/bin/python bench/pdf.py [FILE ...]   (default: ../shared/seeds/ and content/)
Prints milliseconds per page for both, and the ratio (target: 2x or less), from one run; and
the tagged PDF/UA-1 build against the same handout untagged (target: 1.3x or less).
bench/engines.py calls `run` with the other benchmarks on the same text.
"""

from __future__ import annotations

import io
import statistics
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate
from timing import best

from renderer.analysis.article import analyse
from renderer.config import LargePrintOptions, Options
from renderer.loaders import find_inputs
from renderer.model import Article, protected_passages
from renderer.outputs.fonts import resolve_fonts
from renderer.outputs.pdf import build_pdf
from renderer.outputs.pdf.text import body_text, pdf_pages, shown_as, unprintable_chars
from renderer.outputs.proof import complete_text_problems, expected_text, missing_passages

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 5


def bare_build(article: Article) -> tuple[bytes, int]:
    """What a script would do with reportlab alone: same font and size, one Paragraph per text."""
    fonts = resolve_fonts()
    style = ParagraphStyle("b", fontName=fonts.primary.regular.name, fontSize=18, leading=27)
    story = [Paragraph(escape(article.title), style)]
    for section in article.sections:
        if section.heading:
            story.append(Paragraph(escape(section.heading), style))
        story += [Paragraph(escape(unit), style) for b in section.blocks for unit in b.units()]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER)
    doc.build(story)
    return buffer.getvalue(), doc.page


def prove(article: Article, options: LargePrintOptions) -> None:
    """Build and prove as pipeline._pdf does: protected passages, then every sentence."""
    pdf = build_pdf(article, options)
    text = body_text(pdf_pages(pdf.data), pdf.footer)
    expected = expected_text(article)
    shown = shown_as(unprintable_chars(expected.printed, pdf.printable))
    assert not missing_passages(protected_passages(article), text, shown)
    assert not complete_text_problems(expected.printed, text, shown)


def run(files: list[Path]) -> dict[str, float]:
    """Print a row per article and the medians; return milliseconds per page (bare and ours,
    over all the articles) and the median ratios without and with the read-back proof."""
    options = LargePrintOptions()
    print(
        f"{'article':34} {'pages':>5} {'bare':>9} {'handout':>9} {'+proof':>9} {'ratio':>6} {'+proof':>7}"
        f" {'untagged':>9} {'tagged/untagged':>15}"
    )
    ratios, proof_ratios, tag_ratios = [], [], []
    pages_total, bare_pages_total, bare_total, ours_total = 0, 0, 0.0, 0.0
    for path in files:
        article = analyse(path, Options())
        bare, (_, bare_pages) = best(ROUNDS, bare_build, article)
        ours, result = best(ROUNDS, build_pdf, article, options)
        untagged, _ = best(ROUNDS, build_pdf, article, options, False)
        proven, _ = best(ROUNDS, prove, article, options)
        pages = result.pages
        ratio = (ours / pages) / (bare / bare_pages)
        proof_ratio = (proven / pages) / (bare / bare_pages)
        ratios.append(ratio)
        proof_ratios.append(proof_ratio)
        tag_ratios.append(ours / untagged)
        pages_total += pages
        bare_pages_total += bare_pages
        bare_total += bare
        ours_total += ours
        print(
            f"{path.name[:34]:34} {pages:5} {bare / bare_pages * 1000:7.1f}ms {ours / pages * 1000:7.1f}ms "
            f"{proven / pages * 1000:7.1f}ms {ratio:5.2f}x {proof_ratio:6.2f}x"
            f" {untagged / pages * 1000:7.1f}ms {ours / untagged:14.2f}x"
        )
    found = {
        "bare_ms_per_page": bare_total / bare_pages_total * 1000,
        "ms_per_page": ours_total / pages_total * 1000,
        "median_ratio": statistics.median(ratios),
        "median_proof_ratio": statistics.median(proof_ratios),
        "median_tagged_ratio": statistics.median(tag_ratios),
    }
    print(
        f"median time per page, handout / bare reportlab: {found['median_ratio']:.2f}x "
        f"(with the read-back proof: {found['median_proof_ratio']:.2f}x; target 2x)"
    )
    print(
        f"median build time, tagged PDF/UA-1 / the same handout untagged: "
        f"{found['median_tagged_ratio']:.2f}x (target 1.3x)"
    )
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [REPO.parent / "shared" / "seeds", REPO / "content"]
    run(find_inputs(p for p in paths if p.exists()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
