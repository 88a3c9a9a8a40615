"""The portal's routes and `/bench/ping`: a view that does no database or template work, to
measure what gunicorn and Django's middleware alone can serve on the same machine."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ping", ping), *portal_urlpatterns]
