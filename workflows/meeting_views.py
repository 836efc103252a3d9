"""Joint-meeting pages: the list, convening a meeting, the meeting page, and one small view per
POST action of the meeting page, each validating its form and calling one service. Done or
refused, an action returns to the meeting page with its message (in the user's language)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from referral import meeting_access, meeting_selectors, selectors
from referral.models import REPORT_FIGURES, Document, FollowUp, MinutesStatus, SituationReport
from referral.services import documents as docs
from referral.services import meetings as svc
from referral.services.errors import NotFound, ReferralError
from referral.timeutil import now

from . import meeting_forms as f
from .form_actions import act_on_form

LIST_LIMIT = 200


@login_required
@require_GET
def meeting_list(request):
    rows = meeting_selectors.meeting_list_for_user(request.user, at=now())
    return render(
        request,
        "workflows/meetings/list.html",
        {"rows": list(rows[:LIST_LIMIT]), "may_convene": meeting_access.may_convene(request.user)},
    )


@login_required
def meeting_new(request):
    if not meeting_access.may_convene(request.user):
        raise DjangoPermissionDenied
    agencies = meeting_selectors.agencies_to_invite(request.user)
    form = f.ConveneForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = svc.meeting_convene(actor=request.user, **form.cleaned_data)
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Meeting convened."))
            return redirect("xianjie:meeting_detail", meeting.pk)
    return render(request, "workflows/meetings/new.html", {"form": form})


@login_required
@require_GET
def meeting_detail(request, pk: int):
    try:
        meeting = meeting_selectors.meeting_detail_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    user, at = request.user, now()
    attending = meeting_access.attending_participant(user, meeting)
    participants = list(meeting.participants.all())
    return render(
        request,
        "workflows/meetings/detail.html",
        {
            "meeting": meeting,
            "now": at,
            "may_run": meeting_access.may_run_meeting(user, meeting),
            "attending": attending,
            "is_draft": meeting.minutes_status == MinutesStatus.DRAFT,
            "is_circulated": meeting.minutes_status == MinutesStatus.CIRCULATED,
            "is_issued": meeting.minutes_status == MinutesStatus.ISSUED,
            "participants": participants,
            "awaiting": any(p.attended and not p.confirmed_at for p in participants),
            "follow_ups": [(item, item.is_overdue(at)) for item in meeting.follow_ups.all()],
            "follow_up_form": f.FollowUpForm(participants=participants),
            "agenda_form": _agenda_form(user, meeting),
            "figure_labels": [label for label, _value in SituationReport().figures()],
            "my_report_fields": _report_fields(meeting, attending),
        },
    )


def _agenda_form(user, meeting):
    """The agenda form for the convening agency while drafting (its referrals to choose
    from: one query more), else None."""
    if meeting.minutes_status != MinutesStatus.DRAFT or not meeting_access.may_run_meeting(
        user, meeting
    ):
        return None
    referrals = selectors.referral_list_for_user(user).order_by("-created_at")[:LIST_LIMIT]
    return f.AgendaForm(referrals=referrals)


def _report_fields(meeting, attending) -> list[tuple[str, str, int]]:
    """(name, label, value) of the attending agency's own report, for its form."""
    if attending is None:
        return []
    report = next(r for r in meeting.reports.all() if r.agency_id == attending.agency_id)
    return [
        (name, label, value)
        for name, (label, value) in zip(REPORT_FIGURES, report.figures(), strict=True)
    ]


def _act(request, pk: int, form, act, done: str):
    return act_on_form(request, form, act, done, back=("xianjie:meeting_detail", pk))


@login_required
@require_POST
def meeting_attendance(request, pk: int):
    return _act(
        request,
        pk,
        f.AttendanceForm(request.POST),
        lambda d: svc.meeting_attendance_set(actor=request.user, meeting_id=pk, **d),
        _("Attendance recorded."),
    )


@login_required
@require_POST
def meeting_report(request, pk: int):
    return _act(
        request,
        pk,
        f.ReportForm(request.POST),
        lambda d: svc.meeting_report_update(actor=request.user, meeting_id=pk, **d),
        _("Situation report saved."),
    )


@login_required
@require_POST
def meeting_agenda(request, pk: int):
    return _act(
        request,
        pk,
        f.AgendaForm(request.POST, referrals=selectors.referral_list_for_user(request.user)),
        lambda d: svc.meeting_agenda_add(actor=request.user, meeting_id=pk, **d),
        _("Agenda item added."),
    )


@login_required
@require_POST
def meeting_opinion(request, pk: int):
    return _act(
        request,
        pk,
        f.OpinionForm(request.POST),
        lambda d: svc.meeting_opinion_set(actor=request.user, meeting_id=pk, **d),
        _("Opinion saved."),
    )


@login_required
@require_POST
def meeting_decision(request, pk: int):
    return _act(
        request,
        pk,
        f.DecisionForm(request.POST),
        lambda d: svc.meeting_decision_add(actor=request.user, meeting_id=pk, **d),
        _("Decision recorded."),
    )


@login_required
@require_POST
def meeting_follow_up(request, pk: int):
    try:
        meeting = meeting_access.meeting_get_for_user(user=request.user, meeting_id=pk)
    except NotFound:
        raise Http404 from None
    participants = meeting.participants.select_related("agency")
    return _act(
        request,
        pk,
        f.FollowUpForm(request.POST, participants=participants),
        lambda d: svc.meeting_follow_up_add(actor=request.user, meeting_id=pk, **d),
        _("Follow-up item added."),
    )


def _plain_action(service, done):
    @login_required
    @require_POST
    def view(request, pk: int):
        return _act(
            request,
            pk,
            f.AnswerForm(request.POST),
            lambda d: service(actor=request.user, meeting_id=pk),
            done,
        )

    return view


meeting_circulate = _plain_action(svc.meeting_circulate, gettext_lazy("Minutes circulated."))
meeting_reopen = _plain_action(svc.meeting_reopen, gettext_lazy("Minutes back in draft."))
meeting_issue = _plain_action(svc.meeting_issue, gettext_lazy("Minutes issued."))


@login_required
@require_POST
def meeting_confirm(request, pk: int):
    return _act(
        request,
        pk,
        f.AnswerForm(request.POST),
        lambda d: svc.meeting_confirm(actor=request.user, meeting_id=pk, **d),
        _("Minutes confirmed."),
    )


@login_required
@require_POST
def meeting_comment(request, pk: int):
    return _act(
        request,
        pk,
        f.AnswerForm(request.POST),
        lambda d: svc.meeting_comment(actor=request.user, meeting_id=pk, **d),
        _("Comment sent."),
    )


@login_required
@require_POST
def follow_up_done(request, pk: int):
    meeting_id = FollowUp.objects.filter(pk=pk).values_list("meeting", flat=True).first()
    if meeting_id is None:
        raise Http404
    return _act(
        request,
        meeting_id,
        f.DoneForm(request.POST),
        lambda d: svc.follow_up_complete(actor=request.user, follow_up_id=pk, **d),
        _("Follow-up item done."),
    )


@login_required
@require_POST
def meeting_minutes_correction(request, pk: int):
    """The convening agency issues a corrected version of the issued minutes (same number,
    next version, the old one kept and marked superseded)."""

    def act(data):
        if not Document.objects.filter(pk=data["document"], meeting_id=pk).exists():
            raise NotFound(_("No such document."))
        docs.document_reissue(
            document_id=data["document"], actor=request.user, reason=data["reason"]
        )

    return _act(
        request,
        pk,
        f.MinutesCorrectionForm(request.POST),
        act,
        _("Corrected version of the minutes issued."),
    )
