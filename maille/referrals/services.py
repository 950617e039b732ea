"""Changing referrals: the state machine, one function per transition, referring onward, and the daily reminders.

`TRANSITIONS` is the one table of allowed moves, with who may make each. Every transition function checks the
permission, then, inside one transaction, locks the referral's row and re-reads its status (two advisors answering
at the same moment: exactly one wins, the other gets a `TransitionError`), saves with `update_fields`, writes the
audit entry and the timeline entry, and schedules its e-mails for after the commit (HTML + text, French).
A project's status is never written here: it is derived from its referrals (`projects.selectors.project_status`).
"""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.audit import record
from maille.core.emails import send_on_commit
from maille.core.enums import Need
from maille.directory.enums import PublicationStatus
from maille.projects.enums import TimelineKind
from maille.projects.services import add_timeline, holder_link

from . import selectors
from .enums import Outcome, ReferralStatus
from .models import Referral
from .perms import can_answer_referral

# Who may make a transition.
ORGANISATION = "organisation"  # an active member of the organisation the referral is addressed to, or staff
SYSTEM = "system"  # the daily command (`send_referral_reminders`)

TRANSITIONS: dict[tuple[str, str], str] = {
    (ReferralStatus.PENDING, ReferralStatus.ACCEPTED): ORGANISATION,
    (ReferralStatus.PENDING, ReferralStatus.DECLINED): ORGANISATION,
    (ReferralStatus.PENDING, ReferralStatus.EXPIRED): SYSTEM,
    (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED): ORGANISATION,
}
OPEN_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)
# Each target status is reached by one kind of actor only.
WHO_BY_TARGET = {target: who for (_current, target), who in TRANSITIONS.items()}
ANSWERS = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.EXPIRED)


class TransitionError(Exception):
    """The referral is no longer in a state that allows this move (often: someone else answered first)."""

    def __init__(self, message: str, status: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status


def is_allowed(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


def _status_label(status: str) -> str:
    return str(ReferralStatus(status).label)


def _refusal(current: str, target: str) -> TransitionError:
    label = _status_label(current)
    if target in ANSWERS and current != ReferralStatus.PENDING:
        message = _(
            "Cette mise en relation a déjà reçu une réponse : elle est désormais « %(status)s ». "
            "Rechargez la page pour voir son état actuel."
        ) % {"status": label}
    elif target == ReferralStatus.CLOSED and current == ReferralStatus.CLOSED:
        message = _("Cette mise en relation est déjà clôturée.")
    elif target == ReferralStatus.CLOSED:
        message = _("Seule une mise en relation acceptée peut être clôturée (elle est « %(status)s »).") % {
            "status": label
        }
    else:
        message = _("Cette mise en relation ne peut pas passer de « %(from)s » à « %(to)s ».") % {
            "from": label,
            "to": _status_label(target),
        }
    return TransitionError(message, status=current)


def _check_permission(referral: Referral, target: str, actor) -> None:
    if WHO_BY_TARGET[target] == ORGANISATION and not can_answer_referral(actor, referral):
        raise PermissionDenied(
            _("Seuls les membres de la structure sollicitée peuvent répondre à cette mise en relation.")
        )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _transition(referral: Referral, target: str, **changes) -> Referral:
    """Lock the row, re-read its status, check the move, save. Call inside `transaction.atomic`."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not is_allowed(locked.status, target):
        raise _refusal(locked.status, target)
    locked.status = target
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save(update_fields=["status", *changes])
    # The caller's instance shows the new state too (its cached project, offer and organisation are kept).
    for field in ["status", *changes]:
        setattr(referral, field, getattr(locked, field))
    return referral


# --- links and e-mails -------------------------------------------------------------------------------------------


def referral_url(referral: Referral) -> str:
    return settings.MAILLE_SITE_URL + reverse("referrals:detail", args=[referral.pk])


def _context(referral: Referral, **extra) -> dict:
    return {
        "referral": referral,
        "project": referral.project,
        "offer": referral.offer,
        "organisation": referral.organisation,
        "needs": [str(Need(need).label) for need in referral.project.needs if need in Need.values],
        **extra,
    }


def _tell_organisation(referral: Referral, template: str, subject: str, **extra) -> list[str]:
    recipients = selectors.organisation_recipients(referral)
    context = _context(
        referral, link=referral_url(referral), dates=selectors.due_dates(referral.created_at), **extra
    )
    for email in recipients:
        send_on_commit(email, subject, template, context)
    return recipients


def _tell_holder(referral: Referral, template: str, subject: str, **extra) -> None:
    project = referral.project
    send_on_commit(
        project.holder_email, subject, template, _context(referral, link=holder_link(project), **extra)
    )


# --- creation ----------------------------------------------------------------------------------------------------


def _create(project, offer, actor, message: str, parent: Referral | None) -> Referral:
    duplicate = ValidationError(
        {"offer": [_("Une mise en relation est déjà en cours avec cette offre pour ce projet.")]}
    )
    if offer.status != PublicationStatus.PUBLISHED:
        raise ValidationError({"offer": [_("Cette offre n'est pas publiée : choisissez-en une autre.")]})
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": [_("La mise en relation d'origine concerne un autre projet.")]})
    if Referral.objects.filter(project=project, offer=offer, status__in=OPEN_STATUSES).exists():
        raise duplicate
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                project=project,
                offer=offer,
                organisation=offer.organisation,
                message=message.strip(),
                parent=parent,
                created_by=_user(actor),
            )
    except IntegrityError as exc:  # the same offer asked twice at the same moment
        raise duplicate from exc
    record(actor, "referral.create", referral, offer=offer.pk, parent=parent.pk if parent else None)
    return referral


@transaction.atomic
def refer(project, offer, actor=None, message: str = "", parent: Referral | None = None) -> Referral:
    """Put the project in touch with the organisation of `offer`: a pending referral, its organisation told."""
    referral = _create(project, offer, actor, message, parent)
    add_timeline(
        project,
        TimelineKind.REFERRAL,
        _("Mise en relation demandée avec %(organisation)s (« %(offer)s »).")
        % {"organisation": offer.organisation.name, "offer": offer.name},
        author=_user(actor),
        organisation=offer.organisation,
    )
    _tell_organisation(
        referral, "referral_new", _("Nouvelle mise en relation : « %(project)s »") % {"project": project.name}
    )
    return referral


@transaction.atomic
def refer_onward(referral: Referral, offer, actor, message: str = "") -> Referral:
    """An advisor of the organisation holding `referral` sends the project on to another organisation's offer."""
    if not can_answer_referral(actor, referral):
        raise PermissionDenied(
            _(
                "Seuls les membres de la structure sollicitée peuvent orienter ce projet vers une autre structure."
            )
        )
    if offer.organisation_id == referral.organisation_id:
        raise ValidationError({"offer": [_("Choisissez l'offre d'une autre structure que la vôtre.")]})
    onward = _create(referral.project, offer, actor, message, parent=referral)
    record(actor, "referral.refer_onward", referral, onward=onward.pk)
    add_timeline(
        referral.project,
        TimelineKind.REFERRAL,
        _("%(from)s a orienté le projet vers %(to)s (« %(offer)s »).")
        % {"from": referral.organisation.name, "to": offer.organisation.name, "offer": offer.name},
        author=_user(actor),
        organisation=referral.organisation,
    )
    _tell_organisation(
        onward,
        "referral_onward",
        _("Nouvelle mise en relation transmise par %(organisation)s : « %(project)s »")
        % {"organisation": referral.organisation.name, "project": referral.project.name},
        sender=referral.organisation,
    )
    return onward


# --- transitions -------------------------------------------------------------------------------------------------


def accept(referral: Referral, actor) -> Referral:
    _check_permission(referral, ReferralStatus.ACCEPTED, actor)
    with transaction.atomic():
        _transition(referral, ReferralStatus.ACCEPTED, answered_by=actor, answered_at=timezone.now())
        record(actor, "referral.accept", referral)
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("%(organisation)s a accepté la mise en relation (« %(offer)s »).")
            % {"organisation": referral.organisation.name, "offer": referral.offer.name},
            author=actor,
            organisation=referral.organisation,
        )
        _tell_holder(
            referral,
            "referral_accepted",
            _("%(organisation)s vous accompagne") % {"organisation": referral.organisation.name},
            advisor=actor,
        )
    return referral


def decline(referral: Referral, actor, reason: str) -> Referral:
    _check_permission(referral, ReferralStatus.DECLINED, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Indiquez le motif du refus : le porteur de projet le recevra.")]}
        )
    with transaction.atomic():
        _transition(
            referral,
            ReferralStatus.DECLINED,
            decline_reason=reason,
            answered_by=actor,
            answered_at=timezone.now(),
        )
        record(actor, "referral.decline", referral, reason=reason)
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("%(organisation)s a décliné la mise en relation : %(reason)s")
            % {"organisation": referral.organisation.name, "reason": reason},
            author=actor,
            organisation=referral.organisation,
        )
        _tell_holder(
            referral,
            "referral_declined",
            _("%(organisation)s ne peut pas vous accompagner") % {"organisation": referral.organisation.name},
        )
    return referral


def close(referral: Referral, actor, outcome: str, note: str = "") -> Referral:
    _check_permission(referral, ReferralStatus.CLOSED, actor)
    if outcome not in Outcome.values:
        raise ValidationError(
            {
                "outcome": [
                    _("Choisissez l'issue de l'accompagnement parmi : %(values)s.")
                    % {"values": ", ".join(Outcome.values)}
                ]
            }
        )
    note = (note or "").strip()
    with transaction.atomic():
        _transition(
            referral, ReferralStatus.CLOSED, outcome=outcome, outcome_note=note, closed_at=timezone.now()
        )
        record(actor, "referral.close", referral, outcome=outcome)
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("%(organisation)s a clôturé l'accompagnement : %(outcome)s.")
            % {"organisation": referral.organisation.name, "outcome": Outcome(outcome).label},
            author=actor,
            organisation=referral.organisation,
        )
    return referral


def expire(referral: Referral, now: datetime.datetime | None = None) -> Referral:
    """No answer in time (the daily command): the referral expires and the holder is told."""
    now = now or timezone.now()
    with transaction.atomic():
        _transition(referral, ReferralStatus.EXPIRED, expired_at=now)
        record(None, "referral.expire", referral)
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("La mise en relation avec %(organisation)s a expiré sans réponse.")
            % {"organisation": referral.organisation.name},
            organisation=referral.organisation,
        )
        _tell_holder(
            referral,
            "referral_expired",
            _("Votre demande à %(organisation)s est restée sans réponse")
            % {"organisation": referral.organisation.name},
        )
    return referral


# --- reminders ---------------------------------------------------------------------------------------------------

REMINDER_FIELDS = {1: "first_reminder_sent_at", 2: "second_reminder_sent_at"}


def _remind(pk: int, number: int, now: datetime.datetime) -> bool:
    """Send reminder 1 or 2 for one referral, once: the stamp is checked and set under the row's lock."""
    field = REMINDER_FIELDS[number]
    with transaction.atomic():
        referral = Referral.objects.select_for_update().filter(pk=pk).first()
        if (
            referral is None
            or referral.status != ReferralStatus.PENDING
            or getattr(referral, field) is not None
        ):
            return False
        if number == 1 and referral.second_reminder_sent_at is not None:
            return False
        setattr(referral, field, now)
        referral.save(update_fields=[field])
        record(None, "referral.remind", referral, reminder=number)
        if number == 1:
            subject = _("Rappel : la mise en relation « %(project)s » attend votre réponse")
        else:
            subject = _("Second rappel : la mise en relation « %(project)s » attend votre réponse")
        _tell_organisation(
            referral,
            "referral_reminder",
            subject % {"project": referral.project.name},
            number=number,
            days=(now - referral.created_at).days,
        )
    return True


def _expire_due(pk: int, now: datetime.datetime) -> bool:
    referral = Referral.objects.filter(pk=pk).first()
    if referral is None:
        return False
    try:
        expire(referral, now=now)
    except TransitionError:  # answered meanwhile
        return False
    return True


def send_reminders(
    now: datetime.datetime | None = None, progress: Callable[[list], Iterable] | None = None
) -> dict[str, int]:
    """The daily work: reminder 1 and 2 to the organisations, then expiry with the holder told. Idempotent."""
    now = now or timezone.now()
    work: list[tuple[str, int]] = [
        *(("expired", pk) for pk in selectors.due_for_expiry(now).values_list("pk", flat=True)),
        *(
            ("second_reminders", pk)
            for pk in selectors.due_for_second_reminder(now).values_list("pk", flat=True)
        ),
        *(
            ("first_reminders", pk)
            for pk in selectors.due_for_first_reminder(now).values_list("pk", flat=True)
        ),
    ]
    summary = {"first_reminders": 0, "second_reminders": 0, "expired": 0}
    for kind, pk in progress(work) if progress else work:
        if kind == "expired":
            done = _expire_due(pk, now)
        else:
            done = _remind(pk, 1 if kind == "first_reminders" else 2, now)
        summary[kind] += int(done)
    return summary
