"""Shared fields: a list of choices stored in one text column (",a,b,"), filterable with the same SQL on SQLite and
PostgreSQL; and the form field for numbers typed the French way (« 45 000 », « 8 000,50 », « 45 000 € »)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

SEPARATOR = ","


class ChoiceListField(models.CharField):
    """Several values of one TextChoices. In Python a list; in the database ",a,b," (see `has_choice`)."""

    def __init__(self, *args, choices_enum=None, **kwargs):
        self.choices_enum = choices_enum
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 400:
            del kwargs["max_length"]
        kwargs.pop("blank", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, list | tuple):
            return list(value)
        return [item for item in value.split(SEPARATOR) if item]

    def get_prep_value(self, value):
        if isinstance(value, str):  # a lookup value (`has_choice`) is passed through
            return value
        items = self.to_python(value)
        return SEPARATOR + SEPARATOR.join(items) + SEPARATOR if items else ""

    def value_to_string(self, obj):
        return SEPARATOR.join(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = set(self.choices_enum.values) if self.choices_enum else None
        if allowed is not None:
            unknown = [v for v in value if v not in allowed]
            if unknown:
                raise ValidationError(_("Valeur inconnue : %(values)s.") % {"values": ", ".join(unknown)})
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_enum.choices if self.choices_enum else [],
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )


def has_choice(field: str, value: str) -> Q:
    """Filter rows whose list `field` holds `value`."""
    return Q(**{f"{field}__contains": f"{SEPARATOR}{value}{SEPARATOR}"})


def has_any_choice(field: str, values) -> Q:
    query = Q()
    for value in values:
        query |= has_choice(field, value)
    return query


# --- numbers typed the French way ----------------------------------------------------------------------------------

# Digits grouped by three with spaces (« 45 000 »), or not grouped (« 45000 »); a comma or a point before the decimals.
_NUMBER_RE = re.compile(r"^(?P<sign>[-+]?)(?P<whole>\d{1,3}(?: \d{3})+|\d+)(?:[,.](?P<decimals>\d+))?$")
_SPACES_RE = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_CURRENCY_RE = re.compile(r"^(?:€|EUR)\s*|\s*(?:€|EUR)$", re.IGNORECASE)


def parse_french_number(text: str) -> Decimal | None:
    """« 45 000 », « 8 000,50 », « 45 000,00 € » (normal, non-breaking or narrow non-breaking spaces) → a Decimal;
    None when the text is not such a number (two numbers, letters, a misplaced space…)."""
    value = _SPACES_RE.sub(" ", str(text)).strip()
    value = _CURRENCY_RE.sub("", value).strip()
    value = re.sub(r"^([-+]) ", r"\1", value)
    match = _NUMBER_RE.match(value)
    if match is None:
        return None
    number = match["sign"] + match["whole"].replace(" ", "")
    if match["decimals"]:
        number += "." + match["decimals"]
    try:
        return Decimal(number)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None


class FrenchDecimalField(forms.DecimalField):
    """A `DecimalField` for what a person types: spaces between thousands, a decimal comma, a trailing « € ».

    A text input (a number input would refuse « 45 000 € ») with `inputmode="decimal"` for phones' keyboards; the value
    is shown back the French way (« 45000,50 »). Use it in model forms through `Meta.field_classes`.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Saisissez un montant, par exemple 45 000 ou 8 000,50."),
        "max_decimal_places": ngettext_lazy(
            "Au plus %(max)s chiffre après la virgule.", "Au plus %(max)s chiffres après la virgule.", "max"
        ),
        "max_digits": _("Ce nombre est trop grand."),
        "max_whole_digits": _("Ce nombre est trop grand."),
    }

    def __init__(self, *args, **kwargs):
        kwargs["localize"] = True  # shown back with a decimal comma
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            number = parse_french_number(value)
            if number is None or not number.is_finite():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return number
        return super().to_python(value)
