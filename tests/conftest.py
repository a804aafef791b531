"""Shared test set-up: the network is switched off for every test, and the seeds are found beside the repo."""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from renderer.config import DEFAULT_RATE
from renderer.outputs.files import sha256_hex
from renderer.outputs.speech import Voice

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
CONTENT = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class NetworkBlocked(RuntimeError):
    pass


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise NetworkBlocked("a test tried to reach the network; the renderer must work offline")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _local_only(original: Any) -> Any:
    """Connections between processes of this machine (Unix sockets: the worker pool's) pass."""

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family != getattr(socket, "AF_UNIX", None):
            _refuse()
        return original(self, address)

    return connect


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Clinics run air-gapped: any network connection attempt during a test fails it."""
    monkeypatch.setattr(socket.socket, "connect", _local_only(_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _local_only(_connect_ex))
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    yield


@pytest.fixture(scope="session", autouse=True)
def worker_server() -> None:
    """This process renders again and again, as the desk does: its spoken articles' workers are
    forked from one preloaded server (batch.start_worker_server) rather than each spawned bare,
    as a one-article command's is (that path is tested through the command, in a process of
    its own)."""
    from renderer.batch import start_worker_server

    start_worker_server(now=False)  # a test run that renders nothing in workers starts none


LEAFLET = (
    "# {title}\n\n## About\n\nThis leaflet is about {title}. {extra}Drink water and rest.\n\n"
    "## Side effects\n\nYou may feel dizzy for an hour. Sit down until it passes.\n"
)


def write_leaflet(folder: Path, name: str, title: str | None = None, extra: str = "") -> Path:
    """A short leaflet with a protected section, at folder/name; titled `title`, else after
    its file name."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    title = title or path.stem.replace("-", " ").capitalize()
    path.write_text(LEAFLET.format(title=title, extra=extra), encoding="utf-8")
    return path


def assert_outputs_match_manifests(out: Path) -> None:
    """Every file a manifest under `out` lists has the size and sha256 it records."""
    for manifest in out.glob("*/manifest.json"):
        for kind, entry in json.loads(manifest.read_text("utf-8"))["outputs"].items():
            data = (manifest.parent / entry["path"]).read_bytes()
            assert (len(data), sha256_hex(data)) == (entry["bytes"], entry["sha256"]), (
                f"{manifest.parent.name}: {kind}"
            )


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`renderer ARGS` in this process: its exit code, stdout and stderr."""
    from renderer.cli import main

    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def seed_labels() -> dict[str, Any]:
    if not (SEEDS / "labels.json").is_file():
        pytest.skip(f"the seed articles are not beside the repository ({SEEDS} is absent)")
    labels: dict[str, Any] = json.loads((SEEDS / "labels.json").read_text(encoding="utf-8"))
    labels.pop("_about", None)
    return labels


RATE = DEFAULT_RATE  # words a minute


class RecordingEngine:
    """Speaks every word in exactly 60/rate seconds of a constant sample, and records what it
    was asked: enough to check offsets, the lexicon and the proof without a real engine."""

    description = "recording stand-in"
    sample_rate = 8000

    def __init__(self, drop: str | None = None) -> None:
        self.texts: list[str] = []
        self.configured: list[tuple[str, int]] = []
        self.rate = RATE
        self.drop = drop  # a sentence containing this comes back silent-short

    def voices(self) -> list[Voice]:
        return [Voice("gmw/en", "English", ("en-gb",)), Voice("roa/es", "Spanish", ("es",))]

    def configure(self, voice: str, rate: int) -> None:
        self.configured.append((voice, rate))
        self.rate = rate

    def synthesise(self, text: str) -> bytes:
        self.texts.append(text)
        samples = self.samples(text)
        if self.drop and self.drop in text:
            samples = 1
        return struct.pack("<h", 1000) * samples

    def samples(self, text: str) -> int:
        return len(text.split()) * self.sample_rate * 60 // self.rate


@pytest.fixture(scope="session")
def rendered_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ and the seeds rendered once for the whole session, every format, with the real
    speech engine, through the command line as a user runs it: the end-to-end, verify and speech
    tests read this one tree instead of each speaking the same articles again. Tests must not
    change it (copy it first)."""
    if not SEEDS.is_dir():
        pytest.skip("the seeds are not beside the repository")
    out = tmp_path_factory.mktemp("rendered") / "out"
    from renderer.cli import main

    code = main(
        ["render", str(CONTENT), str(SEEDS), "-o", str(out), "--formats", "pdf,audio,daisy,epub"]
    )
    assert code == 0, "rendering content/ and the seeds failed"
    return out
