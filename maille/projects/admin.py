"""Back-office for projects: staff see and correct projects, their timeline and funding plan."""

from django.contrib import admin

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
    readonly_fields = ["consented_at", "holder_confirmed_at", "created_at", "updated_at"]
    inlines = [ProjectBudgetInline, FundingLineInline, TimelineEntryInline]


@admin.register(FundingLine)
class FundingLineAdmin(admin.ModelAdmin):
    list_display = ["project", "funder", "scheme", "expense", "amount_asked", "amount_granted", "status"]
    list_filter = ["status"]
    search_fields = ["project__name", "funder__name", "expense"]
    list_select_related = ["project", "funder", "scheme"]
    autocomplete_fields = ["project", "funder", "scheme"]
