"""Demo actions of the strategy: the 20 real actions are not public, so `load_demo` adds a few visibly fictional ones
(« (fictive) » in the title, `is_demo`), two manual indicators with demo measurements, and two committee meetings
with their decisions (one overdue). DEMO-4 is piloted with the demo advisor's and the demo pilot's organisations, so
that the demo advisor has an action to update from « Mon espace ».

Idempotent: actions are keyed by code, measurements by date and territory, the meeting by date and kind.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from maille.directory.models import Organisation
from maille.territories.enums import ZoneLevel

from .enums import ActionStatus, DecisionStatus, Direction, IndicatorSource, MeetingKind, ProgressSource
from .models import Action, ActionObjective, CommitteeMeeting, Decision, Indicator, Measurement, Objective
from .selectors import current_strategy
from .services import load_strategy

DEMO_NOTE = "Donnée de démonstration (fictive)"

ACTIONS = [
    {
        "code": "DEMO-1",
        "title": "Parcours d'accompagnement à la création d'entreprises de l'ESS (fictive)",
        "objectives": ["O1"],
        "status": ActionStatus.STARTED,
        "weight": "2",
        "pilots": ["cress-pdl"],
        "partners": ["region-pdl"],
    },
    {
        "code": "DEMO-2",
        "title": "Appui au changement d'échelle des entreprises de l'ESS (fictive)",
        "objectives": ["O2"],
        "status": ActionStatus.WELL_UNDER_WAY,
        "weight": "1",
        "pilots": ["region-pdl"],
        "partners": ["banque-des-territoires"],
    },
    {
        "code": "DEMO-3",
        "title": "Veille et appui aux structures de l'ESS fragilisées (fictive)",
        "objectives": ["O3"],
        "status": ActionStatus.STARTED,
        "progress_source": ProgressSource.INDICATORS,
        "weight": "1",
        "pilots": ["banque-des-territoires"],
        "partners": ["cress-pdl"],
    },
    {
        "code": "DEMO-4",
        "title": "Cartographie partagée des compétences des réseaux d'accompagnement (fictive)",
        "objectives": ["O6", "O7"],
        "status": ActionStatus.STARTED,
        "weight": "1.5",
        # The demo advisor's and the demo pilot's organisations pilot it: the demo advisor has an action to update.
        "pilots": ["cress-pdl", "demo-reseau-accompagnement", "demo-comite-pilotage"],
        "partners": [],
        "budget_planned": "45000",
        "budget_spent": "12500",
    },
    {
        "code": "DEMO-5",
        "title": "Trophées régionaux des réussites de l'ESS (fictive)",
        "objectives": ["O9"],
        "status": ActionStatus.DONE,
        "weight": "1",
        "pilots": ["region-pdl"],
        "partners": ["cress-pdl"],
    },
    {
        "code": "DEMO-6",
        "title": "Conventions de partenariat ESS avec les EPCI de Maine-et-Loire (fictive)",
        "objectives": ["O13"],
        "status": ActionStatus.NOT_STARTED,
        "progress_override": 10,
        "progress_justification": "Deux conventions en préparation sur dix prévues (fictif).",
        "weight": "1",
        "zone": (ZoneLevel.DEPARTEMENT, "49"),
        "pilots": ["region-pdl"],
        "partners": [],
    },
    {
        "code": "DEMO-7",
        "title": "Formation des animateurs et animatrices de tiers-lieux (fictive)",
        "objectives": ["O14"],
        "status": ActionStatus.STARTED,
        "weight": "1",
        "pilots": ["drajes-pdl"],
        "partners": ["cress-pdl"],
    },
]

INDICATORS = [
    {
        "name": "Structures de l'ESS accompagnées en consolidation (démo)",
        "unit": "structures",
        "objective": "O3",
        "actions": ["DEMO-3"],
        "baseline": ("40", date(2022, 1, 1)),
        "target": ("120", date(2028, 12, 31)),
        "direction": Direction.UP,
        "measurements": [(date(2023, 12, 31), "55"), (date(2024, 12, 31), "70"), (date(2025, 12, 31), "88")],
        "breakdown": (date(2025, 12, 31), {"44": "30", "49": "22", "53": "10", "72": "12", "85": "14"}),
    },
    {
        "name": "Délai médian de première réponse à un porteur de projet (démo)",
        "unit": "jours",
        "objective": "O1",
        "actions": ["DEMO-3"],
        "baseline": ("21", date(2022, 1, 1)),
        "target": ("9", date(2028, 12, 31)),
        "direction": Direction.DOWN,
        "measurements": [(date(2024, 6, 30), "18"), (date(2025, 6, 30), "14"), (date(2025, 12, 31), "12")],
    },
]


def _organisations(slugs: list[str], by_slug: dict[str, Organisation]) -> list[Organisation]:
    return [by_slug[slug] for slug in slugs if slug in by_slug]


@transaction.atomic
def load() -> dict[str, int]:
    strategy = current_strategy()
    if strategy is None:
        load_strategy()
        strategy = current_strategy()
    created = {"actions de démo": 0, "indicateurs de démo": 0, "mesures de démo": 0, "réunions de démo": 0}
    objectives = {o.code: o for o in Objective.objects.filter(sub_axis__axis__strategy=strategy)}
    by_slug = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=[
                "cress-pdl",
                "region-pdl",
                "banque-des-territoires",
                "drajes-pdl",
                "demo-reseau-accompagnement",
                "demo-comite-pilotage",
            ]
        )
    }
    actions = {}
    for item in ACTIONS:
        level, code = item.get("zone", (ZoneLevel.REGION, strategy.region_code))
        action, new = Action.objects.update_or_create(
            strategy=strategy,
            code=item["code"],
            defaults={
                "title": item["title"],
                "description": "Action fictive, pour la démonstration : les actions réelles sont saisies par les pilotes.",
                "status": item["status"],
                "progress_override": item.get("progress_override"),
                "progress_justification": item.get("progress_justification", ""),
                "progress_source": item.get("progress_source", ProgressSource.STATUS),
                "budget_planned": Decimal(item["budget_planned"]) if "budget_planned" in item else None,
                "budget_spent": Decimal(item["budget_spent"]) if "budget_spent" in item else None,
                "zone_level": level,
                "zone_code": code,
                "start_date": date(2023, 1, 1),
                "end_date": date(2028, 12, 31),
                "is_demo": True,
            },
        )
        created["actions de démo"] += new
        weight = Decimal(item["weight"])
        ActionObjective.objects.filter(action=action).exclude(objective__code__in=item["objectives"]).delete()
        for objective_code in item["objectives"]:
            ActionObjective.objects.update_or_create(
                action=action, objective=objectives[objective_code], defaults={"weight": weight}
            )
        action.pilots.set(_organisations(item["pilots"], by_slug))
        action.partners.set(_organisations(item["partners"], by_slug))
        actions[item["code"]] = action

    for item in INDICATORS:
        indicator, new = Indicator.objects.update_or_create(
            strategy=strategy,
            name=item["name"],
            defaults={
                "unit": item["unit"],
                "objective": objectives[item["objective"]],
                "baseline_value": Decimal(item["baseline"][0]),
                "baseline_date": item["baseline"][1],
                "target_value": Decimal(item["target"][0]),
                "target_date": item["target"][1],
                "direction": item["direction"],
                "source": IndicatorSource.MANUAL,
                "is_demo": True,
            },
        )
        created["indicateurs de démo"] += new
        indicator.actions.set([actions[c] for c in item["actions"]])
        rows = [("", "", day, value) for day, value in item["measurements"]]
        if "breakdown" in item:
            day, values = item["breakdown"]
            rows += [(ZoneLevel.DEPARTEMENT, dep, day, value) for dep, value in values.items()]
        for level, code, day, value in rows:
            _, new = Measurement.objects.get_or_create(
                indicator=indicator,
                date=day,
                zone_level=level,
                zone_code=code,
                defaults={"value": Decimal(value), "source_note": DEMO_NOTE},
            )
            created["mesures de démo"] += new

    meeting, new = CommitteeMeeting.objects.get_or_create(
        strategy=strategy,
        date=date(2025, 3, 14),
        kind=MeetingKind.COPIL,
        defaults={
            "agenda": "1. Avancement des actions\n2. Conventions avec les EPCI\n(réunion fictive)",
            "minutes": "Réunion fictive, pour la démonstration.",
            "is_demo": True,
        },
    )
    created["réunions de démo"] += new
    cotech, new_cotech = CommitteeMeeting.objects.get_or_create(
        strategy=strategy,
        date=date(2025, 11, 20),
        kind=MeetingKind.COTECH,
        defaults={
            "agenda": "1. Cartographie des compétences\n2. Indicateurs de l'objectif O3\n(réunion fictive)",
            "minutes": "Réunion fictive, pour la démonstration.",
            "is_demo": True,
        },
    )
    created["réunions de démo"] += new_cotech
    if new_cotech:
        cotech.organisations_present.set(
            [o for slug, o in by_slug.items() if slug in ("cress-pdl", "demo-reseau-accompagnement")]
        )
        later = Decision.objects.create(
            meeting=cotech,
            text="Mettre à jour la cartographie des compétences avec les réseaux d'accompagnement (décision fictive).",
            owner_organisation=by_slug.get("demo-reseau-accompagnement"),
            owner_text="" if "demo-reseau-accompagnement" in by_slug else "Réseau d'accompagnement (démo)",
            due_date=date(2028, 6, 30),
            status=DecisionStatus.OPEN,
        )
        later.actions.set([actions["DEMO-4"]])
    if new:
        meeting.organisations_present.set([o for slug, o in by_slug.items() if not slug.startswith("demo-")])
        decision = Decision.objects.create(
            meeting=meeting,
            text="Proposer aux EPCI de Maine-et-Loire une convention type (décision fictive).",
            owner_organisation=by_slug.get("region-pdl"),
            owner_text="" if "region-pdl" in by_slug else "Région Pays de la Loire",
            due_date=date(2025, 9, 30),
            status=DecisionStatus.OPEN,
        )
        decision.actions.set([actions["DEMO-6"]])
    return created
