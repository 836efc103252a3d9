"""Due-date presentation: time left or overdue, and the badge that goes with it."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referral import lifecycle
from referral.clock_rules import RULES
from referral.documents.filters import money
from referral.models import AttachmentKind, Role

register = template.Library()
SOON = timedelta(hours=24)


def _span(delta: timedelta) -> str:
    days, seconds = delta.days, delta.seconds
    hours = seconds // 3600
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": (seconds % 3600) // 60}


@register.simple_tag
def time_left(due_at, now):
    """'2 d 3 h' left, 'overdue 5 h', or '—' when nothing is due."""
    if due_at is None:
        return "—"
    if due_at < now:
        return _("overdue %(span)s") % {"span": _span(now - due_at)}
    return _span(due_at - now)


@register.simple_tag
def due_class(due_at, now):
    if due_at is None:
        return ""
    if due_at < now:
        return "overdue"
    return "soon" if due_at - now < SOON else "ok"


@register.filter
def status_label(code):
    return lifecycle.Status(code).label if code in lifecycle.Status.values else code


@register.filter
def role_label(code):
    return Role(code).label if code in Role.values else code


@register.filter
def attachment_kind_label(code):
    return AttachmentKind(code).label if code in AttachmentKind.values else code


@register.filter
def clock_label(code):
    return RULES[code].label if code in RULES else code


# Recorded actions that are not lifecycle steps.
EVENT_LABELS = {
    "create": gettext_lazy("Referral opened"),
    "update_case": gettext_lazy("Case record changed"),
    "add_party": gettext_lazy("Party added"),
    "set_case_team": gettext_lazy("Special case group appointed"),
    "add_attachment": gettext_lazy("File uploaded"),
    "record_penalty": gettext_lazy("Administrative penalty recorded"),
    "request_review_extension": gettext_lazy("Review extension requested of the police head"),
    "extend_review": gettext_lazy("Review period extended"),
    "refuse_review_extension": gettext_lazy("Review extension refused by the police head"),
    "clock_overdue": gettext_lazy("Statutory period overdue"),
    "clock_recomputed": gettext_lazy("Statutory period recounted on the published calendar"),
    # Service of documents (referral/services/service_records.py).
    "receive_document": gettext_lazy("Document signed for"),
    "record_paper_service": gettext_lazy("Paper service of a document recorded"),
    "service_unreceived_warning": gettext_lazy("Sender warned: document not yet received"),
    "view_case_file": gettext_lazy("Case file viewed by the procuratorate"),
    "view_attachment": gettext_lazy("File viewed"),
    "download_attachment": gettext_lazy("File downloaded"),
    "claim_task": gettext_lazy("Task claimed"),
    "release_task": gettext_lazy("Task released"),
    "reassign_task": gettext_lazy("Task reassigned"),
    "add_seized_item": gettext_lazy("Seized item recorded"),
    "issue_document": gettext_lazy("Document issued"),
    "reissue_document": gettext_lazy("Corrected version of a document issued"),
    "render_document": gettext_lazy("Document rendered"),
    "render_document_failed": gettext_lazy("Document rendering failed"),
    "intervention_request": gettext_lazy("Early intervention asked for"),
    "intervention_approve": gettext_lazy("Early intervention approved by the head"),
    "intervention_refuse": gettext_lazy("Early intervention not approved by the head"),
    "intervention_accept": gettext_lazy("Early intervention accepted"),
    "intervention_decline": gettext_lazy("Early intervention declined"),
    "intervention_assign": gettext_lazy("Officers assigned to the early intervention"),
    "intervention_note": gettext_lazy("Early intervention note"),
    "intervention_close": gettext_lazy("Early intervention closed"),
    "consultation_open": gettext_lazy("Case consultation opened"),
    "consultation_reply": gettext_lazy("Reply in a case consultation"),
    "consultation_close": gettext_lazy("Case consultation concluded"),
    "clue_to_referral": gettext_lazy("Referral opened from a clue passed between stations"),
    "retry_render_document": gettext_lazy("Document rendering tried again"),
    "update_party": gettext_lazy("Party changed"),
    "remove_party": gettext_lazy("Party removed"),
    "update_seized_item": gettext_lazy("Seized item changed"),
    "remove_seized_item": gettext_lazy("Seized item removed"),
    "remove_attachment": gettext_lazy("File removed"),
    "record_supplement": gettext_lazy("Supplement or correction recorded after transfer"),
}


@register.filter
def event_label(action):
    steps = lifecycle.transitions()
    if action in steps:
        return lifecycle.step_of(steps[action][0]).label
    return EVENT_LABELS.get(action, action)


@register.filter
def amount(value) -> str:
    """An amount of yuan with thousands separators (50000 -> 50,000.00), as the documents print
    it; '—' when there is none."""
    return money(value) or "—"
