"""Who may do what in strategy steering. Default deny: the public sees the structure and the progress of objectives;
the strategy's pilots and staff steer everything (actions, indicators, measurements, committees, decisions); a
member of an organisation that pilots an action updates that action's status, progress and measurements — no other.
"""

from maille.accounts.perms import can_steer_strategy as _can_steer_strategy
from maille.accounts.perms import is_staff


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_steer_strategy(user) -> bool:
    """Create, edit and archive actions, indicators, measurements, committees and decisions: pilots and staff."""
    return _can_steer_strategy(user)


def can_edit_strategy(user) -> bool:
    """Former name of `can_steer_strategy`, kept for the pages that already call it."""
    return can_steer_strategy(user)


def can_view_actions(user) -> bool:
    """See all the strategy's actions (titles, statuses, progress): pilots and staff, not the public."""
    return can_steer_strategy(user)


def pilots_action(user, action) -> bool:
    """The person is a member of one of the organisations that pilot the action."""
    if not _active(user) or action is None or action.pk is None:
        return False
    return action.pilots.filter(memberships__user=user).exists()


def can_view_action(user, action) -> bool:
    """One action's page: pilots and staff, and the members of the action's pilot organisations."""
    return can_steer_strategy(user) or pilots_action(user, action)


def can_update_action(user, action) -> bool:
    """Update an action's status, progress and measurements: pilots and staff, and the members of its pilot
    organisations — that action only, and not once it is archived."""
    if can_steer_strategy(user):
        return True
    return action is not None and action.archived_at is None and pilots_action(user, action)


def can_record_measurement(user, indicator) -> bool:
    """Record, correct or remove a measurement of an indicator: pilots and staff, and the members of the pilot
    organisations of an action that the indicator follows."""
    if can_steer_strategy(user):
        return True
    if not _active(user) or indicator is None:
        return False
    return indicator.actions.filter(archived_at__isnull=True, pilots__memberships__user=user).exists()


def can_view_minutes(user) -> bool:
    """Download a committee's minutes (PDF): the strategy's pilots and staff only."""
    return can_steer_strategy(user) or is_staff(user)
