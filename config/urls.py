"""Top-level URLs: pages, accounts, back-office, API (errors under /api/ are JSON)."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from maille.core import views as core_views

# The back-office has no login of its own: it uses the site's (throttled in the shared cache, second factor).
# Set before `admin.site.urls` is read below, which binds the login view.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("api/v1/", include("maille.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("mon-espace/", include("maille.accounts.urls")),
    path("", include("maille.core.urls")),
    path("territoires/", include("maille.territories.urls")),
    path("annuaire/", include("maille.directory.urls")),
    path("financements/", include("maille.funding.urls")),
    path("mises-en-relation/", include("maille.referrals.urls")),
    path("projets/", include("maille.projects.urls")),
    path("pilotage/", include("maille.strategy.urls")),
    path("observatoire/", include("maille.observatory.urls")),
    path("vitrine/", include("maille.showcase.urls")),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
admin.site.site_header = "Maille — back-office"
admin.site.site_title = "Maille"
