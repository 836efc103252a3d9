"""Reads of a passed clue are on record: each opening of its page and each download of its
files is a ClueRead row (reader, agency, time, file), append-only, and nothing is recorded for
an agency that may not see the clue (it gets 404)."""

import pytest
from django.urls import reverse

from referral.models import AppendOnlyError, ClueRead
from tests.referral.clues.helpers import passed, users


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_the_police_stations_reads_of_page_and_file_are_recorded(client, world):
    u = users(world)
    clue = passed(world, u)
    attachment = clue.attachments.get()
    client.force_login(u["ps"])
    assert client.get(reverse("xianjie:clue_detail", args=[clue.pk])).status_code == 200
    response = client.get(reverse("xianjie:clue_file", args=[clue.pk, attachment.pk]))
    assert response.status_code == 200
    reads = list(ClueRead.objects.order_by("pk"))
    assert [(r.reader_id, r.reader_agency_id, r.clue_id) for r in reads] == [
        (u["ps"].pk, u["ps"].agency_id, clue.pk)
    ] * 2
    assert reads[0].attachment_id is None and reads[1].attachment_id == attachment.pk


def test_every_reader_who_may_see_the_clue_is_recorded(client, world):
    u = users(world)
    clue = passed(world, u)
    for who in ("station", "bureau", "county_police"):
        client.force_login(u[who])
        client.get(reverse("xianjie:clue_detail", args=[clue.pk]))
    readers = set(ClueRead.objects.values_list("reader_id", flat=True))
    assert readers == {u["station"].pk, u["bureau"].pk, u["county_police"].pk}


@pytest.mark.parametrize("who", ["outsider", "proc"])
def test_an_agency_that_may_not_see_the_clue_reads_nothing_and_nothing_is_recorded(
    client, world, who
):
    u = users(world)
    clue = passed(world, u)
    client.force_login(u[who])
    assert client.get(reverse("xianjie:clue_detail", args=[clue.pk])).status_code == 404
    file_url = reverse("xianjie:clue_file", args=[clue.pk, clue.attachments.get().pk])
    assert client.get(file_url).status_code == 404
    assert not ClueRead.objects.exists()


def test_a_file_of_another_clue_is_not_served_nor_recorded(client, world):
    u = users(world)
    first, second = passed(world, u), passed(world, u)
    client.force_login(u["ps"])
    url = reverse("xianjie:clue_file", args=[first.pk, second.attachments.get().pk])
    assert client.get(url).status_code == 404
    assert not ClueRead.objects.exists()


def test_clue_reads_are_append_only(client, world):
    u = users(world)
    clue = passed(world, u)
    client.force_login(u["ps"])
    client.get(reverse("xianjie:clue_detail", args=[clue.pk]))
    read = ClueRead.objects.get()
    with pytest.raises(AppendOnlyError):
        read.delete()
    with pytest.raises(AppendOnlyError):
        ClueRead.objects.filter(pk=read.pk).update(request_id="x")
