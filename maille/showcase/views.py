"""Pages of the showcase (`/vitrine/`): stories (list, page, photo, the holder's consent), events (list, page with
registration, cancellation by link, attendance, iCalendar feed), tiers-lieux (directory with a map) and trainings,
and the EPCI space (one per EPCI of the region, with its partnership, edited by its own agents)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from maille.projects.views import error_summary
from maille.territories.enums import ZoneLevel
from maille.territories.models import Epci

from . import perms, selectors, services
from .enums import PartnershipStatus, RegistrationStatus, StoryStatus
from .forms import EventFilterForm, PartnershipForm, RegistrationForm, StoryFilterForm
from .ical import build_calendar
from .models import Story

PAGE_SIZE = 12


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def index(request):
    return render(
        request,
        "showcase/index.html",
        {
            "events": list(selectors.upcoming_events()[:4]),
            "stories": list(selectors.published_stories()[:3]),
            "tiers_lieux_count": selectors.tiers_lieux().count(),
        },
    )


# --- stories ---------------------------------------------------------------------------------------------------


@require_GET
def stories(request):
    form = StoryFilterForm(request.GET or None, region_code=settings.MAILLE_REGION_CODE)
    data = form.cleaned_data if form.is_valid() else {}
    departement = data.get("departement", "")
    qs = selectors.published_stories(
        sector=data.get("sector", ""),
        family=data.get("family", ""),
        level=ZoneLevel.DEPARTEMENT if departement else "",
        code=departement,
        q=data.get("q", ""),
    )
    return render(request, "showcase/stories.html", {"form": form, "page": _page(request, qs)})


@require_GET
def story_detail(request, slug: str):
    story = selectors.published_story(slug)
    if story is None:
        raise Http404(_("Cette réussite n'existe pas ou n'est plus publiée."))
    return render(request, "showcase/story.html", {"story": story})


@require_GET
def story_photo(request, pk: int):
    """A story's photo: public while the story is published, for staff otherwise."""
    story = Story.objects.filter(pk=pk).first()
    if story is None or not story.photo:
        raise Http404(_("Photo introuvable."))
    if story.status != StoryStatus.PUBLISHED and not perms.can_write_showcase(request.user):
        raise Http404(_("Photo introuvable."))
    response = FileResponse(story.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if story.status == StoryStatus.PUBLISHED else "private"
    return response


@require_http_methods(["GET", "POST"])
def story_consent(request, pk: int, token: str):
    """The holder agrees to, or withdraws their consent to, the story drawn from their project (their signed link)."""
    from maille.projects.services import project_from_token

    project = project_from_token(token)
    story = Story.objects.filter(pk=pk, project__isnull=False).select_related("project").first()
    if project is None or story is None or story.project_id != project.pk:
        return render(request, "showcase/consent_invalid.html", status=404)
    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice == "give":
            services.give_consent(story)
            messages.success(request, _("Merci : l'équipe peut publier la réussite de votre projet."))
        elif choice == "withdraw":
            services.withdraw_consent(story)
            messages.success(request, _("Votre accord est retiré : la réussite n'est plus publiée."))
        else:
            messages.error(request, _("Choisissez de donner ou de retirer votre accord."))
            return render(request, "showcase/consent.html", {"story": story, "project": project}, status=400)
        return redirect("showcase:story_consent", pk=story.pk, token=token)
    return render(request, "showcase/consent.html", {"story": story, "project": project})


# --- events ----------------------------------------------------------------------------------------------------


@require_GET
def events(request):
    form = EventFilterForm(request.GET or None, region_code=settings.MAILLE_REGION_CODE)
    data = form.cleaned_data if form.is_valid() else {}
    departement = data.get("departement", "")
    level = ZoneLevel.DEPARTEMENT if departement else ""
    start = None if data.get("past") else timezone.now()
    qs = selectors.events(level, departement, start=start)
    return render(
        request,
        "showcase/events.html",
        {
            "form": form,
            "page": _page(request, qs),
            "ics_query": f"?level={level}&code={departement}" if departement else "",
        },
    )


def _event_or_404(slug: str):
    event = selectors.event_detail(slug)
    if event is None:
        raise Http404(_("Cet événement n'existe pas."))
    return event


@require_http_methods(["GET", "POST"])
def event_detail(request, slug: str):
    event = _event_or_404(slug)
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration, _link = services.register(
                    event, form.cleaned_data["name"], form.cleaned_data["email"]
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            except services.RegistrationError as error:
                form.add_error(None, error.message)
            else:
                if registration.status == RegistrationStatus.CONFIRMED:
                    messages.success(
                        request,
                        _(
                            "Votre inscription est confirmée : un e-mail vous a été envoyé avec un lien pour annuler."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "L'événement est complet : vous êtes sur la liste d'attente. Si une place se libère, "
                            "elle vous est attribuée et vous êtes prévenu par e-mail."
                        ),
                    )
                return redirect("showcase:event", slug=event.slug)
        status = 400
    now = timezone.now()
    return render(
        request,
        "showcase/event.html",
        {
            "event": event,
            "form": form,
            "errors": error_summary(form),
            "places_left": selectors.places_left(event),
            "is_open": event.starts_at > now,
            "is_past": event.ends_at < now,
            "can_record_attendance": perms.can_record_attendance(request.user, event),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token: str):
    registration = services.registration_from_token(token)
    if registration is None:
        return render(request, "showcase/registration_invalid.html", status=404)
    error = None
    if request.method == "POST":
        try:
            services.cancel(registration)
        except services.RegistrationError as exc:
            error = exc.message
        else:
            messages.success(request, _("Votre inscription est annulée. Merci d'avoir libéré votre place."))
            return redirect("showcase:registration_cancel", token=token)
    return render(
        request,
        "showcase/registration_cancel.html",
        {"registration": registration, "event": registration.event, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def event_attendance(request, slug: str):
    event = _event_or_404(slug)
    if not perms.can_record_attendance(request.user, event):
        raise PermissionDenied(_("Seuls l'organisateur et l'équipe de la plateforme notent les présences."))
    error = None
    if request.method == "POST":
        try:
            count = services.record_attendance(event, request.user, request.POST.getlist("present"))
        except (services.RegistrationError, ValueError) as exc:
            error = getattr(exc, "message", _("Sélection invalide."))
        else:
            messages.success(request, _("Présences enregistrées : %(n)d personnes présentes.") % {"n": count})
            return redirect("showcase:event_attendance", slug=event.slug)
    confirmed = [r for r in selectors.registrations_of(event) if r.status == RegistrationStatus.CONFIRMED]
    return render(
        request,
        "showcase/attendance.html",
        {
            "event": event,
            "registrations": confirmed,
            "error": error,
            "is_started": event.starts_at <= timezone.now(),
        },
        status=400 if error else 200,
    )


@require_GET
def events_ics(request):
    from .api import calendar_params

    level, code = calendar_params(request.GET)
    return ics_response(level, code)


def ics_response(level: str, code: str) -> HttpResponse:
    name = _("Temps collectifs de l'ESS")
    if level:
        from maille.territories.selectors import zone_labels

        name = f"{name} — {zone_labels({(level, code)}).get((level, code), code)}"
    body = build_calendar(selectors.events(level, code), name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="temps-collectifs.ics"'
    return response


# --- tiers-lieux and trainings ---------------------------------------------------------------------------------


@require_GET
def tiers_lieux(request):
    from maille.territories.selectors import resolve_commune

    departement = request.GET.get("departement", "").strip()[:3]
    commune_code = request.GET.get("commune", "").strip()[:5]
    commune = resolve_commune(commune_code) if commune_code else None
    form = EventFilterForm({"departement": departement}, region_code=settings.MAILLE_REGION_CODE)
    level = ZoneLevel.DEPARTEMENT if departement and form.is_valid() else ""
    places = list(selectors.tiers_lieux(commune=commune, level=level, code=departement if level else ""))
    return render(
        request,
        "showcase/tiers_lieux.html",
        {
            "form": form,
            "places": places,
            "points": selectors.map_points(places),
            "commune": commune,
            "region_code": settings.MAILLE_REGION_CODE,
        },
    )


@require_GET
def tiers_lieu_detail(request, slug: str):
    place = selectors.tiers_lieu_detail(slug)
    if place is None:
        raise Http404(_("Ce tiers-lieu n'est pas dans l'annuaire."))
    return render(
        request,
        "showcase/tiers_lieu.html",
        {"place": place, "events": list(selectors.upcoming_events(ZoneLevel.COMMUNE, place.commune_id)[:5])},
    )


@require_GET
def trainings(request):
    items = list(selectors.trainings())
    for training in items:
        training.people = sum(
            1 for session in training.sessions.all() for p in session.participants.all() if p.completed
        )
    return render(request, "showcase/trainings.html", {"trainings": items})


# --- EPCI space ------------------------------------------------------------------------------------------------


@require_GET
def epci_list(request):
    epcis = list(selectors.region_epcis())
    for epci in epcis:
        partnership = getattr(epci, "partnership", None) if hasattr(epci, "partnership") else None
        epci.partnership_label = PartnershipStatus(selectors.partnership_status(partnership)).label
    return render(request, "showcase/epci_list.html", {"epcis": epcis})


def _epci_or_404(code: str) -> Epci:
    epci = Epci.objects.filter(code=code).first()
    if epci is None:
        raise Http404(_("EPCI inconnu."))
    return epci


@require_GET
def epci_space(request, code: str):
    epci = _epci_or_404(code)
    space = selectors.epci_space(epci, request.user)
    can_edit = perms.can_edit_partnership(request.user, epci.code)
    return render(
        request,
        "showcase/epci_space.html",
        {
            "space": space,
            "epci": epci,
            "can_edit": can_edit,
            "can_see_details": perms.can_see_partnership_details(request.user, epci.code),
            "has_observatory": selectors.observatory_installed(),
        },
    )


@require_http_methods(["GET", "POST"])
def partnership_edit(request, code: str):
    epci = _epci_or_404(code)
    if not perms.can_edit_partnership(request.user, epci.code):
        raise PermissionDenied(
            _("Seuls les agents de cet EPCI et l'équipe de la plateforme modifient son partenariat.")
        )
    partnership = selectors.partnership_of(epci)
    actions = selectors.strategy_actions()
    form = PartnershipForm(request.POST or None, request.FILES or None, instance=partnership, actions=actions)
    if request.method == "POST" and form.is_valid():
        data = {
            field: form.cleaned_data.get(field)
            for field in ("status", "signed_on", "contact_name", "contact_email", "notes")
        }
        document = request.FILES.get("document")
        try:
            services.update_partnership(
                epci,
                request.user,
                data,
                actions=form.chosen_actions(),
                document=form.cleaned_data["document"] if document else None,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Le partenariat de %(name)s est enregistré.") % {"name": epci.name})
            return redirect("showcase:epci", code=epci.code)
    return render(
        request,
        "showcase/partnership_form.html",
        {"epci": epci, "form": form, "errors": error_summary(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
def partnership_document(request, code: str):
    epci = _epci_or_404(code)
    partnership = selectors.partnership_of(epci)
    if partnership is None or not partnership.document:
        raise Http404(_("Aucune convention n'est déposée pour cet EPCI."))
    # A signed convention is public; a draft only for those who edit the partnership.
    if partnership.status != PartnershipStatus.SIGNED and not perms.can_edit_partnership(
        request.user, epci.code
    ):
        raise Http404(_("Aucune convention n'est déposée pour cet EPCI."))
    return FileResponse(
        partnership.document.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"convention-{epci.code}.pdf",
    )
