"""The synthetic register: identifiers that pass the checks real ones pass."""

import duckdb

from maille.core.identifiers import is_valid_siren, is_valid_siret
from maille.observatory.generator import generate


def test_generated_siren_and_siret_pass_the_luhn_check_and_are_unique(tmp_path):
    units, places = generate(3000, tmp_path, seed=7)
    con = duckdb.connect()
    sirens = con.execute(
        f"SELECT siren, nicSiegeUniteLegale FROM read_csv('{units}', all_varchar=true)"
    ).fetchall()
    rows = con.execute(
        f"SELECT siret, siren, nic, etablissementSiege FROM read_csv('{places}', all_varchar=true)"
    ).fetchall()
    assert len(sirens) == 1500 and len({siren for siren, _nic in sirens}) == 1500
    assert all(is_valid_siren(siren) for siren, _nic in sirens)
    assert len(rows) > 2500 and len({siret for siret, *_ in rows}) == len(rows)
    assert all(is_valid_siret(siret) and siret == siren + nic for siret, siren, nic, _head in rows)
    heads = dict(sirens)
    assert all((head == "true") == (heads[siren] == nic) for _siret, siren, nic, head in rows)
