"""Benchmark of the territory API and coverage queries over the whole of France's geography."""

from django.test import Client
from harness import timed, write_results

from maille.territories import selectors
from maille.territories.models import Contour


def run():
    client = Client(HTTP_HOST="127.0.0.1")
    queries = ["trela", "saint", "nant", "la roche", "49800", "laval"]
    counter = {"i": 0}

    def next_query():
        counter["i"] += 1
        return queries[counter["i"] % len(queries)]

    def ok(response):
        assert response.status_code == 200, response.status_code

    trelaze = selectors.get_commune("49353")
    scenarios = [
        (
            "GET /api/v1/territories/communes?q=… (6 queries in turn)",
            lambda: ok(client.get("/api/v1/territories/communes", {"q": next_query()})),
        ),
        (
            "GET /api/v1/territories/communes?code_postal=49800",
            lambda: ok(client.get("/api/v1/territories/communes", {"code_postal": "49800"})),
        ),
        (
            "GET /api/v1/territories/communes?level=departement&code=44&page_size=200",
            lambda: ok(
                client.get(
                    "/api/v1/territories/communes", {"level": "departement", "code": "44", "page_size": 200}
                )
            ),
        ),
        ("GET /api/v1/territories/regions/52", lambda: ok(client.get("/api/v1/territories/regions/52"))),
        (
            "GET /api/v1/territories/epci/244900015",
            lambda: ok(client.get("/api/v1/territories/epci/244900015")),
        ),
        (
            "zone_covers(epci, 244900015, 49353): one query",
            lambda: selectors.zone_covers("epci", "244900015", "49353"),
        ),
        (
            "zones covering Trélazé (contours table)",
            lambda: list(
                Contour.objects.filter(selectors.covering_zones_q(trelaze, "level", "code")).values_list(
                    "code"
                )
            ),
        ),
    ]
    write_results("territories", "Territories", [timed(label, func) for label, func in scenarios])
