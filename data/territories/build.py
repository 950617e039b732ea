"""Build the French territories reference files from ``@etalab/decoupage-administratif`` 6.0.0.

The npm package (2026 edition of INSEE's Code officiel géographique and of the DGCL list of EPCI à
fiscalité propre; code MIT, data Licence Ouverte / Etalab 2.0) is fetched with ``npm pack`` into a
temporary directory, its tarball is checked against the registry's published integrity hash, and
``package/data/{communes,epci,departements,regions}.json`` are turned into five files next to this
script:

- ``regions.json``      ``{"code", "nom"}``
- ``departements.json`` ``{"code", "nom", "region"}``
- ``epci.json``         ``{"code", "nom", "type", "population"}``
- ``communes.json``     ``{"code", "nom", "departement", "region", "epci", "codes_postaux", "population"}``
- ``aliases.json``      ``{"code", "nom", "type", "parent"}`` (delegated / associated communes and
  municipal arrondissements, pointing at their current commune)

Each file is a JSON array sorted by code, one record per line. The script then asserts the figures
known for this edition (see README.md) and stops if one differs.

Usage (stdlib only, needs ``npm`` on PATH)::

    python data/territories/build.py
"""

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
# dist.integrity of the tarball, as published on the npm registry.
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
SOURCES = ("communes", "epci", "departements", "regions")
ALIAS_TYPES = ("commune-deleguee", "commune-associee", "arrondissement-municipal")

OUT_DIR = Path(__file__).resolve().parent


def fetch_package() -> dict[str, list[dict]]:
    """Download the package tarball with ``npm pack`` and return its data files, parsed."""
    with tempfile.TemporaryDirectory(prefix="decoupage-") as tmp:
        result = subprocess.run(
            ["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = Path(tmp) / result.stdout.strip().splitlines()[-1]
        raw = tarball.read_bytes()
        integrity = "sha512-" + base64.b64encode(hashlib.sha512(raw).digest()).decode()
        if integrity != INTEGRITY:
            sys.exit(f"Integrity mismatch for {tarball.name}: {integrity}")
        data = {}
        with tarfile.open(tarball, "r:gz") as tar:
            for name in SOURCES:
                member = tar.extractfile(f"package/data/{name}.json")
                if member is None:
                    sys.exit(f"package/data/{name}.json missing from {tarball.name}")
                data[name] = json.load(member)
        return data


def write_json(name: str, records: list[dict]) -> Path:
    """Write ``records`` sorted by code, compact, one record per line."""
    records = sorted(records, key=lambda r: r["code"])
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
    path = OUT_DIR / name
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    return path


def build(data: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Turn the package's records into the five output tables."""
    regions = [{"code": r["code"], "nom": r["nom"]} for r in data["regions"]]
    departements = [{"code": d["code"], "nom": d["nom"], "region": d["region"]} for d in data["departements"]]

    current = [c for c in data["communes"] if c["type"] == "commune-actuelle"]
    current_codes = {c["code"] for c in current}

    # communes.json has no EPCI field: membership comes from the EPCI members lists.
    epci_of: dict[str, str] = {}
    epcis = []
    for e in data["epci"]:
        for m in e["membres"]:
            assert m["code"] in current_codes, f"EPCI {e['code']} member {m['code']} is not a current commune"
            assert m["code"] not in epci_of, f"commune {m['code']} is in two EPCI"
            epci_of[m["code"]] = e["code"]
        population = e.get("populationMunicipale")
        if population is None:  # never happens in 6.0.0; kept as the documented fallback
            population = sum(c.get("population") or 0 for c in current if epci_of.get(c["code"]) == e["code"])
        epcis.append({"code": e["code"], "nom": e["nom"], "type": e["type"], "population": population})

    communes = [
        {
            "code": c["code"],
            "nom": c["nom"],
            "departement": c["departement"],
            "region": c["region"],
            "epci": epci_of.get(c["code"]),
            "codes_postaux": sorted(c.get("codesPostaux") or []),
            "population": c.get("population"),
        }
        for c in current
    ]

    aliases = []
    for c in data["communes"]:
        if c["type"] == "commune-actuelle":
            continue
        assert c["type"] in ALIAS_TYPES, f"unknown commune type {c['type']!r}"
        # Delegated / associated communes carry their current commune in ``chefLieu``,
        # municipal arrondissements in ``commune``.
        parent = c["commune"] if c["type"] == "arrondissement-municipal" else c["chefLieu"]
        assert parent in current_codes, f"{c['type']} {c['code']}: parent {parent} is not a current commune"
        aliases.append({"code": c["code"], "nom": c["nom"], "type": c["type"], "parent": parent})

    return {
        "regions": regions,
        "departements": departements,
        "epci": epcis,
        "communes": communes,
        "aliases": aliases,
    }


def check(tables: dict[str, list[dict]]) -> None:
    """Print a summary and assert the figures known for the 2026 edition."""
    communes = tables["communes"]
    by_code = {c["code"]: c for c in communes}
    alias_types = Counter(a["type"] for a in tables["aliases"])
    same_code = sum(a["code"] == a["parent"] for a in tables["aliases"])

    r52_deps = sorted(d["code"] for d in tables["departements"] if d["region"] == "52")
    r52_communes = [c for c in communes if c["region"] == "52"]
    r52_epci = {c["epci"] for c in r52_communes if c["epci"]}
    members = defaultdict(set)
    for c in communes:
        if c["epci"]:
            members[c["epci"]].add(c["region"])
    cross = sorted(e for e in r52_epci if members[e] != {"52"})
    no_epci = sorted(c["code"] for c in r52_communes if not c["epci"])

    print(f"{PACKAGE}@{VERSION}")
    print(f"  régions            {len(tables['regions'])}")
    print(f"  départements       {len(tables['departements'])}")
    print(f"  EPCI               {len(tables['epci'])}  {dict(Counter(e['type'] for e in tables['epci']))}")
    print(f"  current communes   {len(communes)}  (without EPCI: {sum(not c['epci'] for c in communes)})")
    print(
        f"  aliases            {len(tables['aliases'])}  {dict(alias_types)}  (same code as parent: {same_code})"
    )
    print(f"  région 52          départements {r52_deps}, communes {len(r52_communes)}, EPCI {len(r52_epci)}")
    print(f"                     cross-region EPCI {cross}, communes without EPCI {no_epci}")

    assert len(communes) == 34_969, len(communes)
    assert len(tables["epci"]) == 1_255, len(tables["epci"])
    assert r52_deps == ["44", "49", "53", "72", "85"], r52_deps
    assert len(r52_communes) == 1_228, len(r52_communes)
    assert len(r52_epci) == 71, len(r52_epci)
    trelaze = by_code["49353"]
    assert trelaze["nom"] == "Trélazé", trelaze
    assert trelaze["codes_postaux"] == ["49800"], trelaze
    assert trelaze["epci"] == "244900015", trelaze
    print("  checks             OK")


def main() -> None:
    tables = build(fetch_package())
    check(tables)
    for name, records in tables.items():
        path = write_json(f"{name}.json", records)
        print(f"  wrote {path.relative_to(OUT_DIR.parent.parent)}  ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
