"""Clue passing between stations (所所衔接 / 线索传递, DOMAIN.md §4.8): a market-supervision
station passes a clue (summary, place, parties, files) to its paired police station, which
answers within a period (`clue_response`: 3 working days by default [S], a jurisdiction's
rule set may change it); a clue that needs a formal transfer is turned into a referral of the
station's county bureau, its facts and parties copied.

Every write locks the clue first and appends its audit event in the same transaction.
"""

import hashlib
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from config.request_id import current_request_id

from .. import clue_access
from ..deadlines import compute_due, resolve_rule
from ..models import Clue, ClueAnswer, ClueAttachment, ClueParty, ClueRead, PartyKind
from ..timeutil import now
from . import coordination_notifications as notify
from .audit import audit_append
from .errors import IllegalTransition, InvalidInput, PermissionDenied
from .referrals import (
    attachment_add,
    attachment_content,
    file_store_once,
    party_add,
    referral_create,
    sniff_content_type,
)

RESPONSE_RULE = "clue_response"
# Words that make a party's name a unit's (公司, 厂 ...); anything else is a person.
UNIT_WORDS = ("公司", "厂", "店", "中心", "合作社", "商行", "经营部", "餐厅", "酒楼", "超市")


def parse_parties(text: str) -> list[tuple[str, str]]:
    """(name, ID number) from lines "name, ID number" (comma, 、 or space; the ID optional)."""
    out = []
    for line in text.splitlines():
        parts = line.replace("，", ",").replace("、", ",").replace("\t", ",").split(",", 1)
        if len(parts) == 1:
            parts = line.strip().split(None, 1)
        name = parts[0].strip() if parts else ""
        if name:
            out.append((name, parts[1].strip() if len(parts) > 1 else ""))
    return out


def clue_pass(
    *,
    actor,
    title: str,
    summary: str,
    place: str,
    parties: list[tuple[str, str]] = (),
    files: list[tuple[str, bytes]] = (),
) -> Clue:
    """The actor's station passes a clue to its paired police station; its period runs."""
    if not clue_access.may_pass_clue(actor):
        raise PermissionDenied(
            _("Only a market-supervision station paired with a police station passes clues.")
        )
    if not (title.strip() and summary.strip() and place.strip()):
        raise InvalidInput(_("Give the title, the summary and the place."))
    station = actor.agency
    stored = [_checked_file(name, data) for name, data in files]
    at = now()
    rule = resolve_rule(RESPONSE_RULE, region_code=station.region_code)
    with transaction.atomic():
        clue = Clue.objects.create(
            from_station=station,
            to_station_id=station.paired_station_id,
            title=title.strip(),
            summary=summary.strip(),
            place=place.strip(),
            passed_by=actor,
            passed_at=at,
            due_at=compute_due(at, rule.amount, rule.unit),
            ruleset=rule.ruleset,
        )
        for name, id_number in parties:
            kind = PartyKind.UNIT if any(w in name for w in UNIT_WORDS) else PartyKind.PERSON
            ClueParty.objects.create(clue=clue, kind=kind, name=name, id_number=id_number)
        for attachment, data in stored:
            attachment.clue = clue
            file_store_once(attachment, data)
            attachment.save()
        _audit(clue, "clue_pass", actor, at, due_at=clue.due_at.isoformat())
        notify.notify_clue_passed(clue=clue, actor=actor, at=at)
    return clue


def _checked_file(name: str, data: bytes) -> tuple[ClueAttachment, bytes]:
    content_type = sniff_content_type(data) if data else None
    if content_type is None:
        raise InvalidInput(
            _("Only PDF, images (PNG, JPEG), Word, Excel and OFD files are accepted.")
        )
    digest = hashlib.sha256(data).hexdigest()
    attachment = ClueAttachment(
        original_name=name[:255], content_type=content_type, size=len(data), sha256=digest
    )
    return attachment, data


def clue_answer(*, actor, clue_id: int, answer: str, reason: str = "") -> Clue:
    """The police station answers: accepted for checking, not a crime (saying why), or needs a
    formal transfer."""
    if answer not in ClueAnswer.values:
        raise InvalidInput(_("Choose the answer."))
    if answer == ClueAnswer.NOT_A_CRIME and not reason.strip():
        raise InvalidInput(_("Say why it is not a crime."))
    with transaction.atomic():
        clue = clue_access.clue_lock_for_user(user=actor, clue_id=clue_id)
        if not clue_access.may_answer_clue(actor, clue):
            raise PermissionDenied(_("Only the police station the clue went to answers it."))
        if clue.answered_at is not None:
            raise IllegalTransition(_("The clue has been answered already."))
        at = now()
        clue.answer, clue.answer_reason = answer, reason.strip()
        clue.answered_at, clue.answered_by = at, actor
        clue.save()
        _audit(clue, "clue_answer", actor, at, answer=answer, late=clue.due_at < at)
        notify.notify_clue_answered(clue=clue, actor=actor, at=at)
    return clue


def clue_to_referral(*, actor, clue_id: int):
    """The county bureau's case officer opens a referral from a clue that needs a formal
    transfer: title, facts (summary and place), parties and files copied, nothing retyped."""
    with transaction.atomic():
        clue = clue_access.clue_lock_for_user(user=actor, clue_id=clue_id)
        if not clue_access.may_make_referral(actor, clue):
            raise PermissionDenied(
                _("Only the case officers of the station's county bureau open the referral.")
            )
        if clue.answer != ClueAnswer.NEEDS_TRANSFER:
            raise IllegalTransition(
                _("Only a clue that needs a formal transfer becomes a referral.")
            )
        if clue.referral_id is not None:
            raise IllegalTransition(_("The clue is a referral already."))
        facts = f"{clue.summary}\n（线索来源：{clue.from_station.name}；地点：{clue.place}）"
        referral = referral_create(actor=actor, title=clue.title, facts=facts)
        for party in clue.parties.all():
            party_add(
                referral_id=referral.pk,
                actor=actor,
                kind=party.kind,
                name=party.name,
                id_number=party.id_number,
            )
        for attachment in clue.attachments.all():
            attachment_add(
                referral_id=referral.pk,
                actor=actor,
                kind="other_materials",
                name=attachment.original_name,
                data=attachment_content(attachment=attachment),
            )
        clue.referral = referral
        clue.save(update_fields=["referral"])
        _audit(clue, "clue_to_referral", actor, now(), referral=referral)
    return referral


def clue_read_record(*, clue: Clue, actor, attachment: ClueAttachment | None = None) -> ClueRead:
    """Records that `actor` opened the clue's page or, with `attachment`, one of its files, in
    its own append-only table (outside the audit chain, like every read). `clue` must have
    been loaded for `actor` through clue_access."""
    return ClueRead.objects.create(
        clue=clue,
        attachment=attachment,
        reader=actor,
        reader_agency_id=actor.agency_id,
        read_at=now(),
        request_id=current_request_id(),
    )


def _audit(clue: Clue, action: str, actor, at: datetime, referral=None, **payload) -> None:
    audit_append(
        action=action, at=at, actor=actor, referral=referral, payload={"clue": clue.pk, **payload}
    )
