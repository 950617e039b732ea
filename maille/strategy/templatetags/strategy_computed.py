"""`{% computed_value indicator %}`: the figure of a computed indicator over the current year, or « pas de donnée »
with its note (the registry of `maille.strategy.indicators`; never a made-up number)."""

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from maille.strategy import indicators

register = template.Library()


@register.simple_tag
def computed_value(indicator) -> str:
    today = timezone.localdate()
    try:
        result = indicators.compute_indicator(indicator, today.replace(month=1, day=1), today)
    except indicators.ComputationError as error:
        return str(error)
    if result.value is None:
        return _("Pas de donnée") + (f" — {result.note}" if result.note else "")
    text = f"{number_format(result.value, use_l10n=True)} {indicator.unit}".strip()
    if result.includes_demo:
        text += " " + _("(dont données de démo)")
    return text
