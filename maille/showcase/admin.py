"""Back-office of the showcase: stories (photo re-encoded, publication and the holder's consent through the
services), events with their registrations, tiers-lieux, trainings with sessions and participants, partnerships."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import StoryAdminForm
from .models import Event, Participant, Partnership, Registration, Story, TiersLieu, Training, TrainingSession


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    form = StoryAdminForm
    list_display = ["title", "status", "sector", "family", "commune", "project", "published_at", "is_demo"]
    list_filter = ["status", "sector", "family", "is_demo"]
    search_fields = ["title", "text"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["commune", "project", "author"]
    readonly_fields = ["status", "published_at", "consent_given_at", "consent_withdrawn_at"]
    actions = ["publish", "unpublish", "request_consent"]

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publier"))
    def publish(self, request, queryset):
        for story in queryset:
            try:
                services.publish(story, request.user)
            except services.StoryError as error:
                self.message_user(request, f"{story} : {error.message}", messages.ERROR)

    @admin.action(description=_("Dépublier (revenir au brouillon)"))
    def unpublish(self, request, queryset):
        for story in queryset:
            services.unpublish(story, request.user, reason="back-office")

    @admin.action(description=_("Demander l'accord du porteur du projet"))
    def request_consent(self, request, queryset):
        for story in queryset.select_related("project"):
            try:
                services.request_consent(story, request.user)
            except services.StoryError as error:
                self.message_user(request, f"{story} : {error.message}", messages.ERROR)


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ["name", "email", "status", "created_at", "promoted_at", "cancelled_at", "attended"]
    readonly_fields = ["name", "email", "status", "created_at", "promoted_at", "cancelled_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # registrations go through `services.register` (capacity, waiting list, e-mail)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "organiser",
        "starts_at",
        "commune",
        "capacity",
        "is_published",
        "is_demo",
    ]
    list_filter = ["kind", "is_published", "is_demo"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["organiser", "commune"]
    inlines = [RegistrationInline]


@admin.register(TiersLieu)
class TiersLieuAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "governance", "ess_status", "network", "is_demo"]
    list_filter = ["governance", "ess_status", "is_demo"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["commune"]


class SessionInline(admin.TabularInline):
    model = TrainingSession
    raw_id_fields = ["commune"]
    extra = 0
    show_change_link = True


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser", "is_demo"]
    raw_id_fields = ["organiser"]
    inlines = [SessionInline]


class ParticipantInline(admin.TabularInline):
    model = Participant
    raw_id_fields = ["tiers_lieu"]
    extra = 1


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["training", "starts_on", "ends_on", "commune"]
    raw_id_fields = ["commune"]
    inlines = [ParticipantInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["epci", "status", "signed_on", "contact_name", "is_demo"]
    list_filter = ["status", "is_demo"]
    raw_id_fields = ["epci"]
    filter_horizontal = ["actions"]
