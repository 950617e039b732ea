"""Vocabularies of the observatory: ESS families, headcount bands of the register, NAF rév. 2 sections."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Family(models.TextChoices):
    """The legal-form family of an ESS legal unit (DATA.md, « ESS perimeter »)."""

    ASSOCIATION = "association", _("Association")
    COOPERATIVE = "cooperative", _("Coopérative")
    MUTUELLE = "mutuelle", _("Mutuelle")
    FONDATION = "fondation", _("Fondation")
    SOCIETE_COMMERCIALE = "societe_commerciale", _("Société commerciale de l'ESS")


class SizeBand(models.TextChoices):
    """`trancheEffectifs…`: the headcount at 31 December of the register's year (INSEE codes)."""

    NN = "NN", _("Non employeur ou effectif inconnu")
    B00 = "00", _("0 salarié")
    B01 = "01", _("1 ou 2 salariés")
    B02 = "02", _("3 à 5 salariés")
    B03 = "03", _("6 à 9 salariés")
    B11 = "11", _("10 à 19 salariés")
    B12 = "12", _("20 à 49 salariés")
    B21 = "21", _("50 à 99 salariés")
    B22 = "22", _("100 à 199 salariés")
    B31 = "31", _("200 à 249 salariés")
    B32 = "32", _("250 à 499 salariés")
    B41 = "41", _("500 à 999 salariés")
    B42 = "42", _("1 000 à 1 999 salariés")
    B51 = "51", _("2 000 à 4 999 salariés")
    B52 = "52", _("5 000 à 9 999 salariés")
    B53 = "53", _("10 000 salariés et plus")


# The order of the bands, smallest first: a band "goes down" when its rank decreases (NN and 00 rank 0).
BAND_RANK = {band: rank for rank, band in enumerate(SizeBand.values)}
BAND_RANK[SizeBand.NN.value] = 0


class NafSection(models.TextChoices):
    A = "A", _("Agriculture, sylviculture et pêche")
    B = "B", _("Industries extractives")
    C = "C", _("Industrie manufacturière")
    D = "D", _("Énergie")
    E = "E", _("Eau, assainissement, déchets")
    F = "F", _("Construction")
    G = "G", _("Commerce")
    H = "H", _("Transports et entreposage")
    I = "I", _("Hébergement et restauration")  # noqa: E741
    J = "J", _("Information et communication")
    K = "K", _("Activités financières et d'assurance")
    L = "L", _("Activités immobilières")
    M = "M", _("Activités spécialisées, scientifiques et techniques")
    N = "N", _("Activités de services administratifs et de soutien")
    O = "O", _("Administration publique")  # noqa: E741
    P = "P", _("Enseignement")
    Q = "Q", _("Santé humaine et action sociale")
    R = "R", _("Arts, spectacles et activités récréatives")
    S = "S", _("Autres activités de services")
    T = "T", _("Activités des ménages")
    U = "U", _("Activités extraterritoriales")


# NAF rév. 2 divisions (two first digits) of each section.
SECTION_DIVISIONS = {
    "A": (1, 3),
    "B": (5, 9),
    "C": (10, 33),
    "D": (35, 35),
    "E": (36, 39),
    "F": (41, 43),
    "G": (45, 47),
    "H": (49, 53),
    "I": (55, 56),
    "J": (58, 63),
    "K": (64, 66),
    "L": (68, 68),
    "M": (69, 75),
    "N": (77, 82),
    "O": (84, 84),
    "P": (85, 85),
    "Q": (86, 88),
    "R": (90, 93),
    "S": (94, 96),
    "T": (97, 98),
    "U": (99, 99),
}


def section_of(naf: str) -> str:
    """The NAF section letter of a code such as 88.10A ("" when unknown)."""
    digits = (naf or "")[:2]
    if not (digits.isascii() and digits.isdigit()):
        return ""
    division = int(digits)
    for letter, (low, high) in SECTION_DIVISIONS.items():
        if low <= division <= high:
            return letter
    return ""


class StatLevel(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("EPCI")
    COMMUNE = "commune", _("Commune")
