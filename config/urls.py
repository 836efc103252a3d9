from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from workflows.site import auth, site

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", auth.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("referral.urls")),
    path("", site.urls),
]
