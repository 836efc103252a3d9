from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralConfig(AppConfig):
    name = "referral"
    verbose_name = _("Case referral")
    default_auto_field = "django.db.models.BigAutoField"
