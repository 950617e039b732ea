"""Pages of the observatory (/observatoire/)."""

from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("", views.index, name="index"),
    path("territoire/<str:level>/<str:code>/", views.territory, name="territory"),
    path("methode/", views.method, name="method"),
    path("reperage/", views.detection, name="detection"),
    path("signaler/<str:siret>/", views.signal, name="signal"),
]
