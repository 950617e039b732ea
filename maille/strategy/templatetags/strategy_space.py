"""`{% space_actions user %}`: the actions the person's organisations pilot, for « Mon espace »."""

from django import template

from maille.strategy.selectors import actions_piloted_by

register = template.Library()


@register.inclusion_tag("strategy/_space_actions.html")
def space_actions(user):
    return {"piloted_actions": actions_piloted_by(user)}
