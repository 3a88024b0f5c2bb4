"""The site's URLs plus a minimal view, the baseline for page benchmarks."""

from django.http import HttpResponse
from django.urls import path

from omakouvola.urls import urlpatterns as site_patterns


def minimal(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal), *site_patterns]
