"""The demo's coordination: an approved early intervention the procurator accepted, a case
consultation with a reply, two clues between the 城郊 stations (one to be turned into a
referral by the bureau), and the station users among the printed logins."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from referral.models import (
    Clue,
    Consultation,
    EarlyIntervention,
    InterventionStatus,
    User,
)


@pytest.mark.django_db
def test_demo_seeds_the_coordination_and_prints_the_station_logins(
    client, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    intervention = EarlyIntervention.objects.get()
    assert intervention.state == InterventionStatus.REQUESTED
    assert intervention.referral.transferred_at is None
    answers = {a.agency.code: a.answer for a in intervention.addressees.select_related("agency")}
    assert answers == {"fc-proc": "accepted", "fc-police": ""}
    consultation = Consultation.objects.get()
    assert consultation.replies.count() == 1 and consultation.shared_attachments.exists()
    assert sorted(Clue.objects.values_list("answer", flat=True)) == ["", "needs_transfer"]
    assert "cj_station" in out.getvalue() and "cj_police" in out.getvalue()
    client.force_login(User.objects.get(username="fc_officer"))
    clue = Clue.objects.get(answer="needs_transfer")
    page = client.get(reverse("xianjie:clue_detail", args=[clue.pk])).content.decode()
    assert 'data-testid="clue-to-referral"' in page
    client.force_login(User.objects.get(username="cj_police"))
    home = client.get(reverse("xianjie:index")).content.decode()
    assert 'data-testid="home-clues"' in home
