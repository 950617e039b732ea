"""Template helpers for empty states: the filters of a search that a person can remove, each with its link."""

from django import forms, template

register = template.Library()

_EMPTY = (None, "", False, [], ())


@register.simple_tag(takes_context=True)
def removable_filters(context, form, *skip: str) -> list[dict]:
    """The filled filters of a valid search form, in the form's order: `{"name", "label", "value", "url"}`, where
    `url` is the current query without that filter (and without `page`/`format`). `skip` names fields to leave out."""
    request = context.get("request")
    if request is None or not form.is_bound or not hasattr(form, "cleaned_data"):
        return []
    filters = []
    for name, field in form.fields.items():
        if name in skip or isinstance(field.widget, forms.HiddenInput):
            continue
        value = form.cleaned_data.get(name)
        if value in _EMPTY or not request.GET.get(name):
            continue
        if name == "commune" and form.cleaned_data.get("commune_obj") is not None:
            shown = form.cleaned_data["commune_obj"].name
        elif isinstance(field, forms.BooleanField):
            shown = ""
        elif isinstance(field, forms.ChoiceField):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value)
        params = request.GET.copy()
        for key in (name, "page", "format"):
            params.pop(key, None)
        filters.append(
            {"name": name, "label": str(field.label), "value": shown, "url": "?" + params.urlencode()}
        )
    return filters
