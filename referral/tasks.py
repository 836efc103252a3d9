"""Background jobs: Celery tasks wrapping services. In-process (eager) unless a broker is
configured: the SQLite demo and the tests run them at once, production in a worker."""

from celery import shared_task

from .services.clocks import clocks_sweep
from .services.rendering import RenderingFailed, document_render

# A failed rendering is tried again after 10, 20 and 40 seconds, then recorded as failed: what
# makes a rendering fail for a while (a worker restarting, a full disk) has passed by then, and
# what does not (a template error) is shown to the issuer within about a minute.
RENDER_RETRIES = 3
RENDER_RETRY_SECONDS = 10


@shared_task(name="referral.sweep_clocks")
def sweep_clocks() -> int:
    return clocks_sweep()


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
