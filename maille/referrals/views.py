"""Pages of referrals: the organisations' inbox with its tabs, a referral's page with its answers, the answer page
of an e-mailed link (no account), and the regional orientation desk.

The page shows the project only as far as `projects.perms.can_view_project` allows: without the holder's consent,
its name, stage, needs and commune. Every answer goes through `services`; bad input or a lost race changes nothing
and is explained on the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from maille.accounts.selectors import organisations_of
from maille.core.enums import Need
from maille.projects.perms import can_view_holder_contact, can_view_project, has_lost_access
from maille.projects.privacy import log_view as log_personal_data_view

from . import perms, selectors, services
from .enums import ReferralStatus
from .forms import CloseForm, DeclineForm, ForwardAddressForm, ForwardOfferForm, LinkAcceptForm, OnwardForm
from .models import Referral

PAGE_SIZE = 25


@login_required
@require_GET
def inbox(request):
    if not perms.can_use_inbox(request.user):
        raise PermissionDenied(_("Cette page est réservée aux membres des structures d'accompagnement."))
    referrals = selectors.inbox_referrals(request.user)
    tab = selectors.TABS_BY_SLUG.get(request.GET.get("onglet", ""), selectors.TABS[0])
    rows = selectors.with_related(referrals.filter(status__in=tab.statuses)).order_by("-created_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page:
        referral.expires_on = selectors.due_dates(referral.created_at)["expiry"]
    counts = selectors.tab_counts(referrals)
    return render(
        request,
        "referrals/inbox.html",
        {
            "tabs": [{"tab": t, "count": counts[t.slug], "current": t == tab} for t in selectors.TABS],
            "tab": tab,
            "page": page,
            "organisations": list(organisations_of(request.user).order_by("name")),
        },
    )


def _apply_form_errors(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _answer(request, referral: Referral, forms: dict):
    """Run the action the user asked for. Returns the success message, or None when the input is invalid."""
    action = request.POST.get("action")
    user = request.user
    if action == "accept":
        services.accept(referral, user)
        return _("Vous avez accepté la mise en relation : le porteur de projet en est informé.")
    if action in ("decline", "close", "onward"):
        form = forms[action] = {
            "decline": lambda: DeclineForm(request.POST),
            "close": lambda: CloseForm(request.POST),
            "onward": lambda: OnwardForm(request.POST, referral=referral),
        }[action]()
        if not form.is_valid():
            return None
        data = form.cleaned_data
        try:
            if action == "decline":
                services.decline(referral, user, data["reason"])
                return _("Vous avez décliné la mise en relation : le porteur de projet reçoit votre motif.")
            if action == "close":
                services.close(referral, user, data["outcome"], data["note"])
                return _("L'accompagnement est clôturé.")
            onward = services.refer_onward(referral, data["offer"], user, data["message"])
            return _("Le projet est orienté vers %(organisation)s, qui en est informée.") % {
                "organisation": onward.organisation.name
            }
        except ValidationError as exc:
            _apply_form_errors(form, exc)
            return None
    raise ValidationError(_("Action inconnue."))


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    referral = get_object_or_404(selectors.with_related(Referral.objects.all()), pk=pk)
    user = request.user
    if not perms.can_view_referral(user, referral):
        raise Http404
    can_answer = perms.can_answer_referral(user, referral)
    forms = {
        "decline": DeclineForm(),
        "close": CloseForm(),
        "onward": OnwardForm(referral=referral),
    }
    error = None
    status = 200
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied(_("Seuls les membres de la structure sollicitée peuvent répondre."))
        try:
            done = _answer(request, referral, forms)
        except services.TransitionError as exc:
            error, status = exc.message, 409
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        else:
            if done:
                messages.success(request, done)
                return redirect("referrals:detail", referral.pk)
            error, status = _("Corrigez le formulaire signalé ci-dessous : rien n'a été modifié."), 400
        referral = get_object_or_404(selectors.with_related(Referral.objects.all()), pk=pk)
    project = referral.project
    full_file = can_view_project(user, project)
    if full_file and can_view_holder_contact(user, project):
        log_personal_data_view(user, project, "referral")  # the audit of who saw the holder's contact
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            **_project_context(
                project,
                full_file,
                full_file and can_view_holder_contact(user, project),
                lost_access=not full_file and has_lost_access(user, project),
            ),
            "delivery": selectors.delivery_description(referral),
            "timeline": list(project.timeline.select_related("organisation")[:50]) if full_file else [],
            "can_answer": can_answer,
            "is_pending": referral.status == ReferralStatus.PENDING,
            "is_accepted": referral.status == ReferralStatus.ACCEPTED,
            "forms": forms,
            "error": error,
            "parent": referral.parent,
            "onward": list(referral.onward.select_related("organisation", "offer")),
        },
        status=status,
    )


def _project_context(project, full_file: bool, show_contact: bool, lost_access: bool = False) -> dict:
    return {
        "project": project,
        "needs": [Need(need).label for need in project.needs if need in Need.values],
        "full_file": full_file,
        "show_contact": show_contact,
        "lost_access": lost_access,
    }


# --- answering from an e-mailed link (no account) ----------------------------------------------------------------


def _answer_by_link(request, link, referral, forms: dict):
    """Run the action asked from the link's page. Returns the success message, or None when the input is invalid."""
    action = request.POST.get("action")
    builders = {
        "accept": lambda: LinkAcceptForm(request.POST),
        "decline": lambda: DeclineForm(request.POST),
        "close": lambda: CloseForm(request.POST),
    }
    if action not in builders:
        raise ValidationError(_("Action inconnue."))
    form = forms[action] = builders[action]()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if action == "accept":
            services.accept(referral, link, name=data["name"], phone=data["phone"])
            return _(
                "Merci : vous avez accepté la demande. Le porteur de projet reçoit votre nom et votre adresse."
            )
        if action == "decline":
            services.decline(referral, link, data["reason"])
            return _("Vous avez décliné la demande : le porteur de projet reçoit votre motif.")
        services.close(referral, link, data["outcome"], data["note"])
        return _("L'accompagnement est clôturé. Merci.")
    except ValidationError as exc:
        _apply_form_errors(form, exc)
        return None


@require_http_methods(["GET", "POST"])
def answer_by_link(request, token):
    link = services.link_from_token(token)
    if link is None:
        return render(request, "referrals/link_invalid.html", status=404)
    if link.revoked_at is not None:
        return render(request, "referrals/link_invalid.html", {"revoked": True}, status=410)
    referral = link.referral
    forms = {"accept": LinkAcceptForm(), "decline": DeclineForm(), "close": CloseForm()}
    error, status = None, 200
    if request.method == "POST":
        if not perms.can_answer_with_link(link, referral):
            error, status = _("Cette demande est terminée : il n'y a plus de réponse à donner."), 409
        else:
            try:
                done = _answer_by_link(request, link, referral, forms)
            except services.TransitionError as exc:
                error, status = exc.message, 409
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                if done:
                    messages.success(request, done)
                    return redirect(request.path)
                error, status = _("Corrigez le formulaire signalé ci-dessous : rien n'a été modifié."), 400
        link = services.link_from_token(token)
        referral = link.referral
    project = referral.project
    answered = referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED)
    return render(
        request,
        "referrals/answer.html",
        {
            "referral": referral,
            "link": link,
            **_project_context(project, project.consent_to_share, project.consent_to_share and answered),
            "is_pending": referral.status == ReferralStatus.PENDING,
            "is_accepted": referral.status == ReferralStatus.ACCEPTED,
            "dates": selectors.due_dates(referral.created_at),
            "forms": forms,
            "error": error,
        },
        status=status,
    )


# --- the regional orientation desk -------------------------------------------------------------------------------


def _check_desk(user) -> None:
    if not perms.can_use_desk(user):
        raise PermissionDenied(_("Cette page est réservée à l'équipe régionale d'orientation."))


@login_required
@require_GET
def desk(request):
    _check_desk(request.user)
    forwarded = request.GET.get("onglet") == "transmises"
    rows = selectors.with_related(selectors.desk_forwarded() if forwarded else selectors.desk_queue())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page:
        referral.expires_on = selectors.due_dates(referral.created_at)["expiry"]
    return render(
        request,
        "referrals/desk.html",
        {
            "page": page,
            "forwarded": forwarded,
            "queue_count": selectors.desk_queue().count(),
            "forwarded_count": selectors.desk_forwarded().count(),
            "desk_organisation": selectors.desk_organisation(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_detail(request, pk):
    _check_desk(request.user)
    referral = get_object_or_404(selectors.with_related(Referral.objects.all()), pk=pk)
    forms = {"address": ForwardAddressForm(), "offer": ForwardOfferForm(referral=referral)}
    error, status = None, 200
    if request.method == "POST" and selectors.is_at_desk(referral):
        action = request.POST.get("action")
        if action not in forms:
            return HttpResponseBadRequest(_("Action inconnue."))
        form = forms[action] = (
            ForwardAddressForm(request.POST)
            if action == "address"
            else ForwardOfferForm(request.POST, referral=referral)
        )
        if form.is_valid():
            try:
                if action == "address":
                    services.forward_to_address(referral, request.user, form.cleaned_data["email"])
                else:
                    services.forward_to_organisation(referral, request.user, form.cleaned_data["offer"])
            except services.TransitionError as exc:
                error, status = exc.message, 409
            except ValidationError as exc:
                _apply_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("La demande est transmise à %(organisation)s ; le porteur de projet voit à qui.")
                    % {"organisation": referral.organisation.name},
                )
                return redirect("referrals:desk")
        if error is None:
            error, status = _("Corrigez le formulaire signalé ci-dessous : rien n'a été transmis."), 400
    elif request.method == "POST":
        error, status = _("Cette demande n'attend plus au guichet : rechargez la page."), 409
    project = referral.project
    return render(
        request,
        "referrals/desk_detail.html",
        {
            "referral": referral,
            **_project_context(project, True, can_view_holder_contact(request.user, project)),
            "at_desk": selectors.is_at_desk(referral),
            "delivery": selectors.delivery_description(referral),
            "dates": selectors.due_dates(referral.created_at),
            "forms": forms,
            "error": error,
        },
        status=status,
    )
