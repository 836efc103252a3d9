"""Service of documents (送达, DOMAIN.md §9.1): a record for every document sent to another
agency, its receipt (signed for in the app by the addressee, or a paper service recorded by the
sender) and the clocks the receipt starts; a warning to the sender when a document stays
unreceived (`XIANJIE_SERVICE_WARNING_HOURS`). Called inside the caller's transaction; the
signing door that may run a step is services/signing.py."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from .. import lifecycle, permissions
from ..clock_rules import rules_started_on_receipt_of
from ..models import ClockState, Document, Referral, ServiceMethod, ServiceRecord
from ..roles import Side
from .audit import audit_append
from .clocks import clock_start

# Whom a document is sent to, where it is not the usual other side: the agency's supervision
# request goes to the procuratorate (Decree 310 art. 9 para. 2); the procuratorate's 检察意见书
# (a demand to transfer, SPP 557(3); an opinion after non-prosecution, CPL 177(3)) goes to the
# administrative agency.
ADDRESSEE_SIDE_OF_TYPE = {
    "supervision_request": Side.PROCURATORATE,
    "procuratorial_opinion": Side.AGENCY,
}
# Otherwise: the agency writes to the police, the police to the agency, the procuratorate to the
# police (SPP arts. 560, 563).
ADDRESSEE_SIDE_OF_ISSUER = {
    Side.AGENCY: Side.POLICE,
    Side.POLICE: Side.AGENCY,
    Side.PROCURATORATE: Side.POLICE,
}


def addressee_side(document: Document) -> str:
    return ADDRESSEE_SIDE_OF_TYPE.get(
        document.doc_type, ADDRESSEE_SIDE_OF_ISSUER[document.type.issuer_side]
    )


def service_records_open(*, referral: Referral, documents, step_name: str) -> list[ServiceRecord]:
    """One record per document sent, at its issue; none for an internal record (it is never
    sent) or where no agency stands on the addressee's side."""
    records = []
    for document in documents:
        if document.type.internal:
            continue
        addressee = permissions.side_agency(referral, addressee_side(document))
        if addressee is not None:
            records.append(
                ServiceRecord.objects.create(
                    document=document,
                    addressee=addressee,
                    sent_at=document.issued_at,
                    sent_by_step=step_name,
                )
            )
    return records


def service_mark_received(
    *,
    record: ServiceRecord,
    referral: Referral,
    at: datetime,
    method: str,
    actor,
    recorded_at: datetime,
    scan=None,
    request_id: str = "",
) -> list:
    """Records the receipt at `at`, starts the clocks that run from it, audits it. The caller
    holds the referral's lock and has checked the actor."""
    record.received_at, record.method = at, method
    record.recorded_by, record.recorded_at = actor, recorded_at
    if scan is not None:
        record.receipt_scan = scan
    record.save()
    started = clocks_start_on_receipt(referral=referral, record=record, at=at)
    audit_append(
        action="receive_document" if method == ServiceMethod.SIGNED else "record_paper_service",
        at=recorded_at,
        actor=actor,
        referral=referral,
        from_status=referral.status,
        to_status=referral.status,
        payload={
            "document": record.document_id,
            "doc_type": record.document.doc_type,
            "number": record.document.number,
            "addressee": record.addressee_id,
            "received_at": at.isoformat(),
            "method": method,
            "clocks_started": [
                {"rule": c.rule, "due_at": c.due_at.isoformat(), "state": c.state} for c in started
            ],
        },
        request_id=request_id,
    )
    return started


def clocks_start_on_receipt(*, referral: Referral, record: ServiceRecord, at: datetime) -> list:
    """Starts the clocks the clock rules start on the receipt of this document's type, each only
    while its obligation is still open: the referral stands where a step fulfils it
    (a non-filing notice received after reconsideration has been requested starts nothing), and
    no clock of the rule is running already (a corrected version served again)."""
    started = []
    document = record.document
    for code in rules_started_on_receipt_of(document.doc_type, record.sent_by_step):
        if referral.status not in pending_states(code):
            continue
        if referral.clocks.filter(rule=code, state__in=(ClockState.RUNNING, ClockState.OVERDUE)):
            continue
        clock = clock_start(referral, code, at=at, started_by=f"receipt:{document.doc_type}")
        if clock is not None:
            started.append(clock)
    return started


def pending_states(rule_code: str) -> frozenset[str]:
    """The states in which a step fulfils (`stops`) `rule_code`, or the reviewer proposes such a
    step to the head (MPS rules art. 178): where its obligation is open."""
    every = [t for transitions in lifecycle.transitions().values() for t in transitions]
    fulfilled = {t.source for t in every if rule_code in lifecycle.step_of(t).stops}
    proposed = {t.source for t in every if lifecycle.step_of(t).proposes and t.target in fulfilled}
    return frozenset(fulfilled | proposed)


def services_receive_for_step(*, referral: Referral, step, actor, at: datetime, request_id=""):
    """A step that is itself the receipt of documents (`Step.receives`: the police signing for
    the transfer letter) marks their open service records received, signed, at the step."""
    if not step.receives:
        return []
    records = ServiceRecord.objects.select_related("document").filter(
        document__referral=referral,
        document__doc_type__in=step.receives,
        document__superseded_at__isnull=True,
        received_at__isnull=True,
    )
    for record in records:
        service_mark_received(
            record=record,
            referral=referral,
            at=at,
            method=ServiceMethod.SIGNED,
            actor=actor,
            recorded_at=at,
            request_id=request_id,
        )
    return list(records)


def services_warn_unreceived(*, at: datetime) -> int:
    """Warns the sender, once, of each document still unreceived `XIANJIE_SERVICE_WARNING_HOURS`
    after it was sent: an audit event on the referral, and the case page shows it."""
    limit = at - timedelta(hours=settings.XIANJIE_SERVICE_WARNING_HOURS)
    candidates = ServiceRecord.objects.filter(
        received_at__isnull=True, warned_at__isnull=True, sent_at__lt=limit
    ).values_list("pk", "document__referral_id")
    count = 0
    for record_id, referral_id in list(candidates):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            record = ServiceRecord.objects.select_related("document").get(pk=record_id)
            if record.received_at is not None or record.warned_at is not None:
                continue
            record.warned_at = at
            record.save(update_fields=["warned_at"])
            audit_append(
                action="service_unreceived_warning",
                at=at,
                referral=referral,
                from_status=referral.status,
                to_status=referral.status,
                payload={
                    "document": record.document_id,
                    "doc_type": record.document.doc_type,
                    "sent_at": record.sent_at.isoformat(),
                    "addressee": record.addressee_id,
                },
            )
            count += 1
    return count
