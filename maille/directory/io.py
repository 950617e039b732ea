"""Offers as a table (CSV or xlsx): the same columns for export and import; imports are all-or-nothing.

Columns: see `COLUMNS`. `organisation` is the organisation's slug, `antenne` the name of one of its branches
(empty: none); lists (`stades`, `besoins`, `formes_juridiques`) hold codes of `maille.core.enums` separated by
`|`; `zones` reads `departement:53|epci:244900015|france:`; booleans are `oui`/`non`; an empty cell is empty.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maille.core.enums import LegalForm, Need, Stage
from maille.core.tabular import (
    LABEL_SEPARATOR,
    Cells,
    Column,
    ImportReport,
    Progress,
    TabularImporter,
    format_zones,
    quoted,
    zones_of,
)

from .enums import Mobilisation, PublicationStatus
from .models import Branch, Offer, Organisation
from .services import check_zones, save_offer

TABLE = (
    Column("slug", "slug"),
    Column("nom", "name"),
    Column("organisation", "organisation", "special"),
    Column("antenne", "branch", "special"),
    Column("description", "description"),
    Column("stades", "stages", "codes", Stage),
    Column("besoins", "needs", "codes", Need),
    Column("formes_juridiques", "legal_forms", "codes", LegalForm),
    Column("salaries_min", "employees_min", "integer"),
    Column("salaries_max", "employees_max", "integer"),
    Column("annees_min", "years_min", "integer"),
    Column("annees_max", "years_max", "integer"),
    Column("zones", "zones", "special"),
    Column("gratuit", "is_free", "boolean"),
    Column("sur_place", "on_site", "boolean"),
    Column("a_distance", "remote", "boolean"),
    Column("mobilisation", "mobilisation", "code", Mobilisation),
    Column("contact", "contact"),
    Column("plus_value", "added_value"),
    Column("statut", "status", "code", PublicationStatus),
    Column("source", "source_url"),
)
COLUMNS = [column.name for column in TABLE]


class ZonedImporter(TabularImporter):
    """An importer of a model with zones: a `zones` column, checked with `check_zones` (offers, schemes)."""

    def export_special(self, obj, column: Column) -> Any:
        return format_zones(zones_of(obj))

    def prepare_labels(self, objects) -> None:
        from maille.territories.selectors import zone_labels

        self.zone_names = zone_labels({zone for obj in objects for zone in zones_of(obj)})

    def export_special_label(self, obj, column: Column) -> Any:
        if column.field != "zones":
            return super().export_special_label(obj, column)
        from .selectors import zone_label

        labels = [zone_label(level, code, self.zone_names) for level, code in zones_of(obj)]
        return LABEL_SEPARATOR.join(
            f"{label['name']} ({label['level']})" if label["level"] else label["name"] for label in labels
        )

    def current_relations(self, obj) -> dict[str, set]:
        return {"zones": set(zones_of(obj))}

    def validate_relations(self, relations: dict[str, list]) -> None:
        if "zones" in relations:
            check_zones(relations["zones"])


class OfferImporter(ZonedImporter):
    label = gettext_lazy("Offres")
    model = Offer
    table = TABLE
    ranges = (("employees_min", "employees_max"), ("years_min", "years_max"))

    def with_relations(self, queryset):
        return queryset.select_related("organisation", "branch").prefetch_related("zones")

    def prepare(self) -> None:
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self.branches = {(b.organisation_id, b.name): b for b in Branch.objects.all()}

    def export_special(self, obj: Offer, column: Column) -> Any:
        if column.field == "organisation":
            return obj.organisation.slug
        if column.field == "branch":
            return obj.branch.name if obj.branch else ""
        return super().export_special(obj, column)

    def export_special_label(self, obj: Offer, column: Column) -> Any:
        if column.field == "organisation":
            return obj.organisation.name
        return super().export_special_label(obj, column)

    def read_special(self, cells: Cells) -> tuple[dict[str, Any], dict[str, list]]:
        values: dict[str, Any] = {}
        slug, branch = cells.text("organisation"), cells.text("antenne")
        organisation = self.organisations.get(slug)
        if not slug:
            cells.error("organisation", _("Indiquez l'identifiant de l'organisation."))
        elif organisation is None:
            cells.error(
                "organisation",
                _("Aucune organisation n'a l'identifiant %(slug)s.") % {"slug": quoted([slug])},
            )
        else:
            values["organisation"] = organisation
            values["branch"] = self.branches.get((organisation.pk, branch)) if branch else None
            if branch and values["branch"] is None:
                cells.error(
                    "antenne",
                    _("L'organisation %(organisation)s n'a pas d'antenne %(branch)s.")
                    % {"organisation": quoted([slug]), "branch": quoted([branch])},
                )
        return values, {"zones": cells.zones("zones")}

    def save(self, instance: Offer, relations: dict[str, list]) -> None:
        save_offer(instance, relations["zones"])


def export_offer_results(offers) -> tuple[list[str], list[list]]:
    """The download of a list of results (offers with organisation, branch and zones loaded): labels and names
    instead of codes, to read; `export_offers` gives the file to import again."""
    importer = OfferImporter()
    return importer.export_labelled(importer.with_relations(offers))


def export_offers(queryset=None) -> tuple[list[str], list[list]]:
    """Headers and rows of the offers (all by default), for `maille.core.exports.tabular_response`."""
    return OfferImporter().export(queryset)


def import_offers(source, dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Create or update offers by slug from a CSV or xlsx file; nothing is written if any row is bad."""
    return OfferImporter().run(source, dry_run=dry_run, progress=progress)
