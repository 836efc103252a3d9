"""The demo's joint meeting: 涪城区's three agencies met for the last quarter, the minutes were
confirmed and issued, the bureau has done its follow-up item and the police's is overdue.
Seeded through the services, as a user would have done it, with time frozen at each moment."""

from datetime import timedelta

from django.db.models import Max

from . import access
from .models import Agency, AgendaKind, Meeting, MeetingKind, Referral, User
from .services import meetings as svc
from .timeutil import frozen_now, now

DECISIONS = (
    (
        "建立季度案件信息通报制度，各单位每季度末前报送移送、立案、监督数据。",
        "《行政执法机关移送涉嫌犯罪案件的规定》第十四条",
    ),
    (
        "对涉罂粟壳调味品案件实行联合督办，公安机关对已移送案件加快审查。",
        "《食品药品行政执法与刑事司法衔接工作办法》第三十条",
    ),
)


def seed_demo_meeting() -> Meeting:
    """Convened by 涪城区人民检察院 20 days ago for the 90 days before it; the minutes issued
    three days later; follow-ups due ten days ago, the bureau's done, the police's open."""
    procurator = User.objects.get(username="fc_procurator")
    officer = User.objects.get(username="fc_officer")
    reviewer = User.objects.get(username="fc_reviewer")
    msa, police = (Agency.objects.get(code=c) for c in ("fc-msa", "fc-police"))
    held = now() - timedelta(days=20)
    with frozen_now(held):
        meeting = svc.meeting_convene(
            actor=procurator,
            kind=MeetingKind.REGULAR,
            title=f"{held.year}年第{(held.month - 1) // 3 + 1}季度行政执法与刑事司法衔接联席会议",
            held_at=held,
            place="涪城区人民检察院三楼会议室",
            chair="王检察长",
            period_start=(held - timedelta(days=90)).date(),
            period_end=held.date(),
            invited_agency_ids=[msa.pk, police.pk],
        )
        for agency, names in ((msa, "张明 副局长"), (police, "赵强 大队长")):
            svc.meeting_attendance_set(
                actor=procurator,
                meeting_id=meeting.pk,
                agency_id=agency.pk,
                attended=True,
                attendees=names,
            )
        _agenda(meeting, procurator, officer, reviewer)
        for text, basis in DECISIONS:
            svc.meeting_decision_add(
                actor=procurator, meeting_id=meeting.pk, text=text, basis=basis
            )
        items = [
            svc.meeting_follow_up_add(
                actor=procurator,
                meeting_id=meeting.pk,
                action=action,
                owner_agency_id=agency.pk,
                owner_person=person,
                due_at=held + timedelta(days=10),
            )
            for action, agency, person in (
                ("报送本季度不予立案案件清单及理由", police, "赵强"),
                ("完成涉案辣椒油样品补充检验", msa, "张明"),
            )
        ]
        svc.meeting_circulate(actor=procurator, meeting_id=meeting.pk)
    with frozen_now(held + timedelta(days=2)):
        for user in (procurator, officer, reviewer):
            svc.meeting_confirm(actor=user, meeting_id=meeting.pk)
    with frozen_now(held + timedelta(days=3)):
        svc.meeting_issue(actor=procurator, meeting_id=meeting.pk)
    with frozen_now(held + timedelta(days=8)):
        svc.follow_up_complete(actor=officer, follow_up_id=items[1].pk, note="检验报告已出具并移送")
    return meeting


def _agenda(meeting, procurator, officer, reviewer) -> None:
    visible = access.referrals_visible_to(
        procurator, Referral.objects.filter(agency__code="fc-msa")
    )
    latest = visible.aggregate(pk=Max("pk"))["pk"]
    if latest is not None:
        item = svc.meeting_agenda_add(
            actor=procurator,
            meeting_id=meeting.pk,
            kind=AgendaKind.REFERRAL,
            text="",
            referral_id=latest,
        )
        svc.meeting_opinion_set(
            actor=officer,
            meeting_id=meeting.pk,
            item_id=item.pk,
            text="已按规定移送，请公安机关及时反馈。",
        )
        svc.meeting_opinion_set(
            actor=reviewer,
            meeting_id=meeting.pk,
            item_id=item.pk,
            text="正在审查，将在法定期限内作出决定。",
        )
    topic = svc.meeting_agenda_add(
        actor=procurator,
        meeting_id=meeting.pk,
        kind=AgendaKind.TOPIC,
        text="调味品中罂粟壳成分的检验认定与移送标准",
    )
    svc.meeting_opinion_set(
        actor=officer, meeting_id=meeting.pk, item_id=topic.pk, text="建议统一检验认定程序。"
    )
