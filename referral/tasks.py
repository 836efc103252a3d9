"""Background jobs: Celery tasks wrapping services. In-process (eager) unless a broker is
configured: the SQLite demo and the tests run them at once, production in a worker."""

from datetime import timedelta

from celery import shared_task

from .services.audit import audit_checkpoint
from .services.clocks import clocks_sweep
from .services.rendering import RenderingFailed, document_render, documents_waiting_for_render
from .services.service_records import services_warn_unreceived
from .timeutil import now

# A failed rendering is tried again after 10, 20 and 40 seconds, then recorded as failed: what
# makes a rendering fail for a while (a worker restarting, a full disk) has passed by then, and
# what does not (a template error) is shown to the issuer within about a minute.
RENDER_RETRIES = 3
RENDER_RETRY_SECONDS = 10
# A render task is done, retries included, within about two minutes; a document still waiting
# after ten lost its task (the broker restarted, or could not be reached when the step committed).
RENDER_REQUEUE_AFTER = timedelta(minutes=10)


@shared_task(name="referral.sweep_clocks")
def sweep_clocks() -> int:
    at = now()
    services_warn_unreceived(at=at)
    return clocks_sweep(at=at)


@shared_task(name="referral.audit_checkpoint")
def write_audit_checkpoint() -> int:
    """Anchors the audit chain head outside the database (CELERY_BEAT_SCHEDULE)."""
    return audit_checkpoint(at=now())["seq"]


@shared_task(bind=True, name="referral.render_document", max_retries=RENDER_RETRIES)
def render_document(self, document_id: int) -> str:
    """Renders and freezes an issued document's PDF (services/rendering.py), queued by the
    issuing step or correction once it has committed; retried with backoff when it fails."""
    last_try = self.request.retries >= self.max_retries
    try:
        return document_render(document_id=document_id, last_try=last_try)
    except RenderingFailed as exc:
        countdown = RENDER_RETRY_SECONDS * 2**self.request.retries
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="referral.requeue_document_renders")
def requeue_document_renders() -> int:
    """Queues the render task again for documents whose task was lost (RENDER_REQUEUE_AFTER);
    returns how many. Harmless when a task was only late: rendering skips a finished document."""
    waiting = documents_waiting_for_render(issued_before=now() - RENDER_REQUEUE_AFTER)
    for document_id in waiting:
        render_document.delay(document_id)
    return len(waiting)
