"""What the joint-meeting minutes (会议纪要) show, as plain values: `MeetingData` is built from
a stored meeting (`meeting_data_from_meeting`, reads only) or from demo values
(`sample_meeting`), and the template sees nothing else, as with `context.CaseData`."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import translation

from ..models import Opinion
from .context import AgencyData


@dataclass(frozen=True)
class ParticipantData:
    agency: AgencyData
    attended: bool
    attendees: tuple[str, ...] = ()
    confirmed_at: datetime | None = None
    comment: str = ""


@dataclass(frozen=True)
class ReportData:
    agency: AgencyData
    figures: tuple[tuple[str, int], ...]
    note: str = ""


@dataclass(frozen=True)
class AgendaItemData:
    position: int
    kind_label: str
    text: str
    opinions: tuple[tuple[str, str], ...] = ()  # (agency name, opinion)


@dataclass(frozen=True)
class DecisionData:
    position: int
    text: str
    basis: str = ""


@dataclass(frozen=True)
class FollowUpData:
    position: int
    action: str
    owner_agency: str
    owner_person: str
    due_at: datetime


@dataclass(frozen=True)
class MeetingData:
    title: str
    kind_label: str
    held_at: datetime
    place: str
    chair: str
    period_start: date
    period_end: date
    convening_agency: AgencyData
    participants: tuple[ParticipantData, ...] = ()
    reports: tuple[ReportData, ...] = ()
    agenda: tuple[AgendaItemData, ...] = ()
    decisions: tuple[DecisionData, ...] = ()
    follow_ups: tuple[FollowUpData, ...] = ()

    @property
    def attending(self) -> tuple[ParticipantData, ...]:
        return tuple(p for p in self.participants if p.attended)

    @property
    def absent(self) -> tuple[ParticipantData, ...]:
        return tuple(p for p in self.participants if not p.attended)


def _agency(agency) -> AgencyData:
    return AgencyData(agency.name, agency.short_name)


def meeting_data_from_meeting(meeting) -> MeetingData:
    """Reads everything the minutes show (one query per part, no writes). Labels are in
    Chinese whatever the language of the process rendering it: the minutes are an official
    document."""
    with translation.override("zh-hans"):
        return _meeting_data(meeting)


def _meeting_data(meeting) -> MeetingData:
    opinions: dict[int, list[tuple[str, str]]] = {}
    rows = Opinion.objects.filter(item__meeting=meeting).select_related("agency")
    for opinion in rows.order_by("item_id", "pk"):
        opinions.setdefault(opinion.item_id, []).append((opinion.agency.name, opinion.text))
    return MeetingData(
        title=meeting.title,
        kind_label=str(meeting.get_kind_display()),
        held_at=meeting.held_at,
        place=meeting.place,
        chair=meeting.chair,
        period_start=meeting.period_start,
        period_end=meeting.period_end,
        convening_agency=_agency(meeting.convening_agency),
        participants=tuple(
            ParticipantData(
                _agency(p.agency), p.attended, tuple(p.attendee_lines), p.confirmed_at, p.comment
            )
            for p in meeting.participants.select_related("agency").order_by("pk")
        ),
        reports=tuple(
            ReportData(_agency(r.agency), tuple((str(k), v) for k, v in r.figures()), r.note)
            for r in meeting.reports.select_related("agency").order_by("pk")
        ),
        agenda=tuple(
            AgendaItemData(
                i.position, str(i.get_kind_display()), i.text, tuple(opinions.get(i.pk, ()))
            )
            for i in meeting.agenda.order_by("position")
        ),
        decisions=tuple(
            DecisionData(d.position, d.text, d.basis)
            for d in meeting.decisions.order_by("position")
        ),
        follow_ups=tuple(
            FollowUpData(f.position, f.action, f.owner_agency.name, f.owner_person, f.due_at)
            for f in meeting.follow_ups.select_related("owner_agency").order_by("position")
        ),
    )


def sample_meeting(*, at: datetime, agencies: dict[str, AgencyData]) -> MeetingData:
    """A quarterly meeting of 涪城区's three agencies, in memory, for `render_document --sample`."""
    msa, police, proc = (agencies[f"fc-{k}"] for k in ("msa", "police", "proc"))
    held = at - timedelta(days=3)
    figures = ("移送", "接收", "立案", "不予立案", "提请复议", "立案监督", "超期")
    return MeetingData(
        title="2026年第一季度行政执法与刑事司法衔接工作联席会议",
        kind_label="定期联席会议",
        held_at=held,
        place="涪城区人民检察院三楼会议室",
        chair="王检察长",
        period_start=date(held.year, 1, 1),
        period_end=date(held.year, 3, 31),
        convening_agency=proc,
        participants=(
            ParticipantData(proc, True, ("王检察长 检察长", "李娜 检察官"), held),
            ParticipantData(msa, True, ("张明 副局长",), held),
            ParticipantData(police, True, ("赵强 大队长",), held),
        ),
        reports=(
            ReportData(msa, tuple(zip(figures, (3, 0, 2, 1, 1, 0, 0), strict=True))),
            ReportData(police, tuple(zip(figures, (0, 3, 2, 1, 0, 0, 1), strict=True))),
            ReportData(proc, tuple(zip(figures, (0, 0, 0, 0, 0, 1, 0), strict=True))),
        ),
        agenda=(
            AgendaItemData(
                1,
                "议题",
                "辣椒油中检出罂粟壳成分案件的定性与移送标准",
                (("涪城区市场监督管理局", "建议统一检验认定程序。"),),
            ),
        ),
        decisions=(
            DecisionData(
                1,
                "建立季度案件信息通报制度。",
                "《行政执法机关移送涉嫌犯罪案件的规定》",
            ),
        ),
        follow_ups=(
            FollowUpData(
                1,
                "报送本季度不予立案案件清单",
                police.name,
                "赵强",
                at + timedelta(days=14),
            ),
        ),
    )
