"""Staff and pilots protect their account with a second factor (allauth's TOTP) before they can use it.

When `settings.MAILLE_REQUIRE_MFA` is on (production), a logged-in staff member or pilot without an authenticator is
sent to the page that activates one; only that page, the other second-factor pages, logging out, static files and
the language switch stay reachable meanwhile.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .perms import needs_second_factor

ALWAYS_REACHABLE = ("/comptes/", "/static/", "/i18n/", "/media/")


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "MAILLE_REQUIRE_MFA", False) and self._must_activate(request):
            messages.warning(
                request,
                _(
                    "Votre compte donne accès au pilotage ou au back-office : activez d'abord la double "
                    "authentification (application d'authentification, code à 6 chiffres)."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _must_activate(request) -> bool:
        if request.path.startswith(ALWAYS_REACHABLE) or request.path.startswith("/api/"):
            return False
        return needs_second_factor(request.user)
