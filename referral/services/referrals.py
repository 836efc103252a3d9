"""Writes to a referral's case record that do not change its status."""

import hashlib
import zipfile
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from config.request_id import current_request_id

from .. import access, deadlines, lifecycle, permissions
from ..charges import CHARGES, charge_for_text
from ..clock_rules import REVIEW_EXTENSION_RULES
from ..models import (
    AdministrativePenalty,
    Agency,
    AgencyKind,
    Attachment,
    AttachmentKind,
    AttachmentRead,
    AuditEvent,
    CaseFileRead,
    NotificationKind,
    Party,
    Referral,
    Role,
    User,
)
from ..models.referral import attachment_path
from ..text import clean_text
from ..timeutil import now
from .audit import audit_append, audit_record_change
from .base import (
    after_commit_route,
    check_record_dates,
    full_clean,
    lock_for_change,
    lock_for_edit,
)
from .clocks import clock_start, clock_summary, clocks_stop
from .errors import IllegalTransition, InvalidInput, PermissionDenied
from .notifications import holding_role, in_site_language, notifications_create, users_where

S = lifecycle.Status
# What the transfer letter and the investigation report print besides the facts (DOMAIN.md §9.5).
DOCUMENT_FIELDS = (
    "goods_value",
    "sales_amount",
    "case_source",
    "investigation_process",
    "coercive_measures",
    "evidence_list",
    "prosecution_standard",
    "contact_phone",
)
CASE_FIELDS = (
    "title",
    "facts",
    "suspected_charge",
    "charge",
    "amount_involved",
    "discovered_on",
    "offence_place",
    "is_ip_case",
    *DOCUMENT_FIELDS,
)


def referral_create(
    *,
    actor: User,
    title: str,
    kind: str = lifecycle.ReferralKind.CRIMINAL_TRANSFER,
    facts: str = "",
    suspected_charge: str = "",
    charge: str = "",
    amount_involved: Decimal | None = None,
    is_ip_case: bool = False,
    discovered_on: date | None = None,
    offence_place: str = "",
    request_id: str = "",
    **document_fields,
) -> Referral:
    """Opens a referral for an administrative case, routed to the same-level police and
    procuratorate (同级); the officer may pick another competent organ before transfer.
    `document_fields`: any of `DOCUMENT_FIELDS`, what the transfer documents print."""
    if not permissions.may_create_referral(actor):
        raise PermissionDenied(
            _("Only a case officer of an administrative agency may open a referral.")
        )
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Give the case a title."))
    if kind not in lifecycle.ReferralKind.values:
        raise InvalidInput(_("Unknown referral type."))
    unknown = set(document_fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s."), fields=", ".join(sorted(unknown)))
    charge, suspected_charge = _charge_fields(charge, suspected_charge)
    check_record_dates(discovered_on=discovered_on)
    at = now()
    with transaction.atomic():
        referral = Referral.objects.create(
            kind=kind,
            title=title,
            agency=actor.agency,
            police_agency=Agency.objects.same_level(actor.agency, AgencyKind.POLICE).first(),
            procuratorate=Agency.objects.same_level(actor.agency, AgencyKind.PROCURATORATE).first(),
            case_officer=actor,
            facts=facts,
            suspected_charge=suspected_charge,
            charge=charge,
            amount_involved=amount_involved,
            is_ip_case=is_ip_case,
            discovered_on=discovered_on,
            offence_place=offence_place,
            **{name: value for name, value in document_fields.items() if value is not None},
        )
        referral.reference = f"XJ-{at.year}-{referral.pk:06d}"
        referral.save(update_fields=["reference"])
        referral.case_team.add(actor)
        audit_append(
            action="create",
            at=at,
            actor=actor,
            referral=referral,
            to_status=referral.status,
            payload={
                "kind": kind,
                "title": title,
                "police_agency": referral.police_agency_id,
                "procuratorate": referral.procuratorate_id,
            },
            request_id=request_id,
        )
        after_commit_route(referral.pk)
    return referral


def _charge_fields(charge: str, suspected_charge: str) -> tuple[str, str]:
    """The charge's code and printed name: a code from the controlled list (charges.py) gives
    its name; a name alone is matched to the list where it names one charge."""
    if charge:
        if charge not in CHARGES:
            raise InvalidInput(_("Choose the charge from the list."))
        return charge, CHARGES[charge].name
    return charge_for_text(suspected_charge), (suspected_charge or "").strip()


def _shown(value) -> str:
    return "" if value is None else str(value)


def referral_update_case(
    *, referral_id: int, actor: User, request_id: str = "", **changes
) -> Referral:
    """Changes the case record before transfer (afterwards: a supplement); the audit event
    keeps the old and new values of what changed."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s."), fields=", ".join(sorted(unknown)))
    if "charge" in changes or "suspected_charge" in changes:
        changes["charge"], changes["suspected_charge"] = _charge_fields(
            changes.get("charge") or "", changes.get("suspected_charge", "")
        )
    with transaction.atomic():
        referral = lock_for_change(referral_id=referral_id, actor=actor)
        if "discovered_on" in changes:
            first_seizure = (
                referral.seized_items.exclude(seized_on=None)
                .order_by("seized_on")
                .values_list("seized_on", flat=True)
                .first()
            )
            check_record_dates(discovered_on=changes["discovered_on"], seized_on=first_seizure)
        before = {name: getattr(referral, name) for name in changes}
        for name, value in changes.items():
            setattr(referral, name, value)
        if not clean_text(str(referral.title)):
            raise InvalidInput(_("Give the case a title."))
        full_clean_fields(referral, changes)
        referral.save(update_fields=[*changes, "updated_at"] if changes else ["updated_at"])
        # Compared after saving: the text fields have cleaned the values (referral.text).
        diff = {
            name: {"old": _shown(old), "new": _shown(getattr(referral, name))}
            for name, old in before.items()
            if old != getattr(referral, name)
        }
        audit_record_change(referral, actor, "update_case", {"changes": diff}, request_id)
    return referral


def _label(name: str) -> str:
    try:
        return str(Referral._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def full_clean_fields(referral: Referral, changes: dict) -> None:
    """Validates the changed fields only (lengths, choices, digits) as the model states them."""
    others = [f.name for f in Referral._meta.fields if f.name not in changes]
    try:
        referral.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput(
            "; ".join(f"{_label(k)}: {' '.join(map(str, v))}" for k, v in exc.message_dict.items())
        ) from None


def party_add(*, referral_id: int, actor: User, kind: str, name: str, **fields) -> Party:
    with transaction.atomic():
        referral = lock_for_edit(referral_id=referral_id, actor=actor)
        party = Party(referral=referral, kind=kind, name=(name or "").strip(), **fields)
        full_clean(party)
        party.save()
        audit_record_change(referral, actor, "add_party", {"party": party.pk, "name": party.name})
    return party


def case_team_set(*, referral_id: int, actor: User, member_ids: list[int]) -> list[int]:
    """Appoints the special case group (专案组, Decree 310 art. 5): the agency's active officers."""
    with transaction.atomic():
        referral = lock_for_edit(referral_id=referral_id, actor=actor)
        members = list(
            User.objects.filter(pk__in=member_ids, agency_id=referral.agency_id, is_active=True)
        )
        if len(members) != len(set(member_ids)):
            raise InvalidInput(
                _("Every member must be an active officer of the transferring agency.")
            )
        referral.case_team.set(members)
        ids = sorted(m.pk for m in members)
        audit_record_change(referral, actor, "set_case_team", {"members": ids})
    return ids


# --- Attachments ------------------------------------------------------------------------------

# Accepted formats, recognised by their first bytes rather than by the file name.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
)
ZIP_FORMATS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "OFD.xml": "application/ofd",
}


def sniff_content_type(data: bytes) -> str | None:
    """The file's type judged by its content, or None when it is not an accepted format."""
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    if data.startswith(b"PK\x03\x04"):
        import io

        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        return next((ct for marker, ct in ZIP_FORMATS.items() if marker in names), None)
    return None


def attachment_add(
    *, referral_id: int, actor: User, kind: str, name: str, data: bytes, request_id: str = ""
) -> Attachment:
    """Stores an uploaded file with its SHA-256; type is checked by content, size by setting."""
    check_upload(kind=kind, data=data)
    with transaction.atomic():
        referral = lock_for_edit(referral_id=referral_id, actor=actor)
        attachment = attachment_store(
            referral=referral, actor=actor, kind=kind, name=name, data=data
        )
        audit_record_change(
            referral, actor, "add_attachment", attachment_summary(attachment), request_id
        )
    return attachment


def check_upload(*, kind: str, data: bytes) -> str:
    """The file's content type; InvalidInput for an unknown kind, an empty or too large file
    or a format not accepted."""
    if kind not in AttachmentKind.values:
        raise InvalidInput(_("Unknown attachment kind."))
    limit = settings.XIANJIE_MAX_UPLOAD_BYTES
    if not data:
        raise InvalidInput(_("The file is empty."))
    if len(data) > limit:
        raise InvalidInput(
            _("The file is larger than the limit of %(mb)d MB."), mb=limit // (1024 * 1024)
        )
    content_type = sniff_content_type(data)
    if content_type is None:
        raise InvalidInput(
            _("Only PDF, images (PNG, JPEG), Word, Excel and OFD files are accepted.")
        )
    return content_type


def attachment_store(
    *, referral: Referral, actor: User, kind: str, name: str, data: bytes, supplement=None
) -> Attachment:
    """Saves a checked upload on `referral` (locked by the caller), its content stored once."""
    attachment = Attachment(
        referral=referral,
        kind=kind,
        original_name=name[:255],
        content_type=check_upload(kind=kind, data=data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        uploaded_at=now(),
        supplement=supplement,
    )
    file_store_once(attachment, data)
    attachment.save()
    return attachment


def attachment_summary(attachment: Attachment) -> dict:
    return {
        "attachment": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "sha256": attachment.sha256,
        "size": attachment.size,
    }


def file_store_once(attachment: Attachment, data: bytes) -> None:
    """Points the attachment at its content's file, writing the file only when no attachment
    stored the same content before. A copy that no longer matches its name (altered on disk)
    is not reused: the upload is stored afresh under a name of the storage's choosing."""
    storage = attachment.file.storage
    name = attachment_path(attachment, attachment.original_name)
    if storage.exists(name) and _stored_digest(storage, name) == attachment.sha256:
        attachment.file.name = name
    else:
        attachment.file.save(name, ContentFile(data), save=False)


def _stored_digest(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def attachment_content(*, attachment: Attachment) -> bytes | None:
    """The attachment's stored bytes, or None when they no longer hash to the SHA-256 taken at
    upload: an altered copy is never handed out as the evidence."""
    with attachment.file.open("rb") as stored:
        data = stored.read()
    return data if hashlib.sha256(data).hexdigest() == attachment.sha256 else None


def attachment_read(
    *, attachment_id: int, actor: User, downloaded: bool, request_id: str = ""
) -> tuple[Attachment, bytes | None]:
    """Loads an attachment for `actor` (NotFound when they may not see its referral), records
    the read and returns the attachment with its content (None when the copy was altered).
    The read is its own append-only row, not an audit-chain event (models.AttachmentRead)."""
    attachment = access.attachment_get_for_user(user=actor, attachment_id=attachment_id)
    AttachmentRead.objects.create(
        attachment=attachment,
        reader=actor,
        reader_agency_id=actor.agency_id,
        read_at=now(),
        downloaded=downloaded,
        request_id=request_id or current_request_id(),
    )
    return attachment, attachment_content(attachment=attachment)


# --- Penalties ---------------------------------------------------------------------------------


def penalty_record(
    *,
    referral_id: int,
    actor: User,
    decision_number: str,
    decided_on: date,
    measures: str,
    fine_amount: Decimal | None = None,
    licence_revoked: bool = False,
) -> AdministrativePenalty:
    """Records a penalty. The agency may penalise before or after transfer; fines paid are later
    offset against a criminal fine (《行政执法机关移送涉嫌犯罪案件的规定》第十一条)."""
    with transaction.atomic():
        referral = lock_for_edit(referral_id=referral_id, actor=actor, any_status=True)
        if referral.status == S.CLOSED:
            raise IllegalTransition(_("The file is closed."))
        penalty = AdministrativePenalty(
            referral=referral,
            decision_number=(decision_number or "").strip(),
            decided_on=decided_on,
            measures=(measures or "").strip(),
            fine_amount=fine_amount,
            licence_revoked=licence_revoked,
            recorded_by=actor,
            recorded_at=now(),
        )
        full_clean(penalty)
        penalty.save()
        audit_record_change(
            referral,
            actor,
            "record_penalty",
            {
                "penalty": penalty.pk,
                "decision_number": penalty.decision_number,
                "fine_amount": str(fine_amount) if fine_amount is not None else None,
                "licence_revoked": licence_revoked,
                "article": "《行政执法机关移送涉嫌犯罪案件的规定》第十一条",
            },
        )
    return penalty


# --- Extending the police review where a jurisdiction allows it -------------------------------
#
# The reviewer asks, the police head extends or refuses (an officer proposes, the head approves:
# MPS rules art. 178; DOMAIN.md §9.2). The request is an audit event; while it is the latest of
# the three, it awaits the head. The period runs on meanwhile.

EXTENSION_ACTIONS = ("request_review_extension", "extend_review", "refuse_review_extension")


def extension_request_pending(referral: Referral) -> AuditEvent | None:
    """The reviewer's request for an extension that awaits the police head, or None."""
    latest = (
        AuditEvent.objects.filter(referral_id=referral.pk, action__in=EXTENSION_ACTIONS)
        .order_by("-seq")
        .first()
    )
    return extension_request_among([latest] if latest is not None else [])


def extension_request_among(events) -> AuditEvent | None:
    """`extension_request_pending` read from a referral's events already loaded, in order."""
    latest = next((e for e in reversed(events) if e.action in EXTENSION_ACTIONS), None)
    return latest if latest is not None and latest.action == EXTENSION_ACTIONS[0] else None


def _lock_for_extension(referral_id: int, actor: User, role: str) -> Referral:
    referral = access.referral_lock_for_user(user=actor, referral_id=referral_id)
    if not permissions.may_act(actor, referral, "police", role):
        if role == Role.POLICE_HEAD:
            raise PermissionDenied(
                _("Only the head of the police organ holding the case may extend the review.")
            )
        raise PermissionDenied(_("Only a case reviewer of the police organ may ask to extend."))
    if referral.status not in lifecycle.POLICE_DECISION_STATES:
        raise IllegalTransition(_("The review can be extended only while the police are deciding."))
    return referral


def referral_request_review_extension(
    *, referral_id: int, actor: User, rule: str, reason: str
) -> Referral:
    """The case reviewer asks the police head to extend the review under a local rule (e.g.
    Suzhou: 7 days when clues need checking); the head decides (`referral_extend_review` or
    `referral_refuse_review_extension`)."""
    if rule not in REVIEW_EXTENSION_RULES:
        raise InvalidInput(_("Unknown extension."))
    if not (reason or "").strip():
        raise InvalidInput(_("Give a reason for the extension."))
    with transaction.atomic():
        referral = _lock_for_extension(referral_id, actor, Role.POLICE_REVIEWER)
        if extension_request_pending(referral) is not None:
            raise IllegalTransition(_("An extension request already awaits the police head."))
        region = referral.police_agency.region_code if referral.police_agency else None
        resolved = deadlines.resolve_rule(rule, region_code=region)
        if resolved is None:
            raise InvalidInput(_("The rules of this jurisdiction provide no such extension."))
        audit_record_change(
            referral,
            actor,
            "request_review_extension",
            {"rule": rule, "article": resolved.article, "ruleset": resolved.ruleset},
            reason=clean_text(reason).strip(),
        )
        # The police head is told the request awaits them.
        heads = users_where(holding_role(referral.police_agency_id, [Role.POLICE_HEAD]))
        title = in_site_language(
            lambda: (
                _("%(ref)s: a review extension awaits your decision") % {"ref": referral.reference}
            )
        )
        notifications_create(
            recipients=[(head, NotificationKind.CASE_ARRIVED) for head in heads],
            key=f"extension:{referral.pk}:{now().isoformat()}",
            title=str(title),
            body=clean_text(reason).strip(),
            referral=referral,
            at=now(),
        )
    return referral


def referral_extend_review(*, referral_id: int, actor: User, rule: str, reason: str) -> Referral:
    """The police head grants the reviewer's request: the police decision clock is replaced by
    a local extension (e.g. Suzhou: 7 days when clues need checking, 30 days for major cases),
    counted from the original receipt. The head may grant another extension than the one
    asked; the reason is the head's approval opinion."""
    if rule not in REVIEW_EXTENSION_RULES:
        raise InvalidInput(_("Unknown extension."))
    if not (reason or "").strip():
        raise InvalidInput(_("Give a reason for the extension."))
    at = now()
    with transaction.atomic():
        # Extensions are approved by the county-level police head (MPS rules art. 178;
        # DOMAIN.md §9.2, §9.4), on the reviewer's request.
        referral = _lock_for_extension(referral_id, actor, Role.POLICE_HEAD)
        request = extension_request_pending(referral)
        if request is None:
            raise IllegalTransition(_("No request to extend the review awaits a decision."))
        current = referral.clocks.open().filter(rule__in=lifecycle.POLICE_DECISION_CLOCKS).first()
        if current is None:
            raise IllegalTransition(_("No police decision period is running."))
        cancelled = clocks_stop(
            referral,
            cancel_rules=lifecycle.POLICE_DECISION_CLOCKS,
            at=at,
            stopped_by="extend_review",
        )[1]
        clock = clock_start(
            referral, rule, at=at, started_by="extend_review", since=current.started_at
        )
        if clock is None:
            raise InvalidInput(_("The rules of this jurisdiction provide no such extension."))
        audit_record_change(
            referral,
            actor,
            "extend_review",
            {
                "rule": rule,
                "request": request.seq,
                "article": clock.article,
                "ruleset": clock.ruleset,
                "clocks_started": [clock_summary(clock)],
                "clocks_stopped": [clock_summary(c) for c in cancelled],
            },
            reason=reason.strip(),
        )
    return referral


def referral_refuse_review_extension(*, referral_id: int, actor: User, reason: str) -> Referral:
    """The police head refuses the reviewer's request; the period runs on unchanged."""
    if not (reason or "").strip():
        raise InvalidInput(_("Give a reason for the refusal."))
    with transaction.atomic():
        referral = _lock_for_extension(referral_id, actor, Role.POLICE_HEAD)
        request = extension_request_pending(referral)
        if request is None:
            raise IllegalTransition(_("No request to extend the review awaits a decision."))
        audit_record_change(
            referral,
            actor,
            "refuse_review_extension",
            {"rule": request.payload.get("rule"), "request": request.seq},
            reason=clean_text(reason).strip(),
        )
    return referral


def referral_record_view(*, referral: Referral, actor: User, request_id: str = "") -> None:
    """Records that a procurator opened the case file (procuratorial review is itself on
    record), in its own append-only table: no wait for the audit chain's lock."""
    CaseFileRead.objects.create(
        referral=referral,
        reader=actor,
        reader_agency_id=actor.agency_id,
        read_at=now(),
        request_id=request_id or current_request_id(),
    )
