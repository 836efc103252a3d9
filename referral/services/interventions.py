"""Early intervention (提前介入, DOMAIN.md §4.1): the case officer asks the police and/or the
procuratorate to join a case before its transfer; the agency head approves (or not); each
addressee answers within its period (a jurisdiction's rule set may change the default,
`intervention_response`), assigns officers, who add notes; the requesting agency closes the
request with its outcome.

Every write locks the intervention (the request: its referral) first and appends its audit
event, on the referral, in the same transaction, so the case timeline shows each of them.
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import access, intervention_access, permissions
from ..deadlines import compute_due, resolve_rule
from ..models import (
    AddresseeAnswer,
    Agency,
    AgencyKind,
    EarlyIntervention,
    InterventionAddressee,
    InterventionNote,
    InterventionReason,
    InterventionStatus,
    User,
)
from ..timeutil import now
from . import coordination_notifications as notify
from .audit import audit_append
from .errors import IllegalTransition, InvalidInput, PermissionDenied

RESPONSE_RULE = "intervention_response"
ADDRESSEE_KINDS = (AgencyKind.POLICE, AgencyKind.PROCURATORATE)


def intervention_request(
    *,
    actor,
    referral_id: int,
    addressee_agency_ids: list[int],
    reason_category: str,
    reason: str,
) -> EarlyIntervention:
    """The transferring agency's officer asks police organs and/or procuratorates to intervene
    early in a case not yet transferred; the request waits for the head's approval."""
    if reason_category not in InterventionReason.values:
        raise InvalidInput(_("Choose the reason for early intervention."))
    if not reason.strip():
        raise InvalidInput(_("Say why early intervention is needed."))
    ids = sorted(set(addressee_agency_ids))
    if not ids:
        raise InvalidInput(_("Choose the police organ or procuratorate to ask."))
    if Agency.objects.filter(pk__in=ids, kind__in=ADDRESSEE_KINDS).count() != len(ids):
        raise InvalidInput(_("Only a police organ or a procuratorate can be asked to intervene."))
    with transaction.atomic():
        referral = access.referral_lock_for_user(user=actor, referral_id=referral_id)
        if not permissions.may_edit_case_record(actor, referral):
            raise PermissionDenied(_("Only the case's own agency may ask for early intervention."))
        if referral.transferred_at is not None:
            raise IllegalTransition(_("Early intervention is asked for before the transfer."))
        at = now()
        intervention = EarlyIntervention.objects.create(
            referral=referral,
            requesting_agency_id=referral.agency_id,
            reason_category=reason_category,
            reason=reason.strip(),
            requested_by=actor,
            requested_at=at,
        )
        InterventionAddressee.objects.bulk_create(
            InterventionAddressee(intervention=intervention, agency_id=i) for i in ids
        )
        _audit(intervention, "intervention_request", actor, at, reason.strip(), agencies=ids)
        notify.notify_intervention_requested(intervention=intervention, actor=actor, at=at)
    return intervention


def intervention_decide(*, actor, intervention_id: int, approve: bool, note: str = ""):
    """The requesting agency's head approves the request, which starts each addressee's period
    to answer, or refuses it with a note."""
    if not approve and not note.strip():
        raise InvalidInput(_("Say why the request is not approved."))
    with transaction.atomic():
        intervention = _lock(actor, intervention_id)
        if not intervention_access.may_decide(actor, intervention):
            raise PermissionDenied(_("Only the head of the requesting agency decides on this."))
        _require_state(intervention, InterventionStatus.AWAITING_APPROVAL)
        at = now()
        intervention.state = InterventionStatus.REQUESTED if approve else InterventionStatus.REFUSED
        intervention.decided_by, intervention.decided_at = actor, at
        intervention.decision_note = note.strip()
        if not approve:
            intervention.closed_at = at
        intervention.save()
        if approve:
            _start_periods(intervention, at)
        action = "intervention_approve" if approve else "intervention_refuse"
        _audit(intervention, action, actor, at, note.strip())
        notify.notify_intervention_decided(intervention=intervention, actor=actor, at=at)
    return intervention


def _start_periods(intervention: EarlyIntervention, at: datetime) -> None:
    """Each addressee's period, by the requesting agency's jurisdiction (its rule set, else the
    default)."""
    rule = resolve_rule(RESPONSE_RULE, region_code=intervention.requesting_agency.region_code)
    due = compute_due(at, rule.amount, rule.unit)
    intervention.addressees.update(due_at=due, ruleset=rule.ruleset)


def intervention_respond(*, actor, intervention_id: int, accept: bool, reason: str = ""):
    """An addressee accepts the request or declines it, saying why."""
    if not accept and not reason.strip():
        raise InvalidInput(_("Say why the request is declined."))
    with transaction.atomic():
        intervention = _lock(actor, intervention_id)
        addressee = _own_addressee(actor, intervention)
        if addressee.answered_at is not None:
            raise IllegalTransition(_("Your agency has answered already."))
        at = now()
        addressee.answer = AddresseeAnswer.ACCEPTED if accept else AddresseeAnswer.DECLINED
        addressee.answer_reason, addressee.answered_at = reason.strip(), at
        addressee.answered_by = actor
        addressee.save()
        action = "intervention_accept" if accept else "intervention_decline"
        _audit(intervention, action, actor, at, reason.strip(), late=addressee.due_at < at)
        notify.notify_intervention_answered(
            intervention=intervention, addressee=addressee, actor=actor, at=at
        )
    return addressee


def intervention_assign(*, actor, intervention_id: int, officer_ids: list[int]):
    """An addressee that accepted names the officers who intervene (its own case handlers)."""
    with transaction.atomic():
        intervention = _lock(actor, intervention_id)
        addressee = _own_addressee(actor, intervention)
        if addressee.answer != AddresseeAnswer.ACCEPTED:
            raise IllegalTransition(_("Officers are assigned once the request is accepted."))
        officers = list(User.objects.filter(pk__in=set(officer_ids), agency_id=actor.agency_id))
        if not officers or len(officers) != len(set(officer_ids)):
            raise InvalidInput(_("Choose officers of your own agency."))
        addressee.officers.set(officers)
        at = now()
        event = _audit(
            intervention, "intervention_assign", actor, at, officers=[o.pk for o in officers]
        )
        notify.notify_intervention_assigned(
            intervention=intervention, addressee=addressee, actor=actor, seq=event.seq, at=at
        )
    return addressee


def intervention_note_add(*, actor, intervention_id: int, text: str) -> InterventionNote:
    """An assigned officer (or the requesting agency) notes what was done."""
    if not text.strip():
        raise InvalidInput(_("Write the note."))
    with transaction.atomic():
        intervention = _lock(actor, intervention_id)
        if not intervention_access.may_add_note(actor, intervention):
            raise PermissionDenied(
                _("Only the assigned officers and the requesting agency write notes.")
            )
        _require_state(intervention, InterventionStatus.REQUESTED)
        at = now()
        note = InterventionNote.objects.create(
            intervention=intervention,
            author=actor,
            agency_id=actor.agency_id,
            text=text.strip(),
            created_at=at,
        )
        _audit(intervention, "intervention_note", actor, at, note=note.pk)
    return note


def intervention_close(*, actor, intervention_id: int, outcome: str) -> EarlyIntervention:
    """The requesting agency records the outcome and closes the request."""
    if not outcome.strip():
        raise InvalidInput(_("Give the outcome."))
    with transaction.atomic():
        intervention = _lock(actor, intervention_id)
        if not intervention_access.is_requesting_side(actor, intervention):
            raise PermissionDenied(_("Only the requesting agency closes the request."))
        _require_state(intervention, InterventionStatus.REQUESTED)
        at = now()
        intervention.state = InterventionStatus.CLOSED
        intervention.outcome, intervention.closed_at = outcome.strip(), at
        intervention.save(update_fields=["state", "outcome", "closed_at"])
        _audit(intervention, "intervention_close", actor, at, outcome.strip())
        notify.notify_intervention_closed(intervention=intervention, actor=actor, at=at)
    return intervention


# --- helpers ---------------------------------------------------------------------------------


def _lock(actor, intervention_id: int) -> EarlyIntervention:
    intervention = intervention_access.intervention_lock_for_user(
        user=actor, intervention_id=intervention_id
    )
    # Loaded after the lock, so what the checks read cannot change under them.
    return (
        EarlyIntervention.objects.select_related("requesting_agency", "referral")
        .prefetch_related("addressees__officers")
        .get(pk=intervention.pk)
    )


def _own_addressee(actor, intervention: EarlyIntervention) -> InterventionAddressee:
    addressee = intervention_access.addressee_of(actor, intervention)
    if addressee is None:
        raise PermissionDenied(_("Only an agency asked to intervene may do this."))
    _require_state(intervention, InterventionStatus.REQUESTED)
    return addressee


def _require_state(intervention: EarlyIntervention, state: str) -> None:
    if intervention.state != state:
        raise IllegalTransition(
            _("Not possible while the request is “%(status)s”."),
            status=intervention.get_state_display(),
        )


def _audit(intervention, action: str, actor, at: datetime, reason: str = "", **payload):
    return audit_append(
        action=action,
        at=at,
        actor=actor,
        referral=intervention.referral,
        reason=reason,
        payload={"intervention": intervention.pk, **payload},
    )
