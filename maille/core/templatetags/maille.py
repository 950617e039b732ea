"""Template helpers: French labels of vocabulary codes, demo markers, query strings for pagination."""

from django import template
from django.utils.translation import gettext as _

from maille.core.enums import LegalForm, Need, Stage

register = template.Library()

VOCABULARIES = {"stage": Stage, "need": Need, "legal_form": LegalForm}


@register.filter
def labels(codes, vocabulary: str) -> list[str]:
    """["creation", "emergence"]|labels:"stage" → their French labels, in the vocabulary's order."""
    enum = VOCABULARIES[vocabulary]
    chosen = set(codes or [])
    return [label for value, label in enum.choices if value in chosen]


@register.filter
def is_demo_field(record, field: str) -> bool:
    return bool(getattr(record, "is_demo", False) or field in (getattr(record, "demo_fields", None) or []))


@register.simple_tag
def demo_badge(record, *fields: str) -> str:
    """A « démo, à confirmer » badge when any of these fields of the record is a demo completion."""
    from django.utils.html import format_html

    if any(is_demo_field(record, field) for field in fields):
        return format_html('<span class="badge badge-demo">{}</span>', _("démo, à confirmer"))
    return ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination and download links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
