"""Changing the showcase: registrations to events (capacity, waiting list, cancellation by link, attendance), stories
(publication, the holder's consent and its withdrawal) and EPCI partnerships.

Registrations: `register` and `cancel` lock the event's row (`select_for_update`; on SQLite the write lock is taken
at the start of the transaction) and count the confirmed places inside that lock, so two people registering at the
same moment never take more places than the event has; a cancellation promotes the oldest person waiting, told by
e-mail. Each registration gets its own cancellation link: a random token sent by e-mail, only its hash stored.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.audit import record
from maille.core.emails import _write_transaction, send_on_commit
from maille.core.tokens import new_token, token_hash

from . import perms
from .enums import PartnershipStatus, RegistrationStatus, StoryStatus
from .models import Event, Partnership, Registration, Story

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class RegistrationError(Exception):
    """A registration or a cancellation that cannot be made; `message` is French, for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- events ----------------------------------------------------------------------------------------------------


def cancel_url(token: str) -> str:
    return settings.MAILLE_SITE_URL + reverse("showcase:registration_cancel", args=[token])


def event_url(event: Event) -> str:
    return settings.MAILLE_SITE_URL + reverse("showcase:event", args=[event.slug])


def registration_from_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return Registration.objects.select_related("event").filter(token_hash=token_hash(token)).first()


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _check_open(event: Event, now) -> None:
    if not event.is_published:
        raise RegistrationError(_("Cet événement n'est pas ouvert aux inscriptions."))
    if event.starts_at <= now:
        raise RegistrationError(_("Cet événement a déjà commencé : les inscriptions sont closes."))


def register(event: Event, name: str, email: str) -> tuple[Registration, str]:
    """Register a person: a confirmed place while there is one, else the waiting list. Returns the registration and
    its cancellation link (also e-mailed). Raises `ValidationError` (fields) or `RegistrationError`."""
    name, email = (name or "").strip(), (email or "").strip().lower()
    errors = {}
    if not name:
        errors["name"] = [_("Indiquez votre nom.")]
    elif len(name) > 200:
        errors["name"] = [_("Le nom est limité à 200 caractères.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.")]
    if errors:
        raise ValidationError(errors)
    token = new_token()
    with _write_transaction():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _check_open(locked, timezone.now())
        if locked.registrations.filter(email=email, status__in=ACTIVE).exists():
            raise RegistrationError(
                _(
                    "Cette adresse est déjà inscrite à cet événement : le lien d'annulation se trouve dans "
                    "l'e-mail de confirmation."
                )
            )
        has_place = locked.capacity is None or confirmed_count(locked) < locked.capacity
        registration = Registration.objects.create(
            event=locked,
            name=name,
            email=email,
            status=RegistrationStatus.CONFIRMED if has_place else RegistrationStatus.WAITING,
            token_hash=token_hash(token),
        )
        record(None, "event.register", registration, event=locked.pk, status=registration.status)
        link = cancel_url(token)
        if has_place:
            subject = _("Inscription confirmée : %(title)s") % {"title": locked.title}
        else:
            subject = _("Liste d'attente : %(title)s") % {"title": locked.title}
        send_on_commit(
            email,
            subject,
            "event_registration",
            {
                "registration": registration,
                "event": locked,
                "cancel_url": link,
                "event_url": event_url(locked),
            },
        )
    return registration, link


def cancel(registration: Registration) -> Registration | None:
    """Cancel by the person's link; a confirmed place goes to the oldest person waiting, who is told. Returns the
    registration promoted, if any."""
    with _write_transaction():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == RegistrationStatus.CANCELLED:
            raise RegistrationError(_("Cette inscription est déjà annulée."))
        if event.starts_at <= timezone.now():
            raise RegistrationError(
                _("Cet événement a déjà commencé : l'inscription ne peut plus être annulée.")
            )
        was_confirmed = locked.status == RegistrationStatus.CONFIRMED
        locked.status = RegistrationStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        record(None, "event.cancel", locked, event=event.pk)
        registration.status, registration.cancelled_at = locked.status, locked.cancelled_at
        promoted = _promote(event) if was_confirmed else None
    return promoted


def _promote(event: Event) -> Registration | None:
    """Inside the event's lock: give the free places to the people waiting, oldest first."""
    first = None
    while event.capacity is None or confirmed_count(event) < event.capacity:
        waiting = (
            event.registrations.select_for_update()
            .filter(status=RegistrationStatus.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is None:
            break
        waiting.status = RegistrationStatus.CONFIRMED
        waiting.promoted_at = timezone.now()
        waiting.save(update_fields=["status", "promoted_at"])
        record(None, "event.promote", waiting, event=event.pk)
        send_on_commit(
            waiting.email,
            _("Une place s'est libérée : %(title)s") % {"title": event.title},
            "event_promoted",
            {"registration": waiting, "event": event, "event_url": event_url(event)},
        )
        first = first or waiting
    return first


def record_attendance(event: Event, user, present_ids) -> int:
    """After the event has started: who came, among the confirmed registrations. Returns how many were present."""
    if not perms.can_record_attendance(user, event):
        raise PermissionDenied(_("Seuls l'organisateur et l'équipe de la plateforme notent les présences."))
    if event.starts_at > timezone.now():
        raise RegistrationError(_("Les présences se notent une fois l'événement commencé."))
    present_ids = {int(pk) for pk in present_ids}
    with transaction.atomic():
        confirmed = list(event.registrations.select_for_update().filter(status=RegistrationStatus.CONFIRMED))
        for registration in confirmed:
            registration.attended = registration.pk in present_ids
        Registration.objects.bulk_update(confirmed, ["attended"])
        count = sum(1 for r in confirmed if r.attended)
        record(user, "event.attendance", event, present=count, confirmed=len(confirmed))
    return count


# --- stories ---------------------------------------------------------------------------------------------------


class StoryError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def consent_url(story: Story) -> str:
    from maille.projects.services import holder_token

    return settings.MAILLE_SITE_URL + reverse(
        "showcase:story_consent", args=[story.pk, holder_token(story.project)]
    )


def publish(story: Story, user) -> Story:
    if not perms.can_write_showcase(user):
        raise PermissionDenied(_("Seule l'équipe de la plateforme publie les réussites."))
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.project_id and not locked.has_consent:
            raise StoryError(
                _(
                    "Cette réussite vient d'un projet : elle ne peut être publiée qu'avec l'accord de son porteur."
                )
            )
        if locked.photo and not locked.photo_alt.strip():
            raise StoryError(_("Décrivez la photo (texte alternatif) avant de publier."))
        locked.status = StoryStatus.PUBLISHED
        locked.published_at = locked.published_at or timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        record(user, "story.publish", locked)
    story.status, story.published_at = locked.status, locked.published_at
    return story


def unpublish(story: Story, user=None, reason: str = "") -> Story:
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        locked.status = StoryStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        record(user, "story.unpublish", locked, reason=reason)
    story.status = locked.status
    return story


def request_consent(story: Story, user) -> str:
    """E-mail the project's holder a link to agree to (or refuse) the story's publication; returns the link."""
    if not perms.can_write_showcase(user):
        raise PermissionDenied(_("Seule l'équipe de la plateforme demande l'accord des porteurs."))
    if story.project_id is None:
        raise StoryError(_("Cette réussite n'est rattachée à aucun projet : aucun accord n'est nécessaire."))
    link = consent_url(story)
    with transaction.atomic():
        send_on_commit(
            story.project.holder_email,
            _("Votre projet à l'honneur : « %(title)s »") % {"title": story.title},
            "story_consent",
            {"story": story, "project": story.project, "link": link},
        )
        record(user, "story.consent_requested", story)
    return link


def give_consent(story: Story) -> Story:
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        locked.consent_given_at = timezone.now()
        locked.consent_withdrawn_at = None
        locked.save(update_fields=["consent_given_at", "consent_withdrawn_at", "updated_at"])
        record(None, "story.consent_given", locked, project=locked.project_id)
    story.consent_given_at, story.consent_withdrawn_at = locked.consent_given_at, None
    return story


def withdraw_consent(story: Story) -> Story:
    """The holder withdraws their consent: the story is unpublished at once (and stays so until a new consent)."""
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        locked.consent_withdrawn_at = timezone.now()
        locked.status = StoryStatus.DRAFT
        locked.save(update_fields=["consent_withdrawn_at", "status", "updated_at"])
        record(None, "story.consent_withdrawn", locked, project=locked.project_id)
    story.consent_withdrawn_at, story.status = locked.consent_withdrawn_at, locked.status
    return story


# --- partnerships ----------------------------------------------------------------------------------------------


def update_partnership(epci, user, data: dict, actions=None, document=None) -> Partnership:
    """Save an EPCI's partnership (status, date, contact, notes, actions, document) for its own agent or staff."""
    if not perms.can_edit_partnership(user, epci.code):
        raise PermissionDenied(
            _("Seuls les agents de cet EPCI et l'équipe de la plateforme modifient son partenariat.")
        )
    status = data.get("status") or PartnershipStatus.NONE
    if status == PartnershipStatus.SIGNED and not data.get("signed_on"):
        raise ValidationError({"signed_on": [_("Indiquez la date de signature d'un partenariat signé.")]})
    with transaction.atomic():
        partnership, _created = Partnership.objects.select_for_update().get_or_create(epci=epci)
        before = partnership.status
        fields = ["status", "signed_on", "contact_name", "contact_email", "notes"]
        for field in fields:
            if field in data:
                setattr(partnership, field, data[field] if data[field] is not None else "")
        if partnership.signed_on == "":
            partnership.signed_on = None
        partnership.status = status
        if document is not None:
            partnership.document = document
        partnership.updated_by = user if getattr(user, "is_authenticated", False) else None
        partnership.save()
        if actions is not None:
            partnership.actions.set(actions)
        record(user, "partnership.update", partnership, before=before, after=partnership.status)
    return partnership
