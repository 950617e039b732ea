"""Who may do what in strategy steering. Default deny: the public sees the structure and the progress of objectives;
the actions (entered by the pilots, not public) and editing are for pilots and staff."""

from maille.accounts.perms import can_steer_strategy


def can_edit_strategy(user) -> bool:
    """Enter actions, measurements, meetings and decisions: pilots and staff."""
    return can_steer_strategy(user)


def can_view_actions(user) -> bool:
    """See the strategy's actions (titles, statuses, progress): pilots and staff, not the public."""
    return can_steer_strategy(user)


def can_view_action(user, action) -> bool:
    """One action's details. Demo actions follow the same rule, so the public page looks as it will in production."""
    return can_view_actions(user)
