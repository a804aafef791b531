"""Input formats: each loader module turns one kind of file into an Article, chosen by file extension."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from renderer.errors import DependencyError, InputError
from renderer.loaders.encoding import decode_text
from renderer.loaders.language import detect_language
from renderer.loaders.repair import repair_article
from renderer.model import Article

# extension -> (module, the pip package that provides its parser)
_LOADERS: dict[str, tuple[str, str]] = {
    ".txt": ("renderer.loaders.text", ""),
    ".text": ("renderer.loaders.text", ""),
    ".md": ("renderer.loaders.markdown", "markdown-it-py"),
    ".markdown": ("renderer.loaders.markdown", "markdown-it-py"),
    ".html": ("renderer.loaders.html", "beautifulsoup4 lxml"),
    ".htm": ("renderer.loaders.html", "beautifulsoup4 lxml"),
}

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(_LOADERS)

Parse = Callable[[str, str, str], Article]


def readable_name(path: Path) -> str:
    """A title made from a file name: 'ketamine-therapy_guide.md' -> 'Ketamine therapy guide'."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    name = " ".join(words) or path.name
    return name[:1].upper() + name[1:]


def _parser_for(path: Path) -> Parse:
    suffix = path.suffix.lower()
    if suffix not in _LOADERS:
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise InputError(
            f"unsupported file type '{suffix or path.name}' (supported: {supported})", path
        )
    module_name, package = _LOADERS[suffix]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if (exc.name or "").startswith("renderer"):
            raise
        # a parser library is missing: say which one to install
        raise DependencyError(
            f"cannot read {suffix} files: {exc.name or exc} is missing "
            f"(install it with: pip install {package})",
            path,
        ) from exc
    parse: Parse = module.parse
    return parse


def import_parsers() -> None:
    """Import every parser whose library is installed: a process that forks workers does it
    once for all of them (Markdown and HTML take 0.2 s)."""
    for module_name, _ in sorted(set(_LOADERS.values())):
        with contextlib.suppress(ImportError):
            importlib.import_module(module_name)


def find_inputs(paths: Iterable[Path], notes: list[str] | None = None) -> list[Path]:
    """Files to read: files as given, folders walked for supported files. Hidden files and
    folders are skipped, and so is a folder seen before through a symbolic link (a loop);
    each skip is described in `notes` when given.

    A path that does not exist is passed through, so loading it reports it with the others.
    A file reached twice (named twice, or named and inside a folder given) is read once, where
    it is first reached.
    """
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(_walk(path, notes if notes is not None else []))
        if not inside:
            supported = ", ".join(SUPPORTED_EXTENSIONS)
            raise InputError(f"no supported files in this folder ({supported})", path)
        found.extend(inside)
    return unique_paths(found)


def unique_paths(paths: Iterable[Path]) -> list[Path]:
    """`paths` without a file seen before under another name (`a.md`, `./a.md`, a link)."""
    unique: dict[Path, Path] = {}
    for path in paths:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _walk(top: Path, notes: list[str]) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(top, followlinks=True):
        here = Path(folder)
        stat = here.stat()
        if (stat.st_dev, stat.st_ino) in seen:
            notes.append(f"{here}: skipped, a link back to a folder already read")
            dirs.clear()
            continue
        seen.add((stat.st_dev, stat.st_ino))
        for name in sorted(dirs):
            if name.startswith("."):
                notes.append(f"{here / name}: skipped, a hidden folder")
                dirs.remove(name)
        for name in files:
            path = here / name
            if path.suffix.lower() not in _LOADERS:
                continue
            if name.startswith("."):
                notes.append(f"{path}: skipped, a hidden file")
            elif path.is_file():
                yield path


def read_input(path: Path) -> bytes:
    """The bytes of one input file, or the one-line error that says why they cannot be read
    (an unsupported type first: that is the answer, whether or not the file exists)."""
    _parser_for(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None


def load_article(path: Path, data: bytes | None = None) -> Article:
    """Read one input file into an Article with unclassified sections; `data` is the file's
    bytes when the caller has read them already (and records what it read)."""
    parse = _parser_for(path)
    text = decode_text(read_input(path) if data is None else data, path)
    if not text.strip():
        raise InputError("no text (the file is empty or holds only white space)", path)
    article = repair_article(parse(text, str(path), readable_name(path)))
    if not any(section.blocks or section.heading for section in article.sections):
        raise InputError("no text (nothing readable was found in the file)", path)
    return article if article.language else _with_language(article)


def _with_language(article: Article) -> Article:
    """An article whose file did not name its language, with the language detected from its
    text, or English when the text is too short or the detector unsure; the JSON says which."""
    text = "\n".join(s.plain_text() for s in article.sections)
    found = detect_language(text)
    if found is None:
        return replace(article, language="en", language_source="default")
    language, confidence = found
    return replace(article, language=language, language_source=f"detected ({confidence:.2f})")
