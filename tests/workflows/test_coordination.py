"""What touches a case and a user outside the referral itself: the case list marks cases with
an early intervention or consultation of the user's agency, the case page lists the meetings
that discussed it, and one search runs over meetings, interventions, consultations and clues,
each only as far as the user's agency takes part."""

import pytest
from django.urls import reverse

from tests.referral.clues.helpers import passed
from tests.referral.clues.helpers import users as clue_users
from tests.referral.consultations.helpers import opened
from tests.referral.interventions.helpers import approved
from tests.referral.meetings.helpers import drafted


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _everything(world):
    """An intervention (fc-msa asks fc-proc), a consultation (fc-msa invites fc-police), a
    meeting with a case on its agenda (convened by fc-proc) and a clue between stations."""
    intervention = approved(world, agencies=("fc-proc",))
    consultation, _shared, _private = opened(world)
    meeting = drafted(world, referral=intervention.referral)
    clue = passed(world, clue_users(world))
    return intervention, consultation, meeting, clue


def test_the_case_list_marks_cases_with_coordination_of_the_users_agency(client, world):
    intervention, consultation, _meeting, _clue = _everything(world)
    client.force_login(world.user("fc-msa", "case_officer"))
    page = client.get(reverse("xianjie:referral_list")).content.decode()
    assert page.count('data-testid="badge-intervention"') == 1
    assert page.count('data-testid="badge-consultation"') == 1
    client.force_login(world.user("fc-proc", "procurator"))  # sees both cases, asked in one
    page = client.get(reverse("xianjie:referral_list")).content.decode()
    assert page.count('data-testid="badge-intervention"') == 1
    assert 'data-testid="badge-consultation"' not in page


def test_the_case_page_lists_the_meetings_that_discussed_it(client, world):
    intervention, _c, meeting, _clue = _everything(world)
    client.force_login(world.user("fc-msa", "case_officer"))
    page = client.get(reverse("xianjie:referral_detail", args=[intervention.referral_id]))
    assert meeting.title in page.content.decode()


@pytest.mark.engine
@pytest.mark.parametrize(
    "who, sees",
    [
        ("fc-msa", {"meeting", "intervention", "consultation", "clue"}),
        ("fc-proc", {"meeting", "intervention"}),
        ("fc-police", {"meeting", "consultation", "clue"}),
        ("yx-msa", set()),
    ],
)
def test_search_over_everything_the_user_takes_part_in(client, world, who, sees):
    intervention, consultation, meeting, clue = _everything(world)
    role = {"fc-msa": "case_officer", "fc-proc": "procurator"}.get(who, "")
    role = role or ("police_reviewer" if "police" in who else "case_officer")
    client.force_login(world.user(who, role))
    url = reverse("xianjie:coordination_search")
    found = set()
    for kind, text, link in (
        ("meeting", "第一季度", reverse("xianjie:meeting_detail", args=[meeting.pk])),
        ("intervention", "辣椒油", reverse("xianjie:intervention_detail", args=[intervention.pk])),
        ("consultation", "吗啡", reverse("xianjie:consultation_detail", args=[consultation.pk])),
        ("clue", "检疫", reverse("xianjie:clue_detail", args=[clue.pk])),
    ):
        if link in client.get(url, {"q": text}).content.decode():
            found.add(kind)
    assert found == sees


# Session, user, roles (3) + meetings with follow-up counts (1) + intervention rows (1)
# + consultations (1) + clues (1) = 7, whatever is found.
SEARCH = 7


def test_search_query_count(client, world, django_assert_num_queries):
    _everything(world)
    _everything(world)
    client.force_login(world.user("fc-msa", "case_officer"))
    with django_assert_num_queries(SEARCH):
        client.get(reverse("xianjie:coordination_search"), {"q": "会"})
