"""A joint meeting of 涪城区's three agencies driven through the real services, shared by the
meeting tests. 绵阳市公安局 (my-police) is invited but stays away; 游仙区 (yx) is not invited."""

from datetime import date, timedelta

from referral.models import AgendaKind, MeetingKind, Role
from referral.services import meetings as svc

PERIOD = (date(2026, 1, 1), date(2026, 3, 31))


def users(world):
    return {
        "proc": world.user("fc-proc", Role.PROCURATOR),
        "msa": world.user("fc-msa", Role.CASE_OFFICER),
        "police": world.user("fc-police", Role.POLICE_REVIEWER),
        "absent": world.user("my-police", Role.POLICE_REVIEWER),
        "outsider": world.user("yx-msa", Role.CASE_OFFICER),
    }


def convene(world):
    u = users(world)
    invited = [world.agencies[c].pk for c in ("fc-msa", "fc-police", "my-police")]
    with world.at():
        meeting = svc.meeting_convene(
            actor=u["proc"],
            kind=MeetingKind.REGULAR,
            title="2026年第一季度联席会议",
            held_at=world.t,
            place="涪城区人民检察院会议室",
            chair="王检察长",
            period_start=PERIOD[0],
            period_end=PERIOD[1],
            invited_agency_ids=invited,
        )
    return meeting


def drafted(world, referral=None):
    """Convened, attendance taken, agenda, opinions, two decisions and two follow-up items."""
    u = users(world)
    meeting = convene(world)
    with world.at():
        for code, names in (("fc-msa", "张明 副局长"), ("fc-police", "赵强 大队长")):
            svc.meeting_attendance_set(
                actor=u["proc"],
                meeting_id=meeting.pk,
                agency_id=world.agencies[code].pk,
                attended=True,
                attendees=names,
            )
        item = svc.meeting_agenda_add(
            actor=u["proc"],
            meeting_id=meeting.pk,
            kind=AgendaKind.REFERRAL if referral else AgendaKind.TOPIC,
            text="" if referral else "罂粟壳案件的定性",
            referral_id=referral.pk if referral else None,
        )
        svc.meeting_opinion_set(
            actor=u["msa"], meeting_id=meeting.pk, item_id=item.pk, text="建议统一检验认定程序"
        )
        svc.meeting_opinion_set(
            actor=u["police"], meeting_id=meeting.pk, item_id=item.pk, text="同意及时立案侦查"
        )
        for text, basis in (
            ("建立季度案件信息通报制度", "《行政执法机关移送涉嫌犯罪案件的规定》第十四条"),
            ("对重大案件实行联合督办", "2015年食品药品行刑衔接办法"),
        ):
            svc.meeting_decision_add(actor=u["proc"], meeting_id=meeting.pk, text=text, basis=basis)
        for code, action, person in (
            ("fc-police", "报送本季度不予立案案件清单", "赵强"),
            ("fc-msa", "完成辣椒油样品补充检验", "张明"),
        ):
            svc.meeting_follow_up_add(
                actor=u["proc"],
                meeting_id=meeting.pk,
                action=action,
                owner_agency_id=world.agencies[code].pk,
                owner_person=person,
                due_at=world.t + timedelta(days=14),
            )
    return meeting


def issued(world, after_commit, referral=None):
    """Drafted, circulated, confirmed by every attending agency and issued."""
    u = users(world)
    meeting = drafted(world, referral)
    with world.at():
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
    world.advance(hours=3)
    with world.at():
        for who in ("proc", "msa", "police"):
            svc.meeting_confirm(actor=u[who], meeting_id=meeting.pk)
        with after_commit():
            document = svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)
    meeting.refresh_from_db()
    document.refresh_from_db()
    return meeting, document
