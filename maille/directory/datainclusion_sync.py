"""Structures and services from the national data·inclusion API, in its schema (PyPI `data-inclusion-schema`, v1).

The API answers pages `{items, total, page, size, pages}` of `/structures` and `/services`. Every record is validated
with the package's `Structure` / `Service` models; an invalid one is skipped with the reason. `sync` keeps:
- structures located in the region (their commune's INSEE code, else their postal code's département);
- services of those structures (or located in the region) whose thématiques are about creating or developing a
  business (« créer une entreprise »), the only ones that fit business creation and ESS support.

A structure that is already in the directory (same SIRET, or same name and commune) is not duplicated: its services
attach to it. A service already entered by a person (same page, or same organisation and name) is skipped. New offers
wait « à relire » (`PublicationStatus.TO_REVIEW`) until staff publish them; a later run updates what changed, never a
field a person edited. Needs cannot be read from data·inclusion: an imported offer gets « modèle économique » (or
« numérique », « formation »… when a thématique says so), marked « démo, à confirmer » until a person checks it.
Records exported by Maille itself (source `maille`) are skipped. Live: token in `DATA_INCLUSION_API_TOKEN`.
"""

from data_inclusion.schema.v1 import Service, Structure
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from maille.core.commands import SyncError, SyncReport, fetch_json
from maille.core.enums import Need, Stage
from maille.core.text import normalize
from maille.territories.models import Commune, Departement

from .enums import Mobilisation, OrganisationKind, Origin, PublicationStatus
from .models import Offer, Organisation
from .services import save_offer

API_ROOT = "https://api.data.inclusion.gouv.fr/api/v1"
TOKEN_ENV = "DATA_INCLUSION_API_TOKEN"
OWN_SOURCE = "maille"
CREATION = "creer-une-entreprise--"
THEMATIQUE_STAGES = {
    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise": [Stage.EMERGENCE],
    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise": [Stage.CREATION],
    "creer-une-entreprise--developper-son-entreprise": [Stage.DEVELOPPEMENT, Stage.CONSOLIDATION],
}
THEMATIQUE_NEEDS = [
    ("numerique", Need.NUMERIQUE),
    ("se-former", Need.FORMATION),
    ("benevolat", Need.BENEVOLAT),
]
NETWORK_KINDS = {"adie", "reseau-bge", "initiative-france", "france-active", "reseau-entreprendre"}
SYNCED_FIELDS = [
    "name",
    "description",
    "stages",
    "needs",
    "is_free",
    "on_site",
    "remote",
    "mobilisation",
    "contact",
    "source_url",
    "external_url",
    "demo_fields",
]
STRICT = {"ignore_warnings": True}


def _key(text) -> str:
    return normalize(str(text or "")).strip()


def read_records(data) -> tuple[list[dict], list[dict]]:
    """(structures, services) of one saved response: a page `{items: […]}` or a list; a service has `structure_id`."""
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise SyncError(_("Réponse data·inclusion illisible : une liste « items » de fiches est attendue."))
    structures, services = [], []
    for number, item in enumerate(items, start=1):
        if not {"source", "id", "nom"} <= set(item):
            raise SyncError(
                _("Réponse data·inclusion illisible : la fiche n° %(n)d n'a pas de source, d'id ou de nom.")
                % {"n": number}
            )
        (services if "structure_id" in item else structures).append(item)
    return structures, services


def fetch_records(token: str, region_code: str = "") -> tuple[list[dict], list[dict]]:
    region_code = region_code or settings.MAILLE_REGION_CODE
    headers = {"Authorization": f"Bearer {token}"}
    result: dict[str, list[dict]] = {"structures": [], "services": []}
    for resource in result:
        page, pages = 1, 1
        while page <= pages:
            url = f"{API_ROOT}/{resource}?code_region={region_code}&size=1000&page={page}"
            if resource == "services":
                url += "&thematiques=creer-une-entreprise"
            data = fetch_json(url, headers=headers)
            structures, services = read_records(data)
            result[resource].extend(structures if resource == "structures" else services)
            pages = int(data.get("pages") or 1) if isinstance(data, dict) else 1
            page += 1
    return result["structures"], result["services"]


class Region:
    def __init__(self, code: str):
        self.departements = set(Departement.objects.filter(region_id=code).values_list("code", flat=True))
        self.communes = set(Commune.objects.filter(region_id=code).values_list("code", flat=True))
        self.epcis = set(
            Commune.objects.filter(region_id=code, epci__isnull=False).values_list("epci_id", flat=True)
        )

    def has_location(self, record) -> bool:
        if record.code_insee:
            return record.code_insee in self.communes
        return bool(record.code_postal) and record.code_postal[:2] in self.departements

    def zones(self, codes) -> list[tuple[str, str]]:
        zones = []
        for code in codes or []:
            code = str(code)
            if code in {"france", "99100"}:
                zones.append(("france", ""))
            elif code in self.departements:
                zones.append(("departement", code))
            elif code in self.communes:
                zones.append(("commune", code))
            elif code in self.epcis:
                zones.append(("epci", code))
        return list(dict.fromkeys(zones))


def sync(structures: list[dict], services: list[dict], dry_run: bool = False, progress=None) -> SyncReport:
    report = SyncReport(dry_run=dry_run)
    with transaction.atomic():
        region = Region(settings.MAILLE_REGION_CODE)
        bar = progress(_("data·inclusion"), len(structures) + len(services)) if progress else None
        organisations: dict[str, Organisation] = {}
        for raw in structures:
            org = _sync_structure(raw, region, report)
            if org is not None:
                organisations[str(raw["id"])] = org
            if bar is not None:
                bar.update(1)
        for raw in services:
            _sync_service(raw, region, organisations, report)
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _validate(model, raw: dict, label: str, report: SyncReport):
    try:
        return model.model_validate(raw, context=STRICT)
    except SchemaError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        report.skip(label, _("non conforme au schéma data·inclusion (%(field)s)") % {"field": where or "?"})
        return None


def _sync_structure(raw: dict, region: Region, report: SyncReport) -> Organisation | None:
    label = f"structure {raw.get('id')} « {str(raw.get('nom'))[:80]} »"
    if raw.get("source") == OWN_SOURCE:
        report.skip(label, _("fiche exportée par Maille"))
        return None
    record = _validate(Structure, raw, label, report)
    if record is None:
        return None
    if not region.has_location(record):
        report.skip(label, _("structure hors de la région"))
        return None
    existing = Organisation.objects.filter(origin=Origin.DATA_INCLUSION, external_id=record.id).first()
    if existing is None:
        person = None
        if record.siret:
            person = Organisation.objects.filter(siret=record.siret).first()
        if person is None:
            person = (
                next(
                    (
                        o
                        for o in Organisation.objects.filter(commune_id=record.code_insee)
                        if _key(o.name) == _key(record.nom)
                    ),
                    None,
                )
                if record.code_insee
                else None
            )
        if person is not None:
            report.skip(label, _("organisation déjà dans l'annuaire (%(slug)s)") % {"slug": person.slug})
            return person  # its services attach to the organisation already there
    values = {
        "name": record.nom[:200],
        "description": (record.description or "")[:4000],
        "siret": record.siret or "",
        "address": (record.adresse or "")[:300],
        "commune_id": record.code_insee if record.code_insee in region.communes else None,
        "website": str(record.site_web or "")[:300],
        "email": str(record.courriel or ""),
        "phone": (record.telephone or "")[:30],
        "source_url": str(record.lien_source or record.site_web or "")[:500],
    }
    networks = {str(n) for n in record.reseaux_porteurs or []}
    if existing is None:
        org = Organisation(
            slug=f"di-{slugify(record.nom)}"[:110] or "di-structure",
            kind=OrganisationKind.CREATION_NETWORK if networks & NETWORK_KINDS else OrganisationKind.OTHER,
            origin=Origin.DATA_INCLUSION,
            external_id=record.id[:200],
            **values,
        )
        base, n = org.slug, 2
        while Organisation.objects.filter(slug=org.slug).exists():
            org.slug, n = f"{base}-{n}", n + 1
        created = True
    else:
        org, created = existing, False
    changed = False
    for field, value in values.items():
        if not created and field in org.edited_fields:
            continue
        if getattr(org, field) != value:
            setattr(org, field, value)
            changed = True
    if not changed and not created:
        report.unchanged.append(label)
        return org
    try:
        with transaction.atomic():
            org.full_clean()
            org.save()
    except ValidationError as exc:
        report.skip(label, _("fiche invalide : %(errors)s") % {"errors": "; ".join(exc.messages)})
        return None
    (report.new if created else report.updated).append(label)
    return org


def _mobilisation(record) -> tuple[str, str]:
    if record.lien_mobilisation:
        return Mobilisation.LINK, str(record.lien_mobilisation)[:300]
    if record.courriel:
        return Mobilisation.EMAIL, str(record.courriel)[:300]
    if record.telephone:
        return Mobilisation.PHONE, record.telephone[:300]
    if record.lien_source:
        return Mobilisation.LINK, str(record.lien_source)[:300]
    return Mobilisation.MAILLE, ""


def _sync_service(raw: dict, region: Region, organisations: dict, report: SyncReport) -> None:
    label = f"service {raw.get('id')} « {str(raw.get('nom'))[:80]} »"
    if raw.get("source") == OWN_SOURCE:
        report.skip(label, _("fiche exportée par Maille"))
        return
    record = _validate(Service, raw, label, report)
    if record is None:
        return
    thematiques = sorted(str(t) for t in record.thematiques or [])
    creation = [t for t in thematiques if t.startswith(CREATION)]
    if not creation:
        report.skip(label, _("thématiques sans rapport avec la création d'entreprise ou l'ESS"))
        return
    org = organisations.get(record.structure_id)
    if org is None:
        report.skip(label, _("structure absente ou hors de la région"))
        return
    zones = region.zones(record.zone_eligibilite)
    if not zones and record.code_insee in region.communes:
        zones = [("commune", record.code_insee)]
    if not zones and org.commune_id:
        zones = [("commune", org.commune_id)]
    if not zones:
        report.skip(label, _("zone d'éligibilité hors de la région"))
        return
    found = {s for t in creation for s in THEMATIQUE_STAGES.get(t, [Stage.CREATION])}
    stages = [s for s in Stage.values if s in found]  # in the vocabulary's order (thématiques are a set)
    needs = [need for word, need in THEMATIQUE_NEEDS if any(word in t for t in thematiques)]
    mobilisation, contact = _mobilisation(record)
    modes = {str(m) for m in record.modes_accueil or []}
    frais = str(record.frais) if record.frais else ""
    values = {
        "name": record.nom[:200],
        "description": (record.description or record.nom)[:4000],
        "stages": stages,
        "needs": needs or [Need.MODELE_ECONOMIQUE],
        "is_free": frais != "payant",
        "on_site": "en-presentiel" in modes or not modes,
        "remote": "a-distance" in modes,
        "mobilisation": mobilisation,
        "contact": contact,
        "source_url": str(record.lien_source or "")[:500],
        "external_url": str(record.lien_source or "")[:500],
        # Needs are our guess, and the price is unknown without `frais`: « démo, à confirmer » until checked.
        "demo_fields": (["needs"] if not needs else []) + (["is_free"] if not frais else []),
    }
    existing = Offer.objects.filter(origin=Origin.DATA_INCLUSION, external_id=record.id).first()
    if existing is None:
        for offer in Offer.objects.filter(organisation=org).exclude(origin=Origin.DATA_INCLUSION):
            same_page = values["source_url"] and offer.source_url.rstrip("/") == values["source_url"].rstrip(
                "/"
            )
            if same_page or _key(offer.name) == _key(values["name"]):
                report.skip(label, _("offre déjà saisie à la main (%(slug)s)") % {"slug": offer.slug})
                return
        offer = Offer(
            slug=f"di-{slugify(org.slug)[:60]}-{slugify(record.nom)[:70]}"[:150],
            organisation=org,
            origin=Origin.DATA_INCLUSION,
            external_id=record.id[:200],
            status=PublicationStatus.TO_REVIEW,
        )
        base, n = offer.slug, 2
        while Offer.objects.filter(slug=offer.slug).exists():
            offer.slug, n = f"{base[:140]}-{n}", n + 1
        created = True
    else:
        offer, created = existing, False
    changed = created
    for field, value in values.items():
        if not created and field in offer.edited_fields:
            continue
        if getattr(offer, field) != value:
            setattr(offer, field, value)
            changed = True
    if not created:
        current = set(offer.zones.values_list("zone_level", "zone_code"))
        if "zones" in offer.edited_fields:
            zones = list(current)
        elif current != set(zones):
            changed = True
    if not changed:
        report.unchanged.append(label)
        return
    try:
        with transaction.atomic():
            save_offer(offer, zones)
    except ValidationError as exc:
        report.skip(label, _("fiche invalide : %(errors)s") % {"errors": "; ".join(exc.messages)})
        return
    (report.new if created else report.updated).append(label)
