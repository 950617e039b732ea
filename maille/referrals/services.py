"""Changing referrals: the state machine, one function per transition, referring onward, and the daily reminders.

`TRANSITIONS` is the one table of allowed moves, with who may make each. Every transition function checks the
permission, then, inside one transaction, locks the referral's row and re-reads its status (two advisors answering
at the same moment: exactly one wins, the other gets a `TransitionError`), saves with `update_fields`, writes the
audit entry and the timeline entry, and schedules its e-mails for after the commit (HTML + text, French).
A project's status is never written here: it is derived from its referrals (`projects.selectors.project_status`).

Delivery: `refer` resolves once who is told (`selectors.resolve_delivery`) and keeps it on the referral; every later
e-mail to the organisation (reminders) goes to the same addresses. An address without an account receives its own
answer link (`issue_answer_link`: a random token, only its hash stored); such a link is an actor of the transitions
like an advisor, checked by `perms.can_answer_with_link`. What nobody could receive waits at the regional
orientation desk, whose staff forward it (`forward_to_address`, `forward_to_organisation`).
"""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.audit import record
from maille.core.emails import send_on_commit
from maille.core.enums import Need
from maille.core.tokens import new_token, token_hash
from maille.directory.enums import PublicationStatus
from maille.projects.enums import TimelineKind
from maille.projects.services import add_timeline, holder_link

from . import selectors
from .enums import DeliveryChannel, Outcome, ReferralStatus
from .models import AnswerLink, Referral
from .perms import can_answer_referral, can_answer_with_link, can_use_desk

# Who may make a transition.
ORGANISATION = "organisation"  # an active member of the organisation addressed, staff, or its answer link
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


def _may_answer(actor, referral: Referral) -> bool:
    if isinstance(actor, AnswerLink):
        return can_answer_with_link(actor, referral)
    return can_answer_referral(actor, referral)


def _check_permission(referral: Referral, target: str, actor) -> None:
    if WHO_BY_TARGET[target] == ORGANISATION and not _may_answer(actor, referral):
        raise PermissionDenied(
            _("Seuls les membres de la structure sollicitée peuvent répondre à cette mise en relation.")
        )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _by_link(actor) -> dict:
    """Audit data saying which e-mailed link answered (no account behind it)."""
    return {"link": actor.email} if isinstance(actor, AnswerLink) else {}


def _answerer(actor, name: str = "", phone: str = "") -> dict:
    """Who answered, as the holder will read it: the account's name and e-mail, or what the link's person typed."""
    if isinstance(actor, AnswerLink):
        actor.used_at = timezone.now()
        actor.save(update_fields=["used_at"])
        return {
            "answered_by_name": name.strip()[:200],
            "answered_by_email": actor.email,
            "answered_by_phone": phone.strip()[:30],
        }
    user = _user(actor)
    if user is None:
        return {}
    return {
        "answered_by_name": (user.get_full_name() or "")[:200],
        "answered_by_email": user.email,
        "answered_by_phone": phone.strip()[:30],
    }


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


def desk_url(referral: Referral) -> str:
    return settings.MAILLE_SITE_URL + reverse("referrals:desk_detail", args=[referral.pk])


def issue_answer_link(referral: Referral, email: str) -> str:
    """A new answer link for one address: returns the URL with its token (only the hash is stored)."""
    token = new_token()
    AnswerLink.objects.create(referral=referral, email=email, token_hash=token_hash(token))
    return settings.MAILLE_SITE_URL + reverse("referrals:answer", args=[token])


def link_from_token(token: str) -> AnswerLink | None:
    """The answer link of a token, with its referral; None when unknown (revoked links are returned: the page
    says the link no longer works)."""
    if not token or len(token) > 100:
        return None
    return (
        AnswerLink.objects.select_related(
            "referral",
            "referral__project",
            "referral__project__commune",
            "referral__offer",
            "referral__organisation",
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


def _revoke_links(referral: Referral) -> None:
    referral.answer_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def _context(referral: Referral, **extra) -> dict:
    return {
        "referral": referral,
        "project": referral.project,
        "offer": referral.offer,
        "organisation": referral.organisation,
        "needs": [str(Need(need).label) for need in referral.project.needs if need in Need.values],
        **extra,
    }


def _recipients(referral: Referral) -> list[str]:
    """The addresses told of this referral, resolved once (older referrals are resolved on first use)."""
    if not referral.delivery_channel:
        delivery = selectors.resolve_delivery(referral.organisation, referral.offer)
        referral.delivery_channel = delivery.channel
        referral.delivery_recipients = delivery.recipients
        Referral.objects.filter(pk=referral.pk).update(
            delivery_channel=delivery.channel, delivery_recipients=delivery.recipients
        )
    return list(referral.delivery_recipients)


def _link_for(referral: Referral, email: str) -> str:
    """Where a recipient answers: the inbox page (advisors), the desk page, or a personal answer link."""
    if selectors.answered_by_link(referral):
        return issue_answer_link(referral, email)
    if selectors.is_at_desk(referral):
        return desk_url(referral)
    return referral_url(referral)


def _tell_organisation(referral: Referral, template: str, subject: str, **extra) -> list[str]:
    recipients = _recipients(referral)
    at_desk = selectors.is_at_desk(referral)
    if at_desk:
        template = {"referral_new": "referral_desk", "referral_onward": "referral_desk"}.get(
            template, template
        )
        subject = _("À transmettre — ") + subject
    context = _context(
        referral,
        dates=selectors.due_dates(referral.created_at),
        at_desk=at_desk,
        by_link=selectors.answered_by_link(referral),
        **extra,
    )
    for email in recipients:
        send_on_commit(email, subject, template, {**context, "link": _link_for(referral, email)})
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
    delivery = selectors.resolve_delivery(offer.organisation, offer)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                project=project,
                offer=offer,
                organisation=offer.organisation,
                message=message.strip(),
                parent=parent,
                created_by=_user(actor),
                delivery_channel=delivery.channel,
                delivery_recipients=delivery.recipients,
            )
    except IntegrityError as exc:  # the same offer asked twice at the same moment
        raise duplicate from exc
    record(
        actor,
        "referral.create",
        referral,
        offer=offer.pk,
        parent=parent.pk if parent else None,
        channel=delivery.channel,
        recipients=delivery.recipients,
    )
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


def accept(referral: Referral, actor, name: str = "", phone: str = "") -> Referral:
    """Take the project in charge. `actor` is a member's account, staff, or the `AnswerLink` of an address (then
    `name` and `phone` are what the person typed, shown to the holder with the link's address)."""
    _check_permission(referral, ReferralStatus.ACCEPTED, actor)
    with transaction.atomic():
        _transition(
            referral,
            ReferralStatus.ACCEPTED,
            answered_by=_user(actor),
            answered_at=timezone.now(),
            **_answerer(actor, name, phone),
        )
        record(actor, "referral.accept", referral, **_by_link(actor))
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("%(organisation)s a accepté la mise en relation (« %(offer)s »).")
            % {"organisation": referral.organisation.name, "offer": referral.offer.name},
            author=_user(actor),
            organisation=referral.organisation,
        )
        _tell_holder(
            referral,
            "referral_accepted",
            _("%(organisation)s vous accompagne") % {"organisation": referral.organisation.name},
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
            answered_by=_user(actor),
            answered_at=timezone.now(),
            **_answerer(actor),
        )
        record(actor, "referral.decline", referral, reason=reason, **_by_link(actor))
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("%(organisation)s a décliné la mise en relation : %(reason)s")
            % {"organisation": referral.organisation.name, "reason": reason},
            author=_user(actor),
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
                    % {"values": ", ".join(str(label) for label in Outcome.labels)}
                ]
            }
        )
    note = (note or "").strip()
    with transaction.atomic():
        _transition(
            referral, ReferralStatus.CLOSED, outcome=outcome, outcome_note=note, closed_at=timezone.now()
        )
        record(actor, "referral.close", referral, outcome=outcome, **_by_link(actor))
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("%(organisation)s a clôturé l'accompagnement : %(outcome)s.")
            % {"organisation": referral.organisation.name, "outcome": Outcome(outcome).label},
            author=_user(actor),
            organisation=referral.organisation,
        )
    return referral


# --- the regional orientation desk -------------------------------------------------------------------------------


def _check_desk(referral: Referral, actor) -> Referral:
    """Lock the referral and check that it still waits at the desk. Call inside `transaction.atomic`."""
    if not can_use_desk(actor):
        raise PermissionDenied(_("Seule l'équipe régionale d'orientation peut transmettre cette demande."))
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != ReferralStatus.PENDING:
        raise _refusal(locked.status, ReferralStatus.ACCEPTED)
    if locked.delivery_channel != DeliveryChannel.DESK or locked.forwarded_at is not None:
        raise TransitionError(
            _("Cette demande a déjà été transmise : rechargez la page."), status=locked.status
        )
    return locked


def forward_to_address(referral: Referral, actor, email: str) -> Referral:
    """The desk found an address for the organisation: the referral goes there, with an answer link."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": [_("Saisissez une adresse e-mail valide, par exemple nom@structure.fr.")]}
        ) from exc
    with transaction.atomic():
        locked = _check_desk(referral, actor)
        now = timezone.now()
        changes = {
            "forwarded_at": now,
            "forwarded_by": _user(actor),
            "forwarded_to": email,
            "delivery_recipients": [email],
        }
        for field, value in changes.items():
            setattr(locked, field, value)
            setattr(referral, field, value)
        locked.save(update_fields=list(changes))
        record(actor, "referral.forward", referral, email=email)
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _("L'équipe régionale d'orientation a transmis la demande à l'adresse de %(organisation)s.")
            % {"organisation": referral.organisation.name},
            author=_user(actor),
        )
        _tell_organisation(
            referral,
            "referral_new",
            _("Nouvelle mise en relation : « %(project)s »") % {"project": referral.project.name},
            forwarded=True,
        )
    return referral


def forward_to_organisation(referral: Referral, actor, offer) -> Referral:
    """The desk sends the request to another organisation's offer that can be reached (advisors or an address)."""
    if offer.status != PublicationStatus.PUBLISHED:
        raise ValidationError({"offer": [_("Cette offre n'est pas publiée : choisissez-en une autre.")]})
    if offer.organisation_id == referral.organisation_id:
        raise ValidationError({"offer": [_("Choisissez l'offre d'une autre structure.")]})
    delivery = selectors.resolve_delivery(offer.organisation, offer)
    if delivery.channel == DeliveryChannel.DESK:
        raise ValidationError(
            {
                "offer": [
                    _(
                        "%(organisation)s n'a pas d'adresse connue non plus : choisissez une structure joignable, "
                        "ou transmettez la demande à une adresse."
                    )
                    % {"organisation": offer.organisation.name}
                ]
            }
        )
    if Referral.objects.filter(project=referral.project, offer=offer, status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            {"offer": [_("Une mise en relation est déjà en cours avec cette offre pour ce projet.")]}
        )
    previous = referral.organisation
    with transaction.atomic():
        locked = _check_desk(referral, actor)
        changes = {
            "offer": offer,
            "organisation": offer.organisation,
            "delivery_channel": delivery.channel,
            "delivery_recipients": delivery.recipients,
            "forwarded_at": timezone.now(),
            "forwarded_by": _user(actor),
        }
        for field, value in changes.items():
            setattr(locked, field, value)
            setattr(referral, field, value)
        try:
            with transaction.atomic():
                locked.save(update_fields=list(changes))
        except IntegrityError as exc:
            raise ValidationError(
                {"offer": [_("Une mise en relation est déjà en cours avec cette offre pour ce projet.")]}
            ) from exc
        _revoke_links(referral)
        record(actor, "referral.forward", referral, offer=offer.pk, previous_organisation=previous.pk)
        add_timeline(
            referral.project,
            TimelineKind.REFERRAL,
            _(
                "L'équipe régionale d'orientation a transmis la demande adressée à %(from)s à %(to)s (« %(offer)s »)."
            )
            % {"from": previous.name, "to": offer.organisation.name, "offer": offer.name},
            author=_user(actor),
            organisation=offer.organisation,
        )
        _tell_organisation(
            referral,
            "referral_new",
            _("Nouvelle mise en relation : « %(project)s »") % {"project": referral.project.name},
            forwarded=True,
        )
        _tell_holder(
            referral,
            "referral_forwarded",
            _("Votre demande est transmise à %(organisation)s") % {"organisation": offer.organisation.name},
            previous=previous,
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
