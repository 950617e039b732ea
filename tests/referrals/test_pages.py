"""The inbox and the referral page: login, tabs and counts, what of the project is shown, answers and their errors."""

import pytest
from django.core import mail
from django.urls import reverse

from maille.referrals import services
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import Referral
from tests.factories import MembershipFactory, OfferFactory, ProjectFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/mises-en-relation/"


def page(referral):
    return reverse("referrals:detail", args=[referral.pk])


def test_pages_require_login(client, referral):
    for path in (INBOX, page(referral)):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_inbox_is_for_members_of_organisations(client):
    client.force_login(UserFactory())
    assert client.get(INBOX).status_code == 403


def test_inbox_tabs_with_counts(client, referral, advisor, organisation, django_assert_max_num_queries):
    accepted = ReferralFactory(offer=OfferFactory(organisation=organisation))
    declined = ReferralFactory(offer=OfferFactory(organisation=organisation))
    services.accept(accepted, advisor)
    services.decline(declined, advisor, "Complet.")
    ReferralFactory()  # another organisation's
    client.force_login(advisor)
    with django_assert_max_num_queries(10):
        response = client.get(INBOX)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="?onglet=a-traiter" aria-current="page">À traiter <span class="badge">1</span></a>' in html
    )
    assert 'href="?onglet=en-cours">En cours <span class="badge">1</span>' in html
    assert 'href="?onglet=terminees">Terminées <span class="badge">1</span>' in html
    assert 'href="?onglet=expirees">Expirées <span class="badge">0</span>' in html
    assert ">À traiter : 1 mise en relation</caption>" in html
    assert page(referral) in html and page(accepted) not in html

    html = client.get(INBOX + "?onglet=terminees").content.decode()
    assert page(declined) in html and page(referral) not in html
    assert 'href="?onglet=terminees" aria-current="page"' in html


def test_inbox_queries_do_not_grow_with_the_rows(
    client, advisor, organisation, django_assert_max_num_queries
):
    offers = [OfferFactory(organisation=organisation) for _ in range(4)]
    ReferralFactory(offer=offers[0])
    client.force_login(advisor)
    with django_assert_max_num_queries(10) as few:
        client.get(INBOX)
    for offer in offers[1:]:
        ReferralFactory.create_batch(5, offer=offer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(INBOX).content.decode().count("/mises-en-relation/") >= 16


def test_referral_page_of_another_organisation_is_not_found(client, referral, stranger):
    client.force_login(stranger)
    assert client.get(page(referral)).status_code == 404
    assert client.post(page(referral), {"action": "accept"}).status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


def test_the_shared_file_shows_the_project_and_the_holder(client, referral, advisor):
    client.force_login(advisor)
    html = client.get(page(referral)).content.decode()
    assert "Réemploi d&#x27;objets." in html
    assert "porteuse@example.org" in html
    assert "Accepter la mise en relation" in html
    assert '<label for="id_reason">Motif du refus' in html


def test_without_consent_only_name_stage_needs_and_commune(client, advisor, offer):
    project = ProjectFactory(consent_to_share=False, description="Secret", holder_email="discret@example.org")
    referral = ReferralFactory(project=project, offer=offer)
    client.force_login(advisor)
    html = client.get(page(referral)).content.decode()
    assert project.name in html
    assert "Création ou reprise" in html and "Modèle économique" in html and "Laval" in html
    assert "Secret" not in html and "discret@example.org" not in html
    assert "pas accepté de partager son dossier complet" in html


def test_accept_from_the_page(client, referral, advisor, django_capture_on_commit_callbacks):
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(referral), {"action": "accept"}, follow=True)
    assert response.redirect_chain == [(page(referral), 302)]
    assert "Vous avez accepté la mise en relation" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    assert [m.to for m in mail.outbox] == [["porteuse@example.org"]]


def test_decline_without_a_reason_shows_the_error_and_changes_nothing(client, referral, advisor):
    client.force_login(advisor)
    response = client.post(page(referral), {"action": "decline", "reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez le motif du refus" in html
    assert "rien n&#x27;a été modifié" in html
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (ReferralStatus.PENDING, "")


def test_decline_from_the_page(client, referral, advisor):
    client.force_login(advisor)
    response = client.post(page(referral), {"action": "decline", "reason": "Complet jusqu'en juin."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (ReferralStatus.DECLINED, "Complet jusqu'en juin.")


def test_close_without_outcome_is_refused(client, referral, advisor):
    services.accept(referral, advisor)
    client.force_login(advisor)
    response = client.post(page(referral), {"action": "close", "outcome": "", "note": "x"})
    assert response.status_code == 400
    assert "Choisissez l&#x27;issue de l&#x27;accompagnement." in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    response = client.post(page(referral), {"action": "close", "outcome": "unreachable"})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).outcome == "unreachable"


def test_a_lost_race_shows_the_clear_message(client, referral, advisor, second_advisor):
    client.force_login(advisor)
    client.get(page(referral))  # the page still offers to answer…
    services.decline(referral, second_advisor, "Vu par ma collègue.")  # …when a colleague answers first
    response = client.post(page(referral), {"action": "accept"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Cette mise en relation a déjà reçu une réponse" in html
    assert 'role="alert"' in html
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED


def test_unknown_action_is_a_400(client, referral, advisor):
    client.force_login(advisor)
    assert client.post(page(referral), {"action": "supprimer"}).status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


def test_refer_onward_from_the_page(
    client, referral, advisor, organisation, django_capture_on_commit_callbacks
):
    own = OfferFactory(organisation=organisation, name="Notre autre offre")
    elsewhere = OfferFactory(name="Offre en Sarthe", zones=[("departement", "72")])
    target = MembershipFactory(user__email="cae@example.org").organisation
    candidate = OfferFactory(organisation=target, name="Accompagnement CAE", zones=[("departement", "53")])
    client.force_login(advisor)
    html = client.get(page(referral)).content.decode()
    assert "Accompagnement CAE" in html
    assert own.name not in html and elsewhere.name not in html  # own organisation; not covering Laval

    response = client.post(page(referral), {"action": "onward", "offer": own.pk})
    assert response.status_code == 400
    assert "Choisissez une offre de la liste." in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(referral), {"action": "onward", "offer": candidate.pk, "message": "Pour vous."}
        )
    assert response.status_code == 302
    onward = Referral.objects.get(parent=referral)
    assert (onward.organisation, onward.message) == (target, "Pour vous.")
    assert [m.to for m in mail.outbox] == [["cae@example.org"]]


def test_the_holder_with_an_account_sees_the_page_without_forms(client, referral):
    holder = UserFactory()
    referral.project.holder = holder
    referral.project.save()
    client.force_login(holder)
    html = client.get(page(referral)).content.decode()
    assert "Accepter la mise en relation" not in html
    assert client.post(page(referral), {"action": "accept"}).status_code == 403


def test_after_declining_the_page_says_the_file_is_no_longer_shared(client, referral, advisor):
    from django.utils import timezone

    project = referral.project
    project.consent_to_share, project.consented_at = True, timezone.now()
    project.save()
    services.decline(referral, advisor, "Hors de notre champ.")
    client.force_login(advisor)
    html = client.get(page(referral)).content.decode()
    assert "ne lui est plus accessible" in html
    assert project.holder_email not in html
