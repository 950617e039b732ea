"""Who sees the strategy's actions and who edits the strategy: pilots and staff, nobody else."""

import pytest
from django.contrib.auth.models import AnonymousUser

from maille.accounts.enums import MemberRole
from maille.strategy.models import Action
from maille.strategy.perms import can_edit_strategy, can_view_action, can_view_actions
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def people():
    return {
        "anonymous": AnonymousUser(),
        "plain user": UserFactory(),
        "advisor": MembershipFactory(role=MemberRole.ADVISOR).user,
        "inactive pilot": MembershipFactory(role=MemberRole.PILOT, user__is_active=False).user,
        "pilot": MembershipFactory(role=MemberRole.PILOT).user,
        "staff": UserFactory(is_staff=True),
    }


ALLOWED = {"pilot", "staff"}


def test_only_pilots_and_staff_edit_the_strategy():
    assert {name for name, user in people().items() if can_edit_strategy(user)} == ALLOWED


def test_only_pilots_and_staff_see_actions_demo_or_not():
    for is_demo in (False, True):
        action = Action(code="X", title="X", is_demo=is_demo)
        allowed = {name for name, user in people().items() if can_view_action(user, action)}
        assert allowed == ALLOWED
    assert {name for name, user in people().items() if can_view_actions(user)} == ALLOWED
