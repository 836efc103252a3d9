"""Early-intervention pages: the list (with search), asking from a case, the request's page,
and one small view per POST action of that page, each validating its form and calling one
service. Done or refused, an action returns to the request's page with its message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from referral import intervention_access, intervention_selectors, selectors
from referral.models import Agency, AgencyKind, InterventionStatus
from referral.services import interventions as svc
from referral.services.errors import NotFound, ReferralError
from referral.timeutil import now

from . import intervention_forms as f
from .form_actions import act_on_form

LIST_LIMIT = 200


@login_required
@require_GET
def intervention_list(request):
    text = request.GET.get("q", "")
    rows = intervention_selectors.intervention_rows_for_user(request.user, text=text)
    return render(
        request,
        "workflows/interventions/list.html",
        {"rows": list(rows[:LIST_LIMIT]), "q": text, "now": now()},
    )


@login_required
def intervention_new(request, pk: int):
    """Asks for early intervention on referral `pk`; a refused request shows the form again
    with what was typed."""
    try:
        referral = selectors.referral_get_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    agencies = Agency.objects.filter(kind__in=svc.ADDRESSEE_KINDS).order_by("level", "code")
    form = f.RequestForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = svc.intervention_request(
                actor=request.user, referral_id=referral.pk, **form.cleaned_data
            )
        except NotFound:
            raise Http404 from None
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Early intervention asked for; it awaits the head's approval.")
            )
            return redirect("xianjie:intervention_detail", intervention.pk)
    return render(request, "workflows/interventions/new.html", {"form": form, "referral": referral})


@login_required
@require_GET
def intervention_detail(request, pk: int):
    user = request.user
    try:
        intervention = intervention_selectors.intervention_detail_for_user(user, pk)
    except NotFound:
        raise Http404 from None
    at = now()
    mine = intervention_access.addressee_of(user, intervention)
    is_requested = intervention.state == InterventionStatus.REQUESTED
    assign_form = None
    if mine is not None and is_requested and mine.answer == "accepted":
        officers = intervention_selectors.officers_to_assign(user)
        assign_form = f.AssignForm(
            officers=officers, initial={"officer_ids": [o.pk for o in mine.officers.all()]}
        )
    return render(
        request,
        "workflows/interventions/detail.html",
        {
            "i": intervention,
            "now": at,
            "addressees": [(a, a.is_overdue(at)) for a in intervention.addressees.all()],
            "requesting": intervention_access.is_requesting_side(user, intervention),
            "may_decide": intervention_access.may_decide(user, intervention)
            and intervention.state == InterventionStatus.AWAITING_APPROVAL,
            "mine": mine,
            "may_answer": mine is not None and is_requested and mine.answered_at is None,
            "assign_form": assign_form,
            "may_note": is_requested and intervention_access.may_add_note(user, intervention),
            "may_close": is_requested
            and intervention_access.is_requesting_side(user, intervention),
            "police_kind": AgencyKind.POLICE,
        },
    )


def _act(request, pk: int, form, act, done: str):
    return act_on_form(request, form, act, done, back=("xianjie:intervention_detail", pk))


@login_required
@require_POST
def intervention_decide(request, pk: int):
    return _act(
        request,
        pk,
        f.DecideForm(request.POST),
        lambda d: svc.intervention_decide(actor=request.user, intervention_id=pk, **d),
        _("Decision recorded."),
    )


@login_required
@require_POST
def intervention_respond(request, pk: int):
    return _act(
        request,
        pk,
        f.RespondForm(request.POST),
        lambda d: svc.intervention_respond(actor=request.user, intervention_id=pk, **d),
        _("Answer sent."),
    )


@login_required
@require_POST
def intervention_assign(request, pk: int):
    officers = intervention_selectors.officers_to_assign(request.user)
    return _act(
        request,
        pk,
        f.AssignForm(request.POST, officers=officers),
        lambda d: svc.intervention_assign(actor=request.user, intervention_id=pk, **d),
        _("Officers assigned."),
    )


@login_required
@require_POST
def intervention_note(request, pk: int):
    return _act(
        request,
        pk,
        f.NoteForm(request.POST),
        lambda d: svc.intervention_note_add(actor=request.user, intervention_id=pk, **d),
        _("Note added."),
    )


@login_required
@require_POST
def intervention_close(request, pk: int):
    return _act(
        request,
        pk,
        f.CloseForm(request.POST),
        lambda d: svc.intervention_close(actor=request.user, intervention_id=pk, **d),
        _("Early intervention closed."),
    )
