"""Pages: a home per role, inbox / queue / archive, the case page and the task page.

Each POST action of the case and task pages is a view of its own in actions.py; on an error it
renders the page again through `case_page_response` with its bound form."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from referral import (
    clue_selectors,
    consultation_selectors,
    coordination_selectors,
    intervention_selectors,
    lifecycle,
    meeting_selectors,
    permissions,
    selectors,
)
from referral.meeting_access import CASE_ROLES
from referral.models import Role
from referral.services import referrals as case
from referral.services.errors import NotFound, PermissionDenied, ReferralError
from referral.timeutil import now

from . import case_page
from . import selectors as tasks
from .filters import ReferralFilter
from .forms import (
    AttachmentForm,
    CaseTeamForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    PartyForm,
    ReassignForm,
    ReferralForm,
    SeizedItemForm,
    StepForm,
)
from .nodes import NODE_SIDES
from .record_forms import record_forms_for
from .selectors import task_open_for_referral
from .services import task_get_for_user

LIST_LIMIT = 200
PAGE_SIZE = 25


@login_required
def home(request):
    user = request.user
    counts = tasks.home_counts_for_user(user, now=now())
    stages = [
        (code, label, counts["by_stage"].get(code, 0))
        for code, label in lifecycle.Status.choices
        if counts["by_stage"].get(code)
    ]
    notices = selectors.notification_list_for_user(user).filter(read_at__isnull=True)[:10]
    at = now()
    return render(
        request,
        "workflows/home.html",
        {
            "counts": counts,
            "stages": stages,
            "notices": notices,
            "roles": [Role(r).label for r in sorted(user.role_codes)],
            # Joint meetings touching the user's agency, and its open follow-up items.
            "meetings": list(meeting_selectors.meeting_list_for_user(user, at=at)[:5]),
            "follow_ups": [
                (item, item.is_overdue(at))
                for item in meeting_selectors.follow_ups_open_for_agency(user)[:10]
            ],
            # Open early interventions the user's agency asked for or was asked in.
            "intervention_rows": list(
                intervention_selectors.intervention_rows_for_user(user, open_only=True)[:10]
            ),
            # Open case consultations the user's agency opened or was invited to.
            "consultations": list(
                consultation_selectors.consultation_list_for_user(user, open_only=True)[:10]
            ),
            # Clues the user's station passed or received, or its bureau oversees, still open.
            "clues": list(clue_selectors.clue_list_for_user(user, open_only=True)[:10]),
            "now": at,
        },
    )


def _task_list(request, rows, title, kind, **extra):
    return render(
        request,
        "workflows/task_list.html",
        {
            "rows": list(rows[:LIST_LIMIT]),
            "title": title,
            "kind": kind,
            "now": now(),
            **extra,
        },
    )


@login_required
def inbox(request):
    """The user's tasks, and below them the open follow-up items of joint meetings owned by
    the user's agency, each with its time left, to report done from here."""
    at = now()
    follow_ups = meeting_selectors.follow_ups_open_for_agency(request.user)[:LIST_LIMIT]
    return _task_list(
        request,
        tasks.task_inbox_for_user(request.user),
        _("My tasks"),
        "inbox",
        follow_ups=[(item, item.is_overdue(at)) for item in follow_ups],
    )


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
    rows = selectors.referral_list_for_user(request.user).order_by("-created_at", "-pk")
    # Marks the cases with an early intervention or consultation of the user's agency.
    rows = coordination_selectors.referrals_with_coordination(request.user, rows)
    found = ReferralFilter(request.GET, queryset=rows)
    # An invalid filter lists nothing rather than every case as if it held.
    matches = found.qs if found.is_valid() else rows.none()
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    # The links to other pages keep the search and filters.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workflows/referral_list.html",
        {"filter": found, "page": page, "query": query.urlencode()},
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
            return redirect("xianjie:referral_detail", referral.pk)
    return render(request, "workflows/referral_new.html", {"form": form})


@login_required
@require_GET
def referral_detail(request, pk):
    return case_page_response(request, referral_id=pk)


@login_required
@require_GET
def attachment_file(request, pk):
    """An attachment for anyone who may see its referral, shown in the browser (PDF, images)
    or, with ?download, saved; every opening is recorded. Served only through here: the media
    directory has no URL."""
    downloaded = "download" in request.GET
    try:
        attachment, data = case.attachment_read(
            attachment_id=pk, actor=request.user, downloaded=downloaded
        )
    except NotFound:
        raise Http404 from None
    if data is None:
        return HttpResponse(
            _("The stored copy of this file has been altered; inform the administrator."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    inline = attachment.viewable_inline and not downloaded
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # The file runs nothing and loads nothing even if it is not what it claims to be.
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def task_detail(request, task_pk):
    task = task_for_page(request.user, task_pk)
    return case_page_response(request, referral_id=referral_id_of(task), task=task)


def task_for_page(user, task_id: int) -> Task:
    """The task for its page and actions: 404 for another agency's, 403 for another role's."""
    try:
        return task_get_for_user(task_id=task_id, user=user)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None


def referral_id_of(task: Task) -> int:
    return int(task.process.artifact_object_id)


def steps_for(user, referral, node: str | None = None):
    """The steps `user` may take now (on a task page: only those of the task's node)."""
    out = []
    for name, ts in lifecycle.transitions().items():
        step = lifecycle.step_of(ts[0])
        if node and (step.side, step.role) != (NODE_SIDES[node], node):
            continue
        # A step that cannot apply to this case (an IP-only or a detention step) is not offered.
        possible = any(
            t.source == referral.status and lifecycle.step_applies(t, referral) for t in ts
        )
        if possible and permissions.may_take_step(user, referral, step):
            out.append((name, step))
    # A head deciding a proposal sees the approval first, sending it back after it.
    decisions = lifecycle.decisions_on_proposals()
    return sorted(out, key=lambda item: item[0] not in decisions)


def case_page_response(request, *, referral_id: int, task: Task | None = None, bound=None):
    """The case page (the task page when `task` is given). `bound` maps a form's key ("party",
    "step:<name>", ...) to the posted form, shown again with its input and errors."""
    user = request.user
    try:
        page = case_page.case_page_for_user(
            user=user, referral_id=referral_id, timeline_scope=request.GET.get("timeline", "")
        )
    except NotFound:
        raise Http404 from None
    if not user.role_codes:
        raise DjangoPermissionDenied
    referral = page.referral
    if (
        request.method == "GET"
        and user.has_role(Role.PROCURATOR)
        and user.agency_id == referral.procuratorate_id
    ):
        case.referral_record_view(referral=referral, actor=user)
    context = {
        "page": page,
        "referral": referral,
        "task": task,
        "now": now(),
        "timeline_scopes": case_page.TIMELINE_SCOPES,
        # The case's early interventions the user's agency takes part in (one query).
        "intervention_rows": list(
            intervention_selectors.intervention_rows_for_referral(user, referral)
        ),
        "may_ask_intervention": referral.transferred_at is None
        and permissions.may_edit_case_record(user, referral),
        # The case's consultations the user's agency takes part in (one query).
        "case_consultations": list(
            consultation_selectors.consultations_for_referral(user, referral)
        ),
        "may_open_consultation": any(map(user.has_role, CASE_ROLES)),
        # Joint meetings of the user's agency that put the case on their agenda (one query).
        "case_meetings": list(coordination_selectors.meetings_on_referral(user, referral)),
    }
    context.update(_forms(user, page, task, bound or {}))
    if task:
        context.update(_task_panel(user, task, bound or {}))
    return render(request, "workflows/referral_detail.html", context)


def _forms(user, page, task, bound) -> dict:
    referral = page.referral
    may_edit = permissions.may_edit_case_record(user, referral)
    editable = may_edit and referral.status in lifecycle.EDITABLE_STATES
    steps = steps_for(user, referral, task.flow_task.name if task else None)
    holders = _step_holders(user, referral, task, steps)
    proposal = page.proposal
    return {
        # The proposal the user's steps decide, shown above them (the reviewer's opinion).
        "proposal": proposal if _decides(proposal, steps) else None,
        "step_forms": [
            (
                name,
                step,
                bound.get(f"step:{name}") or _step_form(name, step, page),
                holders.get(step.role),
                _waits_for(holders.get(step.role), user),
            )
            for name, step in steps
        ],
        **record_forms_for(user, page, bound),
        **extension_forms_for(user, page, bound),
        # On the case page, the unclaimed tasks standing for the steps offered: claimed here,
        # they open on their task page (the task page shows its own claim button).
        "to_claim": (
            [] if task else list({t.pk: t for t in holders.values() if t.owner_id is None}.values())
        ),
        "may_upload": may_edit,
        "attachment_form": bound.get("upload") or AttachmentForm(),
        "party_form": (bound.get("party") or PartyForm()) if may_edit else None,
        "team_form": (
            (bound.get("team") or CaseTeamForm(referral=referral, members=page.team))
            if may_edit
            else None
        ),
        "seized_item_form": (
            (bound.get("seized_item") or SeizedItemForm(prefix="item")) if editable else None
        ),
        "correction": bound.get("correction"),
        # Forms posted from the task page come back to it.
        "origin": f"?task={task.pk}" if task else "",
    }


def extension_forms_for(user, page, bound) -> dict:
    """While the police decide, the case reviewer may ask the police head to extend the review
    under the jurisdiction's rule set, and the head grants or refuses what was asked (MPS rules
    art. 178; DOMAIN.md §9.2, §9.4). The rule set is read only for those two."""
    referral = page.referral
    if referral.status not in lifecycle.POLICE_DECISION_STATES:
        return {}
    request = page.extension_request
    if request is None and permissions.may_act(user, referral, "police", Role.POLICE_REVIEWER):
        rules = selectors.review_extensions_available(referral)
        form = bound.get("extension") or (ExtensionRequestForm(rules=rules) if rules else None)
        return {"extension_request_form": form}
    if request is not None and permissions.may_act(user, referral, "police", Role.POLICE_HEAD):
        rules = selectors.review_extensions_available(referral)
        form = bound.get("extension_decision") or ExtensionDecisionForm(
            rules=rules, initial={"rule": request.payload.get("rule")}
        )
        return {"extension_request": request, "extension_decision_form": form}
    return {"extension_request": request} if request is not None else {}


def _decides(proposal, steps) -> bool:
    """Whether one of `steps` decides the proposal recorded by the audit event `proposal`."""
    if proposal is None:
        return False
    proposes = lifecycle.step_named(proposal.action).proposes
    return any(name in proposes for name, _step in steps)


def _step_form(name, step, page) -> StepForm:
    form = StepForm(step=step, prefix=name, referral=page.referral)
    proposal = page.proposal
    if proposal is not None and name in lifecycle.step_named(proposal.action).proposes:
        # The head's form starts from what the reviewer proposed (the organ, the ground).
        for field in ("police_agency", "non_filing_ground"):
            if field in form.fields and (proposal.payload or {}).get(field):
                form.initial[field] = proposal.payload[field]
    if name == "request_supplement" and page.missing_items:
        # What the receipt checklist marked missing is what the request asks for.
        form.initial["reason"] = _("Missing from the transfer: %(items)s.") % {
            "items": "、".join(map(str, page.missing_items))
        }
    return form


def _step_holders(user, referral, task, steps) -> dict:
    """node -> the open task of the user's agency that the node's steps need held, the same
    check the step itself makes (services.step_take): the page's own task on a task page, one
    query on a case page with steps to offer."""
    if task is not None:
        return {task.flow_task.name: task}
    if not steps:
        return {}
    tasks = task_open_for_referral(referral.pk).filter(
        owner_permission_obj_pk=str(user.agency_id or "")
    )
    return {t.flow_task.name: t for t in tasks.select_related("owner")}


def _waits_for(holder, user) -> str:
    """Why the step cannot be taken yet: "claim" (the task is in the queue), "held" (someone
    else holds it), "" (the user may act)."""
    if holder is None or holder.owner_id == user.pk:
        return ""
    return "claim" if holder.owner_id is None else "held"


def _task_panel(user, task, bound) -> dict:
    may_reassign = user.has_role(Role.AGENCY_HEAD) and task.status in (
        STATUS.NEW,
        STATUS.ASSIGNED,
    )
    return {
        "task_role": Role(task.flow_task.name).label,
        "task_is_mine": task.owner_id == user.pk,
        "may_reassign": may_reassign,
        "reassign_form": (
            bound.get("reassign") or ReassignForm(head=user, role=task.flow_task.name)
            if may_reassign
            else None
        ),
    }


@login_required
@require_GET
def coordination_search(request):
    """Searches the joint meetings, early interventions, case consultations and clues the
    user's agency takes part in."""
    text = request.GET.get("q", "").strip()
    found = coordination_selectors.coordination_search(request.user, text=text, at=now())
    return render(
        request,
        "workflows/coordination_search.html",
        {"q": text, "found": found if text else None, "now": now()},
    )
