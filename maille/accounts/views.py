"""« Mon espace »: the landing page after login, with one section per role the person holds (read through the
other apps' selectors; each section only shows what their permission predicates allow)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from maille.directory import selectors as directory_selectors
from maille.funding import selectors as funding_selectors
from maille.projects import selectors as project_selectors
from maille.referrals import selectors as referral_selectors
from maille.territories import selectors as territory_selectors

from . import perms, selectors
from .enums import MemberRole

FUNDER_LINES_SHOWN = 10


def _ids(organisations) -> list[int]:
    return [organisation.pk for organisation in organisations]


def _holder_section(user) -> dict:
    projects = project_selectors.holder_projects(user)
    for project in projects:
        # The holder's page (referrals, what happens next), by the same signed link as in their e-mails.
        project.follow_url = reverse("projects:mine", args=[project.pk])
    return {"projects": projects}


def _advisor_section(user, organisations, detected) -> dict:
    ids = set(_ids(organisations))
    counts = referral_selectors.tab_counts(referral_selectors.inbox_referrals(user))
    competences = list(directory_selectors.competences_of_organisations(ids))
    names = territory_selectors.zone_labels({(c.zone_level, c.zone_code) for c in competences})
    for competence in competences:
        competence.zone_label = names.get((competence.zone_level, competence.zone_code)) or str(
            competence.get_zone_level_display()
        )
    return {
        "organisations": organisations,
        "tabs": [{"tab": tab, "count": counts[tab.slug]} for tab in referral_selectors.TABS],
        "offers": list(directory_selectors.offers_of_organisations(ids)),
        "competences": competences,
        "detected": [project for project in detected if project.detected_by_id in ids],
    }


def _funder_section(organisations) -> dict:
    ids = _ids(organisations)
    lines = list(project_selectors.funder_lines_of(ids)[: FUNDER_LINES_SHOWN + 1])
    for line in lines:
        # A project's name only when its holder consented to share the file (as on the funder's page).
        line.project_label = line.project.name if line.project.consent_to_share else _("Projet non partagé")
    return {
        "organisations": organisations,
        "schemes": list(funding_selectors.schemes_of_funders(ids)),
        "lines": lines[:FUNDER_LINES_SHOWN],
        "more_lines": len(lines) > FUNDER_LINES_SHOWN,
    }


def _epci_section(organisations, detected) -> dict:
    ids = set(_ids(organisations))
    return {
        "organisations": organisations,
        "territories": territory_selectors.epci_facts({o.epci_id for o in organisations if o.epci_id}),
        "detected": [project for project in detected if project.detected_by_id in ids],
    }


@login_required
@require_GET
def space(request):
    user = request.user
    by_role = selectors.organisations_by_role(user)
    advisors = by_role.get(MemberRole.ADVISOR, [])
    funders = by_role.get(MemberRole.FUNDER, [])
    epci_agents = by_role.get(MemberRole.EPCI_AGENT, [])
    is_staff = perms.is_staff(user)
    detected = (
        project_selectors.projects_detected_by(_ids(advisors) + _ids(epci_agents))
        if advisors or epci_agents
        else []
    )
    holder = _holder_section(user)
    context = {
        # Everyone without another role is a project holder; others see their projects only when they have some.
        "holder": holder if holder["projects"] or not (by_role or is_staff) else None,
        "advisor": _advisor_section(user, advisors, detected) if advisors else None,
        "funder": _funder_section(funders) if funders else None,
        "epci": _epci_section(epci_agents, detected) if epci_agents else None,
        "pilot": perms.can_steer_strategy(user),
        "staff": is_staff,
    }
    return render(request, "accounts/space.html", context)
