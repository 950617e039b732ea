"""Pages of the observatory: figures and maps of the region and of each territory (CSV / xlsx), the method note, the
detection lists (creations, closures, size bands going down, projects with no accepted referral) and « Signaler à un
réseau » (a detected project, prefilled from the register)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from maille.core.enums import LegalForm, Stage
from maille.core.exports import tabular_response
from maille.core.identifiers import is_valid_siret
from maille.core.views import permission_denied

from . import perms, selectors
from .enums import Family, NafSection, SizeBand, StatLevel
from .rules import BAND_EMPLOYEES, current_rule

CHILD_LEVELS = {
    StatLevel.REGION: (StatLevel.EPCI, StatLevel.DEPARTEMENT),
    StatLevel.DEPARTEMENT: (StatLevel.EPCI, StatLevel.COMMUNE),
    StatLevel.EPCI: (StatLevel.COMMUNE,),
    StatLevel.COMMUNE: (),
}
MAP_LEVELS = (StatLevel.EPCI, StatLevel.DEPARTEMENT)  # of the région; an EPCI's page maps its communes
DEFAULT_MONTHS = 6
PAGE_ROWS = 200


def _charts(summary: dict) -> dict:
    """Chart.js data (labels + values) for the family, sector and size-band charts."""
    families = dict(Family.choices)
    sections = dict(NafSection.choices)
    bands = dict(SizeBand.choices)
    return {
        "family": {
            "labels": [str(families[key]) for key in summary["by_family"]],
            "establishments": [v["establishments"] for v in summary["by_family"].values()],
            "employees": [v["employees_estimate"] for v in summary["by_family"].values()],
        },
        "section": {
            "labels": [
                f"{key} — {sections[key]}" for key, v in summary["by_section"].items() if v["establishments"]
            ],
            "establishments": [
                v["establishments"] for v in summary["by_section"].values() if v["establishments"]
            ],
            "employees": [
                v["employees_estimate"] for v in summary["by_section"].values() if v["establishments"]
            ],
        },
        "band": {
            "labels": [str(bands[key]) for key in summary["by_size_band"]],
            "establishments": [v["establishments"] for v in summary["by_size_band"].values()],
        },
        "text": {"establishments": _("Établissements"), "employees": _("Salariés (estimation)")},
    }


def _rows(summary: dict, key: str, choices) -> list[dict]:
    labels = dict(choices)
    return [
        {"code": code, "label": str(labels.get(code, code)), **value} for code, value in summary[key].items()
    ]


def _render_territory(request, level: str, code: str, snapshot):
    summary = selectors.stats(level, code, snapshot)
    earlier = selectors.previous_snapshot(snapshot)
    children = {child: selectors.by_territory(child, snapshot, level, code) for child in CHILD_LEVELS[level]}
    map_level = request.GET.get("carte", "")
    map_levels = (
        [child for child in CHILD_LEVELS[level] if child in MAP_LEVELS] if level == StatLevel.REGION else []
    )
    if level == StatLevel.EPCI:
        map_levels = [StatLevel.COMMUNE]
    if map_level not in map_levels:
        map_level = map_levels[0] if map_levels else ""
    fmt = request.GET.get("format")
    if fmt:
        table = request.GET.get("table", "")
        if table in children:
            return tabular_response(
                fmt,
                f"ess-{level}-{code}-par-{table}",
                [
                    _("Code"),
                    _("Territoire"),
                    _("Établissements de l'ESS"),
                    _("Salariés (estimation)"),
                    _("Part de l'ESS dans l'emploi (%)"),
                ],
                (
                    [
                        r["code"],
                        r["nom"],
                        r["establishments"],
                        r["employees_estimate"],
                        r["ess_share_of_employment"],
                    ]
                    for r in children[table]
                ),
            )
        rows = [
            [_("Famille"), label, v["establishments"], v["employees_estimate"]]
            for label, v in ((r["label"], r) for r in _rows(summary, "by_family", Family.choices))
        ]
        rows += [
            [_("Section NAF"), f"{r['code']} {r['label']}", r["establishments"], r["employees_estimate"]]
            for r in _rows(summary, "by_section", NafSection.choices)
        ]
        rows += [
            [_("Tranche d'effectif"), r["label"], r["establishments"], r["employees_estimate"]]
            for r in _rows(summary, "by_size_band", SizeBand.choices)
        ]
        rows.insert(0, [_("Total"), summary["nom"], summary["establishments"], summary["employees_estimate"]])
        return tabular_response(
            fmt,
            f"ess-{level}-{code}",
            [_("Répartition"), _("Catégorie"), _("Établissements de l'ESS"), _("Salariés (estimation)")],
            rows,
        )
    map_rows = children.get(map_level, [])
    context = {
        "summary": summary,
        "snapshot": snapshot,
        "earlier": earlier,
        "change": selectors.change(level, code, snapshot, earlier),
        "level": level,
        "code": code,
        "level_label": StatLevel(level).label,
        "children": [(child, StatLevel(child).label, rows) for child, rows in children.items()],
        "map_level": map_level,
        "map_levels": [(value, StatLevel(value).label) for value in map_levels],
        "map_values": {row["code"]: row["establishments"] for row in map_rows},
        "contour_url": _contour_url(level, code, map_level),
        "charts": _charts(summary),
        "families": _rows(summary, "by_family", Family.choices),
        "sections": [r for r in _rows(summary, "by_section", NafSection.choices) if r["establishments"]],
        "bands": _rows(summary, "by_size_band", SizeBand.choices),
        "can_detect": perms.can_view_detection(request.user),
        "is_region": level == StatLevel.REGION,
    }
    return render(request, "observatory/territory.html", context)


def _contour_url(level: str, code: str, map_level: str) -> str:
    from django.urls import reverse

    if not map_level:
        return ""
    if level == StatLevel.REGION:
        url = reverse("api-contour", args=["region", code])
        return url + ("?detail=epci" if map_level == StatLevel.EPCI else "")
    if level == StatLevel.EPCI:
        return reverse("api-contour", args=["epci", code])
    return ""  # a département's EPCI and communes: the tables give them


def _latest_or_empty(request):
    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        return None, render(request, "observatory/empty.html", status=200)
    return snapshot, None


@require_GET
def index(request):
    snapshot, empty = _latest_or_empty(request)
    if empty:
        return empty
    return _render_territory(request, StatLevel.REGION, snapshot.region_code, snapshot)


@require_GET
def territory(request, level: str, code: str):
    if level not in StatLevel.values:
        raise Http404(_("Niveau de territoire inconnu."))
    try:
        selectors.check_territory(level, code)
    except selectors.StatsError as exc:
        raise Http404(_("Territoire inconnu.")) from exc
    snapshot, empty = _latest_or_empty(request)
    if empty:
        return empty
    try:
        chosen = selectors.get_snapshot(request.GET.get("snapshot")) or snapshot
    except selectors.StatsError:
        chosen = snapshot
    return _render_territory(request, level, code, chosen)


@require_GET
def method(request):
    rule = current_rule()
    return render(
        request,
        "observatory/method.html",
        {
            "rule": rule,
            "families": [(Family(key).label, ", ".join(codes)) for key, codes in rule.families.items()],
            "borderline": [(Family(key).label, ", ".join(codes)) for key, codes in rule.borderline.items()],
            "bands": [(SizeBand(code).label, value) for code, value in BAND_EMPLOYEES.items()],
            "snapshots": list(selectors.snapshots()[:10]),
        },
    )


# --- detection ---------------------------------------------------------------------------------------------------


def _detection_params(request, snapshot):
    level, code = perms.default_territory(request.user, snapshot.region_code)
    level = request.GET.get("level", level).strip()
    code = request.GET.get("code", code).strip()
    errors = []
    try:
        name = selectors.check_territory(level, code)
    except selectors.StatsError as exc:
        errors += list(exc.errors.values())
        level, code = perms.default_territory(request.user, snapshot.region_code)
        name = selectors.check_territory(level, code)
    raw_months = request.GET.get("months", str(DEFAULT_MONTHS)).strip()
    months = (
        int(raw_months)
        if (raw_months.isascii() and raw_months.isdigit()) and 1 <= int(raw_months) <= 60
        else None
    )
    if months is None:
        errors.append(_("Indiquez un nombre de mois entre 1 et 60."))
        months = DEFAULT_MONTHS
    raw_days = request.GET.get("days", "30").strip()
    days = (
        int(raw_days) if (raw_days.isascii() and raw_days.isdigit()) and 1 <= int(raw_days) <= 365 else None
    )
    if days is None:
        errors.append(_("Indiquez un nombre de jours entre 1 et 365."))
        days = 30
    family = request.GET.get("family", "").strip()
    family = family if family in Family.values else ""
    section = request.GET.get("section", "").strip()
    section = section if section in NafSection.values else ""
    return level, code, name, months, days, family, section, errors


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


@login_required
@require_GET
def detection(request):
    if not perms.can_view_detection(request.user):
        return permission_denied(
            request,
            _(
                "Les listes de repérage sont réservées aux accompagnateurs, agents d'EPCI, pilotes et à l'équipe."
            ),
        )
    snapshot, empty = _latest_or_empty(request)
    if empty:
        return empty
    level, code, name, months, days, family, section, errors = _detection_params(request, snapshot)
    if not perms.can_view_detection(request.user, level, code):
        return permission_denied(request, _("Vous ne pouvez consulter que les listes de votre territoire."))
    earlier = selectors.previous_snapshot(snapshot)
    since = _months_before(snapshot.stock_date, months)
    new = selectors.new_establishments(snapshot, since, level, code, family, section)
    closed = selectors.closures(snapshot, earlier, level, code)
    down = selectors.size_band_down(snapshot, earlier, level, code)
    stuck = selectors.stuck_projects(request.user, days, level, code)
    fmt = request.GET.get("format")
    if fmt:
        return _detection_export(fmt, request.GET.get("list", "new"), new, closed, down, stuck, code)
    new_rows = list(new[:PAGE_ROWS])
    offers = selectors.offers_by_commune([drop.establishment.commune_code for drop in down[:50]])
    points = [
        {"lat": e.latitude, "lon": e.longitude, "name": e.display_name, "siret": e.siret}
        for e in new_rows
        if e.latitude is not None
    ]
    return render(
        request,
        "observatory/detection.html",
        {
            "snapshot": snapshot,
            "earlier": earlier,
            "level": level,
            "code": code,
            "name": name,
            "months": months,
            "days": days,
            "family": family,
            "section": section,
            "since": since,
            "errors": errors,
            "levels": StatLevel.choices,
            "family_choices": Family.choices,
            "section_choices": NafSection.choices,
            "new_rows": new_rows,
            "new_count": new.count(),
            "closed_rows": list(closed[:PAGE_ROWS]),
            "closed_count": closed.count(),
            "down_rows": [(drop, offers.get(drop.establishment.commune_code, [])) for drop in down[:50]],
            "down_count": len(down),
            "stuck": stuck[:PAGE_ROWS],
            "points": points,
            "can_signal": perms.can_signal(request.user),
            "page_rows": PAGE_ROWS,
        },
    )


def _detection_export(fmt, which, new, closed, down, stuck, code):
    columns = [
        _("SIRET"),
        _("Nom"),
        _("Famille"),
        _("Code NAF"),
        _("Commune"),
        _("EPCI"),
        _("Tranche d'effectif"),
        _("Date de création"),
    ]

    def row(e):
        return [
            e.siret,
            e.display_name,
            e.get_family_display(),
            e.naf,
            e.commune_code,
            e.epci_code,
            e.get_size_band_display(),
            e.creation_date.isoformat() if e.creation_date else "",
        ]

    if which == "closures":
        return tabular_response(fmt, f"fermetures-{code}", columns, (row(e) for e in closed))
    if which == "down":
        return tabular_response(
            fmt,
            f"effectif-en-baisse-{code}",
            [*columns, _("Tranche précédente")],
            ([*row(d.establishment), d.previous_band_label] for d in down),
        )
    if which == "stuck":
        return tabular_response(
            fmt,
            f"projets-sans-suite-{code}",
            [_("Projet"), _("Commune"), _("Déposé le"), _("Statut")],
            ([p.name, p.commune.name, p.created_at.date().isoformat(), str(p.status.label)] for p in stuck),
        )
    return tabular_response(fmt, f"creations-{code}", columns, (row(e) for e in new))


# --- « Signaler à un réseau » ------------------------------------------------------------------------------------

FAMILY_LEGAL_FORMS = {
    "association": LegalForm.ASSOCIATION,
    "cooperative": LegalForm.COOPERATIVE,
    "mutuelle": LegalForm.MUTUELLE,
    "fondation": LegalForm.FONDATION,
    "societe_commerciale": LegalForm.SOCIETE_ESS,
}
SCOP_CODES = {"5458", "5558", "5658"}


def _prefill(establishment, stock_date, fragile: bool) -> dict:
    from maille.territories.selectors import get_commune

    commune = get_commune(establishment.commune_code)
    legal_form = FAMILY_LEGAL_FORMS.get(establishment.family, LegalForm.SOCIETE_ESS)
    if establishment.legal_form in SCOP_CODES:
        legal_form = LegalForm.SCOP
    years = 0
    if establishment.creation_date:
        years = max(0, (stock_date - establishment.creation_date).days // 365)
    stage = Stage.CONSOLIDATION if fragile else (Stage.CREATION if years < 2 else Stage.DEVELOPPEMENT)
    return {
        "name": establishment.name or "",
        "description": _(
            "Établissement repéré dans le répertoire Sirene (stock du %(date)s) : %(family)s, activité %(naf)s, "
            "tranche d'effectif « %(band)s »."
        )
        % {
            "date": stock_date.strftime("%d/%m/%Y"),
            "family": establishment.get_family_display().lower(),
            "naf": establishment.naf or "—",
            "band": establishment.get_size_band_display(),
        },
        "commune": commune.name if commune else "",
        "commune_code": commune.code if commune else "",
        "legal_form": legal_form,
        "siret": establishment.siret if is_valid_siret(establishment.siret) else "",
        "stage": stage,
        "naf": establishment.naf,
        "years_of_existence": years,
        "jobs_fte": 0,
    }


@login_required
@require_http_methods(["GET", "POST"])
def signal(request, siret: str):
    from maille.projects import services as project_services
    from maille.projects.forms import DetectedProjectForm
    from maille.projects.models import Project
    from maille.projects.views import _detecting_organisations, error_summary

    if not perms.can_signal(request.user):
        return permission_denied(
            request, _("Seuls les accompagnateurs et les agents d'EPCI peuvent signaler un établissement.")
        )
    snapshot = selectors.latest_snapshot()
    establishment = selectors.establishment(snapshot, siret) if snapshot else None
    if establishment is None:
        raise Http404(_("Établissement inconnu dans le dernier instantané."))
    if not perms.can_view_detection(request.user, StatLevel.COMMUNE, establishment.commune_code):
        return permission_denied(request, _("Cet établissement n'est pas sur votre territoire."))
    fragile = request.GET.get("fragile") == "1" or request.POST.get("fragile") == "1"
    organisations = _detecting_organisations(request.user)
    form = DetectedProjectForm(
        request.POST or None,
        organisations=organisations,
        initial=_prefill(establishment, snapshot.stock_date, fragile),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = Project(
            holder_name=data["holder_name"],
            holder_email=data["holder_email"],
            holder_phone=data["holder_phone"],
            **form.project_fields(),
        )
        try:
            project_services.create_project(project, actor=request.user, detected_by=form.detected_by())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Le projet est enregistré. Le porteur a reçu un e-mail pour le vérifier et le confirmer."),
            )
            return redirect("projects:file", project.pk)
    return render(
        request,
        "observatory/signal.html",
        {
            "form": form,
            "errors": error_summary(form),
            "establishment": establishment,
            "snapshot": snapshot,
            "fragile": fragile,
            "demo": snapshot.is_demo,
            "region": settings.MAILLE_REGION_CODE,
        },
        status=400 if request.method == "POST" else 200,
    )
