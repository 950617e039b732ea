"""Database constraints every app uses the same way."""

from django.db import models
from django.db.models import F, Q


def ordered(low: str, high: str, rule: str) -> models.CheckConstraint:
    """`low <= high` when both are set (a min and a max, a start and an end), named `<app>_<model>_<rule>`."""
    return models.CheckConstraint(
        condition=Q(**{f"{low}__isnull": True})
        | Q(**{f"{high}__isnull": True})
        | Q(**{f"{low}__lte": F(high)}),
        name=f"%(app_label)s_%(class)s_{rule}",
    )
