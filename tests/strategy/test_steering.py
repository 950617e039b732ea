"""The pilot area: who may write what (pilot, a member of the action's pilot organisation, another organisation,
anonymous) on every page and API write; the history of changes; the guided import; committees with their minutes
PDF; decision e-mails sent once; the report's « what changed since the previous committee »."""

import html as html_lib
import io as io_module
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from maille.accounts.enums import MemberRole
from maille.strategy import demo, services
from maille.strategy.enums import ActionStatus, ChangeKind, DecisionStatus, MeetingKind
from maille.strategy.io import ACTION_COLUMNS
from maille.strategy.models import (
    Action,
    Change,
    CommitteeMeeting,
    Decision,
    Indicator,
    Measurement,
)
from maille.strategy.report import build_pdf, build_xlsx
from maille.strategy.selectors import current_strategy, strategy_tree
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.strategy.test_report import pdf_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(settings, tmp_path):
    """The demo strategy, an action T-1 piloted by organisation A, and one person per kind of user."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo.load()
    strategy = current_strategy()
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    pilot = MembershipFactory(role=MemberRole.PILOT).user
    member_a = MembershipFactory(organisation=org_a).user
    member_b = MembershipFactory(organisation=org_b).user
    action = services.create_action(
        strategy,
        {
            "code": "T-1",
            "title": "Action test",
            "objectives": [{"code": "O6", "weight": 1}],
            "pilots": [org_a],
        },
        user=pilot,
    )
    indicator = services.create_indicator(
        strategy, {"name": "Indicateur test", "actions": [action], "baseline_value": 0, "target_value": 10}
    )
    other = services.create_action(
        strategy, {"code": "T-2", "title": "Autre action", "objectives": [{"code": "O7"}], "pilots": [org_b]}
    )
    return {
        "strategy": strategy,
        "action": action,
        "other": other,
        "indicator": indicator,
        "org_a": org_a,
        "org_b": org_b,
        "pilot": pilot,
        "member_a": member_a,
        "member_b": member_b,
    }


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


def objective_progress(strategy, code):
    tree = strategy_tree(strategy)
    return next(
        o["progress"]
        for a in tree["axes"]
        for s in a["sub_axes"]
        for o in s["objectives"]
        if o["code"] == code
    )


# --- Permissions: every page write ---

STEER_PAGES = [
    ("get", "/pilotage/actions/", None),
    ("get", "/pilotage/actions/nouvelle/", None),
    (
        "post",
        "/pilotage/actions/nouvelle/",
        {"code": "X-9", "title": "Intrus", "status": "started", "weight_O6": "1"},
    ),
    (
        "post",
        "/pilotage/actions/T-1/modifier/",
        {"code": "T-1", "title": "Changé", "status": "done", "weight_O6": "1"},
    ),
    ("post", "/pilotage/actions/T-1/archiver/", {}),
    ("get", "/pilotage/indicateurs/", None),
    ("post", "/pilotage/indicateurs/nouveau/", {"name": "Intrus", "source": "manual", "direction": "up"}),
    ("post", "/pilotage/comites/nouveau/", {"kind": "copil", "date": "2026-01-15"}),
    ("post", "/pilotage/decisions/nouvelle/", {"text": "Intrus", "status": "open"}),
    ("get", "/pilotage/import/actions/", None),
    ("get", "/pilotage/import/actions/modele.csv", None),
]


def _snapshot():
    return (
        Action.objects.count(),
        Indicator.objects.count(),
        CommitteeMeeting.objects.count(),
        Decision.objects.count(),
        list(Action.objects.order_by("code").values_list("title", "status", "archived_at")),
    )


@pytest.mark.parametrize("method,url,data", STEER_PAGES)
@pytest.mark.parametrize("who", ["member_a", "member_b", None])
def test_only_pilots_and_staff_reach_the_steering_pages(world, method, url, data, who):
    before = _snapshot()
    client = as_user(world[who] if who else None)
    response = getattr(client, method)(url, data or {})
    if who is None:
        assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    else:
        assert response.status_code == 403
        assert "pilotes" in text(response)
    assert _snapshot() == before


@pytest.mark.parametrize("method,url,data", STEER_PAGES)
def test_a_pilot_reaches_every_steering_page(world, method, url, data):
    response = getattr(as_user(world["pilot"]), method)(url, data or {})
    assert response.status_code in (200, 302, 400)
    assert response.status_code != 400 or "form" in text(response)


def test_the_action_pilot_organisation_updates_its_action_and_no_other(world):
    client = as_user(world["member_a"])
    assert client.get("/pilotage/actions/T-1/").status_code == 200
    response = client.post(
        "/pilotage/actions/T-1/avancement/",
        {"status": "well_under_way", "progress_override": "", "progress_justification": ""},
    )
    assert response.status_code == 302
    assert Action.objects.get(code="T-1").status == ActionStatus.WELL_UNDER_WAY
    # Another action: neither its page nor its update.
    assert client.get("/pilotage/actions/T-2/").status_code == 403
    response = client.post("/pilotage/actions/T-2/avancement/", {"status": "done"})
    assert response.status_code == 403
    assert Action.objects.get(code="T-2").status == ActionStatus.NOT_STARTED
    # Not the full edit of its own action either.
    assert client.get("/pilotage/actions/T-1/modifier/").status_code == 403


@pytest.mark.parametrize(
    "who,allowed", [("pilot", True), ("member_a", True), ("member_b", False), (None, False)]
)
def test_measurements_of_an_action_are_recorded_and_corrected_by_its_pilots(world, who, allowed):
    indicator = world["indicator"]
    client = as_user(world[who] if who else None)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        "/pilotage/actions/T-1/", {"indicator": indicator.pk, "date": yesterday.isoformat(), "value": "4"}
    )
    assert Measurement.objects.filter(indicator=indicator).exists() == allowed
    assert response.status_code == (302 if allowed else (302 if who is None else 403))
    measurement = services.record_measurement(
        indicator, date=yesterday - timedelta(days=1), value=Decimal("2")
    )
    response = client.post(
        f"/pilotage/mesures/{measurement.pk}/", {"date": measurement.date.isoformat(), "value": "3"}
    )
    measurement.refresh_from_db()
    assert (measurement.value == 3) == allowed
    response = client.post(f"/pilotage/mesures/{measurement.pk}/", {"remove": "1"})
    assert Measurement.objects.filter(pk=measurement.pk).exists() == (not allowed)


def test_the_pilots_status_form_refuses_a_bad_override_in_french(world):
    client = as_user(world["member_a"])
    response = client.post(
        "/pilotage/actions/T-1/avancement/", {"status": "started", "progress_override": "40"}
    )
    assert response.status_code == 400
    assert "Expliquez pourquoi l'avancement est ajusté" in text(response)
    response = client.post(
        "/pilotage/actions/T-1/avancement/", {"status": "started", "progress_override": "140"}
    )
    assert response.status_code == 400
    assert Action.objects.get(code="T-1").progress_override is None


# --- Actions from the page: create, edit, archive; the tree reflects them at once ---


def test_a_pilot_creates_an_action_and_the_objective_progress_changes_at_once(world):
    strategy = world["strategy"]
    before = objective_progress(strategy, "O6")
    response = as_user(world["pilot"]).post(
        "/pilotage/actions/nouvelle/",
        {
            "code": "A6-1",
            "title": "Nouvelle action",
            "status": "done",
            "progress_source": "status",
            "zone_level": "departement",
            "zone_code": "53",
            "weight_O6": "3",
            "pilots": [world["org_a"].pk, world["org_b"].pk],
            "budget_planned": "45 000 €",
            "start_date": "2025-01-01",
            "end_date": "2027-12-31",
        },
    )
    assert response.status_code == 302, text(response)
    action = Action.objects.get(code="A6-1")
    assert action.budget_planned == Decimal("45000")
    assert {o.pk for o in action.pilots.all()} == {world["org_a"].pk, world["org_b"].pk}
    assert action.objective_links.get().weight == 3
    assert objective_progress(strategy, "O6") > before


def test_a_bad_action_form_says_what_to_fix_and_writes_nothing(world):
    count = Action.objects.count()
    response = as_user(world["pilot"]).post(
        "/pilotage/actions/nouvelle/",
        {
            "code": "T-1",
            "title": "",
            "status": "started",
            "progress_source": "status",
            "zone_level": "region",
            "weight_O6": "0",
            "start_date": "2026-01-01",
            "end_date": "2025-01-01",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Ce champ est obligatoire" in page or "Indiquez l'intitulé" in page
    assert Action.objects.count() == count


def test_archiving_an_action_removes_it_from_the_progress_and_keeps_it(world):
    strategy = world["strategy"]
    client = as_user(world["pilot"])
    with_it = objective_progress(strategy, "O7")
    client.post("/pilotage/actions/T-2/archiver/")
    assert Action.objects.get(code="T-2").archived_at is not None
    assert objective_progress(strategy, "O7") != with_it or with_it is None
    assert "Actions archivées" in text(client.get("/pilotage/actions/"))
    # An archived action can no longer be updated by its pilot organisation.
    response = as_user(world["member_b"]).post("/pilotage/actions/T-2/avancement/", {"status": "done"})
    assert response.status_code == 403


def test_the_entry_page_counts_the_actions_per_objective_and_lists_those_without(world):
    page = text(as_user(world["pilot"]).get("/pilotage/actions/"))
    assert "objectifs sans action" in page
    assert "Créer une action pour O4" in page  # the demo has no action for O4
    assert "Créer une action pour O6" not in page


# --- History ---


def test_every_change_of_an_action_is_kept_and_shown_on_its_page(world):
    action, pilot = world["action"], world["pilot"]
    services.update_action(action, {"status": "started", "title": "Action renommée"}, user=pilot)
    services.update_action(action, {"title": "Action renommée"}, user=pilot)  # nothing changes: no entry
    changes = list(Change.objects.filter(action=action).order_by("at", "pk"))
    assert [c.kind for c in changes] == [ChangeKind.CREATED, ChangeKind.UPDATED]
    update = changes[1]
    assert update.actor == pilot
    assert update.diff["status"] == {"label": "statut", "old": "Non démarrée", "new": "Démarrée"}
    assert update.diff["title"]["old"] == "Action test"
    page = text(as_user(pilot).get("/pilotage/actions/T-1/"))
    assert "Historique des modifications" in page
    assert "statut : Non démarrée → Démarrée" in page


def test_corrected_and_removed_measurements_stay_in_the_history(world):
    indicator, pilot = world["indicator"], world["pilot"]
    measurement = services.record_measurement(
        indicator, date=date(2025, 6, 30), value=Decimal("4"), user=pilot
    )
    services.correct_measurement(measurement, value=Decimal("5"), user=pilot)
    services.remove_measurement(measurement, user=pilot)
    kinds = list(
        Change.objects.filter(indicator=indicator, target_type="measurement")
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [ChangeKind.CREATED, ChangeKind.UPDATED, ChangeKind.REMOVED]
    removal = Change.objects.get(indicator=indicator, kind=ChangeKind.REMOVED)
    assert removal.diff["value"]["old"] == "5"
    page = text(as_user(pilot).get("/pilotage/actions/T-1/"))
    assert "Suppression · Mesure" in page


def test_committees_and_decisions_are_in_the_history(world):
    pilot = world["pilot"]
    meeting = services.create_meeting(world["strategy"], {"kind": "copil", "date": "2026-01-15"}, user=pilot)
    decision = services.create_decision(
        world["strategy"], {"meeting": meeting.pk, "text": "Faire", "actions": ["T-1"]}, user=pilot
    )
    services.update_decision(decision, {"status": "done"}, user=pilot)
    assert Change.objects.filter(target_type="committee", target_id=meeting.pk).count() == 1
    assert Change.objects.filter(target_type="decision", target_id=decision.pk).count() == 2
    assert "Décision" in text(as_user(pilot).get("/pilotage/actions/T-1/"))


# --- Import from the page ---


def _csv(rows: list[dict]) -> SimpleUploadedFile:
    lines = [",".join(ACTION_COLUMNS)]
    for row in rows:
        values = {c: "" for c in ACTION_COLUMNS} | row
        lines.append(",".join(values[c] for c in ACTION_COLUMNS))
    return SimpleUploadedFile("actions.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def test_a_good_file_is_previewed_then_written_on_confirmation(world):
    client = as_user(world["pilot"])
    count = Action.objects.count()
    upload = _csv([{"code": "I-1", "titre": "Importée", "objectifs": "O4:2", "statut": "started"}])
    response = client.post("/pilotage/import/actions/", {"file": upload})
    assert response.status_code == 200
    page = text(response)
    assert "Aperçu : rien n'est encore enregistré" in page and "créations : 1" in page
    assert Action.objects.count() == count
    token = client.session["strategy-import"]["token"]
    response = client.post("/pilotage/import/actions/", {"confirm": "1", "token": token})
    assert response.status_code == 302
    action = Action.objects.get(code="I-1")
    assert action.objective_links.get().weight == 2
    assert Change.objects.filter(action=action, kind=ChangeKind.CREATED, actor=world["pilot"]).exists()


def test_a_bad_file_shows_every_row_error_and_writes_nothing(world):
    client = as_user(world["pilot"])
    count = Action.objects.count()
    upload = _csv(
        [
            {"code": "I-1", "titre": "Bonne", "objectifs": "O4", "statut": "started"},
            {"code": "I-2", "titre": "Mauvaise", "objectifs": "O99", "statut": "started"},
            {"code": "I-3", "titre": "Mauvaise aussi", "objectifs": "O4", "statut": "fini"},
        ]
    )
    response = client.post("/pilotage/import/actions/", {"file": upload})
    assert response.status_code == 400
    page = text(response)
    assert "Fichier refusé : rien n'a été enregistré" in page
    assert "Ligne 3" in page and "Objectif inconnu" in page and "Ligne 4" in page
    assert Action.objects.count() == count
    assert "strategy-import" not in client.session
    # A confirmation without a previewed file writes nothing either.
    assert client.post("/pilotage/import/actions/", {"confirm": "1", "token": "x"}).status_code == 400
    assert Action.objects.count() == count


def test_the_template_to_fill_downloads_with_the_import_columns(world):
    response = as_user(world["pilot"]).get("/pilotage/import/actions/modele.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io_module.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ACTION_COLUMNS


def test_measurements_import_from_the_page(world):
    client = as_user(world["pilot"])
    content = "indicateur,date,valeur,niveau,territoire,note\nIndicateur test,2025-12-31,7,,,Bilan\n"
    upload = SimpleUploadedFile("mesures.csv", content.encode(), content_type="text/csv")
    response = client.post("/pilotage/import/mesures/", {"file": upload})
    assert (
        response.status_code == 200 and not Measurement.objects.filter(indicator=world["indicator"]).exists()
    )
    client.post(
        "/pilotage/import/mesures/", {"confirm": "1", "token": client.session["strategy-import"]["token"]}
    )
    assert Measurement.objects.get(indicator=world["indicator"]).value == 7


# --- Indicators ---


def test_a_computed_indicator_needs_a_computation_of_the_registry(world):
    client = as_user(world["pilot"])
    response = client.post(
        "/pilotage/indicateurs/nouveau/", {"name": "Calculé", "source": "computed", "direction": "up"}
    )
    assert response.status_code == 400 and "Choisissez un calcul" in text(response)
    response = client.get("/pilotage/indicateurs/nouveau/")
    assert "Ce que calcule chaque calcul" in text(response)
    response = client.post(
        "/pilotage/indicateurs/nouveau/",
        {
            "name": "Calculé",
            "source": "computed",
            "computation": "referrals_accepted",
            "direction": "up",
            "actions": [world["action"].pk],
        },
    )
    assert response.status_code == 302, text(response)
    assert Indicator.objects.get(name="Calculé").actions.get() == world["action"]


# --- Committees, minutes PDF ---


def test_minutes_must_be_a_pdf_and_are_served_to_pilots_only(world):
    client = as_user(world["pilot"])
    not_pdf = SimpleUploadedFile("cr.pdf", b"<html>pas un pdf</html>", content_type="application/pdf")
    response = client.post(
        "/pilotage/comites/nouveau/", {"kind": "copil", "date": "2026-01-15", "minutes_file": not_pdf}
    )
    assert response.status_code == 400 and "doit être un fichier PDF" in text(response)
    assert not CommitteeMeeting.objects.filter(date=date(2026, 1, 15)).exists()
    pdf = SimpleUploadedFile("cr.pdf", PDF, content_type="application/pdf")
    response = client.post(
        "/pilotage/comites/nouveau/",
        {
            "kind": "copil",
            "date": "2026-01-15",
            "agenda": "1. Bilan",
            "minutes_file": pdf,
            "organisations_present": [world["org_a"].pk],
        },
    )
    assert response.status_code == 302
    meeting = CommitteeMeeting.objects.get(date=date(2026, 1, 15))
    url = f"/pilotage/comites/{meeting.pk}/compte-rendu.pdf"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert as_user(world["member_a"]).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302
    assert "compte-rendu.pdf" in text(client.get("/pilotage/comites/"))


def test_minutes_over_the_size_cap_are_refused(world, monkeypatch):
    monkeypatch.setattr(services, "MINUTES_MAX_BYTES", 10)
    pdf = SimpleUploadedFile("cr.pdf", PDF, content_type="application/pdf")
    response = as_user(world["pilot"]).post(
        "/pilotage/comites/nouveau/", {"kind": "copil", "date": "2026-01-15", "minutes_file": pdf}
    )
    assert response.status_code == 400 and "dépasse 10 Mo" in text(response)


# --- API ---


def api(client, method, url, data):
    return getattr(client, method)(url, data, content_type="application/json")


def test_api_creates_an_action_with_its_progress_and_the_objectives_new_progress(world):
    response = api(
        as_user(world["pilot"]),
        "post",
        "/api/v1/strategy/actions",
        {
            "code": "API-1",
            "title": "Par l'API",
            "objectives": [{"code": "O6", "weight": 2}],
            "status": "done",
            "pilots": [world["org_a"].slug],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "API-1" and body["progress"] == 100
    assert body["objectives"][0]["code"] == "O6" and body["objectives"][0]["weight"] == 2
    assert body["objectives"][0]["progress"] == objective_progress(world["strategy"], "O6")


@pytest.mark.parametrize(
    "payload,field,message",
    [
        ({"objectives": [{"code": "O99", "weight": 1}]}, "objectives", "Objectif inconnu"),
        ({"objectives": [{"code": "O6", "weight": 0}]}, "objectives", "plus grand que 0"),
        ({"objectives": [{"code": "O6", "weight": -1}]}, "objectives", "plus grand que 0"),
        ({"start_date": "2026-01-01", "end_date": "2025-01-01"}, "end_date", "La fin doit suivre le début"),
        ({"status": "fini"}, "status", "Statut inconnu"),
        ({"progress_override": 40}, "progress_justification", "Expliquez"),
        ({"pilots": "org"}, "pilots", "Une liste est attendue"),
    ],
)
def test_api_refuses_bad_input_with_french_messages_per_field(world, payload, field, message):
    count = Action.objects.count()
    data = {"code": "API-2", "title": "Mauvaise", "objectives": [{"code": "O6", "weight": 1}], **payload}
    response = api(as_user(world["pilot"]), "post", "/api/v1/strategy/actions", data)
    assert response.status_code == 400
    body = response.json()
    assert message in " ".join(body["errors"][field]), body
    assert Action.objects.count() == count


@pytest.mark.parametrize("who,status", [("member_a", 403), ("member_b", 403), (None, 403)])
def test_api_writes_are_for_pilots(world, who, status):
    client = as_user(world[who] if who else None)
    before = _snapshot()
    assert (
        api(
            client, "post", "/api/v1/strategy/actions", {"code": "Z", "title": "Z", "objectives": ["O6"]}
        ).status_code
        == status
    )
    assert (
        api(
            client, "post", "/api/v1/strategy/committees", {"kind": "copil", "date": "2026-01-15"}
        ).status_code
        == status
    )
    meeting = CommitteeMeeting.objects.first()
    assert (
        api(client, "post", "/api/v1/strategy/decisions", {"meeting": meeting.pk, "text": "Z"}).status_code
        == status
    )
    assert _snapshot() == before


def test_api_patch_by_the_action_pilot_organisation_is_limited_to_status_and_progress(world):
    client = as_user(world["member_a"])
    response = api(client, "patch", "/api/v1/strategy/actions/T-1", {"status": "done"})
    assert response.status_code == 200 and response.json()["progress"] == 100
    assert api(client, "patch", "/api/v1/strategy/actions/T-1", {"title": "Non"}).status_code == 403
    assert api(client, "patch", "/api/v1/strategy/actions/T-2", {"status": "done"}).status_code == 403
    assert (
        api(
            as_user(world["member_b"]), "patch", "/api/v1/strategy/actions/T-1", {"status": "started"}
        ).status_code
        == 403
    )
    assert (
        api(as_user(None), "patch", "/api/v1/strategy/actions/T-1", {"status": "started"}).status_code == 403
    )
    assert Action.objects.get(code="T-1").title == "Action test"
    assert Action.objects.get(code="T-2").status == ActionStatus.NOT_STARTED
    response = api(
        as_user(world["pilot"]),
        "patch",
        "/api/v1/strategy/actions/T-1",
        {"title": "Oui", "end_date": "2020-01-01", "start_date": "2021-01-01"},
    )
    assert response.status_code == 400 and "end_date" in response.json()["errors"]
    assert (
        api(as_user(world["pilot"]), "patch", "/api/v1/strategy/actions/NOPE", {"status": "done"}).status_code
        == 404
    )


def test_api_records_a_committee_and_a_decision(world):
    client = as_user(world["pilot"])
    response = api(
        client,
        "post",
        "/api/v1/strategy/committees",
        {"kind": "cotech", "date": "2026-02-01", "organisations_present": [world["org_a"].slug]},
    )
    assert response.status_code == 201
    meeting_id = response.json()["id"]
    response = api(
        client,
        "post",
        "/api/v1/strategy/decisions",
        {
            "meeting": meeting_id,
            "text": "Lancer",
            "owner_organisation": world["org_a"].slug,
            "due_date": "2026-03-01",
            "actions": ["T-1"],
        },
    )
    assert response.status_code == 201 and response.json()["actions"] == ["T-1"]
    response = api(client, "post", "/api/v1/strategy/committees", {"kind": "", "date": "demain"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"kind", "date"}


# --- Decision e-mails ---


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the daily command on a given day; the outbox's e-mails leave as its transactions commit."""

    def run(day: str) -> str:
        out = io_module.StringIO()
        with freeze_time(day), django_capture_on_commit_callbacks(execute=True):
            call_command("send_decision_reminders", "--no-progress", stdout=out)
        return out.getvalue()

    return run


def test_decision_emails_go_a_week_before_and_on_the_day_it_is_overdue_never_twice(world, remind):
    Decision.objects.update(status=DecisionStatus.DONE)  # the demo's decisions are out of the way
    meeting = services.create_meeting(world["strategy"], {"kind": "copil", "date": "2026-01-15"})
    decision = services.create_decision(
        world["strategy"],
        {
            "meeting": meeting,
            "text": "Signer la convention",
            "owner_organisation": world["org_a"],
            "due_date": date(2026, 3, 10),
        },
    )
    mail.outbox.clear()
    remind("2026-03-02")  # 8 days before: nothing yet
    assert mail.outbox == []
    out = remind("2026-03-03")
    remind("2026-03-03")  # run twice the same day: nothing twice
    assert "Rappels avant l'échéance envoyés : 1" in out
    assert [m.to for m in mail.outbox] == [[world["member_a"].email]]
    assert "10/03/2026" in mail.outbox[0].subject and "Signer la convention" in mail.outbox[0].body
    assert "&#x27;" not in mail.outbox[0].body
    remind("2026-03-10")  # the due date itself: not overdue yet
    assert len(mail.outbox) == 1
    remind("2026-03-11")
    remind("2026-03-12")
    assert len(mail.outbox) == 2 and "en retard" in mail.outbox[1].subject
    decision.refresh_from_db()
    assert decision.reminder_sent_at and decision.overdue_sent_at


def test_an_owner_without_members_gets_the_email_at_its_address(world, remind):
    Decision.objects.update(status=DecisionStatus.DONE)
    owner = OrganisationFactory(email="contact@exemple.org")
    meeting = services.create_meeting(world["strategy"], {"kind": "copil", "date": "2026-01-15"})
    services.create_decision(
        world["strategy"],
        {"meeting": meeting, "text": "Faire", "owner_organisation": owner, "due_date": date(2026, 3, 1)},
    )
    mail.outbox.clear()
    out = remind("2026-03-05")
    assert "Décisions en retard signalées : 1" in out and mail.outbox[0].to == ["contact@exemple.org"]


def test_a_new_due_date_gets_its_own_emails(world):
    Decision.objects.update(status=DecisionStatus.DONE)
    meeting = services.create_meeting(world["strategy"], {"kind": "copil", "date": "2026-01-15"})
    decision = services.create_decision(
        world["strategy"],
        {
            "meeting": meeting,
            "text": "Faire",
            "owner_organisation": world["org_a"],
            "due_date": date(2026, 3, 1),
        },
    )
    with freeze_time("2026-03-05"):
        services.send_decision_reminders()
    services.update_decision(decision, {"due_date": date(2026, 4, 1)})
    decision.refresh_from_db()
    assert decision.overdue_sent_at is None and decision.reminder_sent_at is None


# --- « Mon espace » and the report ---


def test_the_space_lists_the_actions_of_the_persons_organisations(world):
    page = text(as_user(world["member_a"]).get("/mon-espace/"))
    assert "Actions de la stratégie que vous pilotez" in page
    assert "T-1 — Action test" in page and "T-2" not in page
    assert "/pilotage/actions/T-1/avancement/" in page


def test_the_report_lists_what_changed_since_the_previous_committee(world):
    pilot = world["pilot"]
    today = timezone.localdate()
    services.create_meeting(world["strategy"], {"kind": "copil", "date": today})
    services.update_action(world["action"], {"status": "done"}, user=pilot)
    workbook = load_workbook(io_module.BytesIO(build_xlsx(world["strategy"], date(2025, 1, 1), today, pilot)))
    rows = [row for row in workbook["Changements"].iter_rows(min_row=2, values_only=True) if row and row[0]]
    labels = " ".join(str(c) for row in rows for c in row if c)
    assert "T-1 — Action test" in labels and "statut : Non démarrée → Réalisée" in labels
    pdf = build_pdf(world["strategy"], date(2025, 1, 1), today, pilot, compress=False)
    drawn = pdf_text(pdf)
    assert "Ce qui a changé depuis le comité précédent" in drawn and "Non démarrée → Réalisée" in drawn
    # Not for people who may not see the actions.
    public = load_workbook(
        io_module.BytesIO(build_xlsx(world["strategy"], date(2025, 1, 1), today, UserFactory()))
    )
    assert "T-1" not in " ".join(
        str(c) for row in public["Changements"].iter_rows(values_only=True) for c in row if c
    )


def test_demo_gives_the_demo_advisor_organisation_an_action_and_an_overdue_decision(world):
    from maille.accounts import demo as accounts_demo

    accounts_demo.load()
    demo.load()
    action = Action.objects.get(code="DEMO-4")
    assert action.pilots.filter(slug="demo-reseau-accompagnement").exists()
    today = timezone.localdate()
    assert Decision.objects.filter(status=DecisionStatus.OPEN, due_date__lt=today).exists()
    assert CommitteeMeeting.objects.filter(kind=MeetingKind.COTECH, is_demo=True).exists()
