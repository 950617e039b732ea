"""The /api/v1/ router: mounts each app's api.py and the OpenAPI document with its browsable documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("maille.territories.api")),
    path("", include("maille.directory.api")),
    path("", include("maille.directory.api_exports")),
    path("", include("maille.funding.api")),
    path("", include("maille.strategy.api")),
    path("", include("maille.referrals.api")),
    path("", include("maille.projects.api")),
    path("", include("maille.orientation.api")),
    path("", include("maille.observatory.api")),
    path("", include("maille.showcase.api")),
    path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
