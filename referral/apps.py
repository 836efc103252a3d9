from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralConfig(AppConfig):
    name = "referral"
    verbose_name = _("Case referral")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Django's place for it: model code may load only once the app registry is ready.
        from .accounts.services import session_stamp

        # Every login, by whichever view, starts the session's idle and absolute clocks.
        user_logged_in.connect(session_stamp, dispatch_uid="xianjie-session-stamp")
