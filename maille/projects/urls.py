"""URLs of projects, under /projets/."""

from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("nouveau/", views.intake_person, name="intake"),
    path("nouveau/projet/", views.intake_project, name="intake_project"),
    path("nouveau/verification/", views.intake_review, name="intake_review"),
    path("lien/", views.lost_link, name="lost_link"),
    path("suivi/<str:token>/", views.holder, name="holder"),
    path("suivi/<str:token>/mes-donnees.json", views.holder_data, name="holder_data"),
    path("suivi/<str:token>/effacement/", views.holder_erase, name="holder_erase"),
    path("mes-projets/<int:pk>/", views.my_project, name="mine"),
    path("repere/", views.detected_create, name="detected"),
    path("financeur/<slug:slug>/", views.funder_page, name="funder"),
    path("<int:pk>/", views.project_file, name="file"),
    path("<int:pk>/historique/", views.timeline_add, name="timeline_add"),
    path("<int:pk>/financement/", views.funding_line_add, name="funding_line_add"),
    path("<int:pk>/financement/besoin/", views.budget_set, name="budget_set"),
    path("<int:pk>/financement/<int:line_pk>/", views.funding_line, name="funding_line"),
    path("<int:pk>/financement/<int:line_pk>/modifier/", views.funding_line_edit, name="funding_line_edit"),
    path("<int:pk>/financement/<int:line_pk>/statut/", views.funding_line_status, name="funding_line_status"),
    path("financement/dispositifs/", views.scheme_options, name="scheme_options"),
]
