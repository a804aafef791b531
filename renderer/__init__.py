"""renderer: large-print PDFs, spoken versions and readability reports for health articles."""

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
from renderer.pipeline import RenderResult, Toolkit, analyse, render_file
from renderer.verify import VerifyReport, verify_tree
from renderer.version import VERSION

__version__ = VERSION

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
