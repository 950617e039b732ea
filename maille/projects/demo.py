"""Demo projects: a few visibly fictional projects (names ending « (démo) », holders at @demo.maille.fr) in real
communes of the Pays de la Loire, at different stages, one with a funding plan. No e-mail is sent for these;
relaunching adds nothing twice.

So that every demo account has something to do: the demo holder's account holds a project of its own; the demo EPCI
agent's organisation has detected a project in Angers Loire Métropole (through `services.create_project`, which
e-mails its fictional holder); the demo funder gets funding lines (through `services.add_funding_line`)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maille.directory.models import Organisation
from maille.territories.models import Commune

from . import services
from .enums import FundingLineStatus, TimelineKind
from .models import FundingLine, Project, ProjectBudget, TimelineEntry

DEMO_HOLDER = "porteur@demo.maille.fr"
DEMO_FUNDER = "demo-financeur-solidaire"
DEMO_EPCI_ORGANISATION = "demo-service-ess-alm"
DEMO_EPCI_AGENT = "epci@demo.maille.fr"

# The demo holder's own project (their account is its holder).
DEMO_HOLDER_PROJECT = {
    "name": "Atelier vélo solidaire de Saumur (démo)",
    "holder_name": "Camille Porteur (démo)",
    "holder_email": DEMO_HOLDER,
    "description": "Projet fictif : un atelier associatif de réparation de vélos, avec des ateliers d'insertion.",
    "commune": "49328",
    "legal_form": "association",
    "stage": "creation",
    "needs": ["modele_economique", "financement"],
    "jobs_fte": Decimal(1),
    "collective": True,
}
# The project detected by the demo EPCI agent's organisation.
DEMO_DETECTED_PROJECT = {
    "name": "Recyclerie de quartier à Trélazé (démo)",
    "holder_name": "Lou Réemploi (démo)",
    "holder_email": "recyclerie@demo.maille.fr",
    "description": "Projet fictif repéré lors d'une permanence : un collectif d'habitants veut ouvrir une "
    "recyclerie de quartier.",
    "commune": "49353",
    "legal_form": "non_creee",
    "stage": "emergence",
    "needs": ["juridique", "locaux"],
    "collective": True,
}
# Lines of the demo funder: project name, expense, asked, granted, status.
DEMO_FUNDER_LINES = [
    ("Ressourcerie du Pays de Laval (démo)", "Camion de collecte", 18000, 15000, FundingLineStatus.GRANTED),
    (
        "Épicerie coopérative angevine (démo)",
        "Premier stock et aménagement",
        12000,
        None,
        FundingLineStatus.ASKED,
    ),
    (
        "Atelier vélo solidaire de Saumur (démo)",
        "Outillage de l'atelier",
        6000,
        None,
        FundingLineStatus.ASKED,
    ),
]

DEMO_PROJECTS = [
    {
        "name": "Ressourcerie du Pays de Laval (démo)",
        "holder_name": "Camille Ressource",
        "holder_email": "ressourcerie@demo.maille.fr",
        "description": "Association de réemploi employeuse qui doit consolider son modèle économique.",
        "commune": "53130",
        "legal_form": "association",
        "stage": "consolidation",
        "needs": ["modele_economique", "emploi"],
        "jobs_fte": Decimal(12),
        "years_of_existence": 8,
        "naf": "38.32Z",
        "collective": True,
    },
    {
        "name": "Épicerie coopérative angevine (démo)",
        "holder_name": "Alex Coop",
        "holder_email": "epicerie@demo.maille.fr",
        "description": "Groupe d'habitants qui veut créer une épicerie en SCIC dans son quartier.",
        "commune": "49007",
        "legal_form": "non_creee",
        "stage": "emergence",
        "needs": ["juridique", "gouvernance", "financement"],
        "collective": True,
        "social_innovation": True,
    },
    {
        "name": "Tiers-lieu des Sablons (démo)",
        "holder_name": "Sacha Lieu",
        "holder_email": "tiers-lieu@demo.maille.fr",
        "description": "Tiers-lieu associatif qui développe un atelier partagé et cherche des locaux plus grands.",
        "commune": "72181",
        "legal_form": "association",
        "stage": "developpement",
        "needs": ["locaux", "cooperation"],
        "jobs_fte": Decimal("2.5"),
        "years_of_existence": 3,
        "tiers_lieu": True,
    },
    {
        "name": "SCOP de menuiserie nantaise (démo)",
        "holder_name": "Dominique Bois",
        "holder_email": "menuiserie@demo.maille.fr",
        "description": "Reprise d'une menuiserie par ses salariés en SCOP.",
        "commune": "44109",
        "legal_form": "scop",
        "stage": "creation",
        "needs": ["reprise", "financement"],
        "jobs_fte": Decimal(7),
        "years_of_existence": 0,
        "naf": "16.23Z",
    },
]


@transaction.atomic
def load() -> dict[str, int]:
    created = 0
    communes = Commune.objects.in_bulk([spec["commune"] for spec in DEMO_PROJECTS])
    for spec in DEMO_PROJECTS:
        commune = communes.get(spec["commune"])
        if commune is None:  # the reference geography is not loaded
            continue
        if Project.objects.filter(name=spec["name"], is_demo=True).exists():
            continue
        project = Project(
            **{**spec, "commune": commune},
            is_demo=True,
            consent_to_share=True,
            consented_at=timezone.now(),
        )
        project.full_clean()
        project.save()
        TimelineEntry.objects.create(
            project=project,
            kind=TimelineKind.MILESTONE,
            text="Projet de démonstration déposé sur la plateforme.",
        )
        created += 1
        if spec["stage"] == "consolidation":
            _demo_funding_plan(project)
    created += _demo_holder_project()
    created += _demo_detected_project()
    return {"projets de démo": created, "lignes de financement de démo": _demo_funder_lines()}


def _demo_holder_project() -> int:
    from maille.accounts.models import User

    holder = User.objects.filter(email=DEMO_HOLDER).first()
    commune = Commune.objects.filter(code=DEMO_HOLDER_PROJECT["commune"]).first()
    if holder is None or commune is None:
        return 0
    if Project.objects.filter(name=DEMO_HOLDER_PROJECT["name"], is_demo=True).exists():
        return 0
    project = Project(
        **{**DEMO_HOLDER_PROJECT, "commune": commune},
        holder=holder,
        is_demo=True,
        consent_to_share=True,
        consented_at=timezone.now(),
    )
    project.full_clean()
    project.save()
    TimelineEntry.objects.create(
        project=project, kind=TimelineKind.MILESTONE, text="Projet de démonstration déposé sur la plateforme."
    )
    return 1


def _demo_detected_project() -> int:
    from maille.accounts.models import User

    organisation = Organisation.objects.filter(slug=DEMO_EPCI_ORGANISATION).first()
    commune = Commune.objects.filter(code=DEMO_DETECTED_PROJECT["commune"]).first()
    if organisation is None or commune is None:
        return 0
    if Project.objects.filter(name=DEMO_DETECTED_PROJECT["name"], is_demo=True).exists():
        return 0
    project = Project(**{**DEMO_DETECTED_PROJECT, "commune": commune}, is_demo=True, consent_to_share=True)
    services.create_project(
        project, actor=User.objects.filter(email=DEMO_EPCI_AGENT).first(), detected_by=organisation
    )
    return 1


def _demo_funder_lines() -> int:
    from maille.funding.models import FundingScheme

    funder = Organisation.objects.filter(slug=DEMO_FUNDER).first()
    if funder is None:
        return 0
    scheme = FundingScheme.objects.filter(funders=funder).order_by("pk").first()
    projects = {
        project.name: project
        for project in Project.objects.filter(name__in=[spec[0] for spec in DEMO_FUNDER_LINES], is_demo=True)
    }
    created = 0
    for name, expense, asked, granted, status in DEMO_FUNDER_LINES:
        project = projects.get(name)
        if project is None:
            continue
        if FundingLine.objects.filter(project=project, funder=funder, expense=expense).exists():
            continue
        line = FundingLine(
            funder=funder,
            scheme=scheme,
            expense=expense,
            amount_asked=Decimal(asked),
            amount_granted=Decimal(granted) if granted is not None else None,
            status=status,
        )
        services.add_funding_line(project, line, actor=None)
        created += 1
    return created


def _demo_funding_plan(project: Project) -> None:
    funders = Organisation.objects.in_bulk(["france-active-pdl", "banque-des-territoires"], field_name="slug")
    if len(funders) < 2:
        return
    ProjectBudget.objects.create(project=project, total_need=Decimal(60000))
    FundingLine.objects.create(
        project=project,
        funder=funders["france-active-pdl"],
        expense="Fonds de roulement",
        amount_asked=Decimal(30000),
        amount_granted=Decimal(25000),
        status=FundingLineStatus.GRANTED,
    )
    FundingLine.objects.create(
        project=project,
        funder=funders["banque-des-territoires"],
        expense="Fonds de roulement",
        amount_asked=Decimal(15000),
        status=FundingLineStatus.ASKED,
    )
