"""The strategy pages: the tree (steering and public), objective and action pages, the indicator map, committees,
and measurement entry — who sees the actions, who may record, French errors, bounded queries."""

import html as html_lib
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maille.accounts.enums import MemberRole
from maille.strategy import demo
from maille.strategy.enums import ActionStatus, DecisionStatus, MeetingKind
from maille.strategy.models import Action, CommitteeMeeting, Decision, Indicator, Measurement, Objective
from maille.strategy.selectors import current_strategy
from maille.territories.models import Epci
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONSOLIDATION = "Structures de l'ESS accompagnées en consolidation (démo)"


@pytest.fixture
def demo_data():
    demo.load()
    return current_strategy()


@pytest.fixture
def pilot_client(client):
    client.force_login(MembershipFactory(role=MemberRole.PILOT).user)
    return client


@pytest.fixture
def plain_client(client):
    client.force_login(UserFactory())
    return client


def page_text(response) -> str:
    """The page's HTML with entities decoded (&#x27; → ')."""
    return html_lib.unescape(response.content.decode())


# --- The tree and the public page ---


def test_public_page_lists_the_14_objectives_with_their_progress_and_the_rule(client, demo_data):
    response = client.get("/pilotage/public/")
    assert response.status_code == 200
    html = page_text(response)
    for objective in Objective.objects.filter(sub_axis__axis__strategy=demo_data):
        assert reverse("strategy:objective", args=[objective.code]) in html
    assert html.count('href="/pilotage/objectifs/O') == 14
    assert "Comment l'avancement est calculé" in html
    assert "pas de données" in html  # O4 has no action
    assert "<progress" in html and 'aria-label="Avancement de l\'objectif O1"' in html
    # Actions are not public.
    assert "DEMO-1" not in html and "(fictive)" not in html


def test_public_page_is_in_the_main_nav(client):
    html = page_text(client.get("/"))
    assert 'href="/pilotage/public/"' in html and "Stratégie" in html


@pytest.mark.parametrize("who", ["anonymous", "plain"])
def test_tree_hides_actions_from_the_public_and_plain_accounts(client, demo_data, who):
    if who == "plain":
        client.force_login(UserFactory())
    response = client.get("/pilotage/")
    assert response.status_code == 200
    html = page_text(response)
    assert html.count('href="/pilotage/objectifs/O') == 14
    assert "DEMO-1" not in html and "/pilotage/actions/" not in html
    assert "réservées à ses pilotes" in html


def test_tree_shows_actions_to_pilots_with_their_progress(pilot_client, demo_data):
    html = page_text(pilot_client.get("/pilotage/"))
    for action in Action.objects.filter(strategy=demo_data):
        assert reverse("strategy:action", args=[action.code]) in html
    assert 'aria-label="Avancement de l\'action DEMO-2"' in html
    assert "/pilotage/comites/" in html


def test_tree_queries_are_bounded_whatever_the_number_of_actions(pilot_client, demo_data):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert pilot_client.get("/pilotage/").status_code == 200
        return len(queries)

    before = count()
    objectives = list(Objective.objects.filter(sub_axis__axis__strategy=demo_data))
    for n in range(10):
        action = Action.objects.create(
            strategy=demo_data, code=f"X-{n}", title=f"Action {n}", zone_level="region", zone_code="52"
        )
        action.objectives.set(objectives[n : n + 2])
    assert count() == before
    assert before <= 15


# --- Objective and action pages ---


def test_objective_page_shows_indicators_as_chart_and_table_for_everyone(client, demo_data):
    response = client.get("/pilotage/objectifs/O3/")
    assert response.status_code == 200
    html = page_text(response)
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    assert f'id="indicator-chart-{indicator.pk}"' in html and 'data-chart="indicator-chart-' in html
    assert re.search(r"<caption[^>]*>Mesures de « Structures", html)
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/strategy.js" in html
    # No actions and no entry form for the public.
    assert "DEMO-3" not in html and "Enregistrer une mesure" not in html


def test_objective_page_lists_actions_for_pilots_and_unknown_objective_is_404(pilot_client, demo_data):
    html = page_text(pilot_client.get("/pilotage/objectifs/O3/"))
    assert "/pilotage/actions/DEMO-3/" in html and "ses indicateurs" in html
    assert "Enregistrer une mesure" in html
    assert pilot_client.get("/pilotage/objectifs/O99/").status_code == 404


def test_action_page_redirects_anonymous_to_login_and_forbids_plain_accounts(client, demo_data):
    response = client.get("/pilotage/actions/DEMO-3/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    client.force_login(MembershipFactory(role=MemberRole.ADVISOR).user)
    response = client.get("/pilotage/actions/DEMO-3/")
    assert response.status_code == 403
    assert "Veille et appui" not in page_text(response)


def test_action_page_for_pilots(pilot_client, demo_data):
    response = pilot_client.get("/pilotage/actions/DEMO-3/")
    assert response.status_code == 200
    html = page_text(response)
    assert "Veille et appui aux structures" in html and "Action de démonstration" in html
    assert "Moyenne du taux de réalisation de ses indicateurs" in html
    assert pilot_client.get("/pilotage/actions/NOPE/").status_code == 404


def test_staff_see_the_action_page(client, demo_data):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/pilotage/actions/DEMO-1/").status_code == 200


# --- Indicator map ---


def test_indicator_map_by_departement_with_no_data_territories(client, demo_data):
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    Measurement.objects.filter(indicator=indicator, zone_level="departement", zone_code="72").delete()
    response = client.get(f"/pilotage/indicateurs/{indicator.pk}/carte/?level=departement")
    assert response.status_code == 200
    html = page_text(response)
    assert 'data-indicator-contour-url="/api/v1/territories/contours/region/52"' in html
    assert "Sarthe (72)" in html and "pas de données" in html
    assert "4 territoires sur 5 ont une mesure" in html
    assert '"44": 30.0' in html  # the choropleth data
    assert "Maine-et-Loire (49)" in html


def test_indicator_map_by_epci_draws_the_region_epci_and_lists_them(client, demo_data):
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    response = client.get(f"/pilotage/indicateurs/{indicator.pk}/carte/?level=epci")
    assert response.status_code == 200
    html = page_text(response)
    epci_count = Epci.objects.filter(communes__region_id="52").distinct().count()
    assert epci_count > 50 and f"0 territoire sur {epci_count}" in html  # French: singular at 0
    assert html.count("pas de données</td>") == epci_count
    assert (
        'data-indicator-contour-url="/api/v1/territories/contours/region/52?detail=epci"'
        in response.content.decode()
    )
    features = client.get("/api/v1/territories/contours/region/52", {"detail": "epci"}).json()["features"]
    assert len(features) == epci_count == 71


def test_indicator_map_unknown_level_falls_back_and_unknown_indicator_is_404(client, demo_data):
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    response = client.get(f"/pilotage/indicateurs/{indicator.pk}/carte/?level=galaxie")
    assert response.status_code == 200 and "Niveau inconnu" in page_text(response)
    assert client.get("/pilotage/indicateurs/999999/carte/").status_code == 404


# --- Committees ---


def test_committees_are_for_pilots_with_overdue_decisions_highlighted(client, demo_data):
    assert client.get("/pilotage/comites/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/pilotage/comites/").status_code == 403

    meeting = CommitteeMeeting.objects.create(
        strategy=demo_data, date=date(2026, 1, 10), kind=MeetingKind.COTECH
    )
    yesterday = date.today() - timedelta(days=1)
    Decision.objects.create(meeting=meeting, text="Décision en retard X", due_date=yesterday)
    Decision.objects.create(
        meeting=meeting, text="Décision faite Y", due_date=yesterday, status=DecisionStatus.DONE
    )
    Decision.objects.create(
        meeting=meeting, text="Décision à venir Z", due_date=date.today() + timedelta(days=30)
    )

    client.force_login(MembershipFactory(role=MemberRole.PILOT).user)
    response = client.get("/pilotage/comites/")
    assert response.status_code == 200
    html = page_text(response)
    # The demo decision (due 30/09/2025) and X are overdue; Y is done, Z is not due yet.
    assert "2 décisions en retard" in html
    overdue_rows = [row for row in html.split("<tr") if 'class="overdue"' in row]
    assert any("Décision en retard X" in row for row in overdue_rows)
    assert any("convention type" in row for row in overdue_rows)
    assert not any("Décision faite Y" in row or "Décision à venir Z" in row for row in overdue_rows)
    assert (
        html.count("En retard</strong>") == 4
    )  # each overdue decision: in the summary and under its meeting
    assert "Comité technique (COTECH)" in html and "Organisations présentes" in html


# --- Measurement entry ---


def post_measurement(client, url, indicator, **fields):
    data = {
        "indicator": indicator.pk,
        "date": date.today().isoformat(),
        "value": "120",
        "zone_level": "",
        "zone_code": "",
        "source_note": "Bilan du COTECH",
        **fields,
    }
    return client.post(url, data)


def objective_progress(client, code="O3") -> str:
    html = page_text(client.get(f"/pilotage/objectifs/{code}/"))
    start = html.index("data-objective-progress")
    return html[start : html.index("</p>", start)]


def test_pilot_records_a_measurement_and_the_objective_progress_moves(pilot_client, demo_data):
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    before = objective_progress(pilot_client)
    assert "67,5 %" in before  # DEMO-3: mean of 60 % (consolidation) and 75 % (median delay)
    response = post_measurement(pilot_client, "/pilotage/objectifs/O3/", indicator, value="120")
    assert response.status_code == 302 and response["Location"] == "/pilotage/objectifs/O3/#avancement"
    measurement = Measurement.objects.get(indicator=indicator, date=date.today(), zone_level="")
    assert measurement.value == Decimal("120") and measurement.source_note == "Bilan du COTECH"
    assert measurement.created_by is not None
    assert "87,5 %" in objective_progress(pilot_client)


def test_pilot_records_a_territorial_measurement_with_a_french_decimal(pilot_client, demo_data):
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    response = post_measurement(
        pilot_client,
        "/pilotage/objectifs/O3/",
        indicator,
        value="12,5",
        zone_level="departement",
        zone_code="53",
    )
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator, date=date.today(), zone_code="53").value == Decimal(
        "12.5"
    )


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"value": "beaucoup"}, "Indiquez un nombre"),
        ({"value": ""}, "Ce champ est obligatoire"),
        ({"date": "31/02/2025"}, "Indiquez une date valide"),
        ({"date": (date.today() + timedelta(days=3)).isoformat()}, "ne peut pas être dans le futur"),
        ({"zone_level": "departement", "zone_code": "75"}, "pas dans la région"),
        ({"zone_level": "departement", "zone_code": "999"}, "Aucun territoire"),
        ({"zone_code": "53"}, "Choisissez le niveau du territoire"),
        ({"date": "2025-12-31"}, "existe déjà à cette date"),
    ],
)
def test_bad_input_gives_french_errors_and_writes_nothing(pilot_client, demo_data, fields, message):
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    count = Measurement.objects.count()
    response = post_measurement(pilot_client, "/pilotage/objectifs/O3/", indicator, **fields)
    assert response.status_code == 400
    html = page_text(response)
    assert message in html
    assert 'role="alert"' in html
    assert Measurement.objects.count() == count


def test_an_indicator_not_on_the_page_is_refused(pilot_client, demo_data):
    other = Indicator.objects.create(strategy=demo_data, name="Autre indicateur", objective=None)
    response = post_measurement(pilot_client, "/pilotage/objectifs/O3/", other)
    assert response.status_code == 400
    assert not Measurement.objects.filter(indicator=other).exists()


@pytest.mark.parametrize("who", ["anonymous", "plain", "advisor"])
def test_non_pilots_cannot_record_measurements(client, demo_data, who):
    if who == "plain":
        client.force_login(UserFactory())
    elif who == "advisor":
        client.force_login(MembershipFactory(role=MemberRole.ADVISOR).user)
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    count = Measurement.objects.count()
    response = post_measurement(client, "/pilotage/objectifs/O3/", indicator)
    assert response.status_code == 403
    assert Measurement.objects.count() == count


def test_pilot_records_from_the_action_page(pilot_client, demo_data):
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    response = post_measurement(pilot_client, "/pilotage/actions/DEMO-3/", indicator, value="100")
    assert response.status_code == 302 and response["Location"] == "/pilotage/actions/DEMO-3/#avancement"
    assert Measurement.objects.filter(indicator=indicator, date=date.today(), value=100).exists()


def test_status_based_action_progress_shows_on_its_objective(pilot_client, demo_data):
    Action.objects.filter(code="DEMO-1").update(status=ActionStatus.DONE)
    assert "100 %" in objective_progress(pilot_client, "O1")


def test_objective_page_queries_do_not_grow_with_measurements_and_actions(pilot_client, demo_data):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert pilot_client.get("/pilotage/objectifs/O3/").status_code == 200
        return len(queries)

    before = count()
    objective = Objective.objects.get(sub_axis__axis__strategy=demo_data, code="O3")
    indicator = Indicator.objects.get(name=CONSOLIDATION)
    for n in range(5):
        action = Action.objects.create(
            strategy=demo_data, code=f"Y-{n}", title=f"Action {n}", zone_level="region", zone_code="52"
        )
        action.objectives.set([objective])
        indicator.actions.add(action)
        Measurement.objects.create(indicator=indicator, date=date(2020, 1, 1 + n), value=n)
    assert count() == before


def test_the_governance_report_downloads_from_the_tree_page(client):
    html = client.get("/pilotage/").content.decode()
    assert "/pilotage/rapport.pdf" in html
    pdf = client.get("/pilotage/rapport.pdf", {"from": "2023-01-01", "to": "2026-11-27"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/pilotage/rapport.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/pilotage/rapport.pdf", {"from": "hier"}).status_code == 400
