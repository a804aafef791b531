"""The tagged PDF's structure written into the file reportlab saved: the structure tree with its
parent tree, each page's /StructParents and tab order, the link annotations' places in the
tree, /MarkInfo, and XMP metadata with the title and the PDF/UA identifier (pikepdf: reportlab
cannot write /StructParents or its own XMP)."""

from __future__ import annotations

import html
import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

from renderer.outputs.pdf.tags import Marked, Node, TaggingError

# XML 1.0 has no place for these control characters: a title that holds one (from a broken
# source) still gets a metadata packet that parses.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# reportlab's first subset of a TrueType font keeps codes 0-31 unused and maps them to U+0000
# in its ToUnicode CMap; PDF/UA-1 allows no mapping to U+0000, U+FEFF or U+FFFE.
_NULL_MAPPING = re.compile(rb"^<[0-9A-Fa-f]+> <(?:0000|FEFF|FFFE|feff|fffe)>\r?\n", re.MULTILINE)
_BFCHAR = re.compile(rb"\d+ beginbfchar\r?\n(.*?)endbfchar", re.DOTALL)


def xmp_packet(title: str, language: str, author: str, subject: str, creator: str) -> bytes:
    """The XMP metadata a PDF/UA-1 file needs: dc:title and pdfuaid:part, with the document
    information dictionary's other entries (and no clock time, so builds repeat exactly)."""

    def text(value: str) -> str:
        # html.escape without quotes is xml.sax.saxutils.escape, which would import urllib's
        # HTTP client (0.03 s) for three replacements.
        return html.escape(_NOT_XML.sub("", value), quote=False)

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f"<dc:creator><rdf:Seq><rdf:li>{text(author)}</rdf:li></rdf:Seq></dc:creator>\n"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(subject)}</rdf:li></rdf:Alt></dc:description>\n'
        f"<dc:language><rdf:Bag><rdf:li>{text(language)}</rdf:li></rdf:Bag></dc:language>\n"
        f"<xmp:CreatorTool>{text(creator)}</xmp:CreatorTool>\n"
        "<pdfuaid:part>1</pdfuaid:part>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every font of the pages and of the forms they draw (the footer's page total)."""
    found: dict[tuple[int, int], pikepdf.Object] = {}
    resources = [page.obj.get("/Resources") for page in pdf.pages]
    while resources:
        held = resources.pop()
        if not isinstance(held, pikepdf.Dictionary):
            continue
        for font in held.get("/Font", pikepdf.Dictionary()).values():
            found.setdefault(font.objgen, font)
        for xobject in held.get("/XObject", pikepdf.Dictionary()).values():
            resources.append(xobject.get("/Resources"))
    return list(found.values())


def _drop_null_mappings(font: pikepdf.Object) -> None:
    cmap = font.get("/ToUnicode")
    if not isinstance(cmap, pikepdf.Stream):
        return
    data = cmap.read_bytes()
    if not _NULL_MAPPING.search(data):
        return

    def recount(block: re.Match[bytes]) -> bytes:
        entries = _NULL_MAPPING.sub(b"", block.group(1))
        count = len(entries.splitlines())
        return b"%d beginbfchar\n%sendbfchar" % (count, entries) if count else b""

    cmap.write(_BFCHAR.sub(recount, data))


def write_structure(data: bytes, root: Node, xmp: bytes) -> bytes:
    """`data` (reportlab's PDF, drawn on a TaggingCanvas whose nodes hang from `root`) with its
    structure tree, parent tree, /MarkInfo and XMP."""
    pdf = pikepdf.open(io.BytesIO(data))
    pages = [page.obj for page in pdf.pages]
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    marked_on: list[dict[int, pikepdf.Object]] = [{} for _ in pages]
    links: list[pikepdf.Object] = []

    def element(node: Node, parent: pikepdf.Object) -> pikepdf.Object:
        made = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.tag), P=parent))
        kids = Array()
        first_page: pikepdf.Object | None = None
        for child in node.children:
            if isinstance(child, Marked):
                page = pages[child.page]
                first_page = first_page if first_page is not None else page
                kids.append(Dictionary(Type=Name.MCR, Pg=page, MCID=child.mcid))
                marked_on[child.page][child.mcid] = made
            else:
                kids.append(element(child, made))
        for link in node.links:
            kids.append(link_element(link.page, link.index, link.url, made))
        made.K = kids
        if first_page is not None:
            made.Pg = first_page
        if node.title:
            made.T = pikepdf.String(node.title)
        if node.alt:
            made.Alt = pikepdf.String(node.alt)
        if node.scope:
            made.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
        return made

    def link_element(page: int, index: int, url: str, parent: pikepdf.Object) -> pikepdf.Object:
        annotations = [
            a for a in pdf.pages[page].obj.get("/Annots", Array()) if a.get("/Subtype") == Name.Link
        ]
        if index >= len(annotations):
            raise TaggingError(f"link annotation {index} of page {page + 1} ({url}) is missing")
        annotation = annotations[index]
        made = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=parent))
        made.K = Array([Dictionary(Type=Name.OBJR, Obj=annotation, Pg=pages[page])])
        made.Pg = pages[page]
        annotation.StructParent = len(pages) + len(links)
        links.append(made)
        return made

    for font in _fonts(pdf):
        _drop_null_mappings(font)
    document = element(root, tree)
    tree.K = Array([document])
    numbers = Array()
    for index, (page, marked) in enumerate(zip(pages, marked_on, strict=True)):
        if sorted(marked) != list(range(len(marked))):
            raise TaggingError(f"page {index + 1}: marked content {sorted(marked)} has gaps")
        page.StructParents = index
        page.Tabs = Name.S  # annotations in the order of the structure (PDF/UA 7.18.3)
        numbers.append(index)
        numbers.append(Array([marked[mcid] for mcid in range(len(marked))]))
    for n, link in enumerate(links):
        numbers.append(len(pages) + n)
        numbers.append(link)
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=numbers))
    tree.ParentTreeNextKey = len(pages) + len(links)
    pdf.Root.StructTreeRoot = tree
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    metadata = pdf.make_stream(xmp)
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    pdf.Root.Metadata = metadata
    out = io.BytesIO()
    # The same input gives the same bytes: the file identifier is made from the content.
    # fix_metadata_version would parse the XMP just written (a tenth of the build's time).
    pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()
