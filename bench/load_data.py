"""The data of the load benchmark: the reference data and the demo (`load_reference`, `load_demo`), then 100 copies
of the demo's advisor network (`manage.py`-free, bulk inserts, marked demo, slugs and addresses `load-…`).

Each copy: an organisation « Réseau généré N (démo) », its advisor account `conseiller-N@load.maille.fr` (password
`LOAD_PASSWORD`), 3 published offers over the region, 6 projects in communes of the region with 6 referrals to
its offers (3 pending, 2 accepted, 1 declined — the demo inbox's mix), a funding scheme, so 100× the demo's
organisations, offers, projects, referrals and schemes. Idempotent: a second run adds nothing.

    DATABASE_URL=postgres://…/maille_load .venv/bin/python bench/load_data.py [--copies 100]
"""

import argparse
import io
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

LOAD_PASSWORD = "charge-maille-2026"  # noqa: S105 (fictional accounts of a benchmark database)
COPIES = 100


def generate(copies: int = COPIES) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from maille.accounts.enums import MemberRole
    from maille.accounts.models import Membership, User
    from maille.core.db import analyze
    from maille.core.enums import LegalForm, Need, Stage
    from maille.directory.enums import OrganisationKind, PublicationStatus
    from maille.directory.models import Offer, OfferZone, Organisation
    from maille.funding.enums import FundingType, Recurrence
    from maille.funding.models import FundingScheme, SchemeZone
    from maille.projects.models import Project
    from maille.referrals.enums import DeliveryChannel, ReferralStatus
    from maille.referrals.models import Referral
    from maille.territories.models import Commune

    rng = random.Random(100)
    region = "52"
    communes = list(Commune.objects.filter(region_id=region).values_list("code", flat=True))
    password = make_password(LOAD_PASSWORD)
    made = {"organisations": 0, "offers": 0, "projects": 0, "referrals": 0, "schemes": 0}
    with transaction.atomic():
        for i in range(copies):
            slug = f"load-reseau-{i}"
            if Organisation.objects.filter(slug=slug).exists():
                continue
            org = Organisation.objects.create(
                slug=slug, name=f"Réseau généré {i} (démo)", kind=OrganisationKind.ESS_NETWORK, is_demo=True
            )
            user = User.objects.create(email=f"conseiller-{i}@load.maille.fr", password=password)
            Membership.objects.create(user=user, organisation=org, role=MemberRole.ADVISOR)
            offers = Offer.objects.bulk_create(
                Offer(
                    slug=f"load-offre-{i}-{k}",
                    organisation=org,
                    name=f"Offre générée {i}-{k} (démo)",
                    description="Offre générée pour le banc de charge.",
                    stages=rng.sample(Stage.values, 3),
                    needs=rng.sample(Need.values, 3),
                    legal_forms=[],
                    status=PublicationStatus.PUBLISHED,
                    is_demo=True,
                    search_text=f"offre generee {i} {k}",
                )
                for k in range(3)
            )
            OfferZone.objects.bulk_create(
                OfferZone(offer=o, zone_level="region", zone_code=region) for o in offers
            )
            projects = Project.objects.bulk_create(
                Project(
                    holder_name=f"Porteur généré {i}-{k} (démo)",
                    holder_email=f"porteur-{i}-{k}@load.maille.fr",
                    name=f"Projet généré {i}-{k} (démo)",
                    description="Projet généré pour le banc de charge.",
                    commune_id=rng.choice(communes),
                    legal_form=rng.choice(LegalForm.values),
                    stage=rng.choice(Stage.values),
                    needs=rng.sample(Need.values, 2),
                    is_demo=True,
                )
                for k in range(6)
            )
            statuses = (
                [ReferralStatus.PENDING] * 3 + [ReferralStatus.ACCEPTED] * 2 + [ReferralStatus.DECLINED]
            )
            Referral.objects.bulk_create(
                Referral(
                    project=project,
                    offer=offers[k % 3],
                    organisation=org,
                    status=status,
                    message="Message fictif du banc de charge.",
                    decline_reason="Hors de notre périmètre (fictif)."
                    if status == ReferralStatus.DECLINED
                    else "",
                    delivery_channel=DeliveryChannel.ADVISORS,
                    delivery_recipients=[user.email],
                )
                for k, (project, status) in enumerate(zip(projects, statuses, strict=True))
            )
            scheme = FundingScheme.objects.create(
                slug=f"load-dispositif-{i}",
                name=f"Dispositif généré {i} (démo)",
                kind=rng.choice(FundingType.values),
                description="Dispositif généré pour le banc de charge.",
                stages=rng.sample(Stage.values, 2),
                needs=rng.sample(Need.values, 2),
                recurrence=rng.choice(Recurrence.values),
                status=PublicationStatus.PUBLISHED,
                is_demo=True,
                search_text=f"dispositif genere {i}",
            )
            scheme.funders.add(org)
            SchemeZone.objects.create(scheme=scheme, zone_level="region", zone_code=region)
            made["organisations"] += 1
            made["offers"] += 3
            made["projects"] += 6
            made["referrals"] += 6
            made["schemes"] += 1
    analyze(Organisation, Offer, OfferZone, Project, Referral, FundingScheme, SchemeZone)
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=COPIES)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_reference", "--no-progress", verbosity=0, stdout=io.StringIO())
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    print(generate(args.copies))


if __name__ == "__main__":
    main()
