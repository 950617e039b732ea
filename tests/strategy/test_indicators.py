"""Computed indicators: each computation on factory data, its date range and territory filters, its breakdown by
département and EPCI, demo rows flagged, and "no data" (None) where nothing can be measured — never a made-up 0."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from maille.directory.models import Competence
from maille.projects.models import FundingLine, Project
from maille.referrals.models import Referral
from maille.strategy import indicators
from maille.strategy.enums import IndicatorSource
from maille.strategy.indicators import COMPUTATIONS, ComputationError, Result, compute_indicator
from maille.strategy.models import Indicator
from maille.territories.models import Commune
from tests.factories import OrganisationFactory, ProjectFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

LAVAL, NANTES = "53130", "44109"
LAVAL_AGGLO, NANTES_METROPOLE = "200083392", "244400404"
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def project(day: date, commune: str = LAVAL, **fields) -> Project:
    item = ProjectFactory(commune=Commune.objects.get(code=commune), **fields)
    Project.objects.filter(pk=item.pk).update(created_at=at(day))
    return item


def referral(sent: date, answered: date | None = None, status: str = "pending", **fields) -> Referral:
    item = ReferralFactory(status=status, answered_at=at(answered) if answered else None, **fields)
    Referral.objects.filter(pk=item.pk).update(created_at=at(sent))
    return item


def run(name: str, start: date = Y2025[0], end: date = Y2025[1], level=None, code=None) -> Result:
    return COMPUTATIONS[name](start, end, level, code)


def test_the_registry_covers_the_objectives_asked():
    expected = {
        "projects_oriented_emergence",
        "projects_oriented_creation",
        "projects_oriented_developpement",
        "projects_oriented_changement_echelle",
        "projects_oriented_consolidation",
        "referrals_accepted",
        "referral_median_days_to_answer",
        "referrals_answered_in_time",
        "consolidations_supported",
        "collective_projects",
        "advisor_competences",
        "success_stories_published",
        "projects_multi_funded",
        "events_held",
        "event_participants",
        "epci_partnerships_signed",
        "tiers_lieux_people_trained",
    }
    assert expected <= set(COMPUTATIONS)
    objectives = {f"O{n}" for n in range(1, 15)}
    for name, computation in COMPUTATIONS.items():
        assert computation.name == name
        assert str(computation.label) and str(computation.unit)
        assert computation.objectives and set(computation.objectives) <= objectives
    served = {code for c in COMPUTATIONS.values() for code in c.objectives}
    assert {"O1", "O2", "O3", "O5", "O6", "O9", "O10", "O12", "O13", "O14"} <= served


def test_projects_by_stage_with_period_territory_and_breakdown():
    project(date(2025, 3, 1))
    project(date(2025, 6, 1), NANTES)
    project(date(2025, 4, 1), stage="consolidation")
    project(date(2024, 12, 31))  # before the period
    project(date(2026, 1, 1))  # after it

    result = run("projects_oriented_creation")
    assert result.value == 2
    assert result.breakdown == {
        "departement": {"44": 1, "53": 1},
        "epci": {NANTES_METROPOLE: 1, LAVAL_AGGLO: 1},
    }
    assert result.includes_demo is False
    assert run("projects_oriented_consolidation").value == 1
    assert run("projects_oriented_developpement").value == 0  # the source exists: 0, not "no data"
    assert run("projects_oriented").value == 3
    assert run("projects_oriented_creation", date(2024, 1, 1), date(2026, 12, 31)).value == 4
    assert (
        run("projects_oriented_creation", date(2025, 3, 1), date(2025, 3, 1)).value == 1
    )  # both ends included
    # Territory filters, each equal to its breakdown entry
    assert run("projects_oriented_creation", level="departement", code="53").value == 1
    assert run("projects_oriented_creation", level="epci", code=NANTES_METROPOLE).value == 1
    assert run("projects_oriented_creation", level="commune", code=LAVAL).value == 1
    assert run("projects_oriented_creation", level="region", code="52").value == 2
    assert run("projects_oriented_creation", level="departement", code="85").value == 0


def test_demo_rows_are_counted_and_flagged():
    project(date(2025, 3, 1), collective=True)
    assert run("collective_projects").includes_demo is False
    project(date(2025, 3, 2), collective=True, is_demo=True)
    project(date(2025, 3, 3), collective=False)
    result = run("collective_projects")
    assert result.value == 2 and result.includes_demo is True


def test_referrals_accepted_counts_acceptances_in_the_period():
    laval, nantes = project(date(2025, 1, 5)), project(date(2025, 1, 5), NANTES)
    referral(date(2025, 2, 1), date(2025, 2, 3), "accepted", project=laval)
    referral(
        date(2025, 2, 1), date(2025, 2, 4), "closed", project=nantes, outcome="helped"
    )  # accepted then closed
    referral(date(2025, 2, 1), date(2025, 2, 4), "declined", project=laval, decline_reason="Hors champ")
    referral(date(2024, 12, 20), date(2025, 1, 2), "accepted", project=laval)  # sent before, accepted within
    referral(date(2025, 12, 30), date(2026, 1, 2), "accepted", project=laval)  # accepted after the period
    referral(date(2025, 3, 1), project=laval)  # pending

    result = run("referrals_accepted")
    assert result.value == 3
    assert result.breakdown["departement"] == {"44": 1, "53": 2}
    assert run("referrals_accepted", level="departement", code="44").value == 1


def test_median_days_and_share_answered_within_9_days():
    sent = date(2025, 3, 1)
    for days in (2, 4, 10):
        referral(sent, sent + timedelta(days=days), "accepted")
    referral(sent, None)  # still pending months later: late, but no answer to take the median of
    referral(date(2024, 3, 1), date(2024, 3, 2), "accepted")  # sent before the period

    assert run("referral_median_days_to_answer").value == 4.0
    assert run("referrals_answered_in_time").value == 50.0  # 2 of 4
    assert run("referral_median_days_to_answer").breakdown["departement"] == {"53": 4.0}


def test_recent_pending_referrals_do_not_count_against_the_delay():
    today = timezone.localdate()
    ReferralFactory()  # sent now, pending: its 9 days are not over
    answered = ReferralFactory(status="accepted")
    Referral.objects.filter(pk=answered.pk).update(answered_at=answered.created_at + timedelta(hours=1))
    result = run("referrals_answered_in_time", today - timedelta(days=1), today)
    assert result.value == 100.0


def test_medians_and_shares_have_no_data_when_nothing_to_measure():
    referral(date(2025, 3, 1), None)
    assert run("referral_median_days_to_answer") == Result(None, {"departement": {}, "epci": {}})
    assert run("referrals_answered_in_time", date(2020, 1, 1), date(2020, 12, 31)).value is None
    assert run("referrals_accepted", date(2020, 1, 1), date(2020, 12, 31)).value == 0


def test_consolidations_supported_need_an_accepted_referral():
    fragile = project(date(2024, 6, 1), stage="consolidation")
    referral(date(2025, 4, 1), date(2025, 4, 10), "accepted", project=fragile)
    referral(date(2025, 4, 1), date(2025, 4, 12), "accepted", project=fragile)  # the same project once
    waiting = project(date(2025, 6, 1), stage="consolidation")
    referral(date(2025, 6, 1), None, project=waiting)
    creating = project(date(2025, 6, 1), stage="creation")
    referral(date(2025, 6, 1), date(2025, 6, 2), "accepted", project=creating)

    assert run("consolidations_supported").value == 1
    assert run("consolidations_supported", level="departement", code="44").value == 0
    assert run("consolidations_supported", date(2025, 5, 1), date(2025, 12, 31)).value == 0


def test_projects_reaching_two_funders_in_the_period():
    x, y, z = (OrganisationFactory(kind="funder") for _ in range(3))

    def line(item, funder, day, status="asked"):
        entry = FundingLine.objects.create(project=item, funder=funder, expense="Matériel", status=status)
        FundingLine.objects.filter(pk=entry.pk).update(created_at=at(day))

    two = project(date(2024, 11, 1))
    line(two, x, date(2025, 1, 10))
    line(two, y, date(2025, 2, 10))
    line(two, z, date(2025, 3, 10))
    same = project(date(2025, 1, 1), NANTES)
    line(same, x, date(2025, 1, 10))
    line(same, x, date(2025, 2, 10))
    refused = project(date(2025, 1, 1))
    line(refused, x, date(2025, 1, 10))
    line(refused, y, date(2025, 1, 11), status="refused")

    result = run("projects_multi_funded")
    assert result.value == 1 and result.breakdown["departement"] == {"53": 1}
    assert run("projects_multi_funded", date(2025, 1, 1), date(2025, 1, 31)).value == 0  # one funder then
    assert run("projects_multi_funded", date(2025, 3, 1), date(2025, 12, 31)).value == 0  # reached 2 before
    assert run("projects_multi_funded", level="departement", code="44").value == 0


def test_competences_counted_where_their_zone_lies():
    before = run("advisor_competences")
    before_53 = run("advisor_competences", level="departement", code="53").value
    before_agglo = run("advisor_competences", level="epci", code=LAVAL_AGGLO).value

    organisation = OrganisationFactory(is_demo=True)
    for need, zone in (
        ("financement", ("departement", "53")),
        ("juridique", ("epci", LAVAL_AGGLO)),
        ("emploi", ("region", "52")),
        ("numerique", ("france", "")),
    ):
        Competence.objects.create(
            advisor=UserFactory(), organisation=organisation, need=need, zone_level=zone[0], zone_code=zone[1]
        )
    after = run("advisor_competences")
    assert after.value == before.value + 4
    assert after.includes_demo is True
    assert run("advisor_competences", level="departement", code="53").value == before_53 + 2
    assert run("advisor_competences", level="epci", code=LAVAL_AGGLO).value == before_agglo + 1
    assert after.breakdown["departement"]["53"] == before_53 + 2
    assert after.note  # the period is not applied, and it says so


@pytest.mark.parametrize(
    "name",
    [
        "success_stories_published",
        "events_held",
        "event_participants",
        "epci_partnerships_signed",
        "tiers_lieux_people_trained",
    ],
)
def test_showcase_computations_have_no_data_without_the_app(name, monkeypatch):
    # The showcase app computes them (tests/showcase/test_indicators.py); without it, no made-up figure.
    assert run(name).value == 0
    monkeypatch.setattr(indicators, "_installed", lambda *labels: False)
    result = run(name)
    assert result.value is None and result.note == "Source pas encore disponible"
    assert result.includes_demo is False and not result.has_data


def test_compute_indicator_runs_the_registered_computation():
    project(date(2025, 3, 1))
    indicator = Indicator(
        name="Créations", source=IndicatorSource.COMPUTED, computation="projects_oriented_creation"
    )
    assert compute_indicator(indicator, *Y2025).value == 1
    assert compute_indicator(indicator, *Y2025, level="departement", code="44").value == 0
    with pytest.raises(ComputationError, match="Calcul inconnu « nope »"):
        compute_indicator(Indicator(name="X", source=IndicatorSource.COMPUTED, computation="nope"), *Y2025)
    with pytest.raises(ComputationError, match="saisi à la main"):
        compute_indicator(Indicator(name="X", source=IndicatorSource.MANUAL), *Y2025)


@pytest.mark.parametrize(
    "start, end, level, code, message",
    [
        (date(2025, 2, 1), date(2025, 1, 1), None, None, "suivre"),
        (date(2025, 1, 1), date(2025, 2, 1), "canton", "1", "Niveau de territoire inconnu"),
        (date(2025, 1, 1), date(2025, 2, 1), "departement", None, "code du territoire"),
        (date(2025, 1, 1), date(2025, 2, 1), None, "53", "niveau du territoire"),
    ],
)
def test_bad_arguments_are_refused_in_french(start, end, level, code, message):
    with pytest.raises(ComputationError, match=message):
        COMPUTATIONS["projects_oriented"](start, end, level, code)
