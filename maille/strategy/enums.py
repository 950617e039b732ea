"""Vocabularies of strategy steering: action statuses (with their default progress), progress sources, indicator
directions and sources, committee kinds and decision statuses, and the kinds of change kept in the history."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Non démarrée")
    STARTED = "started", _("Démarrée")
    WELL_UNDER_WAY = "well_under_way", _("Bien avancée")
    DONE = "done", _("Réalisée")


# The progress (in %) a status stands for, unless the pilots set `progress_override` on the action.
STATUS_PROGRESS: dict[str, int] = {
    ActionStatus.NOT_STARTED: 0,
    ActionStatus.STARTED: 25,
    ActionStatus.WELL_UNDER_WAY: 60,
    ActionStatus.DONE: 100,
}


class ProgressSource(models.TextChoices):
    STATUS = "status", _("Selon le statut")
    INDICATORS = "indicators", _("Selon ses indicateurs")


class Direction(models.TextChoices):
    UP = "up", _("À la hausse")
    DOWN = "down", _("À la baisse")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Saisi à la main")
    COMPUTED = "computed", _("Calculé par la plateforme")


class MeetingKind(models.TextChoices):
    COPIL = "copil", _("Comité de pilotage (COPIL)")
    COTECH = "cotech", _("Comité technique (COTECH)")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    DONE = "done", _("Réalisée")
    DROPPED = "dropped", _("Abandonnée")


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Création")
    UPDATED = "updated", _("Modification")
    REMOVED = "removed", _("Suppression")
    ARCHIVED = "archived", _("Archivage")
    RESTORED = "restored", _("Désarchivage")


class ChangeTarget(models.TextChoices):
    ACTION = "action", _("Action")
    INDICATOR = "indicator", _("Indicateur")
    MEASUREMENT = "measurement", _("Mesure")
    COMMITTEE = "committee", _("Réunion de comité")
    DECISION = "decision", _("Décision")
