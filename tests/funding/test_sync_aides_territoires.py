"""`sync_aides_territoires` on recorded responses of the Aides-territoires API (our own, in its v1 format): what fits
the region and its audiences is imported « à relire », hand-entered schemes are never duplicated, a later run updates
what changed but never a field a person edited, a bad file is refused with nothing written."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maille.directory.enums import Origin, PublicationStatus
from maille.directory.models import Organisation
from maille.funding.models import FundingScheme

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
AIDS = str(FIXTURES / "aides_territoires_aids.json")
LATER = str(FIXTURES / "aides_territoires_aids_later.json")


def sync(*files, dry_run=False):
    out = StringIO()
    args = [arg for path in files for arg in ("--file", path)]
    call_command(
        "sync_aides_territoires", *args, *(["--dry-run"] if dry_run else []), stdout=out, verbosity=0
    )
    return out.getvalue()


def imported():
    return FundingScheme.objects.filter(origin=Origin.AIDES_TERRITOIRES)


def test_aids_of_the_region_for_associations_or_ess_enterprises_are_imported_to_review():
    hand_made = FundingScheme.objects.exclude(origin=Origin.AIDES_TERRITOIRES).count()
    output = sync(AIDS)
    assert "2 nouvelles fiches, 0 mises à jour, 0 inchangées, 5 ignorées" in output
    assert set(imported().values_list("external_id", flat=True)) == {"910001", "910002"}
    assert FundingScheme.objects.exclude(origin=Origin.AIDES_TERRITOIRES).count() == hand_made
    grant = imported().get(external_id="910001")
    assert grant.status == PublicationStatus.TO_REVIEW
    assert grant.kind == "subvention" and grant.recurrence == "recurrent"
    assert grant.legal_forms == ["association"]
    assert grant.stages == ["emergence", "creation", "developpement"]
    assert "financement" in grant.needs and "emploi" in grant.needs
    assert grant.rate == "20 à 50 %"
    assert str(grant.closes_on) == "2027-01-31"
    assert list(grant.zones.values_list("zone_level", "zone_code")) == [("region", "52")]
    assert grant.source_url == "https://fondation-exemple.example.org/appel-utilite-sociale"
    assert grant.external_url.startswith("https://aides-territoires.beta.gouv.fr/aides/910001")
    assert "<" not in grant.description and "Éligibilité" in grant.description
    funder = grant.funders.get()
    assert funder.name == "Fondation d'exemple Grand Ouest" and funder.origin == Origin.AIDES_TERRITOIRES
    loan = imported().get(external_id="910002")
    assert loan.kind == "pret" and loan.amount_max == 20000
    assert set(loan.legal_forms) == {"association", "scop", "scic", "cooperative", "societe_ess"}
    assert "numerique" in loan.needs
    assert list(loan.zones.values_list("zone_level", "zone_code")) == [("departement", "53")]


def test_the_summary_gives_each_reason_for_skipping():
    output = sync(AIDS)
    assert "périmètre hors de la région" in output
    assert "ni les associations ni les entreprises de l'ESS ne sont visées" in output
    assert "déjà saisi à la main" in output


def test_a_hand_entered_scheme_is_never_duplicated_by_url_or_by_funder_and_name():
    sync(AIDS)
    assert not imported().filter(external_id__in=["910005", "910006"]).exists()
    assert FundingScheme.objects.filter(name="Aide régionale aux PTCE – émergence").count() == 1


def test_running_again_changes_nothing():
    sync(AIDS)
    output = sync(AIDS)
    assert "0 nouvelles fiches, 0 mises à jour, 2 inchangées" in output
    assert imported().count() == 2


def test_a_later_response_updates_what_changed_but_keeps_a_persons_edit():
    sync(AIDS)
    grant = imported().get(external_id="910001")
    grant.name = "Appel utilité sociale (titre relu par l'équipe)"
    grant.mark_edited(["name"])
    grant.save()
    output = sync(LATER)
    assert "0 nouvelles fiches, 1 mises à jour" in output
    grant.refresh_from_db()
    assert str(grant.closes_on) == "2027-02-28"
    assert grant.name == "Appel utilité sociale (titre relu par l'équipe)"


def test_a_published_import_stays_published_when_updated():
    sync(AIDS)
    imported().filter(external_id="910001").update(status=PublicationStatus.PUBLISHED)
    sync(LATER)
    assert imported().get(external_id="910001").status == PublicationStatus.PUBLISHED


def test_dry_run_counts_and_writes_nothing():
    organisations = Organisation.objects.count()
    output = sync(AIDS, dry_run=True)
    assert "2 nouvelles fiches" in output and "rien n'a été enregistré" in output
    assert not imported().exists()
    assert Organisation.objects.count() == organisations


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"count": 1, "results": [{"id": 1, "name": "sans périmètre"}]}', "n'a pas les champs"),
        ("<html>erreur</html>", "n'est pas une réponse JSON lisible"),
        ('{"detail": "Invalid token"}', "une liste « results » d'aides est attendue"),
    ],
)
def test_a_bad_file_is_refused_in_french_with_nothing_written(tmp_path, content, message):
    path = tmp_path / "reponse.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        sync(AIDS, str(path))
    assert not imported().exists()


def test_without_file_or_token_the_command_says_what_to_do(monkeypatch):
    monkeypatch.delenv("AIDES_TERRITOIRES_API_KEY", raising=False)
    with pytest.raises(CommandError, match="AIDES_TERRITOIRES_API_KEY"):
        call_command("sync_aides_territoires", verbosity=0)
