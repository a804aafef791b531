"""Input formats: each loader module turns one kind of file into an Article, chosen by file extension.

A loader module has `parse(text, source, title)` when its files are text (decoded here, with
their encoding found), or `parse_bytes(data, source, title)` when they are not (a .docx is a zip).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from renderer.errors import DependencyError, InputError

if TYPE_CHECKING:
    from renderer.model import Article

# extension -> (module, the pip package that provides its parser)
_LOADERS: dict[str, tuple[str, str]] = {
    ".txt": ("renderer.loaders.text", ""),
    ".text": ("renderer.loaders.text", ""),
    ".md": ("renderer.loaders.markdown", "markdown-it-py"),
    ".markdown": ("renderer.loaders.markdown", "markdown-it-py"),
    ".html": ("renderer.loaders.html", "beautifulsoup4 lxml"),
    ".htm": ("renderer.loaders.html", "beautifulsoup4 lxml"),
    ".docx": ("renderer.loaders.docx", "mammoth"),
}

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(_LOADERS)

# Documents people try that no loader reads, and what to do instead. A PDF's text comes out
# with its line breaks, running heads and columns mixed in, so reading it would put words in
# the wrong order in a handout: the document it was made from is the better source.
SAVE_AS: dict[str, str] = {
    ".pdf": "copy its text into a .txt file, or save the document it was made from as .docx",
    ".doc": "open it in Word or LibreOffice and save it as .docx",
    ".dot": "open it in Word or LibreOffice and save it as .docx",
    ".docm": "save it as .docx (a copy without macros)",
    ".dotx": "save a document made from this template as .docx",
    ".odt": "save it as .docx or .txt with LibreOffice's File > Save As",
    ".rtf": "save it as .docx or .txt",
    ".pages": "export it as .docx with Pages' File > Export To > Word",
    ".wpd": "save it as .docx or .txt",
    ".xps": "save the document it was made from as .docx or .txt",
}


def readable_name(path: Path) -> str:
    """A title made from a file name: 'ketamine-therapy_guide.md' -> 'Ketamine therapy guide'."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    name = " ".join(words) or path.name
    return name[:1].upper() + name[1:]


def unsupported(path: Path) -> str:
    """Why `path` is not read, and what to do instead when we know."""
    suffix = path.suffix.lower()
    hint = SAVE_AS.get(suffix)
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    what = f"unsupported file type '{suffix or path.name}'"
    return (
        f"{what}: {hint} (supported: {supported})" if hint else f"{what} (supported: {supported})"
    )


def _loader_for(path: Path) -> ModuleType:
    suffix = path.suffix.lower()
    if suffix not in _LOADERS:
        raise InputError(unsupported(path), path)
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
    return module


def import_parsers() -> None:
    """Import every parser whose library is installed: a process that forks workers does it
    once for all of them (Markdown and HTML take 0.2 s)."""
    for module_name, _ in sorted(set(_LOADERS.values())):
        with contextlib.suppress(ImportError):
            importlib.import_module(module_name)


def find_inputs(paths: Iterable[Path], notes: list[str] | None = None) -> list[Path]:
    """Files to read: files as given, folders walked for supported files. Hidden files and
    folders are skipped, and so is a folder seen before through a symbolic link (a loop);
    each skip is described in `notes` when given, and so is a document of a kind we do not
    read (a .pdf beside the articles), with what to do instead. A folder with nothing to read
    is an error that names what it holds.

    A path that does not exist is passed through, so loading it reports it with the others.
    A file reached twice (named twice, or named and inside a folder given) is read once, where
    it is first reached.
    """
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        passed_over: list[Path] = []
        inside = sorted(_walk(path, notes if notes is not None else [], passed_over))
        if not inside:
            raise InputError(_nothing_to_read(path, passed_over), path)
        if notes is not None:
            notes.extend(
                f"{other}: skipped, {unsupported(other)}"
                for other in sorted(passed_over)
                if other.suffix.lower() in SAVE_AS
            )
        found.extend(inside)
    return unique_paths(found)


def _nothing_to_read(folder: Path, passed_over: list[Path]) -> str:
    """Why a folder gave no article: empty, or these files of kinds we do not read."""
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    if not passed_over:
        return f"no files to read in this folder (supported: {supported})"
    names = [p.relative_to(folder).as_posix() for p in sorted(passed_over)]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    suffixes = sorted({p.suffix.lower() for p in passed_over} & SAVE_AS.keys())
    advice = "; ".join(f"{suffix}: {SAVE_AS[suffix]}" for suffix in suffixes)
    return (
        f"no supported files in this folder, only {shown}"
        + (f" ({advice})" if advice else "")
        + f"; supported: {supported}"
    )


def unique_paths(paths: Iterable[Path]) -> list[Path]:
    """`paths` without a file seen before under another name (`a.md`, `./a.md`, a link)."""
    unique: dict[Path, Path] = {}
    for path in paths:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _walk(top: Path, notes: list[str], passed_over: list[Path]) -> Iterator[Path]:
    """The supported files under `top`; the visible files of other kinds go to `passed_over`."""
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
                if not name.startswith(".") and path.is_file():
                    passed_over.append(path)
                continue
            if name.startswith("."):
                notes.append(f"{path}: skipped, a hidden file")
            elif path.is_file():
                yield path


def read_input(path: Path) -> bytes:
    """The bytes of one input file, or the one-line error that says why they cannot be read:
    a path that is not there says so first, then a type we do not read says what to do."""
    if not path.exists():
        # a name without an extension is as likely a folder mistyped as a file
        raise InputError("no such file" if path.suffix else "no such file or folder", path)
    _loader_for(path)
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
    from renderer.loaders.repair import repair_article

    data = read_input(path) if data is None else data
    loader = _loader_for(path)
    if hasattr(loader, "parse_bytes"):
        article = loader.parse_bytes(data, str(path), readable_name(path))
    else:
        from renderer.loaders.encoding import decode_text

        text = decode_text(data, path)
        if not text.strip():
            raise InputError("no text (the file is empty or holds only white space)", path)
        article = loader.parse(text, str(path), readable_name(path))
    article = repair_article(article)
    if not any(section.blocks or section.heading for section in article.sections):
        raise InputError("no text (nothing readable was found in the file)", path)
    return article if article.language else _with_language(article)


def _with_language(article: Article) -> Article:
    """An article whose file did not name its language, with the language detected from its
    text, or English when the text is too short or the detector unsure; the JSON says which."""
    from renderer.loaders.language import detect_language

    text = "\n".join(s.plain_text() for s in article.sections)
    found = detect_language(text)
    if found is None:
        return replace(article, language="en", language_source="default")
    language, confidence = found
    return replace(article, language=language, language_source=f"detected ({confidence:.2f})")
