"""The project's URLs and one that fails, to see the 500 page."""

from django.urls import path

from config.urls import urlpatterns as project


def crash(request):
    raise RuntimeError("a failure to see the 500 page")


urlpatterns = [path("crash/", crash), *project]
