"""Numbers typed the French way (« 45 000 », « 8 000,50 », « 45 000 € », with any kind of space) are read right by
`FrenchDecimalField`, anything else gets a French message; every form where a person types an amount uses it."""

from decimal import Decimal

import pytest

from maille.core.fields import FrenchDecimalField, parse_french_number
from maille.projects.forms import BudgetForm, FundingLineForm, GrantForm, ProjectForm
from maille.strategy.forms import MeasurementForm

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("45 000", "45000"),
        ("8 000,50", "8000.50"),
        ("45 000 €", "45000"),
        ("45 000,00 €", "45000.00"),
        (f"45{NBSP}000", "45000"),
        (f"45{NNBSP}000,50{NBSP}€", "45000.50"),
        (f"1{NNBSP}234{NNBSP}567,89", "1234567.89"),
        ("45000", "45000"),
        ("45000€", "45000"),
        ("  2,5 ", "2.5"),
        ("12.5", "12.5"),
        ("0", "0"),
        ("-3,5", "-3.5"),
    ],
)
def test_french_amounts_are_read(typed, expected):
    assert parse_french_number(typed) == Decimal(expected)


@pytest.mark.parametrize(
    "typed",
    ["quarante", "45 00", "4 5000", "1 2", "45,000.50", "45 000 000,", "45€000", "12,5,3", "€", "--3"],
)
def test_what_is_not_an_amount_is_refused(typed):
    assert parse_french_number(typed) is None


def field(**options):
    return FrenchDecimalField(max_digits=12, decimal_places=2, min_value=0, **options)


def test_the_field_cleans_french_amounts():
    assert field().clean("45 000 €") == Decimal(45000)
    assert field().clean(f"8{NNBSP}000,50") == Decimal("8000.50")
    assert field(required=False).clean("") is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("quarante-cinq mille", "Saisissez un montant, par exemple 45 000 ou 8 000,50."),
        ("1 2", "Saisissez un montant, par exemple 45 000 ou 8 000,50."),
        ("8 000,505", "Au plus 2 chiffres après la virgule."),
        ("1 000 000 000 000", "Ce nombre est trop grand."),
        ("-5", "Assurez-vous que cette valeur est supérieure ou égale à 0."),
    ],
)
def test_the_field_explains_a_bad_amount_in_french(typed, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        field().clean(typed)
    assert error.value.messages == [message]


def test_the_field_is_a_text_input_for_a_decimal_keyboard_and_shows_a_decimal_comma():
    html = field().widget.render("amount", field().prepare_value(Decimal("45000.50")))
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="45000,50"' in html


# --- the forms that use it --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_funding_line_form_takes_a_french_amount():
    from maille.directory.enums import OrganisationKind
    from tests.factories import OrganisationFactory

    funder = OrganisationFactory(kind=OrganisationKind.FUNDER)
    form = FundingLineForm(
        {"funder": funder.pk, "expense": "Étude", "amount_asked": "45 000 €", "status": "asked"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount_asked"] == Decimal(45000)
    form = FundingLineForm(
        {"funder": funder.pk, "expense": "Étude", "amount_asked": "beaucoup", "status": "asked"}
    )
    assert not form.is_valid()
    assert form.errors["amount_asked"] == ["Saisissez un montant, par exemple 45 000 ou 8 000,50."]


@pytest.mark.django_db
def test_the_budget_and_grant_forms_take_french_amounts():
    form = BudgetForm({"total_need": f"60{NNBSP}000,00 €"})
    assert form.is_valid() and form.cleaned_data["total_need"] == Decimal(60000)
    form = GrantForm({"amount_granted": "40 000"})
    assert form.is_valid() and form.cleaned_data["amount_granted"] == Decimal(40000)


@pytest.mark.django_db
def test_the_intake_takes_jobs_with_a_decimal_comma():
    from tests.projects.conftest import project_data

    form = ProjectForm(project_data(jobs_fte="2,5"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["jobs_fte"] == Decimal("2.5")
    form = ProjectForm(project_data(jobs_fte="deux"))
    assert not form.is_valid()
    assert form.errors["jobs_fte"] == ["Saisissez un nombre, par exemple 2 ou 2,5."]


@pytest.mark.django_db
def test_the_measurement_form_takes_a_grouped_value():
    from maille.strategy import demo
    from maille.strategy.models import Indicator
    from maille.strategy.selectors import current_strategy

    demo.load()
    indicator = Indicator.objects.create(
        strategy=current_strategy(), name="Indicateur de test", source="manual"
    )
    data = {"indicator": indicator.pk, "date": "2025-01-31", "value": f"1{NBSP}250,5"}
    form = MeasurementForm(data, indicators=[indicator])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == Decimal("1250.5")
    form = MeasurementForm({**data, "value": "beaucoup"}, indicators=[indicator])
    assert form.errors["value"] == ["Indiquez un nombre, par exemple 42 ou 12,5."]
