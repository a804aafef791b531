"""What the desk was started with: where it listens, who may use it, its limits, and the
clinic's renderer.toml (the defaults every form starts from)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from renderer.errors import UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
PASSWORD_VARIABLE = "RENDERER_DESK_PASSWORD"
MIN_PASSWORD = 12  # characters: a desk other computers can reach needs more than a PIN

MAX_FILE_MB = 10  # one handout: a 10,000-word article is 60 KB of text; a .docx with photos more
MAX_FILES = 20  # in one upload
MAX_REQUEST_MB = 64  # one request, every file and field of it together
MAX_TEXT_CHARACTERS = 500_000  # pasted text (a very long article is 100,000)
DEFAULT_KEEP_MINUTES = 60.0


def is_loopback(host: str) -> bool:
    """Whether `host` is an address only this computer reaches (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class DeskSettings:
    """How the desk runs. `settings` are the clinic's renderer.toml values (or --config's),
    checked already; `password` is required when `host` is not a loopback address."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    settings: Mapping[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    password: str | None = None
    jobs: int = 1  # articles rendered at once, for every staff member together
    timeout: float | None = None  # seconds an article may take in its worker
    keep_minutes: float = DEFAULT_KEEP_MINUTES  # uploads and outputs go this long after last use
    max_file_bytes: int = MAX_FILE_MB * 1024 * 1024
    max_files: int = MAX_FILES
    max_request_bytes: int = MAX_REQUEST_MB * 1024 * 1024
    root: Path | None = None  # where jobs are kept; None: a new private temporary folder

    def __post_init__(self) -> None:
        if not is_loopback(self.host):
            if not self.password:
                raise UsageError(
                    f"--host {self.host} lets other computers reach the desk: set a password "
                    f"of {MIN_PASSWORD} characters or more in {PASSWORD_VARIABLE} (or with "
                    "--password-file), or leave --host at 127.0.0.1"
                )
            if len(self.password) < MIN_PASSWORD:
                raise UsageError(
                    f"the desk's password must be {MIN_PASSWORD} characters or more, not "
                    f"{len(self.password)}"
                )
        if not 0 <= self.port <= 65535:
            raise UsageError(f"--port must be between 0 and 65535, not {self.port}")
        if self.keep_minutes <= 0:
            raise UsageError(f"--keep-minutes must be more than 0, not {self.keep_minutes:g}")

    @property
    def needs_login(self) -> bool:
        return self.password is not None
