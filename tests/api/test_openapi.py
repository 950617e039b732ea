"""The OpenAPI document says what really happens: shared error component, error statuses per operation, the bounds
of `page` and `page_size`, identifier formats, the partner token as a security scheme."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_every_operation_documents_its_errors_with_the_shared_component(document):
    error = document["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "errors"} and error["required"] == ["detail"]
    for method, path, operation in operations(document):
        responses = operation["responses"]
        assert "429" in responses, (method, path)
        for code, response in responses.items():
            if code.startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Error"), (method, path, code)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method in {"POST", "PATCH"}:
            assert "400" in responses, (method, path)


def test_write_operations_document_401_and_403_and_accept_the_partner_token(document):
    assert document["components"]["securitySchemes"]["partnerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["partnerToken"]["description"],
    }
    writes = [
        (m, p, o)
        for m, p, o in operations(document)
        if m in {"POST", "PATCH"} and p != "/api/v1/orientation/"
    ]
    assert writes
    for method, path, operation in writes:
        assert {"401", "403"} <= set(operation["responses"]), (method, path)
        assert {"partnerToken": []} in operation["security"], (method, path)


def test_referral_answers_document_the_409_of_a_lost_race(document):
    for action in ["accept", "decline", "close"]:
        assert "409" in document["paths"][f"/api/v1/referrals/{{id}}/{action}/"]["post"]["responses"]


def test_public_reads_need_no_credentials(document):
    for path in ["/api/v1/offers/", "/api/v1/funding/", "/api/v1/territories/communes/", "/api/v1/strategy/"]:
        assert {} in document["paths"][path]["get"]["security"], path


def test_pagination_bounds_are_documented(document):
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/offers/"]["get"]["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 20,
    }


def test_identifier_formats_are_documented(document):
    body = document["components"]["schemas"]["OrientationRequest"]["properties"]
    assert body["siret"]["oneOf"][0]["pattern"] == r"^([0-9] ?){13}[0-9]$"
    assert body["naf"]["oneOf"][0]["pattern"] == r"^[0-9]{2}\.[0-9]{2}[A-Z]$"
    assert {"type": "string", "maxLength": 0} in body["naf"]["oneOf"]  # or empty
    assert body["commune"]["minLength"] == body["commune"]["maxLength"] == 5
    assert body["stage"]["$ref"].endswith("StageEnum")
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/offers/"]["get"]["parameters"]}
    assert parameters["commune"]["schema"]["pattern"]
    assert parameters["q"]["schema"]["maxLength"] == 100
