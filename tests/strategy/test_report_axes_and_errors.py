"""The governance report's charts have rounded value ticks (1, 2 or 5 × 10^k); a bad period is answered inside the
site's layout with a French message and a 400; the pages' chart data put measurements on a time axis."""

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from maille.strategy import demo
from maille.strategy.models import Indicator
from maille.strategy.report import axis_ticks, tick_label
from maille.strategy.selectors import current_strategy
from tests.factories import UserFactory

ROUND_STEPS = {Decimal(1), Decimal(2), Decimal(5)}


def mantissa(step: Decimal) -> Decimal:
    """2 for 0.02, 200 or 2; 5 for 50."""
    digits = step.normalize().as_tuple().digits
    return Decimal("".join(map(str, digits)))


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (0, 127),
        (0, 0.73),
        (-3, 12),
        (0, 1),
        (0, 1_234_567),
        (0, 0),
        (0, 9.99),
        (0, 10),
        (0, 0.0004),
        (120, 0),
    ],
)
def test_ticks_are_round_steps_covering_the_values(low, high):
    ticks = axis_ticks(low, high)
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    assert step > 0 and mantissa(step) in ROUND_STEPS
    assert all((tick / step) == (tick / step).to_integral_value() for tick in ticks)  # multiples of the step
    assert float(ticks[0]) <= min(low, high) and float(ticks[-1]) >= max(low, high)
    assert 3 <= len(ticks) <= 7


def test_ticks_for_known_ranges():
    assert axis_ticks(0, 127) == [0, 50, 100, 150]
    assert axis_ticks(0, 0.73) == [
        Decimal("0"),
        Decimal("0.2"),
        Decimal("0.4"),
        Decimal("0.6"),
        Decimal("0.8"),
    ]
    assert axis_ticks(-3, 12) == [-5, 0, 5, 10, 15]


def test_tick_labels_are_french_without_float_noise():
    assert [tick_label(t) for t in axis_ticks(0, 0.73)] == ["0", "0,2", "0,4", "0,6", "0,8"]
    assert tick_label(Decimal(1_500_000)) == "1\u00a0500\u00a0000"
    assert tick_label(Decimal(-5)) == "-5"
    assert tick_label(Decimal("0E-1")) == "0"


@pytest.mark.django_db
def test_the_pdf_chart_axis_uses_the_rounded_ticks(monkeypatch):
    from maille.strategy import report
    from tests.strategy.test_report import pdf_text

    demo.load()
    seen = []
    original = report.axis_ticks

    def spy(low, high, intervals=5):
        ticks = original(low, high, intervals)
        seen.append(ticks)
        return ticks

    monkeypatch.setattr(report, "axis_ticks", spy)
    staff = UserFactory(is_staff=True)
    pdf = report.build_pdf(current_strategy(), date(2023, 1, 1), date(2026, 12, 31), staff, compress=False)
    assert seen, "no chart drawn"
    text = pdf_text(pdf)
    for ticks in seen:
        assert all(tick_label(tick) in text for tick in ticks)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "01/01/2024"}, "« 01/01/2024 » n'est pas une date valide"),
        ({"to": "2025-02-30"}, "« 2025-02-30 » n'est pas une date valide"),
        ({"from": "2025-06-01", "to": "2025-01-01"}, "La date de fin doit suivre la date de début."),
    ],
)
def test_a_bad_report_period_is_explained_inside_the_layout(client, query, message):
    for fmt in ("pdf", "xlsx"):
        response = client.get(f"/pilotage/rapport.{fmt}", query)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        html = unescape(response.content.decode())
        assert message in html
        assert '<html lang="fr">' in html and "<main" in html  # the site's layout, not a bare text page
        assert 'role="alert"' in html and "<h1>Rapport de gouvernance</h1>" in html
        assert 'action="/pilotage/rapport.pdf"' in html  # the form again, to try once more
        assert "Content-Disposition" not in response


@pytest.mark.django_db
def test_the_typed_iso_dates_are_kept_in_the_form_again(client):
    html = client.get("/pilotage/rapport.pdf", {"from": "2025-06-01", "to": "2025-01-01"}).content.decode()
    assert 'name="from" value="2025-06-01"' in html and 'name="to" value="2025-01-01"' in html


@pytest.mark.django_db
def test_chart_points_sit_on_a_time_axis_proportional_to_dates(client):
    demo.load()
    indicator = next(
        i
        for i in Indicator.objects.filter(objective__isnull=False).order_by("pk")
        if i.measurements.filter(zone_level="").count() >= 3
    )
    html = client.get(f"/pilotage/objectifs/{indicator.objective.code}/").content.decode()
    match = re.search(
        rf'<script id="indicator-chart-{indicator.pk}" type="application/json">(.*?)</script>', html
    )
    assert match, "the chart data of the indicator is on its objective's page"
    data = json.loads(match.group(1))
    xs = [point["x"] for point in data["points"]]
    assert xs == sorted(xs) and data["start"] <= xs[0] and data["end"] >= xs[-1]
    dates = sorted(m.date for m in indicator.measurements.filter(zone_level=""))
    day = 24 * 3600 * 1000
    # The gaps between points are the gaps between the dates, in days.
    assert [(b - a) // day for a, b in zip(xs, xs[1:], strict=False)] == [
        (b - a).days for a, b in zip(dates, dates[1:], strict=False)
    ]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", point["label"]) for point in data["points"])
