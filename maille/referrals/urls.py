"""Pages of referrals: the organisations' inbox and one referral's page (mounted under /mises-en-relation/)."""

from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
]
