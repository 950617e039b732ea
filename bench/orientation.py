"""Benchmark of one orientation (POST /api/v1/orientation, end to end) with 20,000 offers, 5,000 schemes and
100,000 projects with their referrals in the database; also counts the SQL queries of one orientation.

Run after the directory benchmark (`make bench` runs both): it reuses its generated offers and schemes.
"""

import json
import os
import random

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from harness import timed, write_results

from maille.core.db import analyze
from maille.core.enums import LegalForm, Need, Stage
from maille.directory.models import Offer
from maille.orientation.services import Profile, recommend
from maille.projects.models import Project
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import Referral
from maille.territories.models import Commune

SCALE = int(os.environ.get("BENCH_SCALE", "1"))  # see bench/directory.py
PROJECTS = 100_000 * SCALE
CHUNK = 50_000


@transaction.atomic
def generate(rng):
    if Project.objects.filter(holder_email__endswith="@bench.maille.fr").count() >= PROJECTS:
        return
    Project.objects.filter(holder_email__endswith="@bench.maille.fr").delete()
    communes = list(Commune.objects.filter(region_id="52").values_list("code", flat=True))
    offers = list(Offer.objects.values_list("id", "organisation_id"))
    statuses = [
        s
        for s, w in [("pending", 2), ("accepted", 3), ("declined", 1), ("closed", 3), ("expired", 1)]
        for _ in range(w)
    ]
    for start in range(
        0, PROJECTS, CHUNK
    ):  # in chunks: 1,000,000 projects at 10× never sit in memory at once
        projects = [
            Project(
                holder_name=f"Porteur généré {i} (démo)",
                holder_email=f"porteur{i}@bench.maille.fr",
                name=f"Projet généré {i} (démo)",
                description="Projet généré pour le banc d'essai.",
                commune_id=rng.choice(communes),
                legal_form=rng.choice(LegalForm.values),
                stage=rng.choice(Stage.values),
                needs=rng.sample(Need.values, rng.randint(1, 3)),
                is_demo=True,
            )
            for i in range(start, min(start + CHUNK, PROJECTS))
        ]
        referrals = []
        for project in Project.objects.bulk_create(projects, batch_size=5000):
            for offer_id, organisation_id in rng.sample(offers, rng.randint(1, 2)):
                status = rng.choice(statuses)
                referrals.append(
                    Referral(
                        project_id=project.pk,
                        offer_id=offer_id,
                        organisation_id=organisation_id,
                        status=status,
                        decline_reason="Hors de notre périmètre."
                        if status == ReferralStatus.DECLINED
                        else "",
                        outcome="helped" if status == ReferralStatus.CLOSED else "",
                    )
                )
        Referral.objects.bulk_create(referrals, batch_size=5000)
    analyze(Project, Referral)


def run():
    rng = random.Random(4)
    generate(rng)
    communes = list(Commune.objects.filter(region_id="52").values_list("code", flat=True))
    client = Client(HTTP_HOST="127.0.0.1")
    pick = random.Random(9)

    def payload():
        return {
            "commune": pick.choice(communes),
            "stage": pick.choice(Stage.values),
            "needs": pick.sample(Need.values, 2),
            "legal_form": pick.choice(["association", "scop", "scic", "societe_ess", "non_creee"]),
            "employees": pick.choice([0, 3, 12]),
            "years_of_existence": pick.choice([0, 2, 8]),
        }

    def orient():
        response = client.post("/api/v1/orientation", json.dumps(payload()), content_type="application/json")
        assert response.status_code == 200, response.content

    sample_profile = Profile(
        commune_code="53130", stage="consolidation", needs=["emploi"], legal_form="association"
    )
    with CaptureQueriesContext(connection) as queries:
        recommend(sample_profile)
    query_count = len(queries.captured_queries)  # now: the log is reset by every request that follows
    rows = [timed("POST /api/v1/orientation (random commune of région 52, stage, needs, legal form)", orient)]
    notes = (
        f"{Offer.objects.count():,} offers, {Project.objects.count():,} projects and "
        f"{Referral.objects.count():,} referrals in the database. SQL queries per orientation: "
        f"{query_count} (the test `test_the_number_of_queries_does_not_depend_on_the_directory_size` "
        "checks it does not grow with the directory)."
    )
    title = f"Orientation ({20_000 * SCALE:,} offers, {5_000 * SCALE:,} schemes, {PROJECTS:,} projects)"
    write_results("orientation", title, rows, notes=notes)
