"""POST actions of the case and task pages, one small view each, each with its own URL.

Each validates its form and calls one service. Done, it says so and returns to the page the form
was on; refused (an invalid form or a service's error), it renders that page again with the bound
form, its input kept, and the error in the user's language (Chinese by default)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from config.uploads import discard_body, too_large_message, upload_too_large
from referral import lifecycle, selectors
from referral.models import Document
from referral.services import documents as docs
from referral.services import referrals as case
from referral.services import seized_items, signing
from referral.services.base import check_case_record_edit
from referral.services.errors import InvalidInput, NotFound, ReferralError

from .forms import (
    AttachmentForm,
    CaseTeamForm,
    CorrectionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    PaperServiceForm,
    PartyForm,
    ReassignForm,
    SeizedItemForm,
    SignForDocumentForm,
    StepForm,
)
from .services import step_take, task_claim, task_reassign, task_release
from .views import case_page_response, referral_id_of, task_for_page


def _back(referral_id: int, task):
    if task is not None:
        return redirect("xianjie:task_detail", task.pk)
    return redirect("xianjie:referral_detail", referral_id)


def _origin(request, referral_id: int):
    """The task whose page the form was on (`?task=`), None for the case page."""
    task_pk = request.GET.get("task", "")
    if not task_pk.isdigit():
        return None
    task = task_for_page(request.user, int(task_pk))
    if referral_id_of(task) != referral_id:
        raise Http404
    return task


def _referral(request, referral_id: int):
    try:
        return selectors.referral_get_for_user(request.user, referral_id)
    except NotFound:
        raise Http404 from None


def _submit(request, *, referral_id: int, task, key: str, form, act, then=None):
    """Calls `act(cleaned_data)` (which returns the message to show) when `form` is valid, then
    redirects to `then` (the page the form was on by default); otherwise, or when the service
    refuses, renders the page again with `form` under `key`."""
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except ReferralError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
            return then or _back(referral_id, task)
    return case_page_response(request, referral_id=referral_id, task=task, bound={key: form})


# --- steps --------------------------------------------------------------------------------------


@login_required
@require_POST
def referral_step(request, pk: int, name: str):
    return _take_step(request, referral_id=pk, name=name, task=None)


@login_required
@require_POST
def task_step(request, task_pk: int, name: str):
    task = task_for_page(request.user, task_pk)
    return _take_step(request, referral_id=referral_id_of(task), name=name, task=task)


def _take_step(request, *, referral_id: int, name: str, task):
    candidates = lifecycle.transitions().get(name)
    if not candidates:
        raise Http404
    step = lifecycle.step_of(candidates[0])

    def act(data):
        step_take(
            referral_id=referral_id,
            actor=request.user,
            name=name,
            task=task,
            **form.service_kwargs(),
        )
        return _("Done: %(step)s.") % {"step": step.label}

    form = StepForm(request.POST, step=step, prefix=name)  # posted: no initial needed
    # After a step the task is done: the case page shows where the referral went.
    then = redirect("xianjie:referral_detail", referral_id)
    key = f"step:{name}"
    return _submit(
        request, referral_id=referral_id, task=task, key=key, form=form, act=act, then=then
    )


# --- the task: claim, release, reassign -------------------------------------------------------


@login_required
@require_POST
def task_claim_view(request, task_pk: int):
    return _task_action(request, task_pk, task_claim, then=("xianjie:task_detail", task_pk))


@login_required
@require_POST
def task_release_view(request, task_pk: int):
    return _task_action(request, task_pk, task_release, then=("xianjie:queue",))


def _task_action(request, task_pk: int, service, *, then):
    """Claim and release carry no input: refused, they say why on the task page."""
    try:
        service(task_id=task_pk, user=request.user)
    except NotFound:
        raise Http404 from None
    except ReferralError as exc:
        messages.error(request, str(exc))
        return redirect("xianjie:task_detail", task_pk)
    return redirect(*then)


@login_required
@require_POST
def task_reassign_view(request, task_pk: int):
    task = task_for_page(request.user, task_pk)
    form = ReassignForm(request.POST, head=request.user, role=task.flow_task.name)

    def act(data):
        task_reassign(task_id=task.pk, head=request.user, to_user_id=data["to_user"].pk)
        return _("Task reassigned to %(user)s.") % {"user": data["to_user"]}

    return _submit(
        request, referral_id=referral_id_of(task), task=task, key="reassign", form=form, act=act
    )


# --- the case record ----------------------------------------------------------------------------


# The right is checked before the body is read and the size while it is read, so the CSRF check
# (which reads the body) comes after them, in `_upload`: Django's documented pattern for a view
# that controls its uploads. A refusal changes nothing, so it needs no token.
@csrf_exempt
@login_required
@require_POST
def referral_upload(request, pk: int):
    """Refuses a user without the right to change the case record before reading a byte of the
    body; the body is then read as a stream and stopped at the size limit (config/uploads.py)."""
    referral = _referral(request, pk)
    try:
        check_case_record_edit(actor=request.user, referral=referral)
    except ReferralError as exc:
        return _refuse_upload(request, pk, str(exc))
    if upload_too_large(request):
        return _refuse_upload(request, pk, too_large_message())
    return _upload(request, pk)


@csrf_protect
def _upload(request, pk: int):
    form = AttachmentForm(request.POST, request.FILES)

    def act(data):
        upload = data["file"]
        case.attachment_add(
            referral_id=pk,
            actor=request.user,
            kind=data["kind"],
            name=upload.name,
            data=upload.read(),  # at most the limit: the handler stopped anything larger
        )
        return _("File uploaded.")

    task = _origin(request, pk)
    return _submit(request, referral_id=pk, task=task, key="upload", form=form, act=act)


def _refuse_upload(request, pk: int, message: str):
    discard_body(request)
    messages.error(request, message)
    return _back(pk, _origin(request, pk))


@login_required
@require_POST
def referral_party(request, pk: int):
    def act(data):
        case.party_add(referral_id=pk, actor=request.user, **data)
        return _("Party added.")

    task = _origin(request, pk)
    task, form = _origin(request, pk), PartyForm(request.POST)
    return _submit(request, referral_id=pk, task=task, key="party", form=form, act=act)


@login_required
@require_POST
def referral_case_team(request, pk: int):
    def act(data):
        ids = [user.pk for user in data["members"]]
        case.case_team_set(referral_id=pk, actor=request.user, member_ids=ids)
        return _("Special case group appointed.")

    referral = _referral(request, pk)
    task, form = _origin(request, pk), CaseTeamForm(request.POST, referral=referral)
    return _submit(request, referral_id=pk, task=task, key="team", form=form, act=act)


@login_required
@require_POST
def referral_seized_item(request, pk: int):
    def act(data):
        seized_items.seized_item_add(referral_id=pk, actor=request.user, **data)
        return _("Seized item added.")

    task, form = _origin(request, pk), SeizedItemForm(request.POST, prefix="item")
    return _submit(request, referral_id=pk, task=task, key="seized_item", form=form, act=act)


@login_required
@require_POST
def referral_document_correction(request, pk: int):
    """Issues a corrected version of one of the referral's documents."""

    def act(data):
        if not Document.objects.filter(pk=data["document"], referral_id=pk).exists():
            raise NotFound(_("No such document."))
        document = docs.document_reissue(
            document_id=data["document"], actor=request.user, reason=data["reason"]
        )
        return _("Corrected version %(number)s issued.") % {"number": document.display_number}

    task, form = _origin(request, pk), CorrectionForm(request.POST, prefix="correct")
    if not form.is_valid():
        # The page writes one small form per document, so the reason is asked for here.
        messages.error(request, _("Give a reason for the correction."))
    return _submit(request, referral_id=pk, task=task, key="correction", form=form, act=act)


def _document_of(referral_id: int, document_id: int) -> None:
    if not Document.objects.filter(pk=document_id, referral_id=referral_id).exists():
        raise NotFound(_("No such document."))


@login_required
@require_POST
def referral_document_sign(request, pk: int):
    """The addressee's officer signs for a document sent to their agency (签收)."""

    def act(data):
        _document_of(pk, data["document"])
        signing.document_sign_for(actor=request.user, document_id=data["document"])
        return _("Signed for.")

    task, form = _origin(request, pk), SignForDocumentForm(request.POST, prefix="sign")
    return _submit(request, referral_id=pk, task=task, key="sign", form=form, act=act)


@login_required
@require_POST
def referral_document_paper_service(request, pk: int):
    """The sender records that a document was served on paper, with the receipt's scan."""

    def act(data):
        _document_of(pk, data["document"])
        signing.document_record_paper_service(
            actor=request.user,
            document_id=data["document"],
            received_at=data["received_at"],
            scan=data["scan"],
        )
        return _("Paper service recorded.")

    task = _origin(request, pk)
    form = PaperServiceForm(request.POST, request.FILES, prefix="paper")
    return _submit(request, referral_id=pk, task=task, key="paper", form=form, act=act)


# --- extending the police review (MPS rules art. 178: the reviewer asks, the head decides) ----


def _extension_rules(request, pk: int):
    """The extensions the jurisdiction of the case provides: the choices, shown again with
    their periods when the form comes back (the service checks the one chosen anyway)."""
    return selectors.review_extensions_available(_referral(request, pk))


@login_required
@require_POST
def referral_extension_request(request, pk: int):
    def act(data):
        case.referral_request_review_extension(
            referral_id=pk, actor=request.user, rule=data["rule"], reason=data["reason"]
        )
        return _("Extension requested of the police head.")

    task = _origin(request, pk)
    form = ExtensionRequestForm(request.POST, rules=_extension_rules(request, pk))
    return _submit(request, referral_id=pk, task=task, key="extension", form=form, act=act)


@login_required
@require_POST
def referral_extension_grant(request, pk: int):
    def act(data):
        if not data["rule"]:
            raise InvalidInput(_("Choose the extension to grant."))
        case.referral_extend_review(
            referral_id=pk, actor=request.user, rule=data["rule"], reason=data["reason"]
        )
        return _("Review extended.")

    return _extension_decision(request, pk, act)


@login_required
@require_POST
def referral_extension_refuse(request, pk: int):
    def act(data):
        case.referral_refuse_review_extension(
            referral_id=pk, actor=request.user, reason=data["reason"]
        )
        return _("Extension refused.")

    return _extension_decision(request, pk, act)


def _extension_decision(request, pk: int, act):
    """The head's one form, posted to grant or to refuse (its two buttons)."""
    task = _origin(request, pk)
    form = ExtensionDecisionForm(request.POST, rules=_extension_rules(request, pk))
    return _submit(request, referral_id=pk, task=task, key="extension_decision", form=form, act=act)
