"""Pages of the strategy, mounted at /pilotage/."""

from django.urls import path, re_path

from . import views

app_name = "strategy"
urlpatterns = [
    re_path(r"^rapport\.(?P<fmt>pdf|xlsx)$", views.report_download, name="report"),
    path("", views.tree, name="tree"),
    path("public/", views.public, name="public"),
    path("objectifs/<str:code>/", views.objective, name="objective"),
    path("actions/<str:code>/", views.action, name="action"),
    path("indicateurs/<int:pk>/carte/", views.indicator_map, name="indicator_map"),
    path("comites/", views.committees, name="committees"),
]
