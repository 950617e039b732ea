"""Benchmark of the directory and funding search: commune + stage, with 20,000 generated offers and 5,000 schemes.

The generated rows (slugs `bench-…`, marked demo) are spread over the whole of France: zones at every level
(commune, EPCI, département, région, France). They are created once; later runs reuse them.
"""

import os
import random

from django.db import transaction
from django.test import Client
from harness import timed, write_results

from maille.core.db import analyze
from maille.core.enums import LegalForm, Need, Stage
from maille.directory.enums import OrganisationKind, PublicationStatus
from maille.directory.models import Offer, OfferZone, Organisation
from maille.funding.enums import FundingType, Recurrence
from maille.funding.models import FundingScheme, SchemeZone
from maille.territories.models import Commune, Departement, Epci, Region

# BENCH_SCALE=10 multiplies the generated rows (bench/growth.py runs 1× and 10× in one run, each in its database).
SCALE = int(os.environ.get("BENCH_SCALE", "1"))
OFFERS = 20_000 * SCALE
SCHEMES = 5_000 * SCALE
CHUNK = 20_000
LEVEL_WEIGHTS = [("commune", 30), ("epci", 30), ("departement", 25), ("region", 12), ("france", 3)]


def sample(rng, values, low, high):
    return rng.sample(values, rng.randint(low, high))


@transaction.atomic
def generate(rng):
    if Offer.objects.filter(slug__startswith="bench-").count() >= OFFERS:
        return
    Offer.objects.filter(slug__startswith="bench-").delete()
    FundingScheme.objects.filter(slug__startswith="bench-").delete()
    codes = {
        "commune": list(Commune.objects.values_list("code", flat=True)),
        "epci": list(Epci.objects.values_list("code", flat=True)),
        "departement": list(Departement.objects.values_list("code", flat=True)),
        "region": list(Region.objects.values_list("code", flat=True)),
        "france": [""],
    }
    levels = [level for level, weight in LEVEL_WEIGHTS for _ in range(weight)]
    organisations = [
        Organisation(
            slug=f"bench-org-{i}",
            name=f"Organisation générée {i} (démo)",
            kind=OrganisationKind.ESS_NETWORK,
            is_demo=True,
        )
        for i in range(500)
    ]
    Organisation.objects.bulk_create(organisations)
    organisations = list(Organisation.objects.filter(slug__startswith="bench-org-"))

    def zones(rng):
        picked = {
            (level, rng.choice(codes[level]))
            for level in (rng.choice(levels) for _ in range(rng.randint(1, 2)))
        }
        return picked

    for start in range(0, OFFERS, CHUNK):
        _offers(rng, organisations, zones, range(start, min(start + CHUNK, OFFERS)))
    for start in range(0, SCHEMES, CHUNK):
        _schemes(rng, organisations, zones, range(start, min(start + CHUNK, SCHEMES)))
    through = FundingScheme.funders.through
    analyze(Organisation, Offer, OfferZone, FundingScheme, SchemeZone, through)


def _offers(rng, organisations, zones, numbers):
    offers, offer_zones = [], []
    for i in numbers:
        offers.append(
            Offer(
                slug=f"bench-offer-{i}",
                organisation=rng.choice(organisations),
                name=f"Offre générée {i}",
                description="Offre générée pour le banc d'essai.",
                stages=sample(rng, Stage.values, 1, 3),
                needs=sample(rng, Need.values, 1, 4),
                legal_forms=sample(rng, LegalForm.values, 0, 3),
                status=PublicationStatus.PUBLISHED,
                is_demo=True,
                search_text=f"offre generee {i}",
            )
        )
    for offer in Offer.objects.bulk_create(offers, batch_size=2000):
        offer_zones += [OfferZone(offer_id=offer.pk, zone_level=lv, zone_code=cd) for lv, cd in zones(rng)]
    OfferZone.objects.bulk_create(offer_zones, batch_size=5000)


def _schemes(rng, organisations, zones, numbers):
    schemes, scheme_zones = [], []
    for i in numbers:
        schemes.append(
            FundingScheme(
                slug=f"bench-scheme-{i}",
                name=f"Dispositif généré {i}",
                kind=rng.choice(FundingType.values),
                description="Dispositif généré pour le banc d'essai.",
                stages=sample(rng, Stage.values, 1, 3),
                needs=sample(rng, Need.values, 0, 3),
                recurrence=rng.choice(Recurrence.values),
                status=PublicationStatus.PUBLISHED,
                is_demo=True,
                search_text=f"dispositif genere {i}",
            )
        )
    through = FundingScheme.funders.through
    links = []
    for scheme in FundingScheme.objects.bulk_create(schemes, batch_size=2000):
        scheme_zones += [
            SchemeZone(scheme_id=scheme.pk, zone_level=lv, zone_code=cd) for lv, cd in zones(rng)
        ]
        links.append(through(fundingscheme_id=scheme.pk, organisation_id=rng.choice(organisations).pk))
    SchemeZone.objects.bulk_create(scheme_zones, batch_size=5000)
    through.objects.bulk_create(links, batch_size=5000)


def run():
    rng = random.Random(52)
    generate(rng)
    analyze(Offer, OfferZone, FundingScheme, SchemeZone)
    communes = list(Commune.objects.filter(region_id="52").values_list("code", flat=True))
    client = Client(HTTP_HOST="127.0.0.1")
    pick = random.Random(7)

    def offers():
        response = client.get(
            "/api/v1/offers", {"commune": pick.choice(communes), "stage": pick.choice(Stage.values)}
        )
        assert response.status_code == 200, response.status_code

    def funding():
        response = client.get(
            "/api/v1/funding", {"commune": pick.choice(communes), "stage": pick.choice(Stage.values)}
        )
        assert response.status_code == 200, response.status_code

    def funding_open():
        params = {"commune": pick.choice(communes), "stage": pick.choice(Stage.values), "open": "true"}
        assert client.get("/api/v1/funding", params).status_code == 200

    rows = [
        timed("GET /api/v1/offers?commune=…&stage=… (random commune of région 52, random stage)", offers),
        timed("GET /api/v1/funding?commune=…&stage=…", funding),
        timed("GET /api/v1/funding?commune=…&stage=…&open=true", funding_open),
    ]
    counts = (
        f"{Offer.objects.count():,} offers and {FundingScheme.objects.count():,} schemes in the database."
    )
    title = f"Directory search ({OFFERS:,} offers, {SCHEMES:,} schemes)"
    write_results("directory", title, rows, notes=counts)
