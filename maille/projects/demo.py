"""Demo projects: a few visibly fictional projects (names ending « (démo) », holders at @demo.maille.fr) in real
communes of the Pays de la Loire, at different stages, one with a funding plan. No e-mail is sent; relaunching adds
nothing twice."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maille.directory.models import Organisation
from maille.territories.models import Commune

from .enums import FundingLineStatus, TimelineKind
from .models import FundingLine, Project, ProjectBudget, TimelineEntry

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
    return {"projets de démo": created}


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
