"""Pages of referrals: the organisations' inbox with its tabs, and a referral's page with its answers.

The page shows the project only as far as `projects.perms.can_view_project` allows: without the holder's consent,
its name, stage, needs and commune. Every answer goes through `services`; bad input or a lost race changes nothing
and is explained on the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from maille.accounts.selectors import organisations_of
from maille.core.enums import Need
from maille.projects.perms import can_view_holder_contact, can_view_project

from . import perms, selectors, services
from .enums import ReferralStatus
from .forms import CloseForm, DeclineForm, OnwardForm
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
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "project": project,
            "needs": [Need(need).label for need in project.needs if need in Need.values],
            "full_file": full_file,
            "show_contact": full_file and can_view_holder_contact(user, project),
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
