"""What the observatory keeps of the national company register: one snapshot per import (stock date, checksums,
counts, rule version), the active ESS establishments of the region, and the regional totals by commune.

Territories are stored as codes (commune, EPCI, département, as the geography had them at import): statistics
group on them without a join.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Family, NafSection, SizeBand


class Snapshot(models.Model):
    stock_date = models.DateField(_("date du stock"))
    region_code = models.CharField(_("région"), max_length=3)
    rule_version = models.CharField(_("version de la règle du périmètre"), max_length=30)
    legal_units_file = models.CharField(_("fichier des unités légales"), max_length=255)
    legal_units_checksum = models.CharField(_("empreinte SHA-256 des unités légales"), max_length=64)
    establishments_file = models.CharField(_("fichier des établissements"), max_length=255)
    establishments_checksum = models.CharField(_("empreinte SHA-256 des établissements"), max_length=64)
    region_establishments = models.PositiveIntegerField(_("établissements actifs de la région"), default=0)
    ess_establishments = models.PositiveIntegerField(_("établissements actifs de l'ESS"), default=0)
    masked_units = models.PositiveIntegerField(_("unités à diffusion partielle"), default=0)
    is_demo = models.BooleanField(_("données de démonstration"), default=False)
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)

    class Meta:
        ordering = ["-stock_date", "-pk"]
        verbose_name = _("instantané du répertoire")
        verbose_name_plural = _("instantanés du répertoire")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "rule_version", "legal_units_checksum", "establishments_checksum"],
                name="%(app_label)s_%(class)s_unique_files",
            )
        ]

    def __str__(self):
        return f"{self.region_code} — {self.stock_date:%Y-%m-%d}"


class Establishment(models.Model):
    """An active ESS establishment of the region at the snapshot's date."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="establishments")
    siret = models.CharField(_("SIRET"), max_length=14)
    siren = models.CharField(_("SIREN"), max_length=9)
    name = models.CharField(_("nom"), max_length=255, blank=True)  # empty when the register masks it
    legal_form = models.CharField(_("catégorie juridique"), max_length=4)
    family = models.CharField(_("famille"), max_length=20, choices=Family.choices)
    naf = models.CharField(_("code NAF"), max_length=6, blank=True)
    section = models.CharField(_("section NAF"), max_length=1, choices=NafSection.choices, blank=True)
    commune_code = models.CharField(_("commune"), max_length=5)
    epci_code = models.CharField(_("EPCI"), max_length=9, blank=True)
    departement_code = models.CharField(_("département"), max_length=3)
    size_band = models.CharField(_("tranche d'effectif"), max_length=2, choices=SizeBand.choices)
    employees_estimate = models.FloatField(_("salariés (estimation)"), default=0)
    creation_date = models.DateField(_("date de création"), null=True, blank=True)
    is_employer = models.BooleanField(_("employeur"), null=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name", "siret"]
        verbose_name = _("établissement de l'ESS")
        verbose_name_plural = _("établissements de l'ESS")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "siret"], name="%(app_label)s_%(class)s_unique_siret")
        ]
        indexes = [
            models.Index(fields=["snapshot", "departement_code"], name="observatory_est_dep"),
            models.Index(fields=["snapshot", "epci_code"], name="observatory_est_epci"),
            models.Index(fields=["snapshot", "commune_code"], name="observatory_est_commune"),
            models.Index(fields=["snapshot", "creation_date"], name="observatory_est_created"),
            models.Index(fields=["siret"], name="observatory_est_siret"),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.siret})"

    @property
    def display_name(self) -> str:
        return self.name or str(_("Nom non diffusé"))


class CommuneTotal(models.Model):
    """All active establishments of a commune (ESS or not) and their estimated employees, for the ESS share."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="commune_totals")
    commune_code = models.CharField(_("commune"), max_length=5)
    epci_code = models.CharField(_("EPCI"), max_length=9, blank=True)
    departement_code = models.CharField(_("département"), max_length=3)
    establishments = models.PositiveIntegerField(_("établissements actifs"))
    employees_estimate = models.FloatField(_("salariés (estimation)"))

    class Meta:
        verbose_name = _("total d'une commune")
        verbose_name_plural = _("totaux par commune")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "commune_code"], name="%(app_label)s_%(class)s_unique_commune"
            )
        ]

    def __str__(self):
        return f"{self.commune_code} ({self.snapshot_id})"
