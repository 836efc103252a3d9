"""The case-consultation pages through HTTP: opening from the case page, what a participant
of another agency sees (the shared summary and files, not the case), a non-participant's 404,
search, and the query counts."""

import pytest
from django.urls import reverse

from referral.models import AttachmentRead, Consultation
from referral.services import consultations as svc
from tests.referral.consultations.helpers import attach, opened, users


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_open_from_the_case_page(client, world):
    referral = world.new_referral()
    shared = attach(world, referral, "检验报告.pdf")
    client.force_login(users(world)["officer"])
    case = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    new = reverse("xianjie:consultation_new", args=[referral.pk])
    assert new in case
    with world.at():
        response = client.post(
            new,
            {
                "title": "定性会商",
                "question": "是否构成犯罪？",
                "summary": "案情摘要",
                "participant_agency_ids": [world.agencies["fc-proc"].pk],
                "attachment_ids": [shared.pk],
            },
        )
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse("xianjie:consultation_detail", args=[consultation.pk])
    assert list(consultation.shared_attachments.all()) == [shared]
    case = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert "定性会商" in case and "案件会商" in case


def test_a_refused_opening_keeps_what_was_typed(client, world):
    referral = world.new_referral()
    client.force_login(users(world)["officer"])
    response = client.post(
        reverse("xianjie:consultation_new", args=[referral.pk]),
        {"title": "定性会商", "question": "是否构成犯罪？", "summary": "案情摘要"},
    )
    assert response.status_code == 200 and "是否构成犯罪？" in response.content.decode()


def test_participant_sees_what_is_shared_not_the_case(client, world):
    consultation, shared, private = opened(world)
    client.force_login(users(world)["police"])
    page = client.get(reverse("xianjie:consultation_detail", args=[consultation.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "检出吗啡成分" in text and "检验报告.pdf" in text
    assert "内部审批表.pdf" not in text and consultation.referral.reference not in text
    case = reverse("xianjie:referral_detail", args=[consultation.referral_id])
    assert case not in text and client.get(case).status_code == 404
    assert client.get(reverse("xianjie:attachment_file", args=[shared.pk])).status_code == 200
    assert client.get(reverse("xianjie:attachment_file", args=[private.pk])).status_code == 404
    assert AttachmentRead.objects.filter(reader=users(world)["police"]).count() == 1
    with world.at():
        client.post(
            reverse("xianjie:consultation_reply", args=[consultation.pk]), {"text": "同意立案"}
        )
    assert consultation.replies.get().text == "同意立案"


def test_a_non_participant_gets_404(client, world):
    consultation, shared, _private = opened(world)
    client.force_login(users(world)["outsider"])
    assert (
        client.get(reverse("xianjie:consultation_detail", args=[consultation.pk])).status_code
        == 404
    )
    for name, data in (
        ("consultation_reply", {"text": "x"}),
        ("consultation_close", {"conclusion": "x"}),
    ):
        response = client.post(reverse(f"xianjie:{name}", args=[consultation.pk]), data)
        assert response.status_code == 404, name
    assert client.get(reverse("xianjie:attachment_file", args=[shared.pk])).status_code == 404
    assert "罂粟壳" not in client.get(reverse("xianjie:consultation_list")).content.decode()


@pytest.mark.engine
def test_search_and_home(client, world):
    opened(world)
    client.force_login(users(world)["police"])
    url = reverse("xianjie:consultation_list")
    assert "罂粟壳火锅底料" in client.get(url, {"q": "吗啡"}).content.decode()
    assert "罂粟壳火锅底料" not in client.get(url, {"q": "不存在"}).content.decode()
    home = client.get(reverse("xianjie:index")).content.decode()
    assert 'data-testid="home-consultations"' in home


# The list: session, user, roles (3) + the consultations with case and opening agency (1) = 4.
LIST = 4
# The thread: 3 + the consultation with its case, opening agency and opener (1) + its
# participants with agencies (1) + its shared attachments (1) + its replies with authors and
# agencies (1) = 7.
DETAIL = 7


@pytest.mark.parametrize("n", [1, 3])
def test_query_counts(client, world, django_assert_num_queries, n):
    u = users(world)
    for _ in range(n):
        consultation, _s, _p = opened(world)
        with world.at():
            svc.consultation_reply(actor=u["police"], consultation_id=consultation.pk, text="意见")
    client.force_login(u["police"])
    with django_assert_num_queries(LIST):
        client.get(reverse("xianjie:consultation_list"))
    with django_assert_num_queries(DETAIL):
        client.get(reverse("xianjie:consultation_detail", args=[consultation.pk]))
