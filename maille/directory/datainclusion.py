"""Export of the directory in the national data·inclusion schema (PyPI `data-inclusion-schema`, version 1).

Organisations become `Structure` records and published offers `Service` records: plain JSON-serialisable dicts that
`Structure.model_validate(record, context={"ignore_warnings": False})` (resp. `Service`) accepts.

What is exported, and what is not (DATA.md: never present an invented fact as real):
- fiches de démonstration (`is_demo`) are never exported, nor the offers of a demo organisation;
- a field listed in a record's `demo_fields` (a plausible completion, not confirmed by the source) is left out of the
  optional fields it feeds; the required `nom` and `description` of a service are kept, and when they are not
  confirmed the description says that its information is to be confirmed with the organisation;
- no SIRET, postal code, contact or date is guessed: a postal code is given only when the commune has a single one.

The thématiques of data·inclusion describe the paths of people (employment, housing, health…); ours describe support
to social-economy projects. `STAGE_THEMATIQUES` and `NEED_THEMATIQUES` keep only the honest correspondences: every
stage maps to a sub-thématique of « Créer une entreprise », and a few needs add one; the other needs (financing,
governance, legal, employer function…) have no data·inclusion equivalent and add nothing.
"""

import re
from datetime import date

from data_inclusion.schema.v1 import Frais, ModeAccueil, ModeMobilisation, Public, ReseauPorteur, Thematique
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from pydantic import EmailStr, HttpUrl, TypeAdapter, ValidationError

from maille.core.enums import LegalForm, Need, Stage
from maille.territories.enums import ZoneLevel
from maille.territories.selectors import departements_by_region as _departements_by_region

from .enums import Mobilisation, OrganisationKind, PublicationStatus
from .models import Offer, Organisation

SOURCE = "maille"
NAME_MIN, NAME_MAX = 3, 150
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 10000
TO_CONFIRM = "Informations à confirmer auprès de {organisation}."

STAGE_THEMATIQUES: dict[str, list[Thematique]] = {
    Stage.EMERGENCE: [Thematique.CREER_UNE_ENTREPRISE__DEFINIR_SON_PROJET_DE_CREATION_DENTREPRISE],
    Stage.CREATION: [Thematique.CREER_UNE_ENTREPRISE__STRUCTURER_SON_PROJET_DE_CREATION_DENTREPRISE],
    Stage.DEVELOPPEMENT: [Thematique.CREER_UNE_ENTREPRISE__DEVELOPPER_SON_ENTREPRISE],
    Stage.CHANGEMENT_ECHELLE: [Thematique.CREER_UNE_ENTREPRISE__DEVELOPPER_SON_ENTREPRISE],
    Stage.CONSOLIDATION: [Thematique.CREER_UNE_ENTREPRISE__DEVELOPPER_SON_ENTREPRISE],
}
NEED_THEMATIQUES: dict[str, list[Thematique]] = {
    # Testing an activity (incubator, CAE) and taking over a business are ways of structuring a creation project.
    Need.TEST_ACTIVITE: [Thematique.CREER_UNE_ENTREPRISE__STRUCTURER_SON_PROJET_DE_CREATION_DENTREPRISE],
    Need.REPRISE: [Thematique.CREER_UNE_ENTREPRISE__STRUCTURER_SON_PROJET_DE_CREATION_DENTREPRISE],
    Need.FORMATION: [Thematique.SE_FORMER__TROUVER_SA_FORMATION],
    Need.BENEVOLAT: [Thematique.REMOBILISATION__BENEVOLAT_ACTION_CITOYENNE],
}

# National networks (réseaux porteurs) of the organisations of the regional directory, by slug.
NETWORKS_BY_SLUG: dict[str, list[ReseauPorteur]] = {
    "adie-pdl": [ReseauPorteur.ADIE],
    "bge-pdl": [ReseauPorteur.RESEAU_BGE],
    "cci-pdl": [ReseauPorteur.CHAMBRES_CONSULAIRES],
    "cma-pdl": [ReseauPorteur.CHAMBRES_CONSULAIRES],
    "france-active-pdl": [ReseauPorteur.FRANCE_ACTIVE],
    "initiative-pdl": [ReseauPorteur.INITIATIVE_FRANCE],
    "region-pdl": [ReseauPorteur.REGIONS],
    "reseau-entreprendre-pdl": [ReseauPorteur.RESEAU_ENTREPRENDRE],
}
NETWORKS_BY_KIND: dict[str, list[ReseauPorteur]] = {OrganisationKind.EPCI: [ReseauPorteur.COMMUNES]}

_EMAIL = TypeAdapter(EmailStr)
_URL = TypeAdapter(HttpUrl)
_FRENCH_PHONE = re.compile(r"^0[1-9]\d{8}$")


def structure_id(organisation: Organisation) -> str:
    return f"{SOURCE}--{organisation.slug}"


def service_id(offer: Offer) -> str:
    return f"{SOURCE}--{offer.slug}"


def structure_record(organisation: Organisation) -> dict:
    """The data·inclusion `Structure` of an organisation (its commune's postal codes are best prefetched)."""
    org = organisation
    with translation.override("fr"):
        record = {
            "source": SOURCE,
            "id": structure_id(org),
            "nom": _name(org.name, org.get_kind_display()),
            "date_maj": _date_maj(org.updated_at),
            "lien_source": _url(org.source_url),
        }
        if org.is_confirmed("description"):
            description = _truncate(" ".join(org.description.split()), DESCRIPTION_MAX)
            record["description"] = description if len(description) >= DESCRIPTION_MIN else None
        if org.siret and org.is_confirmed("siret"):
            record["siret"] = org.siret
        if org.address and org.is_confirmed("address"):
            record["adresse"] = org.address
        if org.commune_id and org.is_confirmed("commune"):
            record.update(_location(org.commune))
        if org.is_confirmed("phone"):
            record["telephone"] = _phone(org.phone)
        if org.is_confirmed("email"):
            record["courriel"] = _email(org.email)
        if org.is_confirmed("website"):
            record["site_web"] = _url(org.website)
        networks = NETWORKS_BY_SLUG.get(org.slug) or NETWORKS_BY_KIND.get(org.kind) or []
        record["reseaux_porteurs"] = sorted(n.value for n in networks) or None
    return _without_empty(record)


def service_record(offer: Offer, departements_by_region: dict[str, list[str]] | None = None) -> dict:
    """The data·inclusion `Service` of an offer.

    `departements_by_region` ({"52": ["44", …]}) spares one query per offer in an export; without it, the
    départements of the offer's regional zones are read here.
    """
    org = offer.organisation
    zones = list(offer.zones.all()) if _confirmed(offer, "zones") else []
    if departements_by_region is None:
        departements_by_region = _departements_by_region(z.zone_code for z in zones)
    with translation.override("fr"):
        record = {
            "source": SOURCE,
            "id": service_id(offer),
            "structure_id": structure_id(org),
            "nom": _name(offer.name, org.name),
            "description": _service_description(offer),
            "lien_source": _url(offer.source_url),
            "date_maj": _date_maj(offer.updated_at),
            "thematiques": _thematiques(offer),
            "frais": _frais(offer),
            # Our offers target no particular group of people: their conditions bear on the project or structure.
            "publics": [Public.TOUS_PUBLICS.value],
            "publics_precisions": _publics_precisions(offer),
            "conditions_acces": _conditions(offer),
            "modes_accueil": _modes_accueil(offer),
            "zone_eligibilite": _zone_codes(zones, departements_by_region),
        }
        branch = offer.branch
        if branch is not None and branch.commune_id and org.is_confirmed("branches"):
            record.update(_location(branch.commune))
        record.update(_mobilisation(offer))
    return _without_empty(record)


def exported_offers():
    """Published offers of real (non-demo) organisations, with what their records read."""
    return (
        Offer.objects.filter(status=PublicationStatus.PUBLISHED, is_demo=False, organisation__is_demo=False)
        .select_related("organisation", "branch__commune")
        .prefetch_related("zones", "branch__commune__postal_codes")
        .order_by("organisation__slug", "slug")
    )


def exported_organisations():
    """Real organisations with at least one exported offer."""
    offers = Offer.objects.filter(
        organisation=OuterRef("pk"), status=PublicationStatus.PUBLISHED, is_demo=False
    )
    return (
        Organisation.objects.filter(Exists(offers), is_demo=False)
        .select_related("commune")
        .prefetch_related("commune__postal_codes")
        .order_by("slug")
    )


def structures_export() -> list[dict]:
    return [structure_record(org) for org in exported_organisations()]


def services_export() -> list[dict]:
    offers = list(exported_offers())
    regions = {z.zone_code for offer in offers for z in offer.zones.all() if z.zone_level == ZoneLevel.REGION}
    departements_by_region = _departements_by_region(regions)
    return [service_record(offer, departements_by_region) for offer in offers]


# --- fields -------------------------------------------------------------------------------------------------------


def _confirmed(offer: Offer, field: str) -> bool:
    """A fact of the offer confirmed by a source: not a demo completion, nor part of a demo organisation's offer."""
    return offer.is_confirmed(field) and not offer.organisation.is_demo


def _without_empty(record: dict) -> dict:
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + "…"


def _name(value: str, complement: str) -> str:
    """3 to 150 characters, not ending with a full stop; a too short name is completed with `complement`."""
    name = " ".join(value.split())
    while name.endswith(".") and not name.endswith("etc."):
        name = name[:-1].rstrip()
    if len(name) < NAME_MIN:
        name = f"{name} – {complement}".strip(" –")
    return _truncate(name, NAME_MAX)


def _date_maj(updated_at) -> str:
    """The local date of the last change; never after today (the schema refuses a date in the future)."""
    today = date.today()
    day = timezone.localdate(updated_at) if updated_at else today
    return min(day, today).isoformat()


def _url(value: str) -> str | None:
    if not value:
        return None
    try:
        _URL.validate_python(value)
    except ValidationError:
        return None
    return value


def _email(value: str) -> str | None:
    if not value:
        return None
    try:
        return _EMAIL.validate_python(value)
    except ValidationError:
        return None


def _phone(value: str) -> str | None:
    """A French ten-digit number in E.164 (+33…), as the schema prefers; any other number as written."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if _FRENCH_PHONE.match(digits):
        return "+33" + digits[1:]
    return value.strip() or None


def _location(commune) -> dict:
    postal_codes = {pc.code for pc in commune.postal_codes.all()}
    return {
        "commune": commune.name,
        "code_insee": commune.code,
        # A commune with several postal codes: which one is the address's is not known.
        "code_postal": postal_codes.pop() if len(postal_codes) == 1 else None,
    }


def _zone_codes(zones, departements_by_region: dict[str, list[str]]) -> list[str]:
    """Codes of the Code officiel géographique; a région is listed as its départements, as the schema asks."""
    codes: list[str] = []
    for zone in zones:
        if zone.zone_level == ZoneLevel.FRANCE:
            return ["france"]
        if zone.zone_level == ZoneLevel.REGION:
            codes += departements_by_region.get(zone.zone_code, [])
        else:
            codes.append(zone.zone_code)
    return sorted(set(codes))


def _thematiques(offer: Offer) -> list[str]:
    found: set[Thematique] = set()
    if _confirmed(offer, "stages"):
        for stage in offer.stages:
            found.update(STAGE_THEMATIQUES.get(stage, []))
    if _confirmed(offer, "needs"):
        for need in offer.needs:
            found.update(NEED_THEMATIQUES.get(need, []))
    return sorted(t.value for t in found)


def _frais(offer: Offer) -> str | None:
    if not _confirmed(offer, "is_free"):
        return None
    return (Frais.GRATUIT if offer.is_free else Frais.PAYANT).value


def _labels(enum, values) -> str:
    return ", ".join(str(enum(value).label) for value in values if value in enum.values)


def _service_description(offer: Offer) -> str:
    parts = [offer.description.strip(), offer.added_value.strip()]
    if not (_confirmed(offer, "name") and _confirmed(offer, "description")):
        parts.append(TO_CONFIRM.format(organisation=offer.organisation.name))
    description = "\n\n".join(part for part in parts if part)
    if len(description) < DESCRIPTION_MIN:
        # Too short for the schema: completed with what we know, the organisation and the stages served.
        stages = _labels(Stage, offer.stages) if _confirmed(offer, "stages") else ""
        description = " – ".join(filter(None, [description, offer.organisation.name, stages]))
    return _truncate(description, DESCRIPTION_MAX)


def _publics_precisions(offer: Offer) -> str:
    sentences = []
    if _confirmed(offer, "stages") and offer.stages:
        sentences.append(f"Projets et structures aux stades : {_labels(Stage, offer.stages)}.")
    if _confirmed(offer, "legal_forms"):
        if offer.legal_forms:
            sentences.append(f"Formes juridiques éligibles : {_labels(LegalForm, offer.legal_forms)}.")
        else:
            sentences.append("Toutes formes juridiques.")
    return " ".join(sentences)


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n <= 1 else plural}"


def _range(low: int | None, high: int | None, singular: str, plural: str) -> str:
    if low is not None and high is not None:
        return f"de {low} à {_count(high, singular, plural)}"
    if low is not None:
        return f"au moins {_count(low, singular, plural)}"
    if high is not None:
        return f"au plus {_count(high, singular, plural)}"
    return ""


def _conditions(offer: Offer) -> str:
    sentences = []
    if _confirmed(offer, "employees_min") and _confirmed(offer, "employees_max"):
        employees = _range(offer.employees_min, offer.employees_max, "salarié", "salariés")
        if employees:
            sentences.append(f"Effectif de la structure : {employees}.")
    if _confirmed(offer, "years_min") and _confirmed(offer, "years_max"):
        years = _range(offer.years_min, offer.years_max, "an", "ans")
        if years:
            sentences.append(f"Ancienneté de la structure : {years}.")
    return " ".join(sentences)


def _modes_accueil(offer: Offer) -> list[str]:
    modes = []
    if offer.on_site and _confirmed(offer, "on_site"):
        modes.append(ModeAccueil.EN_PRESENTIEL.value)
    if offer.remote and _confirmed(offer, "remote"):
        modes.append(ModeAccueil.A_DISTANCE.value)
    return sorted(modes)


def _mobilisation(offer: Offer) -> dict:
    """How to mobilise the offer: its own contact, else the organisation's (as the schema's modes read it).

    A mode is given only with the link, e-mail or phone it needs; otherwise (and for a connection through Maille,
    which data·inclusion has no mode for) the way to mobilise the offer is said in `mobilisation_precisions`.
    """
    org = offer.organisation
    contact = offer.contact.strip() if _confirmed(offer, "contact") else ""
    if offer.mobilisation == Mobilisation.LINK:
        link = _url(contact) or (_url(org.website) if org.is_confirmed("website") else None)
        if link:
            return {
                "lien_mobilisation": link,
                "modes_mobilisation": [ModeMobilisation.UTILISER_LIEN_MOBILISATION.value],
            }
    elif offer.mobilisation == Mobilisation.EMAIL:
        email = _email(contact) or (_email(org.email) if org.is_confirmed("email") else None)
        if email:
            return {"courriel": email, "modes_mobilisation": [ModeMobilisation.ENVOYER_UN_COURRIEL.value]}
    elif offer.mobilisation == Mobilisation.PHONE:
        phone = _phone(contact) or (_phone(org.phone) if org.is_confirmed("phone") else None)
        if phone:
            return {"telephone": phone, "modes_mobilisation": [ModeMobilisation.TELEPHONER.value]}
    return {"mobilisation_precisions": f"{offer.get_mobilisation_display()}."}
