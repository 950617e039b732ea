"""The app's URLs plus one trivial view (`/bench/trivial/`: no database, a short text) for the throughput baseline."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), path("", include("config.urls"))]
