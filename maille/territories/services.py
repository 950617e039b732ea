"""Loading the reference geography from the committed files under data/ (idempotent, all-or-nothing)."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import models, transaction

from maille.core.db import analyze
from maille.core.text import normalize

from .enums import ZoneLevel
from .models import Commune, CommuneAlias, Contour, Departement, Epci, PostalCode, Region

TERRITORIES_DIR = settings.BASE_DIR / "data" / "territories"
CONTOURS_DIR = settings.BASE_DIR / "data" / "contours"


class ProgressBar(Protocol):
    def update(self, n: int) -> object: ...
    def close(self) -> object: ...


class ReferenceDataError(Exception):
    """A reference file is missing or malformed: nothing was changed."""


@dataclass
class SyncSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())


def _read(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"Fichier de référence absent : {path}") from exc
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(f"Fichier de référence illisible ({path}) : {exc}") from exc
    if not isinstance(data, list):
        raise ReferenceDataError(f"Fichier de référence inattendu ({path}) : une liste était attendue.")
    return data


def _sync_by_pk(
    model: type[models.Model], objects: list[models.Model], fields: list[str], summary, label, tick
):
    """Create missing rows, update changed ones, delete those gone from the file."""
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for obj in objects:
        current = existing.pop(obj.pk, None)
        if current is None:
            to_create.append(obj)
        elif any(getattr(current, f) != getattr(obj, f) for f in fields):
            to_update.append(obj)
        tick()
    model.objects.bulk_create(to_create, batch_size=2000)
    model.objects.bulk_update(to_update, fields, batch_size=2000)
    if existing:
        model.objects.filter(pk__in=list(existing)).delete()
    summary.created[label] = len(to_create)
    summary.updated[label] = len(to_update)
    summary.deleted[label] = len(existing)


def _sync_by_key(model, wanted: set[tuple], key_fields: tuple[str, str], build, summary, label):
    """Rows without a natural primary key (postal codes, aliases): keyed by two fields."""
    existing = {tuple(row[1:]): row[0] for row in model.objects.values_list("pk", *key_fields)}
    missing = [build(key) for key in wanted - existing.keys()]
    stale = [pk for key, pk in existing.items() if key not in wanted]
    model.objects.bulk_create(missing, batch_size=2000)
    if stale:
        model.objects.filter(pk__in=stale).delete()
    summary.created[label] = len(missing)
    summary.updated[label] = 0
    summary.deleted[label] = len(stale)


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


@transaction.atomic
def load_reference_data(
    territories_dir: Path = TERRITORIES_DIR,
    contours_dir: Path = CONTOURS_DIR,
    progress: Callable[[str, int], "ProgressBar"] | None = None,
) -> SyncSummary:
    """Bring the geography tables in line with the files. Running it twice changes nothing the second time.

    One transaction: a malformed file anywhere leaves the previous data as it was.
    """
    try:
        return _load(territories_dir, contours_dir, progress)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(
            f"Fichier de territoires malformé : champ {exc} manquant ou invalide."
        ) from exc


def _load(
    territories_dir: Path = TERRITORIES_DIR,
    contours_dir: Path = CONTOURS_DIR,
    progress: Callable[[str, int], "ProgressBar"] | None = None,
) -> SyncSummary:
    regions = _read(territories_dir / "regions.json")
    departements = _read(territories_dir / "departements.json")
    epcis = _read(territories_dir / "epci.json")
    commune_rows = _read(territories_dir / "communes.json")
    aliases = _read(territories_dir / "aliases.json")
    summary = SyncSummary()
    total = len(regions) + len(departements) + len(epcis) + len(commune_rows)
    bar = progress("Territoires", total) if progress else None

    def tick():
        if bar is not None:
            bar.update(1)

    try:
        _sync_by_pk(
            Region,
            [Region(code=r["code"], name=r["nom"]) for r in regions],
            ["name"],
            summary,
            "régions",
            tick,
        )
        _sync_by_pk(
            Departement,
            [Departement(code=d["code"], name=d["nom"], region_id=d["region"]) for d in departements],
            ["name", "region_id"],
            summary,
            "départements",
            tick,
        )
        _sync_by_pk(
            Epci,
            [
                Epci(
                    code=e["code"],
                    name=e["nom"],
                    kind=e["type"],
                    population=_int_or_none(e.get("population")),
                )
                for e in epcis
            ],
            ["name", "kind", "population"],
            summary,
            "EPCI",
            tick,
        )
        _sync_by_pk(
            Commune,
            [
                Commune(
                    code=c["code"],
                    name=c["nom"],
                    search_name=normalize(c["nom"]),
                    departement_id=c["departement"],
                    region_id=c["region"],
                    epci_id=c.get("epci") or None,
                    population=_int_or_none(c.get("population")),
                )
                for c in commune_rows
            ],
            ["name", "search_name", "departement_id", "region_id", "epci_id", "population"],
            summary,
            "communes",
            tick,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(
            f"Fichier de territoires malformé : champ {exc} manquant ou invalide."
        ) from exc
    finally:
        if bar is not None:
            bar.close()

    current_codes = {c["code"] for c in commune_rows}
    postal = {(cp, c["code"]) for c in commune_rows for cp in c.get("codes_postaux", [])}
    _sync_by_key(
        PostalCode,
        postal,
        ("code", "commune_id"),
        lambda key: PostalCode(code=key[0], commune_id=key[1]),
        summary,
        "codes postaux",
    )
    alias_rows = {(a["code"], a["type"]): a for a in aliases if a.get("parent") in current_codes}
    # An alias's name or parent may change between editions: rebuild the changed ones.
    existing_aliases = {(a.code, a.kind): a for a in CommuneAlias.objects.all()}
    changed = [
        a.pk
        for key, a in existing_aliases.items()
        if key in alias_rows and (a.name, a.commune_id) != (alias_rows[key]["nom"], alias_rows[key]["parent"])
    ]
    if changed:
        CommuneAlias.objects.filter(pk__in=changed).delete()
    _sync_by_key(
        CommuneAlias,
        set(alias_rows),
        ("code", "kind"),
        lambda key: CommuneAlias(
            code=key[0], kind=key[1], name=alias_rows[key]["nom"], commune_id=alias_rows[key]["parent"]
        ),
        summary,
        "anciennes communes",
    )
    summary.updated["anciennes communes"] = len(changed)
    _load_contours(contours_dir, summary)
    if summary.changed:
        analyze(Region, Departement, Epci, Commune, PostalCode, CommuneAlias, Contour)
    return summary


def _load_contours(contours_dir: Path, summary: SyncSummary) -> None:
    region = settings.MAILLE_REGION_CODE
    wanted: dict[tuple[str, str], dict] = {}
    for level, stem in (
        (ZoneLevel.COMMUNE, "communes"),
        (ZoneLevel.EPCI, "epci"),
        (ZoneLevel.DEPARTEMENT, "departements"),
    ):
        path = contours_dir / f"{stem}-{region}.geojson"
        if not path.exists():
            continue
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
            for feature in collection["features"]:
                wanted[(level, feature["properties"]["code"])] = feature["geometry"]
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ReferenceDataError(f"Fichier de contours malformé ({path}) : {exc}") from exc
    existing = {(c.level, c.code): c for c in Contour.objects.all()}
    to_create = [Contour(level=k[0], code=k[1], geometry=g) for k, g in wanted.items() if k not in existing]
    to_update = []
    for key, contour in existing.items():
        if key in wanted and contour.geometry != wanted[key]:
            contour.geometry = wanted[key]
            to_update.append(contour)
    stale = [c.pk for key, c in existing.items() if key not in wanted]
    Contour.objects.bulk_create(to_create, batch_size=500)
    Contour.objects.bulk_update(to_update, ["geometry"], batch_size=500)
    if stale:
        Contour.objects.filter(pk__in=stale).delete()
    summary.created["contours"] = len(to_create)
    summary.updated["contours"] = len(to_update)
    summary.deleted["contours"] = len(stale)
