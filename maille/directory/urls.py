from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("offres/<slug:slug>/", views.offer_detail, name="offer"),
    path("offres/<slug:slug>/modifier/", views.offer_edit, name="offer_edit"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:organisation_slug>/nouvelle-offre/", views.offer_edit, name="offer_create"),
    path("competences/", views.competences_map, name="competences"),
    path("import/", views.import_file, name="import"),
    path("a-verifier/", views.review_queue, name="review"),
    path("organisations/<slug:slug>/toujours-a-jour/", views.verify, name="verify"),
    path("verification/<str:token>/", views.verify_token, name="verify_token"),
]
