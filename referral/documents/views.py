"""The public verification page, the authenticated download of an issued document, its
rendering progress and another try at a failed rendering."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.client_address import client_address
from config.uploads import discard_body, upload_too_large

from .. import access
from ..models import Document
from ..services.documents import document_render_retry
from ..services.errors import NotFound, ReferralError
from .numbering import normalise_verification_code
from .verify import Outcome, Verdict, stored_copy_intact, verify_code, verify_pdf

# Per client address and minute. A code has ~50 bits, so the limit is not what stops guessing;
# it keeps the public page and the hashing of uploads from being used to load the server.
RATE_LIMITS = {"code": 60, "upload": 10}
RATE_WINDOW_SECONDS = 60

LABELS = {
    "page_title": _("Document verification"),
    "intro": _(
        "Enter the verification code printed beside the QR code, or upload the PDF you "
        "received, to check that it is an authentic document issued through this system."
    ),
    "code": _("Verification code"),
    "check": _("Check"),
    "file": _("PDF file"),
    "upload": _("Check the file"),
    "type": _("Document"),
    "number": _("Number"),
    "version": _("Version"),
    "agency": _("Issuing agency"),
    "issued_on": _("Date of issue"),
    "status": _("Status"),
    "current_version": _("Version in force"),
    "current_status": _("Current"),
    "superseded_status": _("Superseded"),
    "file_changed": _(
        "A file that differs from the issued PDF by a single byte is not recognised: compare "
        "with the copy you received directly from the issuing agency."
    ),
}


@require_GET
def verify_code_view(request, code: str):
    """GET /verify/<code>/: what the code stands for; 404 when it stands for nothing."""
    if limited := _rate_limited(request, "code"):
        return limited
    verdict = verify_code(code)
    status = 404 if verdict.outcome == Outcome.UNKNOWN else 200
    return _answer(request, verdict, status=status, code=normalise_verification_code(code))


# Public and without side effects or session: a script may post a PDF without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify_view(request):
    """GET /verify/ shows the form (or follows a typed code); POST /verify/ checks a PDF."""
    if request.method == "GET":
        code = normalise_verification_code(request.GET.get("code", ""))
        if code:
            return redirect("referral:verify", code=code)
        return _answer(request, None)
    if limited := _rate_limited(request, "upload"):
        return limited
    # Read as a stream and stopped at the limit, a declared length past it before any byte.
    if upload_too_large(request):
        discard_body(request)
        return _error(request, _("The file is too large."), status=413)
    upload = request.FILES.get("file")
    if upload is None:
        return _error(request, _("Choose a PDF file to check."), status=400)
    return _answer(request, verify_pdf(upload.chunks()))


def _document_for_user(user, pk: int) -> Document:
    try:
        return access.document_get_for_user(user=user, document_id=pk)
    except NotFound:
        raise Http404() from None


@login_required
@require_GET
def document_status_view(request, pk: int):
    """GET /documents/<pk>/status: rendering state and progress, polled by the case page."""
    document = _document_for_user(request.user, pk)
    return JsonResponse(
        {
            "state": document.render_state,
            "label": str(document.get_render_state_display()),
            "progress": document.render_progress,
            "ready": document.is_ready,
        }
    )


@login_required
@require_GET
def document_pdf_view(request, pk: int):
    """GET /documents/<pk>/pdf: the frozen PDF, for those who may see the referral; everyone
    else gets the same 404 as for a document that does not exist."""
    document = _document_for_user(request.user, pk)
    if not document.is_ready:
        raise Http404()
    if not stored_copy_intact(document):
        # Never hand out an altered copy as the issued document.
        return HttpResponse(
            _("The stored copy of this document has been altered; inform the administrator."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(
        document.pdf.open("rb"),
        as_attachment="download" in request.GET,
        filename=f"{document.display_number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_retry_view(request, pk: int):
    """POST /documents/<pk>/retry: renders a document whose rendering failed once more, then
    back to the page that asked (`next`, on this site only)."""
    try:
        document = document_render_retry(document_id=pk, actor=request.user)
    except NotFound:
        raise Http404() from None
    except ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Document %(number)s is being rendered again.") % {"number": document.display_number},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def _answer(request, verdict: Verdict | None, *, status: int = 200, code: str = ""):
    if verdict is not None and _wants_json(request):
        return JsonResponse(verdict.as_public_dict(), status=status)
    context = {"verdict": verdict, "code": code, "labels": LABELS}
    if verdict is not None:
        context["public"] = verdict.as_public_dict()
    return render(request, "referral/verify.html", context, status=status)


def _error(request, message, *, status: int):
    if _wants_json(request):
        return JsonResponse({"error": str(message)}, status=status)
    return render(
        request, "referral/verify.html", {"error": message, "labels": LABELS}, status=status
    )


def _rate_limited(request, bucket: str):
    """A 429 answer when this client has used up its requests for the minute, else None.

    Counted in the Django cache, which production points at Redis so that every worker and
    server shares one count (a per-process cache would multiply the limit by the workers), per
    client address as the trusted proxies report it (config/client_address.py)."""
    key = f"xianjie:verify:{bucket}:{client_address(request)}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        count = 1
    if count <= RATE_LIMITS[bucket]:
        return None
    response = _error(request, _("Too many requests; try again in a minute."), status=429)
    response["Retry-After"] = str(RATE_WINDOW_SECONDS)
    return response
