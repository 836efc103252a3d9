from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language

from referral.accounts import views as accounts
from workflows.site import site

urlpatterns = [
    # One login, logout and password change for the site and the admin: lockout, second factor,
    # password rules and audit apply to both.
    path("admin/login/", accounts.LoginView.as_view()),
    path("admin/logout/", accounts.LogoutView.as_view()),
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("accounts/", include("referral.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("referral.urls")),
    path("", site.urls),
]
