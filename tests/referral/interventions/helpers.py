"""An early intervention on a Fucheng case not yet transferred, driven through the services:
the case officer asks 涪城区's police and procuratorate, the head approves."""

from referral.models import InterventionReason, Role
from referral.services import interventions as svc


def users(world):
    return {
        "officer": world.user("fc-msa", Role.CASE_OFFICER),
        "head": world.user("fc-msa", Role.AGENCY_HEAD),
        "proc": world.user("fc-proc", Role.PROCURATOR),
        "police": world.user("fc-police", Role.POLICE_REVIEWER),
        "intake": world.user("fc-police", Role.POLICE_INTAKE),
        "outsider": world.user("yx-msa", Role.CASE_OFFICER),
        "other_police": world.user("my-police", Role.POLICE_REVIEWER),
    }


def asked(world, referral=None, agencies=("fc-police", "fc-proc")):
    referral = referral or world.new_referral()
    with world.at():
        return svc.intervention_request(
            actor=users(world)["officer"],
            referral_id=referral.pk,
            addressee_agency_ids=[world.agencies[c].pk for c in agencies],
            reason_category=InterventionReason.EVIDENCE_AT_RISK,
            reason="涉案辣椒油易变质，需公安机关提前固定证据",
        )


def approved(world, **kwargs):
    intervention = asked(world, **kwargs)
    with world.at():
        svc.intervention_decide(
            actor=users(world)["head"], intervention_id=intervention.pk, approve=True
        )
    intervention.refresh_from_db()
    return intervention
