"""Clues passed between stations: the period, the police station's answer, the referral the
bureau opens from a clue without retyping, and who may see or do what."""

from datetime import datetime

import pytest

from referral import access, clue_access
from referral.models import AuditEvent, Clue, ClueAnswer, PartyKind, Role
from referral.permissions import may_create_referral
from referral.services import clues as svc
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from tests.factories import SHANGHAI

from .helpers import passed, stations, users


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_station_passes_a_clue_to_its_police_station_with_a_period(world):
    u = users(world)
    clue = passed(world, u)
    assert clue.to_station.code == "fc-police-cj"
    # Monday 2 March 2026: three working days end Thursday 5 March, 23:59:59.
    assert clue.due_at == datetime(2026, 3, 5, 23, 59, 59, tzinfo=SHANGHAI)
    parties = [(p.kind, p.name, p.id_number) for p in clue.parties.all()]
    assert parties == [
        (PartyKind.PERSON, "张三", "510703198001011234"),
        (PartyKind.UNIT, "某某肉类经营部", ""),
    ]
    assert clue.attachments.get().original_name == "现场照片.pdf"
    assert AuditEvent.objects.filter(action="clue_pass", actor=u["station"]).exists()


def test_only_a_paired_station_passes_clues(world):
    u = users(world)
    for who in ("bureau", "ps", "proc"):
        with pytest.raises(PermissionDenied), world.at():
            svc.clue_pass(actor=u[who], title="t", summary="s", place="p")


def test_a_station_does_not_open_referrals(world):
    u = users(world)
    assert not may_create_referral(u["station"]) and may_create_referral(u["bureau"])


def test_the_police_station_answers_once(world):
    u = users(world)
    clue = passed(world, u)
    with world.at():
        with pytest.raises(PermissionDenied):  # the county police oversee, the station answers
            svc.clue_answer(
                actor=u["county_police"], clue_id=clue.pk, answer="not_a_crime", reason="x"
            )
        with pytest.raises(InvalidInput):
            svc.clue_answer(actor=u["ps"], clue_id=clue.pk, answer="not_a_crime")
        svc.clue_answer(actor=u["ps"], clue_id=clue.pk, answer=ClueAnswer.ACCEPTED_FOR_CHECKING)
        with pytest.raises(IllegalTransition):
            svc.clue_answer(
                actor=u["ps"], clue_id=clue.pk, answer=ClueAnswer.NOT_A_CRIME, reason="x"
            )


def test_a_clue_needing_a_transfer_becomes_the_bureaus_referral_without_retyping(world):
    u = users(world)
    clue = passed(world, u)
    with world.at():
        with pytest.raises(IllegalTransition):  # not answered yet
            svc.clue_to_referral(actor=u["bureau"], clue_id=clue.pk)
        svc.clue_answer(actor=u["ps"], clue_id=clue.pk, answer=ClueAnswer.NEEDS_TRANSFER)
        with pytest.raises(PermissionDenied):
            svc.clue_to_referral(actor=u["station"], clue_id=clue.pk)
        referral = svc.clue_to_referral(actor=u["bureau"], clue_id=clue.pk)
        with pytest.raises(IllegalTransition):
            svc.clue_to_referral(actor=u["bureau"], clue_id=clue.pk)
    assert referral.agency == world.agencies["fc-msa"]
    assert referral.title == clue.title and clue.summary in referral.facts
    assert clue.place in referral.facts
    assert [p.name for p in referral.parties.all()] == ["张三", "某某肉类经营部"]
    assert [a.original_name for a in referral.attachments.all()] == ["现场照片.pdf"]
    assert Clue.objects.get().referral == referral
    assert AuditEvent.objects.filter(action="clue_to_referral", referral=referral).exists()


def test_who_sees_a_clue(world):
    u = users(world)
    clue = passed(world, u)
    seeing = {who for who, user in u.items() if clue_access.clues_visible_to(user).exists()}
    assert seeing == {"station", "ps", "bureau", "county_police"}
    clue = Clue.objects.select_related("from_station", "to_station").get()
    for who, user in u.items():
        assert clue_access.may_view_clue(user, clue) == (who in seeing), who
    with pytest.raises(NotFound), world.at():
        svc.clue_answer(actor=u["outsider"], clue_id=clue.pk, answer="not_a_crime", reason="x")
    # The police station sees the clue, not the bureau's referrals.
    referral = world.new_referral()
    with pytest.raises(NotFound):
        access.referral_get_for_user(user=u["ps"], referral_id=referral.pk)
    assert world.user("fc-msa", Role.AGENCY_HEAD)  # the bureau head sees it too
    assert clue_access.clues_visible_to(world.user("fc-msa", Role.AGENCY_HEAD)).exists()


def test_a_pairing_joins_a_market_station_to_a_police_station(world):
    from django.core.exceptions import ValidationError

    market, police = stations(world)
    market.full_clean()
    bureau = world.agencies["fc-msa"]
    bureau.paired_station = police  # a county bureau is no station
    with pytest.raises(ValidationError):
        bureau.full_clean()
    market.paired_station = world.agencies["fc-police"]  # nor is the county police
    with pytest.raises(ValidationError):
        market.full_clean()
