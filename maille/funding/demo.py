"""Demo funding: the demo funder « Financeur solidaire (démo) » (made by `accounts.demo`) gets a fictional scheme
when it has none, so that projects can ask it for money. Relaunching adds nothing twice."""

from django.db import transaction

from maille.directory.enums import PublicationStatus
from maille.directory.models import Organisation

from .enums import FundingType, Recurrence
from .models import FundingScheme
from .services import save_scheme

DEMO_FUNDER = "demo-financeur-solidaire"
DEMO_SCHEME = "demo-pret-solidaire"


@transaction.atomic
def load() -> dict[str, int]:
    funder = Organisation.objects.filter(slug=DEMO_FUNDER).first()
    if funder is None or FundingScheme.objects.filter(funders=funder).exists():
        return {"dispositifs de démo": 0}
    scheme = FundingScheme(
        slug=DEMO_SCHEME,
        name="Prêt solidaire de démarrage (démo)",
        kind=FundingType.LOAN,
        description="Dispositif fictif de démonstration : un prêt à taux zéro de 5 000 à 30 000 € pour les "
        "structures de l'ESS qui se créent ou se développent dans la région.",
        stages=["creation", "developpement", "consolidation"],
        needs=["financement"],
        amount_min=5000,
        amount_max=30000,
        recurrence=Recurrence.PERMANENT,
        status=PublicationStatus.PUBLISHED,
        is_demo=True,
    )
    save_scheme(scheme, [("region", "52")], [funder])
    return {"dispositifs de démo": 1}
