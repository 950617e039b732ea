"""Demo referrals: demo projects put in touch with the demo advisor's organisation (« Réseau d'accompagnement
(démo) »), so that its inbox has pending, accepted and declined referrals; and one to a real organisation that
has neither an account nor an address (France Active Pays de la Loire), which waits at the regional orientation desk
for the demo staff account to forward it. Made through the state machine (`services.refer / accept / decline`),
never by writing rows; relaunching adds nothing twice. No demo referral goes to a real person's address."""

from django.db import transaction

from maille.accounts.models import User
from maille.directory.models import Offer
from maille.projects.models import Project

from . import services
from .enums import ReferralStatus
from .models import Referral

DEMO_ADVISOR = "accompagnateur@demo.maille.fr"
# project name, offer slug, the holder's message, the answer (status) and, for a decline, its reason
DEMO_REFERRALS = [
    (
        "Épicerie coopérative angevine (démo)",
        "demo-reseau-creation-maine-et-loire",
        "Nous sommes un groupe de douze habitants et voulons savoir si la SCIC est la bonne forme (message fictif).",
        ReferralStatus.PENDING,
        "",
    ),
    (
        "Atelier vélo solidaire de Saumur (démo)",
        "demo-reseau-diagnostic-modele-economique",
        "Nous cherchons à vérifier que l'atelier peut vivre de ses réparations (message fictif).",
        ReferralStatus.PENDING,
        "",
    ),
    (
        "Ressourcerie du Pays de Laval (démo)",
        "demo-reseau-diagnostic-modele-economique",
        "Nos ventes baissent depuis un an, nous avons besoin d'un regard extérieur (message fictif).",
        ReferralStatus.ACCEPTED,
        "",
    ),
    (
        "Tiers-lieu des Sablons (démo)",
        "demo-reseau-locaux-cooperation",
        "Nous cherchons des locaux deux fois plus grands à partager avec d'autres associations (message fictif).",
        ReferralStatus.ACCEPTED,
        "",
    ),
    (
        "SCOP de menuiserie nantaise (démo)",
        "demo-reseau-creation-maine-et-loire",
        "Les salariés veulent reprendre la menuiserie en SCOP avant la fin de l'année (message fictif).",
        ReferralStatus.DECLINED,
        "Ce parcours est réservé au Maine-et-Loire et votre projet est à Nantes : l'union régionale des SCOP "
        "accompagne les reprises par les salariés en Loire-Atlantique (motif fictif, démo).",
    ),
    (
        "Épicerie coopérative angevine (démo)",
        "fa-accompagnement-creation",
        "Nous aurons besoin d'un prêt pour l'aménagement du local (message fictif).",
        ReferralStatus.PENDING,
        "",
    ),
]


@transaction.atomic
def load() -> dict[str, int]:
    advisor = User.objects.filter(email=DEMO_ADVISOR, is_active=True).first()
    projects = {
        p.name: p for p in Project.objects.filter(name__in=[spec[0] for spec in DEMO_REFERRALS], is_demo=True)
    }
    offers = Offer.objects.in_bulk([spec[1] for spec in DEMO_REFERRALS], field_name="slug")
    created = 0
    for project_name, offer_slug, message, answer, reason in DEMO_REFERRALS:
        project, offer = projects.get(project_name), offers.get(offer_slug)
        if project is None or offer is None:  # demo projects or offers not loaded
            continue
        referral = Referral.objects.filter(project=project, offer=offer).order_by("pk").first()
        if referral is None:
            referral = services.refer(project, offer, message=message)
            created += 1
        if referral.status != ReferralStatus.PENDING or advisor is None:
            continue
        if answer == ReferralStatus.ACCEPTED:
            services.accept(referral, advisor)
        elif answer == ReferralStatus.DECLINED:
            services.decline(referral, advisor, reason)
    return {"mises en relation de démo": created}
