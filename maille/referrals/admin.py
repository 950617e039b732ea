"""Back-office for referrals: staff read every referral with how it was delivered, and its answer links.

States change only through the services (the inbox, the answer links, the desk): the status and delivery fields are
read-only here, so the audit log and the e-mails stay true.
"""

from django.contrib import admin

from .models import AnswerLink, Referral


class AnswerLinkInline(admin.TabularInline):
    model = AnswerLink
    extra = 0
    can_delete = False
    fields = ["email", "created_at", "used_at", "revoked_at"]
    readonly_fields = ["email", "created_at", "used_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = [
        "project",
        "organisation",
        "offer",
        "status",
        "delivery_channel",
        "created_at",
        "answered_at",
    ]
    list_filter = ["status", "delivery_channel", "outcome"]
    search_fields = ["project__name", "organisation__name", "offer__name", "answered_by_email"]
    list_select_related = ["project", "organisation", "offer"]
    date_hierarchy = "created_at"
    raw_id_fields = [
        "project",
        "offer",
        "organisation",
        "parent",
        "created_by",
        "answered_by",
        "forwarded_by",
    ]
    readonly_fields = [
        "status",
        "delivery_channel",
        "delivery_recipients",
        "forwarded_at",
        "forwarded_to",
        "answered_at",
        "answered_by_name",
        "answered_by_email",
        "answered_by_phone",
        "closed_at",
        "expired_at",
        "first_reminder_sent_at",
        "second_reminder_sent_at",
        "created_at",
    ]
    inlines = [AnswerLinkInline]

    def has_add_permission(self, request):
        return False
