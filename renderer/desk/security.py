"""Who may use the desk and what its pages may do.

- On a loopback address only this computer reaches the desk; on any other, staff sign in with
  the clinic's password first.
- Requests must name the desk's own address as their Host (a web page elsewhere cannot reach
  it through a name of its own: DNS rebinding), and every form carries a token only the desk's
  own pages hold (another site cannot post to it: cross-site request forgery).
- Every response forbids framing, sniffing and scripts from anywhere but the desk itself;
  pages are not cached.
"""

from __future__ import annotations

import hmac
import secrets

from renderer.desk.settings import is_loopback

CSRF_FIELD = "csrf"
# What a page of the desk may load: its own style sheet, script, media and nothing else.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
# report.html carries its style inline (it is one file a clinic can open anywhere) and no script.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def allowed_hosts(host: str) -> frozenset[str] | None:
    """The names a request's Host header may give (its port aside); None when any will do (the
    desk listens on every address: staff reach it by a name we cannot know, and sign in)."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {host.strip("[]").lower()}
    if is_loopback(host):
        names |= {"127.0.0.1", "localhost", "::1"}
    return frozenset(names)


def host_name(header: str) -> str:
    """The name in a Host header: "127.0.0.1:8765" -> "127.0.0.1", "[::1]:80" -> "::1"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def host_allowed(header: str | None, allowed: frozenset[str] | None) -> bool:
    if allowed is None:
        return True
    return header is not None and host_name(header) in allowed


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(given: str | None, expected: str | None) -> bool:
    """A constant-time comparison of two secrets (neither may be missing)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def cross_site(fetch_site: str | None) -> bool:
    """Whether the browser says the request comes from another site (Sec-Fetch-Site)."""
    return fetch_site is not None and fetch_site not in ("same-origin", "none")
