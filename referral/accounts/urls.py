"""/accounts/: login, logout, own password, second factor. viewflow's profile page (avatar
upload) and the self-service password reset by e-mail are left out on purpose: accounts are
reset by the security administrator only (referral/admin.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
]
