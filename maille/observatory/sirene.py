"""Reading the Sirene stock files with DuckDB: format checks (French messages naming the file and the problem), the
region filter, the join on `siren`, the ESS perimeter rule, and the regional totals — streamed, never loaded whole.

Accepted inputs: `.csv`, `.csv.gz`, `.zip` (one CSV inside, extracted to a temporary folder) and `.parquet`.
Columns are mapped by name; extra columns are ignored.
"""

import csv
import gzip
import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.utils.translation import gettext as _

from .rules import PerimeterRule, band_employees_sql

LEGAL_UNIT_COLUMNS = (
    "siren",
    "statutDiffusionUniteLegale",
    "etatAdministratifUniteLegale",
    "denominationUniteLegale",
    "sigleUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "economieSocialeSolidaireUniteLegale",
)
ESTABLISHMENT_COLUMNS = (
    "siren",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "codeCommuneEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
)
MASKED = "[ND]"


class SireneFileError(Exception):
    """A file that cannot be imported: the French message names the file and the problem."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def file_error(path: Path, problem: str) -> SireneFileError:
    return SireneFileError(_("Fichier « %(file)s » : %(problem)s") % {"file": path, "problem": problem})


def kind_of(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".csv.gz", ".csv", ".zip", ".parquet"):
        if name.endswith(suffix):
            return suffix.lstrip(".")
    return ""


def check_path(path: Path) -> str:
    """The kind of the file (csv, csv.gz, zip, parquet), or a SireneFileError."""
    if not path.exists():
        raise file_error(path, _("il n'existe pas."))
    if path.is_dir():
        raise file_error(path, _("c'est un dossier, pas un fichier."))
    kind = kind_of(path)
    if not kind:
        raise file_error(path, _("extension non prise en charge : .csv, .csv.gz, .zip ou .parquet."))
    if path.stat().st_size == 0:
        raise file_error(path, _("le fichier est vide."))
    return kind


def checksum(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _first_line(path: Path, kind: str) -> str:
    opener = gzip.open if kind == "csv.gz" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.readline(1 << 20)
    except (OSError, EOFError) as exc:
        raise file_error(
            path, _("fichier tronqué ou compressé de façon illisible (%(error)s).") % {"error": exc}
        ) from None
    try:
        return raw.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise file_error(
            path, _("il n'est pas encodé en UTF-8 (l'encodage attendu des fichiers Sirene).")
        ) from None


def _check_header(path: Path, columns: list[str], required: tuple[str, ...], first_line: str = "") -> None:
    missing = [name for name in required if name not in columns]
    if not missing:
        return
    if first_line and ";" in first_line and "," not in first_line:
        raise file_error(
            path, _("le séparateur est « ; » : les fichiers Sirene sont séparés par des virgules.")
        )
    if first_line and "\t" in first_line and "," not in first_line:
        raise file_error(
            path, _("le séparateur est une tabulation : les fichiers Sirene sont séparés par des virgules.")
        )
    raise file_error(
        path,
        _("colonnes manquantes : %(columns)s (est-ce bien le bon fichier ?).")
        % {"columns": ", ".join(missing)},
    )


def explain(exc: Exception) -> str:
    """A French reason for a DuckDB error while scanning a file."""
    text = str(exc).lower()
    if "magic bytes" in text or "parquet" in text:
        return _("fichier Parquet tronqué ou illisible.")
    if "gzip" in text or "zlib" in text:
        return _("fichier compressé tronqué ou illisible.")
    if "invalid unicode" in text or "not utf-8 encoded" in text:
        return _("il n'est pas encodé en UTF-8 (l'encodage attendu des fichiers Sirene).")
    if any(
        word in text
        for word in ("sniffing", "number of columns", "maximum line size", "unterminated", "quote")
    ):
        return _("fichier tronqué ou mal formé : une ligne n'a pas le nombre de colonnes de l'en-tête.")
    return _("lecture impossible (%(error)s).") % {"error": str(exc).splitlines()[0][:200]}


@dataclass
class Source:
    """One input file, ready for DuckDB (a zip's CSV extracted to `workdir`)."""

    path: Path  # as given
    kind: str
    readable: Path  # the file DuckDB reads

    def sql(self) -> str:
        location = str(self.readable).replace("'", "''")
        if self.kind == "parquet":
            return f"read_parquet('{location}')"
        return (
            f"read_csv('{location}', header=true, delim=',', quote='\"', escape='\"', all_varchar=true, "
            "strict_mode=true, sample_size=2048)"
        )


def open_source(connection, path: Path, required: tuple[str, ...], workdir: Path) -> Source:
    kind = check_path(path)
    readable = path
    if kind == "zip":
        readable = _extract(path, workdir)
        kind = "csv"
    first_line = ""
    if kind in ("csv", "csv.gz"):
        first_line = _first_line(readable if kind == "csv" else path, kind)
        if not first_line.strip():
            raise file_error(path, _("le fichier est vide (pas d'en-tête)."))
    source = Source(path, kind, readable)
    try:
        columns = [row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {source.sql()}").fetchall()]
    except duckdb.Error as exc:
        if first_line and ";" in first_line and "," not in first_line:
            _check_header(path, [], required, first_line)
        raise file_error(path, explain(exc)) from None
    _check_header(path, columns, required, first_line)
    return source


def _extract(path: Path, workdir: Path) -> Path:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            csvs = [info for info in members if info.filename.lower().endswith(".csv")]
            if len(csvs) != 1:
                raise file_error(
                    path,
                    _("l'archive doit contenir un seul fichier CSV (elle en contient %(n)d).")
                    % {"n": len(csvs)},
                )
            target = workdir / f"{path.stem}-{len(list(workdir.iterdir()))}.csv"
            with archive.open(csvs[0]) as member, target.open("wb") as out:
                shutil.copyfileobj(member, out, 1 << 22)
            return target
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise file_error(path, _("archive zip tronquée ou illisible (%(error)s).") % {"error": exc}) from None


@dataclass
class Extract:
    """What the import keeps: ESS rows (tuples of `ESS_FIELDS`), commune totals, counts."""

    ess_rows: list[tuple]
    totals: list[tuple]  # (commune, epci, departement, establishments, employees)
    region_establishments: int
    masked_units: int
    checksums: tuple[str, str]


ESS_FIELDS = (
    "siret",
    "siren",
    "name",
    "legal_form",
    "family",
    "naf",
    "commune",
    "epci",
    "departement",
    "band",
    "employees",
    "creation_date",
    "employer",
    "x",
    "y",
)


def _nd(column: str) -> str:
    return f"nullif(nullif(trim({column}), ''), '{MASKED}')"


def extract(
    legal_units: Path,
    establishments: Path,
    geography: list[tuple[str, str, str, str]],
    rule: PerimeterRule,
    threads: int | None = None,
) -> Extract:
    """Scan both files: active establishments of the communes of `geography` ((code, commune, epci, département),
    a register code mapped to its current commune), joined to active legal units, filtered by `rule`."""
    workdir = Path(tempfile.mkdtemp(prefix="maille-sirene-"))
    connection = duckdb.connect(config={"threads": threads or os.cpu_count() or 1})
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            sums = [pool.submit(checksum, path) for path in (legal_units, establishments)]
            units = open_source(connection, legal_units, LEGAL_UNIT_COLUMNS, workdir)
            places = open_source(connection, establishments, ESTABLISHMENT_COLUMNS, workdir)
            _load_geography(connection, geography, workdir)
            result = _query(connection, units, places, rule)
            digests = tuple(future.result() for future in sums)
        return Extract(*result, checksums=digests)
    finally:
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _load_geography(connection, geography, workdir: Path) -> None:
    target = workdir / "geography.csv"
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "commune", "epci", "departement"])
        writer.writerows(geography)
    connection.execute(
        f"CREATE TEMP TABLE geo AS SELECT * FROM read_csv('{target}', header=true, all_varchar=true)"
    )


def _query(connection, units: Source, places: Source, rule: PerimeterRule):
    flag, cj, naf = "u.flag", "u.cj", "u.naf"
    try:
        connection.execute(
            f"""
            CREATE TEMP TABLE est AS
            SELECT e.siren, e.siret, g.commune, g.epci, g.departement,
                   coalesce(nullif(trim(e.trancheEffectifsEtablissement), ''), 'NN') AS band,
                   {_nd("e.activitePrincipaleEtablissement")} AS naf,
                   try_cast(e.dateCreationEtablissement AS DATE) AS creation_date,
                   CASE e.caractereEmployeurEtablissement WHEN 'O' THEN true WHEN 'N' THEN false END AS employer,
                   try_cast(e.coordonneeLambertAbscisseEtablissement AS DOUBLE) AS x,
                   try_cast(e.coordonneeLambertOrdonneeEtablissement AS DOUBLE) AS y,
                   coalesce({_nd("e.denominationUsuelleEtablissement")}, {_nd("e.enseigne1Etablissement")}) AS own_name
            FROM {places.sql()} e JOIN geo g ON g.code = e.codeCommuneEtablissement
            WHERE e.etatAdministratifEtablissement = 'A'
            """
        )
    except duckdb.Error as exc:
        raise file_error(places.path, explain(exc)) from None
    totals = connection.execute(
        f"SELECT commune, coalesce(epci, ''), departement, count(*), sum({band_employees_sql('band')}) "
        "FROM est GROUP BY ALL ORDER BY commune"
    ).fetchall()
    region_establishments = sum(row[3] for row in totals)
    try:
        rows = connection.execute(
            f"""
            WITH u AS (
                SELECT siren, nullif(trim(economieSocialeSolidaireUniteLegale), '') AS flag,
                       trim(categorieJuridiqueUniteLegale) AS cj, {_nd("activitePrincipaleUniteLegale")} AS naf,
                       statutDiffusionUniteLegale = 'P' AS masked,
                       coalesce({_nd("denominationUniteLegale")}, {_nd("sigleUniteLegale")}) AS unit_name
                FROM {units.sql()}
                WHERE etatAdministratifUniteLegale = 'A'
            )
            SELECT e.siret, e.siren, coalesce(e.own_name, u.unit_name, '') AS name, u.cj AS legal_form,
                   {rule.family_sql(flag, cj)} AS family, coalesce(e.naf, u.naf, '') AS naf,
                   e.commune, coalesce(e.epci, '') AS epci, e.departement, e.band,
                   {band_employees_sql("e.band")} AS employees, e.creation_date, e.employer, e.x, e.y, u.masked
            FROM est e JOIN u ON u.siren = e.siren
            WHERE {rule.in_ess_sql(flag, cj, naf)}
            ORDER BY e.siret
            """
        ).fetchall()
    except duckdb.Error as exc:
        raise file_error(units.path, explain(exc)) from None
    masked = len({row[1] for row in rows if row[-1]})
    return [row[:-1] for row in rows], totals, region_establishments, masked


def batches(rows: list[tuple], size: int = 5000) -> Iterator[list[tuple]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
