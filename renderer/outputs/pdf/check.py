"""The PDF's checker, shared by render (on the staged file) and `renderer verify` (on the file
alone): the handout read back as a reader's software reads it, from its text layer and, as a
screen reader reads it, through its tags."""

from __future__ import annotations

import ctypes
import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from renderer.manifest import PdfOutput
from renderer.outputs.pdf.text import body_text, page_text, shown_as, unprintable_chars
from renderer.outputs.proof import Expected, Findings

__all__ = ["TagProblem", "prove_pdf", "tagged_text", "unprintable_chars"]


class TagProblem(ValueError):
    """The file is not a tagged PDF that can be read through its structure."""


Marked = dict[tuple[int, int], str]  # text by (page, MCID): see _read_back


def _read_back(pdf: bytes | Path) -> tuple[list[str], Marked]:
    """The PDF read by pdfium in one pass: each page's text layer as a reader's software reads
    it (text.page_text), and the text of each page's marked-content sequences, by (page, MCID),
    in drawing order (text outside any, artifacts included, is under MCID -1)."""
    document = pdfium.PdfDocument(pdf)
    pages: list[str] = []
    found: dict[tuple[int, int], list[str]] = {}
    try:
        for index, page in enumerate(document):
            textpage = page.get_textpage()
            pages.append(page_text(textpage))
            for obj in page.get_objects(max_depth=1):
                if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
                size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
                buffer = (ctypes.c_ushort * (size // 2))()
                pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
                text = bytes(buffer)[: max(0, size - 2)].decode("utf-16-le", "replace")
                # pdfium reads a hyphen that ends a line as U+0002 (its guess that the hyphen
                # only breaks a word, as text.page_text says), and drops the space after it.
                text = text.replace("\x02", "-")
                found.setdefault((index, mcid), []).append(text)
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages, {key: "".join(parts) for key, parts in found.items()}


def _marked_text(pdf: bytes | Path) -> Marked:
    """The text of each page's marked-content sequences, by (page, MCID), in drawing order
    (text outside any, artifacts included, is under MCID -1)."""
    return _read_back(pdf)[1]


def _elements(
    tree: pikepdf.Object, pages: dict[tuple[int, int], int]
) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """Each structure element in reading order (depth first), with the (page, MCID) of the
    marked content it holds itself."""
    top = tree.get("/K")
    stack = list(reversed(list(top) if isinstance(top, pikepdf.Array) else [top]))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary):
            continue
        page = element.get("/Pg")
        marked: list[tuple[int, int]] = []
        children: list[pikepdf.Object] = []
        held = element.get("/K")
        for kid in list(held) if isinstance(held, pikepdf.Array) else [held]:
            if isinstance(kid, int) and page is not None:
                marked.append((pages[page.objgen], int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
                on = kid.get("/Pg", page)
                if on is not None:
                    marked.append((pages[on.objgen], int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != pikepdf.Name.OBJR:
                children.append(kid)
        yield str(element.get("/S", "")).lstrip("/"), marked
        stack.extend(reversed(children))


def tagged_text(pdf: bytes | Path, marked: Marked | None = None) -> list[tuple[str, str]]:
    """The text a screen reader reads: each structure element's tag and text, in the order of
    the structure tree (raises TagProblem when the file has no tags to read). `marked` is the
    file's marked-content text when it was read already (_read_back)."""
    source = pikepdf.open(pdf if isinstance(pdf, Path) else io.BytesIO(pdf))
    with source:
        root = source.Root
        marked_info = root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked")
        if not bool(marked_info):
            raise TagProblem("is not marked as a tagged PDF (no /MarkInfo /Marked true)")
        tree = root.get("/StructTreeRoot")
        if not isinstance(tree, pikepdf.Dictionary):
            raise TagProblem("has no structure tree (untagged: a screen reader finds no text)")
        pages = {page.obj.objgen: n for n, page in enumerate(source.pages)}
        elements = list(_elements(tree, pages))
    texts = _marked_text(pdf) if marked is None else marked
    return [(tag, "".join(texts.get(key, "") for key in keys)) for tag, keys in elements]


def prove_pdf(path: Path, entry: PdfOutput, expected: Expected) -> Findings:
    """The PDF read back as a reader's software reads it: its pages as the manifest says, and
    in its text layer (without the footer and "continued" labels) every protected passage, and
    every sentence and heading, whole and in order (characters no font could draw compared as
    the marker the PDF shows). Then the same through its tags, as a screen reader reads it:
    the file is tagged, and its structure holds all of that text in order, none of it left
    in artifacts or outside the tags."""
    found = Findings()
    try:
        pages, marked = _read_back(path)  # the text layer and the tags' text: one pdfium pass
    except pdfium.PdfiumError as exc:
        found.add([f"cannot be opened as a PDF: {exc}"])
        return found
    wrong = [f"{len(pages)} pages, the manifest says {entry.pages}"]
    found.add(wrong if len(pages) != entry.pages else [])
    text = body_text(pages, entry.footer, expected.wording)
    shown = shown_as(entry.unprintable)
    found.text_holds(expected, expected.text.printed, text, "pdf", shown)
    try:
        elements = tagged_text(path, marked)
    except (TagProblem, pikepdf.PdfError) as exc:
        found.add([f"tags: {exc}"])
        return found
    tags = Findings()
    read = "\n".join(text for _, text in elements)
    tags.text_holds(expected, expected.text.printed, read, "pdf tags", shown)
    found.checks += tags.checks
    found.problems += [f"read through the tags, {problem}" for problem in tags.problems]
    found.proved += tags.proved
    return found
