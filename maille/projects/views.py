"""Pages of projects: the public intake in three steps, the holder's page (signed link), detected projects, the
shared project file (timeline and funding plan) and a funder's page.

The intake keeps each step's raw data in the session and re-validates everything before creating the project.
Every page works without JavaScript; refusals are French pages (404 for a bad link, 403 for a file one may not see).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maille.accounts.enums import MemberRole
from maille.accounts.models import Membership
from maille.accounts.perms import is_staff
from maille.core import ratelimit
from maille.core.enums import Need
from maille.core.exports import tabular_response
from maille.core.views import permission_denied
from maille.directory.models import Offer, Organisation

from . import perms, privacy, selectors, services
from .enums import FundingLineStatus
from .forms import (
    BudgetForm,
    DetectedProjectForm,
    FundingLineEditForm,
    FundingLineForm,
    GrantForm,
    PersonForm,
    ProjectForm,
    ReferralRequestForm,
    TimelineEntryForm,
)
from .models import FundingLine, Project

logger = logging.getLogger(__name__)

SESSION_KEY = "projects.intake"
STEPS = [
    (1, gettext_lazy("Vous"), "projects:intake"),
    (2, gettext_lazy("Votre projet"), "projects:intake_project"),
    (3, gettext_lazy("Vérification"), "projects:intake_review"),
]


# --- helpers -----------------------------------------------------------------------------------------------------


def error_summary(*forms, anchors=None) -> list[dict]:
    """Every error of the forms, each with the anchor of its field (for the summary at the top of the page)."""
    items = []
    for form in forms:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            items.append({"anchor": "", "label": "", "message": message})
        for field in form:
            for message in field.errors:
                anchor = (
                    (anchors or {}).get(field.name)
                    or field.id_for_label
                    or (f"{field.auto_id}_0" if field.auto_id else "")
                )
                items.append({"anchor": anchor, "label": field.label, "message": message})
    return items


def need_labels(project) -> list[str]:
    return [str(Need(need).label) for need in project.needs if need in Need.values]


def _stored(request, step) -> MultiValueDict | None:
    data = request.session.get(SESSION_KEY, {}).get(step)
    return MultiValueDict(data) if data is not None else None


def _store(request, step, data) -> None:
    intake = dict(request.session.get(SESSION_KEY, {}))
    intake[step] = {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}
    request.session[SESSION_KEY] = intake


def _steps_context(current: int) -> dict:
    return {
        "steps": [{"number": n, "label": label, "url": reverse(name)} for n, label, name in STEPS],
        "current_step": current,
        "steps_count": len(STEPS),
    }


def _choice_labels(choices, values) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


# --- intake ------------------------------------------------------------------------------------------------------


def _intake_step(request, step: int, key: str, form_class, next_url: str):
    """One step of the intake: the answers are kept in the session; bad input is a 400 with the form again."""
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            _store(request, key, request.POST)
            return redirect(next_url)
    else:
        form = form_class(_stored(request, key))
    return render(
        request,
        f"projects/intake_{key}.html",
        {"form": form, "errors": error_summary(form), **_steps_context(step)},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def intake_person(request):
    """Step 1: the person, their e-mail and their consent."""
    return _intake_step(request, 1, "person", PersonForm, "projects:intake_project")


@require_http_methods(["GET", "POST"])
def intake_project(request):
    """Step 2: the project; an ambiguous commune gives candidates to pick."""
    if _stored(request, "person") is None:
        return redirect("projects:intake")
    return _intake_step(request, 2, "project", ProjectForm, "projects:intake_review")


def _intake_forms(request):
    person, project = _stored(request, "person"), _stored(request, "project")
    person_form = PersonForm(person) if person is not None else None
    project_form = ProjectForm(project) if project is not None else None
    return person_form, project_form


def _review_rows(person_form, project_form) -> list[tuple[str, str]]:
    p, d = person_form.cleaned_data, project_form.cleaned_data
    yes, no = _("Oui"), _("Non")
    commune = d["commune_obj"]
    return [
        (_("Nom et prénom"), p["holder_name"]),
        (_("Adresse e-mail"), p["holder_email"]),
        (_("Téléphone"), p["holder_phone"] or "—"),
        (_("Partage du dossier avec les structures choisies"), yes if p["consent_to_share"] else no),
        (_("Nom du projet"), d["name"]),
        (_("Description"), d["description"]),
        (_("Commune"), f"{commune.name} ({commune.departement.name})"),
        (_("Forme juridique"), _choice_labels(project_form.fields["legal_form"].choices, [d["legal_form"]])),
        (_("SIRET"), d["siret"] or "—"),
        (_("Stade"), _choice_labels(project_form.fields["stage"].choices, [d["stage"]])),
        (_("Besoins"), _choice_labels(project_form.fields["needs"].choices, d["needs"])),
        (_("Emplois (équivalents temps plein)"), str(d["jobs_fte"]).replace(".", ",")),
        (_("Années d'existence"), str(d["years_of_existence"])),
        (_("Code NAF"), d["naf"] or "—"),
        (_("Projet collectif"), yes if d["collective"] else no),
        (_("Innovation sociale"), yes if d["social_innovation"] else no),
        (_("Tiers-lieu"), yes if d["tiers_lieu"] else no),
    ]


@require_http_methods(["GET", "POST"])
def intake_review(request):
    """Step 3: review, then create (a recent project with the same e-mail or SIRET is proposed by e-mail only)."""
    person_form, project_form = _intake_forms(request)
    if person_form is None or not person_form.is_valid():
        return redirect("projects:intake")
    if project_form is None or not project_form.is_valid():
        return redirect("projects:intake_project")
    email, siret = person_form.cleaned_data["holder_email"], project_form.cleaned_data["siret"]
    if request.method == "POST":
        # A project filed in the last days with the same e-mail or SIRET is never revealed on screen: its holder is
        # told by e-mail, at the address on file, with its link (`services.propose_existing`).
        duplicate = selectors.recent_duplicate(email, siret)
        if not ratelimit.allow("intake", email, request):
            return render(
                request,
                "projects/intake_review.html",
                {"rows": _review_rows(person_form, project_form), "error": TOO_MANY, **_steps_context(3)},
                status=429,
            )
        project = Project(
            holder_name=person_form.cleaned_data["holder_name"],
            holder_email=email,
            holder_phone=person_form.cleaned_data["holder_phone"],
            consent_to_share=person_form.cleaned_data["consent_to_share"],
            **project_form.project_fields(),
        )
        try:
            with transaction.atomic():
                services.create_project(project, actor=request.user)
                if duplicate is not None:
                    services.propose_existing(duplicate, project)
        except ValidationError as exc:
            return render(
                request,
                "projects/intake_review.html",
                {
                    "rows": _review_rows(person_form, project_form),
                    "error": " ".join(exc.messages),
                    **_steps_context(3),
                },
                status=400,
            )
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _(
                "Votre projet est enregistré. Nous vous avons envoyé par e-mail un lien personnel pour y revenir."
            ),
        )
        return redirect("projects:holder", services.holder_token(project))
    return render(
        request,
        "projects/intake_review.html",
        {"rows": _review_rows(person_form, project_form), **_steps_context(3)},
    )


@require_http_methods(["GET", "POST"])
def lost_link(request):
    """Ask for the link again: the same answer whatever the address, so that no one learns who filed a project."""
    form = PersonForm.base_fields["holder_email"]
    error = None
    if request.method == "POST":
        try:
            email = form.clean(request.POST.get("email", "")).strip().lower()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if not ratelimit.allow("lost_link", email, request):
                return render(request, "projects/lost_link.html", {"error": TOO_MANY}, status=429)
            for project in Project.objects.filter(holder_email__iexact=email).order_by("-created_at")[:5]:
                services.resend_holder_link(project)
            return render(request, "projects/link_sent.html", {"email_hint": email})
    return render(request, "projects/lost_link.html", {"error": error}, status=400 if error else 200)


TOO_MANY = gettext_lazy(
    "Trop de demandes en peu de temps pour cette adresse ou depuis votre connexion : réessayez dans une dizaine "
    "de minutes. Aucun e-mail n'est parti."
)


# --- the holder's page -------------------------------------------------------------------------------------------


def _recommendations(project):
    from maille.orientation.services import Profile, recommend

    try:
        return recommend(Profile.of_project(project))
    except Exception:  # the page stays usable if the engine fails; the error is logged
        logger.exception("Orientation failed for project %s", project.pk)
        return None


def _refer(project, offer, message):
    from maille.referrals.services import refer

    return refer(project, offer, actor=None, message=message)


def _open_offer_ids(project) -> set[int]:
    return set(
        project.referrals.filter(status__in=["pending", "accepted"]).values_list("offer_id", flat=True)
    )


def _project_referrals(project):
    from maille.referrals.selectors import for_holder

    return for_holder(project)


def _desk_contact():
    from maille.referrals.selectors import desk_contact

    return desk_contact()


def _sent_message(referrals) -> str:
    """What the holder is told once the referrals are asked: who was told and how, never "sent" to nobody."""
    from maille.referrals.selectors import delivery_description

    lines = [f"{r.organisation.name} : {delivery_description(r)}." for r in referrals]
    return ngettext(
        "Votre demande est enregistrée. %(lines)s",
        "Vos %(count)s demandes sont enregistrées. %(lines)s",
        len(lines),
    ) % {"count": len(lines), "lines": " ".join(lines)}


def _timeline(project):
    entries = list(project.timeline.select_related("author", "organisation"))
    return sorted(entries, key=lambda e: (e.happened_on or e.created_at.date(), e.created_at), reverse=True)


@require_http_methods(["GET", "POST"])
def holder(request, token):
    project = services.project_from_token(token)
    if project is None:
        return render(request, "projects/link_invalid.html", status=404)
    needs_confirmation = project.detected_by_id is not None and project.holder_confirmed_at is None
    recommendations = _recommendations(project)
    open_ids = _open_offer_ids(project)
    referable = [r for r in (recommendations.offers if recommendations else []) if r.id not in open_ids]
    refer_form = ReferralRequestForm(offers=referable)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "confirm":
            if services.confirm_by_holder(project):
                messages.success(request, _("Merci, votre projet est confirmé."))
            return redirect(request.path)
        if action == "consent":
            consent = request.POST.get("consent") == "1"
            services.set_consent(project, consent)
            messages.success(
                request,
                _("Votre dossier est partagé avec les structures que vous avez sollicitées.")
                if consent
                else _("Votre dossier n'est plus partagé avec les structures."),
            )
            return redirect(request.path)
        if action != "refer":
            return HttpResponseBadRequest(_("Action inconnue."))
        refer_form = ReferralRequestForm(request.POST, offers=referable)
        if needs_confirmation:
            refer_form.add_error(None, _("Confirmez d'abord votre projet."))
        if refer_form.is_valid():
            offers = Offer.objects.filter(pk__in=refer_form.cleaned_data["offers"]).select_related(
                "organisation"
            )
            created = []
            try:
                with transaction.atomic():
                    for offer in offers:
                        try:
                            created.append(_refer(project, offer, refer_form.cleaned_data["message"]))
                        except ValidationError as exc:
                            raise ValidationError([f"{offer.name} : {m}" for m in exc.messages]) from exc
            except ValidationError as exc:
                refer_form.add_error(None, exc.messages)
            else:
                messages.success(request, _sent_message(created))
                return redirect(request.path)
        status = 400
    return render(
        request,
        "projects/holder.html",
        {
            "project": project,
            "token": token,
            "status": selectors.project_status(project),
            "recommendations": recommendations,
            "open_ids": open_ids,
            "checked_ids": {int(v) for v in request.POST.getlist("offers") if (v.isascii() and v.isdigit())},
            "need_labels": need_labels(project),
            "refer_form": refer_form,
            "errors": error_summary(
                refer_form, anchors={"offers": f"offer-{referable[0].id}" if referable else ""}
            ),
            "referrals": _project_referrals(project),
            "desk": _desk_contact(),
            "timeline": _timeline(project),
            "plan": selectors.funding_plan(project),
            "needs_confirmation": needs_confirmation,
        },
        status=status,
    )


@require_GET
def holder_data(request, token):
    """The holder downloads everything held about them (all the projects of their e-mail) as JSON."""
    project = services.project_from_token(token)
    if project is None:
        return render(request, "projects/link_invalid.html", status=404)
    response = JsonResponse(
        privacy.holder_data(project), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-maille.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def holder_erase(request, token):
    """The holder asks for erasure: a confirmation page, then every project of their e-mail is anonymised."""
    project = services.project_from_token(token)
    if project is None:
        return render(request, "projects/link_invalid.html", status=404)
    projects = list(privacy.holder_projects(project))
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") == "1":
            email = project.holder_email
            count = privacy.erase_for_holder(project)
            return render(request, "projects/erased.html", {"count": count, "email_hint": email})
        error = _("Cochez la case pour confirmer l'effacement : rien n'a été effacé.")
    return render(
        request,
        "projects/erase_confirm.html",
        {"project": project, "projects": projects, "token": token, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_GET
def my_project(request, pk):
    """A holder with an account opens their project's page from « Mon espace » (a fresh link, issued on click)."""
    project = get_object_or_404(Project, pk=pk)
    if not project.holder_id or project.holder_id != request.user.pk:
        raise Http404
    return redirect("projects:holder", services.holder_token(project))


# --- detected projects -------------------------------------------------------------------------------------------


def _detecting_organisations(user):
    organisations = list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=[MemberRole.ADVISOR, MemberRole.EPCI_AGENT]
        ).order_by("name")
    )
    if not organisations and is_staff(user):
        organisations = list(Organisation.objects.order_by("name"))
    return organisations


@login_required
@require_http_methods(["GET", "POST"])
def detected_create(request):
    if not perms.can_create_detected_project(request.user):
        return permission_denied(
            request, _("Seuls les accompagnateurs et les agents d'EPCI peuvent signaler un projet.")
        )
    organisations = _detecting_organisations(request.user)
    form = DetectedProjectForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = Project(
            holder_name=data["holder_name"],
            holder_email=data["holder_email"],
            holder_phone=data["holder_phone"],
            **form.project_fields(),
        )
        try:
            services.create_project(project, actor=request.user, detected_by=form.detected_by())
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, field_errors in errors.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(
                request,
                _("Le projet est enregistré. Le porteur a reçu un e-mail pour le vérifier et le confirmer."),
            )
            return redirect("projects:file", project.pk)
    return render(
        request,
        "projects/detected_form.html",
        {"form": form, "errors": error_summary(form)},
        status=400 if request.method == "POST" else 200,
    )


# --- the project file --------------------------------------------------------------------------------------------


def _acting_organisation(user, project):
    """The organisation a member acts for on this project: one with a referral, the one that detected it, or any."""
    organisation_ids = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    if not organisation_ids:
        return None
    referred = project.referrals.filter(organisation_id__in=organisation_ids).values_list(
        "organisation_id", flat=True
    )
    chosen = next(iter(referred), None)
    if chosen is None:
        chosen = project.detected_by_id if project.detected_by_id in organisation_ids else organisation_ids[0]
    return Organisation.objects.filter(pk=chosen).first()


def _load_file(request, pk):
    project = get_object_or_404(
        Project.objects.select_related("commune", "commune__departement", "detected_by", "budget"), pk=pk
    )
    return project


def _plan_with_actions(user, project):
    """The funding plan, each line marked with what the user may do with it (`can_edit`, `can_decide`)."""
    plan = selectors.funding_plan(project)
    for line in plan.lines:
        line.project = project
        line.can_edit = perms.can_edit_funding_line(user, line)
        line.can_decide = perms.can_decide_funding_line(user, line)
    plan.has_actions = any(line.can_edit or line.can_decide for line in plan.lines)
    return plan


def _render_file(request, project, timeline_form=None, line_form=None, budget_form=None, status=200):
    access = perms.file_access(request.user, project)
    can_edit = access == perms.EDIT
    if can_edit:
        timeline_form = timeline_form or TimelineEntryForm(prefix="timeline")
        line_form = line_form or FundingLineForm(prefix="line")
        budget = getattr(project, "budget", None) if hasattr(project, "budget") else None
        budget_form = budget_form or BudgetForm(prefix="budget", instance=budget)
    return render(
        request,
        "projects/file.html",
        {
            "project": project,
            "status": selectors.project_status(project),
            "need_labels": need_labels(project),
            "show_contact": perms.can_view_holder_contact(request.user, project),
            "can_edit": can_edit,
            "read_only": access == perms.READ,
            "referrals": _project_referrals(project),
            "timeline": _timeline(project),
            "plan": _plan_with_actions(request.user, project),
            "timeline_form": timeline_form,
            "line_form": line_form,
            "budget_form": budget_form,
            "errors": error_summary(timeline_form, line_form, budget_form) if status >= 400 else [],
        },
        status=status,
    )


LOST_ACCESS = gettext_lazy(
    "Votre structure n'a plus accès à ce dossier : sa mise en relation a été déclinée ou a expiré."
)


@login_required
@require_GET
def project_file(request, pk):
    project = _load_file(request, pk)
    if not perms.can_view_project(request.user, project):
        if perms.has_lost_access(request.user, project):
            return permission_denied(request, LOST_ACCESS)
        return permission_denied(
            request, _("Ce dossier n'est visible que par son porteur et les structures qu'il a choisies.")
        )
    privacy.log_view(request.user, project, "file")
    return _render_file(request, project)


def _editable(request, pk):
    project = _load_file(request, pk)
    if not perms.can_add_to_timeline(request.user, project):
        return project, permission_denied(request, _("Vous ne pouvez pas compléter ce dossier."))
    return project, None


@login_required
@require_POST
def timeline_add(request, pk):
    project, refusal = _editable(request, pk)
    if refusal:
        return refusal
    form = TimelineEntryForm(request.POST, prefix="timeline")
    if not form.is_valid():
        return _render_file(request, project, timeline_form=form, status=400)
    services.log_timeline(
        project,
        request.user,
        form.cleaned_data["kind"],
        form.cleaned_data["text"],
        happened_on=form.cleaned_data["happened_on"],
        organisation=_acting_organisation(request.user, project),
    )
    messages.success(request, _("L'événement est ajouté au dossier."))
    return redirect(reverse("projects:file", args=[project.pk]) + "#historique")


@login_required
@require_POST
def funding_line_add(request, pk):
    project, refusal = _editable(request, pk)
    if refusal:
        return refusal
    form = FundingLineForm(request.POST, prefix="line", instance=FundingLine(project=project))
    if not form.is_valid():
        return _render_file(request, project, line_form=form, status=400)
    try:
        services.add_funding_line(
            project,
            form.save(commit=False),
            request.user,
            organisation=_acting_organisation(request.user, project),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_file(request, project, line_form=form, status=400)
    messages.success(request, _("La ligne est ajoutée au plan de financement."))
    return redirect(reverse("projects:file", args=[project.pk]) + "#plan")


@login_required
@require_POST
def budget_set(request, pk):
    project, refusal = _editable(request, pk)
    if refusal:
        return refusal
    budget = getattr(project, "budget", None) if hasattr(project, "budget") else None
    form = BudgetForm(request.POST, prefix="budget", instance=budget)
    if not form.is_valid():
        return _render_file(request, project, budget_form=form, status=400)
    services.set_budget(project, form.cleaned_data["total_need"], request.user)
    messages.success(request, _("Le besoin total est enregistré."))
    return redirect(reverse("projects:file", args=[project.pk]) + "#plan")


# --- a line of the funding plan: edit it, move its status ------------------------------------------------------

LINE_DONE = {
    "ask": gettext_lazy("La demande est adressée au financeur."),
    "withdraw": gettext_lazy("La ligne est retirée du plan de financement."),
    "grant": gettext_lazy("L'accord est enregistré."),
    "refuse": gettext_lazy("Le refus est enregistré."),
}


def _load_line(pk, line_pk):
    return get_object_or_404(
        FundingLine.objects.select_related("project", "project__commune", "funder", "scheme"),
        pk=line_pk,
        project_id=pk,
    )


def _may_see_line(user, line) -> bool:
    """The line's page: those who see the file, and the funder's members for what was asked of them."""
    if perms.can_view_project(user, line.project):
        return True
    return line.status != FundingLineStatus.PLANNED and can_view_funder_page(user, line.funder)


def _next_url(request, line) -> str:
    """Back where the person came from (the funder's page or the file), else the file's plan or the funder's page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    if perms.can_view_project(request.user, line.project):
        return reverse("projects:file", args=[line.project_id]) + "#plan"
    return reverse("projects:funder", args=[line.funder.slug])


def _render_line(request, line, edit_form=None, grant_form=None, error="", status=200):
    user = request.user
    can_edit = perms.can_edit_funding_line(user, line)
    can_decide = perms.can_decide_funding_line(user, line)
    if can_edit:
        edit_form = edit_form or FundingLineEditForm(prefix="edit", instance=line)
    if can_decide:
        grant_form = grant_form or GrantForm(prefix="grant")
    return render(
        request,
        "projects/line.html",
        {
            "line": line,
            "project": line.project,
            "project_label": line.project.name
            if perms.can_view_project(user, line.project)
            else _project_label(line.project),
            "can_see_file": perms.can_view_project(user, line.project),
            "can_edit": can_edit,
            "can_decide": can_decide,
            "can_ask": can_edit and line.status == FundingLineStatus.PLANNED,
            "edit_form": edit_form,
            "grant_form": grant_form,
            "next": _next_url(request, line),
            "error": error,
            "errors": error_summary(edit_form, grant_form) if status == 400 else [],
        },
        status=status,
    )


@login_required
@require_GET
def funding_line(request, pk, line_pk):
    """A line of the plan: its facts, and the forms the person may use (edit, send, withdraw, grant, refuse)."""
    line = _load_line(pk, line_pk)
    if not _may_see_line(request.user, line):
        return permission_denied(request, _("Vous ne pouvez pas voir cette ligne du plan de financement."))
    return _render_line(request, line)


@login_required
@require_POST
def funding_line_edit(request, pk, line_pk):
    line = _load_line(pk, line_pk)
    if not _may_see_line(request.user, line):
        return permission_denied(request, _("Vous ne pouvez pas voir cette ligne du plan de financement."))
    if not perms.can_add_to_timeline(request.user, line.project):
        return permission_denied(
            request, _("Vous ne pouvez pas modifier le plan de financement de ce dossier.")
        )
    if not perms.can_edit_funding_line(request.user, line):
        message = _("Cette ligne est « %(status)s » : elle ne peut plus être modifiée.") % {
            "status": line.get_status_display()
        }
        return _render_line(request, line, error=message, status=409)
    form = FundingLineEditForm(request.POST, prefix="edit", instance=FundingLine.objects.get(pk=line.pk))
    if not form.is_valid():
        return _render_line(request, line, edit_form=form, status=400)
    try:
        services.edit_funding_line(
            line,
            request.user,
            organisation=_acting_organisation(request.user, line.project),
            **{field: form.cleaned_data[field] for field in services.EDITABLE_LINE_FIELDS},
        )
    except services.FundingLineError as exc:
        return _render_line(request, _load_line(pk, line_pk), error=exc.message, status=409)
    messages.success(request, _("La ligne est modifiée."))
    return redirect(_next_url(request, line))


@login_required
@require_POST
def funding_line_status(request, pk, line_pk):
    """Move a line: `action` is ask or withdraw (those who complete the file), grant or refuse (the funder)."""
    line = _load_line(pk, line_pk)
    if not _may_see_line(request.user, line):
        return permission_denied(request, _("Vous ne pouvez pas voir cette ligne du plan de financement."))
    action = request.POST.get("action", "")
    if action not in LINE_DONE:
        return HttpResponseBadRequest(_("Action inconnue."))
    organisation = _acting_organisation(request.user, line.project)
    grant_form = None
    try:
        if action == "ask":
            services.ask_funding_line(line, request.user, organisation=organisation)
        elif action == "withdraw":
            services.withdraw_funding_line(line, request.user, organisation=organisation)
        elif action == "refuse":
            services.refuse_funding_line(line, request.user)
        else:
            grant_form = GrantForm(request.POST, prefix="grant")
            if not perms.can_decide_funding_line(request.user, line):
                raise PermissionDenied(
                    _("Seul le financeur concerné peut accorder ou refuser cette demande.")
                )
            if not grant_form.is_valid():
                return _render_line(request, line, grant_form=grant_form, status=400)
            services.grant_funding_line(line, request.user, grant_form.cleaned_data["amount_granted"])
    except PermissionDenied as exc:
        return permission_denied(request, exc)
    except services.FundingLineError as exc:
        return _render_line(request, _load_line(pk, line_pk), error=exc.message, status=409)
    except ValidationError as exc:
        if grant_form is not None:
            for field, errors in exc.message_dict.items():
                for message in errors:
                    grant_form.add_error(field if field in grant_form.fields else None, message)
        return _render_line(request, _load_line(pk, line_pk), grant_form=grant_form, status=400)
    messages.success(request, LINE_DONE[action])
    return redirect(_next_url(request, line))


@require_GET
def scheme_options(request):
    """The scheme select of a line form for the chosen funder (htmx swaps it when the funder changes)."""
    key = next((k for k in request.GET if k == "funder" or k.endswith("-funder")), "funder")
    prefix = key[: -len("-funder")] if key.endswith("-funder") else None
    form_class = FundingLineEditForm if prefix == "edit" else FundingLineForm
    funder = request.GET.get(key, "")
    form = form_class(
        prefix=prefix, initial={"funder": funder if (funder.isascii() and funder.isdigit()) else None}
    )
    return HttpResponse(str(form["scheme"]))


# --- a funder's page ---------------------------------------------------------------------------------------------


def can_view_funder_page(user, organisation) -> bool:
    if is_staff(user):
        return True
    return Membership.objects.filter(user=user, organisation=organisation, role=MemberRole.FUNDER).exists()


FUNDER_HEADERS = [
    gettext_lazy("Date"),
    gettext_lazy("Projet"),
    gettext_lazy("Commune"),
    gettext_lazy("Département"),
    gettext_lazy("Stade"),
    gettext_lazy("Dispositif"),
    gettext_lazy("Dépense"),
    gettext_lazy("Montant demandé (€)"),
    gettext_lazy("Montant accordé (€)"),
    gettext_lazy("Statut"),
]


def _project_label(project) -> str:
    """A project's name for a funder only when its holder consented to share the file."""
    return project.name if project.consent_to_share else _("Projet non partagé")


@login_required
@require_GET
def funder_page(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_view_funder_page(request.user, organisation):
        return permission_denied(
            request, _("Cette page est réservée aux membres financeurs de cette organisation.")
        )
    lines = list(selectors.funder_lines(organisation))
    fmt = request.GET.get("format")
    if fmt:
        rows = [
            [
                line.created_at.date().isoformat(),
                _project_label(line.project),
                line.project.commune.name,
                str(line.project.commune.departement),
                line.project.get_stage_display(),
                line.scheme.name if line.scheme else "",
                line.expense,
                float(line.amount_asked),
                float(line.amount_granted) if line.amount_granted is not None else "",
                line.get_status_display(),
            ]
            for line in lines
        ]
        return tabular_response(fmt, f"demandes-{organisation.slug}", [str(h) for h in FUNDER_HEADERS], rows)
    member = perms.is_funder_member(request.user, organisation.pk)
    for line in lines:
        line.project_label = _project_label(line.project)
        line.can_decide = line.status == FundingLineStatus.ASKED and (
            member or perms.can_decide_funding_line(request.user, line)
        )
    return render(
        request,
        "projects/funder.html",
        {
            "organisation": organisation,
            "lines": lines,
            "has_actions": any(line.can_decide for line in lines),
            **selectors.funder_summary(lines),
        },
    )
