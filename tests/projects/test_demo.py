"""Demo projects: labelled, in real communes of the region, relaunchable without duplicates."""

import pytest

from maille.projects import demo
from maille.projects.models import Project

pytestmark = pytest.mark.django_db


def test_demo_projects_are_labelled_and_loaded_once():
    assert demo.load() == {"projets de démo": len(demo.DEMO_PROJECTS)}
    projects = Project.objects.filter(is_demo=True)
    assert projects.count() == len(demo.DEMO_PROJECTS)
    for project in projects:
        assert project.name.endswith("(démo)")
        assert project.holder_email.endswith("@demo.maille.fr")
        assert project.commune.region_id == "52"
    assert demo.load() == {"projets de démo": 0}
    laval = projects.get(commune_id="53130")
    assert laval.funding_lines.count() == 2 and laval.budget.total_need == 60000
