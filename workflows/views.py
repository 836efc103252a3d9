"""Pages: a home per role, inbox / queue / archive, the case page and the task page.

Views validate a form, call a service and redirect; every rule lives in the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from referral import lifecycle, permissions, selectors
from referral.models import Notice, Role
from referral.services import documents as docs
from referral.services import referrals as case
from referral.services.errors import NotFound, PermissionDenied, ReferralError
from referral.services.transitions import run_transition
from referral.timeutil import now

from . import case_page
from . import selectors as tasks
from .flows import NODE_OWNERS, OWNER_NODES, ReferralFlow
from .forms import (
    AttachmentForm,
    CaseTeamForm,
    CorrectionForm,
    PartyForm,
    ReassignForm,
    ReferralForm,
    SeizedItemForm,
    StepForm,
)
from .services import (
    task_claim,
    task_complete_after_step,
    task_get_for_user,
    task_reassign,
    task_release,
)
from .sync import expected_task, process_for

LIST_LIMIT = 200


def _url(name, *args):
    return reverse(f"xianjie:{name}", args=args)


@login_required
def home(request):
    user = request.user
    counts = tasks.home_counts_for_user(user, now=now())
    stages = [
        (code, label, counts["by_stage"].get(code, 0))
        for code, label in lifecycle.Status.choices
        if counts["by_stage"].get(code)
    ]
    notices = Notice.objects.for_user(user).select_related("referral", "clock")[:10]
    return render(
        request,
        "workflows/home.html",
        {
            "counts": counts,
            "stages": stages,
            "notices": notices,
            "roles": [Role(r).label for r in sorted(user.role_codes)],
        },
    )


def _task_list(request, rows, title, kind):
    return render(
        request,
        "workflows/task_list.html",
        {
            "rows": list(rows[:LIST_LIMIT]),
            "title": title,
            "kind": kind,
            "now": now(),
        },
    )


@login_required
def inbox(request):
    return _task_list(request, tasks.task_inbox_for_user(request.user), _("My tasks"), "inbox")


@login_required
def queue(request):
    return _task_list(request, tasks.task_queue_for_user(request.user), _("Task queue"), "queue")


@login_required
def archive(request):
    return _task_list(request, tasks.task_archive_for_user(request.user), _("Archive"), "archive")


@login_required
def agency_tasks(request):
    if not request.user.has_role(Role.AGENCY_HEAD):
        raise DjangoPermissionDenied
    rows = tasks.task_agency_open_for_head(request.user)
    return _task_list(request, rows, _("Open tasks of my agency"), "agency")


@login_required
def referral_list(request):
    rows = selectors.referral_list_for_user(request.user).order_by("-created_at")
    status = request.GET.get("status")
    if status in lifecycle.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "workflows/referral_list.html",
        {
            "rows": list(rows[:LIST_LIMIT]),
            "statuses": lifecycle.Status.choices,
            "status": status,
        },
    )


@login_required
def referral_new(request):
    if not permissions.may_create_referral(request.user):
        raise DjangoPermissionDenied
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = case.referral_create(actor=request.user, **form.cleaned_data)
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Referral %(ref)s opened.") % {"ref": referral.reference})
            return redirect(_url("referral_detail", referral.pk))
    return render(request, "workflows/referral_new.html", {"form": form})


def _steps_for(user, referral, owner=None):
    """The steps `user` may take now (optionally only those of one task owner)."""
    out = []
    for name, ts in lifecycle.transitions().items():
        step = lifecycle.step_of(ts[0])
        if owner and (step.side, step.role) != owner:
            continue
        if any(t.source == referral.status for t in ts) and permissions.may_act(
            user, referral, step.side, step.role
        ):
            out.append((name, step))
    return out


def _get_referral(user, referral_id):
    try:
        return selectors.referral_get_for_user(user, referral_id)
    except NotFound:
        raise Http404 from None


@login_required
def referral_detail(request, pk):
    referral = _get_referral(request.user, pk)
    if not request.user.role_codes:
        raise DjangoPermissionDenied
    return _case_page(request, referral, task=None)


@login_required
def task_detail(request, task_pk):
    try:
        task = task_get_for_user(task_id=task_pk, user=request.user)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    referral = _get_referral(request.user, int(task.process.artifact_object_id))
    return _case_page(request, referral, task=task)


def _case_page(request, referral, task):
    user = request.user
    owner = NODE_OWNERS[task.flow_task.name] if task else None
    steps = _steps_for(user, referral, owner)
    if request.method == "POST":
        response = _handle_post(request, referral, task, dict(steps))
        if response is not None:
            return response
    if user.has_role(Role.PROCURATOR) and user.agency_id == referral.procuratorate_id:
        case.referral_record_view(referral=referral, actor=user)
    return render(
        request, "workflows/referral_detail.html", _case_context(request, referral, task, steps)
    )


def _handle_post(request, referral, task, steps):
    action = request.POST.get("action", "")
    try:
        if action == "claim" and task:
            task_claim(task_id=task.pk, user=request.user)
            return redirect(_url("task_detail", task.pk))
        if action == "release" and task:
            task_release(task_id=task.pk, user=request.user)
            return redirect(_url("queue"))
        if action == "reassign" and task:
            form = ReassignForm(
                request.POST, head=request.user, role=NODE_OWNERS[task.flow_task.name][1]
            )
            if form.is_valid():
                task_reassign(
                    task_id=task.pk, head=request.user, to_user_id=form.cleaned_data["to_user"].pk
                )
                return redirect(_url("task_detail", task.pk))
        if action == "upload":
            return _upload(request, referral)
        if action == "set_team":
            form = CaseTeamForm(request.POST, referral=referral)
            if form.is_valid():
                ids = [u.pk for u in form.cleaned_data["members"]]
                case.case_team_set(referral_id=referral.pk, actor=request.user, member_ids=ids)
                messages.success(request, _("Special case group appointed."))
            else:
                messages.error(request, _("Choose the members of the special case group."))
            return redirect(request.path)
        if action == "add_party":
            form = PartyForm(request.POST)
            if form.is_valid():
                case.party_add(referral_id=referral.pk, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Party added."))
            else:
                messages.error(request, _("Give the party's kind and name."))
            return redirect(request.path)
        if action == "add_seized_item":
            return _add_seized_item(request, referral)
        if action == "correct_document":
            return _correct_document(request, referral)
        if action in steps:
            return _take_step(request, referral, task, action, steps[action])
    except ReferralError as exc:
        messages.error(request, str(exc))
        return redirect(request.path)
    return None


def _upload(request, referral):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a kind and a file."))
        return redirect(request.path)
    upload = form.cleaned_data["file"]
    case.attachment_add(
        referral_id=referral.pk,
        actor=request.user,
        kind=form.cleaned_data["kind"],
        name=upload.name,
        data=upload.read(),
    )
    messages.success(request, _("File uploaded."))
    return redirect(request.path)


def _add_seized_item(request, referral):
    form = SeizedItemForm(request.POST, prefix="item")
    if not form.is_valid():
        request.seized_item_form = form  # shown again with its errors
        return None
    docs.seized_item_add(referral_id=referral.pk, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Seized item added."))
    return redirect(request.path)


def _correct_document(request, referral):
    form = CorrectionForm(request.POST, prefix="correct")
    if not form.is_valid():
        messages.error(request, _("Give a reason for the correction."))
        return redirect(request.path)
    document_id = form.cleaned_data["document"]
    if not referral.documents.filter(pk=document_id).exists():
        raise NotFound(_("No such document."))
    document = docs.document_reissue(
        document_id=document_id, actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request, _("Corrected version %(number)s issued.") % {"number": document.display_number}
    )
    return redirect(request.path)


def _take_step(request, referral, task, name, step):
    form = StepForm(request.POST, step=step, prefix=name)
    if not form.is_valid():
        request.step_forms = {name: form}
        return None
    if task is not None and task.owner_id != request.user.pk:
        raise PermissionDenied(_("Claim the task before acting on it."))
    with transaction.atomic():
        held = _held_task(referral, step, task)
        if held is not None and held.owner_id and held.owner_id != request.user.pk:
            raise PermissionDenied(_("%(user)s has claimed this task.") % {"user": held.owner})
        run_transition(
            referral_id=referral.pk, actor=request.user, name=name, **form.service_kwargs()
        )
        if held is not None and held.owner_id == request.user.pk:
            with ReferralFlow.lock(held.process_id):
                held.refresh_from_db()
                task_complete_after_step(held, request)
    messages.success(request, _("Done: %(step)s.") % {"step": step.label})
    return redirect(_url("referral_detail", referral.pk))


def _held_task(referral, step, task):
    """The open task of the step's owner on this referral (the one claiming serialises)."""
    if task is not None:
        return task
    process = process_for(referral)
    if process is None:
        return None
    node = OWNER_NODES.get((step.side, step.role))
    return process.task_set.filter(
        flow_task=getattr(ReferralFlow, node, None) if node else None,
        status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
    ).first()


def _case_context(request, referral, task, steps):
    user = request.user
    posted = getattr(request, "step_forms", {})
    step_forms = [
        (name, step, posted.get(name) or StepForm(step=step, prefix=name)) for name, step in steps
    ]
    events = list(referral.events.select_related("actor", "actor_agency").order_by("seq"))
    may_edit = permissions.may_edit_case_record(user, referral)
    context = {
        "referral": referral,
        "task": task,
        "step_forms": step_forms,
        "parties": referral.parties.all(),
        "attachments": referral.attachments.select_related("uploaded_by"),
        "penalties": referral.penalties.all(),
        "clocks": referral.clocks.select_related("owner_agency").order_by("started_at", "pk"),
        "documents": case_page.documents_for(user, referral),
        "seized_items": referral.seized_items.all(),
        "seized_item_form": (
            getattr(request, "seized_item_form", None) or SeizedItemForm(prefix="item")
            if may_edit and referral.status in lifecycle.EDITABLE_STATES
            else None
        ),
        "events": events,
        "may_upload": may_edit,
        "attachment_form": AttachmentForm(),
        "team": referral.case_team.all(),
        "team_form": CaseTeamForm(referral=referral) if may_edit else None,
        "party_form": PartyForm() if may_edit else None,
        "chart": case_page.chart(referral, events),
        "now": now(),
    }
    if task:
        context["task_is_mine"] = task.owner_id == user.pk
        context["may_reassign"] = user.has_role(Role.AGENCY_HEAD) and task.status in (
            STATUS.NEW,
            STATUS.ASSIGNED,
        )
        if context["may_reassign"]:
            context["reassign_form"] = ReassignForm(
                head=user, role=NODE_OWNERS[task.flow_task.name][1]
            )
    return context


__all__ = ["expected_task"]
