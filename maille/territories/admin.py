from django.contrib import admin

from .models import Commune, CommuneAlias, Departement, Epci, PostalCode, Region


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "departement", "epci", "population"]
    list_filter = ["region", "departement"]
    search_fields = ["code", "name", "search_name"]
    list_select_related = ["departement", "epci"]
    autocomplete_fields = ["epci"]
    inlines = [PostalCodeInline]


@admin.register(CommuneAlias)
class CommuneAliasAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "commune"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["commune"]
