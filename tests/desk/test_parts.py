"""The desk's parts on their own: pin files it writes, what an upload may be, the options form,
the host names it answers to."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib
from hypothesis import given
from hypothesis import strategies as st

from renderer.analysis.review import PinFile, parse_pins, pins_path
from renderer.desk.forms import form_values, labelled, options_from_form
from renderer.desk.pins import DeskPin, add_pin, pin_file_text, toml_string, write_pins
from renderer.desk.security import allowed_hosts, host_allowed, host_name
from renderer.desk.settings import is_loopback
from renderer.desk.uploads import refusal, shown_name, stored_name
from renderer.errors import UsageError
from renderer.loaders import unsupported
from renderer.model import comparable_text


@given(st.text(min_size=1))
def test_any_text_is_a_toml_string_that_reads_back_as_itself(text: str) -> None:
    assert tomllib.loads(f"x = {toml_string(text)}\n")["x"] == text


def test_a_pin_file_the_desk_writes_is_one_the_renderer_reads(tmp_path: Path) -> None:
    article = tmp_path / "leaflet.md"
    hostile = 'Say "stop" \\ now\x7f\x01 ]] = [ protect'
    pins = add_pin([], DeskPin(hostile, True, "disclaimer"))
    pins = add_pin(pins, DeskPin("Side effects", False))
    path = write_pins(article, pins)
    assert path == pins_path(article)
    read = parse_pins(PinFile(path, path.read_bytes()))
    assert [(p.text, p.protect, p.kind.value) for p in read] == [
        (comparable_text(hostile), True, "disclaimer"),
        ("Side effects", False, "risk"),
    ]
    assert write_pins(article, []) is None and not path.exists()


def test_a_second_pin_on_the_same_text_replaces_the_first() -> None:
    pins = add_pin([], DeskPin("Call 911  now", True))
    pins = add_pin(pins, DeskPin("call 911 now", False))
    assert pins == [DeskPin("call 911 now", False, "risk")]
    assert 'unprotect = [\n  "call 911 now",\n]' in pin_file_text(pins)


def test_an_upload_is_refused_in_one_line_naming_it() -> None:
    limit = 1000
    assert refusal("a.pdf", b"%PDF", 10, limit) == f"a.pdf: {unsupported(Path('a.pdf'))}"
    assert refusal("notes", b"text", 10, limit) == f"notes: {unsupported(Path('notes'))}"
    assert refusal("big.md", b"# x", 5 * 1024 * 1024, limit) == (
        "big.md: too large to take (5.0 MB; a handout may be up to 0.000953674 MB)"
    )
    assert refusal("a.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 10, limit) == (
        "a.txt: this is an old Word (.doc) or other Office file, not .txt text: "
        "open it in Word or LibreOffice and save it as .docx"
    )
    assert refusal("a.html", b"PK\x03\x04", 10, limit).startswith("a.html: this is a zip")  # type: ignore[union-attr]
    assert refusal("a.docx", b"not a zip", 10, limit) is None  # the Word loader says why
    assert refusal("A.TXT", b"Hello", 10, limit) is None
    assert refusal("a.txt", "\ufeffHello".encode("utf-16"), 10, limit) is None


def test_stored_names_are_ours_and_unique() -> None:
    taken: set[str] = set()
    names = []
    for uploaded in ("Leaflet.md", "leaflet.MD", "../../etc/Leaflet.md", "ÄÖ.txt", "....txt"):
        key, name = stored_name(shown_name(uploaded), taken)
        taken.add(key)
        names.append(name)
    assert names == ["leaflet.md", "leaflet-2.md", "leaflet-3.md", "ao.txt", "handout.txt"]
    assert shown_name("C:/Users/nurse/Leaflet one.md") == "Leaflet one.md"
    assert shown_name("a\nb.md") == "a b.md"
    assert len(shown_name("x" * 500 + ".md")) == 120


def test_the_options_form_is_checked_by_the_configuration_layer() -> None:
    settings = {"page_size": "a4", "clinic_name": "Harbour Clinic", "font_size": 20.0}
    options = options_from_form(
        {"page_size": "LETTER", "theme": "Cream", "font_size": "24", "rate": "130", "voice": ""},
        ["pdf", "audio"],
        settings,
    )
    assert options.print.page_size == "letter" and options.print.theme == "cream"
    assert options.print.font_size == 24.0 and options.speech.rate == 130
    assert options.print.clinic_name is None  # the form's empty field: not printed
    assert options.speech.voice is None and options.formats == ("pdf", "audio")
    assert form_values(options)["formats"] == ["pdf", "audio"]
    with pytest.raises(UsageError, match=r"^Paper must be one of letter, a4, not 'b5'$"):
        options_from_form({"page_size": "b5"}, ["pdf"], {})
    with pytest.raises(UsageError, match=r"^Target reading grade must be a number, not 'x'$"):
        options_from_form({"target_grade": "x"}, ["pdf"], {})
    with pytest.raises(UsageError, match="What to make"):
        options_from_form({}, ["braille"], {})
    assert labelled("--clinic-phone must be text") == "Clinic phone must be text"


@pytest.mark.parametrize(
    ("host", "header", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8765", True),
        ("127.0.0.1", "localhost:9000", True),
        ("127.0.0.1", "[::1]:8765", True),
        ("127.0.0.1", "attacker.example:8765", False),
        ("127.0.0.1", "127.0.0.1.attacker.example", False),
        ("127.0.0.1", None, False),
        ("192.168.1.20", "192.168.1.20:8765", True),
        ("192.168.1.20", "localhost:8765", False),
        ("0.0.0.0", "desk.clinic.lan", True),
    ],
)
def test_the_host_header_must_name_the_desk(host: str, header: str | None, allowed: bool) -> None:
    assert host_allowed(header, allowed_hosts(host)) is allowed


def test_host_names_and_loopback_addresses() -> None:
    assert host_name("[::1]:8765") == "::1" and host_name("LocalHost:80") == "localhost"
    assert host_name("::1") == "::1"
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.2", "example.org", "::"))
