"""The Material site: one application with the referral pages."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site

from . import views


class ReferralApp(Application):
    title = _("Case referral")
    icon = "gavel"
    app_name = "xianjie"
    menu_template_name = "workflows/app_menu.html"
    turbo_disabled = True

    index_path = path("", views.home, name="index")
    inbox_path = path("inbox/", views.inbox, name="inbox")
    queue_path = path("queue/", views.queue, name="queue")
    archive_path = path("archive/", views.archive, name="archive")
    agency_tasks_path = path("agency-tasks/", views.agency_tasks, name="agency_tasks")
    referral_list_path = path("referrals/", views.referral_list, name="referral_list")
    referral_new_path = path("referrals/new/", views.referral_new, name="referral_new")
    referral_detail_path = path(
        "referrals/<int:pk>/", views.referral_detail, name="referral_detail"
    )
    task_detail_path = path("tasks/<int:task_pk>/", views.task_detail, name="task_detail")

    def has_view_permission(self, user, obj=None):
        return True  # every view requires login itself and sends strangers to the login page


class XianjieSite(Site):
    def has_view_permission(self, user, obj=None):
        return True


site = XianjieSite(title=_("Xianjie case referral"), viewsets=[ReferralApp()])
