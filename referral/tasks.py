"""Background jobs; run in-process unless a Celery broker is configured."""

from celery import shared_task

from .services.audit import audit_checkpoint
from .services.clocks import clocks_sweep
from .services.documents import document_render_pending
from .timeutil import now


@shared_task(name="referral.sweep_clocks")
def sweep_clocks() -> int:
    return clocks_sweep()


@shared_task(name="referral.audit_checkpoint")
def write_audit_checkpoint() -> int:
    """Anchors the audit chain head outside the database (CELERY_BEAT_SCHEDULE)."""
    return audit_checkpoint(at=now())["seq"]


@shared_task(name="referral.render_document")
def render_document_in_background(document_id: int) -> str:
    """Renders a long item list issued with its PDF deferred (see services/documents.py)."""
    return document_render_pending(document_id=document_id)
