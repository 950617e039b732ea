from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.search, name="search"),
    path("dispositifs/<slug:slug>/", views.scheme_detail, name="scheme"),
    path("alertes/", views.alert_create, name="alert_create"),
    path("alertes/<uuid:token>/confirmer/", views.alert_confirm, name="alert_confirm"),
    path("alertes/<uuid:token>/desinscription/", views.alert_unsubscribe, name="alert_unsubscribe"),
]
