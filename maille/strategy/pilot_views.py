"""The pilot area's pages that change the strategy: actions (create, edit, archive, update their progress), the
guided entry of the actions (per objective, with a CSV/xlsx import previewed before anything is written),
indicators, measurement corrections and removals, committee meetings (with their minutes as a PDF served to pilots
only) and decisions.

Every write goes through `services` (checks, row locks, history) and is allowed by `perms` (default deny): the
strategy's pilots and staff steer everything; a member of an action's pilot organisation updates that action's
status, progress and measurements only.
"""

import base64

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maille.core.exports import tabular_response
from maille.core.tabular import TabularError
from maille.core.views import permission_denied

from . import io, perms, selectors, services
from .forms import (
    ActionForm,
    ActionProgressForm,
    DecisionForm,
    IndicatorForm,
    MeasurementEditForm,
    MeetingForm,
    StrategyImportForm,
)
from .models import Action, CommitteeMeeting, Decision, Indicator, Measurement, Objective

STEER_ONLY = gettext_lazy(
    "Seuls les pilotes de la stratégie et l'équipe Maille peuvent faire cette modification."
)


def _strategy_or_404():
    strategy = selectors.current_strategy()
    if strategy is None:
        raise Http404(_("Aucune stratégie n'est chargée."))
    return strategy


def _denied(request, allowed: bool, message: str = ""):
    """None when allowed; else the login page (anonymous) or the French 403 page."""
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return permission_denied(request, message or STEER_ONLY)


def form_errors(form) -> list[dict]:
    """The error summary of a bound form: one link per field in error."""
    if form is None or not form.is_bound:
        return []
    errors = [{"anchor": "", "label": "", "message": message} for message in form.non_field_errors()]
    for name, field_errors in form.errors.items():
        if name == "__all__":
            continue
        field = form[name]
        errors += [{"anchor": field.id_for_label, "label": field.label, "message": m} for m in field_errors]
    return errors


def _add_errors(form, exc: ValidationError, aliases: dict | None = None) -> None:
    for field, errors in exc.message_dict.items():
        field = (aliases or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _saved(request, form, save, done):
    """When the POSTed form is valid, run `save()` (a service); on success flash and redirect to `done(result)`'s
    (message, url); a service's ValidationError goes onto the form. None when the form is to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    message, url = done(result)
    messages.success(request, message)
    return redirect(url)


def _render_form(request, template: str, context: dict, form) -> object:
    context = {**context, "form": form, "form_errors": form_errors(form)}
    return render(request, template, context, status=400 if form.is_bound else 200)


def _action_or_404(strategy, code) -> Action:
    action = selectors.action_detail(strategy, code)
    if action is None:
        raise Http404(_("Aucune action n'a le code « %(code)s ».") % {"code": code})
    return action


# --- Actions ---


def _objectives(strategy):
    return list(Objective.objects.filter(sub_axis__axis__strategy=strategy).order_by("order", "code"))


def _action_form(request, action=None):
    """Create (no action) or edit an action: the strategy's pilots and staff."""
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    strategy = _strategy_or_404()
    if action is not None:
        action = _action_or_404(strategy, action)
        initial = ActionForm.initial_of(action)
    else:
        initial = {"status": "not_started", "progress_source": "status", "zone_level": "region"}
        if request.GET.get("objectif"):
            initial[f"weight_{request.GET['objectif']}"] = 1
    form = ActionForm(request.POST or None, objectives=_objectives(strategy), initial=initial)
    saved = _saved(
        request,
        form,
        lambda: (
            services.update_action(action, form.to_data(), user=request.user)
            if action
            else services.create_action(strategy, form.to_data(), user=request.user)
        ),
        lambda result: (
            (_("Action %(code)s enregistrée.") if action else _("Action %(code)s créée."))
            % {"code": result.code},
            reverse("strategy:action", args=[result.code]),
        ),
    )
    title = _("Modifier l'action %(code)s") % {"code": action.code} if action else _("Nouvelle action")
    return saved or _render_form(
        request,
        "strategy/action_form.html",
        {"title": title, "strategy": strategy, "action": action},
        form,
    )


@require_http_methods(["GET", "POST"])
def action_create(request):
    return _action_form(request)


@require_http_methods(["GET", "POST"])
def action_edit(request, code):
    return _action_form(request, code)


@require_http_methods(["GET", "POST"])
def action_progress(request, code):
    """Status and progress of one action: its pilot organisations' members, the strategy's pilots and staff."""
    strategy = _strategy_or_404()
    action = selectors.action_detail(strategy, code)
    if action is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404(_("Aucune action n'a le code « %(code)s ».") % {"code": code})
    denied = _denied(
        request,
        perms.can_update_action(request.user, action),
        _("Seules les organisations qui pilotent l'action %(code)s peuvent la mettre à jour.")
        % {"code": code},
    )
    if denied:
        return denied
    form = ActionProgressForm(request.POST or None, initial=ActionProgressForm.initial_of(action))
    saved = _saved(
        request,
        form,
        lambda: services.update_action(action, form.to_data(), user=request.user),
        lambda result: (
            _("Avancement de l'action %(code)s enregistré.") % {"code": result.code},
            reverse("strategy:action", args=[result.code]) + "#avancement",
        ),
    )
    return saved or _render_form(
        request,
        "strategy/form.html",
        {
            "title": _("Mettre à jour l'action %(code)s") % {"code": action.code},
            "intro": action.title,
            "strategy": strategy,
            "back_url": reverse("strategy:action", args=[action.code]),
            "back_label": _("Retour à l'action"),
            "submit": _("Enregistrer l'avancement"),
        },
        form,
    )


@require_POST
def action_archive(request, code):
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    strategy = _strategy_or_404()
    action = _action_or_404(strategy, code)
    archived = request.POST.get("restore") != "1"
    services.archive_action(action, user=request.user, archived=archived)
    if archived:
        messages.success(
            request, _("Action %(code)s archivée : elle ne compte plus dans l'avancement.") % {"code": code}
        )
    else:
        messages.success(request, _("Action %(code)s désarchivée.") % {"code": code})
    return redirect("strategy:action", code)


@require_GET
def actions(request):
    """The guided entry of the actions: per objective how many actions it has, those with none, the import."""
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    strategy = _strategy_or_404()
    coverage = selectors.objective_coverage(strategy)
    archived = list(Action.objects.filter(strategy=strategy, archived_at__isnull=False).order_by("code"))
    active_count = Action.objects.filter(strategy=strategy, archived_at__isnull=True).count()
    return render(
        request,
        "strategy/actions.html",
        {
            "strategy": strategy,
            "coverage": coverage,
            "without": [row["objective"] for row in coverage if not row["actions"]],
            "archived": archived,
            "active_count": active_count,
            "import_form": StrategyImportForm(),
        },
    )


# --- Imports from the page: upload → preview (nothing written) → confirm (all or nothing) ---

IMPORTS = {
    "actions": {
        "label": gettext_lazy("Importer des actions"),
        "columns": io.ACTION_COLUMNS,
        "run": lambda source, dry_run, user: io.import_actions(source, dry_run=dry_run, user=user),
        "back": "strategy:actions",
        "template_name": "modele-actions",
    },
    "mesures": {
        "label": gettext_lazy("Importer des mesures"),
        "columns": io.MEASUREMENT_COLUMNS,
        "run": lambda source, dry_run, user: io.import_measurements(source, dry_run=dry_run, user=user),
        "back": "strategy:indicators",
        "template_name": "modele-mesures",
    },
}
SESSION_KEY = "strategy-import"


@require_http_methods(["GET", "POST"])
def import_file(request, kind):
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    if kind not in IMPORTS:
        raise Http404(_("Import inconnu."))
    _strategy_or_404()
    spec = IMPORTS[kind]
    form = StrategyImportForm()
    report = error = None
    preview = False
    status = 200
    if request.method == "POST" and request.POST.get("confirm") == "1":
        pending = request.session.get(SESSION_KEY) or {}
        if pending.get("kind") != kind or pending.get("token") != request.POST.get("token"):
            error = _("Le fichier à importer n'est plus disponible : déposez-le à nouveau.")
            status = 400
        else:
            source = ContentFile(base64.b64decode(pending["content"]), name=pending["name"])
            try:
                report = spec["run"](source, False, request.user)
            except TabularError as exc:
                error = str(exc)
            request.session.pop(SESSION_KEY, None)
            if report is not None and report.ok:
                messages.success(request, report.summary())
                return redirect(spec["back"])
            status = 400
    elif request.method == "POST":
        form = StrategyImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                report = spec["run"](ContentFile(content, name=upload.name), True, request.user)
            except TabularError as exc:
                error = str(exc)
            if report is not None and report.ok:
                import secrets

                token = secrets.token_urlsafe(16)
                request.session[SESSION_KEY] = {
                    "kind": kind,
                    "token": token,
                    "name": upload.name,
                    "content": base64.b64encode(content).decode("ascii"),
                }
                preview = token
            else:
                status = 400
        else:
            status = 400
    return render(
        request,
        "strategy/import.html",
        {
            "kind": kind,
            "title": spec["label"],
            "columns": spec["columns"],
            "form": form,
            "form_errors": form_errors(form),
            "report": report,
            "error": error,
            "preview": preview,
            "back_url": reverse(spec["back"]),
        },
        status=status,
    )


@require_GET
def import_template(request, kind, fmt):
    """The file to fill: the columns of the import, with the current rows as examples (none for a new strategy)."""
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    if kind not in IMPORTS:
        raise Http404(_("Import inconnu."))
    strategy = _strategy_or_404()
    if kind == "actions":
        headers, rows = io.export_actions(strategy)
    else:
        headers, rows = io.export_measurements(strategy)
    return tabular_response(fmt, IMPORTS[kind]["template_name"], headers, rows)


# --- Indicators and measurements ---


@require_GET
def indicators(request):
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    strategy = _strategy_or_404()
    items = list(selectors.indicators(strategy).prefetch_related("actions"))
    return render(request, "strategy/indicators.html", {"strategy": strategy, "indicators": items})


def _indicator_form(request, pk=None):
    """Create (no pk) or edit an indicator: the strategy's pilots and staff."""
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    strategy = _strategy_or_404()
    indicator = get_object_or_404(Indicator, pk=pk, strategy=strategy) if pk else None
    if indicator is not None:
        initial = IndicatorForm.initial_of(indicator)
    else:
        initial = {"source": "manual", "direction": "up"}
        if request.GET.get("action"):
            initial["actions"] = list(Action.objects.filter(strategy=strategy, code=request.GET["action"]))
    form = IndicatorForm(request.POST or None, strategy=strategy, initial=initial)
    saved = _saved(
        request,
        form,
        lambda: (
            services.update_indicator(indicator, form.to_data(), user=request.user)
            if indicator
            else services.create_indicator(strategy, form.to_data(), user=request.user)
        ),
        lambda result: (
            (_("Indicateur « %(name)s » enregistré.") if indicator else _("Indicateur « %(name)s » créé."))
            % {"name": result.name},
            reverse("strategy:indicators"),
        ),
    )
    return saved or _render_form(
        request,
        "strategy/indicator_form.html",
        {
            "strategy": strategy,
            "indicator": indicator,
            "title": _("Modifier l'indicateur") if indicator else _("Nouvel indicateur"),
        },
        form,
    )


@require_http_methods(["GET", "POST"])
def indicator_create(request):
    return _indicator_form(request)


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    return _indicator_form(request, pk)


def _measurement_back(request, measurement) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back.startswith("/pilotage/") and "//" not in back:
        return back
    return reverse("strategy:indicators")


@require_http_methods(["GET", "POST"])
def measurement_edit(request, pk):
    """Correct or remove a measurement; the former values are kept in the history."""
    strategy = _strategy_or_404()
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator"), pk=pk, indicator__strategy=strategy
    )
    denied = _denied(
        request,
        perms.can_record_measurement(request.user, measurement.indicator),
        _(
            "Seuls les pilotes de la stratégie et les organisations qui pilotent une action de cet indicateur peuvent corriger ses mesures."
        ),
    )
    if denied:
        return denied
    back_url = _measurement_back(request, measurement)
    initial = {
        "date": measurement.date,
        "value": measurement.value,
        "zone_level": measurement.zone_level,
        "zone_code": measurement.zone_code,
        "source_note": measurement.source_note,
    }
    form = MeasurementEditForm(request.POST or None, initial=initial, region_code=strategy.region_code)
    if request.method == "POST" and request.POST.get("remove") == "1":
        services.remove_measurement(measurement, user=request.user)
        messages.success(request, _("Mesure supprimée (elle reste dans l'historique)."))
        return redirect(back_url)
    saved = _saved(
        request,
        form,
        lambda: services.correct_measurement(measurement, user=request.user, **form.cleaned_data),
        lambda result: (_("Mesure corrigée (l'ancienne valeur reste dans l'historique)."), back_url),
    )
    return saved or _render_form(
        request,
        "strategy/measurement_edit.html",
        {"strategy": strategy, "measurement": measurement, "back_url": back_url},
        form,
    )


# --- Committees and decisions ---


@require_http_methods(["GET", "POST"])
def meeting_form(request, pk=None):
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    strategy = _strategy_or_404()
    meeting = get_object_or_404(CommitteeMeeting, pk=pk, strategy=strategy) if pk else None
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        initial=MeetingForm.initial_of(meeting) if meeting else {"kind": "copil"},
    )
    saved = _saved(
        request,
        form,
        lambda: (
            services.update_meeting(meeting, form.to_data(), user=request.user)
            if meeting
            else services.create_meeting(strategy, form.to_data(), user=request.user)
        ),
        lambda result: (
            _("Réunion enregistrée : %(meeting)s.") % {"meeting": result},
            reverse("strategy:committees") + f"#reunion-{result.pk}",
        ),
    )
    return saved or _render_form(
        request,
        "strategy/form.html",
        {
            "title": _("Modifier la réunion") if meeting else _("Nouvelle réunion de comité"),
            "strategy": strategy,
            "multipart": True,
            "back_url": reverse("strategy:committees"),
            "back_label": _("Retour aux comités"),
            "submit": _("Enregistrer la réunion"),
        },
        form,
    )


@require_GET
def meeting_minutes(request, pk):
    """The minutes' PDF, to the strategy's pilots and staff only (never a public media address)."""
    denied = _denied(
        request,
        perms.can_view_minutes(request.user),
        _("Les comptes rendus sont réservés aux pilotes de la stratégie et à l'équipe Maille."),
    )
    if denied:
        return denied
    strategy = _strategy_or_404()
    meeting = get_object_or_404(CommitteeMeeting, pk=pk, strategy=strategy)
    if not meeting.minutes_file:
        raise Http404(_("Cette réunion n'a pas de compte rendu en PDF."))
    try:
        handle = meeting.minutes_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Le fichier du compte rendu est introuvable.")) from exc
    filename = f"compte-rendu-{meeting.kind}-{meeting.date:%Y-%m-%d}.pdf"
    response = FileResponse(handle, content_type="application/pdf", as_attachment=False, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def decision_form(request, pk=None):
    denied = _denied(request, perms.can_steer_strategy(request.user))
    if denied:
        return denied
    strategy = _strategy_or_404()
    decision = get_object_or_404(Decision, pk=pk, meeting__strategy=strategy) if pk else None
    initial = DecisionForm.initial_of(decision) if decision else {"status": "open"}
    if not decision and (
        request.GET.get("reunion", "").isascii() and request.GET.get("reunion", "").isdigit()
    ):
        initial["meeting"] = CommitteeMeeting.objects.filter(
            strategy=strategy, pk=request.GET["reunion"]
        ).first()
    form = DecisionForm(request.POST or None, strategy=strategy, initial=initial)
    saved = _saved(
        request,
        form,
        lambda: (
            services.update_decision(decision, form.to_data(), user=request.user)
            if decision
            else services.create_decision(strategy, form.to_data(), user=request.user)
        ),
        lambda result: (
            _("Décision enregistrée."),
            reverse("strategy:committees") + f"#decision-{result.pk}",
        ),
    )
    return saved or _render_form(
        request,
        "strategy/form.html",
        {
            "title": _("Modifier la décision") if decision else _("Nouvelle décision"),
            "strategy": strategy,
            "back_url": reverse("strategy:committees"),
            "back_label": _("Retour aux comités"),
            "submit": _("Enregistrer la décision"),
        },
        form,
    )
