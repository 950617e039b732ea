"""The official French geography: régions, départements, EPCI, current communes, their aliases and postal codes.

Codes are the INSEE / DGCL codes (an EPCI's code is its SIREN); they are the primary keys, so other apps store a
zone as a level plus a code (see `ZoneMixin`) and coverage is answered by `selectors.covering_zones_q`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import AliasKind, EpciKind, ZoneLevel


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("région")

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    code = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=5, choices=EpciKind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")

    def __str__(self):
        return self.name


class Commune(models.Model):
    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    # Stored although derivable from the département: coverage filters then need no join.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, related_name="communes", null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("commune")
        indexes = [
            models.Index(
                fields=["search_name"], name="territories_commune_like", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class PostalCode(models.Model):
    code = models.CharField(_("code postal"), max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        ordering = ["code"]
        verbose_name = _("code postal")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "commune"], name="%(app_label)s_%(class)s_unique_per_commune"
            )
        ]

    def __str__(self):
        return self.code


class CommuneAlias(models.Model):
    """A delegated or associated commune, or a municipal arrondissement, and the current commune it belongs to."""

    code = models.CharField(_("code INSEE"), max_length=5, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=AliasKind.choices)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["code"]
        verbose_name = _("ancienne commune ou arrondissement")
        constraints = [
            models.UniqueConstraint(fields=["code", "kind"], name="%(app_label)s_%(class)s_unique_code")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Contour(models.Model):
    """A simplified GeoJSON geometry for a map (communes, EPCI and départements of the served region)."""

    level = models.CharField(_("niveau"), max_length=12, choices=ZoneLevel.choices)
    code = models.CharField(_("code"), max_length=9)
    geometry = models.JSONField(_("géométrie GeoJSON"))

    class Meta:
        verbose_name = _("contour")
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="%(app_label)s_%(class)s_unique_zone")
        ]

    def __str__(self):
        return f"{self.level} {self.code}"


class ZoneMixin(models.Model):
    """A zone for any model of another app: a level and a code (no code for `france`)."""

    zone_level = models.CharField(_("niveau de la zone"), max_length=12, choices=ZoneLevel.choices)
    zone_code = models.CharField(_("code de la zone"), max_length=9, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.zone_level} {self.zone_code}".strip()
