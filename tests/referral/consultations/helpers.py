"""A case consultation opened by 涪城区's market-supervision bureau on a case not yet
transferred, inviting its police; two attachments, one shared."""

from referral.models import Role
from referral.services import consultations as svc
from referral.services.referrals import attachment_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def users(world):
    return {
        "officer": world.user("fc-msa", Role.CASE_OFFICER),
        "police": world.user("fc-police", Role.POLICE_REVIEWER),
        "proc": world.user("fc-proc", Role.PROCURATOR),
        "outsider": world.user("yx-police", Role.POLICE_REVIEWER),
    }


def attach(world, referral, name):
    with world.at():
        return attachment_add(
            referral_id=referral.pk,
            actor=users(world)["officer"],
            kind="investigation_report",
            name=name,
            data=PDF + name.encode(),
        )


def opened(world, agencies=("fc-police",)):
    """(consultation, shared attachment, unshared attachment)."""
    referral = world.new_referral()
    shared = attach(world, referral, "检验报告.pdf")
    private = attach(world, referral, "内部审批表.pdf")
    with world.at():
        consultation = svc.consultation_open(
            actor=users(world)["officer"],
            referral_id=referral.pk,
            title="罂粟壳火锅底料定性会商",
            question="添加罂粟壳的火锅底料是否构成生产、销售有毒、有害食品罪？",
            summary="当事人在火锅底料中添加罂粟壳，检出吗啡成分。",
            participant_agency_ids=[world.agencies[c].pk for c in agencies],
            attachment_ids=[shared.pk],
        )
    return consultation, shared, private
