"""A synthetic Sirene register (both stock files, real header format, all of France) for the demo and benchmarks.

Written by DuckDB from `range(N)` with hash-based draws (deterministic for a seed, any thread count), so ten million
rows take seconds. Calibrated so that the ESS of région 52 resembles DATA.md's published figures: ESS ≈ 2 % of the
active establishments and ≈ 11–12 % of the estimated employment, associations ≈ 83 % of ESS establishments and ≈ 73 %
of ESS jobs, health and social work the first sector, a realistic size-band mix. Establishments are placed in
communes by population; in the served region, at points inside the commune's contour (others have none). With
`as_of`, the same seed gives the register at another date: later creations absent, closures, size bands going down.
Every name is fictional.
"""

import json
import random
from datetime import date
from pathlib import Path

import duckdb
from django.conf import settings
from pyproj import Transformer

from .headers import ESTABLISHMENT_HEADER, LEGAL_UNIT_HEADER

# (value, weight) tables; weights need not sum to one.
FAMILIES = [("association", 83), ("cooperative", 10), ("mutuelle", 2.5), ("fondation", 1.5), ("societe", 3)]
LEGAL_FORMS = {
    "association": [("9220", 95), ("9210", 3), ("9230", 2)],
    "cooperative": [("5458", 20), ("5560", 10), ("6316", 25), ("6317", 10), ("5454", 15), ("6558", 20)],
    "mutuelle": [("8210", 60), ("8250", 30), ("6411", 10)],
    "fondation": [("9300", 100)],
    "societe": [("5710", 60), ("5499", 40)],
    "other": [("5710", 35), ("5499", 20), ("1000", 35), ("5720", 7), ("7210", 3)],
}
NAF = {
    "association": [
        ("88.99B", 17),
        ("88.10A", 8),
        ("87.30A", 4),
        ("87.20B", 3),
        ("86.90D", 2),
        ("85.59A", 8),
        ("85.10Z", 3),
        ("93.12Z", 12),
        ("90.01Z", 5),
        ("93.29Z", 4),
        ("91.02Z", 2),
        ("94.99Z", 28),
        ("56.10A", 2),
        ("55.20Z", 2),
    ],
    "cooperative": [
        ("01.61Z", 20),
        ("10.51A", 5),
        ("46.21Z", 10),
        ("64.19Z", 25),
        ("43.22A", 10),
        ("47.11F", 10),
        ("62.01Z", 10),
        ("71.12B", 10),
    ],
    "mutuelle": [("65.12Z", 60), ("65.11Z", 20), ("86.10Z", 20)],
    "fondation": [("87.10A", 40), ("88.99B", 30), ("72.19Z", 20), ("86.10Z", 10)],
    "societe": [("47.11B", 20), ("88.99B", 20), ("38.32Z", 20), ("56.10A", 20), ("62.01Z", 20)],
    "other": [
        ("47.11B", 10),
        ("56.10A", 10),
        ("43.22A", 12),
        ("68.20A", 12),
        ("70.22Z", 10),
        ("62.01Z", 8),
        ("49.41A", 6),
        ("01.11Z", 8),
        ("86.21Z", 6),
        ("96.02A", 8),
        ("84.11Z", 2),
        ("94.11Z", 2),
        ("41.20A", 6),
    ],
}
BANDS = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41"]
BAND_MIX = {
    "association": [53, 5, 11, 8, 6, 6, 6, 3.6, 1.3, 0.2, 0.2, 0],
    "cooperative": [13, 5, 13, 14, 12, 16, 16, 7, 3, 0.5, 0.3, 0],
    "mutuelle": [18, 5, 14, 15, 12, 15, 13, 5, 2.5, 0.3, 0.2, 0],
    "fondation": [18, 5, 14, 15, 12, 15, 13, 5, 2.5, 0.3, 0.2, 0],
    "societe": [30, 10, 20, 15, 10, 8, 5, 1.5, 0.5, 0, 0, 0],
    "other": [76, 7.9, 7, 4, 2.5, 1.7, 0.9, 0.3, 0.1, 0.05, 0.03, 0.02],
}
NAME_WORDS = {
    "association": (
        "Association",
        [
            "Les Jardins",
            "Solidarité",
            "Entraide",
            "Culture et Loisirs",
            "Aide à domicile",
            "Sport pour tous",
            "Les Amis du quartier",
            "Accueil et partage",
            "Le Relais",
        ],
    ),
    "cooperative": (
        "Coopérative",
        ["Scop du Bocage", "Cuma des Prés", "Scic Énergie", "Coop'Atelier", "Terres unies"],
    ),
    "mutuelle": ("Mutuelle", ["Santé Ouest", "Prévoyance", "des Familles"]),
    "fondation": ("Fondation", ["Horizon", "pour l'Enfance", "Recherche et Soin"]),
    "societe": (
        "Entreprise solidaire",
        ["Recyclerie", "Épicerie", "Insertion Services", "Numérique inclusif"],
    ),
    "other": ("Société", ["Commerce", "Bâtiment", "Conseil", "Transports", "Immobilier", "Restauration"]),
}
ESS_RATE = 0.0197  # share of legal units in the ESS (≈ 14,500 of ≈ 700,000 establishments in région 52)
MASKED_RATE = 0.02
CEASED_RATE = 0.03
CLOSED_RATE = 0.08
BAND_DOWN_RATE = 0.05
POINTS_PER_COMMUNE = 8
DEFAULT_AS_OF = date(2026, 11, 30)


def lit(value) -> str:
    """A SQL literal: a quoted string (quotes doubled), a list of them, or a number as is."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(lit(item) for item in value) + "]"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _cases(u: str, table) -> str:
    total = sum(weight for _value, weight in table)
    parts, acc = [], 0.0
    for value, weight in table[:-1]:
        acc += weight / total
        parts.append(f"WHEN {u} < {acc:.6f} THEN {lit(value)}")
    last = table[-1][0]
    if not parts:
        return lit(last)
    return f"(CASE {' '.join(parts)} ELSE {lit(last)} END)"


def _luhn_sum(x: str, digits: int) -> str:
    """SQL: the Luhn sum of the `digits` last digits of the integer `x` when a check digit follows them (the digit
    next to the key is doubled, then every other one)."""
    terms = []
    for p in range(digits):
        d = f"(({x}) // {10**p} % 10)"
        terms.append(f"(2 * {d} - CASE WHEN {d} > 4 THEN 9 ELSE 0 END)" if p % 2 == 0 else d)
    return "(" + " + ".join(terms) + ")"


def _luhn_key(total: str) -> str:
    """SQL: the check digit that makes a Luhn sum a multiple of ten."""
    return f"((10 - ({total}) % 10) % 10)"


def _nic(siren: str, base: str) -> str:
    """SQL: the NIC (a 4-digit `base` and the key that makes the SIRET Luhn-valid) of the integer `siren`."""
    total = f"{_luhn_sum(base, 4)} + {_luhn_sum(siren, 9)}"
    return f"lpad(CAST(({base}) * 10 + {_luhn_key(total)} AS VARCHAR), 5, '0')"


def _by_family(column: str, tables: dict, u: str) -> str:
    cases = " ".join(
        f"WHEN {column} = {lit(family)} THEN {_cases(u, table)}" for family, table in tables.items()
    )
    return f"(CASE {cases} END)"


def _points(region_code: str, seed: int) -> list[tuple[str, int, float, float]]:
    """A few Lambert-93 points inside each commune contour of the region (rejection sampling in the bbox)."""
    path = Path(settings.BASE_DIR, "data", "contours", f"communes-{region_code}.geojson")
    if not path.exists():
        return []
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    rng = random.Random(seed)
    rows = []
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geometry = feature.get("geometry") or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        rings = [polygon[0] for polygon in polygons if polygon]
        if not rings:
            continue
        xs = [x for ring in rings for x, _y in ring]
        ys = [y for ring in rings for _x, y in ring]
        found = []
        for _attempt in range(200):
            x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
            if any(_inside(x, y, ring) for ring in rings):
                found.append((x, y))
                if len(found) == POINTS_PER_COMMUNE:
                    break
        if not found:
            found = [((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)]
        for k in range(POINTS_PER_COMMUNE):
            lon, lat = found[k % len(found)]
            x93, y93 = to_l93.transform(lon, lat)
            rows.append((feature["properties"]["code"], k, round(x93, 1), round(y93, 1)))
    return rows


def _inside(x: float, y: float, ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def generate(
    establishments: int,
    out: Path,
    seed: int = 1,
    as_of: date = DEFAULT_AS_OF,
    region: str | None = None,
    region_share: float | None = None,
    threads: int | None = None,
    fmt: str = "csv",
) -> tuple[Path, Path]:
    """Write StockUniteLegale_utf8.csv and StockEtablissement_utf8.csv in `out`; return their paths.

    `region_share` (with `region`) puts that share of the rows in the region (a regional extract for the demo);
    otherwise communes are drawn by population over all of France. `fmt="parquet"` writes Parquet files instead
    (faster to write and read: the demo loader uses it).
    """
    suffix, options = (
        (".parquet", "(FORMAT parquet)") if fmt == "parquet" else (".csv", "(HEADER, DELIMITER ',')")
    )
    out.mkdir(parents=True, exist_ok=True)
    region = region or settings.MAILLE_REGION_CODE
    units_count = max(1, establishments // 2)
    con = duckdb.connect(config={"threads": threads} if threads else {})
    communes_json = Path(settings.BASE_DIR, "data", "territories", "communes.json")
    share = -1.0 if region_share is None else float(region_share)
    try:
        con.execute(f"CREATE MACRO u(i, tag) AS (hash(i, tag, {int(seed)}) % 1000003) / 1000003.0")
        con.execute(
            f"""
            CREATE TABLE communes AS
            SELECT code, nom, departement, region, codes_postaux[1] AS cp, greatest(coalesce(population, 0), 1) AS w,
                   CASE WHEN {share} >= 0 THEN (region = '{region}')::INT ELSE 0 END AS side
            FROM read_json('{communes_json}')
            """
        )
        con.execute(
            "CREATE TABLE cw AS SELECT *, (sum(w) OVER (PARTITION BY side ORDER BY code) - w) / "
            "sum(w) OVER (PARTITION BY side) AS c0 FROM communes"
        )
        points = _points(region, seed)
        con.execute("CREATE TABLE points (code VARCHAR, k INTEGER, x DOUBLE, y DOUBLE)")
        if points:
            # One statement with four lists (executemany inserts row by row: seconds for ten thousand points).
            columns = [list(column) for column in zip(*points, strict=True)]
            con.execute("INSERT INTO points SELECT unnest(?), unnest(?), unnest(?), unnest(?)", columns)
        as_of_sql = f"DATE '{as_of.isoformat()}'"
        # Legal units: kind, family, legal form, NAF, flag, state, diffusion.
        con.execute(
            f"""
            CREATE TABLE units AS
            WITH base AS (
                SELECT n, CASE WHEN u(n, 'ess') < {ESS_RATE} THEN {_cases("u(n, 'fam')", FAMILIES)} ELSE 'other' END AS kind,
                       u(n, 'masked') < {MASKED_RATE} AS masked, u(n, 'ceased') < {CEASED_RATE} AS ceased
                FROM range({units_count}) t(n)
            ), keyed AS (
                SELECT *, CAST(10000000 + n * 7 % 89999999 AS BIGINT) AS siren_base FROM base
            ), ids AS (
            SELECT n, kind, masked, ceased,
                   siren_base * 10 + {_luhn_key(_luhn_sum("siren_base", 8))} AS siren_int,
                   {_by_family("kind", LEGAL_FORMS, "u(n, 'cj')")} AS cj,
                   {_by_family("kind", NAF, "u(n, 'naf')")} AS naf,
                   CASE WHEN kind = 'societe' THEN 'O'
                        WHEN kind <> 'other' THEN CASE WHEN u(n, 'flag') < 0.75 THEN 'O' ELSE NULL END
                        ELSE CASE WHEN u(n, 'flag') < 0.5 THEN 'N' ELSE NULL END END AS flag
            FROM keyed
            )
            SELECT * EXCLUDE (siren_int), lpad(CAST(siren_int AS VARCHAR), 9, '0') AS siren,
                   {_nic("siren_int", "1")} AS head_nic
            FROM ids
            """
        )
        names = " ".join(
            f"WHEN kind = {lit(family)} THEN {lit(prefix)} || ' ' || {lit(words)}[1 + (hash(n, 'w', {int(seed)}) % {len(words)})::INT]"
            for family, (prefix, words) in NAME_WORDS.items()
        )
        unit_values = {
            "siren": "siren",
            "statutDiffusionUniteLegale": "CASE WHEN masked THEN 'P' ELSE 'O' END",
            "unitePurgeeUniteLegale": "NULL",
            "dateCreationUniteLegale": f"strftime({as_of_sql} - CAST(floor(25000 * u(n, 'uc')) AS INTEGER), '%Y-%m-%d')",
            "categorieJuridiqueUniteLegale": "cj",
            "activitePrincipaleUniteLegale": "naf",
            "nomenclatureActivitePrincipaleUniteLegale": "'NAFRev2'",
            "nicSiegeUniteLegale": "head_nic",
            "etatAdministratifUniteLegale": "CASE WHEN ceased THEN 'C' ELSE 'A' END",
            "denominationUniteLegale": f"CASE WHEN masked THEN '[ND]' WHEN cj = '1000' THEN NULL ELSE (CASE {names} END) || ' ' || CAST(n % 9973 AS VARCHAR) END",
            "nomUniteLegale": "CASE WHEN cj = '1000' THEN CASE WHEN masked THEN '[ND]' ELSE 'DUPONT' END END",
            "economieSocialeSolidaireUniteLegale": "flag",
            "societeMissionUniteLegale": "CASE WHEN kind = 'societe' THEN 'O' ELSE 'N' END",
            "trancheEffectifsUniteLegale": "'NN'",
            "dateDebut": "'2020-01-01'",
            "dateDernierTraitementUniteLegale": "'2026-10-31T00:00:00'",
            "nombrePeriodesUniteLegale": "'1'",
            "caractereEmployeurUniteLegale": "NULL",
            "activitePrincipaleNAF25UniteLegale": "NULL",
        }
        units_path = out / f"StockUniteLegale_utf8{suffix}"
        select = ", ".join(f'{unit_values.get(name, "NULL")} AS "{name}"' for name in LEGAL_UNIT_HEADER)
        con.execute(f"COPY (SELECT {select} FROM units ORDER BY n) TO '{units_path}' {options}")
        band_case = " ".join(
            f"WHEN kind = {lit(family)} THEN {_cases('ub', list(zip(range(len(BANDS)), mix, strict=True)))}"
            for family, mix in BAND_MIX.items()
        )
        bands_list = lit(BANDS)
        est_values = {
            "siren": "siren",
            "nic": "nic",
            "siret": "siren || nic",
            "statutDiffusionEtablissement": "CASE WHEN masked THEN 'P' ELSE 'O' END",
            "dateCreationEtablissement": "strftime(created, '%Y-%m-%d')",
            "trancheEffectifsEtablissement": "CASE WHEN band = 'NN' THEN NULL ELSE band END",
            "anneeEffectifsEtablissement": "CASE WHEN band = 'NN' THEN NULL ELSE '2024' END",
            "dateDernierTraitementEtablissement": "'2026-10-31T00:00:00'",
            "etablissementSiege": "CASE WHEN nic = head_nic THEN 'true' ELSE 'false' END",
            "nombrePeriodesEtablissement": "'1'",
            "numeroVoieEtablissement": "CAST(1 + i % 120 AS VARCHAR)",
            "typeVoieEtablissement": "'RUE'",
            "libelleVoieEtablissement": "'DE LA REPUBLIQUE'",
            "codePostalEtablissement": "cp",
            "libelleCommuneEtablissement": "upper(nom)",
            "codeCommuneEtablissement": "code",
            "coordonneeLambertAbscisseEtablissement": "CASE WHEN masked THEN '[ND]' ELSE CAST(round(px + 60 * (u(i, 'jx') - 0.5), 1) AS VARCHAR) END",
            "coordonneeLambertOrdonneeEtablissement": "CASE WHEN masked THEN '[ND]' ELSE CAST(round(py + 60 * (u(i, 'jy') - 0.5), 1) AS VARCHAR) END",
            "dateDebut": "strftime(created, '%Y-%m-%d')",
            "etatAdministratifEtablissement": f"CASE WHEN ceased OR closed <= {as_of_sql} THEN 'F' ELSE 'A' END",
            "enseigne1Etablissement": "NULL",
            "activitePrincipaleEtablissement": "naf",
            "nomenclatureActivitePrincipaleEtablissement": "'NAFRev2'",
            "caractereEmployeurEtablissement": "CASE WHEN band IN ('NN', '00') THEN 'N' ELSE 'O' END",
        }
        places_path = out / f"StockEtablissement_utf8{suffix}"
        select = ", ".join(f'{est_values.get(name, "NULL")} AS "{name}"' for name in ESTABLISHMENT_HEADER)
        con.execute(
            f"""
            COPY (
              WITH e AS (
                SELECT i, CAST(i % {units_count} AS BIGINT) AS n,
                       CAST(1 + (i // {units_count}) * 17 AS BIGINT) AS nic_base,
                       CASE WHEN {share} >= 0 AND u(i, 'side') < {share} THEN 1 WHEN {share} >= 0 THEN 0 ELSE 0 END AS side,
                       u(i, 'where') AS uw, u(i, 'band') AS ub,
                       DATE '2026-11-30' - CAST(floor(25550 * pow(u(i, 'age'), 1.5)) AS INTEGER) AS created,
                       CASE WHEN u(i, 'close') < {CLOSED_RATE} THEN DATE '2026-11-30' - CAST(floor(25550 * pow(u(i, 'age'), 1.5)) AS INTEGER) + CAST(floor(9000 * u(i, 'life')) AS INTEGER) END AS closed,
                       u(i, 'down') < {BAND_DOWN_RATE} AS shrinks, DATE '2026-01-01' + CAST(floor(330 * u(i, 'when')) AS INTEGER) AS shrink_date
                FROM range({int(establishments)}) t(i)
              ), placed AS (
                SELECT e.*, c.code, c.nom, c.cp FROM e ASOF JOIN cw c ON e.side = c.side AND e.uw >= c.c0
              ), full_rows AS (
                SELECT p.*, un.siren, un.head_nic, un.kind, un.naf, un.masked, un.ceased,
                       {_nic("CAST(un.siren AS BIGINT)", "p.nic_base")} AS nic,
                       {bands_list}[1 + least(greatest(
                           (CASE {band_case} END)
                           + CASE WHEN substr(un.naf, 1, 2) IN ('86', '87', '88') AND u(p.i, 'q') < 0.5 THEN 1
                                  WHEN substr(un.naf, 1, 2) IN ('93', '94') AND u(p.i, 'q') < 0.5 THEN -1 ELSE 0 END
                           - CASE WHEN p.shrinks AND p.shrink_date <= {as_of_sql} THEN 1 ELSE 0 END, 0), {len(BANDS) - 1})] AS band,
                       pt.x AS px, pt.y AS py
                FROM placed p JOIN units un ON un.n = p.n
                LEFT JOIN points pt ON pt.code = p.code AND pt.k = CAST(hash(p.i, 'pt') % {POINTS_PER_COMMUNE} AS INTEGER)
              )
              SELECT {select} FROM full_rows WHERE created <= {as_of_sql} ORDER BY i
            ) TO '{places_path}' {options}
            """
        )
    finally:
        con.close()
    return units_path, places_path
