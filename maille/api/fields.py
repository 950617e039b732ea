"""Formats of the identifiers the API reads, for the OpenAPI document (the checks themselves stay in the views and
serializers, with their French messages): INSEE commune codes, postal codes, SIRET, NAF codes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

INSEE_CODE_PATTERN = r"^([0-9]{5}|2[AB][0-9]{3})$"
POSTAL_CODE_PATTERN = r"^[0-9]{5}$"
SIRET_PATTERN = r"^([0-9] ?){13}[0-9]$"
NAF_PATTERN = r"^[0-9]{2}\.[0-9]{2}[A-Z]$"


@extend_schema_field({"type": "string", "pattern": INSEE_CODE_PATTERN, "minLength": 5, "maxLength": 5})
class InseeCodeField(serializers.CharField):
    """A commune's INSEE code (5 characters, Corsica's 2A/2B included)."""


@extend_schema_field({"type": "string", "pattern": SIRET_PATTERN, "maxLength": 20})
class SiretField(serializers.CharField):
    """A SIRET: 14 digits (spaces allowed), its Luhn key checked by the serializer (blank: see `allow_blank`)."""


@extend_schema_field({"type": "string", "pattern": NAF_PATTERN, "maxLength": 10})
class NafField(serializers.CharField):
    """A NAF (APE) code such as 88.10A; empty when unknown."""
