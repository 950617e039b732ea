"""Back-office of partner tokens: staff create one for an organisation (the key is shown once), and revoke it."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "role",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "state",
    ]
    list_filter = ["role", "revoked_at"]
    search_fields = ["name", "organisation__name", "prefix"]
    autocomplete_fields = ["organisation"]
    actions = ["revoke"]
    fields = ["organisation", "role", "name", "expires_at"]
    readonly_on_change = [
        "organisation",
        "role",
        "name",
        "expires_at",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]

    @admin.display(description=_("état"))
    def state(self, token):
        if token.revoked_at:
            return _("révoqué")
        return _("actif") if token.is_usable() else _("expiré")

    def get_fields(self, request, obj=None):
        return self.readonly_on_change if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_on_change if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the audit log keeps pointing at it

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = services.issue_token(
            organisation=obj.organisation,
            role=obj.role,
            name=obj.name,
            created_by=request.user,
            expires_at=obj.expires_at,
        )
        obj.pk = token.pk
        obj.__dict__.update({k: v for k, v in token.__dict__.items() if not k.startswith("_")})
        request._maille_api_key = key

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "_maille_api_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": obj,
            "key": key,
            "title": _("Jeton créé"),
        }
        response = TemplateResponse(request, "admin/api/apitoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Révoquer les jetons sélectionnés"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset:
            if token.revoked_at is None:
                services.revoke_token(token, by=request.user)
                count += 1
        self.message_user(
            request,
            ngettext("%(n)d jeton révoqué.", "%(n)d jetons révoqués.", count) % {"n": count},
            messages.SUCCESS,
        )
