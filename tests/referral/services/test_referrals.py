"""Opening a referral, its case record, attachments, penalties and the review extension."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from referral import lifecycle
from referral.models import AuditEvent, ClockState, Notification, Referral, Role
from referral.services import referrals as case
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from referral.services.transitions import run_transition
from tests.factories import UserFactory

S = lifecycle.Status


def test_create_routes_to_same_level_police_and_procuratorate(world):
    referral = world.new_referral()
    assert referral.agency == world.agencies["fc-msa"]
    assert referral.police_agency == world.agencies["fc-police"]
    assert referral.procuratorate == world.agencies["fc-proc"]
    assert referral.status == S.ADMIN_CASE_UNDER_INVESTIGATION
    assert referral.reference.startswith("XJ-2026-")
    event = AuditEvent.objects.get(referral=referral)
    assert (event.action, event.to_status) == ("create", S.ADMIN_CASE_UNDER_INVESTIGATION)


@pytest.mark.parametrize(
    "who",
    [("fc-msa", Role.AGENCY_HEAD), ("fc-police", Role.POLICE_INTAKE), ("fc-proc", Role.PROCURATOR)],
)
def test_create_by_anyone_but_an_agency_officer_is_denied(world, who):
    with pytest.raises(PermissionDenied):
        case.referral_create(actor=world.user(*who), title="案")
    assert not Referral.objects.exists()


def test_create_without_title_is_refused_in_chinese(world):
    with pytest.raises(InvalidInput) as exc:
        case.referral_create(actor=world.user("fc-msa", Role.CASE_OFFICER), title="  ")
    assert str(exc.value) == "请填写案件名称。"


def test_officer_may_pick_another_competent_police_organ_at_transfer(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer", police_agency_id=world.agencies["my-police"].pk)
    referral.refresh_from_db()
    assert referral.police_agency == world.agencies["my-police"]
    assert referral.procuratorate_copied_at is not None
    # The organ now holding it signs; the default organ sees nothing.
    with world.at(), pytest.raises(NotFound):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_INTAKE),
            name="sign_receipt",
        )
    world.do(referral, "sign_receipt")
    assert (
        referral.clocks.get(rule="police_filing_decision").owner_agency
        == world.agencies["my-police"]
    )


def test_transfer_to_a_non_police_agency_is_refused(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    with pytest.raises(InvalidInput):
        world.do(referral, "transfer", police_agency_id=world.agencies["fc-proc"].pk)


def test_transfer_without_the_five_items_is_refused(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    with world.at(), pytest.raises(Exception) as exc:
        run_transition(
            referral_id=referral.pk, actor=world.user("fc-msa", Role.CASE_OFFICER), name="transfer"
        )
    assert "五" in str(exc.value) or "five" in str(exc.value)
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_APPROVED


def test_refusal_without_reason_is_refused_and_nothing_changes(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    before = AuditEvent.objects.count()
    with world.at(), pytest.raises(InvalidInput):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-msa", Role.AGENCY_HEAD),
            name="refuse_transfer",
            reason="   ",
        )
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_REPORT_PENDING_APPROVAL
    assert AuditEvent.objects.count() == before


def test_forward_moves_the_case_and_restarts_police_clocks(world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    world.do(referral, "forward_to_competent_police")
    referral.refresh_from_db()
    assert referral.police_agency == world.agencies["my-police"]
    assert not referral.clocks.open().exists() or set(
        referral.clocks.open().values_list("rule", flat=True)
    ) <= {"close_file"}
    world.do(referral, "sign_receipt")
    open_rules = set(referral.clocks.open().values_list("rule", "owner_agency__code"))
    assert open_rules == {
        ("police_intake_check", "my-police"),
        ("police_filing_decision", "my-police"),
    }


def test_forward_to_the_same_organ_is_refused(world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    with pytest.raises(InvalidInput):
        world.do(
            referral, "forward_to_competent_police", police_agency_id=world.agencies["fc-police"].pk
        )


def test_case_record_is_frozen_once_transferred(world):
    referral = world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    with pytest.raises(IllegalTransition):
        case.referral_update_case(
            referral_id=referral.pk, actor=world.user("fc-msa", Role.CASE_OFFICER), facts="改"
        )


def test_case_record_edit_by_police_is_denied(world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    with pytest.raises(PermissionDenied):
        case.referral_update_case(
            referral_id=referral.pk, actor=world.user("fc-police", Role.POLICE_INTAKE), facts="改"
        )


def test_case_update_records_old_and_new_values(world):
    referral = world.new_referral()
    case.referral_update_case(
        referral_id=referral.pk,
        actor=world.user("fc-msa", Role.CASE_OFFICER),
        amount_involved=Decimal("200000.00"),
    )
    event = AuditEvent.objects.filter(referral=referral, action="update_case").get()
    assert event.payload["changes"]["amount_involved"] == {"old": "128000.00", "new": "200000.00"}


def test_case_team_must_be_the_agencys_officers(world):
    referral = world.new_referral()
    with pytest.raises(InvalidInput):
        case.case_team_set(
            referral_id=referral.pk,
            actor=world.user("fc-msa", Role.CASE_OFFICER),
            member_ids=[world.user("yx-msa", Role.CASE_OFFICER).pk],
        )


def test_submitting_the_report_needs_a_group_of_two(world):
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    case.attachment_add(
        referral_id=referral.pk,
        actor=officer,
        kind="transfer_report",
        name="report.pdf",
        data=b"%PDF-1.4 report",
    )
    with world.at(), pytest.raises(Exception, match="两名|two"):
        run_transition(referral_id=referral.pk, actor=officer, name="submit_transfer_report")


# --- attachments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\nxxxx", "image/png"),
        (b"\xff\xd8\xff\xe0xxxx", "image/jpeg"),
    ],
)
def test_attachment_type_is_judged_by_content(world, data, content_type):
    referral = world.new_referral()
    attachment = case.attachment_add(
        referral_id=referral.pk,
        actor=world.user("fc-msa", Role.CASE_OFFICER),
        kind="evidence",
        name="名字无关.exe",
        data=data,
    )
    assert attachment.content_type == content_type
    import hashlib

    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    with attachment.file.open("rb") as stored:
        assert stored.read() == data


def test_attachment_with_a_pdf_name_but_other_content_is_rejected(world):
    referral = world.new_referral()
    with pytest.raises(InvalidInput) as exc:
        case.attachment_add(
            referral_id=referral.pk,
            actor=world.user("fc-msa", Role.CASE_OFFICER),
            kind="evidence",
            name="report.pdf",
            data=b"MZ\x90\x00 not a pdf",
        )
    assert "PDF" in str(exc.value)
    assert not referral.attachments.exists()


def test_attachment_over_the_limit_is_rejected(world, settings):
    settings.XIANJIE_MAX_UPLOAD_BYTES = 1024 * 1024
    referral = world.new_referral()
    with pytest.raises(InvalidInput, match="1 MB"):
        case.attachment_add(
            referral_id=referral.pk,
            actor=world.user("fc-msa", Role.CASE_OFFICER),
            kind="evidence",
            name="a.pdf",
            data=b"%PDF-" + b"0" * (1024 * 1024),
        )


def test_docx_is_recognised_inside_its_zip(world):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", "<w/>")
    assert case.sniff_content_type(buffer.getvalue()).endswith("wordprocessingml.document")
    assert case.sniff_content_type(b"PK\x03\x04broken") is None


# --- penalties (Decree 310 art. 11) -----------------------------------------------------------


def test_penalty_may_be_recorded_after_transfer(world):
    referral = world.reach(S.FILED)
    penalty = case.penalty_record(
        referral_id=referral.pk,
        actor=world.user("fc-msa", Role.AGENCY_HEAD),
        decision_number="涪市监罚〔2026〕8号",
        decided_on=date(2026, 3, 5),
        measures="没收违法所得，罚款",
        fine_amount=Decimal("50000"),
    )
    assert penalty.referral == referral
    event = AuditEvent.objects.filter(referral=referral, action="record_penalty").get()
    assert event.payload["article"].endswith("第十一条")


def test_penalty_by_the_police_is_denied(world):
    referral = world.reach(S.FILED)
    with pytest.raises(PermissionDenied):
        case.penalty_record(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_REVIEWER),
            decision_number="x",
            decided_on=date(2026, 3, 5),
            measures="罚款",
        )


def test_penalty_without_decision_number_is_refused(world):
    referral = world.new_referral()
    with pytest.raises(InvalidInput):
        case.penalty_record(
            referral_id=referral.pk,
            actor=world.user("fc-msa", Role.CASE_OFFICER),
            decision_number=" ",
            decided_on=date(2026, 3, 5),
            measures="罚款",
        )


# --- local extension of the police review -----------------------------------------------------


def _suzhou(world):
    call_command("loaddata", "fixtures/rulesets.json", verbosity=0)
    for agency in world.agencies.values():
        if agency.code.startswith("fc-"):
            agency.region_code = "320508"  # 姑苏区, Suzhou
            agency.save()


def _request_extension(world, referral, rule="police_review_clue_check"):
    with world.at():
        case.referral_request_review_extension(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_REVIEWER),
            rule=rule,
            reason="线索需要核实，申请延长审查期限。",
        )


def test_review_extension_follows_the_local_rule_set(world):
    _suzhou(world)
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    received = referral.clocks.get(rule="police_filing_decision")
    _request_extension(world, referral)
    with world.at():
        case.referral_extend_review(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_HEAD),
            rule="police_review_clue_check",
            reason="线索需要核实",
        )
    received.refresh_from_db()
    assert received.state == ClockState.CANCELLED
    extended = referral.clocks.get(rule="police_review_clue_check")
    assert (extended.amount, extended.ruleset, extended.started_at) == (
        7,
        "suzhou",
        received.started_at,
    )
    assert extended.due_at > received.due_at
    # Both steps audited with their actors (MPS rules art. 178: the officer asks, the head
    # approves).
    events = referral.events.filter(
        action__in=("request_review_extension", "extend_review")
    ).order_by("seq")
    assert [(e.action, e.actor.username) for e in events] == [
        ("request_review_extension", "fc-police_reviewer"),
        ("extend_review", "fc-police_head"),
    ]
    assert events[1].payload["request"] == events[0].seq
    assert case.extension_request_pending(referral) is None
    # The police head was told the request awaited them.
    told = Notification.objects.filter(referral=referral, title__contains="延长审查期限")
    assert list(told.values_list("recipient__username", flat=True)) == ["fc-police_head"]


def test_review_extension_where_no_local_rule_allows_it_is_refused(world):
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    with world.at(), pytest.raises(InvalidInput):
        case.referral_request_review_extension(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_REVIEWER),
            rule="police_review_major",
            reason="重大案件",
        )
    assert referral.clocks.get(rule="police_filing_decision").state == ClockState.RUNNING
    assert not referral.events.filter(action="request_review_extension").exists()


def test_the_police_head_extends_only_on_the_reviewers_request(world):
    _suzhou(world)
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    head = world.user("fc-police", Role.POLICE_HEAD)
    with world.at(), pytest.raises(IllegalTransition):
        case.referral_extend_review(
            referral_id=referral.pk, actor=head, rule="police_review_clue_check", reason="同意"
        )
    _request_extension(world, referral)
    with world.at(), pytest.raises(IllegalTransition):  # one request at a time
        case.referral_request_review_extension(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_REVIEWER),
            rule="police_review_clue_check",
            reason="再次申请",
        )


def test_the_police_head_refuses_an_extension_and_the_period_runs_on(world):
    _suzhou(world)
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    _request_extension(world, referral)
    for role in (Role.POLICE_REVIEWER, Role.POLICE_INTAKE):
        with world.at(), pytest.raises(PermissionDenied):
            case.referral_refuse_review_extension(
                referral_id=referral.pk, actor=world.user("fc-police", role), reason="不同意"
            )
    with world.at():
        case.referral_refuse_review_extension(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_HEAD),
            reason="现有材料足以作出决定，不予延长。",
        )
    assert referral.clocks.get(rule="police_filing_decision").state == ClockState.RUNNING
    assert not referral.clocks.filter(rule="police_review_clue_check").exists()
    refused = referral.events.get(action="refuse_review_extension")
    assert (refused.actor.username, refused.payload["rule"]) == (
        "fc-police_head",
        "police_review_clue_check",
    )
    assert case.extension_request_pending(referral) is None


@pytest.mark.parametrize("role", [Role.POLICE_INTAKE, Role.POLICE_HEAD])
def test_an_extension_is_asked_for_by_the_reviewer_only(world, role):
    _suzhou(world)
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    with world.at(), pytest.raises(PermissionDenied):
        case.referral_request_review_extension(
            referral_id=referral.pk,
            actor=world.user("fc-police", role),
            rule="police_review_clue_check",
            reason="x",
        )
    for user in (
        world.user("fc-msa", Role.CASE_OFFICER),
        world.user("my-police", "police_reviewer"),
    ):
        with world.at(), pytest.raises((PermissionDenied, NotFound)):
            case.referral_request_review_extension(
                referral_id=referral.pk, actor=user, rule="police_review_clue_check", reason="x"
            )


@pytest.mark.parametrize("role", [Role.POLICE_INTAKE, Role.POLICE_REVIEWER])
def test_review_extension_by_anyone_but_the_police_head_is_denied(world, role):
    """Extensions are approved by the county-level police head (MPS rules art. 178)."""
    _suzhou(world)
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    _request_extension(world, referral)
    with world.at(), pytest.raises(PermissionDenied):
        case.referral_extend_review(
            referral_id=referral.pk,
            actor=world.user("fc-police", role),
            rule="police_review_clue_check",
            reason="x",
        )
    assert referral.clocks.get(rule="police_filing_decision").state == ClockState.RUNNING


def test_local_rule_sets_change_the_clock_period(world):
    _suzhou(world)
    referral = world.reach(S.TRANSFER_DEMANDED)
    clock = referral.clocks.get(rule="transfer_after_demand")
    assert (clock.amount, clock.ruleset) == (3, "suzhou")


def test_inactive_user_cannot_act(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    head.is_active = False
    head.save()
    with world.at(), pytest.raises(PermissionDenied):
        run_transition(referral_id=referral.pk, actor=head, name="approve_transfer")


def test_user_with_role_but_no_agency_sees_nothing(world):
    referral = world.new_referral()
    drifter = UserFactory(username="drifter", agency=None, roles=[Role.CASE_OFFICER])
    with world.at(), pytest.raises(NotFound):
        run_transition(referral_id=referral.pk, actor=drifter, name="find_suspected_crime")
