"""A list of choices stored in one text column (",a,b,"): filterable with the same SQL on SQLite and PostgreSQL."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
