"""Showcase data for a newcomer: the real tiers-lieux of `data/showcase/tiers_lieux.json` (reference, cited), and
demo stories, events (past with attendance, upcoming, one full with a waiting list), fictional tiers-lieux, a
training with its sessions and participants, and two EPCI partnerships — all labelled « démo » / « fictif ».
Relaunching adds nothing twice. Demo registrations use reserved example addresses (example.org), never a person's."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maille.core.tokens import new_token, token_hash
from maille.directory.models import Organisation
from maille.territories.models import Commune, Epci

from .enums import PartnershipStatus, RegistrationStatus, StoryStatus
from .models import Event, Participant, Partnership, Registration, Story, TiersLieu, Training, TrainingSession

DATA = Path(settings.BASE_DIR, "data", "showcase", "tiers_lieux.json")


def load_tiers_lieux() -> dict[str, int]:
    """The real tiers-lieux listed by a public source (see data/showcase/README.md); idempotent."""
    created = 0
    for record in json.loads(DATA.read_text(encoding="utf-8")):
        commune = Commune.objects.filter(code=record["commune"]).first()
        if commune is None:
            continue
        _place, was_created = TiersLieu.objects.update_or_create(
            slug=record["slug"],
            defaults={
                "name": record["name"],
                "commune": commune,
                "description": record["description"],
                "activities": record["activities"],
                "governance": record["governance"],
                "ess_status": record["ess_status"],
                "network": record.get("network", ""),
                "source_url": record["source_url"],
                "is_demo": False,
            },
        )
        created += was_created
    return {"tiers-lieux (sources publiques)": created}


FICTIONAL_TIERS_LIEUX = [
    (
        "la-grange-partagee-fictif",
        "La Grange partagée (fictif)",
        "53130",
        ["coworking", "alimentation"],
        "cooperative",
    ),
    (
        "atelier-des-communs-fictif",
        "L'Atelier des communs (fictif)",
        "49353",
        ["fablab", "reemploi"],
        "association",
    ),
    ("la-gare-numerique-fictif", "La Gare numérique (fictif)", "72181", ["numerique", "formation"], "mixte"),
    (
        "le-jardin-des-possibles-fictif",
        "Le Jardin des possibles (fictif)",
        "85191",
        ["agriculture", "culture"],
        "association",
    ),
    (
        "la-fabrique-saumuroise-fictif",
        "La Fabrique saumuroise (fictif)",
        "49328",
        ["fablab", "coworking"],
        "publique",
    ),
]

# slug, title, kind, days from today, hours, commune (or None: online), capacity
DEMO_EVENTS = [
    ("forum-ess-angers-demo", "Forum de l'ESS angevine (démo)", "forum", 21, 4, "49007", 120),
    ("atelier-modele-economique-demo", "Atelier « modèle économique » (démo)", "atelier", 10, 3, "53130", 2),
    (
        "webinaire-financements-demo",
        "Webinaire : financer son projet ESS (démo)",
        "webinaire",
        14,
        2,
        None,
        None,
    ),
    ("visite-tiers-lieux-demo", "Visite de tiers-lieux du Saumurois (démo)", "visite", -30, 5, "49328", 25),
    (
        "rencontre-cooperation-demo",
        "Rencontre coopération et mutualisation (démo)",
        "rencontre",
        -60,
        3,
        "72181",
        40,
    ),
]

DEMO_STORIES = [
    (
        "ressourcerie-laval-demo",
        "Une ressourcerie qui crée six emplois (démo)",
        "53130",
        "reemploi",
        "association",
        "Trois ans après son ouverture, la ressourcerie donne une seconde vie à cent tonnes d'objets par an.",
        "Née d'un collectif d'habitants, la ressourcerie collecte, répare et revend meubles, vêtements et "
        "électroménager. Accompagnée par le réseau de création puis par un dispositif local d'accompagnement, elle "
        "emploie aujourd'hui six personnes, dont quatre en insertion (histoire fictive, démo).",
        "On ne savait pas par où commencer : la plateforme nous a mis en relation avec les bons réseaux.",
    ),
    (
        "epicerie-cooperative-demo",
        "Une épicerie coopérative au cœur du bourg (démo)",
        "49353",
        "alimentation",
        "cooperative",
        "Deux cents sociétaires ont rouvert le dernier commerce alimentaire de la commune.",
        "Constituée en SCIC, l'épicerie associe habitants, producteurs et commune. Elle vend en circuit court et "
        "accueille un café associatif (histoire fictive, démo).",
        "",
    ),
    (
        "garage-solidaire-demo",
        "Un garage solidaire pour l'emploi rural (démo)",
        "72181",
        "mobilite",
        "association",
        "Réparer à prix solidaire les voitures de celles et ceux qui en ont besoin pour travailler.",
        "Le garage loue et répare des véhicules à prix adaptés pour les personnes en recherche d'emploi, avec des "
        "mécaniciens en parcours d'insertion (histoire fictive, démo).",
        "",
    ),
]


def _organiser():
    return (
        Organisation.objects.filter(slug="demo-reseau-accompagnement").first()
        or Organisation.objects.filter(slug="cress-pdl").first()
        or Organisation.objects.order_by("pk").first()
    )


def _demo_registrations(event, count, status, attended=None):
    for n in range(count):
        email = f"participant{n + 1}.{event.slug}@example.org"
        Registration.objects.get_or_create(
            event=event,
            email=email,
            defaults={
                "name": f"Participant·e {n + 1} (démo)",
                "status": status,
                "token_hash": token_hash(new_token()),
                "attended": attended,
            },
        )


@transaction.atomic
def load() -> dict[str, int]:
    organiser = _organiser()
    if organiser is None or not Commune.objects.exists():
        return {}
    counts = {"réussites": 0, "événements": 0, "tiers-lieux fictifs": 0, "formations": 0, "partenariats": 0}
    counts["indicateurs calculés"] = 0
    places = []
    for slug, name, commune, activities, governance in FICTIONAL_TIERS_LIEUX:
        place, created = TiersLieu.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "commune_id": commune,
                "description": "Tiers-lieu fictif créé pour la démonstration : espace partagé, ateliers et "
                "événements ouverts aux habitants.",
                "activities": activities,
                "governance": governance,
                "ess_status": governance != "publique",
                "network": "CAP Tiers-Lieux" if governance != "publique" else "",
                "is_demo": True,
            },
        )
        places.append(place)
        counts["tiers-lieux fictifs"] += created

    today = timezone.localdate()
    for slug, title, kind, days, hours, commune, capacity in DEMO_EVENTS:
        starts = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(14))
        )
        event, created = Event.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "kind": kind,
                "description": "Temps collectif fictif créé pour la démonstration.",
                "organiser": organiser,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=hours),
                "commune_id": commune,
                "online_url": "" if commune else "https://visio.example.org/maille-demo",
                "capacity": capacity,
                "is_demo": True,
            },
        )
        counts["événements"] += created
        if not created:
            continue
        if days < 0:  # held: registrations and attendance
            _demo_registrations(event, 12, RegistrationStatus.CONFIRMED, attended=True)
        elif capacity == 2:  # full, with one person waiting
            _demo_registrations(event, 2, RegistrationStatus.CONFIRMED)
            Registration.objects.create(
                event=event,
                name="Personne en attente (démo)",
                email=f"attente.{event.slug}@example.org",
                status=RegistrationStatus.WAITING,
                token_hash=token_hash(new_token()),
            )

    now = timezone.now()
    for slug, title, commune, sector, family, summary, text, quote in DEMO_STORIES:
        _story, created = Story.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "commune_id": commune,
                "sector": sector,
                "family": family,
                "summary": summary,
                "text": text,
                "quote": quote,
                "quote_author": "Une fondatrice (démo)" if quote else "",
                "status": StoryStatus.PUBLISHED,
                "published_at": now,
                "is_demo": True,
            },
        )
        counts["réussites"] += created

    training, created = Training.objects.get_or_create(
        title="Animer et faire vivre un tiers-lieu (démo)",
        defaults={
            "description": "Formation fictive des animateurs et animatrices de tiers-lieux.",
            "competences": ["animation", "modele_economique", "gouvernance"],
            "organiser": Organisation.objects.filter(slug="cress-pdl").first(),
            "is_demo": True,
        },
    )
    counts["formations"] += created
    if created and places:
        for offset, commune in ((-90, "49007"), (-20, "44109")):
            day = today + datetime.timedelta(days=offset)
            session = TrainingSession.objects.create(
                training=training, starts_on=day, ends_on=day + datetime.timedelta(days=1), commune_id=commune
            )
            for n, place in enumerate(places):
                Participant.objects.create(
                    session=session, tiers_lieu=place, name=f"Animateur·rice {n + 1} (démo)"
                )

    for code, status, signed in (
        ("244900015", PartnershipStatus.DISCUSSION, None),
        ("200083392", PartnershipStatus.SIGNED, today - datetime.timedelta(days=120)),
    ):
        if not Epci.objects.filter(code=code).exists():
            continue
        partnership, created = Partnership.objects.get_or_create(
            epci_id=code,
            defaults={
                "status": status,
                "signed_on": signed,
                "contact_name": "Service ESS (démo)",
                "notes": "Partenariat fictif créé pour la démonstration.",
                "is_demo": True,
            },
        )
        counts["partenariats"] += created
        if created:
            from .selectors import strategy_actions

            partnership.actions.set([a for a in strategy_actions() if a.code == "DEMO-6"])
    counts["indicateurs calculés"] = _computed_indicators()
    return counts


# name, computation, objective, unit: the strategy's indicators computed from the showcase (O9, O12, O13, O14)
COMPUTED_INDICATORS = [
    ("Réussites publiées sur la plateforme", "success_stories_published", "O9", "réussites"),
    ("Temps collectifs organisés", "events_held", "O12", "événements"),
    ("Participants et participantes aux temps collectifs", "event_participants", "O12", "personnes"),
    ("EPCI ayant signé un partenariat", "epci_partnerships_signed", "O13", "EPCI"),
    ("Personnes des tiers-lieux formées", "tiers_lieux_people_trained", "O14", "personnes"),
]


def _computed_indicators() -> int:
    from maille.strategy import services as strategy_services

    return strategy_services.ensure_computed_indicators(COMPUTED_INDICATORS)
