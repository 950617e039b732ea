"""Reading the observatory: snapshots, statistics by territory / family / NAF section / size band, the ESS share of
employment, the change between two snapshots, and the detection lists (creations, closures, size bands going down,
projects with no accepted referral).

Employees are an estimate: each establishment counts the middle of its headcount band (`rules.BAND_EMPLOYEES`).
Territories: `level` is region | departement | epci | commune, always with its `code` (région 52 ≠ département 52).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import BAND_RANK, Family, NafSection, SizeBand, StatLevel
from .models import CommuneTotal, Establishment, Snapshot

LEVEL_FIELDS = {
    StatLevel.DEPARTEMENT: "departement_code",
    StatLevel.EPCI: "epci_code",
    StatLevel.COMMUNE: "commune_code",
}


class StatsError(ValueError):
    """A bad level, code, snapshot or date: French messages by parameter name."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


# --- snapshots ---------------------------------------------------------------------------------------------------


def snapshots(region_code: str | None = None) -> QuerySet[Snapshot]:
    from django.conf import settings

    return Snapshot.objects.filter(region_code=region_code or settings.MAILLE_REGION_CODE).order_by(
        "-stock_date", "-pk"
    )


def latest_snapshot(region_code: str | None = None) -> Snapshot | None:
    return snapshots(region_code).first()


def previous_snapshot(snapshot: Snapshot) -> Snapshot | None:
    return (
        snapshots(snapshot.region_code)
        .filter(Q(stock_date__lt=snapshot.stock_date) | Q(stock_date=snapshot.stock_date, pk__lt=snapshot.pk))
        .first()
    )


def get_snapshot(raw: str | None) -> Snapshot | None:
    """The snapshot named by its number or its stock date (AAAA-MM-JJ); the latest when empty."""
    raw = (raw or "").strip()
    if not raw:
        return latest_snapshot()
    if raw.isascii() and raw.isdigit():
        found = snapshots().filter(pk=int(raw)).first()
    else:
        try:
            found = snapshots().filter(stock_date=datetime.date.fromisoformat(raw)).first()
        except ValueError:
            found = None
    if found is None:
        raise StatsError(
            {
                "snapshot": _(
                    "Instantané inconnu « %(value)s » : indiquez son numéro ou sa date (AAAA-MM-JJ)."
                )
                % {"value": raw}
            }
        )
    return found


# --- territories -------------------------------------------------------------------------------------------------


def check_territory(level: str, code: str) -> str:
    """The territory's name; a StatsError when the level or the code names no territory."""
    from maille.territories.selectors import zone_errors, zone_labels

    errors = zone_errors(level, code)
    if errors:
        raise StatsError(errors)
    return zone_labels([(level, code)]).get((level, code), code)


def territory_q(level: str, code: str, snapshot: Snapshot) -> Q:
    if level == StatLevel.REGION:
        return Q() if code == snapshot.region_code else Q(pk__in=[])
    return Q(**{LEVEL_FIELDS[level]: code})


def _in(snapshot: Snapshot, level: str, code: str) -> QuerySet[Establishment]:
    return Establishment.objects.filter(territory_q(level, code, snapshot), snapshot=snapshot)


# --- statistics --------------------------------------------------------------------------------------------------


def _figure(count, employees) -> dict:
    return {"establishments": int(count or 0), "employees_estimate": round(float(employees or 0), 1)}


def _grouped(queryset, field: str, keys) -> dict:
    rows = {
        key: _figure(count, employees)
        for key, count, employees in queryset.values_list(field)
        .annotate(n=Count("pk"), e=Sum("employees_estimate"))
        .values_list(field, "n", "e")
        .order_by()
    }
    return {key: rows.get(key, _figure(0, 0)) for key in keys}


def share(ess_employees: float, all_employees: float) -> float | None:
    """The ESS share of employment, in percent (None when the territory has no estimated employment)."""
    return round(100.0 * ess_employees / all_employees, 1) if all_employees else None


def stats(level: str, code: str, snapshot: Snapshot) -> dict:
    """The figures of the API's `stats` (see README): totals, ESS share, by family, NAF section and size band."""
    name = check_territory(level, code)
    queryset = _in(snapshot, level, code)
    totals = queryset.aggregate(n=Count("pk"), e=Sum("employees_estimate"))
    everything = CommuneTotal.objects.filter(territory_q(level, code, snapshot), snapshot=snapshot).aggregate(
        e=Sum("employees_estimate"), n=Sum("establishments")
    )
    figure = _figure(totals["n"], totals["e"])
    sections = _grouped(queryset, "section", NafSection.values)
    return {
        "code": code,
        "nom": name,
        "level": level,
        "snapshot": snapshot.pk,
        "snapshot_date": snapshot.stock_date.isoformat(),
        "is_demo": snapshot.is_demo,
        **figure,
        "all_establishments": int(everything["n"] or 0),
        "all_employees_estimate": round(float(everything["e"] or 0), 1),
        "ess_share_of_employment": share(figure["employees_estimate"], float(everything["e"] or 0)),
        "by_family": _grouped(queryset, "family", Family.values),
        "by_section": sections,
        "by_size_band": _grouped(queryset, "size_band", SizeBand.values),
    }


def change(level: str, code: str, snapshot: Snapshot, earlier: Snapshot | None) -> dict | None:
    """Establishments and estimated employees now minus at the earlier snapshot (None without one)."""
    if earlier is None:
        return None
    now = _in(snapshot, level, code).aggregate(n=Count("pk"), e=Sum("employees_estimate"))
    before = _in(earlier, level, code).aggregate(n=Count("pk"), e=Sum("employees_estimate"))
    return {
        "since": earlier.stock_date.isoformat(),
        "establishments": (now["n"] or 0) - (before["n"] or 0),
        "employees_estimate": round(float(now["e"] or 0) - float(before["e"] or 0), 1),
    }


def by_territory(
    child_level: str, snapshot: Snapshot, level: str = StatLevel.REGION, code: str = ""
) -> list[dict]:
    """One row per département, EPCI or commune within the territory: establishments, employees, ESS share."""
    from maille.territories.selectors import zone_labels

    code = code or snapshot.region_code
    field = LEVEL_FIELDS[child_level]
    ess = {
        key: (n, e)
        for key, n, e in _in(snapshot, level, code)
        .values_list(field)
        .annotate(n=Count("pk"), e=Sum("employees_estimate"))
        .values_list(field, "n", "e")
        .order_by()
    }
    everything = dict(
        CommuneTotal.objects.filter(territory_q(level, code, snapshot), snapshot=snapshot)
        .values_list(field)
        .annotate(e=Sum("employees_estimate"))
        .values_list(field, "e")
        .order_by()
    )
    keys = sorted(k for k in set(ess) | set(everything) if k)
    names = zone_labels([(child_level, key) for key in keys])
    rows = []
    for key in keys:
        n, e = ess.get(key, (0, 0))
        rows.append(
            {
                "code": key,
                "nom": names.get((child_level, key), key),
                "establishments": n,
                "employees_estimate": round(float(e or 0), 1),
                "ess_share_of_employment": share(float(e or 0), float(everything.get(key) or 0)),
            }
        )
    return sorted(rows, key=lambda row: row["nom"])


def territory_summary(level: str, code: str) -> dict | None:
    """The latest figures of a territory for its page (commune, EPCI…), or None when nothing is imported.

    Returns `stats(...)` plus `change` (against the previous snapshot, or None) and `top_sections` (the three
    sectors with the most estimated employees, as (label, establishments, employees)). Never raises for a known
    territory; None for an unknown one.
    """
    snapshot = latest_snapshot()
    if snapshot is None:
        return None
    try:
        summary = stats(level, code, snapshot)
    except StatsError:
        return None
    summary["change"] = change(level, code, snapshot, previous_snapshot(snapshot))
    labels = dict(NafSection.choices)
    ranked = sorted(summary["by_section"].items(), key=lambda item: -item[1]["employees_estimate"])
    summary["top_sections"] = [
        (labels[key], value["establishments"], value["employees_estimate"])
        for key, value in ranked[:3]
        if value["establishments"]
    ]
    summary["families"] = [
        (label, summary["by_family"][key]["establishments"], summary["by_family"][key]["employees_estimate"])
        for key, label in Family.choices
    ]
    return summary


# --- detection lists ---------------------------------------------------------------------------------------------


def new_establishments(
    snapshot: Snapshot, since: datetime.date, level: str, code: str, family: str = "", section: str = ""
) -> QuerySet[Establishment]:
    """ESS establishments of the territory created on or after `since`, newest first."""
    queryset = _in(snapshot, level, code).filter(creation_date__gte=since)
    if family:
        queryset = queryset.filter(family=family)
    if section:
        queryset = queryset.filter(section=section)
    return queryset.order_by("-creation_date", "siret")


def closures(snapshot: Snapshot, earlier: Snapshot | None, level: str, code: str) -> QuerySet[Establishment]:
    """Establishments of the earlier snapshot that are no longer active ESS establishments in this one."""
    if earlier is None:
        return Establishment.objects.none()
    still = Establishment.objects.filter(snapshot=snapshot).values("siret")
    return _in(earlier, level, code).exclude(siret__in=still).order_by("name", "siret")


@dataclass
class SizeDrop:
    establishment: Establishment
    previous_band: str

    @property
    def previous_band_label(self) -> str:
        return SizeBand(self.previous_band).label


def size_band_down(snapshot: Snapshot, earlier: Snapshot | None, level: str, code: str) -> list[SizeDrop]:
    """Establishments whose headcount band went down since the earlier snapshot (fragility, O3)."""
    if earlier is None:
        return []
    previous = Establishment.objects.filter(snapshot=earlier, siret=OuterRef("siret")).values("size_band")[:1]
    rows = (
        _in(snapshot, level, code)
        .annotate(previous_band=Subquery(previous))
        .exclude(previous_band=None)
        .exclude(previous_band=F("size_band"))
        .order_by("name", "siret")
    )
    return [
        SizeDrop(row, row.previous_band)
        for row in rows
        if BAND_RANK.get(row.size_band, 0) < BAND_RANK.get(row.previous_band, 0)
    ]


def consolidation_offers(commune_code: str, limit: int = 3):
    """Published consolidation offers of the directory covering the commune (narrowest first)."""
    from maille.core.enums import Stage
    from maille.directory.selectors import search_offers
    from maille.territories.selectors import get_commune

    commune = get_commune(commune_code)
    if commune is None:
        return []
    return list(search_offers(commune=commune, stage=Stage.CONSOLIDATION)[:limit])


def offers_by_commune(commune_codes) -> dict[str, list]:
    """`consolidation_offers` for each commune (one search per distinct commune)."""
    return {code: consolidation_offers(code) for code in sorted(set(commune_codes))}


def stuck_projects(user, days: int, level: str, code: str, now: datetime.datetime | None = None) -> list:
    """Projects the user may see, in the territory, created more than `days` days ago, with no accepted referral."""
    from maille.projects.enums import ProjectStatus
    from maille.projects.selectors import projects_visible_to, status_from_referral_statuses
    from maille.territories.selectors import commune_in_zone_q

    now = now or timezone.now()
    projects = (
        projects_visible_to(user)
        .filter(
            commune_in_zone_q(level, code, "commune__"), created_at__lte=now - datetime.timedelta(days=days)
        )
        .select_related("commune")
        .prefetch_related("referrals")
        .order_by("created_at", "pk")
    )
    out = []
    for project in projects:
        project.status = status_from_referral_statuses([r.status for r in project.referrals.all()])
        if project.status not in (ProjectStatus.SUPPORTED, ProjectStatus.CLOSED):
            out.append(project)
    return out


def establishment(snapshot: Snapshot, siret: str) -> Establishment | None:
    return Establishment.objects.filter(snapshot=snapshot, siret=siret).first()
