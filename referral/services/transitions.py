"""The gate every lifecycle step passes: lock, ask, check, transition, clocks, audit, atomically."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from .. import access, deadlines, lifecycle, permissions
from ..documents.grounds import NonFilingGround
from ..lifecycle.conditions import facts_forget, facts_preload
from ..models import Agency, AgencyKind, Referral
from ..roles import Role, Side
from ..text import clean_text
from ..timeutil import now
from .audit import audit_append, audit_batch
from .base import after_commit_route
from .clocks import clock_start, clock_summary, clocks_stop
from .documents import documents_issue_for_step, documents_render_after_commit
from .errors import (
    ConcurrentUpdate,
    ConditionNotMet,
    IllegalTransition,
    InvalidInput,
    PermissionDenied,
)
from .notifications import notifications_after_service, notifications_after_step
from .receipts import receipt_checklist_check, receipt_checklist_record
from .service_records import service_records_open, services_receive_for_step

# 《食品安全法》第一百二十三条: detention of five to fifteen days.
DETENTION_DAYS = range(5, 16)


def run_transition(
    *,
    referral_id: int,
    actor,
    name: str,
    reason: str = "",
    police_agency_id: int | None = None,
    detention_days: int | None = None,
    non_filing_ground: str | None = None,
    receipt_checklist: dict[str, str] | None = None,
    request_id: str = "",
) -> Referral:
    """Runs lifecycle step `name` for `actor`; raises a ReferralError subclass when it may not."""
    candidates = lifecycle.transitions().get(name)
    if not candidates:
        raise InvalidInput(_("Unknown step “%(name)s”."), name=name)
    step = lifecycle.step_of(candidates[0])
    reason = clean_text(reason or "")
    at = now()
    # Every audit event of the step (its own, each document issued, each receipt) is written
    # at the end in one INSERT, the chain head locked and moved once (services/audit.py).
    with transaction.atomic(), audit_batch():
        referral = access.referral_lock_for_user(user=actor, referral_id=referral_id)
        _check_actor(actor, referral, step)
        from_status = referral.status
        fsm_transition = next((t for t in candidates if t.source == from_status), None)
        if fsm_transition is None:
            raise IllegalTransition(
                _("In status “%(status)s” the step “%(step)s” is not possible."),
                status=referral.get_status_display(),
                step=step.label,
            )
        if step.reason_required and not reason:
            raise InvalidInput(_("Give a reason for “%(step)s”."), step=step.label)
        inputs = _apply_inputs(referral, step, police_agency_id, detention_days, non_filing_ground)
        # What the step's conditions read from the database, in one query under the lock.
        facts_preload(referral, fsm_transition.conditions)
        inputs |= _checklist_input(step, receipt_checklist)
        try:
            getattr(referral, name)(at=at, **_transition_arguments(step))
        except TransitionNotAllowed:
            # django-fsm stops at the first unmet condition; the user is told every one at once.
            raise ConditionNotMet(
                unmet_conditions_text(referral, fsm_transition.conditions)
            ) from None
        finally:
            facts_forget(referral)
        try:
            referral.save()
        except ConcurrentTransition:
            raise ConcurrentUpdate() from None
        event = _apply_clocks_and_audit(
            referral, step, name, from_status, at, actor, reason, inputs, request_id
        )
        if receipt_checklist is not None:
            receipt_checklist_record(
                referral=referral, actor=actor, at=at, items=inputs["receipt_checklist"]
            )
        services_receive_for_step(
            referral=referral, step=step, actor=actor, at=at, request_id=request_id
        )
        documents = documents_issue_for_step(referral=referral, step_name=name, actor=actor, at=at)
        records = service_records_open(referral=referral, documents=documents, step_name=name)
        documents_render_after_commit(document_ids=[d.pk for d in documents])
        after_commit_route(referral.pk)
        notifications_after_step(referral=referral, event=event, actor=actor)
        notifications_after_service(records=records)
    return referral


def unmet_conditions_text(referral, conditions) -> str:
    """The messages of every unmet condition, one after the other (Chinese sentences end in
    their own full stop, so they read as a list)."""
    return " ".join(str(c.message) for c in conditions if not c(referral))


def _check_actor(actor, referral, step) -> None:
    """The step's actor, stated once on the step: its role in the agency on its side (and, for
    a transfer approval, the principal head's mark)."""
    if not permissions.may_act(actor, referral, step.side, step.role):
        raise PermissionDenied(
            _("Only a %(role)s of the %(side)s may take the step “%(step)s”."),
            role=Role(step.role).label,
            side=Side(step.side).label,
            step=step.label,
        )
    if not permissions.may_take_step(actor, referral, step):
        raise PermissionDenied(
            _("Only the principal head of the agency may take the step “%(step)s”."),
            step=step.label,
        )


def _transition_arguments(step) -> dict:
    """What the transition method takes besides `at`, as its step declares (`Step.arguments`);
    a method declares exactly these, so nothing passed is silently dropped."""
    available = {"copy_to_procuratorate": settings.XIANJIE_COPY_TRANSFER_TO_PROCURATORATE}
    return {name: available[name] for name in step.arguments}


def _apply_inputs(referral, step, police_agency_id, detention_days, non_filing_ground) -> dict:
    """Validates the step's extra data, applies it to the referral and returns it for the audit
    (a proposal's only for the audit: the head's form starts from it, `Step.proposes`)."""
    accepted = set(step.inputs) | set(step.required_inputs)
    given = {
        "police_agency": police_agency_id,
        "detention_days": detention_days,
        "non_filing_ground": non_filing_ground or None,
    }
    for key, value in given.items():
        if value is not None and key not in accepted:
            raise InvalidInput(_("This step does not take “%(field)s”."), field=key)
        if value is None and key in step.required_inputs:
            raise InvalidInput(_("This step needs “%(field)s”."), field=key)
    applied = {}
    if police_agency_id is not None:
        target = Agency.objects.filter(pk=police_agency_id, kind=AgencyKind.POLICE).first()
        if target is None:
            raise InvalidInput(_("The receiving organ must be a police organ."))
        if "police_agency" in step.required_inputs and target.pk == referral.police_agency_id:
            raise InvalidInput(_("Choose a police organ other than the current one."))
        if not step.proposes:  # a proposal records the organ; the head's step moves the case
            applied["from_police_agency"] = referral.police_agency_id
            referral.police_agency = target
        applied["police_agency"] = target.pk
    if detention_days is not None:
        if detention_days not in DETENTION_DAYS:
            raise InvalidInput(_("Administrative detention is 5 to 15 days."))
        applied["detention_days"] = detention_days
    if non_filing_ground:
        if non_filing_ground not in NonFilingGround.values:
            raise InvalidInput(_("Unknown ground for not filing."))
        applied["non_filing_ground"] = non_filing_ground  # read by the non-filing notice
    return applied


def _checklist_input(step, checklist: dict[str, str] | None) -> dict:
    """The receipt checklist, checked, for the audit (and the row written after the step)."""
    if checklist is None:
        return {}
    if "receipt_checklist" not in step.inputs:
        raise InvalidInput(_("This step does not take “%(field)s”."), field="receipt_checklist")
    return {"receipt_checklist": receipt_checklist_check(checklist)}


def _apply_clocks_and_audit(
    referral, step, name, from_status, at, actor, reason, inputs, request_id
):
    cancels, starts = (
        step.cancels,
        lifecycle.clocks_started(step, referral.status, source=from_status),
    )
    if (step.local_restart_cancels or step.local_restart_starts) and (
        deadlines.restarts_decision_after_supplement(
            region_code=referral.police_agency and referral.police_agency.region_code
        )
    ):
        cancels += step.local_restart_cancels
        starts += step.local_restart_starts
    met, cancelled = clocks_stop(referral, step.stops, cancel_rules=cancels, at=at, stopped_by=name)
    started = [
        clock
        for code in starts
        if (clock := clock_start(referral, code, at=at, started_by=name)) is not None
    ]
    return audit_append(
        action=name,
        at=at,
        actor=actor,
        referral=referral,
        from_status=from_status,
        to_status=referral.status,
        reason=reason,
        payload={
            **inputs,
            "article": step.article,
            "clocks_started": [clock_summary(c) for c in started],
            "clocks_stopped": [clock_summary(c) for c in met + cancelled],
        },
        request_id=request_id,
    )
