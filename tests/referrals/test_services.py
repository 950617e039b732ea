"""The referral state machine: every pair of the transition table, permissions, bad input, audit, timeline, e-mails,
referring onward, and the project's status derived after each transition."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maille.core.models import AuditEntry
from maille.projects.enums import ProjectStatus, TimelineKind
from maille.projects.selectors import project_status
from maille.referrals import services
from maille.referrals.enums import Outcome, ReferralStatus
from maille.referrals.models import Referral
from tests.factories import MembershipFactory, OfferFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

# What each status needs in the database (the check constraints).
STATE_FIELDS = {
    ReferralStatus.PENDING: {},
    ReferralStatus.ACCEPTED: {},
    ReferralStatus.DECLINED: {"decline_reason": "Hors de notre territoire."},
    ReferralStatus.EXPIRED: {},
    ReferralStatus.CLOSED: {"outcome": Outcome.HELPED},
}


def move(referral, target, actor):
    if target == ReferralStatus.ACCEPTED:
        return services.accept(referral, actor)
    if target == ReferralStatus.DECLINED:
        return services.decline(referral, actor, "Pas de disponibilité avant six mois.")
    if target == ReferralStatus.CLOSED:
        return services.close(referral, actor, Outcome.HELPED, "Statuts rédigés.")
    return services.expire(referral)


def in_status(referral, status):
    Referral.objects.filter(pk=referral.pk).update(status=status, **STATE_FIELDS[status])
    referral.refresh_from_db()
    return referral


def test_transition_table_is_the_documented_one():
    assert services.TRANSITIONS == {
        ("pending", "accepted"): services.ORGANISATION,
        ("pending", "declined"): services.ORGANISATION,
        ("pending", "expired"): services.SYSTEM,
        ("accepted", "closed"): services.ORGANISATION,
    }


@pytest.mark.parametrize("current", ReferralStatus.values)
@pytest.mark.parametrize("target", ["accepted", "declined", "closed", "expired"])
def test_every_pair_of_statuses_follows_the_table(referral, advisor, current, target):
    in_status(referral, current)
    audits, timeline = AuditEntry.objects.count(), referral.project.timeline.count()
    if (current, target) in services.TRANSITIONS:
        move(referral, target, advisor)
        referral.refresh_from_db()
        assert referral.status == target
        assert AuditEntry.objects.count() == audits + 1
        assert referral.project.timeline.filter(kind=TimelineKind.REFERRAL).count() == timeline + 1
    else:
        with pytest.raises(services.TransitionError) as error:
            move(referral, target, advisor)
        assert error.value.message
        referral.refresh_from_db()
        assert referral.status == current
        assert AuditEntry.objects.count() == audits
        assert referral.project.timeline.count() == timeline


def test_answering_twice_tells_that_someone_already_answered(referral, advisor, second_advisor):
    services.accept(referral, advisor)
    stale = Referral.objects.get(pk=referral.pk)
    stale.status = ReferralStatus.PENDING  # what the second advisor's page still showed
    with pytest.raises(services.TransitionError, match="déjà reçu une réponse"):
        services.decline(stale, second_advisor, "Trop tard ?")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.answered_by == advisor
    assert referral.decline_reason == ""


@pytest.mark.parametrize("who", ["outsider", "stranger", "anonymous", "inactive"])
@pytest.mark.parametrize("target", ["accepted", "declined"])
def test_only_members_of_the_organisation_answer(referral, stranger, advisor, who, target):
    from django.contrib.auth.models import AnonymousUser

    advisor.is_active = False
    advisor.save()
    actor = {
        "outsider": UserFactory(),
        "stranger": stranger,
        "anonymous": AnonymousUser(),
        "inactive": advisor,
    }[who]
    with pytest.raises(PermissionDenied):
        move(referral, target, actor)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert (
        not AuditEntry.objects.filter(action__startswith="referral.")
        .exclude(action="referral.create")
        .exists()
    )


def test_only_members_close(referral, advisor, stranger):
    services.accept(referral, advisor)
    with pytest.raises(PermissionDenied):
        services.close(referral, stranger, Outcome.HELPED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_staff_may_answer(referral, staff):
    services.accept(referral, staff)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_declined_referral_requires_a_reason(referral, advisor, reason):
    with pytest.raises(ValidationError) as error:
        services.decline(referral, advisor, reason)
    assert "motif" in error.value.message_dict["reason"][0]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert referral.decline_reason == ""
    assert referral.answered_at is None
    assert not AuditEntry.objects.filter(action="referral.decline").exists()
    assert not referral.project.timeline.exists()


@pytest.mark.parametrize("outcome", ["", "success", None])
def test_closing_requires_a_known_outcome(referral, advisor, outcome):
    services.accept(referral, advisor)
    with pytest.raises(ValidationError) as error:
        services.close(referral, advisor, outcome)
    assert "issue" in error.value.message_dict["outcome"][0]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.outcome == ""
    assert referral.closed_at is None


def test_transitions_stamp_who_and_when(referral, advisor):
    services.accept(referral, advisor)
    services.close(referral, advisor, Outcome.NO_HELP, "  Projet suspendu.  ")
    referral.refresh_from_db()
    assert referral.answered_by == advisor
    assert referral.answered_at is not None
    assert referral.closed_at is not None
    assert (referral.outcome, referral.outcome_note) == ("no_help", "Projet suspendu.")
    actions = list(
        AuditEntry.objects.filter(target_type="referrals.referral", target_id=str(referral.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["referral.accept", "referral.close"]


def test_project_status_is_derived_after_each_transition(project, offer, advisor):
    assert project_status(project) == ProjectStatus.NEW
    first = services.refer(project, offer)
    assert project_status(project) == ProjectStatus.WAITING
    services.accept(first, advisor)
    assert project_status(project) == ProjectStatus.SUPPORTED
    services.close(first, advisor, Outcome.HELPED)
    assert project_status(project) == ProjectStatus.CLOSED
    other = ReferralFactory(project=project)
    assert project_status(project) == ProjectStatus.WAITING
    services.decline(other, MembershipFactory(organisation=other.organisation).user, "Complet.")
    assert project_status(project) == ProjectStatus.CLOSED


def test_a_project_declined_or_expired_everywhere_is_stuck(project, advisor):
    declined = ReferralFactory(project=project)
    expired = ReferralFactory(project=project)
    services.decline(declined, MembershipFactory(organisation=declined.organisation).user, "Complet.")
    assert project_status(project) == ProjectStatus.WAITING
    services.expire(expired)
    assert project_status(project) == ProjectStatus.STUCK


# --- creation and e-mails ---------------------------------------------------------------------------------------


def _parts(message):
    html = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert message.body.strip(), "text part"
    assert len(html) == 1 and "<html" in html[0], "HTML part"
    return message.body, html[0]


def opens_project(text: str, project) -> bool:
    """The text carries a holder's link (a fresh opaque token per e-mail) that opens this project."""
    import re

    from maille.projects.services import project_from_token

    tokens = re.findall(r"/projets/suivi/([\w-]+)/", text)
    return bool(tokens) and all(project_from_token(token) == project for token in tokens)


def test_refer_creates_a_pending_referral_and_tells_the_organisation(
    project, offer, advisor, second_advisor, django_capture_on_commit_callbacks
):
    holder = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.refer(project, offer, actor=holder, message="Besoin d'un regard extérieur.")
    assert referral.status == ReferralStatus.PENDING
    assert referral.organisation == offer.organisation
    assert referral.created_by == holder
    assert AuditEntry.objects.filter(action="referral.create", target_id=str(referral.pk)).exists()
    assert project.timeline.get().kind == TimelineKind.REFERRAL
    # The organisation has advisors: they are told (and only they — the offer's contact is for organisations
    # without an account).
    assert sorted(m.to[0] for m in mail.outbox) == [
        "conseiller2@reseau-test.example",
        "conseillere@reseau-test.example",
    ]
    assert referral.delivery_channel == "advisors"
    assert referral.delivery_recipients == [
        "conseiller2@reseau-test.example",
        "conseillere@reseau-test.example",
    ]
    for message in mail.outbox:
        assert "Nouvelle mise en relation" in message.subject
        text, html = _parts(message)
        assert "La Recyclerie" in text and "La Recyclerie" in html
        assert "Besoin d'un regard extérieur." in text
        assert f"/mises-en-relation/{referral.pk}/" in text and f"/mises-en-relation/{referral.pk}/" in html
        assert "porteuse@example.org" not in text  # the holder's contact is on the page, with consent only


def test_refer_without_advisor_nor_contact_writes_to_the_organisation(project, organisation):
    offer = OfferFactory(organisation=organisation, contact="")
    referral = services.refer(project, offer)
    assert referral.delivery_channel == "organisation_email"
    assert referral.delivery_recipients == ["accueil@reseau-test.example"]


def test_a_second_open_referral_for_the_same_offer_is_refused(referral, project, offer, advisor):
    with pytest.raises(ValidationError) as error:
        services.refer(project, offer)
    assert "déjà en cours" in error.value.message_dict["offer"][0]
    services.accept(referral, advisor)
    with pytest.raises(ValidationError):
        services.refer(project, offer)
    assert Referral.objects.filter(project=project, offer=offer).count() == 1
    services.close(referral, advisor, Outcome.HELPED)
    assert services.refer(project, offer).status == ReferralStatus.PENDING  # the earlier one is over


def test_an_unpublished_offer_cannot_be_asked(project, organisation):
    offer = OfferFactory(organisation=organisation, status="draft")
    with pytest.raises(ValidationError):
        services.refer(project, offer)
    assert not Referral.objects.exists()


def test_accepting_tells_the_holder_who_will_contact_them(
    referral, advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(referral, advisor)
    [message] = mail.outbox
    assert message.to == ["porteuse@example.org"]
    text, html = _parts(message)
    for part in (text, html):
        assert "Camille" in part
        assert "conseillere@reseau-test.example" in part
        assert "Réseau test" in part
        assert opens_project(part, referral.project)


def test_declining_tells_the_holder_the_reason_and_where_to_look(
    referral, advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(referral, advisor, "Votre projet relève de la CAE voisine.")
    [message] = mail.outbox
    assert message.to == ["porteuse@example.org"]
    text, html = _parts(message)
    for part in (text, html):
        assert "Votre projet relève de la CAE voisine." in part
        assert opens_project(part, referral.project)
    assert "autres offres" in html


def test_expiry_tells_the_holder(referral, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.expire(referral)
    [message] = mail.outbox
    assert message.to == ["porteuse@example.org"]
    _parts(message)
    referral.refresh_from_db()
    assert referral.expired_at is not None


def test_closing_sends_no_email(referral, advisor, django_capture_on_commit_callbacks):
    services.accept(referral, advisor)
    with django_capture_on_commit_callbacks(execute=True):
        services.close(referral, advisor, Outcome.UNREACHABLE)
    assert mail.outbox == []


def test_no_email_leaves_when_the_transaction_rolls_back(
    referral, advisor, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.accept(referral, advisor)
        raise RuntimeError
    assert callbacks == [] and mail.outbox == []
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


# --- referring onward --------------------------------------------------------------------------------------------


def test_any_advisor_refers_the_project_onward(referral, second_advisor, django_capture_on_commit_callbacks):
    target = MembershipFactory(user__email="autre@structure.example").organisation
    other_offer = OfferFactory(organisation=target, contact="")
    with django_capture_on_commit_callbacks(execute=True):
        onward = services.refer_onward(referral, other_offer, second_advisor, "Mieux placés que nous.")
    assert onward.parent == referral
    assert onward.organisation == target
    assert onward.status == ReferralStatus.PENDING
    assert onward.created_by == second_advisor
    assert [m.to for m in mail.outbox] == [["autre@structure.example"]]
    text, html = _parts(mail.outbox[0])
    assert "Nouvelle mise en relation" in mail.outbox[0].subject
    assert "Réseau test" in text and "Réseau test" in html
    assert "Mieux placés que nous." in text
    assert AuditEntry.objects.filter(action="referral.refer_onward", target_id=str(referral.pk)).exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING  # the first referral still needs its own answer


def test_referring_onward_is_for_the_organisation_holding_the_referral(referral, stranger):
    other_offer = OfferFactory()
    with pytest.raises(PermissionDenied):
        services.refer_onward(referral, other_offer, stranger, "")
    assert not Referral.objects.filter(parent=referral).exists()


def test_referring_onward_to_ones_own_organisation_is_refused(referral, advisor, organisation):
    own = OfferFactory(organisation=organisation)
    with pytest.raises(ValidationError) as error:
        services.refer_onward(referral, own, advisor, "")
    assert "autre structure" in error.value.message_dict["offer"][0]
    assert not Referral.objects.filter(parent=referral).exists()


def test_the_callers_instance_shows_the_new_state(referral, advisor):
    before = timezone.now()
    returned = services.accept(referral, advisor)
    assert returned is referral
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.answered_at >= before
