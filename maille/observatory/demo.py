"""Demo data of the observatory: a generated regional extract of the register, imported as two snapshots (six months
apart: creations, closures and size bands going down between them), marked « données de démonstration ».

It also adds the strategy's computed indicators that read the register or what the platform records (O1–O8, O10,
O11; the showcase adds O9, O12–O14), labelled « (démo) », so that each of these objectives shows a computed figure.

Idempotent: nothing is generated when the demo snapshots exist; an indicator is keyed by its name. The size (`DEMO_ESTABLISHMENTS`) keeps `make db`
short (README); the setting or environment variable `MAILLE_DEMO_SIRENE_ESTABLISHMENTS` changes it (the tests use a
small one).
"""

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings

from .generator import generate
from .models import Snapshot
from .services import import_sirene

DEMO_DATES = (date(2026, 5, 31), date(2026, 11, 30))
DEMO_ESTABLISHMENTS = 800_000  # a regional extract: ≈ 14,500 active ESS establishments, as published for 2022
DEMO_SEED = 52


def load(progress=None) -> dict[str, int]:
    region = settings.MAILLE_REGION_CODE
    size = int(
        os.environ.get("MAILLE_DEMO_SIRENE_ESTABLISHMENTS")
        or getattr(settings, "MAILLE_DEMO_SIRENE_ESTABLISHMENTS", DEMO_ESTABLISHMENTS)
    )
    created = 0
    for stock_date in DEMO_DATES:
        if Snapshot.objects.filter(region_code=region, stock_date=stock_date, is_demo=True).exists():
            continue
        folder = Path(tempfile.mkdtemp(prefix="maille-demo-sirene-"))
        try:
            units, places = generate(
                size, folder, seed=DEMO_SEED, as_of=stock_date, region=region, region_share=1.0, fmt="parquet"
            )
            result = import_sirene(units, places, region, stock_date, progress=progress, is_demo=True)
            created += result.ess_establishments if result.created else 0
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return {
        "établissements de l'ESS (démo, répertoire généré)": created,
        "indicateurs calculés (démo)": _computed_indicators(),
    }


# name, computation, objective, unit: one or two computed indicators for each objective outside the showcase's.
COMPUTED_INDICATORS = [
    ("Établissements de l'ESS créés (démo)", "ess_establishments_created", "O1", "établissements"),
    ("Mises en relation acceptées (démo)", "referrals_accepted", "O1", "mises en relation"),
    ("Emploi de l'ESS, salariés estimés (démo)", "ess_employment", "O2", "salariés"),
    ("Part de l'ESS dans l'emploi (démo)", "ess_share_of_employment", "O2", "%"),
    ("Structures en consolidation accompagnées (démo)", "consolidations_supported", "O3", "projets"),
    (
        "Structures fragilisées touchées par un accompagnement de consolidation (démo)",
        "fragile_structures_reached",
        "O3",
        "établissements",
    ),
    (
        "Projets d'innovation sociale orientés et accompagnés (démo)",
        "social_innovation_projects_supported",
        "O4",
        "projets",
    ),
    (
        "Établissements de l'ESS créés, émergence des projets (démo)",
        "ess_establishments_created",
        "O5",
        "établissements",
    ),
    ("Projets collectifs orientés (démo)", "collective_projects", "O5", "projets"),
    (
        "Compétences de conseillers et conseillères recensées (démo)",
        "advisor_competences",
        "O6",
        "compétences",
    ),
    (
        "Besoins propres à l'ESS pris en charge par les réseaux de l'ESS (démo)",
        "ess_needs_answered_by_ess_networks",
        "O7",
        "%",
    ),
    ("Emploi des associations, salariés estimés (démo)", "association_employment", "O8", "salariés"),
    ("Associations employeuses accompagnées (démo)", "employer_associations_supported", "O8", "associations"),
    (
        "Part des mises en relation ayant reçu une réponse en 9 jours (démo)",
        "referrals_answered_in_time",
        "O10",
        "%",
    ),
    ("Projets financés par au moins deux financeurs (démo)", "projects_multi_funded", "O10", "projets"),
    ("Comités de pilotage et techniques tenus (démo)", "committees_held", "O11", "comités"),
    ("Décisions des comités réalisées à l'échéance (démo)", "decisions_carried_out_on_time", "O11", "%"),
]


def _computed_indicators() -> int:
    from maille.strategy import services as strategy_services

    return strategy_services.ensure_computed_indicators(COMPUTED_INDICATORS, demo=True)
