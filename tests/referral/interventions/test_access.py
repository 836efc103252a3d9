"""The early-intervention visibility rule, as a predicate and as a query filter, must agree:
the requesting agency and the agencies asked, nobody else."""

from referral import intervention_access
from referral.models import EarlyIntervention

from .helpers import approved


def test_predicate_and_filter_agree_for_every_user(world):
    approved(world, agencies=("fc-proc",))
    approved(world, agencies=("my-police",))
    interventions = list(EarlyIntervention.objects.prefetch_related("addressees"))
    everyone = list(world.users.values())
    for user in everyone:
        visible = intervention_access.interventions_visible_to(user)
        by_filter = set(visible.values_list("pk", flat=True))
        by_predicate = {
            i.pk for i in interventions if intervention_access.may_view_intervention(user, i)
        }
        assert by_filter == by_predicate, user.username
    seen = {
        u.username for u in everyone if intervention_access.interventions_visible_to(u).exists()
    }
    # The requesting fc-msa and the two agencies asked; neither fc-police (not asked, and the
    # case is not transferred) nor any other agency.
    assert seen == {
        "fc-case_officer",
        "fc-agency_head",
        "fc-deputy_head",
        "fc-case_officer2",
        "fc-procurator",
        "fc-chief_procurator",
        "my-police_intake",
        "my-police_reviewer",
        "my-police_head",
    }
