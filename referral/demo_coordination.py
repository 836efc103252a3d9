"""The demo's coordination outside single referrals: an early intervention and a case
consultation on 涪城区 cases not yet transferred, and two clues passed between the 城郊
stations. Seeded through the services, as users would have done it, with time frozen at each
moment."""

from datetime import timedelta

from .models import Agency, AgencyKind, Referral, User
from .services import clues, consultations, interventions
from .timeutil import frozen_now, now


def seed_demo_coordination() -> None:
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    untransferred = Referral.objects.filter(
        agency__code="fc-msa", transferred_at__isnull=True
    ).order_by("pk")
    first, second = untransferred[0], untransferred[1]
    _intervention(users, first)
    _consultation(users, second)
    _clues(users)


USERNAMES = ("fc_officer", "fc_head", "fc_procurator", "fc_reviewer", "cj_station", "cj_police")


def _intervention(users, referral: Referral) -> None:
    """Asked yesterday of 涪城区's police and procuratorate; approved; the procuratorate
    accepted and sent a procurator, the police have not answered yet."""
    asked = now() - timedelta(days=1)
    with frozen_now(asked):
        intervention = interventions.intervention_request(
            actor=users["fc_officer"],
            referral_id=referral.pk,
            addressee_agency_ids=[referral.procuratorate_id, *_police_of(referral)],
            reason_category="evidence_at_risk",
            reason="涉案食品易腐败变质，当事人可能转移库存，请求提前介入固定证据。",
        )
    with frozen_now(asked + timedelta(hours=1)):
        interventions.intervention_decide(
            actor=users["fc_head"], intervention_id=intervention.pk, approve=True, note="同意"
        )
    with frozen_now(asked + timedelta(hours=4)):
        procurator = users["fc_procurator"]
        interventions.intervention_respond(
            actor=procurator,
            intervention_id=intervention.pk,
            accept=True,
            reason="同意派员提前介入，引导取证。",
        )
        interventions.intervention_assign(
            actor=procurator, intervention_id=intervention.pk, officer_ids=[procurator.pk]
        )
        interventions.intervention_note_add(
            actor=procurator,
            intervention_id=intervention.pk,
            text="已到现场查看库存，建议对剩余样品抽样送检并制作笔录。",
        )


def _police_of(referral: Referral) -> list[int]:
    police = Agency.objects.same_level(referral.agency, AgencyKind.POLICE).first()
    return [police.pk] if police else []


def _consultation(users, referral: Referral) -> None:
    opened = now() - timedelta(hours=20)
    with frozen_now(opened):
        consultation = consultations.consultation_open(
            actor=users["fc_officer"],
            referral_id=referral.pk,
            title=f"{referral.title}定性会商",
            question="涉案产品是否属于刑法第一百四十四条规定的有毒、有害的非食品原料？",
            summary=referral.facts,
            participant_agency_ids=[referral.procuratorate_id, *_police_of(referral)],
            attachment_ids=list(referral.attachments.values_list("pk", flat=True)[:2]),
        )
    with frozen_now(opened + timedelta(hours=3)):
        consultations.consultation_reply(
            actor=users["fc_reviewer"],
            consultation_id=consultation.pk,
            text="建议先出具检验报告，明确检出物质后再行移送。",
        )


def _clues(users) -> None:
    """One clue answered "needs a formal transfer" (the bureau may open the referral), one
    still waiting for the police station."""
    station, police = users["cj_station"], users["cj_police"]
    with frozen_now(now() - timedelta(days=2)):
        clue = clues.clue_pass(
            actor=station,
            title="城郊农贸市场疑似销售病死猪肉线索",
            summary="日常巡查发现摊贩销售来源不明猪肉，无检疫合格证明，摊主称低价收购。",
            place="城郊农贸市场12号摊位",
            parties=clues.parse_parties("王五，510703198203031234"),
        )
    with frozen_now(now() - timedelta(days=1)):
        clues.clue_answer(
            actor=police, clue_id=clue.pk, answer="needs_transfer", reason="涉嫌犯罪，需正式移送"
        )
    with frozen_now(now() - timedelta(hours=5)):
        clues.clue_pass(
            actor=station,
            title="某小作坊无证生产豆芽线索",
            summary="群众举报某作坊使用无根剂生产豆芽，夜间生产、清晨出货。",
            place="城郊村3组",
            parties=clues.parse_parties("某豆芽作坊"),
        )
