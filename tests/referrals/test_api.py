"""API of referrals and projects: who sees what, answers, bad bodies (400, nothing written), lost races (409)."""

import json

import pytest
from rest_framework.test import APIClient

from maille.core.models import AuditEntry
from maille.referrals import services
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import Referral
from tests.factories import MembershipFactory, OfferFactory, ProjectFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_advisor(api, advisor):
    api.force_login(advisor)
    return api


def post(api, url, body=None, **kwargs):
    if body is None:
        return api.post(url, **kwargs)
    return api.post(url, data=json.dumps(body), content_type="application/json", **kwargs)


def url(referral, action):
    return f"/api/v1/referrals/{referral.pk}/{action}"


# --- anonymous and outsiders -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/referrals/"),
        ("post", "/api/v1/referrals/{pk}/accept"),
        ("post", "/api/v1/referrals/{pk}/decline"),
        ("post", "/api/v1/referrals/{pk}/close"),
        ("get", "/api/v1/projects/"),
        ("get", "/api/v1/projects/{project}"),
    ],
)
def test_anonymous_requests_are_refused(api, referral, method, path):
    response = getattr(api, method)(path.format(pk=referral.pk, project=referral.project_id))
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Authentification requise."
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


@pytest.mark.parametrize("action", ["accept", "decline", "close"])
def test_referrals_of_other_organisations_are_not_found(api, referral, stranger, action):
    api.force_login(stranger)
    response = post(api, url(referral, action), {"reason": "x", "outcome": "helped"})
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


def test_the_holder_sees_but_does_not_answer(api, referral):
    holder = UserFactory()
    referral.project.holder = holder
    referral.project.save()
    api.force_login(holder)
    assert [r["id"] for r in api.get("/api/v1/referrals/").json()["results"]] == [referral.pk]
    response = post(api, url(referral, "accept"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Vous n'avez pas accès à cette ressource."
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


# --- list --------------------------------------------------------------------------------------------------------


def test_list_shows_only_the_organisations_referrals(as_advisor, referral, advisor):
    ReferralFactory()  # another organisation's
    accepted = ReferralFactory(offer=OfferFactory(organisation=referral.organisation))
    services.accept(accepted, advisor)
    response = as_advisor.get("/api/v1/referrals/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {r["id"] for r in body["results"]} == {referral.pk, accepted.pk}
    first = next(r for r in body["results"] if r["id"] == referral.pk)
    assert first["status"] == "pending"
    assert first["status_label"] == "En attente de réponse"
    assert first["project"] == {"id": referral.project_id, "name": "La Recyclerie"}
    assert first["organisation"]["name"] == "Réseau test"
    assert first["expires_at"] is not None
    assert first["url"] == f"/mises-en-relation/{referral.pk}/"


def test_list_filters_by_status(as_advisor, referral, advisor):
    accepted = ReferralFactory(offer=OfferFactory(organisation=referral.organisation))
    services.accept(accepted, advisor)
    body = as_advisor.get("/api/v1/referrals/?status=accepted").json()
    assert [r["id"] for r in body["results"]] == [accepted.pk]


def test_list_refuses_an_unknown_status(as_advisor, referral):
    response = as_advisor.get("/api/v1/referrals/?status=ouvert")
    assert response.status_code == 400
    assert "Valeur inconnue" in response.json()["errors"]["status"][0]


def test_staff_list_every_referral(api, staff, referral):
    ReferralFactory()
    api.force_login(staff)
    assert api.get("/api/v1/referrals/").json()["count"] == 2


def test_list_queries_do_not_grow_with_the_rows(as_advisor, organisation, django_assert_max_num_queries):
    offers = [OfferFactory(organisation=organisation) for _ in range(3)]
    ReferralFactory.create_batch(3, offer=offers[0])
    with django_assert_max_num_queries(6) as few:
        assert as_advisor.get("/api/v1/referrals/").json()["count"] == 3
    for offer in offers[1:]:
        ReferralFactory.create_batch(6, offer=offer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert as_advisor.get("/api/v1/referrals/").json()["count"] == 15


# --- answers -----------------------------------------------------------------------------------------------------


def test_accept(as_advisor, referral, advisor):
    response = post(as_advisor, url(referral, "accept"))
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    referral.refresh_from_db()
    assert (referral.status, referral.answered_by) == (ReferralStatus.ACCEPTED, advisor)


def test_decline_with_a_reason(as_advisor, referral):
    response = post(as_advisor, url(referral, "decline"), {"reason": "Hors territoire."})
    assert response.status_code == 200
    assert response.json()["decline_reason"] == "Hors territoire."
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": ["liste"]}, "reason"),
        ([1, 2], "body"),
        ("texte", "body"),
    ],
)
def test_decline_without_a_reason_is_a_400_and_writes_nothing(as_advisor, referral, body, field):
    audits = AuditEntry.objects.count()
    response = post(as_advisor, url(referral, "decline"), body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert errors[field][0][0].isupper()  # a French sentence, not a code
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (ReferralStatus.PENDING, "")
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("action", ["decline", "close", "accept"])
def test_a_body_that_is_not_json_is_a_400(as_advisor, referral, action):
    response = as_advisor.post(url(referral, action), data="{pas du json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["body"] == ["Le corps de la requête n'est pas un JSON valide."]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


@pytest.mark.parametrize(
    "body, message",
    [
        ({"outcome": "reussi"}, "Issue inconnue « reussi »"),
        ({}, "Indiquez l'issue"),
        ({"outcome": "helped", "note": 12.5}, None),
    ],
)
def test_close_refuses_bad_outcomes(as_advisor, referral, advisor, body, message):
    services.accept(referral, advisor)
    response = post(as_advisor, url(referral, "close"), body)
    if message is None:  # a number is accepted as text by DRF; the point is that it closes
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert message in response.json()["errors"]["outcome"][0]
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.ACCEPTED, "")


def test_close(as_advisor, referral, advisor):
    services.accept(referral, advisor)
    response = post(as_advisor, url(referral, "close"), {"outcome": "helped", "note": "Statuts déposés."})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.outcome_note) == (
        "closed",
        "helped",
        "Statuts déposés.",
    )


def test_a_lost_race_is_a_409_with_the_message(as_advisor, referral, second_advisor):
    services.decline(referral, second_advisor, "Déjà vu avec la porteuse.")
    response = post(as_advisor, url(referral, "accept"))
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Cette mise en relation a déjà reçu une réponse")
    assert body["status"] == "declined"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED


def test_closing_a_pending_referral_is_a_409(as_advisor, referral):
    response = post(as_advisor, url(referral, "close"), {"outcome": "helped"})
    assert response.status_code == 409
    assert "acceptée" in response.json()["detail"]


def test_csrf_is_enforced_for_sessions(referral, advisor):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(advisor)
    response = post(api, url(referral, "accept"))
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


# --- projects ----------------------------------------------------------------------------------------------------


def test_projects_list_shows_the_projects_shared_with_the_organisation(as_advisor, referral, advisor):
    hidden = ProjectFactory(consent_to_share=False)
    ReferralFactory(project=hidden, offer=OfferFactory(organisation=referral.organisation))
    ProjectFactory()  # no referral to this organisation
    services.accept(referral, advisor)
    response = as_advisor.get("/api/v1/projects/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row == {
        "id": referral.project_id,
        "name": "La Recyclerie",
        "stage": "creation",
        "needs": ["modele_economique"],
        "legal_form": "association",
        "commune": {"code": "53130", "nom": "Laval"},
        "status": "supported",
        "created_at": row["created_at"],
    }


def test_project_detail_with_the_holders_contact(as_advisor, referral):
    response = as_advisor.get(f"/api/v1/projects/{referral.project_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "waiting"
    assert body["holder"]["email"] == "porteuse@example.org"
    assert body["description"] == "Réemploi d'objets."


def test_project_not_shared_is_not_found(as_advisor, organisation, stranger, referral):
    hidden = ProjectFactory(consent_to_share=False)
    ReferralFactory(project=hidden, offer=OfferFactory(organisation=organisation))
    assert as_advisor.get(f"/api/v1/projects/{hidden.pk}").status_code == 404
    as_advisor.force_login(stranger)
    assert as_advisor.get(f"/api/v1/projects/{referral.project_id}").status_code == 404
    assert as_advisor.get("/api/v1/projects/999999").status_code == 404


def test_projects_list_queries_are_bounded(as_advisor, organisation, django_assert_max_num_queries):
    offer = OfferFactory(organisation=organisation)
    for _ in range(8):
        ReferralFactory(offer=offer)
    with django_assert_max_num_queries(6):
        assert as_advisor.get("/api/v1/projects/").json()["count"] == 8


def test_staff_see_every_project(api, staff, referral):
    ProjectFactory(consent_to_share=False)
    api.force_login(staff)
    assert api.get("/api/v1/projects/").json()["count"] >= 2
    member = MembershipFactory().user
    api.force_login(member)
    assert api.get("/api/v1/projects/").json()["count"] == 0
