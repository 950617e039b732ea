"""The ESS perimeter rule (versioned, configurable) and the employee estimate of each headcount band.

The rule in force is `current_rule()`: `DEFAULT_RULE` unless the setting `MAILLE_OBSERVATORY_RULE` names another
`PerimeterRule` (dotted path). Each snapshot stores the version of the rule it was imported with; the method page
shows the rule. The rule is applied in DuckDB (`family_sql`, `in_ess_sql`) over the legal units' columns.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


def _codes(*items) -> tuple[str, ...]:
    """Legal-form codes from single codes and (first, last) ranges."""
    codes: list[str] = []
    for item in items:
        if isinstance(item, tuple):
            codes += [str(code) for code in range(item[0], item[1] + 1)]
        else:
            codes.append(str(item))
    return tuple(codes)


@dataclass(frozen=True)
class PerimeterRule:
    version: str
    # family → legal-form codes (categorieJuridiqueUniteLegale)
    families: dict[str, tuple[str, ...]]
    # NAF codes (or prefixes ending with "." for a whole division) excluded when the ESS flag is empty
    excluded_naf: tuple[str, ...]
    borderline: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def family_of(self, legal_form: str, flag: str) -> str | None:
        for family, codes in self.families.items():
            if legal_form in codes:
                return family
        return "societe_commerciale" if flag == "O" else None

    def is_excluded_naf(self, naf: str) -> bool:
        return any(naf.startswith(code) if code.endswith(".") else naf == code for code in self.excluded_naf)

    def in_ess(self, flag: str, legal_form: str, naf: str) -> bool:
        """Python twin of `in_ess_sql` (for tests and the method page's examples)."""
        if flag == "N":
            return False
        if flag == "O":
            return True
        return any(legal_form in codes for codes in self.families.values()) and not self.is_excluded_naf(naf)

    # --- SQL (DuckDB) over the columns flag, cj (legal form), naf of the legal unit ---

    def _in_families_sql(self, column: str) -> str:
        codes = sorted({code for codes in self.families.values() for code in codes})
        return f"{column} IN ({', '.join(repr(code) for code in codes)})"

    def _excluded_naf_sql(self, column: str) -> str:
        parts = [
            f"starts_with({column}, {code!r})" if code.endswith(".") else f"{column} = {code!r}"
            for code in self.excluded_naf
        ]
        return "(" + " OR ".join(parts) + ")" if parts else "false"

    def in_ess_sql(self, flag: str, cj: str, naf: str) -> str:
        return (
            f"(CASE WHEN {flag} = 'N' THEN false WHEN {flag} = 'O' THEN true "
            f"ELSE ({self._in_families_sql(cj)} AND NOT coalesce({self._excluded_naf_sql(naf)}, false)) END)"
        )

    def family_sql(self, flag: str, cj: str) -> str:
        cases = " ".join(
            f"WHEN {cj} IN ({', '.join(repr(code) for code in codes)}) THEN {family!r}"
            for family, codes in self.families.items()
        )
        return f"(CASE {cases} WHEN {flag} = 'O' THEN 'societe_commerciale' END)"


DEFAULT_RULE = PerimeterRule(
    version="ess-2025.1",
    families={
        "association": _codes(9210, 9220, 9221, 9222, 9230, 9260),
        "fondation": _codes(9300),
        "mutuelle": _codes(8210, 8250, 8290, 6411),
        "cooperative": _codes(
            (5191, 5196),
            6100,
            6595,
            6596,
            5203,
            5307,
            5309,
            5443,
            5451,
            (5453, 5455),
            5458,
            5459,
            5460,
            5543,
            5547,
            (5551, 5555),
            5558,
            5559,
            5560,
            5643,
            5647,
            (5651, 5655),
            5658,
            5659,
            5660,
            6316,
            6317,
            6318,
            6543,
            6551,
            6554,
            6558,
            6560,
        ),
    },
    excluded_naf=("84.", "94.11Z", "94.12Z", "94.20Z", "94.91Z", "94.92Z"),
    borderline={"association": _codes(9223, 9224, 9240)},
)


def current_rule() -> PerimeterRule:
    path = getattr(settings, "MAILLE_OBSERVATORY_RULE", "")
    return import_string(path) if path else DEFAULT_RULE


# The point of each headcount band counted as its employees (the band's middle; 10 000 for "10 000 and more").
BAND_EMPLOYEES = {
    "NN": 0.0,
    "00": 0.0,
    "01": 1.5,
    "02": 4.0,
    "03": 7.5,
    "11": 14.5,
    "12": 34.5,
    "21": 74.5,
    "22": 149.5,
    "31": 224.5,
    "32": 374.5,
    "41": 749.5,
    "42": 1499.5,
    "51": 3499.5,
    "52": 7499.5,
    "53": 10000.0,
}


def band_employees_sql(column: str) -> str:
    cases = " ".join(f"WHEN {code!r} THEN {value}" for code, value in BAND_EMPLOYEES.items())
    return f"(CASE {column} {cases} ELSE 0.0 END)"
