"""Every referral reaches someone who can answer: delivery resolved once, answer links without an account, and the
regional orientation desk that forwards what nobody could receive."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from maille.core.models import AuditEntry
from maille.projects.services import holder_token
from maille.referrals import services
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import AnswerLink, Referral
from maille.referrals.selectors import resolve_delivery
from tests.factories import MembershipFactory, OfferFactory, OrganisationFactory, UserFactory

LINK = re.compile(r"http://[^\s\"<]+/mises-en-relation/reponse/([\w-]+)/")


@pytest.fixture
def contact_only_offer(db):
    """An organisation without accounts nor address; its offer has a contact e-mail in its text."""
    organisation = OrganisationFactory(name="Coopérative sans compte", email="")
    return OfferFactory(
        organisation=organisation, name="Appui coopératif", contact="Écrire à contact@coop.example"
    )


@pytest.fixture
def unreachable_offer(db):
    organisation = OrganisationFactory(name="Réseau injoignable", email="")
    return OfferFactory(
        organisation=organisation, name="Offre sans adresse", contact="https://reseau.example"
    )


@pytest.fixture
def desk_team(db):
    staff = UserFactory(is_staff=True, email="equipe@maille.example")
    desk_org = OrganisationFactory(slug="cress-test", name="CRESS test")
    member = MembershipFactory(organisation=desk_org, user__email="guichet@cress.example").user
    return staff, member


def refer(project, offer, capture, message=""):
    with capture(execute=True):
        return services.refer(project, offer, message=message)


def answer_link(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


# --- who is told ------------------------------------------------------------------------------------------------


def test_delivery_order_advisors_then_offer_contact_then_organisation_then_desk(
    organisation, offer, advisor, contact_only_offer, unreachable_offer, desk_team, settings
):
    settings.MAILLE_DESK_ORGANISATION = "cress-test"
    settings.MAILLE_DESK_EMAIL = "orientation@region.example"
    assert resolve_delivery(organisation, offer) == ("advisors", [advisor.email])
    assert resolve_delivery(contact_only_offer.organisation, contact_only_offer) == (
        "offer_contact",
        ["contact@coop.example"],
    )
    with_address = OrganisationFactory(email="bonjour@asso.example")
    plain = OfferFactory(organisation=with_address, contact="")
    assert resolve_delivery(with_address, plain) == ("organisation_email", ["bonjour@asso.example"])
    assert resolve_delivery(unreachable_offer.organisation, unreachable_offer) == (
        "desk",
        ["orientation@region.example", "guichet@cress.example", "equipe@maille.example"],
    )


def test_delivery_is_resolved_once_and_kept(project, contact_only_offer, django_capture_on_commit_callbacks):
    referral = refer(project, contact_only_offer, django_capture_on_commit_callbacks)
    # An advisor joins later: the referral already made keeps the address it was sent to.
    MembershipFactory(organisation=contact_only_offer.organisation, user__email="nouveau@coop.example")
    referral.refresh_from_db()
    assert referral.delivery_channel == "offer_contact"
    assert referral.delivery_recipients == ["contact@coop.example"]
    entry = AuditEntry.objects.get(action="referral.create", target_id=str(referral.pk))
    assert entry.data["channel"] == "offer_contact"


def test_an_address_without_account_gets_a_personal_answer_link(
    project, contact_only_offer, django_capture_on_commit_callbacks
):
    referral = refer(project, contact_only_offer, django_capture_on_commit_callbacks, message="Bonjour !")
    [message] = mail.outbox
    assert message.to == ["contact@coop.example"]
    link = answer_link(message)
    assert link.startswith("http://127.0.0.1:8000/")
    assert "Pas besoin de compte" in message.body
    token = LINK.search(message.body).group(1)
    stored = AnswerLink.objects.get(referral=referral)
    assert stored.email == "contact@coop.example"
    assert token not in stored.token_hash and len(stored.token_hash) == 64  # only its hash is kept


# --- answering by link ------------------------------------------------------------------------------------------


@pytest.fixture
def linked(project, contact_only_offer, django_capture_on_commit_callbacks):
    project.consent_to_share = True
    from django.utils import timezone

    project.consented_at = timezone.now()
    project.save()
    referral = refer(project, contact_only_offer, django_capture_on_commit_callbacks)
    url = answer_link(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")
    mail.outbox.clear()
    return referral, url


def test_the_link_page_shows_the_request_without_login(client, linked):
    referral, url = linked
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "La Recyclerie" in html and "contact@coop.example" in html
    assert "Accepter la mise en relation" in html
    assert "porteuse@example.org" not in html  # the holder's contact comes once the request is accepted


def test_accepting_by_link_tells_the_holder_who_answered(client, linked, django_capture_on_commit_callbacks):
    referral, url = linked
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "accept", "name": "Lou Martin", "phone": "02 40 00 00 00"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.answered_by is None
    assert (referral.answered_by_name, referral.answered_by_email) == ("Lou Martin", "contact@coop.example")
    entry = AuditEntry.objects.get(action="referral.accept", target_id=str(referral.pk))
    assert entry.actor is None and entry.data == {"link": "contact@coop.example"}
    [message] = mail.outbox
    assert message.to == ["porteuse@example.org"]
    assert "Lou Martin" in message.body and "contact@coop.example" in message.body
    # Now the page shows the holder's contact (they consented), and the answer cannot be given twice.
    html = client.get(url).content.decode()
    assert "porteuse@example.org" in html
    assert "Clôturer" in html
    response = client.post(url, {"action": "accept", "name": "Lou Martin"})
    assert response.status_code == 409


def test_accepting_by_link_needs_a_name_and_changes_nothing_without(client, linked):
    referral, url = linked
    response = client.post(url, {"action": "accept", "name": ""})
    assert response.status_code == 400
    assert "Indiquez votre nom" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert not AuditEntry.objects.filter(action="referral.accept").exists()


def test_declining_by_link_needs_a_reason(client, linked, django_capture_on_commit_callbacks):
    referral, url = linked
    assert client.post(url, {"action": "decline", "reason": "  "}).status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(url, {"action": "decline", "reason": "Hors de notre territoire."}).status_code == 302
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.answered_by_email == "contact@coop.example"
    assert "Hors de notre territoire." in mail.outbox[0].body
    # The link has ended with the referral.
    assert client.post(url, {"action": "accept", "name": "X"}).status_code == 409


def test_closing_by_link_records_the_outcome(client, linked):
    referral, url = linked
    client.post(url, {"action": "accept", "name": "Lou"})
    assert client.post(url, {"action": "close", "outcome": "bogus"}).status_code == 400
    assert (
        client.post(url, {"action": "close", "outcome": "helped", "note": "Statuts rédigés."}).status_code
        == 302
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CLOSED, "helped")


def test_a_link_answers_its_own_referral_only(linked, referral):
    own, _url = linked
    link = AnswerLink.objects.get(referral=own)
    with pytest.raises(services.PermissionDenied):
        services.accept(referral, link, name="Intrus")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_unknown_and_revoked_links(client, linked):
    referral, url = linked
    assert client.get("/mises-en-relation/reponse/inconnu/").status_code == 404
    AnswerLink.objects.filter(referral=referral).update(revoked_at=referral.created_at)
    response = client.get(url)
    assert response.status_code == 410
    assert "transmise à une autre structure" in response.content.decode()
    assert client.post(url, {"action": "accept", "name": "X"}).status_code == 410
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_unknown_action_by_link_is_a_400(client, linked):
    _referral, url = linked
    assert client.post(url, {"action": "supprimer"}).status_code == 400


# --- the regional orientation desk ------------------------------------------------------------------------------

DESK = "/mises-en-relation/guichet/"


@pytest.fixture
def at_desk(project, unreachable_offer, desk_team, django_capture_on_commit_callbacks, settings):
    settings.MAILLE_DESK_ORGANISATION = "cress-test"
    referral = refer(project, unreachable_offer, django_capture_on_commit_callbacks)
    return referral


def test_a_referral_nobody_can_receive_goes_to_the_desk(at_desk):
    assert at_desk.delivery_channel == "desk"
    assert sorted(m.to[0] for m in mail.outbox) == ["equipe@maille.example", "guichet@cress.example"]
    for message in mail.outbox:
        assert message.subject.startswith("[Maille] À transmettre")
        assert f"/mises-en-relation/guichet/{at_desk.pk}/" in message.body


def test_the_desk_is_for_staff_and_the_desk_organisation(client, at_desk, desk_team, advisor):
    staff, member = desk_team
    assert client.get(DESK).status_code == 302  # to the login page
    client.force_login(advisor)
    assert client.get(DESK).status_code == 403
    assert client.get(f"{DESK}{at_desk.pk}/").status_code == 403
    for user in (staff, member):
        client.force_login(user)
        html = client.get(DESK).content.decode()
        assert "La Recyclerie" in html and "Réseau injoignable" in html


def test_the_desk_forwards_to_an_address_that_answers_by_link(
    client, at_desk, desk_team, django_capture_on_commit_callbacks
):
    staff, _member = desk_team
    client.force_login(staff)
    mail.outbox.clear()
    response = client.post(f"{DESK}{at_desk.pk}/", {"action": "address", "email": "pas-une-adresse"})
    assert response.status_code == 400
    at_desk.refresh_from_db()
    assert at_desk.forwarded_at is None and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{DESK}{at_desk.pk}/", {"action": "address", "email": "accueil@injoignable.example"}
        )
    assert response.status_code == 302
    at_desk.refresh_from_db()
    assert at_desk.forwarded_to == "accueil@injoignable.example" and at_desk.forwarded_by == staff
    assert at_desk.delivery_recipients == ["accueil@injoignable.example"]
    [message] = mail.outbox
    assert message.to == ["accueil@injoignable.example"]
    assert "L'équipe régionale d'orientation vous transmet" in message.body
    client.logout()
    link = answer_link(message).removeprefix("http://127.0.0.1:8000")
    assert client.post(link, {"action": "accept", "name": "Sam"}).status_code == 302
    at_desk.refresh_from_db()
    assert at_desk.status == ReferralStatus.ACCEPTED
    # It has left the desk's queue.
    client.force_login(staff)
    assert "La Recyclerie" not in client.get(DESK).content.decode()
    assert "La Recyclerie" in client.get(DESK + "?onglet=transmises").content.decode()
    # The holder reads who was told.
    html = client.get(f"/projets/suivi/{holder_token(at_desk.project)}/").content.decode()
    assert "accueil@injoignable.example" in html


def test_the_desk_forwards_to_another_reachable_organisation(
    client,
    at_desk,
    desk_team,
    organisation,
    offer,
    advisor,
    unreachable_offer,
    django_capture_on_commit_callbacks,
):
    staff, _member = desk_team
    client.force_login(staff)
    other_unreachable = OfferFactory(organisation=OrganisationFactory(email=""), contact="")
    response = client.post(f"{DESK}{at_desk.pk}/", {"action": "offer", "offer": other_unreachable.pk})
    assert response.status_code == 400  # not offered: it could not be received either
    at_desk.refresh_from_db()
    assert at_desk.organisation == unreachable_offer.organisation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{DESK}{at_desk.pk}/", {"action": "offer", "offer": offer.pk})
    assert response.status_code == 302
    at_desk.refresh_from_db()
    assert (at_desk.organisation, at_desk.offer) == (organisation, offer)
    assert at_desk.delivery_channel == "advisors" and at_desk.forwarded_at is not None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["conseillere@reseau-test.example", "porteuse@example.org"]
    holder_mail = next(m for m in mail.outbox if m.to == ["porteuse@example.org"])
    assert "Réseau test" in holder_mail.subject
    # The advisor now answers it from the inbox.
    assert at_desk in Referral.objects.filter(organisation=organisation)


def test_the_forward_service_refuses_an_unreachable_organisation(at_desk, desk_team):
    staff, _member = desk_team
    other = OfferFactory(organisation=OrganisationFactory(email=""), contact="")
    with pytest.raises(services.ValidationError):
        services.forward_to_organisation(at_desk, staff, other)
    with pytest.raises(services.PermissionDenied):
        services.forward_to_address(at_desk, UserFactory(), "a@b.example")
    at_desk.refresh_from_db()
    assert at_desk.forwarded_at is None


def test_a_forwarded_referral_cannot_be_forwarded_again(at_desk, desk_team):
    staff, _member = desk_team
    services.forward_to_address(at_desk, staff, "a@b.example")
    with pytest.raises(services.TransitionError):
        services.forward_to_address(at_desk, staff, "c@d.example")


@override_settings(MAILLE_DESK_EMAIL="")
def test_the_api_says_how_each_referral_was_told(client, referral, advisor, at_desk, desk_team):
    staff, _member = desk_team
    services._recipients(referral)  # a factory-made referral is resolved on first use
    client.force_login(staff)
    results = {item["id"]: item for item in client.get("/api/v1/referrals/").json()["results"]}
    assert results[referral.pk]["delivery"] == {"channel": "advisors", "recipients": [advisor.email]}
    assert results[at_desk.pk]["delivery"]["channel"] == "desk"
    assert "equipe@maille.example" in results[at_desk.pk]["delivery"]["recipients"]


# --- the holder's page -------------------------------------------------------------------------------------------


def test_the_holder_page_says_who_was_told_and_what_happens_next(
    client, project, offer, advisor, contact_only_offer, django_capture_on_commit_callbacks
):
    first = refer(project, offer, django_capture_on_commit_callbacks, message="Nous visons l'été.")
    refer(project, contact_only_offer, django_capture_on_commit_callbacks)
    html = client.get(f"/projets/suivi/{holder_token(project)}/").content.decode()
    assert "envoyée au conseiller de Réseau test inscrit sur Maille" in html
    assert "adresse de contact de l&#x27;offre de Coopérative sans compte (contact@coop.example)" in html
    assert "Réponse attendue d'ici le" in html and "la demande expire le" in html
    assert "Nous visons l&#x27;été." in html
    assert "Si personne ne répond" in html
    services.accept(first, advisor)
    html = client.get(f"/projets/suivi/{holder_token(project)}/").content.decode()
    assert "Votre interlocuteur" in html and advisor.email in html
