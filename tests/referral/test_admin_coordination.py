"""Meetings, consultations, early interventions, clues and clue reads in the admin: the audit
administrator reads them (lists with a fixed number of queries, each object with its parts)
and nobody changes, adds or deletes any; the other administrators and officers see none."""

import pytest
from django.urls import reverse

from referral.models import (
    AgendaItem,
    Clue,
    ClueRead,
    Consultation,
    EarlyIntervention,
    FollowUp,
    Meeting,
    Role,
)
from referral.services.clues import clue_read_record
from tests.factories import UserFactory
from tests.referral.clues.helpers import passed
from tests.referral.clues.helpers import users as clue_users
from tests.referral.consultations.helpers import opened
from tests.referral.interventions.helpers import approved
from tests.referral.meetings.helpers import drafted
from tests.security.helpers import login_verified

MODELS = {
    "meeting": Meeting,
    "agendaitem": AgendaItem,
    "followup": FollowUp,
    "consultation": Consultation,
    "earlyintervention": EarlyIntervention,
    "clue": Clue,
    "clueread": ClueRead,
}


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _coordination(world, n: int = 1):
    """`n` of each: a drafted meeting, a consultation, an approved intervention, a clue read
    by its police station."""
    u = clue_users(world)
    for _ in range(n):
        drafted(world)
        opened(world)
        approved(world)
        clue = passed(world, u)
        clue_read_record(clue=clue, actor=u["ps"])


def _admin(role):
    return UserFactory(username=f"adm-{role}", agency=None, is_staff=True, roles=[role])


@pytest.mark.parametrize("model", list(MODELS))
@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.AUDIT_ADMIN, 200), (Role.SYSTEM_ADMIN, 403), (Role.SECURITY_ADMIN, 403)],
)
def test_only_the_audit_administrator_reads_coordination(client, world, model, role, status):
    _coordination(world)
    login_verified(client, _admin(role))
    obj = MODELS[model].objects.first()
    assert client.get(reverse(f"admin:referral_{model}_changelist")).status_code == status
    change = reverse(f"admin:referral_{model}_change", args=[obj.pk])
    assert client.get(change).status_code == status


def test_an_officer_with_the_staff_flag_reads_none(client, world):
    _coordination(world)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    for model in MODELS:
        assert client.get(reverse(f"admin:referral_{model}_changelist")).status_code == 403


@pytest.mark.parametrize("model", list(MODELS))
def test_nobody_adds_changes_or_deletes_coordination_in_the_admin(client, world, model):
    _coordination(world)
    obj = MODELS[model].objects.first()
    before = MODELS[model].objects.count()
    login_verified(client, _admin(Role.AUDIT_ADMIN))
    assert client.get(reverse(f"admin:referral_{model}_add")).status_code == 403
    change = reverse(f"admin:referral_{model}_change", args=[obj.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page  # view only
    assert client.post(change, {}).status_code == 403
    delete = reverse(f"admin:referral_{model}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert MODELS[model].objects.count() == before


def test_a_meeting_shows_its_parts_read_only(client, world):
    _coordination(world)
    meeting = Meeting.objects.get()
    login_verified(client, _admin(Role.AUDIT_ADMIN))
    page = client.get(reverse("admin:referral_meeting_change", args=[meeting.pk])).content
    page = page.decode()
    for text in ("建立季度案件信息通报制度", "报送本季度不予立案案件清单", "赵强 大队长"):
        assert text in page
    assert "participants-TOTAL_FORMS" in page and "<textarea" not in page


# Every page: session, user, roles, the second-factor device, the user's and groups'
# permissions (6, as tests/referral/test_admin_queries.py) + the paginator's COUNT and the
# unfiltered total's COUNT (2) + the page of rows with their related rows joined (1) = 9.
# The filters are on choices and read no table.
PER_LIST = 9


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("model", list(MODELS))
def test_coordination_lists_query_count_does_not_grow_with_rows(
    client, world, django_assert_num_queries, model, n
):
    _coordination(world, n)
    login_verified(client, _admin(Role.AUDIT_ADMIN))
    with django_assert_num_queries(PER_LIST):
        response = client.get(reverse(f"admin:referral_{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == MODELS[model].objects.count() >= n
