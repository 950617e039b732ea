"""Funding schemes from Aides-territoires (https://aides-territoires.beta.gouv.fr, public API, `/api/aids/`).

The API answers pages `{count, next, previous, results}`; each aid has `id`, `slug`, `url` (its page on
Aides-territoires), `name`, `financers` (names), `description` and `eligibility` (HTML), `perimeter` (the name of
its territory), `categories` (« Thème|Catégorie »), `targeted_audiences`, `aid_types`, `mobilization_steps`,
`recurrence` (labels), `start_date`, `submission_deadline`, `subvention_rate_lower_bound/upper_bound`,
`loan_amount`, `recoverable_advance_amount`, `origin_url`, `application_url`, `date_updated`.

`sync_aids` keeps the aids whose perimeter covers the region (France, the region, one of its départements, EPCI or
communes) and whose audiences include associations, or private companies when a category is the social and
solidarity economy (ESS enterprises); maps them to Maille's vocabularies; creates them « à relire »
(`PublicationStatus.TO_REVIEW`, staff publish them), updates what changed since (never a field a person edited), and
never duplicates a scheme entered by a person (same URL, or same funder and name): that aid is skipped with the reason.
Live: `AIDES_TERRITOIRES_API_KEY` is exchanged for a bearer token (`/api/connexion/`, header `X-AUTH-TOKEN`).
"""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maille.core.commands import SyncError, SyncReport, fetch_json
from maille.core.enums import LegalForm, Need, Stage
from maille.core.text import normalize
from maille.directory.enums import OrganisationKind, Origin, PublicationStatus
from maille.directory.models import Organisation
from maille.territories.models import Commune, Departement, Epci, Region

from .enums import FundingType, Recurrence
from .models import FundingScheme
from .services import save_scheme

API_ROOT = "https://aides-territoires.beta.gouv.fr/api"
SITE_ROOT = "https://aides-territoires.beta.gouv.fr"
TOKEN_ENV = "AIDES_TERRITOIRES_API_KEY"
REQUIRED_KEYS = ("id", "name", "perimeter", "targeted_audiences", "aid_types")

AID_TYPES = {
    "subvention": FundingType.GRANT,
    "pret": FundingType.LOAN,
    "avance recuperable": FundingType.RECOVERABLE_ADVANCE,
    "ingenierie technique": FundingType.ENGINEERING,
    "ingenierie financiere": FundingType.ENGINEERING,
    "ingenierie juridique administrative": FundingType.ENGINEERING,
    "autre aide financiere": FundingType.OTHER,
}
RECURRENCES = {
    "ponctuelle": Recurrence.ONE_OFF,
    "permanente": Recurrence.PERMANENT,
    "recurrente": Recurrence.RECURRING,
}
STEPS = {
    "reflexion conception": [Stage.EMERGENCE, Stage.CREATION],
    "mise en oeuvre realisation": [Stage.CREATION, Stage.DEVELOPPEMENT],
    "usage valorisation": [Stage.DEVELOPPEMENT, Stage.CONSOLIDATION],
}
# Keys are normalised (`maille.core.text.normalize`: no accents, no punctuation). Words of a category → a need.
CATEGORY_NEEDS = [
    ("numerique", Need.NUMERIQUE),
    ("emploi", Need.EMPLOI),
    ("formation", Need.FORMATION),
    ("innovation", Need.INNOVATION_SOCIALE),
    ("benevol", Need.BENEVOLAT),
    ("vie associative", Need.BENEVOLAT),
    ("batiment", Need.LOCAUX),
    ("immobilier", Need.LOCAUX),
    ("foncier", Need.LOCAUX),
    ("cooperation", Need.COOPERATION),
    ("commerce", Need.COMMERCIAL),
    ("evaluation", Need.EVALUATION_IMPACT),
    ("reprise", Need.REPRISE),
]
ESS_WORDS = ("economie sociale et solidaire", "ess")
ASSOCIATIONS = "associations"
PRIVATE_COMPANIES = "entreprises privees"
ESS_COMPANY_FORMS = [LegalForm.SCOP, LegalForm.SCIC, LegalForm.COOPERATIVE, LegalForm.SOCIETE_ESS]


def _key(text) -> str:
    return normalize(str(text or "")).strip()


def _plain(html: str, limit: int = 4000) -> str:
    text = " ".join(strip_tags(html or "").split())
    return text[:limit]


def _date(value):
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _page_url(aid: dict) -> str:
    url = str(aid.get("url") or "")
    if url.startswith("/"):
        url = SITE_ROOT + url
    return url if url.startswith("https://") else ""


def _same_url(a: str, b: str) -> bool:
    def clean(url):
        return re.sub(r"^https?://(www\.)?", "", (url or "").strip().lower()).rstrip("/")

    return bool(a and b) and clean(a) == clean(b)


def read_aids(data) -> list[dict]:
    """The aids of one saved response (a page `{results: […]}` or a list); a French SyncError if it is not one."""
    aids = data.get("results") if isinstance(data, dict) else data
    if not isinstance(aids, list):
        raise SyncError(
            _("Réponse Aides-territoires illisible : une liste « results » d'aides est attendue.")
        )
    for number, aid in enumerate(aids, start=1):
        missing = [k for k in REQUIRED_KEYS if not isinstance(aid, dict) or k not in aid]
        if missing:
            raise SyncError(
                _("Réponse Aides-territoires illisible : l'aide n° %(n)d n'a pas les champs %(fields)s.")
                % {"n": number, "fields": ", ".join(missing)}
            )
    return aids


def fetch_aids(api_key: str, perimeter: str = "") -> list[dict]:
    """Every page of the live API (audiences associations and private companies, the region's perimeter)."""
    token = fetch_json(f"{API_ROOT}/connexion/", headers={"X-AUTH-TOKEN": api_key}, data=b"").get("token")
    if not token:
        raise SyncError(_("Aides-territoires n'a pas accepté la clé d'API."))
    perimeter = perimeter or getattr(settings, "MAILLE_AIDES_TERRITOIRES_PERIMETER", "")
    url = f"{API_ROOT}/aids/?targeted_audiences=association&targeted_audiences=private_sector&size=100"
    if perimeter:
        url += f"&perimeter={perimeter}"
    aids: list[dict] = []
    while url:
        page = fetch_json(url, headers={"Authorization": f"Bearer {token}"})
        aids.extend(read_aids(page))
        url = page.get("next") if isinstance(page, dict) else None
    return aids


class Territory:
    """The region's territories by normalised name, to resolve an aid's perimeter into zones."""

    def __init__(self, region_code: str):
        self.region = Region.objects.filter(code=region_code).first()
        departements = Departement.objects.filter(region_id=region_code)
        self.departements = {_key(d.name): d.code for d in departements}
        self.epcis = {
            _key(e.name): e.code for e in Epci.objects.filter(communes__region_id=region_code).distinct()
        }
        names: dict[str, list[str]] = {}
        for code, name in Commune.objects.filter(region_id=region_code).values_list("code", "name"):
            names.setdefault(_key(name), []).append(code)
        self.communes = names

    def zones(self, perimeter: str) -> list[tuple[str, str]] | None:
        name = _key(re.sub(r"\s*\([^)]*\)\s*$", "", str(perimeter or "")))
        if name in {"france", "france metropolitaine", "europe"}:
            return [("france", "")]
        if self.region and name == _key(self.region.name):
            return [("region", self.region.code)]
        if name in self.departements:
            return [("departement", self.departements[name])]
        if name in self.epcis:
            return [("epci", self.epcis[name])]
        if len(self.communes.get(name, [])) == 1:
            return [("commune", self.communes[name][0])]
        return None


def audience_forms(aid: dict) -> list[str] | None:
    """Maille's legal forms for the aid's audiences, or None when neither associations nor ESS enterprises."""
    audiences = {_key(a) for a in aid.get("targeted_audiences") or []}
    categories = " ".join(_key(c) for c in aid.get("categories") or [])
    ess = any(re.search(rf"\b{re.escape(word)}\b", categories) for word in ESS_WORDS)
    forms: list[str] = []
    if ASSOCIATIONS in audiences:
        forms.append(LegalForm.ASSOCIATION)
    if PRIVATE_COMPANIES in audiences and ess:
        forms.extend(ESS_COMPANY_FORMS)
    return forms or None


def scheme_values(aid: dict, zones, forms) -> dict:
    kinds = [AID_TYPES.get(_key(t)) for t in aid.get("aid_types") or []]
    kind = next((k for k in kinds if k), FundingType.OTHER)
    stages = list(
        dict.fromkeys(s for step in aid.get("mobilization_steps") or [] for s in STEPS.get(_key(step), []))
    )
    categories = " ".join(_key(c) for c in aid.get("categories") or [])
    needs = list(dict.fromkeys(need for word, need in CATEGORY_NEEDS if word in categories))
    if kind != FundingType.ENGINEERING:
        needs.insert(0, Need.FINANCEMENT)
    low, high = aid.get("subvention_rate_lower_bound"), aid.get("subvention_rate_upper_bound")
    rate = ""
    if low and high:
        rate = f"{low} à {high} %"
    elif high or low:
        rate = f"{high or low} %"
    amount = aid.get("loan_amount") or aid.get("recoverable_advance_amount")
    description = _plain(aid.get("description")) or aid["name"]
    eligibility = _plain(aid.get("eligibility"), 1500)
    if eligibility:
        description = f"{description}\n\n{_('Éligibilité')} : {eligibility}"
    opens, closes = _date(aid.get("start_date")), _date(aid.get("submission_deadline"))
    if opens and closes and opens > closes:
        opens = None
    recurrence = RECURRENCES.get(_key(aid.get("recurrence")), Recurrence.ONE_OFF)
    return {
        "name": str(aid["name"])[:200],
        "description": description,
        "kind": kind,
        "stages": stages or [Stage.CREATION, Stage.DEVELOPPEMENT],
        "needs": list(dict.fromkeys(needs)),
        "legal_forms": forms,
        "amount_min": None,
        "amount_max": int(amount) if isinstance(amount, int | float) and amount > 0 else None,
        "rate": rate[:60],
        "opens_on": opens,
        "closes_on": closes,
        "recurrence": recurrence,
        "source_url": (aid.get("origin_url") or _page_url(aid) or "")[:500],
        "external_url": _page_url(aid)[:500],
    }


SYNCED_FIELDS = [
    "name",
    "description",
    "kind",
    "stages",
    "needs",
    "legal_forms",
    "amount_min",
    "amount_max",
    "rate",
    "opens_on",
    "closes_on",
    "recurrence",
    "source_url",
    "external_url",
]


def _funders(aid: dict, create: bool) -> list[Organisation]:
    by_name = {_key(o.name): o for o in Organisation.objects.all()}
    funders = []
    for name in aid.get("financers") or []:
        org = by_name.get(_key(name))
        if org is None and create:
            slug = ("at-" + slugify(name))[:120] or f"at-financeur-{len(funders)}"
            org, _created = Organisation.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": str(name)[:200],
                    "kind": OrganisationKind.FUNDER,
                    "origin": Origin.AIDES_TERRITOIRES,
                    "source_url": _page_url(aid)[:500],
                    "description": _("Porteur d'aides référencé par Aides-territoires."),
                },
            )
        if org is not None:
            funders.append(org)
    return funders


def hand_entered_duplicate(aid: dict, values: dict) -> FundingScheme | None:
    """A scheme entered by a person that is this aid: same URL, or same name and one funder in common."""
    people = FundingScheme.objects.exclude(origin=Origin.AIDES_TERRITOIRES).prefetch_related("funders")
    urls = [u for u in (aid.get("origin_url"), _page_url(aid), aid.get("application_url")) if u]
    financers = {_key(f) for f in aid.get("financers") or []}
    name = _key(values["name"])
    for scheme in people:
        if any(_same_url(scheme.source_url, url) for url in urls):
            return scheme
        if _key(scheme.name) == name and financers & {_key(f.name) for f in scheme.funders.all()}:
            return scheme
    return None


def sync_aids(
    aids: list[dict], dry_run: bool = False, progress=None, region_code: str | None = None
) -> SyncReport:
    """Import or update the aids that fit (one transaction; rolled back with `dry_run`)."""
    report = SyncReport(dry_run=dry_run)
    region_code = region_code or settings.MAILLE_REGION_CODE
    with transaction.atomic():
        territory = Territory(region_code)
        bar = progress(_("Aides-territoires"), len(aids)) if progress else None
        for aid in aids:
            _sync_one(aid, territory, report)
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _sync_one(aid: dict, territory: Territory, report: SyncReport) -> None:
    label = f"{aid.get('id')} « {str(aid.get('name'))[:80]} »"
    zones = territory.zones(aid.get("perimeter"))
    if zones is None:
        report.skip(label, _("périmètre hors de la région"))
        return
    forms = audience_forms(aid)
    if forms is None:
        report.skip(label, _("ni les associations ni les entreprises de l'ESS ne sont visées"))
        return
    values = scheme_values(aid, zones, forms)
    external_id = str(aid["id"])
    scheme = FundingScheme.objects.filter(origin=Origin.AIDES_TERRITOIRES, external_id=external_id).first()
    if scheme is None:
        duplicate = hand_entered_duplicate(aid, values)
        if duplicate is not None:
            report.skip(label, _("déjà saisi à la main (%(slug)s)") % {"slug": duplicate.slug})
            return
        scheme = FundingScheme(
            slug=f"at-{external_id}-{slugify(values['name'])}"[:150],
            origin=Origin.AIDES_TERRITOIRES,
            external_id=external_id,
            status=PublicationStatus.TO_REVIEW,
        )
        created = True
    else:
        created = False
    changed = False
    for field in SYNCED_FIELDS:
        if not created and field in scheme.edited_fields:
            continue  # a person's edit wins
        if getattr(scheme, field) != values[field]:
            setattr(scheme, field, values[field])
            changed = True
    funders = _funders(aid, create=True)
    if not funders:
        report.skip(label, _("aucun porteur d'aide indiqué"))
        return
    current_zones = set() if created else set(scheme.zones.values_list("zone_level", "zone_code"))
    if "zones" not in scheme.edited_fields and current_zones != set(zones):
        changed = True
    else:
        zones = list(current_zones) or zones
    if "funders" in scheme.edited_fields and not created:
        funders = list(scheme.funders.all())
    elif not created and {f.pk for f in funders} != set(scheme.funders.values_list("pk", flat=True)):
        changed = True
    if not changed:
        report.unchanged.append(label)
        return
    try:
        with transaction.atomic():
            save_scheme(scheme, zones, funders)
    except ValidationError as exc:
        report.skip(label, _("fiche invalide : %(errors)s") % {"errors": "; ".join(exc.messages)})
        return
    (report.new if created else report.updated).append(label)
