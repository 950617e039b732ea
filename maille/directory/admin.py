"""Back-office for the directory: staff edit every organisation, branch, offer and competence."""

from django.contrib import admin

from maille.accounts.models import Membership

from .models import Branch, BranchZone, Competence, Offer, OfferZone, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0
    raw_id_fields = ["commune"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "is_demo", "updated_at"]
    list_filter = ["kind", "origin", "is_demo"]
    search_fields = ["name", "slug", "siret"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["commune"]
    autocomplete_fields = ["epci"]
    inlines = [BranchInline, MembershipInline]


class BranchZoneInline(admin.TabularInline):
    model = BranchZone
    extra = 0


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "commune"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["commune"]
    autocomplete_fields = ["organisation"]
    inlines = [BranchZoneInline]


class OfferZoneInline(admin.TabularInline):
    model = OfferZone
    extra = 1


class PersonEditMixin:
    """A save in the back-office is a person's edit: its changed fields are kept from synchronisations, and the
    record counts as verified by that person."""

    def save_model(self, request, obj, form, change):
        from .services import stamp_edit

        obj.mark_edited(name for name in form.changed_data if name not in {"edited_fields", "demo_fields"})
        stamp_edit(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(Offer)
class OfferAdmin(PersonEditMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "origin", "last_verified_at", "is_demo", "updated_at"]
    list_filter = ["status", "origin", "mobilisation", "is_free", "is_demo"]
    search_fields = ["name", "slug", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["branch"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfferZoneInline]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["advisor", "organisation", "need", "zone_level", "zone_code"]
    list_filter = ["need", "zone_level"]
    search_fields = ["advisor__email", "organisation__name"]
    autocomplete_fields = ["advisor", "organisation"]
