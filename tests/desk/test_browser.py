"""The desk end to end in a real browser: Debian's chromium driven by Playwright (no browser is
downloaded) against the desk served by waitress on a loopback port, with axe-core (npm) run
inside each page. A person's path: upload a handout, see its sections and boxes, pin a passage,
render, play the audio, download the PDF and find its protected text, open the report.

Set RENDERER_DESK_SHOTS to a folder to keep screenshots of each page, at normal size and with
the page zoomed to 200%."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from deskhelp import desk_settings

from conftest import CONTENT
from renderer.desk.server import address, running
from renderer.labels import wording_for
from renderer.manifest import Manifest
from renderer.model import comparable_text, protected_passages

pytestmark = pytest.mark.slow

ARTICLE = CONTENT / "ketamine-therapy.md"
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in CI
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# Where `.ci/run` installs axe-core (`npm install -g`), and where else npm may have put it.
AXE_PLACES = (
    "/usr/local/lib/node_modules/axe-core/axe.min.js",
    "/usr/lib/node_modules/axe-core/axe.min.js",
)


def unavailable(what: str) -> None:
    """A browser test that cannot run says why: a skip here, a failure in CI (where .ci/run
    installs what it needs), never a pass."""
    message = f"{what}: the desk's browser tests cannot run"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium() -> str:
    found = os.environ.get("RENDERER_CHROMIUM") or shutil.which("chromium")
    if not found:
        unavailable("Debian's chromium is not installed (apt-get install chromium)")
    assert found is not None
    return found


def axe_source() -> str:
    places = [os.environ.get("AXE_CORE_JS", ""), *AXE_PLACES]
    for place in places:
        if place and Path(place).is_file():
            return Path(place).read_text(encoding="utf-8")
    unavailable("axe-core is not installed (npm install -g axe-core) and AXE_CORE_JS is not set")
    return ""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Instead of tests/conftest.py's: this test talks to its own server on the loopback
    address, and to nothing else."""
    original_connect = socket.socket.connect
    original_getaddrinfo = socket.getaddrinfo

    def loopback(host: Any) -> bool:
        return host in ("127.0.0.1", "::1", None, "")

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not loopback(address[0]):
            raise RuntimeError(f"a test tried to reach {address}")
        return original_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not loopback(host):
            raise RuntimeError(f"a test tried to look up {host}")
        return original_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The desk listening on a free loopback port, serving in a thread; its address and Desk."""
    settings = desk_settings(tmp_path / "desk", port=0, jobs=2)
    with running(settings) as (server, desk):
        thread = threading.Thread(target=server.run, name="desk-server", daemon=True)
        thread.start()
        try:
            yield address(settings, server.effective_port), desk
        finally:
            server.close()
            thread.join(10)


def check_axe(page: Any, source: str, what: str) -> None:
    """axe-core's rules (all but the experimental ones) run inside the page: none may fail."""
    page.evaluate(source)
    violations = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    assert violations == [], f"axe-core on {what}: " + json.dumps(violations, indent=1)


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("RENDERER_DESK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def reflows(page: Any) -> bool:
    """WCAG 1.4.10: nothing wider than the window, so no scrolling sideways to read a line."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def pdf_text(path: Path, footer_words: list[str]) -> str:
    """The PDF's text as the protected-content guarantee compares it, without the words the
    renderer adds at page ends and breaks (footer, page numbers, continued labels)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        pages = [document[n].get_textpage().get_text_range() for n in range(len(document))]
    finally:
        document.close()
    text = comparable_text("\n".join(pages))
    for words in sorted(footer_words, key=len, reverse=True):
        text = text.replace(comparable_text(words), " ")
    text = re.sub(r"Page \d+ of \d+", " ", text)
    return " ".join(text.split())


def test_a_person_uploads_checks_pins_renders_plays_prints_and_reads_the_report(
    served: tuple[str, Any], tmp_path: Path
) -> None:
    browser_path = chromium()
    source = axe_source()
    sync_api = pytest.importorskip("playwright.sync_api")
    url, desk = served
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, accept_downloads=True
            )
            page = context.new_page()
            page.goto(url)
            check_axe(page, source, "the upload page")
            shoot(page, "desk-upload")
            page.keyboard.press("Tab")  # the first stop is the skip link, and it shows
            assert page.evaluate("document.activeElement.textContent") == "Skip to the main content"
            assert page.locator(".skip").is_visible()

            page.set_input_files(
                "#files",
                [
                    {
                        "name": ARTICLE.name,
                        "mimeType": "text/markdown",
                        "buffer": ARTICLE.read_bytes(),
                    },
                    {
                        "name": "old leaflet.pdf",
                        "mimeType": "application/pdf",
                        "buffer": b"%PDF-1.7",
                    },
                ],
            )
            page.get_by_role("button", name="Check the handouts").click()
            page.wait_for_url(re.compile(r"/job/[\w-]+$"))
            assert page.get_by_text("old leaflet.pdf: unsupported file type '.pdf'").is_visible()
            assert page.locator(".box .box-label").first.is_visible()
            check_axe(page, source, "the check page")
            shoot(page, "desk-check")

            # Box the first paragraph not boxed yet, from the keyboard.
            page.get_by_role(
                "button", name=re.compile("^Box this paragraph as safety text")
            ).first.focus()
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert re.search(r"#a-ketamine-therapy-s\d+$", page.url)  # back where it was
            assert page.get_by_text("Pins for this handout").is_visible()
            assert page.locator("ul.pins li").count() == 1

            page.get_by_role("button", name=re.compile(r"^Render 1 handout")).click()
            page.wait_for_url(re.compile(r"/result$"))
            # The page follows the render by itself, then shows what was made.
            page.get_by_role("link", name="Open the report").wait_for(timeout=180_000)
            check_axe(page, source, "the results page")
            shoot(page, "desk-results")

            player = page.locator("audio").first
            duration = player.evaluate(
                """a => new Promise(done => a.readyState >= 1 ? done(a.duration)
                    : a.addEventListener("loadedmetadata", () => done(a.duration)))"""
            )
            manifest = Manifest.read(
                next(desk.workspace.root.glob("jobs/*/results/*/*/manifest.json"))
            )
            assert manifest.audio is not None
            assert duration == pytest.approx(manifest.audio.seconds, abs=1.0)
            chapters = page.locator("ol.chapters a")
            assert chapters.count() == len(manifest.audio.chapters)
            chapters.nth(2).click()
            assert player.evaluate("a => a.currentTime") == pytest.approx(
                sorted(c.start for c in manifest.audio.chapters)[2], abs=0.5
            )
            player.evaluate("a => a.pause()")

            with page.expect_download() as download:
                page.get_by_role("link", name="Download the PDF").click()
            pdf = tmp_path / "downloaded.pdf"
            download.value.save_as(pdf)
            article = manifest.article
            wording = wording_for(article.language)
            assert manifest.pdf is not None
            text = pdf_text(pdf, [manifest.pdf.footer, *wording.continued_labels()])
            passages = protected_passages(article)
            assert passages and any(o.action == "protect" for o in article.overrides)
            for passage in passages:
                for unit in passage.units:
                    assert comparable_text(unit) in text, unit

            with page.expect_navigation():
                page.get_by_role("link", name="Open the report").click()
            assert page.title().startswith("Readability report")
            check_axe(page, source, "report.html")
            shoot(page, "report")

            # At 200% zoom (half the room, twice the pixels) every page still reads without
            # scrolling sideways.
            zoomed = browser.new_context(
                viewport={"width": 640, "height": 450}, device_scale_factor=2
            ).new_page()
            zoomed.goto(url)
            assert reflows(zoomed)
            shoot(zoomed, "desk-upload-200")
            zoomed.set_input_files("#files", str(ARTICLE))
            zoomed.get_by_role("button", name="Check the handouts").click()
            zoomed.wait_for_url(re.compile(r"/job/[\w-]+$"))
            assert reflows(zoomed)
            shoot(zoomed, "desk-check-200")
        finally:
            browser.close()
