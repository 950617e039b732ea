"""Back-office for strategy steering: staff edit the structure, actions, indicators and their measurements,
committee meetings and their decisions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Action,
    ActionObjective,
    Axis,
    Change,
    CommitteeMeeting,
    Decision,
    Indicator,
    Measurement,
    Objective,
    Strategy,
    SubAxis,
)


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "region_code", "period_start", "period_end"]
    search_fields = ["name"]
    autocomplete_fields = ["pilots"]
    inlines = [AxisInline]


class SubAxisInline(admin.TabularInline):
    model = SubAxis
    extra = 0


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "strategy", "order"]
    list_filter = ["strategy"]
    search_fields = ["code", "title"]
    inlines = [SubAxisInline]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(SubAxis)
class SubAxisAdmin(admin.ModelAdmin):
    list_display = ["title", "axis", "order"]
    list_filter = ["axis"]
    search_fields = ["title"]
    list_select_related = ["axis"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "sub_axis", "order"]
    list_filter = ["sub_axis__axis"]
    search_fields = ["code", "title"]
    list_select_related = ["sub_axis"]


class IndicatorActionInline(admin.TabularInline):
    model = Indicator.actions.through
    extra = 0
    autocomplete_fields = ["indicator"]
    verbose_name = _("indicateur de l'action")
    verbose_name_plural = _("indicateurs de l'action")


class ActionObjectiveInline(admin.TabularInline):
    model = ActionObjective
    extra = 1
    min_num = 1


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "status",
        "progress_override",
        "progress_source",
        "archived_at",
        "is_demo",
    ]
    list_filter = ["status", "progress_source", "is_demo", "objectives"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["pilots", "partners", "offers", "schemes"]
    inlines = [ActionObjectiveInline, IndicatorActionInline]


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["date", "value", "zone_level", "zone_code", "source_note", "created_by"]
    raw_id_fields = ["created_by"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "objective", "direction", "source", "computation", "is_demo"]
    list_filter = ["source", "direction", "is_demo", "objective"]
    search_fields = ["name"]
    list_select_related = ["objective"]
    autocomplete_fields = ["actions"]
    inlines = [MeasurementInline]

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, Measurement) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "date", "value", "zone_level", "zone_code", "created_by"]
    list_filter = ["zone_level", "indicator"]
    search_fields = ["indicator__name", "source_note"]
    list_select_related = ["indicator", "created_by"]
    autocomplete_fields = ["indicator"]
    raw_id_fields = ["created_by"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0
    autocomplete_fields = ["owner_organisation", "actions"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "date", "strategy", "is_demo"]
    list_filter = ["kind", "is_demo"]
    date_hierarchy = "date"
    autocomplete_fields = ["organisations_present"]
    inlines = [DecisionInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "owner", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["text", "owner_text", "owner_organisation__name"]
    list_select_related = ["meeting", "owner_organisation"]
    autocomplete_fields = ["owner_organisation", "actions"]


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The history of the steering data: read only."""

    list_display = ["at", "actor", "kind", "target_type", "target_label"]
    list_filter = ["kind", "target_type"]
    search_fields = ["target_label"]
    list_select_related = ["actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
