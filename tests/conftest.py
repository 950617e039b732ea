"""Shared test set-up: the real reference geography is loaded once per test database."""

import json
from pathlib import Path

import pytest
from pytest_django.plugin import blocking_manager_key

from maille.directory.models import Organisation
from maille.directory.services import load_directory
from maille.funding.services import load_funding
from maille.showcase.demo import load_tiers_lieux
from maille.strategy.services import load_strategy
from maille.territories.models import Commune
from maille.territories.services import load_reference_data

DIRECTORY_DATA = Path(__file__).resolve().parent.parent / "data" / "directory"


def data_records(name: str, published: bool = False) -> int:
    """How many records `data/directory/<name>.json` holds (the published ones: not archived)."""
    records = json.loads((DIRECTORY_DATA / f"{name}.json").read_text(encoding="utf-8"))
    return len([r for r in records if not published or r.get("status") != "archived"])


def ensure_reference_data():
    """The real geography, and the region's directory and funding schemes, as `make db` loads them."""
    if not Commune.objects.exists():
        load_reference_data()
    if not Organisation.objects.filter(slug="cress-pdl").exists():
        load_directory()
        load_funding()
        load_strategy()
        load_tiers_lieux()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (real commits, browser journeys) ends by emptying every table: once its fixtures are torn
    down, the reference data is loaded again, so the next test finds the geography and the directory."""
    yield
    if nextitem is None:  # the last test: the test database itself is gone by now
        return
    marker = item.get_closest_marker("django_db")
    transactional = (
        bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in item.fixturenames
    )
    if transactional or "live_server" in item.fixturenames:
        with item.config.stash[blocking_manager_key].unblock():
            ensure_reference_data()


def pytest_collection_modifyitems(items):
    """Browser journeys last: their transactional clean-up empties tables that the other tests read."""
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))
