"""The words the renderer adds to an article (box labels, footer, announcements), in the
article's language. Every output takes them from here, and so do the proofs that must tell
them apart from the article's own text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from renderer.model import SectionKind


@dataclass(frozen=True)
class Wording:
    """One language's added words. Templates take `{label}`, `{page}`, `{number}`, `{total}`."""

    language: str
    risk: str  # the label over a box of risk content
    disclaimer: str  # the label over a box holding a disclaimer
    continued: str  # the label again where a box goes on over a page: "{label}, continued"
    page: str  # the footer's page number, before the total: "Page {page} of "
    section: str  # a spoken announcement: "Section {number} of {total}"
    untitled: str  # the name of a chapter without a heading: "Section {number}"
    phone: str  # "Phone {number}"
    listen: str  # the line over the QR code that leads to the audio

    def label(self, kind: SectionKind) -> str | None:
        """The label a protected passage of this kind is shown and introduced with."""
        return {SectionKind.RISK: self.risk, SectionKind.DISCLAIMER: self.disclaimer}.get(kind)

    @property
    def labels(self) -> tuple[str, str]:
        return (self.risk, self.disclaimer)

    def continued_labels(self) -> tuple[str, ...]:
        return tuple(self.continued.format(label=label) for label in self.labels)

    def page_number(self) -> re.Pattern[str]:
        """The footer's page number as the PDF's text layer gives it, at a page's end."""
        prefix = re.escape(self.page.format(page="\x00")).replace("\x00", r"\d+")
        return re.compile(rf"{prefix}\s*\d+\s*$")


WORDINGS: dict[str, Wording] = {
    "en": Wording(
        language="en",
        risk="Important safety information",
        disclaimer="Disclaimer",
        continued="{label}, continued",
        page="Page {page} of ",
        section="Section {number} of {total}",
        untitled="Section {number}",
        phone="Phone {number}",
        listen="Listen to this handout",
    ),
    "es": Wording(
        language="es",
        risk="Información importante de seguridad",
        disclaimer="Aviso",
        continued="{label} (continuación)",
        page="Página {page} de ",
        section="Sección {number} de {total}",
        untitled="Sección {number}",
        phone="Teléfono {number}",
        listen="Escuche este folleto",
    ),
    "pt": Wording(
        language="pt",
        risk="Informação de segurança importante",
        disclaimer="Aviso",
        continued="{label} (continuação)",
        page="Página {page} de ",
        section="Parte {number} de {total}",
        untitled="Parte {number}",
        phone="Telefone {number}",
        listen="Ouça este folheto",
    ),
    "fr": Wording(
        language="fr",
        risk="Informations de sécurité importantes",
        disclaimer="Avertissement",
        continued="{label} (suite)",
        page="Page {page} sur ",
        section="Partie {number} sur {total}",
        untitled="Partie {number}",
        phone="Téléphone {number}",
        listen="Écoutez cette notice",
    ),
    "de": Wording(
        language="de",
        risk="Wichtige Sicherheitsinformationen",
        disclaimer="Hinweis",
        continued="{label} (Fortsetzung)",
        page="Seite {page} von ",
        section="Abschnitt {number} von {total}",
        untitled="Abschnitt {number}",
        phone="Telefon {number}",
        listen="Dieses Merkblatt anhören",
    ),
}
ENGLISH = WORDINGS["en"]


def wording_for(language: str) -> Wording:
    """The added words for an article language ("es-MX" -> Spanish); English for a language
    without translations (`has_wording` says whether to warn)."""
    return WORDINGS.get(language.split("-")[0].split("_")[0].lower(), ENGLISH)


def has_wording(language: str) -> bool:
    return language.split("-")[0].split("_")[0].lower() in WORDINGS
