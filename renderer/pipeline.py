"""One article through the stages, top to bottom: load, classify and protect, score, render, prove."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renderer.analysis.readability import score_article
from renderer.analysis.sections import CueSet, classify_article, load_cues
from renderer.config import Options
from renderer.errors import VerificationError
from renderer.loaders import load_article
from renderer.model import Article, protected_passages
from renderer.outputs.files import atomic_write
from renderer.outputs.pdf import LABELS, build_pdf
from renderer.outputs.proof import body_text, missing_passages, pdf_pages


def analyse(path: Path, options: Options, cues: CueSet | None = None) -> Article:
    """The full analysis of one input file; pass `cues` to reuse them across a batch."""
    article = load_article(path)
    article = classify_article(article, cues if cues is not None else load_cues(options.cue_files))
    return score_article(article, options.target_grade)


@dataclass(frozen=True)
class RenderResult:
    source: Path
    slug: str
    article: Article
    pdf: Path
    pages: int
    warnings: tuple[str, ...]


def render_file(
    path: Path, options: Options, out_dir: Path, slug: str, cues: CueSet | None = None
) -> RenderResult:
    """Analyse one article and write its large-print PDF, but only once the PDF is proven to
    hold every protected passage whole and in order."""
    article = analyse(path, options, cues)
    pdf = build_pdf(article, options.print)
    text = body_text(pdf_pages(pdf.data), pdf.footer, LABELS.values())
    problems = missing_passages(protected_passages(article), text, pdf.printable)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise VerificationError(
            f"the PDF would not hold all protected text: {problems[0]}{more}", path
        )
    target = out_dir / slug / f"{slug}.pdf"
    atomic_write(target, pdf.data)
    return RenderResult(path, slug, article, target, pdf.pages, tuple(pdf.warnings))
