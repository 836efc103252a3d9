"""The early-intervention pages through HTTP: asking from the case, the head's approval, the
procurator's answer, the case timeline, who sees what (another agency gets a 404), and the
query counts of the list and the request's page."""

import pytest
from django.urls import reverse

from referral.models import EarlyIntervention, InterventionStatus
from referral.services import interventions as svc
from tests.referral.interventions.helpers import approved, asked, users


def test_officer_asks_head_approves_procurator_answers_timeline_shows_it(client, world):
    u = users(world)
    referral = world.new_referral()
    client.force_login(u["officer"])
    case_page = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert reverse("xianjie:intervention_new", args=[referral.pk]) in case_page
    with world.at():
        response = client.post(
            reverse("xianjie:intervention_new", args=[referral.pk]),
            {
                "addressee_agency_ids": [world.agencies["fc-proc"].pk],
                "reason_category": "qualification_unclear",
                "reason": "定性存疑，请检察机关提前介入",
            },
        )
    intervention = EarlyIntervention.objects.get()
    detail = reverse("xianjie:intervention_detail", args=[intervention.pk])
    assert response.status_code == 302 and response["Location"] == detail
    client.force_login(u["head"])
    assert 'data-testid="decide-form"' in client.get(detail).content.decode()
    with world.at():
        client.post(
            reverse("xianjie:intervention_decide", args=[intervention.pk]), {"approve": "1"}
        )
    client.force_login(u["proc"])
    home = client.get(reverse("xianjie:index")).content.decode()
    assert detail in home  # in the addressee's home page
    with world.at():
        client.post(
            reverse("xianjie:intervention_respond", args=[intervention.pk]),
            {"accept": "1", "reason": "同意派员介入"},
        )
    intervention.refresh_from_db()
    assert intervention.state == InterventionStatus.REQUESTED
    client.force_login(u["officer"])
    timeline = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert "请求提前介入" in timeline and "同意提前介入" in timeline
    assert "同意派员介入" in timeline and "定性存疑，请检察机关提前介入" in timeline


def test_a_refused_request_keeps_what_was_typed(client, world):
    referral = world.new_referral()
    client.force_login(users(world)["officer"])
    with world.at():
        response = client.post(
            reverse("xianjie:intervention_new", args=[referral.pk]),
            {"reason_category": "joint_raid", "reason": "拟于周五联合查处"},
        )
    page = response.content.decode()
    assert response.status_code == 200 and "拟于周五联合查处" in page
    assert not EarlyIntervention.objects.exists()


def test_the_police_addressee_sees_the_request_but_not_the_case(client, world):
    intervention = approved(world)
    client.force_login(users(world)["police"])
    page = client.get(reverse("xianjie:intervention_detail", args=[intervention.pk]))
    assert page.status_code == 200 and 'data-testid="respond-form"' in page.content.decode()
    case = client.get(reverse("xianjie:referral_detail", args=[intervention.referral_id]))
    assert case.status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_police"])
def test_another_agency_gets_404_everywhere(client, world, who):
    intervention = approved(world)
    client.force_login(users(world)[who])
    assert (
        client.get(reverse("xianjie:intervention_detail", args=[intervention.pk])).status_code
        == 404
    )
    for name, data in (
        ("intervention_respond", {"accept": "1"}),
        ("intervention_note", {"text": "x"}),
        ("intervention_close", {"outcome": "x"}),
        ("intervention_decide", {"approve": "1"}),
    ):
        response = client.post(reverse(f"xianjie:{name}", args=[intervention.pk]), data)
        assert response.status_code == 404, name
    listing = client.get(reverse("xianjie:intervention_list")).content.decode()
    assert intervention.referral.reference not in listing


def test_the_officer_may_not_approve_through_the_page(client, world):
    intervention = asked(world)
    client.force_login(users(world)["officer"])
    with world.at():
        client.post(
            reverse("xianjie:intervention_decide", args=[intervention.pk]), {"approve": "1"}
        )
    intervention.refresh_from_db()
    assert intervention.state == InterventionStatus.AWAITING_APPROVAL


@pytest.mark.engine
def test_search_finds_by_reason_text(client, world):
    approved(world)
    client.force_login(users(world)["proc"])
    url = reverse("xianjie:intervention_list")
    assert "辣椒油" in client.get(url, {"q": "辣椒油"}).content.decode()
    assert "辣椒油" not in client.get(url, {"q": "不存在的词"}).content.decode()


# The list: session, user, roles (3) + one row per agency asked with the request, its case and
# both agencies (1) = 4, whatever the number of requests.
LIST = 4
# The request's page: 3 + the request with its case, agencies and people (1) + its addressees
# with agency and answerer (1) + their assigned officers (1) + its notes with authors (1) = 7;
# for an addressee that accepted, + the members to assign from (1).
DETAIL = 7


@pytest.mark.parametrize("n", [1, 4])
def test_query_counts(client, world, django_assert_num_queries, n):
    u = users(world)
    for _ in range(n):
        intervention = approved(world)
        with world.at():
            svc.intervention_note_add(
                actor=u["officer"], intervention_id=intervention.pk, text="注"
            )
    client.force_login(u["officer"])
    with django_assert_num_queries(LIST):
        assert client.get(reverse("xianjie:intervention_list")).status_code == 200
    with django_assert_num_queries(DETAIL):
        client.get(reverse("xianjie:intervention_detail", args=[intervention.pk]))
    with world.at():
        svc.intervention_respond(actor=u["proc"], intervention_id=intervention.pk, accept=True)
    client.force_login(u["proc"])
    with django_assert_num_queries(DETAIL + 1):
        client.get(reverse("xianjie:intervention_detail", args=[intervention.pk]))
