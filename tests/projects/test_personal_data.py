"""The holders' personal data: the audit of who viewed it (file, referral page, API) shown to staff; the holder's
JSON copy and erasure from their page; the retention command; the privacy page."""

import datetime
import html
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from maille.core.models import AuditEntry, OutboxEmail
from maille.projects import privacy, services
from maille.projects.models import FundingLine, Project
from maille.referrals.models import Referral
from tests.factories import (
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    ProjectFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    organisation = OrganisationFactory(name="Réseau de test")
    advisor = MembershipFactory(organisation=organisation).user
    stranger = MembershipFactory().user
    staff = UserFactory(is_staff=True, is_superuser=True)
    project = ProjectFactory(
        holder_name="Camille Secret",
        holder_email="camille.secret@example.org",
        holder_phone="06 12 34 56 78",
        name="Épicerie de Camille",
        description="Camille ouvre une épicerie solidaire rue des Lilas.",
        siret="73282932000074",
        stage="creation",
    )
    second = ProjectFactory(
        holder_name="Camille Secret",
        holder_email="CAMILLE.SECRET@example.org",
        name="Second projet de Camille",
    )
    other = ProjectFactory(holder_name="Dominique Autre", holder_email="dominique@example.org")
    referral = ReferralFactory(
        project=project, offer=OfferFactory(organisation=organisation), message="Je m'appelle Camille Secret."
    )
    services.log_timeline(project, advisor, "note", "Rendez-vous avec Camille au 06 12 34 56 78.")
    services.set_consent(project, True)
    line = FundingLine.objects.create(
        project=project, funder=OrganisationFactory(), expense="Local de Camille", amount_asked=5000
    )
    return {
        "organisation": organisation,
        "advisor": advisor,
        "stranger": stranger,
        "staff": staff,
        "project": project,
        "second": second,
        "other": other,
        "referral": referral,
        "line": line,
    }


def views_of(project, via=None):
    entries = AuditEntry.objects.filter(
        action="project.view", target_type="projects.project", target_id=str(project.pk)
    )
    return entries.filter(data__via=via) if via else entries


# --- who viewed it ------------------------------------------------------------------------------------------------


def test_opening_the_project_file_is_logged_once_per_quarter_hour(world):
    client = as_user(world["advisor"])
    assert client.get(f"/projets/{world['project'].pk}/").status_code == 200
    assert client.get(f"/projets/{world['project'].pk}/").status_code == 200
    entries = views_of(world["project"], "file")
    assert entries.count() == 1
    assert entries.get().actor == world["advisor"]


def test_a_refused_visit_is_not_a_view(world):
    assert as_user(world["stranger"]).get(f"/projets/{world['project'].pk}/").status_code == 403
    assert not views_of(world["project"]).exists()


def test_the_referral_page_showing_the_contact_is_logged(world):
    response = as_user(world["advisor"]).get(f"/mises-en-relation/{world['referral'].pk}/")
    assert response.status_code == 200
    assert "camille.secret@example.org" in response.content.decode()
    assert views_of(world["project"], "referral").get().actor == world["advisor"]


def test_the_referral_page_without_the_contact_is_not_logged(world):
    services.set_consent(world["project"], False)
    response = as_user(world["advisor"]).get(f"/mises-en-relation/{world['referral'].pk}/")
    assert response.status_code == 200
    assert "camille.secret@example.org" not in response.content.decode()
    assert not views_of(world["project"], "referral").exists()


def test_the_api_detail_with_the_holder_is_logged(world):
    response = as_user(world["advisor"]).get(f"/api/v1/projects/{world['project'].pk}")
    assert response.status_code == 200
    assert response.json()["holder"]["email"] == "camille.secret@example.org"
    assert views_of(world["project"], "api").get().actor == world["advisor"]


def test_staff_see_the_log_on_the_project_admin_page_and_in_the_audit_list(world):
    as_user(world["advisor"]).get(f"/projets/{world['project'].pk}/")
    staff = as_user(world["staff"])
    page = staff.get(f"/admin/projects/project/{world['project'].pk}/change/").content.decode()
    assert "project.view" in page and world["advisor"].email in page
    assert "project.consent" in page and "project.timeline" in page
    listing = staff.get("/admin/core/auditentry/?action=project.view")
    assert listing.status_code == 200
    assert str(world["project"].pk) in listing.content.decode()


def test_the_audit_log_is_read_only_in_the_back_office(world):
    entry = AuditEntry.objects.first()
    staff = as_user(world["staff"])
    assert staff.get("/admin/core/auditentry/add/").status_code == 403
    assert staff.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_advisors_cannot_open_the_audit_log(world):
    response = as_user(world["advisor"]).get("/admin/core/auditentry/")
    assert response.status_code == 302


# --- the holder's copy --------------------------------------------------------------------------------------------


def test_the_holder_downloads_every_project_of_their_email(world):
    token = services.holder_token(world["project"])
    page = Client().get(f"/projets/suivi/{token}/").content.decode()
    assert f"/projets/suivi/{token}/mes-donnees.json" in page
    assert f"/projets/suivi/{token}/effacement/" in page
    response = Client().get(f"/projets/suivi/{token}/mes-donnees.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    names = [item["projet"]["nom"] for item in data["projets"]]
    assert names == ["Épicerie de Camille", "Second projet de Camille"]
    first = data["projets"][0]
    assert first["porteur"] == {
        "nom": "Camille Secret",
        "email": "camille.secret@example.org",
        "telephone": "06 12 34 56 78",
    }
    assert [r["message"] for r in first["mises_en_relation"]] == ["Je m'appelle Camille Secret."]
    assert any("Rendez-vous avec Camille" in e["texte"] for e in first["historique"])
    assert first["plan_de_financement"]["lignes"][0]["depense"] == "Local de Camille"
    assert first["partage"]["accord"] is True
    assert [h["accord"] for h in first["partage"]["historique"]] == [True]
    assert "Dominique" not in response.content.decode()
    assert "token_hash" not in response.content.decode()
    assert AuditEntry.objects.filter(action="project.export", target_id=str(world["project"].pk)).exists()


def test_a_bad_link_downloads_nothing(world):
    response = Client().get("/projets/suivi/inconnu/mes-donnees.json")
    assert response.status_code == 404
    assert "camille" not in response.content.decode().lower()


# --- erasure ------------------------------------------------------------------------------------------------------


def test_erasure_asks_for_confirmation_and_changes_nothing_without_it(world):
    token = services.holder_token(world["project"])
    page = Client().get(f"/projets/suivi/{token}/effacement/")
    assert page.status_code == 200
    assert "Second projet de Camille" in page.content.decode()
    response = Client().post(f"/projets/suivi/{token}/effacement/", {})
    assert response.status_code == 400
    assert "rien n'a été effacé" in html.unescape(response.content.decode())
    world["project"].refresh_from_db()
    assert world["project"].holder_email == "camille.secret@example.org"
    assert world["project"].anonymised_at is None
    assert Client().get(f"/projets/suivi/{token}/").status_code == 200


def test_erasure_anonymises_every_project_of_the_email_and_keeps_the_statistics(
    world, django_capture_on_commit_callbacks
):
    project = world["project"]
    token = services.holder_token(project)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/projets/suivi/{token}/effacement/", {"confirm": "1"})
    assert response.status_code == 200
    assert "sont effacées" in response.content.decode()

    project.refresh_from_db()
    assert project.anonymised_at is not None
    assert project.holder_name == "Personne anonymisée"
    assert project.holder_email.endswith("@anonyme.invalid")
    assert project.holder_phone == "" and project.siret == ""
    assert "Camille" not in project.name and "Camille" not in project.description
    # Statistics kept
    assert project.stage == "creation" and project.commune_id == "53130"
    referral = Referral.objects.get(pk=world["referral"].pk)
    assert referral.status == world["referral"].status and referral.message == ""
    assert FundingLine.objects.get(pk=world["line"].pk).amount_asked == 5000
    assert not project.timeline.filter(text__icontains="Camille").exists()
    assert project.timeline.filter(text="Données personnelles effacées à la demande du porteur.").exists()
    # The second project of the same e-mail too, not the other holder's
    assert Project.objects.get(pk=world["second"].pk).anonymised_at is not None
    other = Project.objects.get(pk=world["other"].pk)
    assert other.anonymised_at is None and other.holder_name == "Dominique Autre"
    # Links revoked, confirmation e-mailed to the address it had
    assert Client().get(f"/projets/suivi/{token}/").status_code == 404
    assert not project.holder_links.filter(revoked_at__isnull=True).exists()
    assert [m.to for m in mail.outbox] == [["camille.secret@example.org"]]
    assert "effacées" in mail.outbox[0].subject
    # Nothing personal left in the database
    for text in ("camille.secret@example.org", "06 12 34 56 78", "Camille Secret"):
        assert not Project.objects.filter(holder_email__icontains=text).exists()
        assert not Project.objects.filter(holder_name__icontains=text).exists()
    earlier = OutboxEmail.objects.exclude(template="project_erased")
    assert not earlier.filter(to__iexact="camille.secret@example.org").exists()
    assert AuditEntry.objects.filter(
        action="project.erase", target_id=str(project.pk), data__reason="holder"
    ).exists()


def test_erasure_unpublishes_a_success_story_about_the_project(world):
    from maille.showcase.models import Story

    story = Story.objects.create(
        title="L'épicerie de Camille",
        slug="epicerie-camille",
        text="Camille raconte.",
        sector=Story._meta.get_field("sector").choices[0][0],
        family=Story._meta.get_field("family").choices[0][0],
        project=world["project"],
        status="published",
        published_at=timezone.now(),
        consent_given_at=timezone.now(),
    )
    privacy.anonymise(world["project"])
    story.refresh_from_db()
    assert story.status == "draft" and story.consent_withdrawn_at is not None


def test_anonymising_twice_changes_nothing(world):
    assert privacy.anonymise(world["project"], reason="staff") is True
    assert privacy.anonymise(world["project"], reason="staff") is False
    assert AuditEntry.objects.filter(action="project.erase", target_id=str(world["project"].pk)).count() == 1


def test_an_erased_project_still_counts_for_the_organisation_without_personal_data(world):
    privacy.anonymise(world["project"])
    response = as_user(world["advisor"]).get(f"/projets/{world['project'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "camille.secret@example.org" not in body and "Camille Secret" not in body
    assert not views_of(world["project"]).exists()  # an anonymised file has no personal data left to log


# --- the retention period -----------------------------------------------------------------------------------------


def _age(project, days):
    old = timezone.now() - datetime.timedelta(days=days)
    Project.objects.filter(pk=project.pk).update(updated_at=old)
    project.timeline.update(created_at=old)
    project.referrals.update(created_at=old)
    project.funding_lines.update(updated_at=old)


def test_the_retention_command_anonymises_inactive_projects_only(world):
    _age(world["project"], 40 * 30)
    _age(world["other"], 10 * 30)
    out, err = StringIO(), StringIO()
    call_command("purge_inactive_projects", stdout=out, stderr=err)
    assert "1 projet(s) anonymisé(s) sur 1" in out.getvalue() and "36 mois" in out.getvalue()
    assert Project.objects.get(pk=world["project"].pk).anonymised_at is not None
    assert Project.objects.get(pk=world["other"].pk).anonymised_at is None
    assert (
        Project.objects.get(pk=world["second"].pk).anonymised_at is None
    )  # recent, although the same e-mail
    assert AuditEntry.objects.filter(action="project.erase", data__reason="retention").count() == 1


def test_recent_activity_in_the_timeline_keeps_a_project(world):
    _age(world["project"], 40 * 30)
    services.log_timeline(world["project"], world["advisor"], "note", "Toujours suivi.")
    Project.objects.filter(pk=world["project"].pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=1300)
    )
    assert world["project"].pk not in set(privacy.inactive_projects(36).values_list("pk", flat=True))


def test_the_retention_command_takes_months_and_a_setting_and_dry_runs(world, settings):
    _age(world["other"], 10 * 30)
    out = StringIO()
    call_command("purge_inactive_projects", "--months", "6", "--dry-run", stdout=out, stderr=StringIO())
    assert "seraient anonymisés" in out.getvalue()
    assert Project.objects.get(pk=world["other"].pk).anonymised_at is None
    settings.MAILLE_PERSONAL_DATA_RETENTION_MONTHS = 6
    call_command("purge_inactive_projects", stdout=StringIO(), stderr=StringIO())
    assert Project.objects.get(pk=world["other"].pk).anonymised_at is not None


# --- the privacy page ---------------------------------------------------------------------------------------------


def test_the_privacy_page_is_in_the_footer_and_says_how_long_and_how(world):
    home = Client().get("/").content.decode()
    assert 'href="/donnees-personnelles/"' in home
    page = Client().get("/donnees-personnelles/")
    assert page.status_code == 200
    body = page.content.decode()
    for words in (
        "Ce que nous gardons",
        "Pourquoi",
        "3 ans",
        "Qui les voit",
        "Télécharger mes données",
        "CNIL",
    ):
        assert words in body
