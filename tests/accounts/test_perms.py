"""Permission predicates of accounts: default deny, then exactly who may."""

import pytest
from django.contrib.auth.models import AnonymousUser

from maille.accounts import perms
from maille.accounts.enums import MemberRole, Role
from maille.accounts.selectors import roles_of
from maille.directory.enums import OrganisationKind
from maille.territories.models import Epci
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_denied_everything():
    anonymous = AnonymousUser()
    organisation = OrganisationFactory()
    someone = UserFactory()
    assert not perms.can_manage_organisation(anonymous, organisation)
    assert not perms.can_view_members(anonymous, organisation)
    assert not perms.can_view_personal_data(anonymous, someone)
    assert not perms.can_act_for_epci(anonymous, "244900015")
    assert not perms.can_steer_strategy(anonymous)
    assert roles_of(anonymous) == set()


def test_a_plain_account_is_a_project_holder_and_nothing_more():
    user = UserFactory()
    assert roles_of(user) == {Role.PROJECT_HOLDER}
    assert not perms.can_view_members(user, OrganisationFactory())
    assert not perms.can_steer_strategy(user)


def test_members_see_their_organisation_but_only_admins_manage_it():
    membership = MembershipFactory()
    admin = MembershipFactory(organisation=membership.organisation, is_admin=True).user
    outsider = UserFactory()
    organisation = membership.organisation
    assert perms.can_view_members(membership.user, organisation)
    assert not perms.can_manage_organisation(membership.user, organisation)
    assert perms.can_manage_organisation(admin, organisation)
    assert not perms.can_view_members(outsider, organisation)
    assert not perms.can_manage_organisation(outsider, organisation)


def test_an_inactive_member_loses_every_right():
    membership = MembershipFactory(is_admin=True)
    membership.user.is_active = False
    membership.user.save()
    assert not perms.can_view_members(membership.user, membership.organisation)
    assert not perms.can_manage_organisation(membership.user, membership.organisation)


def test_roles_come_from_memberships():
    assert roles_of(MembershipFactory(role=MemberRole.ADVISOR).user) == {Role.ADVISOR}
    assert roles_of(MembershipFactory(role=MemberRole.FUNDER).user) == {Role.FUNDER}
    assert roles_of(MembershipFactory(role=MemberRole.PILOT).user) == {Role.PILOT}
    both = MembershipFactory(role=MemberRole.ADVISOR).user
    MembershipFactory(user=both, role=MemberRole.PILOT)
    assert roles_of(both) == {Role.ADVISOR, Role.PILOT}


def test_an_epci_agent_acts_for_their_own_epci_only():
    angers = Epci.objects.get(code="244900015")
    agent = MembershipFactory(
        role=MemberRole.EPCI_AGENT, organisation__kind=OrganisationKind.EPCI, organisation__epci=angers
    ).user
    assert roles_of(agent) == {Role.EPCI_AGENT}
    assert perms.can_act_for_epci(agent, "244900015")
    assert not perms.can_act_for_epci(agent, "200071314")


def test_personal_data_is_for_the_person_and_staff():
    person, other = UserFactory(), UserFactory()
    staff = UserFactory(is_staff=True)
    assert perms.can_view_personal_data(person, person)
    assert not perms.can_view_personal_data(other, person)
    assert perms.can_view_personal_data(staff, person)


def test_pilots_and_staff_steer_the_strategy():
    pilot = MembershipFactory(role=MemberRole.PILOT).user
    advisor = MembershipFactory(role=MemberRole.ADVISOR).user
    assert perms.can_steer_strategy(pilot)
    assert perms.can_steer_strategy(UserFactory(is_staff=True))
    assert not perms.can_steer_strategy(advisor)


def test_an_epci_agent_membership_needs_an_epci_organisation():
    from django.core.exceptions import ValidationError

    membership = MembershipFactory.build(role=MemberRole.EPCI_AGENT, organisation=OrganisationFactory())
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_an_epci_organisation_must_name_its_epci():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(kind=OrganisationKind.EPCI, epci=None)
