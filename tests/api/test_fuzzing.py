"""Schemathesis over the whole OpenAPI document, anonymous and with a partner token: no server error, no response
that contradicts the document (status code, content type, body, headers).

Bounded and deterministic: `EXAMPLES` cases per operation and generation mode (valid and invalid data), a fixed seed
(`derandomize`), no shrinking, no example database; the requests go through the WSGI application in-process, on
the test database (reference data loaded, a referral and a token of its organisation). Prints the number of cases.
"""

import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from maille.accounts.enums import MemberRole
from maille.api.services import issue_token

pytestmark = pytest.mark.django_db

EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def fuzz_operation(operation, mode, headers: dict, seen: list[int]):
    """A Hypothesis test of one operation in one generation mode; `seen` counts the cases it runs."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        seen.append(1)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    return check


def run_schema(schema, headers: dict) -> tuple[int, list[str]]:
    cases = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:
            seen: list[int] = []
            try:
                fuzz_operation(operation, mode, headers, seen)()
            except Unsatisfiable:
                pass  # nothing to make invalid (an operation without parameters nor body)
            except (
                Exception,
                BaseExceptionGroup,
            ) as exc:  # one operation's failure must not hide the others'
                failures.append(f"{operation.label} [{mode.value}]: {exc}"[:3000])
            cases += len(seen)
    return cases, failures


@pytest.fixture
def schema():
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def partner_key(db):
    from tests.factories import OfferFactory, OrganisationFactory, ReferralFactory

    organisation = OrganisationFactory(name="Partenaire fuzz")
    ReferralFactory(offer=OfferFactory(organisation=organisation))
    return issue_token(organisation, MemberRole.PILOT, "Fuzz")[1]


@pytest.mark.parametrize("who", ["anonymous", "token"])
def test_the_api_keeps_to_its_document_under_fuzzing(schema, partner_key, who, capsys):
    headers = {"Authorization": f"Bearer {partner_key}"} if who == "token" else {}
    started = time.monotonic()
    cases, failures = run_schema(schema, headers)
    with capsys.disabled():
        print(
            f"\nschemathesis ({who}): {cases} cas en {time.monotonic() - started:.0f} s, {len(failures)} échecs"
        )
    assert not failures, "\n\n".join(failures)
