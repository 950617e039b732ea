"""Demo data: labelled projects in real communes of the region, work for every demo account, relaunchable without
duplicates."""

import pytest
from django.core.management import call_command

from maille.directory.models import Competence, Offer, Organisation
from maille.funding.models import FundingScheme
from maille.projects import demo
from maille.projects.models import FundingLine, Project
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_demo_projects_are_labelled_and_loaded_once():
    assert demo.load() == {"projets de démo": len(demo.DEMO_PROJECTS), "lignes de financement de démo": 0}
    projects = Project.objects.filter(is_demo=True)
    assert projects.count() == len(demo.DEMO_PROJECTS)
    for project in projects:
        assert project.name.endswith("(démo)")
        assert project.holder_email.endswith("@demo.maille.fr")
        assert project.commune.region_id == "52"
    assert demo.load() == {"projets de démo": 0, "lignes de financement de démo": 0}
    laval = projects.get(commune_id="53130")
    assert laval.funding_lines.count() == 2 and laval.budget.total_need == 60000


def _snapshot() -> dict[str, int]:
    return {
        "projects": Project.objects.count(),
        "referrals": Referral.objects.count(),
        "lines": FundingLine.objects.count(),
        "offers": Offer.objects.count(),
        "schemes": FundingScheme.objects.count(),
        "competences": Competence.objects.count(),
    }


def test_after_load_demo_every_demo_account_has_something_to_do_and_a_second_run_adds_nothing():
    call_command("load_demo", verbosity=0)
    first = _snapshot()

    network = Organisation.objects.get(slug="demo-reseau-accompagnement")
    offers = network.offers.filter(status="published")
    assert offers.count() >= 2 and all(offer.is_demo and "(démo)" in offer.name for offer in offers)
    assert network.competences.filter(advisor__email="accompagnateur@demo.maille.fr").exists()
    statuses = set(network.referrals.values_list("status", flat=True))
    assert {ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED} <= statuses
    declined = network.referrals.get(status=ReferralStatus.DECLINED)
    assert declined.decline_reason and declined.answered_by.email == "accompagnateur@demo.maille.fr"
    assert network.referrals.filter(project__is_demo=False).count() == 0

    funder = Organisation.objects.get(slug="demo-financeur-solidaire")
    assert funder.funding_schemes.filter(is_demo=True, status="published").exists()
    lines = FundingLine.objects.filter(funder=funder)
    assert lines.count() >= 2 and {"asked", "granted"} <= set(lines.values_list("status", flat=True))
    assert all(line.project.is_demo for line in lines)

    epci_org = Organisation.objects.get(slug="demo-service-ess-alm")
    detected = Project.objects.filter(detected_by=epci_org)
    assert detected.count() == 1 and detected.get().commune.epci_id == "244900015"

    assert Project.objects.filter(holder__email="porteur@demo.maille.fr", is_demo=True).exists()

    # The demo staff account has a referral to forward at the regional desk (a real organisation with no address).
    from maille.referrals.selectors import desk_queue

    [at_desk] = desk_queue()
    assert at_desk.project.is_demo and at_desk.organisation.slug == "france-active-pdl"
    assert "equipe@demo.maille.fr" in at_desk.delivery_recipients

    call_command("load_demo", verbosity=0)
    assert _snapshot() == first
