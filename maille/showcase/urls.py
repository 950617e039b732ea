from django.urls import path

from . import views
from .feeds import StoriesFeed

app_name = "showcase"
urlpatterns = [
    path("", views.index, name="index"),
    path("reussites/", views.stories, name="stories"),
    path("reussites/flux.atom", StoriesFeed(), name="stories_feed"),
    path("reussites/<int:pk>/photo/", views.story_photo, name="story_photo"),
    path("reussites/<int:pk>/accord/<str:token>/", views.story_consent, name="story_consent"),
    path("reussites/<slug:slug>/", views.story_detail, name="story"),
    path("evenements/", views.events, name="events"),
    path("evenements/calendrier.ics", views.events_ics, name="events_ics"),
    path("evenements/<slug:slug>/", views.event_detail, name="event"),
    path("evenements/<slug:slug>/presences/", views.event_attendance, name="event_attendance"),
    path("inscriptions/<str:token>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("tiers-lieux/", views.tiers_lieux, name="tiers_lieux"),
    path("tiers-lieux/<slug:slug>/", views.tiers_lieu_detail, name="tiers_lieu"),
    path("formations/", views.trainings, name="trainings"),
    path("epci/", views.epci_list, name="epci_list"),
    path("epci/<str:code>/", views.epci_space, name="epci"),
    path("epci/<str:code>/partenariat/", views.partnership_edit, name="partnership_edit"),
    path("epci/<str:code>/convention/", views.partnership_document, name="partnership_document"),
]
