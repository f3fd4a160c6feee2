"""A view that refuses, to test how a refusal escaping a view is shown."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.errors import GrcError
from grc.urls import urlpatterns as project_urls


class Overbooked(GrcError):
    status = 409


def refuse(request):
    raise Overbooked(_("Sign in"))  # a string the catalogue already translates


urlpatterns = [path("refuse/", refuse), *project_urls]  # the page's menu links resolve
