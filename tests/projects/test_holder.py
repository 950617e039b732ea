"""The holder's page behind the signed link: recommendations with their reasons, referrals asked in one go (all or
nothing), confirmation of a detected project, consent; bad or expired links are French 404 pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from maille.directory.models import Offer
from maille.projects import services
from maille.referrals.models import Referral
from tests.factories import OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def laval_association(**changes):
    return ProjectFactory(
        **{
            "name": "Ressourcerie lavalloise",
            "stage": "consolidation",
            "needs": ["modele_economique", "emploi"],
            "jobs_fte": 12,
            "years_of_existence": 8,
            **changes,
        }
    )


def url(project):
    return f"/projets/suivi/{services.holder_token(project)}/"


def test_a_tampered_link_is_a_french_404(client):
    token = services.holder_token(laval_association())
    response = client.get(f"/projets/suivi/{token[:-2]}xx/")
    assert response.status_code == 404
    assert "Ce lien n'est pas valide ou a expiré" in response.content.decode()
    assert client.get("/projets/suivi/nimporte-quoi/").status_code == 404


def test_an_expired_link_is_a_404(client):
    project = laval_association()
    token = services.holder_token(project)
    with freeze_time(timezone.now() + datetime.timedelta(days=366)):
        assert client.get(f"/projets/suivi/{token}/").status_code == 404


def test_a_link_stops_working_when_the_email_changes(client):
    project = laval_association()
    link = url(project)
    project.holder_email = "autre@example.org"
    project.save()
    assert client.get(link).status_code == 404


def test_the_page_shows_the_project_status_and_recommendations_with_reasons(client):
    project = laval_association()
    html = client.get(url(project)).content.decode()
    assert "Ressourcerie lavalloise" in html
    assert "Nouveau : aucune mise en relation" in html
    assert "Accompagnement DLA de la Mayenne — DLA de la Mayenne" in html
    assert "<li>Adapté à une structure employeuse</li>" in html
    assert "Les financements possibles" in html
    assert "Je confirme ce projet" not in html


def test_asking_two_referrals_creates_both_and_lists_them(client, django_capture_on_commit_callbacks):
    from django.core import mail

    from tests.factories import UserFactory

    UserFactory(is_staff=True, email="guichet@maille.example")
    project = laval_association()
    dla = Offer.objects.get(slug="dla-53-accompagnement")
    other = Offer.objects.filter(organisation__slug="france-active-pdl", status="published").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(project), {"action": "refer", "offers": [dla.pk, other.pk], "message": "Bonjour"}
        )
    assert response.status_code == 302
    referrals = Referral.objects.filter(project=project)
    assert {r.offer_id for r in referrals} == {dla.pk, other.pk}
    assert {r.message for r in referrals} == {"Bonjour"}
    # Neither organisation has an account or an address: both wait at the regional desk, and the holder reads so.
    assert {r.delivery_channel for r in referrals} == {"desk"}
    assert sorted(m.to[0] for m in mail.outbox) == ["guichet@maille.example", "guichet@maille.example"]
    html = client.get(url(project)).content.decode()
    assert "Vos 2 demandes sont enregistrées." in html
    assert "envoyée à" not in html
    assert (
        html.count("transmise à l&#x27;équipe régionale d&#x27;orientation") == 4
    )  # message + both referrals
    assert html.count("En attente de réponse") >= 3  # the project's status and both referrals
    assert "Demande en cours" in html
    assert "Bonjour" in html  # the holder's own message


def test_an_offer_that_was_not_recommended_is_refused(client):
    project = laval_association()
    unrelated = Offer.objects.exclude(zones__zone_code="53").exclude(zones__zone_level="region").first()
    response = client.post(url(project), {"action": "refer", "offers": [unrelated.pk]})
    assert response.status_code == 400
    assert "ne fait pas partie des propositions" in response.content.decode()
    assert not Referral.objects.filter(project=project).exists()


def test_no_offer_checked_is_an_error(client):
    response = client.post(url(laval_association()), {"action": "refer"})
    assert response.status_code == 400
    assert "Cochez au moins une offre." in response.content.decode()


def test_a_refusal_on_the_second_offer_leaves_nothing_partial(client, monkeypatch):
    from maille.projects import views
    from maille.referrals.services import refer

    calls = []

    def refer_then_fail(project, offer, message):
        calls.append(offer.pk)
        if len(calls) == 2:
            raise ValidationError("Cette structure ne prend plus de demandes.")
        return refer(project, offer, actor=None, message=message)

    monkeypatch.setattr(views, "_refer", refer_then_fail)
    project = laval_association()
    dla = Offer.objects.get(slug="dla-53-accompagnement")
    other = Offer.objects.filter(organisation__slug="france-active-pdl", status="published").first()
    response = client.post(url(project), {"action": "refer", "offers": [dla.pk, other.pk]})
    assert response.status_code == 400
    assert "Cette structure ne prend plus de demandes." in response.content.decode()
    assert len(calls) == 2
    assert not Referral.objects.filter(project=project).exists()
    assert not project.timeline.filter(kind="referral").exists()


def test_a_detected_project_is_confirmed_by_its_holder_before_any_referral(client):
    organisation = OrganisationFactory(name="Service ESS de Laval Agglo")
    project = laval_association()
    project.detected_by = organisation
    project.save()
    html = client.get(url(project)).content.decode()
    assert "Je confirme ce projet" in html
    dla = Offer.objects.get(slug="dla-53-accompagnement")
    response = client.post(url(project), {"action": "refer", "offers": [dla.pk]})
    assert response.status_code == 400 and "Confirmez d&#x27;abord votre projet." in response.content.decode()
    assert not Referral.objects.filter(project=project).exists()

    assert client.post(url(project), {"action": "confirm"}).status_code == 302
    project.refresh_from_db()
    assert project.holder_confirmed_at is not None
    assert "Je confirme ce projet" not in client.get(url(project)).content.decode()
    assert client.post(url(project), {"action": "refer", "offers": [dla.pk]}).status_code == 302


def test_consent_is_given_and_withdrawn(client):
    project = laval_association(consent_to_share=False)
    client.post(url(project), {"action": "consent", "consent": "1"})
    project.refresh_from_db()
    assert project.consent_to_share and project.consented_at is not None
    client.post(url(project), {"action": "consent", "consent": "0"})
    project.refresh_from_db()
    assert not project.consent_to_share and project.consented_at is None


def test_the_page_stays_usable_when_the_engine_fails(client, monkeypatch):
    from maille.orientation import services as orientation

    def broken(profile, limit=8):
        raise RuntimeError("engine down")

    monkeypatch.setattr(orientation, "recommend", broken)
    response = client.get(url(laval_association()))
    assert response.status_code == 200
    assert "momentanément indisponibles" in response.content.decode()


def test_the_holders_link_is_opaque_stored_hashed_revocable_and_expires(client):
    import base64
    import datetime

    from django.utils import timezone

    from maille.projects.models import HolderLink

    project = laval_association(holder_email="camille.secret@example.org")
    token = services.holder_token(project)
    # Nothing readable in the token (the e-mail used to be in base64), nothing of it in the database.
    padded = token + "=" * (-len(token) % 4)
    assert b"camille" not in base64.urlsafe_b64decode(padded)
    assert "camille" not in token
    link = HolderLink.objects.get(project=project)
    assert token not in link.token_hash and len(link.token_hash) == 64
    assert client.get(f"/projets/suivi/{token}/").status_code == 200
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    assert client.get(f"/projets/suivi/{token}/").status_code == 404
    fresh = services.holder_token(project)
    assert client.get(f"/projets/suivi/{fresh}/").status_code == 200
    assert services.revoke_holder_links(project) >= 1
    assert client.get(f"/projets/suivi/{fresh}/").status_code == 404


def test_a_holder_with_an_account_opens_their_project_from_their_space(client):
    from tests.factories import UserFactory

    holder, other = UserFactory(), UserFactory()
    project = laval_association(holder=holder)
    client.force_login(other)
    assert client.get(f"/projets/mes-projets/{project.pk}/").status_code == 404
    client.force_login(holder)
    response = client.get(f"/projets/mes-projets/{project.pk}/")
    assert response.status_code == 302 and response.url.startswith("/projets/suivi/")
    assert client.get(response.url).status_code == 200
