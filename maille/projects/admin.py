"""Back-office for projects: staff see and correct projects, their timeline and funding plan, and on each project
the audit log of who created, changed or viewed its personal data."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import FundingLine, Project, ProjectBudget, TimelineEntry


class TimelineEntryInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    fields = ["kind", "happened_on", "text", "organisation", "author", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author"]
    autocomplete_fields = ["organisation"]


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0
    fields = ["funder", "scheme", "expense", "amount_asked", "amount_granted", "status"]
    autocomplete_fields = ["funder", "scheme"]


class ProjectBudgetInline(admin.StackedInline):
    model = ProjectBudget
    extra = 0
    max_num = 1


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "holder_name",
        "commune",
        "stage",
        "legal_form",
        "detected_by",
        "is_demo",
        "created_at",
    ]
    list_filter = ["stage", "legal_form", "consent_to_share", "is_demo", "commune__departement"]
    search_fields = ["name", "holder_name", "holder_email", "siret"]
    list_select_related = ["commune", "detected_by"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["commune", "detected_by"]
    raw_id_fields = ["holder", "created_by"]
    readonly_fields = [
        "consented_at",
        "holder_confirmed_at",
        "anonymised_at",
        "created_at",
        "updated_at",
        "personal_data_log",
    ]
    inlines = [ProjectBudgetInline, FundingLineInline, TimelineEntryInline]

    @admin.display(description=_("journal des données personnelles (création, modifications, consultations)"))
    def personal_data_log(self, obj):
        from .privacy import project_log

        if obj is None or obj.pk is None:
            return "—"
        entries = list(project_log(obj)[:200])
        if not entries:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{entry.created_at:%Y-%m-%d %H:%M}",
                    entry.actor.email if entry.actor else _("porteur ou système"),
                    entry.action,
                    ", ".join(f"{key}={value}" for key, value in entry.data.items()),
                )
                for entry in entries
            ),
        )
        link = reverse("admin:core_auditentry_changelist") + f"?target_type=projects.project&q={obj.pk}"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
            '<p><a href="{}">{}</a></p>',
            _("date"),
            _("qui"),
            _("action"),
            _("détails"),
            rows,
            link,
            _("Tout le journal d'audit"),
        )


@admin.register(FundingLine)
class FundingLineAdmin(admin.ModelAdmin):
    list_display = ["project", "funder", "scheme", "expense", "amount_asked", "amount_granted", "status"]
    list_filter = ["status"]
    search_fields = ["project__name", "funder__name", "expense"]
    list_select_related = ["project", "funder", "scheme"]
    autocomplete_fields = ["project", "funder", "scheme"]
