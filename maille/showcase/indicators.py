"""The showcase's computations for the strategy's indicators (O9, O12, O13, O14), by territory and period.

Each returns the rows to count, one (département, EPCI, is_demo) tuple per item, and a note; the strategy's registry
(`maille.strategy.indicators`) turns them into a `Result` with its breakdown. They read this app's selectors only.
"""

from django.utils.translation import gettext as _


def success_stories_published(start, end, level, code):
    from .selectors import stories_published_rows

    return stories_published_rows(start, end, level, code), ""


def events_held(start, end, level, code):
    from .selectors import events_held_rows

    return events_held_rows(start, end, level, code), ""


def event_participants(start, end, level, code):
    from .selectors import event_participants_rows

    return event_participants_rows(start, end, level, code), _(
        "Personnes notées présentes par l'organisateur."
    )


def epci_partnerships_signed(start, end, level, code):
    from .selectors import partnerships_signed_rows

    return partnerships_signed_rows(start, end, level, code), _(
        "Partenariats signés à la fin de la période (cumul depuis le début)."
    )


def tiers_lieux_people_trained(start, end, level, code):
    from .selectors import people_trained

    return people_trained(start, end, level, code), _("Chaque personne comptée une fois par tiers-lieu.")


ROWS = {
    "success_stories_published": success_stories_published,
    "events_held": events_held,
    "event_participants": event_participants,
    "epci_partnerships_signed": epci_partnerships_signed,
    "tiers_lieux_people_trained": tiers_lieux_people_trained,
}
