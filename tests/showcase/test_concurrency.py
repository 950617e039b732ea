"""Many people register for the last places at the same moment, in real transactions: never beyond capacity; and a
cancellation racing with a registration gives the freed place to exactly one person.

PostgreSQL only (SQLite serialises writers; its sequential behaviour is tested in test_events). The test commits for
real, so the transactional clean-up empties the tables afterwards; the module then reloads the reference data.
"""

import threading

import pytest
from django.db import connection

from maille.showcase import services
from maille.showcase.models import Event, Registration

from .factories import EventFactory

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="Verrous de ligne réels : PostgreSQL seulement."
)


def run_together(calls):
    barrier = threading.Barrier(len(calls), timeout=10)
    results = {}

    def run(name, call):
        try:
            barrier.wait()
            results[name] = call()
        except Exception as exc:  # a refusal is a result here
            results[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name, call)) for name, call in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_eight_people_registering_at_once_for_two_places_never_exceed_capacity():
    event = EventFactory(capacity=2)
    calls = {
        n: (lambda n=n: services.register(Event.objects.get(pk=event.pk), f"P{n}", f"p{n}@example.org"))
        for n in range(8)
    }
    results = run_together(calls)
    assert all(isinstance(result, tuple) for result in results.values()), results
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2
    assert Registration.objects.filter(event=event, status="waiting").count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_and_a_registration_at_once_never_exceed_capacity():
    event = EventFactory(capacity=1)
    holder, _ = services.register(event, "Titulaire", "titulaire@example.org")
    waiting, _ = services.register(event, "Attente", "attente@example.org")
    results = run_together(
        {
            "cancel": lambda: services.cancel(Registration.objects.get(pk=holder.pk)),
            "register": lambda: services.register(
                Event.objects.get(pk=event.pk), "Nouveau", "nouveau@example.org"
            ),
        }
    )
    assert not any(isinstance(r, Exception) for r in results.values()), results
    confirmed = Registration.objects.filter(event=event, status="confirmed")
    assert confirmed.count() == 1
    assert confirmed.get().pk == waiting.pk  # the person waiting first gets the place, not the newcomer
