"""Who may do what in the showcase. Default deny: each predicate names who may, nobody else.

- Stories, events, tiers-lieux and trainings are written by staff (the back-office and the staff pages).
- An event's attendance is recorded by staff and by the members of its organiser.
- An EPCI's partnership is edited by its own EPCI agents (`accounts.perms.can_act_for_epci`) and by staff;
  an agent of another EPCI sees the public part only.
"""

from maille.accounts.perms import can_act_for_epci, is_member, is_staff


def can_write_showcase(user) -> bool:
    return is_staff(user)


def can_record_attendance(user, event) -> bool:
    return is_staff(user) or is_member(user, event.organiser)


def can_edit_partnership(user, epci_code: str) -> bool:
    return can_act_for_epci(user, epci_code)


def can_see_partnership_details(user, epci_code: str) -> bool:
    """The contact person and the strategy's actions concerned (actions are not public): those who may edit the
    partnership, and the strategy's pilots and staff. The status, date and signed document are public."""
    from maille.accounts.perms import can_steer_strategy

    return can_edit_partnership(user, epci_code) or can_steer_strategy(user)
