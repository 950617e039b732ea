"""SIREN / SIRET checks: length, digits and the Luhn key (La Poste's establishments excepted)."""

import pytest

from maille.core.identifiers import is_valid_siren, is_valid_siret


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("244900015", True),  # Angers Loire Métropole
        ("244900016", False),
        ("24490001", False),
        ("24490001A", False),
    ],
)
def test_siren_key(value, valid):
    assert is_valid_siren(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("73282932000074", True),
        ("73282932000075", False),
        ("7328293200007", False),
        ("35600000000048", True),  # La Poste's head office follows Luhn
        ("35600000049837", True),  # a La Poste establishment: digits sum to a multiple of 5
        ("35600000049838", False),
    ],
)
def test_siret_key(value, valid):
    assert is_valid_siret(value) is valid
