"""The public intake: three steps kept in the session, French errors and nothing written on bad input, duplicates
within the window proposed for continuation, creation with one e-mail carrying a working signed link."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from maille.projects.models import Project
from tests.factories import ProjectFactory

from .conftest import VALID_SIRET, person_data, post_intake, project_data

pytestmark = pytest.mark.django_db


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_each_step_shows_where_the_person_is(client):
    html = client.get("/projets/nouveau/").content.decode()
    assert 'aria-current="step">Étape 1 sur 3' in html
    assert client.get("/projets/nouveau/projet/").status_code == 302  # step 1 first
    client.post("/projets/nouveau/", person_data())
    html = client.get("/projets/nouveau/projet/").content.decode()
    assert 'aria-current="step">Étape 2 sur 3' in html
    assert "<legend>Vos besoins" in html


def test_happy_path_creates_one_project_and_sends_one_email_with_a_working_link(
    client, django_capture_on_commit_callbacks
):
    response = post_intake(client)
    assert response.status_code == 302 and response["Location"] == "/projets/nouveau/verification/"
    review = client.get("/projets/nouveau/verification/").content.decode()
    assert 'aria-current="step">Étape 3 sur 3' in review
    assert "Laval" in review and "Consolidation" in review and "Emploi et fonction employeur" in review

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projets/nouveau/verification/", {"action": "create"})
    project = Project.objects.get(holder_email="camille.martin@example.org")
    assert Project.objects.filter(name="Ressourcerie lavalloise").count() == 1
    assert project.commune_id == "53130"
    assert project.needs == ["modele_economique", "emploi"]
    assert project.jobs_fte == 12 and project.naf == "88.10A" and project.collective
    assert project.consent_to_share and project.consented_at is not None
    assert response.status_code == 302 and response["Location"].startswith("/projets/suivi/")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/projets/suivi/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert "Ressourcerie lavalloise" in page.content.decode()
    # the session is cleared: a new intake starts empty
    assert "camille.martin" not in client.get("/projets/nouveau/").content.decode()


@pytest.mark.parametrize(
    ("step", "changes", "field", "message"),
    [
        (
            "person",
            {"holder_email": "pas-une-adresse"},
            "holder_email",
            "Saisissez une adresse e-mail valide",
        ),
        ("person", {"holder_name": ""}, "holder_name", "Ce champ est obligatoire"),
        ("project", {"siret": "73282932000075"}, "siret", "Ce SIRET n&#x27;est pas valide"),
        ("project", {"siret": "1234"}, "siret", "Ce SIRET n&#x27;est pas valide"),
        ("project", {"commune": "Xyzzyville"}, "commune", "Aucune commune ne correspond à « Xyzzyville »"),
        ("project", {"needs": None}, "needs", "Choisissez au moins un besoin"),
        ("project", {"naf": "8810"}, "naf", "Ce code NAF n&#x27;est pas au bon format"),
        ("project", {"jobs_fte": "-1"}, "jobs_fte", "supérieure ou égale à 0"),
        (
            "project",
            {"legal_form": "non_creee", "siret": VALID_SIRET},
            "siret",
            "pas encore créée n&#x27;a pas",
        ),
    ],
)
def test_bad_input_gives_a_french_error_linked_to_its_field_and_writes_nothing(
    client, step, changes, field, message
):
    if step == "person":
        response = client.post("/projets/nouveau/", person_data(**changes))
    else:
        response = post_intake(client, project=project_data(**changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'role="alert"' in html
    assert f'id="id_{field}_error"' in html
    assert client.post("/projets/nouveau/verification/", {"action": "create"}).status_code == 302
    assert not Project.objects.filter(holder_email__startswith="camille").exists()


def test_an_ambiguous_commune_offers_candidates_then_the_pick_is_kept(client):
    client.post("/projets/nouveau/", person_data())
    response = client.post("/projets/nouveau/projet/", project_data(commune="Saint-Martin"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez votre commune" in html
    code = re.search(r'name="commune_code" value="(\d{5})"', html).group(1)
    response = client.post(
        "/projets/nouveau/projet/", project_data(commune="Saint-Martin", commune_code=code)
    )
    assert response.status_code == 302
    client.post("/projets/nouveau/verification/", {"action": "create"})
    assert Project.objects.get(holder_email="camille.martin@example.org").commune_id == code


def test_a_postal_code_or_insee_code_is_understood(client):
    post_intake(client, project=project_data(commune="53000"))
    client.post("/projets/nouveau/verification/", {"action": "create"})
    assert Project.objects.get(holder_email="camille.martin@example.org").commune_id == "53130"


def test_a_valid_siret_with_spaces_is_kept_as_digits(client):
    post_intake(client, project=project_data(siret="732 829 320 00074"))
    client.post("/projets/nouveau/verification/", {"action": "create"})
    assert Project.objects.get(holder_email="camille.martin@example.org").siret == VALID_SIRET


def test_same_email_within_21_days_is_proposed_by_email_never_on_screen(
    client, django_capture_on_commit_callbacks
):
    """Typing someone's e-mail must not tell who filed a project: the proposal goes to the address on file."""
    with freeze_time(timezone.now() - datetime.timedelta(days=20)):
        existing = ProjectFactory(holder_email="camille.martin@example.org", name="Ancien projet")
    post_intake(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projets/nouveau/verification/", {"action": "create"})
    assert response.status_code == 302  # the same answer as for a first project
    page = client.get(response.url).content.decode()
    assert "déjà déposé" not in page and "Ancien projet" not in page
    assert Project.objects.filter(holder_email="camille.martin@example.org").count() == 2
    proposal = next(m for m in mail.outbox if "déjà un projet en cours" in m.subject)
    assert proposal.to == [existing.holder_email]
    assert "Ancien projet" in proposal.body and "/projets/suivi/" in proposal.body


def test_same_siret_within_21_days_tells_the_holder_on_file_only(client, django_capture_on_commit_callbacks):
    ProjectFactory(holder_email="autre@example.org", siret=VALID_SIRET, name="Projet de l'autre")
    post_intake(client, project=project_data(siret=VALID_SIRET))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projets/nouveau/verification/", {"action": "create"})
    assert response.status_code == 302
    assert "Projet de l&#x27;autre" not in client.get(response.url).content.decode()
    assert Project.objects.filter(siret=VALID_SIRET).count() == 2
    [proposal] = [m for m in mail.outbox if m.to == ["autre@example.org"]]
    assert "le SIRET de votre structure" in proposal.body


def test_after_21_days_there_is_no_duplicate_proposal(client):
    with freeze_time(timezone.now() - datetime.timedelta(days=22)):
        ProjectFactory(holder_email="camille.martin@example.org")
    post_intake(client)
    response = client.post("/projets/nouveau/verification/", {"action": "create"})
    assert response.status_code == 302
    assert Project.objects.filter(holder_email="camille.martin@example.org").count() == 2


def test_lost_link_answers_the_same_whatever_the_address(client, django_capture_on_commit_callbacks):
    ProjectFactory(holder_email="connu@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = main(client.post("/projets/lien/", {"email": "connu@example.org"}))
        unknown = main(client.post("/projets/lien/", {"email": "inconnu@example.org"}))
    assert known.replace("connu@", "X@") == unknown.replace("inconnu@", "X@")
    assert [m.to for m in mail.outbox] == [["connu@example.org"]]


def test_a_line_break_in_the_name_gives_a_single_line_subject_and_both_happen(
    client, django_capture_on_commit_callbacks
):
    post_intake(client, project=project_data(name="Projet\r\nBcc: x@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projets/nouveau/verification/", {"action": "create"})
    assert response.status_code == 302
    project = Project.objects.get(holder_email="camille.martin@example.org")
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.to == ["camille.martin@example.org"] and not message.bcc
    assert "x@example.org" not in message.message().get("Bcc", "")
    assert project.pk
