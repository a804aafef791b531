"""renderer: large-print PDFs, spoken versions and readability reports for health articles."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from renderer.version import VERSION

if TYPE_CHECKING:  # what mypy and editors see
    from renderer.analysis.article import analyse
    from renderer.analysis.sections import CueSet, classify_article, load_cues
    from renderer.batch import render_all
    from renderer.config import LargePrintOptions, Options, SpeechOptions
    from renderer.errors import ConfigError, DependencyError, InputError, RendererError, UsageError
    from renderer.loaders import SUPPORTED_EXTENSIONS, find_inputs, load_article
    from renderer.model import (
        Article,
        Block,
        BlockKind,
        DroppedRegion,
        ListItem,
        ProtectedPassage,
        Readability,
        Section,
        SectionKind,
        article_to_json,
        protected_passages,
    )
    from renderer.pipeline import RenderResult, Toolkit, render_file
    from renderer.verify import VerifyReport, verify_tree

# The public names, imported when first used: `renderer --help` and `renderer score` must not pay
# for reportlab, the speech engine and the batch machinery they never touch.
_WHERE = {
    "CueSet": "renderer.analysis.sections",
    "classify_article": "renderer.analysis.sections",
    "load_cues": "renderer.analysis.sections",
    "render_all": "renderer.batch",
    "LargePrintOptions": "renderer.config",
    "Options": "renderer.config",
    "SpeechOptions": "renderer.config",
    "ConfigError": "renderer.errors",
    "DependencyError": "renderer.errors",
    "InputError": "renderer.errors",
    "RendererError": "renderer.errors",
    "UsageError": "renderer.errors",
    "SUPPORTED_EXTENSIONS": "renderer.loaders",
    "find_inputs": "renderer.loaders",
    "load_article": "renderer.loaders",
    "Article": "renderer.model",
    "Block": "renderer.model",
    "BlockKind": "renderer.model",
    "DroppedRegion": "renderer.model",
    "ListItem": "renderer.model",
    "ProtectedPassage": "renderer.model",
    "Readability": "renderer.model",
    "Section": "renderer.model",
    "SectionKind": "renderer.model",
    "article_to_json": "renderer.model",
    "protected_passages": "renderer.model",
    "RenderResult": "renderer.pipeline",
    "Toolkit": "renderer.pipeline",
    "analyse": "renderer.analysis.article",
    "render_file": "renderer.pipeline",
    "VerifyReport": "renderer.verify",
    "verify_tree": "renderer.verify",
}

__version__ = VERSION


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'renderer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "SUPPORTED_EXTENSIONS",
    "Article",
    "Block",
    "BlockKind",
    "ConfigError",
    "CueSet",
    "DependencyError",
    "DroppedRegion",
    "InputError",
    "LargePrintOptions",
    "ListItem",
    "Options",
    "ProtectedPassage",
    "Readability",
    "RenderResult",
    "RendererError",
    "Section",
    "SectionKind",
    "SpeechOptions",
    "Toolkit",
    "UsageError",
    "VerifyReport",
    "__version__",
    "analyse",
    "article_to_json",
    "classify_article",
    "find_inputs",
    "load_article",
    "load_cues",
    "protected_passages",
    "render_all",
    "render_file",
    "verify_tree",
]
