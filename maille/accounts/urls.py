"""Pages of accounts: « Mon espace » (mounted at /mon-espace/)."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.space, name="space"),
]
