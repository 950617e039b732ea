"""Pages of the strategy, mounted at /pilotage/."""

from django.urls import path, re_path

from . import pilot_views, views

app_name = "strategy"
urlpatterns = [
    re_path(r"^rapport\.(?P<fmt>pdf|xlsx)$", views.report_download, name="report"),
    path("", views.tree, name="tree"),
    path("public/", views.public, name="public"),
    path("objectifs/<str:code>/", views.objective, name="objective"),
    path("actions/", pilot_views.actions, name="actions"),
    path("actions/nouvelle/", pilot_views.action_create, name="action_create"),
    path("actions/<str:code>/", views.action, name="action"),
    path("actions/<str:code>/modifier/", pilot_views.action_edit, name="action_edit"),
    path("actions/<str:code>/avancement/", pilot_views.action_progress, name="action_progress"),
    path("actions/<str:code>/archiver/", pilot_views.action_archive, name="action_archive"),
    path("import/<str:kind>/", pilot_views.import_file, name="import"),
    re_path(
        r"^import/(?P<kind>[a-z]+)/modele\.(?P<fmt>csv|xlsx)$",
        pilot_views.import_template,
        name="import_template",
    ),
    path("indicateurs/", pilot_views.indicators, name="indicators"),
    path("indicateurs/nouveau/", pilot_views.indicator_create, name="indicator_create"),
    path("indicateurs/<int:pk>/modifier/", pilot_views.indicator_edit, name="indicator_edit"),
    path("indicateurs/<int:pk>/carte/", views.indicator_map, name="indicator_map"),
    path("mesures/<int:pk>/", pilot_views.measurement_edit, name="measurement_edit"),
    path("comites/", views.committees, name="committees"),
    path("comites/nouveau/", pilot_views.meeting_form, name="meeting_create"),
    path("comites/<int:pk>/modifier/", pilot_views.meeting_form, name="meeting_edit"),
    path("comites/<int:pk>/compte-rendu.pdf", pilot_views.meeting_minutes, name="meeting_minutes"),
    path("decisions/nouvelle/", pilot_views.decision_form, name="decision_create"),
    path("decisions/<int:pk>/modifier/", pilot_views.decision_form, name="decision_edit"),
]
