"""The notification centre: the list (paged), marking one or all read, and the user's choice of
the kinds also sent by e-mail. Each POST is a view of its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from referral import selectors
from referral.services import notifications

from .notification_forms import NotificationSettingsForm

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request):
    rows = selectors.notification_list_for_user(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workflows/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    """Marks one notification read and opens what it is about (or returns to the list)."""
    notifications.notification_mark_read(user=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("xianjie:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": count})
    return redirect("xianjie:notification_list")


@login_required
@require_GET
def notification_settings(request):
    form = NotificationSettingsForm(initial={"email_kinds": request.user.email_notification_kinds})
    return render(request, "workflows/notification_settings.html", {"form": form})


@login_required
@require_POST
def notification_settings_save(request):
    form = NotificationSettingsForm(request.POST)
    if not form.is_valid():
        return render(request, "workflows/notification_settings.html", {"form": form})
    notifications.notification_settings_update(
        user=request.user, email_kinds=form.cleaned_data["email_kinds"]
    )
    messages.success(request, _("Notification settings saved."))
    return redirect("xianjie:notification_settings")
