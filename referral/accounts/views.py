"""Sign-in pages: login (password, lockout), logout, password change, second factor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from . import services, twofactor
from .forms import AuthenticationForm, PasswordChangeForm, TokenForm


class LoginView(auth_views.LoginView):
    """The one login door, for the site and for /admin/ alike."""

    form_class = AuthenticationForm
    template_name = "registration/login.html"

    def form_valid(self, form):
        services.login_complete(request=self.request, user=form.get_user())
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        request = self.request
        locked = getattr(request, "axes_locked_out", False)
        # django-axes counts the failure into axes_failures_since_start; it leaves it None for
        # a try it refused outright because of an earlier lockout.
        counted = getattr(request, "axes_failures_since_start", None) is not None
        services.login_failure_record(
            request=request,
            username=form.data.get("username", "")[:150],
            locked_now=locked and counted,
            refused=locked and not counted,
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        services.logout_complete(request=request)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        services.password_change(
            request=self.request, user=form.user, password=form.cleaned_data["new_password1"]
        )
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows instead of the login form while a lockout lasts."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrols an authenticator app: QR code and key, then a first code to prove it works."""
    user = request.user
    if twofactor.has_second_factor(user):
        return redirect("two_factor_verify")
    device = twofactor.pending_totp_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.second_factor_enrol(
            request=request, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            context = {"codes": codes, "next": _next_url(request)}
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("token", _("The code is not correct. Check the time on your phone."))
    context = {
        "form": form,
        "qr": twofactor.totp_qr_data_uri(device),
        "secret": twofactor.totp_secret(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@method_decorator(login_required, name="dispatch")
class TwoFactorVerifyView(TemplateView):
    template_name = "accounts/two_factor_verify.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", TokenForm())
        return super().get_context_data(next=_next_url(self.request), **kwargs)

    def get(self, request, *args, **kwargs):
        if not twofactor.has_second_factor(request.user):
            return redirect("two_factor_setup")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = TokenForm(request.POST)
        if form.is_valid() and services.second_factor_verify(
            request=request, token=form.cleaned_data["token"]
        ):
            return HttpResponseRedirect(_next_url(request))
        if form.is_valid():
            form.add_error("token", _("The code is not correct or has been used."))
        return self.render_to_response(self.get_context_data(form=form))
