"""The case list: search, filters, sort and pages, scoped to what the user may see."""

from datetime import timedelta

import pytest
from django.urls import reverse

from referral.models import Clock, ClockState, Document, Party, Referral, Role
from referral.services.referrals import party_add
from referral.timeutil import now
from tests.factories import AgencyFactory, UserFactory

# Search and filters run as SQL: matching Chinese text and ordering are the engine's.
pytestmark = pytest.mark.engine

URL = reverse("xianjie:referral_list")


def _listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return [r.pk for r in response.context["page"]]


@pytest.fixture
def officer(world):
    return world.user("fc-msa", Role.CASE_OFFICER)


# --- search -------------------------------------------------------------------------------------


def test_search_finds_reference_and_title(client, world, officer):
    first, second = world.new_referral(), world.new_referral()
    Referral.objects.filter(pk=second.pk).update(title="某药店销售假药案")
    assert _listed(client, officer, q=first.reference) == [first.pk]
    assert _listed(client, officer, q="假药") == [second.pk]


def test_search_finds_party_name_and_credit_code(client, world, officer):
    first, second = world.new_referral(), world.new_referral()
    party_add(
        referral_id=first.pk,
        actor=officer,
        kind="unit",
        name="绵阳某某食品有限公司",
        id_number="91510700MA6XXXXX1Q",
    )
    party_add(referral_id=first.pk, actor=officer, kind="person", name="某某食品 张三")
    assert _listed(client, officer, q="某某食品") == [first.pk]  # two parties match: once
    assert _listed(client, officer, q="ma6xxxxx1q") == [first.pk]
    assert second.pk not in _listed(client, officer, q="91510700")


def test_search_finds_document_number(client, flow_world):
    filed = flow_world.reach("FILED")
    other = flow_world.new_referral()
    number = Document.objects.filter(referral=filed).first().number
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    assert _listed(client, officer, q=number) == [filed.pk]
    assert other.pk in _listed(client, officer)


# --- filters ------------------------------------------------------------------------------------


def test_stage_filter_groups_states_by_who_holds_the_case(client, flow_world):
    new = flow_world.new_referral()
    with_police = flow_world.reach("RECEIVED_BY_POLICE")
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    assert _listed(client, officer, stage="agency") == [new.pk]
    assert _listed(client, officer, stage="police") == [with_police.pk]
    assert _listed(client, officer, stage="closed") == []


def test_status_filter(client, world, officer):
    referral = world.new_referral()
    assert _listed(client, officer, status=referral.status) == [referral.pk]
    assert _listed(client, officer, status="FILED") == []


def test_agency_filter_matches_any_of_the_three_agencies(client, flow_world):
    sent = flow_world.reach("RECEIVED_BY_POLICE")
    kept = flow_world.new_referral()
    other_police = flow_world.agencies["yx-police"]
    Referral.objects.filter(pk=kept.pk).update(police_agency=other_police)
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    assert _listed(client, officer, agency=sent.police_agency_id) == [sent.pk]
    assert set(_listed(client, officer, agency=officer.agency_id)) == {sent.pk, kept.pk}


def test_date_range_filter(client, world, officer):
    early, late = world.new_referral(), world.new_referral()
    Referral.objects.filter(pk=early.pk).update(created_at=late.created_at - timedelta(days=10))
    day = late.created_at.date()
    assert _listed(client, officer, created_from=day.isoformat()) == [late.pk]
    before = (day - timedelta(days=5)).isoformat()
    assert _listed(client, officer, created_to=before) == [early.pk]


def test_overdue_filter_takes_swept_and_unswept_clocks(client, flow_world):
    swept, unswept, on_time = (flow_world.reach("RECEIVED_BY_POLICE") for _ in range(3))
    Clock.objects.filter(referral=on_time).update(due_at=now() + timedelta(days=3))
    Clock.objects.filter(referral=swept, state=ClockState.RUNNING).update(state=ClockState.OVERDUE)
    Clock.objects.filter(referral=unswept, state=ClockState.RUNNING).update(
        due_at=unswept.created_at - timedelta(days=1)
    )
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    assert set(_listed(client, officer, overdue="on")) == {swept.pk, unswept.pk}
    assert on_time.pk in _listed(client, officer)


def test_invalid_filter_values_list_nothing_and_say_why(client, world, officer):
    world.new_referral()
    client.force_login(officer)
    response = client.get(URL, {"stage": "nonsense", "created_from": "yesterday"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []  # not every case, as if the filter held
    assert response.context["filter"].form.errors.keys() == {"stage", "created_from"}
    assert 'class="errorlist"' in response.content.decode()


# --- sort and pages -----------------------------------------------------------------------------


def test_sort_by_title_both_ways(client, world, officer):
    ids = [world.new_referral().pk for _ in range(3)]
    for pk, title in zip(ids, ("乙案", "甲案", "丙案"), strict=True):
        Referral.objects.filter(pk=pk).update(title=title)
    ascending = _listed(client, officer, sort="title")
    assert [Referral.objects.get(pk=pk).title for pk in ascending] == sorted(
        ["乙案", "甲案", "丙案"]
    )
    assert _listed(client, officer, sort="-title") == ascending[::-1]


def test_newest_first_by_default(client, world, officer):
    ids = [world.new_referral().pk for _ in range(3)]
    assert _listed(client, officer) == ids[::-1]


def test_pages_cover_every_row_once_and_keep_the_filters(client, world, officer, monkeypatch):
    monkeypatch.setattr("workflows.views.PAGE_SIZE", 2)
    ids = [world.new_referral().pk for _ in range(5)]
    client.force_login(officer)
    seen = []
    for number in (1, 2, 3):
        response = client.get(URL, {"q": "食品", "page": number})
        seen += [r.pk for r in response.context["page"]]
    assert sorted(seen) == sorted(ids)
    body = response.content.decode()
    assert "q=%E9%A3%9F%E5%93%81&amp;page=2" in body  # the previous page keeps the search
    assert response.context["page"].has_next() is False


# --- scoped to what the user may see ------------------------------------------------------------


@pytest.mark.parametrize(
    ("agency", "role", "sees_before", "sees_after"),
    [
        ("fc-msa", Role.CASE_OFFICER, True, True),
        ("fc-proc", Role.PROCURATOR, True, True),
        (None, Role.POLICE_INTAKE, False, True),  # the receiving police: once transferred
        ("my-msa", Role.CASE_OFFICER, False, False),  # the city's agency is not a party
        ("yx-msa", Role.CASE_OFFICER, False, False),  # a foreign county
        ("yx-police", Role.POLICE_INTAKE, False, False),
        ("yx-proc", Role.PROCURATOR, False, False),
    ],
)
def test_list_never_shows_what_the_user_may_not_see(
    client, flow_world, agency, role, sees_before, sees_after
):
    referral = flow_world.new_referral()
    user = flow_world.user(agency or referral.police_agency.code, role)
    for params in ({}, {"q": referral.reference}, {"agency": referral.agency_id}):
        assert (referral.pk in _listed(client, user, **params)) is sees_before
    for name in ("find_suspected_crime", "submit_transfer_report", "approve_transfer"):
        flow_world.do(referral, name)
    flow_world.do(referral, "transfer")
    for params in ({}, {"q": referral.reference}, {"stage": "police"}):
        assert (referral.pk in _listed(client, user, **params)) is sees_after


def test_user_without_agency_sees_no_referral(client, world):
    world.new_referral()
    nobody = UserFactory(username="nobody", agency=None, roles=[])
    assert _listed(client, nobody) == []
    assert _listed(client, nobody, agency=world.agencies["fc-msa"].pk) == []


# --- queries ------------------------------------------------------------------------------------

# Session, user and roles (3) + the agencies of the filter's choices (1) + the count of matches
# for the pager (1) + the page of referrals with their three agencies joined (1) = 6, the same
# for 3 or 7 rows, on the first page or a later one, searched or not (the search adds EXISTS
# subqueries to the same two queries). Filtering by agency validates the chosen one (+1).
LIST_QUERIES = 6


@pytest.mark.parametrize("rows", [3, 7])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"q": "张三", "stage": "agency", "sort": "-title", "created_from": "2026-01-01"},
    ],
)
def test_list_query_count_is_fixed(
    client, world, officer, django_assert_num_queries, monkeypatch, rows, params
):
    monkeypatch.setattr("workflows.views.PAGE_SIZE", 2)
    for _ in range(rows):
        referral = world.new_referral()
        Party.objects.create(referral=referral, kind="person", name="张三")
    AgencyFactory(code="extra-agency")  # more choices, same query
    client.force_login(officer)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, params)
    assert response.status_code == 200
    assert isinstance(response.context["page"].paginator.count, int)


def test_list_page_shows_the_filters_in_chinese(client, world, officer):
    world.new_referral()
    client.force_login(officer)
    body = client.get(URL, {"sort": "-title"}).content.decode()
    for text in ("搜索", "在公安机关", "仅看逾期", "案件名称（倒序）", "共 1 件"):
        assert text in body


def test_sort_menu_says_newest_first_by_default(client, world, officer):
    world.new_referral()
    client.force_login(officer)
    body = client.get(URL).content.decode()
    assert '<option value="" selected>最新在前</option>' in body
