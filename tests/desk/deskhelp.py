"""The desk under test: a Desk over a temporary folder, its Flask app, and a client that talks
to it as a browser on this computer would (Host 127.0.0.1, the page's CSRF token).

Not a conftest.py: a second module of that name would take the place of tests/conftest.py
for every test module that imports from it."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from renderer.desk.settings import DeskSettings

BASE = "http://127.0.0.1:8765"
# The tone stand-in speaks in a fraction of the time espeak-ng takes, with real chapters.
SETTINGS: dict[str, Any] = {"engine": "tone"}


class Browser:
    """One browser session at the desk: it keeps its cookie and the page's CSRF token."""

    def __init__(self, app: Flask) -> None:
        self.client: FlaskClient = app.test_client()
        self.csrf = ""

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(path, base_url=BASE, **kwargs)
        response.get_data()  # read whole, so that a file sent is closed at once
        response.close()
        if response.mimetype == "text/html":
            found = re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True))
            if found:
                self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        if not self.csrf:
            self.get("/")
        form = {"csrf": self.csrf, **(data or {})}
        return self.client.post(path, data=form, base_url=BASE, **kwargs)

    def upload(self, *files: tuple[str, bytes], text: str = "", title: str = "") -> TestResponse:
        import io

        data: dict[str, Any] = {
            "files": [(io.BytesIO(body), name) for name, body in files],
            "text": text,
            "title": title,
        }
        return self.post("/upload", data, content_type="multipart/form-data")

    def wait(self, job: str, seconds: float = 120) -> dict[str, Any]:
        """The render's status once it has settled."""
        deadline = time.monotonic() + seconds
        while True:
            status: dict[str, Any] = self.get(f"/job/{job}/status.json").get_json()
            if status["done"] or time.monotonic() > deadline:
                return status
            time.sleep(0.2)


def job_of(response: TestResponse) -> str:
    location = response.headers["Location"]
    found = re.search(r"/job/([\w-]+)", location)
    assert found, location
    return found.group(1)


def desk_settings(root: Path, **changes: Any) -> DeskSettings:
    """The desk's settings for a test: the tone engine, one place in the pool, under `root`."""
    return DeskSettings(**{"settings": SETTINGS, "root": root, "jobs": 1, **changes})
