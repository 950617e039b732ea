"""Progress rollup of the strategy: pure functions over plain data (no database), so the rule is stated once here.

Progress is a percentage between 0 and 100, or ``None`` meaning "no data" (shown as such, never as 0).

1. **Indicator completion** = (latest − baseline) / (target − baseline) × 100, clamped to 0..100. It is direction-aware:
   for an indicator that should go *down*, completion is (baseline − latest) / (baseline − target); when the target
   does not lie beyond the baseline in the indicator's direction, completion is 100 if the latest value meets the
   target, else 0. No measurement, or no baseline or target → 0. The latest value is the most recent measurement
   without a territory (the total for the region); territorial measurements are breakdowns, not read here.
2. **Action progress** = its ``progress_override`` when the pilots set one; otherwise, with ``progress_source =
   status`` (the default), the progress of its status (``enums.STATUS_PROGRESS``: 0, 25, 60, 100); with
   ``progress_source = indicators``, the mean completion of its indicators (``None`` if it has none).
3. **Objective progress** = Σ(progress × weight) / Σ(weight) over its actions, an action without progress counting
   as 0. An action serving two objectives counts fully in each. No actions, or a total weight of 0 → ``None``.
4. **Sub-axis, axis and strategy progress** = the plain mean of their children's progress (objectives for a
   sub-axis, sub-axes for an axis, axes for the strategy), children with ``None`` (no data yet) **excluded**; when
   every child is ``None``, the parent is ``None``. Each objective thus weighs the same in its sub-axis whatever its
   number of actions, and objectives whose actions are not yet entered do not pull the figure down to a made-up 0:
   read the figure with the count of objectives that have data (``objectives_with_data`` in the tree).
"""

from collections.abc import Iterable
from decimal import Decimal

from .enums import STATUS_PROGRESS, Direction, ProgressSource

Number = int | float | Decimal


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def indicator_completion(
    baseline: Number | None, target: Number | None, latest: Number | None, direction: str = Direction.UP
) -> float:
    """How far (0..100) the latest value has gone from the baseline to the target, in the indicator's direction."""
    if latest is None or baseline is None or target is None:
        return 0.0
    baseline, target, latest = float(baseline), float(target), float(latest)
    sign = -1.0 if direction == Direction.DOWN else 1.0
    gap = (target - baseline) * sign
    if gap <= 0:
        return 100.0 if (latest - target) * sign >= 0 else 0.0
    return clamp((latest - baseline) * sign / gap * 100.0)


def action_progress(
    status: str,
    progress_override: Number | None = None,
    progress_source: str = ProgressSource.STATUS,
    indicator_completions: Iterable[float] = (),
) -> float | None:
    """An action's progress: override, else its status's default, else (source = indicators) their mean completion."""
    if progress_override is not None:
        return clamp(float(progress_override))
    if progress_source == ProgressSource.INDICATORS:
        completions = list(indicator_completions)
        return sum(completions) / len(completions) if completions else None
    return float(STATUS_PROGRESS[status])


def weighted_progress(items: Iterable[tuple[float | None, Number]]) -> float | None:
    """Σ(progress × weight) / Σ(weight) over (progress, weight) pairs; a missing progress counts as 0.

    ``None`` when there is nothing to weigh (no items, or weights summing to 0).
    """
    total_weight = 0.0
    total = 0.0
    for progress, weight in items:
        weight = float(weight)
        total_weight += weight
        total += (progress or 0.0) * weight
    if total_weight <= 0:
        return None
    return total / total_weight


def mean_progress(children: Iterable[float | None]) -> float | None:
    """The mean of the children's progress, children without data (``None``) excluded; ``None`` if none has data."""
    values = [value for value in children if value is not None]
    return sum(values) / len(values) if values else None
