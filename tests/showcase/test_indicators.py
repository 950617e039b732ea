"""The strategy's showcase indicators (O9, O12, O13, O14) computed from this app's data, by territory and period,
and shown on the strategy pages."""

import datetime

import pytest
from django.utils import timezone

from maille.showcase import services
from maille.showcase.models import Participant, Partnership, Training, TrainingSession
from maille.strategy.indicators import COMPUTATIONS
from tests.factories import UserFactory

from .factories import EventFactory, StoryFactory, TiersLieuFactory

pytestmark = pytest.mark.django_db

YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
LAVAL_AGGLO = "200083392"


def run(name, level=None, code=None, period=YEAR):
    return COMPUTATIONS[name](*period, level, code)


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def test_stories_published_in_the_period_by_territory():
    StoryFactory(published_at=at(2026, 3, 1))
    StoryFactory(published_at=at(2026, 4, 1), commune_id="44109", is_demo=True)
    StoryFactory(published_at=at(2025, 4, 1))
    StoryFactory(status="draft", published_at=None)
    result = run("success_stories_published")
    assert result.value == 2 and result.includes_demo
    assert result.breakdown["departement"] == {"44": 1, "53": 1}
    assert run("success_stories_published", "departement", "53").value == 1


def test_events_held_and_their_participants_present():
    event = EventFactory(capacity=3)
    ana, _ = services.register(event, "Ana", "ana@example.org")
    bob, _ = services.register(event, "Bob", "bob@example.org")
    EventFactory()  # upcoming: not held yet
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    services.record_attendance(event, UserFactory(is_staff=True), [ana.pk])
    today = timezone.localdate()
    period = (today.replace(month=1, day=1), today.replace(month=12, day=31))
    assert run("events_held", period=period).value == 1
    participants = run("event_participants", period=period)
    assert participants.value == 1 and participants.breakdown["epci"] == {LAVAL_AGGLO: 1}
    assert run("event_participants", "departement", "44", period=period).value == 0


def test_partnerships_signed_by_the_end_of_the_period():
    Partnership.objects.create(epci_id=LAVAL_AGGLO, status="signed", signed_on=datetime.date(2026, 2, 1))
    Partnership.objects.create(epci_id="244900015", status="discussion")
    Partnership.objects.create(epci_id="244400404", status="signed", signed_on=datetime.date(2027, 2, 1))
    result = run("epci_partnerships_signed")
    assert result.value == 1 and result.breakdown["departement"] == {"53": 1}
    assert run("epci_partnerships_signed", "epci", LAVAL_AGGLO).value == 1
    assert run("epci_partnerships_signed", "departement", "49").value == 0
    assert run("epci_partnerships_signed", "region", "52").value == 1


def test_people_trained_are_counted_once_per_tiers_lieu():
    place = TiersLieuFactory()
    training = Training.objects.create(title="Animer un tiers-lieu", competences=["animation"])
    first = TrainingSession.objects.create(
        training=training, starts_on=datetime.date(2026, 2, 1), ends_on=datetime.date(2026, 2, 2)
    )
    second = TrainingSession.objects.create(
        training=training, starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 5, 1)
    )
    Participant.objects.create(session=first, tiers_lieu=place, name="Léa Martin")
    Participant.objects.create(session=second, tiers_lieu=place, name="lea martin")  # the same person
    Participant.objects.create(session=second, tiers_lieu=place, name="Sam Roy")
    Participant.objects.create(session=second, tiers_lieu=place, name="Absent", completed=False)
    result = run("tiers_lieux_people_trained")
    assert result.value == 2 and result.note
    assert run("tiers_lieux_people_trained", "departement", "44").value == 0


def test_the_showcase_indicators_have_figures_now_that_the_app_exists():
    for name in (
        "success_stories_published",
        "events_held",
        "event_participants",
        "epci_partnerships_signed",
        "tiers_lieux_people_trained",
    ):
        assert run(name).value == 0


def test_the_objective_page_shows_the_figure_computed_from_the_showcase(client):
    from maille.showcase.demo import _computed_indicators

    _computed_indicators()
    StoryFactory()
    StoryFactory()
    text = client.get("/pilotage/objectifs/O9/").content.decode()
    assert "Réussites publiées sur la plateforme" in text
    assert '<dd class="computed-value">2 réussites</dd>' in text
