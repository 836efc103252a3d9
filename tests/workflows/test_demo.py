"""The demo as `bin/demo` seeds it: a populated inbox for every operational role, the
lifecycle's states with overdue clocks, the joint meeting with its minutes issued and one
follow-up overdue, the coordination between agencies and stations, and the printed logins.

Seeding the whole demo takes long, so it is seeded once for this module, inside a transaction
rolled back at its end (as Django's TestCase.setUpTestData does); each test runs in a savepoint
of it. The module runs on one pytest-xdist worker (its group) so it is seeded only once."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse

from referral.models import (
    Clock,
    Clue,
    Consultation,
    EarlyIntervention,
    FollowUp,
    InterventionStatus,
    Meeting,
    MinutesStatus,
    Referral,
    RenderState,
    User,
)
from referral.timeutil import now
from workflows.selectors import task_inbox_for_user, task_queue_for_user

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.xdist_group("demo")


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded with its after-commit work done (flow routing, document rendering), as
    bin/demo leaves it; yields what seed_demo printed."""
    checkpoints = tmp_path_factory.mktemp("audit-checkpoints")
    with django_db_blocker.unblock(), override_settings(XIANJIE_AUDIT_CHECKPOINT_DIR=checkpoints):
        try:
            with transaction.atomic():
                out = StringIO()
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("seed_demo", stdout=out)
                yield out.getvalue()
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_seed_demo_creates_every_role_and_overdue_cases(demo):
    for username in (
        "fc_officer",
        "fc_head",
        "fc_intake",
        "fc_reviewer",
        "fc_procurator",
        "sysadmin",
        "secadmin",
        "auditadmin",
    ):
        assert username in demo
    assert Referral.objects.count() >= 12
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert len(statuses) >= 10
    assert {"CLOSED", "FILED", "TRANSFERRED_AWAITING_RECEIPT", "DETENTION_TRANSFERRED"} <= statuses
    assert Clock.objects.overdue().exists()
    assert User.objects.get(username="fc_officer").check_password("Xianjie@2026")
    call_command("verify_audit", stdout=StringIO())
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "already" in again.getvalue() and Referral.objects.count() == len(
        json.loads((ROOT / "fixtures/demo_referrals.json").read_text())
    )


def test_every_demo_login_has_work(demo):
    for user in User.objects.filter(username__regex=r"^(fc|my)_").exclude(username__endswith="2"):
        assert task_inbox_for_user(user).exists(), user.username
    assert not task_queue_for_user(User.objects.get(username="fc_officer")).exists()


def test_demo_has_an_issued_meeting_with_an_overdue_follow_up(demo, client):
    meeting = Meeting.objects.get()
    assert meeting.minutes_status == MinutesStatus.ISSUED
    assert {p.agency.code for p in meeting.participants.all() if p.attended} == {
        "fc-msa",
        "fc-police",
        "fc-proc",
    }
    minutes = meeting.documents.get()
    assert minutes.render_state == RenderState.DONE
    open_items = list(FollowUp.objects.open())
    assert len(open_items) == 1 and open_items[0].is_overdue(now())
    assert open_items[0].owner_agency.code == "fc-police"
    client.force_login(User.objects.get(username="fc_reviewer"))
    page = client.get(reverse("xianjie:index")).content.decode()
    assert open_items[0].action in page and "xj-badge--overdue" in page


def test_demo_seeds_the_coordination_and_prints_the_station_logins(demo, client):
    intervention = EarlyIntervention.objects.get()
    assert intervention.state == InterventionStatus.REQUESTED
    assert intervention.referral.transferred_at is None
    answers = {a.agency.code: a.answer for a in intervention.addressees.select_related("agency")}
    assert answers == {"fc-proc": "accepted", "fc-police": ""}
    consultation = Consultation.objects.get()
    assert consultation.replies.count() == 1 and consultation.shared_attachments.exists()
    assert sorted(Clue.objects.values_list("answer", flat=True)) == ["", "needs_transfer"]
    assert "cj_station" in demo and "cj_police" in demo
    client.force_login(User.objects.get(username="fc_officer"))
    clue = Clue.objects.get(answer="needs_transfer")
    page = client.get(reverse("xianjie:clue_detail", args=[clue.pk])).content.decode()
    assert 'data-testid="clue-to-referral"' in page
    client.force_login(User.objects.get(username="cj_police"))
    home = client.get(reverse("xianjie:index")).content.decode()
    assert 'data-testid="home-clues"' in home
