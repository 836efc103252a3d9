"""Seeds the demo (agencies, users for every role, referrals across the lifecycle), hands the
open tasks to the demo users and prints the logins. Does nothing but print the logins when the
demo is already seeded.

It lives in workflows because it claims tasks; the domain's seeding (referral/demo.py) knows
nothing of tasks."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from referral.accounts.demo import demo_second_factors_text
from referral.demo import DEMO_PASSWORD, FIXTURES, demo_roles, seed_demo
from referral.models import Referral, User

from ...demo import claim_demo_tasks


class Command(BaseCommand):
    help = "Load demo agencies, users and referrals, then print every demo login."

    def _claim(self):
        self.stdout.write(f"已领取演示任务 Demo tasks claimed: {claim_demo_tasks()}")

    def handle(self, *args, **options):
        if Referral.objects.exists():
            self.stdout.write("演示数据已存在 Demo data already present.")
        else:
            seed_demo()
            # After the flow's own after-commit work has queued the tasks.
            transaction.on_commit(self._claim)
            self.stdout.write(f"已创建演示案件 Demo referrals created: {Referral.objects.count()}")
        # Addresses given after the scripted history, so only what users do from now on is
        # e-mailed (to this console: the demo's EMAIL_BACKEND).
        User.objects.filter(username__in=_demo_usernames(), email="").update(
            email=Concat(F("username"), Value("@demo.invalid"))
        )
        self.stdout.write(f"\n演示账号 Demo logins (密码 password: {DEMO_PASSWORD})")
        users = (
            User.objects.filter(username__in=_demo_usernames())
            .select_related("agency")
            .order_by("pk")
        )
        for user in users:
            agency = user.agency.name if user.agency else "—"
            self.stdout.write(
                f"  {user.username:<15} {user.full_name:<6} {demo_roles(user):<12} {agency}"
            )
        self.stdout.write(demo_second_factors_text())


def _demo_usernames():

    return [row["username"] for row in json.loads((FIXTURES / "demo_users.json").read_text())]
