"""Case consultation (案件会商, DOMAIN.md §4.1–4.2): an agency that sees a referral opens a
thread on it with chosen participants from other agencies, sharing a summary and chosen
attachments; the participants reply; the opening agency closes it with a conclusion.

Every write locks the consultation (the opening: its referral) first and appends its audit
event, on the referral, in the same transaction: the case timeline shows the consultation
opened and concluded. Reads of the shared attachments are recorded like any attachment read
(services.referrals.attachment_read, one AttachmentRead row each).
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import access, consultation_access
from ..meeting_access import CASE_ROLES
from ..models import (
    Agency,
    Consultation,
    ConsultationParticipant,
    ConsultationReply,
    ConsultationState,
)
from ..timeutil import now
from . import coordination_notifications as notify
from .audit import audit_append
from .errors import IllegalTransition, InvalidInput, PermissionDenied


def consultation_open(
    *,
    actor,
    referral_id: int,
    title: str,
    question: str,
    summary: str,
    participant_agency_ids: list[int],
    attachment_ids: list[int] = (),
) -> Consultation:
    """Opens a consultation on a referral the actor's agency sees (before its transfer too)
    with other agencies, sharing `summary` and the chosen attachments of the referral."""
    if not any(map(actor.has_role, CASE_ROLES)):
        raise PermissionDenied(_("Only case handlers open a consultation."))
    if not (title.strip() and question.strip() and summary.strip()):
        raise InvalidInput(_("Give the title, the question and the summary to share."))
    ids = sorted(set(participant_agency_ids) - {actor.agency_id})
    if not ids:
        raise InvalidInput(_("Invite at least one other agency."))
    if Agency.objects.filter(pk__in=ids).count() != len(ids):
        raise InvalidInput(_("Unknown agency."))
    with transaction.atomic():
        referral = access.referral_lock_for_user(user=actor, referral_id=referral_id)
        attachments = list(referral.attachments.filter(pk__in=set(attachment_ids)))
        if len(attachments) != len(set(attachment_ids)):
            raise InvalidInput(_("Only the case's own attachments can be shared."))
        at = now()
        consultation = Consultation.objects.create(
            referral=referral,
            opening_agency_id=actor.agency_id,
            opened_by=actor,
            opened_at=at,
            title=title.strip(),
            question=question.strip(),
            summary=summary.strip(),
        )
        consultation.shared_attachments.set(attachments)
        ConsultationParticipant.objects.bulk_create(
            ConsultationParticipant(consultation=consultation, agency_id=i) for i in ids
        )
        _audit(
            consultation,
            "consultation_open",
            actor,
            at,
            title.strip(),
            agencies=ids,
            attachments=[a.pk for a in attachments],
        )
        notify.notify_consultation_opened(consultation=consultation, actor=actor, at=at)
    return consultation


def consultation_reply(*, actor, consultation_id: int, text: str) -> ConsultationReply:
    """The opening agency or a participant replies in an open consultation."""
    if not text.strip():
        raise InvalidInput(_("Write the reply."))
    with transaction.atomic():
        consultation = _lock_open(actor, consultation_id)
        at = now()
        reply = ConsultationReply.objects.create(
            consultation=consultation,
            author=actor,
            agency_id=actor.agency_id,
            text=text.strip(),
            created_at=at,
        )
        _audit(consultation, "consultation_reply", actor, at, reply=reply.pk)
        notify.notify_consultation_reply(consultation=consultation, reply=reply, actor=actor)
    return reply


def consultation_close(*, actor, consultation_id: int, conclusion: str) -> Consultation:
    """The opening agency records the conclusion and closes the consultation."""
    if not conclusion.strip():
        raise InvalidInput(_("Give the conclusion."))
    with transaction.atomic():
        consultation = _lock_open(actor, consultation_id)
        if not consultation_access.is_opening_side(actor, consultation):
            raise PermissionDenied(_("Only the agency that opened the consultation concludes it."))
        at = now()
        consultation.state = ConsultationState.CLOSED
        consultation.conclusion, consultation.closed_at = conclusion.strip(), at
        consultation.save(update_fields=["state", "conclusion", "closed_at"])
        _audit(consultation, "consultation_close", actor, at, conclusion.strip())
        notify.notify_consultation_closed(consultation=consultation, actor=actor, at=at)
    return consultation


def _lock_open(actor, consultation_id: int) -> Consultation:
    consultation = consultation_access.consultation_lock_for_user(
        user=actor, consultation_id=consultation_id
    )
    if consultation.state != ConsultationState.OPEN:
        raise IllegalTransition(_("The consultation is concluded."))
    return consultation


def _audit(consultation, action: str, actor, at: datetime, reason: str = "", **payload) -> None:
    audit_append(
        action=action,
        at=at,
        actor=actor,
        referral=consultation.referral,
        reason=reason,
        payload={"consultation": consultation.pk, **payload},
    )
