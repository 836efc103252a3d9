from datetime import datetime, timedelta

import pytest

from referral import lifecycle, meeting_selectors
from referral.models import AuditEvent, Document, FollowUp, MinutesStatus, RenderState
from referral.services import meetings as svc
from referral.services.audit import audit_verify
from referral.services.errors import IllegalTransition, NotFound, PermissionDenied
from tests.factories import SHANGHAI

from .helpers import PERIOD, convene, drafted, issued, users

S = lifecycle.Status


def test_convene_prefills_each_agencys_report_from_its_referrals(world):
    world.reach(S.FILED)  # transfer, receipt and filing, all in the period
    world.reach(S.NOT_FILED)  # a second transfer, declined
    meeting = convene(world)

    reports = {r.agency.code: r for r in meeting.reports.select_related("agency")}
    assert set(reports) == {"fc-proc", "fc-msa", "fc-police", "my-police"}
    msa = reports["fc-msa"]
    assert (msa.transferred, msa.received, msa.filed, msa.not_filed) == (2, 2, 1, 1)
    assert reports["fc-police"].filed == 1 and reports["fc-police"].not_filed == 1
    assert reports["my-police"].transferred == 0  # stands on no side of them
    assert meeting.participants.get(agency=world.agencies["fc-proc"]).attended


def test_figures_cost_two_queries_however_many_referrals(world, django_assert_num_queries):
    for _ in range(3):
        world.reach(S.FILED)
    agency = world.agencies["fc-msa"]
    # One aggregate over the audit trail for the six step figures + one count of clocks.
    with django_assert_num_queries(2):
        figures = meeting_selectors.situation_figures(
            agency_id=agency.pk, start=PERIOD[0], end=PERIOD[1]
        )
    assert figures["transferred"] == 3 and figures["filed"] == 3


def test_an_agency_corrects_its_own_report_only(world):
    u = users(world)
    meeting = convene(world)
    with world.at():
        svc.meeting_attendance_set(
            actor=u["proc"], meeting_id=meeting.pk, agency_id=u["msa"].agency_id, attended=True
        )
        report = svc.meeting_report_update(
            actor=u["msa"], meeting_id=meeting.pk, transferred=5, note="另有2件线索"
        )
    assert report.agency_id == u["msa"].agency_id and report.transferred == 5


def test_minutes_flow_convened_confirmed_issued(world, after_commit):
    referral = world.reach(S.FILED)
    meeting, document = issued(world, after_commit, referral)

    assert meeting.minutes_status == MinutesStatus.ISSUED and meeting.issued_at
    assert document.meeting_id == meeting.pk and document.referral_id is None
    assert document.issuing_agency == world.agencies["fc-proc"]
    assert document.number.endswith("〔2026〕1号") and "纪" in document.number
    assert document.render_state == RenderState.DONE and document.sha256
    assert meeting.agenda.get().referral == referral
    actions = list(
        AuditEvent.objects.filter(payload__meeting=meeting.pk).values_list("action", flat=True)
    )
    assert actions[0] == "meeting_convene" and "meeting_circulate" in actions
    assert actions.count("meeting_confirm") == 3
    assert {"meeting_issue", "issue_document", "render_document"} <= set(actions)
    assert audit_verify() is None


def test_minutes_numbering_is_gap_free_per_agency_and_year(world, after_commit):
    _, first = issued(world, after_commit)
    _, second = issued(world, after_commit)
    assert (first.serial, second.serial) == (1, 2)


def test_issue_waits_for_every_attending_agency_until_the_period_runs_out(world, after_commit):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
        svc.meeting_confirm(actor=u["msa"], meeting_id=meeting.pk)
        svc.meeting_comment(actor=u["police"], meeting_id=meeting.pk, comment="第二项时限偏紧")
        with pytest.raises(IllegalTransition):
            svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)
    meeting.refresh_from_db()
    # Five working days from Monday 2 March 2026 end on Monday 9 March at 23:59:59.
    assert meeting.confirm_due_at == datetime(2026, 3, 9, 23, 59, 59, tzinfo=SHANGHAI)
    world.t = meeting.confirm_due_at + timedelta(seconds=1)
    with world.at(), after_commit():
        svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.ISSUED


def test_issued_minutes_are_frozen(world, after_commit):
    u = users(world)
    meeting, _ = issued(world, after_commit)
    with world.at(), pytest.raises(IllegalTransition):
        svc.meeting_decision_add(actor=u["proc"], meeting_id=meeting.pk, text="追加")
    with world.at(), pytest.raises(IllegalTransition):
        svc.meeting_confirm(actor=u["msa"], meeting_id=meeting.pk)


def test_confirm_period_is_configurable(world, settings):
    settings.XIANJIE_MEETING_CONFIRM_WORKING_DAYS = 1
    u = users(world)
    meeting = drafted(world)
    with world.at():
        meeting = svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
    # One working day from Monday 2 March 2026.
    assert meeting.confirm_due_at == datetime(2026, 3, 3, 23, 59, 59, tzinfo=SHANGHAI)


# --- Deny ------------------------------------------------------------------------------------


def test_non_attending_agency_cannot_edit(world):
    u = users(world)
    meeting = drafted(world)
    item = meeting.agenda.get()
    with world.at():
        with pytest.raises(PermissionDenied):
            svc.meeting_report_update(actor=u["absent"], meeting_id=meeting.pk, transferred=1)
        with pytest.raises(PermissionDenied):
            svc.meeting_opinion_set(
                actor=u["absent"], meeting_id=meeting.pk, item_id=item.pk, text="意见"
            )


def test_non_attending_agency_cannot_confirm(world):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
        with pytest.raises(PermissionDenied):
            svc.meeting_confirm(actor=u["absent"], meeting_id=meeting.pk)
        with pytest.raises(PermissionDenied):
            svc.meeting_comment(actor=u["absent"], meeting_id=meeting.pk, comment="意见")


def test_only_the_convening_agency_runs_the_meeting(world):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        with pytest.raises(PermissionDenied):
            svc.meeting_decision_add(actor=u["msa"], meeting_id=meeting.pk, text="决定")
        with pytest.raises(PermissionDenied):
            svc.meeting_circulate(actor=u["police"], meeting_id=meeting.pk)


def test_an_uninvited_agency_finds_no_meeting(world):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        with pytest.raises(NotFound):
            svc.meeting_confirm(actor=u["outsider"], meeting_id=meeting.pk)
        with pytest.raises(NotFound):
            svc.meeting_decision_add(actor=u["outsider"], meeting_id=meeting.pk, text="x")


def test_a_failed_write_leaves_no_audit_event(world):
    u = users(world)
    meeting = drafted(world)
    before = AuditEvent.objects.count()
    with world.at(), pytest.raises(PermissionDenied):
        svc.meeting_decision_add(actor=u["msa"], meeting_id=meeting.pk, text="决定")
    assert AuditEvent.objects.count() == before


# --- Follow-up items -------------------------------------------------------------------------


def test_follow_up_overdue_done_and_carried_to_the_next_agenda(world, after_commit):
    u = users(world)
    meeting, _ = issued(world, after_commit)
    police_item, msa_item = meeting.follow_ups.order_by("position")
    world.t = police_item.due_at + timedelta(minutes=1)
    assert police_item.is_overdue(world.t) and msa_item.is_overdue(world.t)
    with world.at():
        svc.follow_up_complete(actor=u["msa"], follow_up_id=msa_item.pk, note="已送检")
        with pytest.raises(PermissionDenied):
            svc.follow_up_complete(actor=u["msa"], follow_up_id=police_item.pk, note="x")
    msa_item.refresh_from_db()
    assert msa_item.is_done and not msa_item.is_overdue(world.t)
    assert list(FollowUp.objects.open()) == [police_item]

    following = convene(world)
    first = following.agenda.order_by("position").first()
    assert first.follow_up == police_item and first.position == 1
    assert following.agenda.count() == 1


def test_minutes_document_hangs_on_the_meeting_only(world, after_commit):
    _, document = issued(world, after_commit)
    assert Document.objects.filter(referral__isnull=True).get() == document


def test_open_items_of_a_meeting_the_convener_did_not_attend_stay_off_its_agenda(
    world, after_commit
):
    """Regression: an invited agency's open item from another area's meeting leaked, with that
    meeting's title, into the agenda of a meeting of agencies who never took part in it."""
    meeting, _ = issued(world, after_commit)  # fc-proc convened; items owned by fc agencies
    item = meeting.follow_ups.get(owner_agency=world.agencies["fc-police"])
    outsider = world.user("yx-msa", "case_officer")
    with world.at():
        other = svc.meeting_convene(
            actor=outsider,
            kind="regular",
            title="游仙区联席会议",
            held_at=world.t,
            place="会议室",
            chair="李局长",
            period_start=PERIOD[0],
            period_end=PERIOD[1],
            invited_agency_ids=[world.agencies["fc-police"].pk],
        )
    assert not other.agenda.exists()
    following = convene(world)  # fc-proc again: it took part, so its open items head the agenda
    assert item in [a.follow_up for a in following.agenda.all()]


def test_meeting_text_is_cleaned_like_every_text_that_reaches_a_document(world):
    u = users(world)
    meeting = drafted(world)
    with world.at():
        decision = svc.meeting_decision_add(
            actor=u["proc"], meeting_id=meeting.pk, text="加强\u202e联合督办\u200b", basis=""
        )
    decision.refresh_from_db()
    assert decision.text == "加强联合督办"
