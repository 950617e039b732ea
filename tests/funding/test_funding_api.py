"""The funding API: coverage, type and open filters, deadline status, French errors."""

import datetime

import pytest
from freezegun import freeze_time

from maille.funding.enums import Recurrence
from maille.funding.models import FundingScheme
from maille.funding.selectors import deadline_status
from tests.factories import FundingSchemeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def ids(client, **params):
    return {i["id"] for i in client.get("/api/v1/funding", {"page_size": 200, **params}).json()["results"]}


@freeze_time("2026-12-01")
def test_open_means_permanent_or_no_deadline_or_deadline_not_passed(client):
    permanent = FundingSchemeFactory(recurrence=Recurrence.PERMANENT, closes_on=datetime.date(2020, 1, 1))
    no_deadline = FundingSchemeFactory(recurrence=Recurrence.ONE_OFF, closes_on=None)
    future = FundingSchemeFactory(recurrence=Recurrence.ONE_OFF, closes_on=datetime.date(2026, 12, 1))
    past = FundingSchemeFactory(recurrence=Recurrence.RECURRING, closes_on=datetime.date(2026, 11, 30))
    open_ids = ids(client, open="true")
    assert {permanent.pk, no_deadline.pk, future.pk} <= open_ids
    assert past.pk not in open_ids
    closed_ids = ids(client, open="false")
    assert past.pk in closed_ids and not {permanent.pk, no_deadline.pk, future.pk} & closed_ids


def test_deadline_status_open_closing_soon_closed():
    today = datetime.date(2026, 12, 1)
    scheme = FundingScheme(recurrence=Recurrence.ONE_OFF, closes_on=datetime.date(2026, 12, 20))
    assert deadline_status(scheme, today) == "closing_soon"
    scheme.closes_on = datetime.date(2027, 3, 1)
    assert deadline_status(scheme, today) == "open"
    scheme.closes_on = datetime.date(2026, 11, 1)
    assert deadline_status(scheme, today) == "closed"


def test_items_name_the_funder_as_organisation_and_carry_the_deadline(client):
    funder = OrganisationFactory(name="Fondation d'essai")
    scheme = FundingSchemeFactory(funders=[funder], zones=[("departement", "53")])
    item = next(
        i
        for i in client.get("/api/v1/funding", {"commune": "53130", "page_size": 200}).json()["results"]
        if i["id"] == scheme.pk
    )
    assert item["organisation"] == {"id": funder.pk, "name": "Fondation d'essai"}
    assert item["type"] == "subvention"
    assert item["deadline"] == "open"
    assert item["zones"] == [{"type": "departement", "code": "53"}]


def test_type_and_legal_form_filters(client):
    loan = FundingSchemeFactory(kind="pret", legal_forms=["scop", "scic"])
    assert loan.pk in ids(client, type="pret", legal_form="scic")
    assert loan.pk not in ids(client, type="pret", legal_form="association")
    assert loan.pk not in ids(client, type="subvention")


def test_the_regional_schemes_cover_laval(client):
    names = [
        i["name"]
        for i in client.get("/api/v1/funding", {"commune": "53130", "page_size": 200}).json()["results"]
    ]
    assert any("FDVA" in name for name in names)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"type": "don"}, "type"), ({"open": "peut-etre"}, "open"), ({"commune": "00000"}, "commune")],
)
def test_bad_parameters_are_a_400_in_french(client, params, field):
    response = client.get("/api/v1/funding", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_funding_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(20):
        FundingSchemeFactory(zones=[("region", "52")])
    with django_assert_max_num_queries(6):  # commune + postal codes, count, page, zones, funders
        client.get("/api/v1/funding", {"commune": "53130", "page_size": 200})
