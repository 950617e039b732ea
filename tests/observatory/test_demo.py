"""The observatory's demo: after `load_demo`, every objective outside the showcase's shows a computed figure."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from maille.observatory.models import Snapshot
from maille.strategy import indicators as computations
from maille.strategy.enums import IndicatorSource
from maille.strategy.models import Indicator, Objective

pytestmark = pytest.mark.django_db
SHOWCASE_OBJECTIVES = {"O9", "O12", "O13", "O14"}


def test_after_load_demo_every_objective_but_the_showcases_shows_a_computed_figure():
    call_command("load_demo", verbosity=0)
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    figures: dict[str, list] = {}
    for indicator in Indicator.objects.filter(source=IndicatorSource.COMPUTED).select_related("objective"):
        result = computations.compute_indicator(indicator, start, today)
        if result.value is not None:
            figures.setdefault(indicator.objective.code, []).append((indicator.name, result.value))
    expected = set(Objective.objects.values_list("code", flat=True)) - SHOWCASE_OBJECTIVES
    assert expected <= set(figures), f"sans chiffre calculé : {sorted(expected - set(figures))}"
    observatory = Indicator.objects.filter(name__endswith="(démo)", source=IndicatorSource.COMPUTED)
    assert observatory.count() >= 10 and all(indicator.is_demo for indicator in observatory)
    assert Snapshot.objects.filter(is_demo=True).count() == 2


def test_a_second_load_demo_adds_no_indicator_and_no_snapshot():
    call_command("load_demo", verbosity=0)
    counts = Indicator.objects.count(), Snapshot.objects.count()
    call_command("load_demo", verbosity=0)
    assert (Indicator.objects.count(), Snapshot.objects.count()) == counts
