from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("communes/", views.commune_search, name="commune_search"),
    path("communes/<str:code>/", views.commune_detail, name="commune"),
    path("epci/<str:code>/", views.epci_detail, name="epci"),
]
