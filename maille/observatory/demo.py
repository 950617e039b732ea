"""Demo data of the observatory: a generated regional extract of the register, imported as two snapshots (six months
apart: creations, closures and size bands going down between them), marked « données de démonstration ».

Idempotent: nothing is generated when the demo snapshots exist. The size (`DEMO_ESTABLISHMENTS`) keeps `make db`
short (README); set `MAILLE_DEMO_SIRENE_ESTABLISHMENTS` to change it.
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
    size = int(os.environ.get("MAILLE_DEMO_SIRENE_ESTABLISHMENTS", DEMO_ESTABLISHMENTS))
    created = 0
    for stock_date in DEMO_DATES:
        if Snapshot.objects.filter(region_code=region, stock_date=stock_date, is_demo=True).exists():
            continue
        folder = Path(tempfile.mkdtemp(prefix="maille-demo-sirene-"))
        try:
            units, places = generate(
                size, folder, seed=DEMO_SEED, as_of=stock_date, region=region, region_share=1.0
            )
            result = import_sirene(units, places, region, stock_date, progress=progress, is_demo=True)
            created += result.ess_establishments if result.created else 0
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return {"établissements de l'ESS (démo, répertoire généré)": created}
