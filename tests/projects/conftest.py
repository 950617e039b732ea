"""Shared data of the project tests: a valid intake (person and project), and how to post it step by step."""

import pytest

from maille.core.identifiers import is_valid_siret

VALID_SIRET = "73282932000074"
assert is_valid_siret(VALID_SIRET)


def person_data(**changes):
    return {
        "holder_name": "Camille Martin",
        "holder_email": "camille.martin@example.org",
        "holder_phone": "02 43 00 00 00",
        "consent_to_share": "on",
        **changes,
    }


def project_data(**changes):
    data = {
        "name": "Ressourcerie lavalloise",
        "description": "Une association de réemploi qui emploie douze salariés en insertion.",
        "commune": "Laval",
        "legal_form": "association",
        "siret": "",
        "stage": "consolidation",
        "needs": ["modele_economique", "emploi"],
        "jobs_fte": "12",
        "years_of_existence": "8",
        "naf": "88.10A",
        "collective": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def post_intake(client, person=None, project=None):
    """Steps 1 and 2; returns the response of step 2."""
    client.post("/projets/nouveau/", person or person_data())
    return client.post("/projets/nouveau/projet/", project or project_data())


@pytest.fixture
def fake_recommend(monkeypatch):
    """Recommendations with the first two published offers of the Mayenne DLA and France Active (stable in tests)."""
    from maille.directory.models import Offer
    from maille.orientation import services as orientation

    def install(offers=None, funding=()):
        offers = (
            offers
            if offers is not None
            else list(Offer.objects.filter(status="published").order_by("pk")[:3])
        )

        def recommend(profile, limit=8):
            return orientation.Recommendations(
                offers=[
                    orientation.Recommendation(
                        "offer",
                        o.pk,
                        o.name,
                        o.slug,
                        o.organisation_id,
                        o.organisation.name,
                        50.0,
                        ["Couvre votre département (Mayenne)"],
                    )
                    for o in offers
                ],
                funding=list(funding),
            )

        monkeypatch.setattr(orientation, "recommend", recommend)
        return offers

    return install
