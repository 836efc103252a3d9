"""Case consultation through its services and the attachment door: participants see what it
shares and nothing else, every read of a shared file is recorded, the opener concludes."""

import pytest

from referral import access, consultation_access
from referral.models import AttachmentRead, AuditEvent, Consultation, ConsultationState
from referral.services import consultations as svc
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from referral.services.referrals import attachment_read

from .helpers import attach, opened, users


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_participant_sees_the_shared_attachment_and_nothing_else(world):
    consultation, shared, private = opened(world)
    police = users(world)["police"]
    # Before the transfer the police do not see the case ...
    with pytest.raises(NotFound):
        access.referral_get_for_user(user=police, referral_id=consultation.referral_id)
    # ... but open what the consultation shares, each read on record, and only that.
    with world.at():
        attachment, data = attachment_read(attachment_id=shared.pk, actor=police, downloaded=False)
        with pytest.raises(NotFound):
            attachment_read(attachment_id=private.pk, actor=police, downloaded=False)
    assert data.startswith(b"%PDF")
    read = AttachmentRead.objects.get()
    assert (read.attachment, read.reader, read.reader_agency) == (
        shared,
        police,
        world.agencies["fc-police"],
    )


def test_a_non_participant_finds_neither_the_consultation_nor_the_file(world):
    consultation, shared, _private = opened(world)
    outsider = users(world)["outsider"]
    with pytest.raises(NotFound):
        consultation_access.consultation_get_for_user(
            user=outsider, consultation_id=consultation.pk
        )
    with pytest.raises(NotFound), world.at():
        attachment_read(attachment_id=shared.pk, actor=outsider, downloaded=True)
    with pytest.raises(NotFound), world.at():
        svc.consultation_reply(actor=outsider, consultation_id=consultation.pk, text="x")
    assert not AttachmentRead.objects.exists()


def test_predicate_and_filter_agree_for_every_user(world):
    opened(world)
    opened(world, agencies=("fc-proc", "my-police"))
    consultations = list(Consultation.objects.prefetch_related("participants"))
    for user in world.users.values():
        by_filter = set(
            consultation_access.consultations_visible_to(user).values_list("pk", flat=True)
        )
        by_predicate = {
            c.pk for c in consultations if consultation_access.may_view_consultation(user, c)
        }
        assert by_filter == by_predicate, user.username


def test_replies_then_the_opener_concludes(world):
    consultation, _s, _p = opened(world)
    u = users(world)
    with world.at():
        svc.consultation_reply(
            actor=u["police"], consultation_id=consultation.pk, text="建议按有毒有害食品罪立案"
        )
        with pytest.raises(PermissionDenied):
            svc.consultation_close(
                actor=u["police"], consultation_id=consultation.pk, conclusion="x"
            )
        with pytest.raises(InvalidInput):
            svc.consultation_close(
                actor=u["officer"], consultation_id=consultation.pk, conclusion=" "
            )
        svc.consultation_close(
            actor=u["officer"], consultation_id=consultation.pk, conclusion="依法移送公安机关"
        )
        with pytest.raises(IllegalTransition):
            svc.consultation_reply(actor=u["police"], consultation_id=consultation.pk, text="x")
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.CLOSED
    actions = list(
        AuditEvent.objects.filter(referral=consultation.referral_id)
        .exclude(action__in=("create", "add_attachment"))
        .values_list("action", flat=True)
    )
    assert actions == ["consultation_open", "consultation_reply", "consultation_close"]


def test_only_the_cases_own_attachments_are_shared(world):
    consultation, _s, _p = opened(world)
    other = world.new_referral()
    foreign = attach(world, other, "他案材料.pdf")
    with pytest.raises(InvalidInput), world.at():
        svc.consultation_open(
            actor=users(world)["officer"],
            referral_id=consultation.referral_id,
            title="t",
            question="q",
            summary="s",
            participant_agency_ids=[world.agencies["fc-police"].pk],
            attachment_ids=[foreign.pk],
        )


def test_opened_only_on_a_visible_case_with_another_agency(world):
    referral = world.new_referral()
    u = users(world)
    kwargs = {"title": "t", "question": "q", "summary": "s", "referral_id": referral.pk}
    with pytest.raises(NotFound), world.at():
        svc.consultation_open(
            actor=u["outsider"], participant_agency_ids=[world.agencies["fc-msa"].pk], **kwargs
        )
    with pytest.raises(InvalidInput), world.at():
        svc.consultation_open(
            actor=u["officer"], participant_agency_ids=[world.agencies["fc-msa"].pk], **kwargs
        )
