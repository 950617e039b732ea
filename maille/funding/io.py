"""Funding schemes as a table (CSV or xlsx): the same columns for export and import; imports are all-or-nothing.

Columns: see `COLUMNS`. `financeurs` holds organisation slugs separated by `|`; lists (`stades`, `besoins`,
`formes_juridiques`) hold codes of `maille.core.enums`; `zones` reads `departement:53|region:52|france:`; dates
`ouverture` and `date_limite` are `AAAA-MM-JJ`; an empty cell is empty.
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
    format_list,
    label_of,
    quoted,
)
from maille.directory.enums import PublicationStatus
from maille.directory.io import ZonedImporter
from maille.directory.models import Organisation

from .enums import Deadline, FundingType, Recurrence
from .models import FundingScheme
from .services import save_scheme

TABLE = (
    Column("slug", "slug"),
    Column("nom", "name"),
    Column("financeurs", "funders", "special"),
    Column("type", "kind", "code", FundingType),
    Column("description", "description"),
    Column("stades", "stages", "codes", Stage),
    Column("besoins", "needs", "codes", Need),
    Column("formes_juridiques", "legal_forms", "codes", LegalForm),
    Column("montant_min", "amount_min", "integer"),
    Column("montant_max", "amount_max", "integer"),
    Column("taux", "rate"),
    Column("zones", "zones", "special"),
    Column("ouverture", "opens_on", "date"),
    Column("date_limite", "closes_on", "date"),
    Column("recurrence", "recurrence", "code", Recurrence),
    Column("statut", "status", "code", PublicationStatus),
    Column("source", "source_url"),
)
COLUMNS = [column.name for column in TABLE]


class SchemeImporter(ZonedImporter):
    label = gettext_lazy("Dispositifs de financement")
    model = FundingScheme
    table = TABLE
    ranges = (("amount_min", "amount_max"), ("opens_on", "closes_on"))

    def with_relations(self, queryset):
        return queryset.prefetch_related("zones", "funders")

    def prepare(self) -> None:
        self.organisations = {o.slug: o for o in Organisation.objects.all()}

    def export_special(self, obj: FundingScheme, column: Column) -> Any:
        if column.field == "funders":
            return format_list(sorted(funder.slug for funder in obj.funders.all()))
        return super().export_special(obj, column)

    def export_special_label(self, obj: FundingScheme, column: Column) -> Any:
        if column.field == "funders":
            return LABEL_SEPARATOR.join(sorted(funder.name for funder in obj.funders.all()))
        return super().export_special_label(obj, column)

    def read_special(self, cells: Cells) -> tuple[dict[str, Any], dict[str, list]]:
        slugs = cells.items("financeurs")
        unknown = [slug for slug in slugs if slug not in self.organisations]
        if unknown:
            cells.error(
                "financeurs",
                _("Aucune organisation n'a l'identifiant %(slugs)s.") % {"slugs": quoted(unknown)},
            )
        elif not slugs:
            cells.error("financeurs", _("Indiquez au moins un financeur (identifiant d'organisation)."))
        funders = [self.organisations[slug] for slug in slugs if slug in self.organisations]
        return {}, {"zones": cells.zones("zones"), "funders": funders}

    def current_relations(self, obj: FundingScheme) -> dict[str, set]:
        return {**super().current_relations(obj), "funders": set(obj.funders.all())}

    def save(self, instance: FundingScheme, relations: dict[str, list]) -> None:
        save_scheme(instance, relations["zones"], relations["funders"])


def export_scheme_results(schemes, today) -> tuple[list[str], list[list]]:
    """The download of a list of results (schemes with funders and zones loaded): labels and names instead of
    codes, plus the deadline on `today` (« Ouvert », « Clôture proche », « Clos »); `export_schemes` gives the file
    to import again."""
    from .selectors import deadline_status

    importer = SchemeImporter()
    schemes = list(importer.with_relations(schemes))
    headers, rows = importer.export_labelled(schemes)
    deadlines = [label_of(Deadline, deadline_status(scheme, today)) for scheme in schemes]
    return [*headers, "echeance"], [[*row, deadline] for row, deadline in zip(rows, deadlines, strict=True)]


def export_schemes(queryset=None) -> tuple[list[str], list[list]]:
    """Headers and rows of the funding schemes (all by default), for `maille.core.exports.tabular_response`."""
    return SchemeImporter().export(queryset)


def import_schemes(source, dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Create or update funding schemes by slug from a CSV or xlsx file; nothing is written if any row is bad."""
    return SchemeImporter().run(source, dry_run=dry_run, progress=progress)
