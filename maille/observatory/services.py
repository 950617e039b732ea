"""Changing the observatory's data: importing a Sirene stock as one snapshot (all or nothing, idempotent)."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from pyproj import Transformer

from maille.core.audit import record

from . import sirene
from .enums import section_of
from .models import CommuneTotal, Establishment, Snapshot
from .rules import current_rule

# Lambert-93 (EPSG:2154, the register's coordinates) → WGS 84 (EPSG:4326), longitude first.
_TO_WGS84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


class RegionError(sirene.SireneFileError):
    """Any reason an import cannot run (bad region, bad file): French message, nothing written."""


@dataclass
class ImportResult:
    snapshot: Snapshot | None
    created: bool
    ess_establishments: int
    region_establishments: int
    masked_units: int
    dry_run: bool = False

    def summary(self) -> str:
        if not self.created and self.snapshot is not None and not self.dry_run:
            return _(
                "Ces fichiers sont déjà importés (instantané du %(date)s, n° %(id)d) : aucun nouvel instantané."
            ) % {"date": self.snapshot.stock_date.isoformat(), "id": self.snapshot.pk}
        text = _(
            "%(ess)d établissements actifs de l'ESS sur %(all)d établissements actifs de la région ; "
            "%(masked)d unités légales à diffusion partielle (noms non affichés)."
        ) % {"ess": self.ess_establishments, "all": self.region_establishments, "masked": self.masked_units}
        if self.dry_run:
            return text + " " + _("Simulation (--dry-run) : rien n'a été enregistré.")
        return (
            text
            + " "
            + _("Instantané n° %(id)d du %(date)s enregistré.")
            % {
                "id": self.snapshot.pk,
                "date": self.snapshot.stock_date.isoformat(),
            }
        )


def region_geography(region_code: str) -> list[tuple[str, str, str, str]]:
    """(register code, current commune, EPCI, département) for the region's communes and their former codes."""
    from maille.territories.models import Commune, CommuneAlias

    communes = {
        code: (code, epci or "", departement)
        for code, epci, departement in Commune.objects.filter(region_id=region_code).values_list(
            "code", "epci_id", "departement_id"
        )
    }
    rows = [(code, *place) for code, place in communes.items()]
    aliases = CommuneAlias.objects.filter(commune_id__in=communes).values_list("code", "commune_id")
    seen = set(communes)
    for code, commune in aliases:
        if code not in seen:
            seen.add(code)
            rows.append((code, *communes[commune]))
    return sorted(rows)


def _positions(rows: list[tuple]) -> list[tuple[float | None, float | None]]:
    """(latitude, longitude) in WGS 84 for each row's Lambert-93 (x, y); None when absent."""
    xi, yi = sirene.ESS_FIELDS.index("x"), sirene.ESS_FIELDS.index("y")
    known = [i for i, row in enumerate(rows) if row[xi] is not None and row[yi] is not None]
    out: list[tuple[float | None, float | None]] = [(None, None)] * len(rows)
    if known:
        lon, lat = _TO_WGS84.transform([rows[i][xi] for i in known], [rows[i][yi] for i in known])
        for index, longitude, latitude in zip(known, lon, lat, strict=True):
            out[index] = (round(latitude, 6), round(longitude, 6))
    return out


def _establishments(snapshot: Snapshot, rows: list[tuple]) -> list[Establishment]:
    positions = _positions(rows)
    objects = []
    for row, (latitude, longitude) in zip(rows, positions, strict=True):
        data = dict(zip(sirene.ESS_FIELDS, row, strict=True))
        objects.append(
            Establishment(
                snapshot=snapshot,
                siret=data["siret"],
                siren=data["siren"],
                name=(data["name"] or "")[:255],
                legal_form=(data["legal_form"] or "")[:4],
                family=data["family"],
                naf=(data["naf"] or "")[:6],
                section=section_of(data["naf"] or ""),
                commune_code=data["commune"],
                epci_code=data["epci"] or "",
                departement_code=data["departement"],
                size_band=data["band"][:2],
                employees_estimate=data["employees"],
                creation_date=data["creation_date"],
                is_employer=data["employer"],
                latitude=latitude,
                longitude=longitude,
            )
        )
    return objects


def import_sirene(
    legal_units: str | Path,
    establishments: str | Path,
    region_code: str,
    stock_date: date,
    dry_run: bool = False,
    progress=None,
    is_demo: bool = False,
    threads: int | None = None,
) -> ImportResult:
    """Import one Sirene stock for a region: one snapshot in one transaction; the same files again add nothing.

    Raise `SireneFileError` (French message naming the file and the problem) with nothing written.
    """
    legal_units, establishments = Path(legal_units), Path(establishments)
    for path in (legal_units, establishments):
        sirene.check_path(path)  # both files before anything else is read, the database included
    geography = region_geography(region_code)
    if not geography:
        raise RegionError(
            _(
                "Aucune commune connue pour la région « %(code)s » : vérifiez le code, ou chargez d'abord la "
                "géographie (manage.py load_reference)."
            )
            % {"code": region_code}
        )
    rule = current_rule()
    extract = sirene.extract(legal_units, establishments, geography, rule, threads=threads)
    existing = Snapshot.objects.filter(
        region_code=region_code,
        rule_version=rule.version,
        legal_units_checksum=extract.checksums[0],
        establishments_checksum=extract.checksums[1],
    ).first()
    result = ImportResult(
        existing, False, len(extract.ess_rows), extract.region_establishments, extract.masked_units, dry_run
    )
    if existing is not None or dry_run:
        return result
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            stock_date=stock_date,
            region_code=region_code,
            rule_version=rule.version,
            legal_units_file=legal_units.name[:255],
            legal_units_checksum=extract.checksums[0],
            establishments_file=establishments.name[:255],
            establishments_checksum=extract.checksums[1],
            region_establishments=extract.region_establishments,
            ess_establishments=len(extract.ess_rows),
            masked_units=extract.masked_units,
            is_demo=is_demo,
        )
        bar = progress(_("Enregistrement"), len(extract.ess_rows) + len(extract.totals)) if progress else None
        for batch in sirene.batches(extract.ess_rows):
            Establishment.objects.bulk_create(_establishments(snapshot, batch))
            if bar:
                bar.update(len(batch))
        CommuneTotal.objects.bulk_create(
            [
                CommuneTotal(
                    snapshot=snapshot,
                    commune_code=commune,
                    epci_code=epci,
                    departement_code=departement,
                    establishments=count,
                    employees_estimate=float(employees or 0),
                )
                for commune, epci, departement, count, employees in extract.totals
            ],
            batch_size=2000,
        )
        if bar:
            bar.update(len(extract.totals))
            bar.close()
        record(None, "observatory.import", snapshot, ess=snapshot.ess_establishments, demo=is_demo)
    result.snapshot, result.created = snapshot, True
    return result
