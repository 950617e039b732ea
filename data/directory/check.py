"""Check the regional support directory (organisations, offers, funding schemes).

Usage: python data/directory/check.py   (Python 3.11, standard library only)

Loads organisations.json, offers.json and funding.json, asserts their consistency with the shared vocabularies
(copied from maille/core/enums.py) and with the official geography in data/territories/, then prints a summary.

It also fails on a source URL of another region's page or of a blog (`OTHER_REGION_SOURCES`), and reports the
coverage figures of issue 11 — offers of its own per département from named local actors, offers per need, offers
and funding schemes per stage — failing below `COVERAGE_GOALS` (`--report-only` prints them without failing on them).
Optional fields of every record: `verified_on` (AAAA-MM-JJ, when its source was last read), `verified_by`,
`to_verify` (what could not be confirmed, in words), and for schemes `status` (`archived` for one that has ended).
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TERRITORIES = HERE.parent / "territories"

# Copied from maille/core/enums.py (Stage, Need, LegalForm).
STAGES = {"emergence", "creation", "developpement", "changement_echelle", "consolidation"}
NEEDS = {
    "modele_economique",
    "financement",
    "gouvernance",
    "juridique",
    "emploi",
    "commercial",
    "locaux",
    "cooperation",
    "innovation_sociale",
    "numerique",
    "formation",
    "benevolat",
    "evaluation_impact",
    "test_activite",
    "reprise",
}
LEGAL_FORMS = {
    "association",
    "scop",
    "scic",
    "cooperative",
    "mutuelle",
    "fondation",
    "societe_ess",
    "societe",
    "non_creee",
}
# Vocabularies of the directory and funding data (brief of the data files).
ORG_KINDS = {
    "reseau_ess",
    "reseau_creation",
    "financeur",
    "service_etat",
    "collectivite",
    "tiers_lieu",
    "autre",
}
ZONE_TYPES = {"commune", "epci", "departement", "region", "france"}
FUNDING_TYPES = {
    "subvention",
    "pret",
    "pret_honneur",
    "garantie",
    "fonds_propres",
    "avance_remboursable",
    "ingenierie",
    "autre",
}
RECURRENCES = {"ponctuel", "permanent", "recurrent"}
MOBILISATIONS = {"maille", "link", "email", "phone"}

ORG_FIELDS = {
    "slug",
    "name",
    "kind",
    "siret",
    "address",
    "commune",
    "website",
    "description",
    "source_url",
    "demo_fields",
    "branches",
}
OFFER_FIELDS = {
    "slug",
    "organisation",
    "branch",
    "name",
    "description",
    "stages",
    "needs",
    "legal_forms",
    "employees_min",
    "employees_max",
    "years_min",
    "years_max",
    "zones",
    "is_free",
    "on_site",
    "remote",
    "mobilisation",
    "contact",
    "added_value",
    "source_url",
    "demo_fields",
}
FUNDING_FIELDS = {
    "slug",
    "name",
    "funders",
    "type",
    "description",
    "stages",
    "needs",
    "legal_forms",
    "amount_min",
    "amount_max",
    "rate",
    "zones",
    "opens_on",
    "closes_on",
    "recurrence",
    "source_url",
    "demo_fields",
}

# The DLA of each département, by slug (its name gives the operator once known).
DLA_DEPARTEMENTS = {"dla-44": "44", "dla-49": "49", "dla-53": "53", "dla-72": "72", "dla-85": "85"}
MIN_OFFERS = 60
MIN_FUNDING = 30
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PHONE = re.compile(r"^\+?[0-9 .]{10,17}$")

# Sources that are never acceptable for a Pays de la Loire record: other regions' pages, blogs, author archives.
OTHER_REGION_SOURCES = (
    "hauts-de-france.",
    "normandie",
    "grandlyon.com",
    "bretagne.",
    "nouvelle-aquitaine.",
    "occitanie.",
    "auvergne-rhone-alpes.",
    "grand-est.",
    "ile-de-france.",
    "centre-val-de-loire.",
    "esshdf.org",
    "xavierbatut.fr",
    "/author/",
)
OPTIONAL_FIELDS = {"verified_on", "verified_by", "to_verify", "status"}
# Issue 11's goals: offers of its own per département (named local actors), offers per need, offers and schemes per stage.
COVERAGE_GOALS = {"departement_offers": 15, "need_offers": 5, "stage_offers": 10, "stage_schemes": 5}
# Placeholder names that are not named local actors.
PLACEHOLDER_NAMES = re.compile(r"^(DLA de |DDETS)|plateformes des Pays de la Loire|Initiative \d\d")

errors: list[str] = []
coverage_errors: list[str] = []


def check(condition: bool, message: str) -> None:
    if not condition:
        errors.append(message)


def load(name: str, directory: Path = HERE) -> list[dict]:
    with (directory / name).open(encoding="utf-8") as handle:
        data = json.load(handle)
    assert isinstance(data, list), f"{name} must be a JSON array"
    return data


_COMMUNE_ROWS = load("communes.json", TERRITORIES)
COMMUNES = {row["code"] for row in _COMMUNE_ROWS}
EPCIS = {row["code"] for row in load("epci.json", TERRITORIES)}
# The départements each EPCI's communes lie in (an EPCI zone counts as its département's own).
EPCI_DEPARTEMENTS: dict[str, set[str]] = {}
for _row in _COMMUNE_ROWS:
    if _row.get("epci"):
        EPCI_DEPARTEMENTS.setdefault(_row["epci"], set()).add(_row["departement"])
DEPARTEMENTS = {row["code"] for row in load("departements.json", TERRITORIES)}
REGIONS = {row["code"] for row in load("regions.json", TERRITORIES)}


def check_zone(where: str, zone: dict) -> None:
    kind, code = zone.get("type"), zone.get("code")
    check(kind in ZONE_TYPES, f"{where}: unknown zone type {kind!r}")
    known = {"commune": COMMUNES, "epci": EPCIS, "departement": DEPARTEMENTS, "region": REGIONS}
    if kind == "france":
        check(code == "", f"{where}: a 'france' zone has an empty code")
    elif kind in known:
        check(code in known[kind], f"{where}: unknown {kind} code {code!r}")


def check_common(where: str, record: dict, fields: set[str]) -> None:
    extra = set(record) - fields - OPTIONAL_FIELDS
    check(
        not extra and fields <= set(record),
        f"{where}: fields {sorted(extra | (fields - set(record)))} differ from the schema",
    )
    source = str(record.get("source_url", ""))
    check(source.startswith("https://"), f"{where}: source_url must start with https://")
    # An archived record (ended, kept for memory) may keep the page it was first read on.
    bad = [m for m in OTHER_REGION_SOURCES if m in source] if record.get("status") != "archived" else []
    check(
        not bad, f"{where}: source_url {source} is another region's page or a blog ({bad[0] if bad else ''})"
    )
    verified = record.get("verified_on")
    check(verified is None or DATE.match(verified) is not None, f"{where}: verified_on must be YYYY-MM-DD")
    check(isinstance(record.get("to_verify", []), list), f"{where}: to_verify must be a list")
    check(record.get("status") in (None, "archived"), f"{where}: status can only be 'archived'")
    demo = record.get("demo_fields")
    check(isinstance(demo, list), f"{where}: demo_fields must be a list")
    for name in demo or []:
        check(
            name in record and name not in {"slug", "demo_fields"},
            f"{where}: demo field {name!r} is not a field",
        )


def check_vocab(where: str, values: list, allowed: set[str], label: str) -> None:
    check(isinstance(values, list), f"{where}: {label} must be a list")
    for value in values or []:
        check(value in allowed, f"{where}: unknown {label} {value!r}")


def check_unique(kind: str, records: list[dict]) -> set[str]:
    counts = Counter(record.get("slug") for record in records)
    for slug, count in counts.items():
        check(count == 1, f"{kind}: slug {slug!r} appears {count} times")
    return set(counts)


def main() -> int:
    organisations = load("organisations.json")
    offers = load("offers.json")
    funding = load("funding.json")

    org_slugs = check_unique("organisations", organisations)
    check_unique("offers", offers)
    check_unique("funding", funding)
    branches: dict[str, set[str]] = {}

    for org in organisations:
        where = f"organisation {org.get('slug')}"
        check_common(where, org, ORG_FIELDS)
        check(org.get("kind") in ORG_KINDS, f"{where}: unknown kind {org.get('kind')!r}")
        check(org.get("commune") in COMMUNES, f"{where}: unknown commune {org.get('commune')!r}")
        siret = org.get("siret")
        check(
            siret is None or re.fullmatch(r"\d{14}", siret) is not None, f"{where}: siret must be 14 digits"
        )
        website = org.get("website")
        check(website is None or website.startswith("https://"), f"{where}: website must start with https://")
        names = set()
        for branch in org.get("branches", []):
            names.add(branch.get("name"))
            check(
                branch.get("commune") in COMMUNES,
                f"{where}: branch commune {branch.get('commune')!r} unknown",
            )
            for zone in branch.get("zones", []):
                check_zone(f"{where} branch {branch.get('name')}", zone)
        branches[org.get("slug")] = names

    for offer in offers:
        where = f"offer {offer.get('slug')}"
        check_common(where, offer, OFFER_FIELDS)
        organisation = offer.get("organisation")
        check(organisation in org_slugs, f"{where}: unknown organisation {organisation!r}")
        branch = offer.get("branch")
        check(
            branch is None or branch in branches.get(organisation, set()),
            f"{where}: unknown branch {branch!r}",
        )
        check_vocab(where, offer.get("stages"), STAGES, "stage")
        check_vocab(where, offer.get("needs"), NEEDS, "need")
        check_vocab(where, offer.get("legal_forms"), LEGAL_FORMS, "legal form")
        check(
            bool(offer.get("stages")) and bool(offer.get("needs")), f"{where}: stages and needs are required"
        )
        check(bool(offer.get("zones")), f"{where}: at least one zone is required")
        for zone in offer.get("zones", []):
            check_zone(where, zone)
        for low, high in (("employees_min", "employees_max"), ("years_min", "years_max")):
            lo, hi = offer.get(low), offer.get(high)
            check(lo is None or isinstance(lo, int), f"{where}: {low} must be null or an integer")
            check(hi is None or isinstance(hi, int), f"{where}: {high} must be null or an integer")
            if isinstance(lo, int) and isinstance(hi, int):
                check(lo <= hi, f"{where}: {low} > {high}")
        for flag in ("is_free", "on_site", "remote"):
            check(isinstance(offer.get(flag), bool), f"{where}: {flag} must be a boolean")
        mobilisation, contact = offer.get("mobilisation"), offer.get("contact")
        check(mobilisation in MOBILISATIONS, f"{where}: unknown mobilisation {mobilisation!r}")
        if mobilisation == "maille":
            check(contact is None, f"{where}: a 'maille' offer has no contact")
        elif mobilisation == "link":
            check(str(contact).startswith("https://"), f"{where}: a 'link' contact is an https URL")
        elif mobilisation == "email":
            check("@" in str(contact), f"{where}: an 'email' contact is an e-mail address")
        elif mobilisation == "phone":
            check(PHONE.match(str(contact)) is not None, f"{where}: a 'phone' contact is a phone number")
        check(bool(str(offer.get("added_value", "")).strip()), f"{where}: added_value is required")

    for scheme in funding:
        where = f"funding {scheme.get('slug')}"
        check_common(where, scheme, FUNDING_FIELDS)
        check(bool(scheme.get("funders")), f"{where}: at least one funder is required")
        for funder in scheme.get("funders", []):
            check(funder in org_slugs, f"{where}: unknown funder {funder!r}")
        check(scheme.get("type") in FUNDING_TYPES, f"{where}: unknown type {scheme.get('type')!r}")
        check(
            scheme.get("recurrence") in RECURRENCES,
            f"{where}: unknown recurrence {scheme.get('recurrence')!r}",
        )
        check_vocab(where, scheme.get("stages"), STAGES, "stage")
        check_vocab(where, scheme.get("needs"), NEEDS, "need")
        check_vocab(where, scheme.get("legal_forms"), LEGAL_FORMS, "legal form")
        check(bool(scheme.get("zones")), f"{where}: at least one zone is required")
        for zone in scheme.get("zones", []):
            check_zone(where, zone)
        low, high = scheme.get("amount_min"), scheme.get("amount_max")
        check(low is None or isinstance(low, int), f"{where}: amount_min must be null or an integer")
        check(high is None or isinstance(high, int), f"{where}: amount_max must be null or an integer")
        if isinstance(low, int) and isinstance(high, int):
            check(low <= high, f"{where}: amount_min > amount_max")
        for field in ("opens_on", "closes_on"):
            value = scheme.get(field)
            check(
                value is None or DATE.match(value) is not None, f"{where}: {field} must be YYYY-MM-DD or null"
            )
        if scheme.get("opens_on") and scheme.get("closes_on"):
            check(scheme["opens_on"] <= scheme["closes_on"], f"{where}: opens_on is after closes_on")

    by_slug = {org.get("slug"): org.get("name") for org in organisations}
    for slug, code in DLA_DEPARTEMENTS.items():
        name = by_slug.get(slug)
        check(name is not None, f"missing organisation {slug!r}")
        matching = [
            offer
            for offer in offers
            if offer.get("organisation") == slug
            and {"type": "departement", "code": code} in offer.get("zones", [])
        ]
        check(bool(matching), f"{name}: no offer covering département {code}")
        for offer in matching:
            check((offer.get("employees_min") or 0) >= 1, f"{offer['slug']}: a DLA offer is for employers")
            forbidden = {"non_creee", "societe"} & set(offer.get("legal_forms", []))
            check(
                not forbidden and offer.get("legal_forms"),
                f"{offer['slug']}: DLA legal forms are ESS employers",
            )
            check(
                {"consolidation", "developpement"} <= set(offer.get("stages", [])),
                f"{offer['slug']}: DLA stages",
            )
            check(offer.get("is_free") is True, f"{offer['slug']}: the DLA is free")

    check(len(offers) >= MIN_OFFERS, f"{len(offers)} offers, at least {MIN_OFFERS} expected")
    check(len(funding) >= MIN_FUNDING, f"{len(funding)} funding schemes, at least {MIN_FUNDING} expected")

    summarise(organisations, offers, funding)
    coverage(organisations, offers, funding)
    if errors or (coverage_errors and "--report-only" not in sys.argv):
        errors.extend(coverage_errors)
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for message in errors:
            print(f"  - {message}", file=sys.stderr)
        return 1
    print("\nOK: all checks passed.")
    return 0


def summarise(organisations: list[dict], offers: list[dict], funding: list[dict]) -> None:
    print(f"{len(organisations)} organisations, {len(offers)} offers, {len(funding)} funding schemes\n")
    offers_by_org = Counter(offer.get("organisation") for offer in offers)
    funding_by_org = Counter(funder for scheme in funding for funder in scheme.get("funders", []))
    print(f"{'organisation':<28} {'offers':>6} {'schemes':>8}")
    for org in organisations:
        slug = org.get("slug")
        print(f"{slug:<28} {offers_by_org[slug]:>6} {funding_by_org[slug]:>8}")
    zones = Counter(zone.get("type") for record in offers + funding for zone in record.get("zones", []))
    print("\nzones by type (offers + schemes): " + ", ".join(f"{k} {v}" for k, v in sorted(zones.items())))
    records = organisations + offers + funding
    with_demo = sum(1 for record in records if record.get("demo_fields"))
    print(f"records with demo fields: {with_demo}/{len(records)} ({100 * with_demo / len(records):.0f} %)")
    for label, group in (("organisations", organisations), ("offers", offers), ("funding", funding)):
        count = sum(1 for record in group if record.get("demo_fields"))
        print(f"  {label}: {count}/{len(group)}")
    skip = {"slug", "source_url", "demo_fields"}
    facts = sum(1 for r in records for k, v in r.items() if k not in skip and v not in (None, [], ""))
    demo_facts = sum(1 for r in records for k in r.get("demo_fields", []) if r.get(k) not in (None, [], ""))
    print(
        f"filled fields marked demo: {demo_facts}/{facts} ({100 * demo_facts / facts:.0f} %); the others are not"
    )
    fields = Counter(name for record in records for name in record.get("demo_fields", []))
    print("most frequent demo fields: " + ", ".join(f"{k} {v}" for k, v in fields.most_common(8)))


def coverage(organisations: list[dict], offers: list[dict], funding: list[dict]) -> None:
    """Print (and check against COVERAGE_GOALS) the figures of issue 11."""
    named = {o["slug"] for o in organisations if not PLACEHOLDER_NAMES.search(o.get("name", ""))}
    live = [s for s in funding if s.get("status") != "archived"]
    print("\ncoverage (issue 11 goals in brackets)")
    print(f"  own offers per département from named local actors [≥ {COVERAGE_GOALS['departement_offers']}]:")
    for code in sorted(DEPARTEMENTS & {"44", "49", "53", "72", "85"}):
        own = [
            o
            for o in offers
            if o.get("organisation") in named
            and any(
                (z.get("type") == "departement" and z.get("code") == code)
                or (z.get("type") == "commune" and str(z.get("code", "")).startswith(code))
                or (z.get("type") == "epci" and code in EPCI_DEPARTEMENTS.get(z.get("code"), set()))
                for z in o.get("zones", [])
            )
        ]
        print(f"    {code}: {len(own)}")
        if len(own) < COVERAGE_GOALS["departement_offers"]:
            coverage_errors.append(
                f"coverage: département {code} has {len(own)} own offers from named actors"
            )
    print(f"  offers per need [≥ {COVERAGE_GOALS['need_offers']}]:")
    for need in sorted(NEEDS):
        count = sum(1 for o in offers if need in o.get("needs", []))
        print(f"    {need}: {count}")
        if count < COVERAGE_GOALS["need_offers"]:
            coverage_errors.append(f"coverage: need {need} has {count} offers")
    print(
        f"  per stage: offers [≥ {COVERAGE_GOALS['stage_offers']}], schemes [≥ {COVERAGE_GOALS['stage_schemes']}]:"
    )
    for stage in sorted(STAGES):
        n_offers = sum(1 for o in offers if stage in o.get("stages", []))
        n_schemes = sum(1 for s in live if stage in s.get("stages", []))
        print(f"    {stage}: {n_offers} offers, {n_schemes} schemes")
        if n_offers < COVERAGE_GOALS["stage_offers"] or n_schemes < COVERAGE_GOALS["stage_schemes"]:
            coverage_errors.append(f"coverage: stage {stage} has {n_offers} offers and {n_schemes} schemes")
    records = organisations + offers + funding
    unverified = [r.get("slug") for r in records if not r.get("verified_on")]
    to_verify = [r.get("slug") for r in records if r.get("to_verify")]
    print(
        f"  records without verified_on: {len(unverified)}; records with a to_verify list: {len(to_verify)}"
    )


if __name__ == "__main__":
    sys.exit(main())
