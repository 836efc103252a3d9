"""Service of documents (DOMAIN.md §9.1): every document sent has a service record; the periods
the texts count from the receipt start when the addressee signs for it (or the sender records a
paper service), not at the issue; signing for the transfer letter is the police's sign_receipt."""

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from referral import deadlines, lifecycle
from referral.models import AuditEvent, ClockState, Role, ServiceMethod, ServiceRecord
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from referral.services.service_records import services_warn_unreceived
from referral.services.signing import document_record_paper_service, document_sign_for
from tests.factories import SHANGHAI

S = lifecycle.Status

# (clock, the state before the step, the step that sends the document, its type, who signs)
RECEIPT_CLOCKS = [
    ("items_handover", S.FILING_PROPOSED, "file_case", "filing_notice", "fc-msa"),
    (
        "reconsideration_window",
        S.NON_FILING_PROPOSED,
        "decline_filing",
        "non_filing_notice",
        "fc-msa",
    ),
    (
        "reconsideration_decision",
        S.NOT_FILED,
        "request_reconsideration",
        "reconsideration_request",
        "fc-police",
    ),
    (
        "supervision_request_window",
        S.RECONSIDERATION_UPHOLD_PROPOSED,
        "reconsider_uphold",
        "reconsideration_decision",  # the 复议决定通知书 (Decree 310 art. 9 para. 2)
        "fc-msa",
    ),
    (
        "police_explanation",
        S.SUPERVISION_UNDER_REVIEW,
        "request_explanation",
        "explanation_requirement",
        "fc-police",
    ),
    ("ordered_filing", S.FILING_ORDER_PROPOSED, "order_filing", "notice_to_file", "fc-police"),
]
SIGNER_ROLE = {"fc-msa": Role.CASE_OFFICER, "fc-police": Role.POLICE_REVIEWER}


def _send(world, source, step):
    referral = world.reach(source)
    world.sign_at_once = False
    world.do(referral, step)
    return referral, referral.documents.order_by("-pk").first()


@pytest.mark.parametrize(("rule", "source", "step", "doc_type", "addressee"), RECEIPT_CLOCKS)
def test_clock_runs_from_the_receipt_not_the_issue(world, rule, source, step, doc_type, addressee):
    referral, document = _send(world, source, step)
    assert document.doc_type == doc_type
    record = document.service
    assert (record.addressee.code, record.sent_at, record.received_at) == (
        addressee,
        document.issued_at,
        None,
    )
    assert not referral.clocks.filter(rule=rule).exists(), "started at the issue"

    # Received two days and five hours after the issue: the period counts from then.
    world.advance(days=2, hours=3)
    received = world.t
    with world.at():
        document_sign_for(
            actor=world.user(addressee, SIGNER_ROLE[addressee]), document_id=document.pk
        )
    clock = referral.clocks.get(rule=rule)
    assert clock.state == ClockState.RUNNING
    assert clock.started_at == received
    assert clock.due_at == deadlines.compute_due(received, clock.amount, clock.unit)
    assert clock.due_at > deadlines.compute_due(document.issued_at, clock.amount, clock.unit)
    record.refresh_from_db()
    assert (record.received_at, record.method, record.recorded_by) == (
        received,
        ServiceMethod.SIGNED,
        world.user(addressee, SIGNER_ROLE[addressee]),
    )
    event = AuditEvent.objects.filter(referral=referral, action="receive_document").latest("seq")
    assert (event.payload["document"], event.payload["clocks_started"][0]["rule"]) == (
        document.pk,
        rule,
    )


def test_a_document_received_later_moves_the_due_date(world):
    """3 days from receipt of the non-filing notice (Decree 310 art. 9): received on Friday
    2026-03-06, the window ends on Monday 03-09 at the day's end; had it started at the issue on
    Tuesday 03-03 it would have ended on Friday 03-06."""
    world.t = datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI)
    referral = world.reach(S.NON_FILING_PROPOSED)
    world.sign_at_once = False
    world.do(referral, "decline_filing")
    document = referral.documents.get(doc_type="non_filing_notice")
    world.t = datetime(2026, 3, 6, 15, 0, tzinfo=SHANGHAI)
    with world.at():
        document_sign_for(actor=world.user("fc-msa", Role.CASE_OFFICER), document_id=document.pk)
    clock = referral.clocks.get(rule="reconsideration_window")
    assert clock.due_at == datetime(2026, 3, 9, 23, 59, 59, tzinfo=SHANGHAI)
    assert document.issued_at.date() < datetime(2026, 3, 6).date()


def test_paper_service_starts_the_clock_at_the_date_on_the_receipt(world):
    referral, document = _send(world, S.FILING_PROPOSED, "file_case")
    received = document.issued_at + timedelta(days=1)
    world.advance(days=4)
    scan = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    with world.at():
        document_record_paper_service(
            actor=world.user("fc-police", Role.POLICE_REVIEWER),
            document_id=document.pk,
            received_at=received,
            scan=scan,
        )
    record = ServiceRecord.objects.get(document=document)
    assert (record.method, record.received_at, record.recorded_at) == (
        ServiceMethod.PAPER,
        received,
        world.t,
    )
    with record.receipt_scan.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 receipt"
    clock = referral.clocks.get(rule="items_handover")
    assert clock.started_at == received
    assert AuditEvent.objects.filter(referral=referral, action="record_paper_service").exists()


def test_paper_service_refuses_bad_dates_and_a_missing_scan(world):
    referral, document = _send(world, S.FILING_PROPOSED, "file_case")
    police = world.user("fc-police", Role.POLICE_REVIEWER)
    scan = SimpleUploadedFile("r.pdf", b"%PDF", content_type="application/pdf")
    with world.at():
        for when, file in (
            (world.t + timedelta(days=1), scan),
            (document.issued_at - timedelta(hours=1), scan),
            (world.t, None),
        ):
            with pytest.raises(InvalidInput):
                document_record_paper_service(
                    actor=police, document_id=document.pk, received_at=when, scan=file
                )
    assert ServiceRecord.objects.get(document=document).received_at is None


def test_only_the_addressee_signs_and_only_the_sender_records_paper(world):
    referral, document = _send(world, S.FILING_PROPOSED, "file_case")
    scan = SimpleUploadedFile("r.pdf", b"%PDF", content_type="application/pdf")
    with world.at():
        # The sender cannot sign for its own notice; the procuratorate cannot either.
        for user in (
            world.user("fc-police", Role.POLICE_REVIEWER),
            world.user("fc-proc", Role.PROCURATOR),
        ):
            with pytest.raises(PermissionDenied):
                document_sign_for(actor=user, document_id=document.pk)
        # A foreign county sees nothing.
        with pytest.raises(NotFound):
            document_sign_for(
                actor=world.user("yx-msa", Role.CASE_OFFICER), document_id=document.pk
            )
        # The addressee cannot record a paper service of what it was sent.
        with pytest.raises(PermissionDenied):
            document_record_paper_service(
                actor=world.user("fc-msa", Role.CASE_OFFICER),
                document_id=document.pk,
                received_at=world.t,
                scan=scan,
            )
        document_sign_for(actor=world.user("fc-msa", Role.CASE_OFFICER), document_id=document.pk)
        with pytest.raises(IllegalTransition):
            document_sign_for(actor=world.user("fc-msa", Role.AGENCY_HEAD), document_id=document.pk)
    assert referral.clocks.filter(rule="items_handover").count() == 1


def test_a_notice_received_after_its_obligation_ended_starts_nothing(world):
    referral, document = _send(world, S.NON_FILING_PROPOSED, "decline_filing")
    world.do(referral, "accept_non_filing")
    with world.at():
        document_sign_for(actor=world.user("fc-msa", Role.CASE_OFFICER), document_id=document.pk)
    assert not referral.clocks.filter(rule="reconsideration_window").exists()


def test_the_transfer_letter_is_signed_for_with_sign_receipt_only(world):
    referral = world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    letter = referral.documents.get(doc_type="transfer_letter")
    with world.at():
        with pytest.raises(IllegalTransition):
            document_sign_for(actor=world.user("fc-msa", Role.CASE_OFFICER), document_id=letter.pk)
        with pytest.raises(IllegalTransition):
            document_record_paper_service(
                actor=world.user("fc-msa", Role.CASE_OFFICER),
                document_id=letter.pk,
                received_at=world.t,
                scan=SimpleUploadedFile("r.pdf", b"%PDF"),
            )
        # Not from the documents list: the receipt step records the checklist (Decree 310 art 6).
        with pytest.raises(IllegalTransition):
            document_sign_for(
                actor=world.user("fc-police", Role.POLICE_INTAKE), document_id=letter.pk
            )
    signed = world.t
    world.do(referral, "sign_receipt", actor=world.user("fc-police", Role.POLICE_INTAKE))
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED_BY_POLICE
    records = ServiceRecord.objects.filter(document__referral=referral)
    assert {r.document.doc_type for r in records} == {
        "transfer_letter",
        "investigation_report_cover",
        "seized_item_list",
    }
    assert all(r.received_at == signed for r in records)
    assert referral.clocks.get(rule="police_filing_decision").started_at == signed


def test_the_sign_receipt_step_marks_the_transfer_letter_received(world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    record = ServiceRecord.objects.get(
        document__referral=referral, document__doc_type="transfer_letter"
    )
    event = AuditEvent.objects.get(referral=referral, action="sign_receipt")
    assert record.received_at == event.created_at
    assert record.recorded_by == world.user("fc-police", Role.POLICE_INTAKE)


@override_settings(XIANJIE_SERVICE_WARNING_HOURS=24)
def test_the_sender_is_warned_once_of_an_unreceived_document(world):
    referral, document = _send(world, S.FILING_PROPOSED, "file_case")
    assert services_warn_unreceived(at=document.issued_at + timedelta(hours=23)) == 0
    at = document.issued_at + timedelta(hours=25)
    assert services_warn_unreceived(at=at) == 1
    assert services_warn_unreceived(at=at) == 0
    assert ServiceRecord.objects.get(document=document).warned_at == at
    event = AuditEvent.objects.get(referral=referral, action="service_unreceived_warning")
    assert event.payload["doc_type"] == "filing_notice"


def test_an_internal_record_is_never_sent(world):
    """The transfer approval record stays in the agency: no service record, nothing to sign."""
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    world.sign_at_once = False
    world.do(referral, "approve_transfer")
    record = referral.documents.get(doc_type="transfer_approval_record")
    assert record.type.internal
    assert not ServiceRecord.objects.filter(document=record).exists()
