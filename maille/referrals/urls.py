"""Pages of referrals (mounted under /mises-en-relation/): the organisations' inbox and one referral's page, the
answer page of an e-mailed link (no account), and the regional orientation desk."""

from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("reponse/<str:token>/", views.answer_by_link, name="answer"),
    path("guichet/", views.desk, name="desk"),
    path("guichet/<int:pk>/", views.desk_detail, name="desk_detail"),
]
