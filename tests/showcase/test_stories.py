"""Success stories: photos resized and stripped of EXIF, alt text required, draft → published, the holder's consent
(required for a story from a project, withdrawable, which unpublishes), the public list with filters, the Atom feed."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from maille.projects.services import holder_token
from maille.showcase import services
from maille.showcase.forms import StoryAdminForm
from maille.showcase.models import Story
from tests.factories import ProjectFactory, UserFactory

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_exif(width=3000, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Appareil-Secret"  # Make
    exif[0x8825] = {1: "N", 2: (47.0, 28.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def form_data(**extra):
    return {
        "title": "Le Repair café",
        "slug": "repair-cafe",
        "text": "Des bénévoles réparent.",
        "sector": "reemploi",
        "family": "association",
        "status": "draft",
        **extra,
    }


def test_an_uploaded_photo_is_resized_and_loses_its_exif():
    upload = SimpleUploadedFile("photo.jpg", jpeg_with_exif(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(jpeg_with_exif())).getexif()  # the original has metadata
    form = StoryAdminForm(form_data(photo_alt="Deux bénévoles réparent un grille-pain."), {"photo": upload})
    assert form.is_valid(), form.errors
    story = form.save()
    with Image.open(story.photo.path) as saved:
        assert max(saved.size) == 1600
        assert saved.format == "JPEG"
        assert not saved.getexif()
        assert "exif" not in saved.info
    with open(story.photo.path, "rb") as saved_file:
        assert b"Appareil-Secret" not in saved_file.read()


def test_a_photo_needs_its_alt_text_and_a_bad_file_is_refused():
    upload = SimpleUploadedFile("photo.jpg", jpeg_with_exif(40, 30), content_type="image/jpeg")
    form = StoryAdminForm(form_data(), {"photo": upload})
    assert not form.is_valid()
    assert "texte alternatif est obligatoire" in str(form.errors["photo_alt"])
    bogus = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    form = StoryAdminForm(form_data(photo_alt="x"), {"photo": bogus})
    assert not form.is_valid()
    assert not Story.objects.exists()


def test_the_database_refuses_a_photo_without_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryFactory(photo="showcase/stories/x.jpg", photo_alt="")


def test_staff_publish_a_draft_and_the_public_sees_it(client):
    story = StoryFactory(status="draft", published_at=None, title="Brouillon lavallois")
    assert client.get(reverse("showcase:story", args=[story.slug])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.publish(story, UserFactory())
    services.publish(story, UserFactory(is_staff=True))
    story.refresh_from_db()
    assert story.status == "published" and story.published_at
    assert "Brouillon lavallois" in client.get(reverse("showcase:story", args=[story.slug])).content.decode()


def test_a_story_from_a_project_is_published_only_with_its_holders_consent(client):
    from django.core import mail

    project = ProjectFactory(holder_email="porteuse@example.org")
    story = StoryFactory(status="draft", published_at=None, project=project)
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.StoryError, match="accord"):
        services.publish(story, staff)
    link = services.request_consent(story, staff)
    assert mail.outbox[-1].to == ["porteuse@example.org"] and link in mail.outbox[-1].body
    response = client.post(link.replace("http://127.0.0.1:8000", ""), {"choice": "give"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.has_consent
    services.publish(story, staff)
    assert client.get(reverse("showcase:story", args=[story.slug])).status_code == 200


def test_withdrawing_consent_unpublishes_the_story(client):
    project = ProjectFactory()
    story = StoryFactory(project=project, consent_given_at="2026-01-01T10:00Z")
    assert client.get(reverse("showcase:stories")).content.decode().count(story.title) == 1
    url = reverse("showcase:story_consent", args=[story.pk, holder_token(project)])
    client.post(url, {"choice": "withdraw"})
    story.refresh_from_db()
    assert story.status == "draft" and story.consent_withdrawn_at and not story.has_consent
    assert story.title not in client.get(reverse("showcase:stories")).content.decode()
    assert client.get(reverse("showcase:story", args=[story.slug])).status_code == 404
    with pytest.raises(services.StoryError):
        services.publish(story, UserFactory(is_staff=True))


def test_a_consent_link_of_another_project_does_not_work(client):
    story = StoryFactory(project=ProjectFactory(), consent_given_at="2026-01-01T10:00Z")
    other = ProjectFactory()
    url = reverse("showcase:story_consent", args=[story.pk, holder_token(other)])
    assert client.post(url, {"choice": "withdraw"}).status_code == 404
    story.refresh_from_db()
    assert story.status == "published"


def test_the_public_list_filters_by_sector_family_and_departement(client):
    StoryFactory(title="Recyclerie de Laval", sector="reemploi", family="association")
    StoryFactory(
        title="Coopérative nantaise", sector="alimentation", family="cooperative", commune_id="44109"
    )
    StoryFactory(title="Brouillon caché", status="draft", published_at=None)

    def titles(**params):
        text = client.get(reverse("showcase:stories"), params).content.decode()
        return {t for t in ("Recyclerie de Laval", "Coopérative nantaise", "Brouillon caché") if t in text}

    assert titles() == {"Recyclerie de Laval", "Coopérative nantaise"}
    assert titles(sector="alimentation") == {"Coopérative nantaise"}
    assert titles(family="association") == {"Recyclerie de Laval"}
    assert titles(departement="44") == {"Coopérative nantaise"}
    assert (
        "Aucune réussite ne correspond"
        in client.get(reverse("showcase:stories"), {"q": "introuvable"}).content.decode()
    )


def test_the_atom_feed_lists_the_published_stories(client):
    StoryFactory(title="Réussite publiée")
    StoryFactory(title="Réussite en brouillon", status="draft", published_at=None)
    response = client.get(reverse("showcase:stories_feed"))
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    assert titles == ["Réussite publiée"]
    assert root.find("a:entry/a:id", ns) is not None and root.find("a:entry/a:updated", ns) is not None


def test_a_draft_storys_photo_is_not_public(client):
    story = StoryFactory(status="draft", published_at=None)
    story.photo.save("x.jpg", io.BytesIO(jpeg_with_exif(10, 10)), save=False)
    story.photo_alt = "Un carré orange."
    story.save()
    assert client.get(reverse("showcase:story_photo", args=[story.pk])).status_code == 404
    services.publish(story, UserFactory(is_staff=True))
    response = client.get(reverse("showcase:story_photo", args=[story.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
