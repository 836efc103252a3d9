"""The demo opens onto a populated inbox for every operational role."""

from io import StringIO

import pytest
from django.core.management import call_command

from referral.models import User
from workflows.selectors import task_inbox_for_user, task_queue_for_user


@pytest.mark.django_db
def test_every_demo_login_has_work(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    for user in User.objects.filter(username__regex=r"^(fc|my)_").exclude(username__endswith="2"):
        assert task_inbox_for_user(user).exists(), user.username
    assert not task_queue_for_user(User.objects.get(username="fc_officer")).exists()
