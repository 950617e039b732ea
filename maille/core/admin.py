"""Back-office of the core app: the outbox of e-mails (status, attempts, last error) with an action to send again;
the audit log (who created, changed or viewed what), read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .emails import resend
from .models import AuditEntry, OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [
        "to",
        "from_email",
        "subject",
        "template",
        "headers",
        "body_text",
        "body_html",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("core.change_outboxemail")

    @admin.display(description=_("dernière erreur"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Renvoyer (e-mails en attente ou abandonnés)"), permissions=["resend"])
    def send_again(self, request, queryset):
        count = resend(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail remis dans la file d'envoi.",
                "%(count)d e-mails remis dans la file d'envoi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the log from the back-office."""

    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = ["created_at", "actor", "action", "target_type", "target_id", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
