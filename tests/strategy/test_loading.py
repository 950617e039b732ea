"""Loading the published structure and the demo: idempotent, pilots linked by slug, demo visibly fictional."""

from io import StringIO

import pytest
from django.core.management import call_command

from maille.strategy import demo
from maille.strategy.models import Action, Axis, Indicator, Measurement, Objective, Strategy, SubAxis
from maille.strategy.selectors import current_strategy
from maille.strategy.services import load_strategy

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Strategy, Axis, SubAxis, Objective, Action, Indicator, Measurement)]


@pytest.fixture(autouse=True)
def no_strategy():
    """Start from an empty strategy app, whether or not the test database set-up loaded the structure."""
    Strategy.objects.all().delete()


def test_loading_the_structure_twice_changes_nothing():
    assert load_strategy() == {"stratégie": 1, "axes de la stratégie": 2, "sous-axes": 4, "objectifs": 14}
    before = counts()
    assert set(load_strategy().values()) == {0}
    assert counts() == before == [1, 2, 4, 14, 0, 0, 0]


def test_a_changed_title_is_restored_by_the_next_load():
    load_strategy()
    Objective.objects.filter(code="O11").update(title="Autre")
    load_strategy()
    assert Objective.objects.get(code="O11").title == (
        "Assurer une gouvernance partenariale afin d'évaluer les actions mises en œuvre"
    )


def test_the_pilots_are_the_directory_organisations_named_in_the_announcement():
    load_strategy()
    strategy = current_strategy()
    assert set(strategy.pilots.values_list("slug", flat=True)) == {
        "region-pdl",
        "drajes-pdl",
        "banque-des-territoires",
    }
    assert (strategy.region_code, strategy.period_start, strategy.period_end) == ("52", 2022, 2028)


def test_the_demo_is_idempotent_and_visibly_fictional():
    created = demo.load()  # loads the structure first when it is missing
    assert created["actions de démo"] == 7
    before = counts()
    assert set(demo.load().values()) == {0}
    assert counts() == before
    actions = Action.objects.all()
    assert all(a.is_demo and "(fictive)" in a.title for a in actions)
    assert any(a.objectives.count() == 2 for a in actions)
    assert all("démonstration" in m.source_note for m in Measurement.objects.all())
    for indicator in Indicator.objects.all():
        assert indicator.baseline_value is not None and indicator.target_value is not None
        assert indicator.measurements.filter(zone_level="").count() >= 2


def test_load_reference_prints_the_strategy_counts():
    out = StringIO()
    call_command("load_reference", stdout=out, verbosity=0)
    assert "objectifs : 14 créés" in out.getvalue()
    assert Objective.objects.count() == 14
