"""Freshness: every offer and scheme says when it was verified, by whom, against what; unverified for a year (or
never) it is « à vérifier » on its page and in the staff review queue; once a year each organisation with members is
asked by e-mail to confirm its offers, with a one-click « toujours à jour » that records the verification."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from maille.core.models import AuditEntry
from maille.directory import freshness
from maille.directory.enums import Origin, PublicationStatus
from maille.directory.models import Offer
from maille.funding.models import FundingScheme
from tests.factories import (
    FundingSchemeFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def staff():
    return UserFactory(is_staff=True)


def test_a_record_never_verified_or_verified_over_a_year_ago_is_to_verify():
    offer = OfferFactory()
    assert offer.needs_verification
    offer.last_verified_at = timezone.now() - datetime.timedelta(days=364)
    assert not offer.needs_verification
    offer.last_verified_at = timezone.now() - datetime.timedelta(days=366)
    assert offer.needs_verification
    assert Offer.objects.filter(freshness.stale_q(), pk=offer.pk).exists()


def test_the_offer_page_says_when_and_by_whom_it_was_verified(client):
    offer = OfferFactory(
        last_verified_at=timezone.now() - datetime.timedelta(days=10),
        last_verified_by="Équipe Maille",
        verification_source="https://exemple.example.org/offre",
    )
    page = client.get(reverse("directory:offer", args=[offer.slug])).content.decode()
    assert "Vérifié le" in page and "par Équipe Maille" in page
    assert "à vérifier" not in page


def test_an_old_verification_shows_to_verify_on_the_offer_and_scheme_pages(client):
    with freeze_time("2025-01-10"):
        offer = OfferFactory(last_verified_at=timezone.now())
        scheme = FundingSchemeFactory(last_verified_at=timezone.now())
    with freeze_time("2026-03-01"):
        assert "à vérifier" in client.get(reverse("directory:offer", args=[offer.slug])).content.decode()
        assert "à vérifier" in client.get(reverse("funding:scheme", args=[scheme.slug])).content.decode()


def test_the_reference_files_record_when_their_sources_were_read():
    offer = Offer.objects.get(slug="cress-appui-ptce")
    assert offer.last_verified_at is not None and offer.verification_source == offer.source_url


def test_the_review_queue_is_for_staff_and_lists_stale_and_imported_records(client):
    stale = OfferFactory(name="Offre jamais vérifiée")
    imported = FundingSchemeFactory(
        name="Aide importée",
        status=PublicationStatus.TO_REVIEW,
        origin=Origin.AIDES_TERRITOIRES,
        external_id="1",
    )
    client.force_login(UserFactory())
    assert client.get(reverse("directory:review")).status_code == 403
    client.force_login(staff())
    page = client.get(reverse("directory:review")).content.decode()
    assert stale.name in page and imported.name in page


def test_staff_publish_an_imported_scheme_from_the_queue(client):
    scheme = FundingSchemeFactory(
        status=PublicationStatus.TO_REVIEW, origin=Origin.AIDES_TERRITOIRES, external_id="2"
    )
    FundingScheme.objects.filter(pk=scheme.pk).update(published_at=None)
    reviewer = staff()
    client.force_login(reviewer)
    response = client.post(
        reverse("directory:review"), {"kind": "scheme", "pk": scheme.pk, "action": "publish"}
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.status == PublicationStatus.PUBLISHED and scheme.published_at is not None
    assert scheme.last_verified_by_user == reviewer and not scheme.needs_verification
    assert AuditEntry.objects.filter(action="directory.published", target_id=str(scheme.pk)).exists()


def test_publishing_a_record_that_is_not_waiting_is_refused_and_changes_nothing(client):
    offer = OfferFactory(status=PublicationStatus.DRAFT)
    client.force_login(staff())
    response = client.post(
        reverse("directory:review"), {"kind": "offer", "pk": offer.pk, "action": "publish"}
    )
    assert response.status_code == 400
    assert "pas en attente de relecture" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == PublicationStatus.DRAFT and offer.last_verified_at is None
    bad = client.post(
        reverse("directory:review"), {"kind": "organisation", "pk": offer.pk, "action": "publish"}
    )
    assert bad.status_code == 400


def test_staff_mark_a_stale_offer_verified(client):
    offer = OfferFactory()
    client.force_login(staff())
    client.post(reverse("directory:review"), {"kind": "offer", "pk": offer.pk, "action": "verify"})
    offer.refresh_from_db()
    assert not offer.needs_verification and offer.verification_source == ""


def test_an_imported_scheme_waiting_for_review_is_hidden_from_the_public_and_says_where_it_comes_from(client):
    scheme = FundingSchemeFactory(
        status=PublicationStatus.TO_REVIEW,
        origin=Origin.AIDES_TERRITOIRES,
        external_id="3",
        external_url="https://aides-territoires.beta.gouv.fr/aides/3-exemple/",
    )
    url = reverse("funding:scheme", args=[scheme.slug])
    assert client.get(url).status_code == 404
    client.force_login(staff())
    page = client.get(url).content.decode()
    assert "Fiche importée depuis Aides-territoires" in page and "Publier cette fiche" in page


def test_editing_an_offer_records_the_edited_fields_and_the_verification(client):
    offer = OfferFactory()
    member = MembershipFactory(organisation=offer.organisation).user
    client.force_login(member)
    response = client.post(
        reverse("directory:offer_edit", args=[offer.slug]),
        {
            "name": "Nouveau nom",
            "description": offer.description,
            "stages": ["creation"],
            "needs": ["modele_economique"],
            "mobilisation": "maille",
            "status": "published",
            "zones": "region 52",
            "on_site": "on",
            "is_free": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    offer.refresh_from_db()
    assert "name" in offer.edited_fields
    assert offer.last_verified_by_user == member and not offer.needs_verification


# --- the yearly e-mail ----------------------------------------------------------------------------------------------


def organisation_with_member():
    organisation = OrganisationFactory(name="Réseau d'exemple")
    OfferFactory(organisation=organisation, name="Offre d'exemple")
    member = MembershipFactory(organisation=organisation).user
    return organisation, member


def run_requests(capture):
    with capture(execute=True):
        call_command("send_verification_requests", stdout=StringIO(), stderr=StringIO(), verbosity=0)


def test_each_organisation_with_members_is_asked_once_a_year(django_capture_on_commit_callbacks):
    organisation, member = organisation_with_member()
    OrganisationFactory()  # no member: not asked
    with freeze_time("2026-01-05 08:00"):
        run_requests(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[member.email]]
    message = mail.outbox[0]
    assert "toujours à jour" in message.subject
    assert "Offre d'exemple" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
    with freeze_time("2026-01-06 08:00"):
        run_requests(django_capture_on_commit_callbacks)
    with freeze_time("2026-12-20 08:00"):
        run_requests(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    with freeze_time("2027-01-06 08:00"):
        run_requests(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def link_of(message) -> str:
    return re.search(r"https?://\S+/annuaire/verification/\S+/", message.body).group(0)


def test_the_one_click_link_records_the_verification_only_on_post(client, django_capture_on_commit_callbacks):
    organisation, _member = organisation_with_member()
    scheme = FundingSchemeFactory(funders=[organisation])
    with freeze_time("2026-01-05 08:00"):
        run_requests(django_capture_on_commit_callbacks)
    path = "/" + link_of(mail.outbox[0]).split("/", 3)[3]
    with freeze_time("2026-01-07 10:00"):
        page = client.get(path)
        assert page.status_code == 200 and "Offre d&#x27;exemple" in page.content.decode()
        assert (
            Offer.objects.get(organisation=organisation).last_verified_at is None
        )  # a GET (mail scanner) changes nothing
        response = client.post(path)
        assert response.status_code == 302
    offer = Offer.objects.get(organisation=organisation)
    assert offer.last_verified_at.date() == datetime.date(2026, 1, 7)
    assert "Réseau d'exemple" in offer.last_verified_by
    scheme.refresh_from_db()
    assert scheme.last_verified_at is not None


def test_a_newer_request_voids_the_old_link_and_a_forged_one_is_refused(
    client, django_capture_on_commit_callbacks
):
    organisation, _member = organisation_with_member()
    with freeze_time("2026-01-05 08:00"):
        run_requests(django_capture_on_commit_callbacks)
    old = "/" + link_of(mail.outbox[0]).split("/", 3)[3]
    with freeze_time("2027-01-06 08:00"):
        run_requests(django_capture_on_commit_callbacks)
        assert client.post(old).status_code == 404
        assert client.post("/annuaire/verification/pas-un-jeton/").status_code == 404
    assert Offer.objects.get(organisation=organisation).last_verified_at is None


def test_a_member_confirms_on_the_site_and_others_cannot(client):
    organisation, member = organisation_with_member()
    url = reverse("directory:verify", args=[organisation.slug])
    client.force_login(UserFactory())
    assert client.post(url).status_code == 403
    assert Offer.objects.get(organisation=organisation).last_verified_at is None
    client.force_login(member)
    assert client.post(url).status_code == 302
    assert Offer.objects.get(organisation=organisation).last_verified_by_user == member
