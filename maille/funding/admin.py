"""Back-office for funding schemes and saved searches."""

from django.contrib import admin

from maille.directory.admin import PersonEditMixin

from .models import FundingScheme, SavedSearch, SchemeZone


class SchemeZoneInline(admin.TabularInline):
    model = SchemeZone
    extra = 1


@admin.register(FundingScheme)
class FundingSchemeAdmin(PersonEditMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "recurrence",
        "closes_on",
        "status",
        "origin",
        "last_verified_at",
        "is_demo",
    ]
    list_filter = ["kind", "recurrence", "status", "origin", "is_demo"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["funders"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SchemeZoneInline]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "stage", "kind", "commune", "confirmed_at", "unsubscribed_at"]
    list_filter = ["frequency"]
    search_fields = ["email"]
