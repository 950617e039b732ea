"""The strategy's computed indicators that read the observatory (the register) or what the platform records for
O4, O7, O8 and O11. Registered by `maille.strategy.indicators` (one block): `COMPUTATIONS` maps a name to
(label, objectives, unit, description, function(start, end, level, code) → strategy `Result`).

Register figures use the latest snapshot whose stock date is on or before the period's end (none → no data).
This module imports nothing of the strategy at load time (the strategy imports it).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import BAND_RANK, Family
from .models import CommuneTotal, Establishment, Snapshot

ESS_NEEDS = ("gouvernance", "cooperation", "innovation_sociale", "benevolat", "evaluation_impact")
ACCEPTED = ("accepted", "closed")


def _strategy():
    from maille.strategy import indicators

    return indicators


def _snapshot(end) -> Snapshot | None:
    from django.conf import settings

    return (
        Snapshot.objects.filter(region_code=settings.MAILLE_REGION_CODE, stock_date__lte=end)
        .order_by("-stock_date", "-pk")
        .first()
    )


def _territory(level, code) -> Q:
    if not level:
        return Q()
    field = {"departement": "departement_code", "epci": "epci_code", "commune": "commune_code"}.get(level)
    if field is None:  # région
        from django.conf import settings

        return Q() if code == settings.MAILLE_REGION_CODE else Q(pk__in=[])
    return Q(**{field: code})


def _sum_result(rows, demo: bool, note: str = ""):
    """A sum with its breakdown, from (département, EPCI, value) rows."""
    s = _strategy()
    breakdown = {"departement": {}, "epci": {}}
    total = 0.0
    for dep, epci, value in rows:
        total += value
        for level, key in (("departement", dep), ("epci", epci)):
            if key:
                breakdown[level][key] = round(breakdown[level].get(key, 0) + value, 1)
    return s.Result(round(total, 1), s._sorted(breakdown), demo, note)


def _note(snapshot) -> str:
    return _("Répertoire Sirene, stock du %(date)s%(demo)s.") % {
        "date": snapshot.stock_date.strftime("%d/%m/%Y"),
        "demo": _(" (données de démonstration)") if snapshot.is_demo else "",
    }


def ess_establishments_created(start, end, level, code):
    snapshot = _snapshot(end)
    if snapshot is None:
        return _strategy().Result(None, note=_("Aucun instantané du répertoire importé pour cette période"))
    rows = Establishment.objects.filter(
        _territory(level, code), snapshot=snapshot, creation_date__gte=start, creation_date__lte=end
    ).values_list("departement_code", "epci_code")
    return _strategy()._count_result([(d, e, snapshot.is_demo) for d, e in rows], _note(snapshot))


def _employment(family: str | None):
    def compute(start, end, level, code):
        snapshot = _snapshot(end)
        if snapshot is None:
            return _strategy().Result(
                None, note=_("Aucun instantané du répertoire importé pour cette période")
            )
        queryset = Establishment.objects.filter(_territory(level, code), snapshot=snapshot)
        if family:
            queryset = queryset.filter(family=family)
        rows = queryset.values_list("departement_code", "epci_code", "employees_estimate")
        return _sum_result(
            rows, snapshot.is_demo, _note(snapshot) + " " + _("Estimation au milieu des tranches.")
        )

    return compute


def ess_share_of_employment(start, end, level, code):
    s = _strategy()
    snapshot = _snapshot(end)
    if snapshot is None:
        return s.Result(None, note=_("Aucun instantané du répertoire importé pour cette période"))
    ess = _employment(None)(start, end, level, code)
    totals = CommuneTotal.objects.filter(_territory(level, code), snapshot=snapshot).values_list(
        "departement_code", "epci_code", "employees_estimate"
    )
    everything = _sum_result(totals, snapshot.is_demo)

    def pct(a, b):
        return round(100.0 * a / b, 1) if b else None

    breakdown = {
        level_: {key: pct(value, everything.breakdown[level_].get(key, 0)) for key, value in values.items()}
        for level_, values in ess.breakdown.items()
    }
    return s.Result(pct(ess.value, everything.value), breakdown, snapshot.is_demo, ess.note)


def fragile_reached(start, end, level, code):
    """Establishments whose size band went down (latest two snapshots ≤ end) and whose SIRET has a project with an
    accepted referral during the period."""
    s = _strategy()
    snapshot = _snapshot(end)
    earlier = (
        Snapshot.objects.filter(region_code=snapshot.region_code, stock_date__lt=snapshot.stock_date)
        .order_by("-stock_date")
        .first()
        if snapshot
        else None
    )
    if snapshot is None or earlier is None:
        return s.Result(
            None, note=_("Il faut deux instantanés du répertoire pour repérer les baisses d'effectif")
        )
    from maille.referrals.models import Referral

    before = dict(Establishment.objects.filter(snapshot=earlier).values_list("siret", "size_band"))
    current = Establishment.objects.filter(_territory(level, code), snapshot=snapshot).values_list(
        "siret", "size_band", "departement_code", "epci_code"
    )
    fragile = {
        siret: (dep, epci)
        for siret, band, dep, epci in current
        if siret in before and BAND_RANK.get(band, 0) < BAND_RANK.get(before[siret], 0)
    }
    reached = set(
        Referral.objects.filter(
            project__siret__in=list(fragile),
            status__in=ACCEPTED,
            answered_at__date__gte=start,
            answered_at__date__lte=end,
        ).values_list("project__siret", flat=True)
    )
    return s._count_result([(*fragile[siret], snapshot.is_demo) for siret in reached], _note(snapshot))


def social_innovation_supported(start, end, level, code):
    s = _strategy()
    from maille.projects.models import Project

    accepted = s._referrals(None, None).filter(s._in_period("answered_at", start, end), status__in=ACCEPTED)
    queryset = Project.objects.filter(
        s._territory_q(level, code, "commune__"), social_innovation=True, pk__in=accepted.values("project_id")
    )
    return s._count_result(s._project_rows(queryset))


def ess_needs_answered_by_ess_networks(start, end, level, code):
    """Share of the accepted referrals for ESS-specific needs that an ESS network accepted (vs the classic path)."""
    s = _strategy()
    from maille.core.fields import has_choice

    needs = Q()
    for need in ESS_NEEDS:
        needs |= has_choice("project__needs", need)
    rows = (
        s._referrals(level, code)
        .filter(needs, s._in_period("answered_at", start, end), status__in=ACCEPTED)
        .values_list(
            "project__commune__departement_id",
            "project__commune__epci_id",
            "project__is_demo",
            "organisation__kind",
        )
    )
    items = [(dep, epci, demo, float(kind == "reseau_ess")) for dep, epci, demo, kind in rows]
    return s._grouped_result(items, s._share)


def employer_associations_supported(start, end, level, code):
    s = _strategy()
    from maille.projects.models import Project

    accepted = s._referrals(None, None).filter(s._in_period("answered_at", start, end), status__in=ACCEPTED)
    queryset = Project.objects.filter(
        s._territory_q(level, code, "commune__"),
        legal_form="association",
        jobs_fte__gt=0,
        pk__in=accepted.values("project_id"),
    )
    return s._count_result(s._project_rows(queryset))


def decisions_on_time(start, end, level, code):
    """Share of the committee decisions due in the period that were carried out without being flagged overdue."""
    s = _strategy()
    from maille.strategy.models import Decision

    if level:
        return s.Result(
            None, note=_("Les décisions des comités sont régionales : pas de déclinaison par territoire")
        )
    rows = Decision.objects.filter(due_date__gte=start, due_date__lte=end).exclude(status="dropped")
    items = [
        (None, None, False, float(status == "done" and overdue is None))
        for status, overdue in rows.values_list("status", "overdue_sent_at")
    ]
    return s._grouped_result(items, s._share)


def committees_held(start, end, level, code):
    s = _strategy()
    from maille.strategy.models import CommitteeMeeting

    if level:
        return s.Result(None, note=_("Les comités sont régionaux : pas de déclinaison par territoire"))
    count = CommitteeMeeting.objects.filter(date__gte=start, date__lte=end).count()
    return s._count_result([(None, None, False)] * count)


COMPUTATIONS = {
    "ess_establishments_created": (
        gettext_lazy("Établissements de l'ESS créés (répertoire Sirene)"),
        ("O1", "O5"),
        gettext_lazy("établissements"),
        gettext_lazy(
            "Établissements actifs de l'ESS du dernier instantané dont la date de création tombe dans la période."
        ),
        ess_establishments_created,
    ),
    "ess_employment": (
        gettext_lazy("Emploi de l'ESS (salariés estimés, répertoire Sirene)"),
        ("O2",),
        gettext_lazy("salariés"),
        gettext_lazy(
            "Somme des salariés estimés (milieu de la tranche d'effectif) des établissements de l'ESS."
        ),
        _employment(None),
    ),
    "ess_share_of_employment": (
        gettext_lazy("Part de l'ESS dans l'emploi"),
        ("O2",),
        "%",
        gettext_lazy(
            "Salariés estimés de l'ESS rapportés à ceux de tous les établissements actifs du territoire."
        ),
        ess_share_of_employment,
    ),
    "fragile_structures_reached": (
        gettext_lazy("Structures fragilisées touchées par un accompagnement de consolidation"),
        ("O3",),
        gettext_lazy("établissements"),
        gettext_lazy(
            "Établissements dont la tranche d'effectif a baissé entre les deux derniers instantanés et dont "
            "un projet (même SIRET) a une mise en relation acceptée pendant la période."
        ),
        fragile_reached,
    ),
    "social_innovation_projects_supported": (
        gettext_lazy("Projets d'innovation sociale orientés et accompagnés"),
        ("O4",),
        gettext_lazy("projets"),
        gettext_lazy(
            "Projets déclarés d'innovation sociale dont une mise en relation a été acceptée pendant la période."
        ),
        social_innovation_supported,
    ),
    "ess_needs_answered_by_ess_networks": (
        gettext_lazy("Besoins propres à l'ESS pris en charge par les réseaux de l'ESS"),
        ("O7",),
        "%",
        gettext_lazy(
            "Parmi les mises en relation acceptées pendant la période pour des besoins propres à l'ESS "
            "(gouvernance, coopération, innovation sociale, bénévolat, évaluation d'impact), la part acceptée "
            "par un réseau de l'ESS plutôt que par le parcours classique de la création."
        ),
        ess_needs_answered_by_ess_networks,
    ),
    "employer_associations_supported": (
        gettext_lazy("Associations employeuses accompagnées"),
        ("O8",),
        gettext_lazy("associations"),
        gettext_lazy(
            "Projets associatifs avec au moins un emploi dont une mise en relation a été acceptée pendant la période."
        ),
        employer_associations_supported,
    ),
    "association_employment": (
        gettext_lazy("Emploi des associations (salariés estimés, répertoire Sirene)"),
        ("O8",),
        gettext_lazy("salariés"),
        gettext_lazy("Salariés estimés des établissements associatifs de l'ESS du dernier instantané."),
        _employment(Family.ASSOCIATION),
    ),
    "committees_held": (
        gettext_lazy("Comités de pilotage et techniques tenus"),
        ("O11",),
        gettext_lazy("comités"),
        gettext_lazy("Comités dont la date tombe dans la période."),
        committees_held,
    ),
    "decisions_carried_out_on_time": (
        gettext_lazy("Décisions des comités réalisées à l'échéance"),
        ("O11",),
        "%",
        gettext_lazy(
            "Parmi les décisions dont l'échéance tombe dans la période (hors abandonnées), la part réalisée "
            "sans avoir été signalée en retard."
        ),
        decisions_on_time,
    ),
}
