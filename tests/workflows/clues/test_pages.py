"""The clue pages through HTTP: a station passes a clue with a file, its police station
answers "needs a formal transfer", the bureau opens the referral; another agency gets 404;
search; query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referral.models import Clue
from referral.services import clues as svc
from tests.referral.clues.helpers import PDF, passed, users


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_pass_answer_and_open_the_referral_through_the_pages(client, world):
    u = users(world)
    client.force_login(u["station"])
    with world.at():
        response = client.post(
            reverse("xianjie:clue_new"),
            {
                "title": "无证生产豆芽线索",
                "summary": "群众举报某作坊使用无根剂生产豆芽。",
                "place": "城郊村3组",
                "parties": "李四，510703199001011234",
                "files": [SimpleUploadedFile("照片.pdf", PDF, "application/pdf")],
            },
        )
    clue = Clue.objects.get()
    detail = reverse("xianjie:clue_detail", args=[clue.pk])
    assert response["Location"] == detail and clue.attachments.count() == 1
    client.force_login(u["ps"])
    assert "城郊派出所" in client.get(reverse("xianjie:index")).content.decode()
    file_url = reverse("xianjie:clue_file", args=[clue.pk, clue.attachments.get().pk])
    assert client.get(file_url).status_code == 200
    with world.at():
        client.post(reverse("xianjie:clue_answer", args=[clue.pk]), {"answer": "needs_transfer"})
    client.force_login(u["bureau"])
    page = client.get(detail).content.decode()
    assert 'data-testid="clue-to-referral"' in page
    with world.at():
        response = client.post(reverse("xianjie:clue_to_referral", args=[clue.pk]))
    clue.refresh_from_db()
    assert response["Location"] == reverse("xianjie:referral_detail", args=[clue.referral_id])
    assert clue.referral.parties.get().name == "李四"


def test_a_refused_clue_keeps_what_was_typed(client, world):
    client.force_login(users(world)["station"])
    response = client.post(
        reverse("xianjie:clue_new"),
        {
            "title": "线索",
            "summary": "摘要内容",
            "place": "地点",
            "files": [SimpleUploadedFile("x.txt", b"hello")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "摘要内容" in page and not Clue.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "proc"])
def test_another_agency_gets_404(client, world, who):
    u = users(world)
    clue = passed(world, u)
    client.force_login(u[who])
    assert client.get(reverse("xianjie:clue_detail", args=[clue.pk])).status_code == 404
    file_url = reverse("xianjie:clue_file", args=[clue.pk, clue.attachments.get().pk])
    assert client.get(file_url).status_code == 404
    response = client.post(
        reverse("xianjie:clue_answer", args=[clue.pk]), {"answer": "needs_transfer"}
    )
    assert response.status_code == 404
    assert client.post(reverse("xianjie:clue_to_referral", args=[clue.pk])).status_code == 404


def test_only_a_station_gets_the_pass_form(client, world):
    u = users(world)
    client.force_login(u["bureau"])
    assert client.get(reverse("xianjie:clue_new")).status_code == 403


@pytest.mark.engine
def test_search(client, world):
    u = users(world)
    passed(world, u)
    client.force_login(u["ps"])
    url = reverse("xianjie:clue_list")
    assert "病死猪肉" in client.get(url, {"q": "检疫"}).content.decode()
    assert "病死猪肉" not in client.get(url, {"q": "不存在"}).content.decode()


# The list: session, user, roles (3) + the clues with both stations (1) + the user's agency,
# which the pass button asks about (1) = 5. The clue's page: 3 + the clue with its stations,
# people and referral (1) + its parties (1) + its files (1) + the read recorded (1) = 7.
LIST = 5
DETAIL = 7


@pytest.mark.parametrize("n", [1, 3])
def test_query_counts(client, world, django_assert_num_queries, n):
    u = users(world)
    for _ in range(n):
        clue = passed(world, u)
    with world.at():
        svc.clue_answer(actor=u["ps"], clue_id=clue.pk, answer="accepted_for_checking")
    client.force_login(u["station"])
    with django_assert_num_queries(LIST):
        client.get(reverse("xianjie:clue_list"))
    with django_assert_num_queries(DETAIL):
        client.get(reverse("xianjie:clue_detail", args=[clue.pk]))
