"""The permission sweep: every URL pattern of the project (pages, back-office, /api/v1/) requested with GET and POST
(empty body) by each role, on objects owned by others.

Zero leaks means: no 5xx; a 200 only where the route's rule (`MAY_SEE`) lets that role see that object; on any page
that answers, no personal data of a holder (or of an EPCI partnership's contact) the role has no business seeing;
and a POST by a role that may not write there changes nothing in the database (`fingerprint`).
"""

import logging
import time
import uuid
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from maille.accounts.enums import MemberRole
from maille.directory.enums import OrganisationKind
from maille.projects import services as project_services
from maille.projects.models import FundingLine
from maille.strategy import services as strategy_services
from maille.strategy.models import CommitteeMeeting, Decision, Measurement
from maille.strategy.selectors import current_strategy
from maille.territories.models import Commune
from tests.factories import (
    FundingSchemeFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    ProjectFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "holder_a",
    "holder_b",
    "advisor_x",
    "advisor_y",
    "funder",
    "epci_other",
    "pilot",
    "staff",
]

# Personal data that must only appear for those entitled to it.
HOLDER_A = {
    "name": "Alice Sentinelle-Alpha",
    "email": "alice.sentinelle-alpha@example.org",
    "phone": "06 11 22 33 44",
}
HOLDER_B = {
    "name": "Bruno Sentinelle-Beta",
    "email": "bruno.sentinelle-beta@example.org",
    "phone": "06 55 66 77 88",
}
PARTNERSHIP_CONTACT = "contact.partenariat-sentinelle@example.org"
PARTNERSHIP_NOTES = "Notes internes sentinelle"
SAVED_SEARCH_EMAIL = "alerte.sentinelle@example.org"

MARKERS = {
    # marker: roles allowed to see it
    HOLDER_A["name"]: {"holder_a", "advisor_x", "staff"},
    HOLDER_A["email"]: {"holder_a", "advisor_x", "staff"},
    HOLDER_A["phone"]: {"holder_a", "advisor_x", "staff"},
    HOLDER_B["name"]: {"holder_b", "advisor_y", "staff"},
    HOLDER_B["email"]: {"holder_b", "advisor_y", "staff"},
    HOLDER_B["phone"]: {"holder_b", "advisor_y", "staff"},
    # The strategy's pilots are the other party of an EPCI partnership: they see its contact person (not its notes).
    PARTNERSHIP_CONTACT: {"staff", "pilot"},
    PARTNERSHIP_NOTES: {"staff"},
    SAVED_SEARCH_EMAIL: {"staff"},
}

LOGGED_IN = set(ROLES) - {"anonymous"}
MEMBERS = {"advisor_x", "advisor_y", "funder", "epci_other", "pilot", "staff"}
STEERING = {"pilot", "staff"}
STAFF = {"staff"}
NOBODY: set[str] = set()


def _swap(roles: set[str], variant: str) -> set[str]:
    """Variant B is variant A with holder A ↔ holder B and advisor X ↔ advisor Y."""
    if variant == "A":
        return roles
    table = {
        "holder_a": "holder_b",
        "holder_b": "holder_a",
        "advisor_x": "advisor_y",
        "advisor_y": "advisor_x",
    }
    return {table.get(role, role) for role in roles}


def _line_viewers(variant):
    # Line A was asked of funder F; line B is planned with a funder that has nobody on Maille.
    return _swap({"holder_a", "advisor_x", "staff"} | ({"funder"} if variant == "A" else set()), variant)


# Who may get a 200 (GET) on a route, for the world's objects of variant A or B. Routes not listed are public
# pages: anyone may read them, and only the personal-data markers are checked.
MAY_SEE = {
    "projects:file": lambda v: _swap({"holder_a", "advisor_x", "staff"}, v),
    "projects:funding_line": _line_viewers,
    "projects:holder": lambda v: _swap(
        {"holder_a"}, v
    ),  # the holder's own link only; others get an unknown token
    "projects:holder_data": lambda v: _swap({"holder_a"}, v),
    "projects:holder_erase": lambda v: _swap({"holder_a"}, v),
    "projects:mine": lambda v: NOBODY,  # a redirect to the holder's link for its owner
    "projects:funder": lambda v: {"funder", "staff"},
    "projects:detected": lambda v: {"advisor_x", "advisor_y", "epci_other", "staff"},
    "api-project": lambda v: _swap({"holder_a", "advisor_x", "staff"}, v),
    "api-projects": lambda v: LOGGED_IN,
    "api-referrals": lambda v: LOGGED_IN,
    "referrals:detail": lambda v: _swap({"holder_a", "advisor_x", "staff"}, v),
    "referrals:inbox": lambda v: MEMBERS,
    "referrals:desk": lambda v: STAFF,
    "referrals:desk_detail": lambda v: STAFF,
    "referrals:answer": lambda v: NOBODY,  # unknown token
    "space": lambda v: LOGGED_IN,
    "directory:offer_edit": lambda v: _swap({"advisor_x", "staff"}, v),
    "directory:offer_create": lambda v: _swap({"advisor_x", "staff"}, v),
    "directory:import": lambda v: STAFF,
    "directory:review": lambda v: STAFF,
    "directory:verify_token": lambda v: NOBODY,
    "funding:alert_confirm": lambda v: NOBODY,
    "funding:alert_unsubscribe": lambda v: NOBODY,
    "api-strategy-actions": lambda v: STEERING,
    "api-strategy-action": lambda v: STEERING | {"advisor_x"},
    "strategy:actions": lambda v: STEERING,
    "strategy:action": lambda v: STEERING | {"advisor_x"},
    "strategy:action_create": lambda v: STEERING,
    "strategy:action_edit": lambda v: STEERING,
    "strategy:action_progress": lambda v: STEERING | {"advisor_x"},
    "strategy:action_archive": lambda v: STEERING,
    "strategy:import": lambda v: STEERING | {"advisor_x"},
    "strategy:import_template": lambda v: STEERING | {"advisor_x"},
    "strategy:indicators": lambda v: STEERING | {"advisor_x"},
    "strategy:indicator_create": lambda v: STEERING,
    "strategy:indicator_edit": lambda v: STEERING,
    "strategy:measurement_edit": lambda v: STEERING | {"advisor_x"},
    "strategy:meeting_create": lambda v: STEERING,
    "strategy:meeting_edit": lambda v: STEERING,
    "strategy:meeting_minutes": lambda v: STEERING,
    "strategy:decision_create": lambda v: STEERING,
    "strategy:decision_edit": lambda v: STEERING,
    "observatory:detection": lambda v: {"advisor_x", "advisor_y", "epci_other", "pilot", "staff"},
    "observatory:signal": lambda v: {"advisor_x", "advisor_y", "epci_other", "staff"},
    "showcase:partnership_edit": lambda v: STAFF,
    "showcase:event_attendance": lambda v: STAFF,
    "showcase:story_consent": lambda v: NOBODY,
    "showcase:registration_cancel": lambda v: NOBODY,
    "account_email": lambda v: LOGGED_IN,
    "account_change_password": lambda v: LOGGED_IN,
    "account_set_password": lambda v: LOGGED_IN,
    "account_reauthenticate": lambda v: LOGGED_IN,
    "mfa_index": lambda v: LOGGED_IN,
    "mfa_activate_totp": lambda v: LOGGED_IN,
}
# Positive controls: the world is right when these get a 200 (else the sweep could pass on 404s alone).
MUST_SEE = [
    ("holder_a", "projects:holder", "A"),
    ("holder_b", "projects:holder_data", "B"),
    ("advisor_x", "projects:file", "A"),
    ("advisor_y", "projects:file", "B"),
    ("holder_a", "projects:file", "A"),
    ("staff", "projects:file", "B"),
    ("funder", "projects:funding_line", "A"),
    ("funder", "projects:funder", "A"),
    ("advisor_x", "referrals:detail", "A"),
    ("advisor_x", "api-project", "A"),
    ("advisor_x", "strategy:action", "A"),
    ("advisor_x", "directory:offer_edit", "A"),
    ("pilot", "strategy:meeting_edit", "A"),
    ("staff", "admin:projects_project_change", "A"),
    ("staff", "referrals:desk", "A"),
]

# Downloads behind a query string, requested too (CSV: the markers are searched in it like in a page).
EXTRA_QUERIES = {
    "projects:funder": ["format=csv"],
    "directory:search": ["format=csv"],
    "funding:search": ["format=csv"],
}

# Back-office pages that are not the staff's: the login (a redirect to the site's login) and the i18n catalogue.
ADMIN_PUBLIC = {"admin:login", "admin:jsi18n"}

# Models whose rows a wrong write would change (counted, and their last update), checked around each POST.
FINGERPRINT_APPS = ["projects", "referrals", "strategy", "directory", "funding", "accounts", "showcase"]
FINGERPRINT_SKIP = {"projects.holderlink"}


def _fingerprint_sql() -> str:
    """One query: for each model, its row count, highest key and last update or status (whatever it has)."""
    from django.db import connection

    quote = connection.ops.quote_name
    parts = []
    for app_label in FINGERPRINT_APPS:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            if model._meta.label_lower in FINGERPRINT_SKIP or not model._meta.managed:
                continue
            table = quote(model._meta.db_table)
            columns = {f.name: f.column for f in model._meta.concrete_fields}
            parts.append(f"(SELECT COUNT(*) FROM {table})")
            parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})")
            for name in ("updated_at", "status"):
                if name in columns:
                    parts.append(f"(SELECT MAX({quote(columns[name])}) FROM {table})")
    return "SELECT " + ", ".join(parts)


def fingerprint(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _patterns(patterns, namespace=""):
    """Every URL pattern, with its full name (namespace:name), recursively."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            keys = set(pattern.pattern.regex.groupindex)
            if hasattr(pattern.pattern, "converters"):
                keys |= set(pattern.pattern.converters)
            yield name, sorted(keys), str(pattern.pattern)


def build_world():
    laval = Commune.objects.get(code="53130")
    angers = Commune.objects.get(code="49007")
    org_x = OrganisationFactory(name="Réseau X", slug="reseau-x")
    org_y = OrganisationFactory(name="Réseau Y", slug="reseau-y")
    funder_org = OrganisationFactory(name="Financeur F", slug="financeur-f", kind=OrganisationKind.FUNDER)
    lonely_funder = OrganisationFactory(name="Financeur G", slug="financeur-g", kind=OrganisationKind.FUNDER)
    epci_org = OrganisationFactory(
        name="Service ESS d'Angers", kind=OrganisationKind.EPCI, epci_id=angers.epci_id
    )
    pilot_org = OrganisationFactory(name="Comité de pilotage")

    users = {
        "anonymous": None,
        "holder_a": UserFactory(email=HOLDER_A["email"], first_name="Alice", last_name="Sentinelle-Alpha"),
        "holder_b": UserFactory(email=HOLDER_B["email"], first_name="Bruno", last_name="Sentinelle-Beta"),
        "advisor_x": MembershipFactory(organisation=org_x, role=MemberRole.ADVISOR).user,
        "advisor_y": MembershipFactory(organisation=org_y, role=MemberRole.ADVISOR).user,
        "funder": MembershipFactory(organisation=funder_org, role=MemberRole.FUNDER).user,
        "epci_other": MembershipFactory(organisation=epci_org, role=MemberRole.EPCI_AGENT).user,
        "pilot": MembershipFactory(organisation=pilot_org, role=MemberRole.PILOT).user,
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    projects = {}
    for variant, holder, org, funder in (
        ("A", HOLDER_A, org_x, funder_org),
        ("B", HOLDER_B, org_y, lonely_funder),
    ):
        project = ProjectFactory(
            holder_name=holder["name"],
            holder_email=holder["email"],
            holder_phone=holder["phone"],
            holder=users[f"holder_{variant.lower()}"],
            commune=laval,
            name=f"Projet {variant} du balayage",
        )
        offer = OfferFactory(organisation=org, slug=f"offre-{variant.lower()}-balayage")
        referral = ReferralFactory(project=project, offer=offer, message=f"Message {variant}")
        line = FundingLine.objects.create(
            project=project,
            funder=funder,
            scheme=FundingSchemeFactory(funders=[funder]),
            expense=f"Local {variant}",
            amount_asked=1000,
            status="asked" if variant == "A" else "planned",
        )
        projects[variant] = {
            "project": project,
            "offer": offer,
            "referral": referral,
            "line": line,
            "token": project_services.holder_token(project),
        }
    strategy = current_strategy()
    action = strategy_services.create_action(
        strategy,
        {
            "code": "BAL-1",
            "title": "Action du balayage",
            "objectives": [{"code": "O6", "weight": 1}],
            "pilots": [org_x],
        },
        user=users["pilot"],
    )
    indicator = strategy_services.create_indicator(
        strategy,
        {"name": "Indicateur du balayage", "actions": [action], "baseline_value": 0, "target_value": 10},
    )
    measurement = Measurement.objects.create(indicator=indicator, date=date(2026, 1, 1), value=3)
    meeting = CommitteeMeeting.objects.create(strategy=strategy, date=date(2026, 3, 1), kind="copil")
    decision = Decision.objects.create(
        meeting=meeting,
        text="Décision du balayage",
        owner_organisation=org_x,
        due_date=date.today() + timedelta(30),
    )
    from maille.funding.models import SavedSearch

    SavedSearch.objects.create(email=SAVED_SEARCH_EMAIL, frequency="weekly", confirmed_at=timezone.now())
    world = {
        "users": users,
        "projects": projects,
        "org_x": org_x,
        "funder_org": funder_org,
        "laval": laval,
        "action": action,
        "indicator": indicator,
        "measurement": measurement,
        "meeting": meeting,
        "decision": decision,
        "showcase": _showcase_world(laval, org_x),
    }
    return world


def _showcase_world(laval, org_x):
    """Laval's EPCI partnership with a contact (the EPCI agent of the world is from Angers), when the app exists."""
    try:
        Partnership = apps.get_model("showcase", "Partnership")
    except LookupError:
        return {}
    Partnership.objects.create(
        epci_id=laval.epci_id,
        status="discussion" if _has_status(Partnership, "discussion") else "none",
        contact_name="Contact sentinelle",
        contact_email=PARTNERSHIP_CONTACT,
        notes=PARTNERSHIP_NOTES,
    )
    found = {}
    for model_name in ("Story", "Event", "TiersLieu"):
        try:
            obj = apps.get_model("showcase", model_name).objects.order_by("pk").first()
        except LookupError:
            obj = None
        if obj is not None:
            found[model_name] = obj
    return found


def _has_status(model, value) -> bool:
    return value in {choice for choice, _label in model._meta.get_field("status").choices}


UNKNOWN_TOKEN = "jeton-inconnu-" + "x" * 30


def kwargs_for(name: str, keys: list[str], world, variant: str, role: str) -> dict | None:
    """URL kwargs from the world (objects of holder A / organisation X in variant A, of B / Y in variant B)."""
    p = world["projects"][variant]
    showcase = world["showcase"]
    values = {}
    for key in keys:
        if key == "pk":
            if name.startswith("projects:") or name in ("api-project",):
                value = p["project"].pk
            elif name.startswith("referrals:") or name.startswith("api-referral"):
                value = p["referral"].pk
            elif name in ("api-organisation",):
                value = world["org_x"].pk
            elif name in ("api-strategy-measurements", "strategy:indicator_edit", "strategy:indicator_map"):
                value = world["indicator"].pk
            elif name == "strategy:measurement_edit":
                value = world["measurement"].pk
            elif name.startswith("strategy:meeting"):
                value = world["meeting"].pk
            elif name.startswith("strategy:decision"):
                value = world["decision"].pk
            elif name.startswith("showcase:story") and "Story" in showcase:
                value = showcase["Story"].pk
            else:
                value = 999999
        elif key == "line_pk":
            value = p["line"].pk
        elif key in ("slug", "organisation_slug"):
            if name.startswith("directory:offer"):
                value = p["offer"].slug
            elif name.startswith("directory:"):
                value = p["offer"].organisation.slug
            elif name == "projects:funder":
                value = world["funder_org"].slug
            elif name == "funding:scheme":
                value = p["line"].scheme.slug
            elif name.startswith("showcase:story") and "Story" in showcase:
                value = showcase["Story"].slug
            elif name.startswith("showcase:event") and "Event" in showcase:
                value = showcase["Event"].slug
            elif name.startswith("showcase:tiers_lieu") and "TiersLieu" in showcase:
                value = showcase["TiersLieu"].slug
            else:
                value = "inconnu"
        elif key == "token":
            own = {"holder_a": "A", "holder_b": "B"}.get(role)
            if name.startswith("projects:holder") and own == variant:
                value = p["token"]
            elif name.startswith("funding:alert"):
                value = uuid.uuid4()
            else:
                value = UNKNOWN_TOKEN
        elif key in ("code", "siren"):
            if name.startswith("strategy:action") or name == "api-strategy-action":
                value = world["action"].code
            elif name == "strategy:objective":
                value = "O6"
            elif name in ("commune", "api-commune", "territories:commune", "api-contour"):
                value = "53130"
            elif name == "api-region":
                value = "52"
            elif name == "observatory:territory":
                value = "53"
            else:
                value = world["laval"].epci_id
        elif key == "level":
            value = "commune" if name == "api-contour" else "departement"
        elif key == "kind":
            value = "actions"
        elif key == "fmt":
            value = "xlsx" if name == "strategy:report" else "csv"
        elif key == "siret":
            value = "73282932000074"
        elif key == "object_id":
            value = _admin_object_id(name, world, variant)
            if value is None:
                return None
        elif key == "app_label":
            value = "projects"
        elif key in ("uidb36",):
            value = "zz"
        elif key == "key":
            value = "cle-inconnue"
        else:
            value = "inconnu"
        values[key] = value
    return values


def _admin_object_id(name: str, world, variant: str):
    """The back-office pages of an object: the world's object of that model, else the first row."""
    if not name.startswith("admin:"):
        return None
    parts = name.split(":", 1)[1].rsplit("_", 1)[0].split("_", 1)
    if len(parts) != 2:
        return None
    try:
        model = apps.get_model(parts[0], parts[1])
    except LookupError:
        return None
    p = world["projects"][variant]
    known = {
        "projects.project": p["project"],
        "projects.fundingline": p["line"],
        "referrals.referral": p["referral"],
    }
    obj = known.get(model._meta.label_lower) or model.objects.order_by("pk").first()
    return str(obj.pk) if obj is not None else "999999"


def may_see(name: str, role: str, variant: str) -> bool:
    if name.startswith("admin:"):
        return name in ADMIN_PUBLIC or role == "staff"
    rule = MAY_SEE.get(name)
    return True if rule is None else role in rule(variant)


def test_no_role_sees_or_changes_what_it_should_not(capsys, settings):
    settings.MAILLE_REQUIRE_MFA = False
    world = build_world()
    clients = {}
    for role, user in world["users"].items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[role] = client

    routes = []
    skipped = []
    for name, keys, pattern in _patterns(get_resolver().url_patterns):
        if name is None:
            skipped.append(pattern)  # the back-office's unnamed redirects to a change page
            continue
        routes.append((name, keys))

    sql = _fingerprint_sql()
    seen = set()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    timings = {}
    problems = []
    pairs = requests = 0
    started = time.monotonic()
    for role in ROLES:
        client = clients[role]
        for name, keys in routes:
            variants = ["A", "B"] if keys else ["A"]
            urls = {}
            for variant in variants:
                values = kwargs_for(name, keys, world, variant, role)
                if values is None:
                    continue
                try:
                    url = reverse(name, kwargs=values)
                except Exception as exc:  # noqa: BLE001 — a kwarg the sweep cannot fill is reported
                    problems.append(f"{name}: cannot build a URL with {values} ({exc})")
                    continue
                urls.setdefault(url, variant)
                for query in EXTRA_QUERIES.get(name, []):
                    urls.setdefault(f"{url}?{query}", variant)
            for url, variant in urls.items():
                pairs += 1
                for method in ("get", "post"):
                    before = fingerprint(sql) if method == "post" and role != "staff" else None
                    t0 = time.monotonic()
                    response = getattr(client, method)(url, {} if method == "post" else None)
                    requests += 1
                    timings[name] = timings.get(name, 0) + time.monotonic() - t0
                    status = response.status_code
                    where = f"{role} {method.upper()} {url} ({name}, {variant})"
                    if status >= 500:
                        problems.append(f"{where}: {status}")
                    if method == "get" and status == 200:
                        seen.add((role, name, variant))
                    if method == "get" and status == 200 and not may_see(name, role, variant):
                        problems.append(f"{where}: 200 for a role that may not see it")
                    if not getattr(response, "streaming", False):
                        body = response.content.decode("utf-8", "ignore")
                        for marker, allowed in MARKERS.items():
                            if role not in allowed and marker in body:
                                problems.append(f"{where}: shows « {marker} »")
                    if before is not None and fingerprint(sql) != before and not may_see(name, role, variant):
                        problems.append(f"{where}: a POST changed the database")
                    if "logout" in name and world["users"][role] is not None:
                        client.force_login(world["users"][role])
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nPermission sweep: {pairs} (role, route) pairs, {requests} requests, {len(ROLES)} roles, "
            f"{len(routes)} named routes ({len(skipped)} unnamed back-office redirects skipped), {elapsed:.0f} s"
        )
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:15]
    with capsys.disabled():
        print("slowest:", ", ".join(f"{n} {t:.1f}s" for n, t in slowest))
    problems += [
        f"{role} {name} ({variant}): expected a 200"
        for role, name, variant in MUST_SEE
        if (role, name, variant) not in seen
    ]
    assert not problems, "\n".join(problems)
