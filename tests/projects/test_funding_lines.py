"""Lines of the funding plan: edited and withdrawn by those who complete the file, sent to the funder, granted or
refused by the funder concerned (`services.LINE_TRANSITIONS`), each move audited and written to the timeline; the
scheme list follows the chosen funder; totals leave refused and withdrawn lines out."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from maille.accounts.enums import MemberRole
from maille.core.models import AuditEntry
from maille.directory.enums import OrganisationKind
from maille.projects import perms, services
from maille.projects.models import FundingLine
from maille.projects.selectors import funding_plan
from tests.factories import (
    FundingSchemeFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """A project referred (pending) to an organisation with an advisor, and a funder with a funder member."""
    referral = ReferralFactory(project=ProjectFactory(name="Tiers-lieu des Fontaines"))
    advisor = MembershipFactory(organisation=referral.organisation, role=MemberRole.ADVISOR).user
    funder = OrganisationFactory(name="Fondation test", slug="fondation-test", kind=OrganisationKind.FUNDER)
    funder_member = MembershipFactory(organisation=funder, role=MemberRole.FUNDER).user
    return referral.project, advisor, funder, funder_member


def line_of(project, funder, status="asked", asked=45000, **fields):
    return FundingLine.objects.create(
        project=project,
        funder=funder,
        expense="Aménagement",
        amount_asked=Decimal(asked),
        status=status,
        **fields,
    )


def move(client, line, action, **data):
    return client.post(
        f"/projets/{line.project_id}/financement/{line.pk}/statut/", {"action": action, **data}
    )


def test_an_advisor_adds_a_line_typed_the_french_way(client, plan):
    project, advisor, funder, _member = plan
    client.force_login(advisor)
    response = client.post(
        f"/projets/{project.pk}/financement/",
        {
            "line-funder": funder.pk,
            "line-expense": "Aménagement",
            "line-amount_asked": "45\u202f000,00 €",
            "line-status": "asked",
        },
    )
    assert response.status_code == 302
    line = FundingLine.objects.get(project=project)
    assert line.amount_asked == Decimal(45000) and line.status == "asked"
    assert "45\xa0000,00 € demandés" in project.timeline.get(kind="funding").text


def test_the_funder_grants_part_of_what_was_asked_from_its_page(client, plan):
    project, _advisor, funder, member = plan
    line = line_of(project, funder)
    client.force_login(member)
    html = client.get("/projets/financeur/fondation-test/").content.decode()
    assert "Accorder ou refuser" in html
    page = client.get(f"/projets/{project.pk}/financement/{line.pk}/")
    assert page.status_code == 200 and "Accorder" in page.content.decode()
    response = move(
        client,
        line,
        "grant",
        **{"grant-amount_granted": "40 000", "next": "/projets/financeur/fondation-test/"},
    )
    assert response.status_code == 302 and response["Location"] == "/projets/financeur/fondation-test/"
    line.refresh_from_db()
    assert line.status == "granted" and line.amount_granted == Decimal(40000)
    entry = project.timeline.get(kind="funding")
    assert (
        "Fondation test accorde 40" in entry.text and entry.organisation == funder and entry.author == member
    )
    audit = AuditEntry.objects.get(action="project.funding_line.grant")
    assert audit.actor == member and audit.target_id == str(line.pk)
    assert funding_plan(project).total_granted == Decimal(40000)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("50 000", "ne peut pas dépasser le montant demandé (45"),
        ("0", "doit être supérieur à 0"),
        ("beaucoup", "Saisissez un montant, par exemple 45 000 ou 8 000,50."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_a_bad_grant_is_explained_and_nothing_changes(client, plan, typed, message):
    project, _advisor, funder, member = plan
    line = line_of(project, funder)
    client.force_login(member)
    response = move(client, line, "grant", **{"grant-amount_granted": typed})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    line.refresh_from_db()
    assert line.status == "asked" and line.amount_granted is None
    assert not project.timeline.filter(kind="funding").exists()


def test_the_funder_refuses_and_the_line_is_no_longer_counted(client, plan):
    project, _advisor, funder, member = plan
    line = line_of(project, funder)
    other = line_of(project, OrganisationFactory(), asked=5000)
    client.force_login(member)
    assert move(client, line, "refuse").status_code == 302
    line.refresh_from_db()
    assert line.status == "refused"
    totals = funding_plan(project)
    assert totals.total_asked == other.amount_asked and totals.funders_count == 1
    assert "refuse la demande" in project.timeline.get(kind="funding").text


def test_only_the_funder_decides_when_it_is_on_maille(client, plan):
    project, advisor, funder, _member = plan
    line = line_of(project, funder)
    client.force_login(advisor)
    assert move(client, line, "grant", **{"grant-amount_granted": "1 000"}).status_code == 403
    assert move(client, line, "refuse").status_code == 403
    client.force_login(
        MembershipFactory(organisation=funder, role=MemberRole.ADVISOR).user
    )  # not a funder role
    assert move(client, line, "refuse").status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert move(client, line, "refuse").status_code == 403
    line.refresh_from_db()
    assert line.status == "asked"
    with pytest.raises(PermissionDenied):
        services.grant_funding_line(line, advisor, Decimal(1))


def test_for_a_funder_without_anyone_on_maille_the_file_records_its_decision(client, plan):
    project, advisor, _funder, _member = plan
    line = line_of(project, OrganisationFactory(name="Banque sans compte", kind=OrganisationKind.FUNDER))
    assert perms.can_decide_funding_line(advisor, line)
    client.force_login(advisor)
    assert "Modifier, accorder ou refuser" in client.get(f"/projets/{project.pk}/").content.decode()
    assert move(client, line, "grant", **{"grant-amount_granted": "45 000"}).status_code == 302
    line.refresh_from_db()
    assert line.status == "granted" and line.amount_granted == Decimal(45000)


def test_a_line_cannot_be_added_as_granted_for_a_funder_on_maille(client, plan):
    project, advisor, funder, _member = plan
    client.force_login(advisor)
    response = client.post(
        f"/projets/{project.pk}/financement/",
        {
            "line-funder": funder.pk,
            "line-expense": "Étude",
            "line-amount_asked": "1 000",
            "line-amount_granted": "1 000",
            "line-status": "granted",
        },
    )
    assert response.status_code == 400
    assert "c&#x27;est à ce financeur d&#x27;accorder ou de refuser" in response.content.decode()
    assert not FundingLine.objects.filter(project=project).exists()


def test_a_line_added_as_granted_needs_an_amount_at_most_the_amount_asked(client, plan):
    project, advisor, _funder, _member = plan
    client.force_login(advisor)
    response = client.post(
        f"/projets/{project.pk}/financement/",
        {
            "line-funder": OrganisationFactory(kind=OrganisationKind.FUNDER).pk,
            "line-expense": "Étude",
            "line-amount_asked": "1 000",
            "line-amount_granted": "2 000",
            "line-status": "granted",
        },
    )
    assert response.status_code == 400 and "ne peut pas dépasser" in response.content.decode()
    assert not FundingLine.objects.filter(project=project).exists()


def test_a_planned_line_is_sent_to_the_funder_and_then_shows_on_its_page(client, plan):
    project, advisor, funder, member = plan
    line = line_of(project, funder, status="planned")
    client.force_login(member)
    assert "Aménagement" not in client.get("/projets/financeur/fondation-test/").content.decode()
    assert client.get(f"/projets/{project.pk}/financement/{line.pk}/").status_code == 403
    client.force_login(advisor)
    assert move(client, line, "ask").status_code == 302
    line.refresh_from_db()
    assert line.status == "asked"
    assert "Demande adressée à Fondation test" in project.timeline.get(kind="funding").text
    client.force_login(member)
    assert "Aménagement" in client.get("/projets/financeur/fondation-test/").content.decode()


def test_an_open_line_is_withdrawn_listed_but_not_counted(client, plan):
    project, advisor, funder, member = plan
    line = line_of(project, funder)
    client.force_login(member)
    assert move(client, line, "withdraw").status_code == 403  # the funder does not withdraw a project's line
    client.force_login(advisor)
    assert move(client, line, "withdraw").status_code == 302
    line.refresh_from_db()
    assert line.status == "withdrawn"
    totals = funding_plan(project)
    assert totals.total_asked == 0 and totals.lines == [line] and totals.double_funded == []
    html = client.get(f"/projets/{project.pk}/").content.decode()
    assert "Retiré" in html and "(non compté)" in html
    assert AuditEntry.objects.filter(action="project.funding_line.withdraw").count() == 1
    # final: no second move
    response = move(client, line, "withdraw")
    assert response.status_code == 409 and "désormais « Retiré »" in response.content.decode()
    with pytest.raises(services.FundingLineError):
        services.withdraw_funding_line(line, advisor)


def test_a_decided_line_is_final(client, plan):
    project, advisor, funder, member = plan
    line = line_of(project, funder, status="granted", amount_granted=Decimal(100))
    client.force_login(advisor)
    assert move(client, line, "withdraw").status_code == 409
    response = client.post(
        f"/projets/{project.pk}/financement/{line.pk}/modifier/",
        {"edit-funder": funder.pk, "edit-expense": "Autre", "edit-amount_asked": "1"},
    )
    assert response.status_code == 409 and "ne peut plus être modifiée" in response.content.decode()
    client.force_login(member)
    assert move(client, line, "refuse").status_code == 409
    line.refresh_from_db()
    assert (line.status, line.expense, line.amount_granted) == ("granted", "Aménagement", Decimal(100))


def test_a_move_made_from_a_stale_page_is_refused(plan):
    """Two people at once: the funder refuses while the page of the other still shows the line as asked."""
    project, advisor, funder, member = plan
    line = line_of(project, funder)
    stale = FundingLine.objects.get(pk=line.pk)
    services.refuse_funding_line(line, member)
    with pytest.raises(services.FundingLineError) as error:
        services.grant_funding_line(stale, member, Decimal(10))
    assert "désormais « Refusé »" in error.value.message
    line.refresh_from_db()
    assert line.status == "refused" and line.amount_granted is None


def test_an_open_line_is_edited_with_french_amounts(client, plan):
    project, advisor, funder, member = plan
    scheme = FundingSchemeFactory(name="Prêt d'honneur test", funders=[funder])
    line = line_of(project, funder)
    client.force_login(advisor)
    page = client.get(f"/projets/{project.pk}/financement/{line.pk}/").content.decode()
    assert "Modifier la ligne" in page and 'value="45000,00"' in page
    response = client.post(
        f"/projets/{project.pk}/financement/{line.pk}/modifier/",
        {
            "edit-funder": funder.pk,
            "edit-scheme": scheme.pk,
            "edit-expense": "Travaux",
            "edit-amount_asked": "8 000,50",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.expense, line.amount_asked, line.scheme) == ("Travaux", Decimal("8000.50"), scheme)
    assert "Ligne du plan modifiée" in project.timeline.get(kind="funding").text
    client.force_login(member)  # the funder does not edit a project's line
    response = client.post(
        f"/projets/{project.pk}/financement/{line.pk}/modifier/",
        {"edit-funder": funder.pk, "edit-expense": "Autre", "edit-amount_asked": "1"},
    )
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.expense == "Travaux"


def test_a_bad_edit_is_explained_and_nothing_changes(client, plan):
    project, advisor, funder, _member = plan
    line = line_of(project, funder)
    client.force_login(advisor)
    response = client.post(
        f"/projets/{project.pk}/financement/{line.pk}/modifier/",
        {"edit-funder": funder.pk, "edit-expense": "", "edit-amount_asked": "quarante"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez un montant, par exemple 45 000 ou 8 000,50." in html and 'role="alert"' in html
    line.refresh_from_db()
    assert (line.expense, line.amount_asked) == ("Aménagement", Decimal(45000))


def test_the_scheme_list_follows_the_chosen_funder(client, plan):
    project, advisor, funder, _member = plan
    own = FundingSchemeFactory(name="Dispositif de la fondation", funders=[funder])
    other = FundingSchemeFactory(name="Dispositif d'un autre")
    client.force_login(advisor)
    # the htmx partial: only the chosen funder's schemes
    html = client.get("/projets/financement/dispositifs/", {"line-funder": funder.pk}).content.decode()
    assert html.startswith("<select") and 'name="line-scheme"' in html
    assert own.name in html and "Dispositif d&#x27;un autre" not in html
    # no funder chosen yet (or no JavaScript): every scheme, grouped by funder
    html = client.get("/projets/financement/dispositifs/", {"line-funder": ""}).content.decode()
    assert "<optgroup" in html and "Dispositif d&#x27;un autre" in html
    # the file's form: the funder select reloads the schemes
    page = client.get(f"/projets/{project.pk}/").content.decode()
    assert 'hx-get="/projets/financement/dispositifs/"' in page and 'hx-target="#id_line-scheme"' in page
    # server side: a scheme of another funder is refused, and the list shown again is the funder's
    response = client.post(
        f"/projets/{project.pk}/financement/",
        {
            "line-funder": funder.pk,
            "line-scheme": other.pk,
            "line-expense": "Étude",
            "line-amount_asked": "1 000",
            "line-status": "asked",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce dispositif n&#x27;est pas porté par ce financeur." in html
    scheme_select = html.split('name="line-scheme"', 1)[1].split("</select>", 1)[0]
    assert own.name in scheme_select and "un autre" not in scheme_select
    assert not FundingLine.objects.filter(project=project).exists()


def test_the_funder_download_shows_status_labels(client, plan):
    project, _advisor, funder, member = plan
    line_of(project, funder, status="withdrawn")
    line_of(project, funder, status="asked")
    client.force_login(member)
    content = client.get("/projets/financeur/fondation-test/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Retiré" in content and "Demandé" in content and "withdrawn" not in content
    html = client.get("/projets/financeur/fondation-test/").content.decode()
    assert html.count("Accorder ou refuser") == 1  # only the asked line


def test_the_transition_table_lists_each_allowed_move_once():
    assert set(services.LINE_TRANSITIONS) == {
        ("planned", "asked"),
        ("planned", "withdrawn"),
        ("asked", "withdrawn"),
        ("asked", "granted"),
        ("asked", "refused"),
    }
