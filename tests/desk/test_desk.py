"""The desk through its pages, as a browser session sees them: upload, check, pin, render, open
what was made; and what it refuses: files it cannot read, other sessions, other sites, other
host names, forms without the page's token, anyone without the password off this computer."""

from __future__ import annotations

import html
import io
import os
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomllib
from deskhelp import BASE, Browser, desk_settings, job_of
from flask import Flask

from conftest import CONTENT, run_cli
from renderer.analysis.article import analyse
from renderer.config import Options
from renderer.desk import app as desk_app
from renderer.desk.app import Desk, create_app
from renderer.desk.security import PAGE_POLICY, REPORT_POLICY
from renderer.desk.settings import DeskSettings
from renderer.desk.workspace import Workspace
from renderer.errors import UsageError
from renderer.loaders import unsupported
from renderer.manifest import Manifest

ARTICLE = CONTENT / "ketamine-therapy.md"


@pytest.fixture
def make_desk(tmp_path: Path) -> Iterator[Any]:
    """Desks over a temporary folder, closed (their folders removed) after the test."""
    made: list[Desk] = []

    def make(**changes: Any) -> Desk:
        desk = Desk(desk_settings(tmp_path / "desk", **changes))
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.close()


@pytest.fixture
def desk(make_desk: Any) -> Desk:
    made: Desk = make_desk()
    return made


@pytest.fixture
def app(desk: Desk) -> Flask:
    return create_app(desk)


@pytest.fixture
def browser(app: Flask) -> Browser:
    return Browser(app)


def upload_article(browser: Browser, *names: str) -> str:
    files = [(name, (CONTENT / name).read_bytes()) for name in names or (ARTICLE.name,)]
    response = browser.upload(*files)
    assert response.status_code == 303
    return job_of(response)


def render(browser: Browser, job: str, *formats: str, **fields: str) -> dict[str, Any]:
    response = browser.post(f"/job/{job}/render", {"formats": list(formats), **fields})
    assert response.status_code == 303, response.get_data(as_text=True)
    return browser.wait(job)


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_upload_check_render_and_open_the_pdf_and_the_report(browser: Browser, desk: Desk) -> None:
    job = upload_article(browser)
    page = browser.get(f"/job/{job}").get_data(as_text=True)
    article = analyse(ARTICLE, Options())
    assert f'<h2 id="a-ketamine-therapy">{article.title}</h2>' in page
    for section in article.sections:
        if section.heading:
            assert f">{section.heading}</h4>" in page.replace("&#39;", "'")
    boxes = sum(s.protected for s in article.sections if s.blocks)
    assert (
        page.count('<p class="box-label">Important safety information</p>')
        + page.count('<p class="box-label">Disclaimer</p>')
        >= boxes
    )

    status = render(browser, job, "pdf")
    assert status["done"] and [i["status"] for i in status["items"]] == ["rendered"]
    results = browser.get(f"/job/{job}/result").get_data(as_text=True)
    (pdf,) = set(re.findall(r'href="(/job/[^"]+\.pdf)"', results))
    response = browser.get(pdf)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("inline")
    download = browser.get(pdf + "?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment")

    report = browser.get(f"/job/{job}/files/report.html")
    assert report.headers["Content-Security-Policy"] == REPORT_POLICY
    shown = report.get_data(as_text=True)
    assert "What to rewrite first" in shown and "<dd>ketamine-therapy.md</dd>" in shown
    # The report's links work from where the desk serves it.
    for link in re.findall(r'href="\./([^"]+)"', shown):
        assert browser.get(f"/job/{job}/files/{link}").status_code == 200, link
    # Staff never see the private folder's paths.
    for page_text in (page, results, shown):
        assert str(desk.workspace.root) not in page_text


def test_a_type_the_renderer_does_not_read_gets_the_command_lines_words(
    browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    response = browser.upload(("leaflet.pdf", b"%PDF-1.7 a leaflet"), ("notes.odt", b"PK\x03\x04"))
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    for name in ("leaflet.pdf", "notes.odt"):
        line = f"{name}: {unsupported(Path(name))}"
        assert line in text_of(page)
        # The same words as `renderer render` prints for that file.
        (tmp_path / name).write_bytes(b"x")
        code, _, err = run_cli(
            ["render", str(tmp_path / name), "-o", str(tmp_path / "out")], capsys
        )
        assert code == 1 and f"renderer: {tmp_path / name}: {unsupported(Path(name))}" in err


def test_a_file_taken_but_unreadable_gets_the_loaders_line_naming_it_as_uploaded(
    browser: Browser, desk: Desk
) -> None:
    job = job_of(browser.upload(("Empty handout.txt", b"  \n\n ")))
    page = text_of(browser.get(f"/job/{job}").get_data(as_text=True))
    assert "Empty handout.txt: no text (the file is empty or holds only white space)" in page
    assert str(desk.workspace.root) not in page
    status = render(browser, job, "pdf")
    assert status["items"][0]["status"] == "failed"
    assert status["items"][0]["error"].startswith("Empty handout.txt: no text")


def test_a_file_that_is_not_what_its_name_says_is_refused(browser: Browser) -> None:
    response = browser.upload(
        ("notes.txt", b"%PDF-1.7 binary"), ("photo.md", b"\x89PNG\r\n\x1a\nxx")
    )
    page = text_of(browser.get(response.headers["Location"]).get_data(as_text=True))
    assert "notes.txt: this is a PDF, not .txt text: copy its text into a .txt file" in page
    assert "photo.md: this is a PNG picture, not .md text" in page


def test_uploads_are_size_limited(make_desk: Any) -> None:
    small = Browser(create_app(make_desk(max_file_bytes=1000)))
    response = small.upload(("big.txt", b"word " * 400), ("fine.txt", b"A short leaflet.\n"))
    page = text_of(small.get(response.headers["Location"]).get_data(as_text=True))
    assert "big.txt: too large to take (0.0 MB; a handout may be up to" in page
    assert "fine.txt" in page
    tiny = Browser(create_app(make_desk(max_request_bytes=5000)))
    too_big = tiny.upload(("big.txt", b"word " * 4000))
    assert too_big.status_code == 413
    assert "The files are too large to take" in too_big.get_data(as_text=True)


def test_an_uploads_name_is_shown_never_used_as_a_path(browser: Browser, desk: Desk) -> None:
    leaflet = b"# Leaflet\n\nDrink water.\n"
    response = browser.upload(
        ("../../outside/../passwd.md", leaflet), ("/home/nurse/My leaflet.md", leaflet)
    )
    job = job_of(response)
    page = browser.get(f"/job/{job}").get_data(as_text=True)
    assert "passwd.md" in page and "My leaflet.md" in page and "nurse" not in page
    stored = sorted(p.name for p in (desk.workspace.root / "jobs" / job / "in").iterdir())
    assert stored == ["my-leaflet.md", "passwd.md"]
    assert not (desk.workspace.root.parent / "outside").exists()


def test_pasted_text_is_a_handout(browser: Browser) -> None:
    text = (
        "Drink plenty of water after the test.\n\nSide effects\n\nYou may feel dizzy for an hour."
    )
    job = job_of(browser.upload(text=text, title="After your blood test"))
    page = browser.get(f"/job/{job}").get_data(as_text=True)
    assert '<h2 id="a-after-your-blood-test">After your blood test</h2>' in page
    assert "Pasted text: After your blood test" in page


def test_a_pin_boxes_a_passage_for_the_check_page_the_render_and_the_pin_file(
    browser: Browser,
) -> None:
    job = upload_article(browser)
    article = analyse(ARTICLE, Options())
    section = next(s for s in article.sections if not s.protected and s.blocks and s.heading)
    block = next(n for n, b in enumerate(section.blocks) if not b.protected)
    text = section.blocks[block].plain_text()
    before = browser.get(f"/job/{job}").get_data(as_text=True)
    assert "Pins for this handout" in before and "None: the renderer" in before
    response = browser.post(
        f"/job/{job}/pin",
        {
            "article": "ketamine-therapy",
            "section": section.index,
            "block": block,
            "action": "protect",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#a-ketamine-therapy-s{section.index}")
    page = browser.get(f"/job/{job}").get_data(as_text=True)
    boxed = page[page.index(f'id="a-ketamine-therapy-s{section.index}"') :]
    boxed = boxed[: boxed.index('<div class="section"')]
    assert '<div class="box"><p class="box-label">Important safety information</p>' in boxed
    assert "Unbox this paragraph" in boxed
    pins = browser.get(f"/job/{job}/pins/ketamine-therapy")
    assert pins.headers["Content-Disposition"].endswith("ketamine-therapy.pins.toml")
    assert tomllib.loads(pins.get_data(as_text=True))["protect"] == [
        {"text": " ".join(text.split()), "kind": "risk"}
    ]
    render(browser, job, "pdf")
    manifest = Manifest.read(next(browser_results(browser, job)))
    assert [o.action for o in manifest.article.overrides] == ["protect"]
    # Removing the pin gives the renderer's own judgement back.
    browser.post(f"/job/{job}/unpin", {"article": "ketamine-therapy", "pin": 0})
    assert browser.get(f"/job/{job}/pins/ketamine-therapy").status_code == 404
    assert "None: the renderer" in browser.get(f"/job/{job}").get_data(as_text=True)


def browser_results(browser: Browser, job: str) -> Any:
    app = browser.client.application
    desk: Desk = app.config["DESK"]
    yield from desk.workspace.root.glob(f"jobs/{job}/results/*/*/manifest.json")


def test_a_section_unboxed_from_the_page_lists_its_sentences_to_check(
    browser: Browser,
) -> None:
    text = (
        "# Bee stings\n\n## After a sting\n\nScrape the sting out sideways. Wash the skin "
        "with cool water.\n\n## Swelling of the face\n\nIf your tongue or face swells after "
        "a sting, call 911 at once.\n"
    )
    job = job_of(browser.upload(("stings.md", text.encode())))
    article = analyse_upload(browser, job)
    swelling = next(s for s in article.sections if s.heading == "Swelling of the face")
    assert swelling.protected
    browser.post(
        f"/job/{job}/pin",
        {"article": "stings", "section": swelling.index, "action": "unprotect"},
    )
    page = browser.get(f"/job/{job}").get_data(as_text=True)
    assert "Box the passage that holds this sentence" in page  # now listed to check
    assert "call 911 at once" in text_of(page)
    # The pin file applies unprotect pins last: boxing a passage inside the section just
    # unboxed would do nothing, so the page says so instead and keeps no such pin.
    refused = browser.post(
        f"/job/{job}/pin",
        {"article": "stings", "section": swelling.index, "check": 0, "action": "protect"},
    )
    assert refused.status_code == 400
    assert "That passage is in a section you unboxed" in text_of(refused.get_data(as_text=True))
    # Removing the section's pin boxes the section again, by the renderer's own judgement.
    browser.post(f"/job/{job}/unpin", {"article": "stings", "pin": 0})
    assert analyse_upload(browser, job).sections[swelling.index].protected
    page = browser.get(f"/job/{job}").get_data(as_text=True)
    assert "None: every sentence with strong safety language is boxed." in page


def analyse_upload(browser: Browser, job: str) -> Any:
    """The analysis of a job's one upload, as the desk made it (with its pins)."""
    desk: Desk = browser.client.application.config["DESK"]
    (path,) = [p for p in desk.workspace.root.glob(f"jobs/{job}/in/*") if ".pins." not in p.name]
    return analyse(path, Options())


def test_jobs_are_private_to_the_browser_session_that_made_them(app: Any) -> None:
    nurse, other = Browser(app), Browser(app)
    job = upload_article(nurse)
    assert other.get(f"/job/{job}").status_code == 404
    assert other.post(f"/job/{job}/render", {"formats": ["pdf"]}).status_code == 404
    assert other.get(f"/job/{job}/files/report.html").status_code == 404
    assert nurse.get(f"/job/{job}").status_code == 200


def test_forms_need_the_pages_token_and_the_same_site(browser: Browser) -> None:
    browser.get("/")
    without = browser.client.post("/upload", data={"text": "x"}, base_url=BASE)
    assert without.status_code == 400 and "form has expired" in without.get_data(as_text=True)
    cross = browser.post("/upload", {"text": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_only_the_desks_own_host_names_are_served(browser: Browser) -> None:
    assert browser.client.get("/", base_url="http://attacker.example:8765").status_code == 400
    for base in ("http://localhost:8765", "http://127.0.0.1", "http://[::1]:8765"):
        assert browser.client.get("/", base_url=base).status_code == 200, base


def test_pages_and_files_carry_headers_that_forbid_framing_sniffing_and_other_scripts(
    browser: Browser,
) -> None:
    page = browser.get("/")
    assert page.headers["Content-Security-Policy"] == PAGE_POLICY
    assert "script-src 'self'" in PAGE_POLICY and "unsafe" not in PAGE_POLICY
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "<script" not in page.get_data(as_text=True).split("</head>")[1]  # no inline script


def test_another_address_needs_a_password_and_a_sign_in(
    make_desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UsageError, match="RENDERER_DESK_PASSWORD"):
        DeskSettings(host="0.0.0.0")
    with pytest.raises(UsageError, match="12 characters or more"):
        DeskSettings(host="0.0.0.0", password="short")
    monkeypatch.setattr(desk_app, "LOGIN_DELAY", 0.0)
    browser = Browser(create_app(make_desk(host="0.0.0.0", password="a long clinic passphrase")))
    assert browser.get("/").headers["Location"].endswith("/login")
    assert browser.get("/job/whatever").headers["Location"].endswith("/login")
    browser.get("/login")
    wrong = browser.post("/login", {"password": "a long clinic passphrasE"})
    assert wrong.status_code == 401
    assert "not the desk's password" in text_of(wrong.get_data(as_text=True))
    right = browser.post("/login", {"password": "a long clinic passphrase"})
    assert right.status_code == 303
    assert browser.get("/").status_code == 200
    # Any host name will do here (staff reach it by a name the desk cannot know), but not
    # without signing in: that browser's cookie is for another name.
    other_name = browser.client.get("/", base_url="http://desk.clinic.lan:8765")
    assert other_name.status_code == 302 and other_name.headers["Location"].endswith("/login")


def test_uploads_are_removed_after_the_set_time_and_when_the_desk_stops(tmp_path: Path) -> None:
    now = [0.0]
    workspace = Workspace(tmp_path, keep_seconds=600, clock=lambda: now[0])
    old, busy = workspace.new_job("a"), workspace.new_job("a")
    old.add("a.txt", "a.txt", b"text")
    busy.add("b.txt", "b.txt", b"text")
    busy.run = type("Run", (), {"done": False})()  # type: ignore[assignment]
    now[0] = 300.0
    fresh = workspace.new_job("a")
    assert workspace.job(old.id, "someone else") is None
    now[0] = 700.0
    assert workspace.sweep() == [old.id]
    assert not old.folder.exists() and busy.folder.exists() and fresh.folder.exists()
    assert workspace.job(old.id, "a") is None
    assert (workspace.root.stat().st_mode & 0o777) == 0o700
    workspace.close()
    assert not workspace.root.exists()


def test_option_mistakes_are_one_line_naming_the_field(browser: Browser) -> None:
    job = upload_article(browser)
    big = browser.post(f"/job/{job}/render", {"formats": ["pdf"], "font_size": "40"})
    assert big.status_code == 400
    assert "Text size must be between 16 and 32 pt, not 40" in big.get_data(as_text=True)
    none = browser.post(f"/job/{job}/render", {"font_size": "18"})
    assert "What to make: choose at least one" in none.get_data(as_text=True)
    word = browser.post(f"/job/{job}/render", {"formats": ["pdf"], "rate": "fast"})
    assert "Speaking speed must be a whole number, not &#39;fast&#39;" in word.get_data(
        as_text=True
    )


def test_the_clinics_renderer_toml_is_the_forms_starting_point(make_desk: Any) -> None:
    settings = {"engine": "tone", "page_size": "A4", "clinic_name": "Harbour Clinic", "rate": 130}
    browser = Browser(create_app(make_desk(settings=settings)))
    job = upload_article(browser)
    page = browser.get(f"/job/{job}").get_data(as_text=True)
    assert 'id="paper-a4" name="page_size" value="a4" checked' in page
    assert (
        'name="clinic_name" type="text" autocomplete="organization" value="Harbour Clinic"' in page
    )
    assert (
        'name="rate" type="number" inputmode="numeric" min="80" max="400" step="5" value="130"'
        in page
    )


def test_two_staff_rendering_at_once_share_one_pool(
    make_desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import renderer.batch

    real = renderer.batch.render_all
    running, most = [0], [0]
    lock = threading.Lock()

    def counted(*args: Any, **kwargs: Any) -> Any:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.2)  # long enough for the other render to start, if it could
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(renderer.batch, "render_all", counted)
    app = create_app(make_desk(jobs=1))
    nurse, receptionist = Browser(app), Browser(app)
    jobs = [
        upload_article(nurse, "ketamine-therapy.md", "ketamine-anxiety-guide.txt"),
        upload_article(receptionist, "ketamine-clinic-page.html"),
    ]
    for who, job in zip((nurse, receptionist), jobs, strict=True):
        who.post(f"/job/{job}/render", {"formats": ["pdf"]})
    statuses = [who.wait(job) for who, job in zip((nurse, receptionist), jobs, strict=True)]
    assert [[i["status"] for i in s["items"]] for s in statuses] == [
        ["rendered", "rendered"],
        ["rendered"],
    ]
    assert most[0] == 1  # one place in the pool: never two articles at once


def test_the_files_route_serves_only_the_jobs_results(browser: Browser, desk: Desk) -> None:
    job = upload_article(browser)
    render(browser, job, "pdf")
    (desk.workspace.root / "secret.txt").write_text("private")
    for path in ("../../secret.txt", "..%2f..%2fsecret.txt", "/etc/passwd", "ketamine-therapy"):
        assert browser.get(f"/job/{job}/files/{path}", follow_redirects=True).status_code == 404, (
            path
        )


def test_the_spoken_version_plays_in_the_page_with_chapters_and_the_daisy_book_downloads(
    browser: Browser,
) -> None:
    job = upload_article(browser)
    status = render(browser, job, "pdf", "audio", "daisy")
    assert [i["status"] for i in status["items"]] == ["rendered"], status
    page = browser.get(f"/job/{job}/result").get_data(as_text=True)
    (audio,) = re.findall(r'<audio controls preload="metadata" [^>]*src="([^"]+\.mp3)"', page)
    chapters = re.findall(
        r'href="([^"#]+)#t=([\d.]+)" data-player="[^"]+" data-start="([\d.]+)"', page
    )
    article = analyse(ARTICLE, Options())
    assert len(chapters) >= len([s for s in article.sections if s.heading])
    assert all(src == audio and t == start for src, t, start in chapters)
    assert [float(t) for _, t, _ in chapters] == sorted(float(t) for _, t, _ in chapters)
    ranged = browser.get(audio, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.data) == 100 and ranged.mimetype == "audio/mpeg"
    transcript = re.findall(r'href="([^"]+\.transcript\.txt)"', page)
    assert transcript and browser.get(transcript[0]).mimetype == "text/plain"
    book = browser.get(f"/job/{job}/daisy/ketamine-therapy.zip")
    assert book.headers["Content-Disposition"].startswith("attachment")
    names = zipfile.ZipFile(io.BytesIO(book.data)).namelist()
    assert "ketamine-therapy-daisy/ncc.html" in names
    assert any(n.endswith(".smil") for n in names) and any(n.endswith(".mp3") for n in names)


def test_serve_on_another_address_without_a_password_is_a_one_line_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RENDERER_DESK_PASSWORD", raising=False)
    code, out, err = run_cli(["serve", "--host", "0.0.0.0"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("renderer: --host 0.0.0.0 lets other computers")


def test_the_desk_serves_until_sigterm_then_removes_every_upload(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    env.pop("RENDERER_DESK_PASSWORD", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "renderer", "serve", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert re.fullmatch(
            r"The handout desk is open at http://127\.0\.0\.1:\d+/ \(Ctrl-C to stop it\)\n", line
        ), line
        (folder,) = tmp_path.glob("renderer-desk-*")
        assert (folder.stat().st_mode & 0o777) == 0o700
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    finally:
        server.kill()
    assert server.returncode == 0
    assert err == "renderer: the desk stopped; its uploads were removed\n"
    assert not folder.exists()
