"""Two advisors answer the same referral at the same moment, in two real transactions: exactly one wins.

On PostgreSQL the row lock serialises them; on SQLite (no row locks) every transaction takes the database's write
lock when it begins (`transaction_mode = IMMEDIATE`), so the second waits and then reads the first's answer — the
loser gets the intended `TransitionError` (a 409), never "database is locked". The test commits for real, so the
transactional clean-up empties the tables afterwards; the suite then reloads the reference data the rest of the
suite reads (`tests/conftest.py`).
"""

import threading

import pytest
from django.db import connection

from maille.core.models import AuditEntry
from maille.referrals import services
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import Referral
from tests.factories import MembershipFactory, OfferFactory, ProjectFactory, ReferralFactory


@pytest.mark.django_db(transaction=True)
def test_two_advisors_answering_at_once_exactly_one_wins():
    offer = OfferFactory()
    first = MembershipFactory(organisation=offer.organisation).user
    second = MembershipFactory(organisation=offer.organisation).user
    referral = ReferralFactory(project=ProjectFactory(), offer=offer)
    barrier = threading.Barrier(2, timeout=10)
    results: dict[str, object] = {}

    def answer(name, call):
        try:
            stale = Referral.objects.select_related("project", "offer", "organisation").get(pk=referral.pk)
            barrier.wait()  # both have read "pending" and now answer together
            call(stale)
            results[name] = "ok"
        except Exception as exc:  # the losing thread's error is the point of the test
            results[name] = exc
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=answer, args=("accept", lambda r: services.accept(r, first))),
        threading.Thread(
            target=answer, args=("decline", lambda r: services.decline(r, second, "Pas de disponibilité."))
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, result in results.items() if result == "ok"]
    losers = [result for result in results.values() if isinstance(result, services.TransitionError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert "déjà reçu une réponse" in losers[0].message
    referral.refresh_from_db()
    if winners == ["accept"]:
        assert (referral.status, referral.answered_by, referral.decline_reason) == ("accepted", first, "")
    else:
        assert (referral.status, referral.answered_by) == (ReferralStatus.DECLINED, second)
    assert referral.project.timeline.count() == 1  # one answer in the shared file
    assert AuditEntry.objects.filter(action__in=["referral.accept", "referral.decline"]).count() == 1
