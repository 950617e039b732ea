"""A hand-checked Sirene fixture for région 52: every case of the perimeter rule, written in any input format.

Expected: 7 active ESS establishments, 12 active establishments in the region (ESS or not), 1 masked unit.
"""

import csv
import gzip
import shutil
import zipfile
from pathlib import Path

import duckdb

from maille.observatory.headers import ESTABLISHMENT_HEADER, LEGAL_UNIT_HEADER

# siren, diffusion, state, denomination, legal form, NAF, ESS flag — and why
UNITS = [
    ("100000001", "O", "A", "Association des Jardins de Laval", "9220", "88.99B", "O"),  # ESS: flag O
    ("100000002", "O", "A", "Association hors ESS", "9220", "88.99B", "N"),  # flag N wins
    ("100000003", "O", "A", "Aide à domicile du Layon", "9220", "88.10A", ""),  # empty flag + association
    ("100000004", "O", "A", "Syndicat patronal", "9220", "94.11Z", ""),  # excluded NAF (empty flag)
    ("100000005", "O", "A", "SAS classique", "5710", "47.11B", ""),  # not an ESS legal form
    ("100000006", "O", "A", "Épicerie solidaire SAS", "5710", "47.11B", "O"),  # société commerciale de l'ESS
    ("100000007", "P", "A", "[ND]", "9300", "88.99B", ""),  # masked foundation: counted, never named
    ("100000008", "O", "C", "Association dissoute", "9220", "88.99B", "O"),  # ceased unit
    ("100000009", "O", "A", "Association rennaise", "9220", "88.99B", "O"),  # another region
    ("100000010", "O", "A", "Amicale communale", "9220", "84.11Z", ""),  # excluded NAF 84.xx
    ("100000011", "O", "A", "Scop du Bocage", "5458", "43.22A", ""),  # SCOP
    ("100000012", "O", "A", "Mutuelle de l'Ouest", "8210", "65.12Z", ""),  # mutuelle
]

# siret, commune, state, band, creation, employer, x, y, enseigne
ESTABLISHMENTS = [
    ("10000000100011", "53130", "A", "12", "2010-03-01", "O", "419500", "6783700", ""),
    ("10000000100029", "49007", "A", "03", "2026-10-01", "O", "", "", "Jardins d'Angers"),
    ("10000000100037", "53130", "F", "01", "2001-01-01", "O", "", "", ""),  # closed
    ("10000000200018", "53130", "A", "01", "2015-01-01", "O", "", "", ""),
    ("10000000300015", "49040", "A", "02", "2019-05-01", "O", "", "", ""),  # delegated commune of 49126
    ("10000000400012", "44109", "A", "11", "1990-01-01", "O", "", "", ""),
    ("10000000500019", "44109", "A", "21", "2000-01-01", "O", "", "", ""),
    ("10000000600016", "49353", "A", "NN", "2026-09-15", "N", "", "", ""),
    ("10000000700013", "85191", "A", "01", "2012-01-01", "O", "[ND]", "[ND]", ""),
    ("10000000800010", "72181", "A", "01", "2005-01-01", "O", "", "", ""),
    ("10000000900017", "35238", "A", "12", "2011-01-01", "O", "", "", ""),  # Rennes: outside the region
    ("10000001000014", "53130", "A", "01", "2003-01-01", "O", "", "", ""),
    ("10000001100011", "49007", "A", "11", "2008-01-01", "O", "432000", "6720000", ""),
    ("10000001200018", "44109", "A", "22", "1970-01-01", "O", "", "", ""),
]

EXPECTED_ESS = {
    "10000000100011",
    "10000000100029",
    "10000000300015",
    "10000000600016",
    "10000000700013",
    "10000001100011",
    "10000001200018",
}
EXPECTED_REGION_ACTIVE = 12  # 14 rows − 1 closed − 1 in Rennes


def unit_rows():
    for siren, diffusion, state, name, cj, naf, flag in UNITS:
        row = dict.fromkeys(LEGAL_UNIT_HEADER, "")
        row.update(
            siren=siren,
            statutDiffusionUniteLegale=diffusion,
            etatAdministratifUniteLegale=state,
            denominationUniteLegale=name,
            categorieJuridiqueUniteLegale=cj,
            activitePrincipaleUniteLegale=naf,
            economieSocialeSolidaireUniteLegale=flag,
            nomenclatureActivitePrincipaleUniteLegale="NAFRev2",
        )
        yield [row[name] for name in LEGAL_UNIT_HEADER]


def establishment_rows():
    for siret, commune, state, band, created, employer, x, y, enseigne in ESTABLISHMENTS:
        row = dict.fromkeys(ESTABLISHMENT_HEADER, "")
        unit = next(u for u in UNITS if u[0] == siret[:9])
        row.update(
            siren=siret[:9],
            nic=siret[9:],
            siret=siret,
            statutDiffusionEtablissement=unit[1],
            dateCreationEtablissement=created,
            trancheEffectifsEtablissement=band,
            codeCommuneEtablissement=commune,
            etatAdministratifEtablissement=state,
            activitePrincipaleEtablissement=unit[5],
            caractereEmployeurEtablissement=employer,
            coordonneeLambertAbscisseEtablissement=x,
            coordonneeLambertOrdonneeEtablissement=y,
            enseigne1Etablissement=enseigne,
        )
        yield [row[name] for name in ESTABLISHMENT_HEADER]


def _write_csv(path: Path, header, rows, delimiter=",", encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def write_stock(folder: Path, fmt: str = "csv") -> tuple[Path, Path]:
    """Both files of the fixture in `fmt` (csv, csv.gz, zip, parquet): (legal units, establishments)."""
    folder.mkdir(parents=True, exist_ok=True)
    units = folder / "StockUniteLegale_utf8.csv"
    places = folder / "StockEtablissement_utf8.csv"
    _write_csv(units, LEGAL_UNIT_HEADER, unit_rows())
    _write_csv(places, ESTABLISHMENT_HEADER, establishment_rows())
    if fmt == "csv":
        return units, places
    out = []
    for path in (units, places):
        if fmt == "csv.gz":
            target = path.with_suffix(".csv.gz")
            with path.open("rb") as source, gzip.open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
        elif fmt == "zip":
            target = path.with_suffix(".zip")
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(path, path.name)
        else:
            target = path.with_suffix(".parquet")
            duckdb.execute(
                f"COPY (SELECT * FROM read_csv('{path}', header=true, all_varchar=true)) TO '{target}' "
                "(FORMAT parquet)"
            )
        path.unlink()
        out.append(target)
    return out[0], out[1]
