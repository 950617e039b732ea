"""The progress rollup, as stated in `maille/strategy/rollup.py`: pure functions, then the tree built from the database."""

from decimal import Decimal

import pytest

from maille.strategy import rollup
from maille.strategy.enums import STATUS_PROGRESS, ActionStatus, Direction, ProgressSource
from maille.strategy.models import Action, Indicator, Measurement, Objective
from maille.strategy.selectors import current_strategy, strategy_tree
from maille.strategy.services import load_strategy


def test_statuses_carry_their_default_progress():
    assert STATUS_PROGRESS == {"not_started": 0, "started": 25, "well_under_way": 60, "done": 100}
    assert rollup.action_progress(ActionStatus.WELL_UNDER_WAY) == 60


def test_an_override_wins_over_status_and_indicators():
    assert rollup.action_progress(ActionStatus.NOT_STARTED, progress_override=40) == 40
    assert rollup.action_progress(ActionStatus.DONE, 0, ProgressSource.INDICATORS, [100.0]) == 0


def test_an_objective_without_actions_has_no_data_not_zero():
    assert rollup.weighted_progress([]) is None


def test_an_objective_whose_actions_all_weigh_zero_has_no_data():
    assert rollup.weighted_progress([(100, 0), (25, Decimal("0"))]) is None


def test_objective_progress_is_the_weighted_mean_and_missing_progress_counts_as_zero():
    assert rollup.weighted_progress([(100, 3), (0, 1)]) == 75
    assert rollup.weighted_progress([(100, 1), (None, 1)]) == 50
    assert rollup.weighted_progress([(60, Decimal("1.5")), (100, 0)]) == 60


def test_an_upward_indicator_completes_from_baseline_to_target():
    assert rollup.indicator_completion(40, 120, 88, Direction.UP) == 60


def test_a_downward_indicator_completes_as_the_value_falls():
    assert rollup.indicator_completion(21, 9, 12, Direction.DOWN) == 75
    assert rollup.indicator_completion(21, 9, 25, Direction.DOWN) == 0


def test_completion_is_clamped_between_0_and_100():
    assert rollup.indicator_completion(40, 120, 200, Direction.UP) == 100
    assert rollup.indicator_completion(40, 120, 10, Direction.UP) == 0
    assert rollup.indicator_completion(21, 9, 3, Direction.DOWN) == 100


def test_an_indicator_without_measurement_or_target_completes_zero():
    assert rollup.indicator_completion(40, 120, None) == 0
    assert rollup.indicator_completion(None, 120, 50) == 0


def test_a_target_not_beyond_the_baseline_is_met_or_not():
    assert rollup.indicator_completion(10, 10, 10, Direction.UP) == 100
    assert rollup.indicator_completion(10, 5, 4, Direction.UP) == 0
    assert rollup.indicator_completion(10, 10, 11, Direction.DOWN) == 0


def test_indicator_based_progress_is_the_mean_completion_and_none_without_indicators():
    assert rollup.action_progress(ActionStatus.DONE, None, ProgressSource.INDICATORS, [60.0, 75.0]) == 67.5
    assert rollup.action_progress(ActionStatus.DONE, None, ProgressSource.INDICATORS, []) is None


def test_parents_average_their_children_excluding_those_without_data():
    assert rollup.mean_progress([50, None, 100]) == 75
    assert rollup.mean_progress([None, None]) is None
    assert rollup.mean_progress([]) is None
    assert rollup.mean_progress([0, 100]) == 50


# The same rules through the database and the selector.


@pytest.fixture
def strategy(db):
    load_strategy()
    return current_strategy()


def objective_progress(tree) -> dict[str, float | None]:
    return {o["code"]: o["progress"] for a in tree["axes"] for s in a["sub_axes"] for o in s["objectives"]}


def make_action(strategy, code, objectives, weight=Decimal("1"), archived=False, **fields):
    action = Action.objects.create(
        strategy=strategy, code=code, title=code, zone_level="region", zone_code="52", **fields
    )
    action.objectives.set(
        Objective.objects.filter(sub_axis__axis__strategy=strategy, code__in=objectives),
        through_defaults={"weight": weight},
    )
    if archived:
        from django.utils import timezone

        action.archived_at = timezone.now()
        action.save()
    return action


@pytest.mark.django_db
def test_the_tree_of_an_empty_strategy_has_no_data_anywhere(strategy):
    tree = strategy_tree(strategy)
    assert tree["progress"] is None
    assert set(objective_progress(tree).values()) == {None}
    assert tree["objectives_with_data"] == 0 and tree["objectives_count"] == 14


@pytest.mark.django_db
def test_an_action_serving_two_objectives_counts_fully_in_each(strategy):
    make_action(strategy, "X1", ["O6", "O7"], status=ActionStatus.DONE)
    make_action(strategy, "X2", ["O7"], status=ActionStatus.NOT_STARTED, weight=Decimal("3"))
    progress = objective_progress(strategy_tree(strategy))
    assert progress["O6"] == 100
    assert progress["O7"] == 25  # (100 × 1 + 0 × 3) / 4


@pytest.mark.django_db
def test_the_tree_rolls_up_with_the_documented_rule(strategy):
    make_action(strategy, "X1", ["O1"], status=ActionStatus.DONE)  # sub-axis 1.1: only O1 has data
    make_action(strategy, "X2", ["O6"], status=ActionStatus.STARTED)  # sub-axis 1.2: only O6
    make_action(strategy, "X3", ["O13"], status=ActionStatus.WELL_UNDER_WAY, progress_override=10)
    make_action(strategy, "X4", ["O14"], status=ActionStatus.DONE, archived=True)  # O14: archived, no data
    tree = strategy_tree(strategy)
    axis1, axis2 = tree["axes"]
    assert [s["progress"] for s in axis1["sub_axes"]] == [100, 25]
    assert axis1["progress"] == 62.5
    assert [s["progress"] for s in axis2["sub_axes"]] == [None, 10]
    assert axis2["progress"] == 10
    assert tree["progress"] == 36.2  # (62.5 + 10) / 2 = 36.25, rounded once at the end
    assert objective_progress(tree)["O14"] is None
    assert tree["objectives_with_data"] == 3


@pytest.mark.django_db
def test_indicator_based_actions_read_the_latest_regional_measurement(strategy):
    action = make_action(strategy, "X1", ["O3"], progress_source=ProgressSource.INDICATORS)
    up = Indicator.objects.create(strategy=strategy, name="Hausse", baseline_value=40, target_value=120)
    down = Indicator.objects.create(
        strategy=strategy, name="Baisse", baseline_value=21, target_value=9, direction=Direction.DOWN
    )
    silent = Indicator.objects.create(
        strategy=strategy, name="Sans mesure", baseline_value=0, target_value=10
    )
    for indicator in (up, down, silent):
        indicator.actions.add(action)
    Measurement.objects.create(indicator=up, date="2024-01-01", value=60)
    Measurement.objects.create(indicator=up, date="2025-01-01", value=88)
    Measurement.objects.create(
        indicator=up, date="2026-01-01", value=500, zone_level="departement", zone_code="49"
    )
    Measurement.objects.create(indicator=down, date="2025-01-01", value=12)
    assert objective_progress(strategy_tree(strategy))["O3"] == 45  # (60 + 75 + 0) / 3


@pytest.mark.django_db
def test_each_objective_weighs_an_action_with_its_own_weight(strategy):
    from maille.strategy.models import ActionObjective

    x1 = make_action(strategy, "X1", ["O6", "O7"], status=ActionStatus.DONE)
    make_action(strategy, "X2", ["O6", "O7"], status=ActionStatus.NOT_STARTED)
    ActionObjective.objects.filter(action=x1, objective__code="O6").update(weight=Decimal("3"))
    progress = objective_progress(strategy_tree(strategy))
    assert progress["O6"] == 75  # (100 × 3 + 0 × 1) / 4
    assert progress["O7"] == 50  # (100 × 1 + 0 × 1) / 2
