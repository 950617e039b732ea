"""Factories of the showcase tests: events, stories, tiers-lieux (territories come from the real reference data)."""

import datetime

import factory
from django.utils import timezone

from maille.showcase.models import Event, Story, TiersLieu
from tests.factories import OrganisationFactory


def _commune(code="53130"):
    from maille.territories.models import Commune

    return Commune.objects.get(code=code)


class EventFactory(factory.django.DjangoModelFactory):
    """An event in Laval (53130) next week, with 2 places."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Atelier {n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    kind = "atelier"
    description = "Un atelier de test."
    organiser = factory.SubFactory(OrganisationFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    commune = factory.LazyFunction(_commune)
    capacity = 2


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Réussite {n}")
    slug = factory.Sequence(lambda n: f"reussite-{n}")
    text = "Une belle histoire."
    sector = "reemploi"
    family = "association"
    commune = factory.LazyFunction(_commune)
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class TiersLieuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TiersLieu

    name = factory.Sequence(lambda n: f"Tiers-lieu {n}")
    slug = factory.Sequence(lambda n: f"tiers-lieu-{n}")
    commune = factory.LazyFunction(_commune)
    description = "Un lieu partagé."
    activities = factory.LazyFunction(lambda: ["coworking"])
    governance = "association"
