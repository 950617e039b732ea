"""The strategy API: the 14 published objectives under 2 axes and 4 sub-axes, actions hidden from the public,
indicators and measurements with French errors per field, bounded queries."""

import pytest

from maille.accounts.enums import MemberRole
from maille.strategy import demo
from maille.strategy.enums import ActionStatus
from maille.strategy.models import Action, Indicator, Measurement, Objective, Strategy
from maille.strategy.selectors import current_strategy
from maille.strategy.services import load_strategy
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLISHED = {
    "A1": (
        "Accompagner l'émergence et la pérennité des projets économiques de l'ESS",
        {
            "Garantir un accompagnement de qualité tout au long du projet entrepreneurial": {
                "O1": "Accompagner l'entrepreneuriat (création/reprise) dans l'ESS vers des modèles pérennes",
                "O2": "Accompagner les entreprises dans leur développement ou leur changement d'échelle",
                "O3": "Consolider le modèle économique et les emplois des structures de l'ESS en cas de fragilités",
                "O4": "Promouvoir l'innovation sociale dans toutes les entreprises",
                "O5": "Faciliter l'émergence et la structuration de projets économiques collectifs",
            },
            "Professionnaliser l'environnement au bénéfice des projets": {
                "O6": "Améliorer la connaissance des compétences disponibles dans les réseaux de l'ESS",
                "O7": "Renforcer la spécialisation des réseaux sur leur plus-value par rapport au parcours "
                "« classique » de la création d'entreprise",
                "O8": "Accompagner la professionnalisation du modèle associatif au service du modèle économique",
                "O9": "S'appuyer sur les réussites pour valoriser l'entrepreneuriat dans l'ESS",
            },
        },
    ),
    "A2": (
        "Créer un réseau d'accompagnement maillé élargi en soutien des projets",
        {
            "Assurer une vision commune au service des projets économiques de l'ESS": {
                "O10": "Garantir l'articulation des financements et une vision « projet »",
                "O11": "Assurer une gouvernance partenariale afin d'évaluer les actions mises en œuvre",
                "O12": "Continuer l'organisation de temps collectifs ouverts entre acteurs de l'ESS",
            },
            "Développer la territorialisation des actions en faveur de l'ESS": {
                "O13": "Renforcer le partenariat avec les EPCI pour une action de proximité",
                "O14": "Faire monter en compétence les acteurs des tiers-lieux",
            },
        },
    ),
}


@pytest.fixture
def strategy():
    load_strategy()
    return current_strategy()


@pytest.fixture
def demo_strategy(strategy):
    demo.load()
    return strategy


def test_the_api_lists_exactly_the_14_published_objectives_under_2_axes_and_4_sub_axes(client, strategy):
    body = client.get("/api/v1/strategy").json()
    assert body["name"] == "Stratégie régionale de l'ESS des Pays de la Loire 2022-2028"
    assert body["period"] == "2022-2028"
    shape = {
        axis["code"]: (
            axis["title"],
            {s["title"]: {o["code"]: o["title"] for o in s["objectives"]} for s in axis["sub_axes"]},
        )
        for axis in body["axes"]
    }
    assert shape == PUBLISHED
    assert [o["code"] for a in body["axes"] for s in a["sub_axes"] for o in s["objectives"]] == [
        f"O{n}" for n in range(1, 15)
    ]


def test_the_objectives_list_is_paginated_with_axis_codes_and_published_titles(client, strategy):
    body = client.get("/api/v1/strategy/objectives", {"page_size": 50}).json()
    assert body["count"] == 14 and body["next"] is None
    expected = {
        code: (axis, title)
        for axis, (_, subs) in PUBLISHED.items()
        for objectives in subs.values()
        for code, title in objectives.items()
    }
    assert {o["code"]: (o["axis"], o["title"]) for o in body["results"]} == expected
    assert set(body["results"][0]) == {"code", "title", "axis", "progress"}


def test_the_public_sees_progress_but_no_actions(client, demo_strategy):
    body = client.get("/api/v1/strategy").json()
    objectives = [o for a in body["axes"] for s in a["sub_axes"] for o in s["objectives"]]
    assert all(o["actions"] == [] for o in objectives)
    progress = {o["code"]: o["progress"] for o in objectives}
    assert progress["O9"] == 100 and progress["O4"] is None
    assert body["progress"] is not None


@pytest.mark.parametrize("kind", ["pilot", "staff"])
def test_pilots_and_staff_see_the_actions(client, demo_strategy, kind):
    user = UserFactory(is_staff=True) if kind == "staff" else MembershipFactory(role=MemberRole.PILOT).user
    client.force_login(user)
    body = client.get("/api/v1/strategy").json()
    objectives = {o["code"]: o for a in body["axes"] for s in a["sub_axes"] for o in s["objectives"]}
    actions = objectives["O7"]["actions"]
    assert [a["code"] for a in actions] == ["DEMO-4"]
    assert set(actions[0]) == {"code", "title", "status", "progress", "weight"}
    assert "(fictive)" in actions[0]["title"]
    assert [a["code"] for a in objectives["O6"]["actions"]] == ["DEMO-4"]


def test_a_plain_user_does_not_see_the_actions(client, demo_strategy):
    client.force_login(MembershipFactory(role=MemberRole.ADVISOR).user)
    body = client.get("/api/v1/strategy").json()
    assert all(o["actions"] == [] for a in body["axes"] for s in a["sub_axes"] for o in s["objectives"])


def test_the_tree_runs_a_bounded_number_of_queries_whatever_the_number_of_actions(
    client, demo_strategy, django_assert_max_num_queries
):
    objectives = list(Objective.objects.all())
    indicator = Indicator.objects.filter(is_demo=True).first()
    for n in range(40):
        action = Action.objects.create(
            strategy=demo_strategy,
            code=f"X{n}",
            title=f"Action {n}",
            status=ActionStatus.STARTED,
            progress_source="indicators" if n % 2 else "status",
            zone_level="region",
            zone_code="52",
        )
        action.objectives.set(objectives[n % 14 : n % 14 + 2])
        indicator.actions.add(action)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/strategy").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/strategy/objectives").status_code == 200
    client.force_login(UserFactory(is_staff=True))
    with django_assert_max_num_queries(10):  # + session, user, roles
        assert client.get("/api/v1/strategy").status_code == 200


def test_indicators_are_listed_with_their_objective_code(
    client, demo_strategy, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # strategy, count, page
        body = client.get("/api/v1/strategy/indicators").json()
    assert body["count"] == 2
    item = next(i for i in body["results"] if i["direction"] == "down")
    assert item["objective"] == "O1"
    assert (item["baseline"], item["target"], item["source"], item["unit"]) == (21, 9, "manual", "jours")
    assert {"id", "name", "unit", "baseline", "target", "direction", "source", "objective"} <= set(item)


def measurements_url(indicator):
    return f"/api/v1/strategy/indicators/{indicator.pk}/measurements"


def test_measurements_filter_by_territory_and_dates(client, demo_strategy):
    indicator = Indicator.objects.get(name__startswith="Structures")
    body = client.get(measurements_url(indicator), {"page_size": 50}).json()
    assert body["count"] == 8
    body = client.get(measurements_url(indicator), {"level": "departement", "code": "49"}).json()
    assert [(m["date"], m["value"], m["code"]) for m in body["results"]] == [("2025-12-31", 22, "49")]
    body = client.get(measurements_url(indicator), {"from": "2024-01-01", "to": "2024-12-31"}).json()
    assert [(m["date"], m["value"], m["level"]) for m in body["results"]] == [("2024-12-31", 70, "")]
    assert "démonstration" in body["results"][0]["source_note"]


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"level": "planete", "code": "1"}, "level", "Niveau inconnu"),
        ({"level": "departement"}, "code", "Indiquez le code du territoire"),
        ({"level": "departement", "code": "99"}, "code", "Aucun territoire"),
        ({"code": "49"}, "level", "Niveau inconnu"),
        ({"from": "31/01/2025"}, "from", "AAAA-MM-JJ"),
        ({"to": "2025-02-30"}, "to", "AAAA-MM-JJ"),
        ({"from": "2025-03-01", "to": "2025-01-01"}, "to", "La date de fin"),
    ],
)
def test_bad_measurement_parameters_get_a_french_400_per_field(client, demo_strategy, params, field, message):
    indicator = Indicator.objects.first()
    response = client.get(measurements_url(indicator), params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Requête invalide")
    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]


def test_all_bad_parameters_are_reported_together(client, demo_strategy):
    indicator = Indicator.objects.first()
    response = client.get(measurements_url(indicator), {"level": "x", "from": "hier", "to": "demain"})
    assert set(response.json()["errors"]) == {"level", "from", "to"}


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_an_unknown_indicator_is_a_french_404(client, strategy, pk):
    response = client.get(f"/api/v1/strategy/indicators/{pk}/measurements")
    assert response.status_code == 404
    assert "Aucun indicateur" in response.json()["detail"]


def test_measurements_are_paginated(client, strategy):
    indicator = Indicator.objects.create(strategy=strategy, name="Série")
    Measurement.objects.bulk_create(
        Measurement(indicator=indicator, date=f"2024-01-{day:02d}", value=day) for day in range(1, 26)
    )
    body = client.get(measurements_url(indicator)).json()
    assert body["count"] == 25 and len(body["results"]) == 20 and body["next"]
    assert client.get(measurements_url(indicator), {"page_size": "0"}).status_code == 400


def test_without_a_strategy_the_endpoints_answer_a_french_404(client):
    Strategy.objects.all().delete()
    response = client.get("/api/v1/strategy")
    assert response.status_code == 404
    assert "stratégie" in response.json()["detail"]


def test_the_openapi_document_describes_the_strategy_endpoints(client):
    paths = client.get("/api/v1/schema", {"format": "json"}).json()["paths"]
    operation = paths["/api/v1/strategy/"]["get"]
    assert operation["tags"] == ["stratégie"]
    assert "pilotes" in operation["description"]
    for path in ["objectives/", "indicators/", "indicators/{id}/measurements/"]:
        assert paths[f"/api/v1/strategy/{path}"]["get"]["tags"] == ["stratégie"]
