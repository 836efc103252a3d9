"""Clue pages: the list (with search), passing a clue, the clue's page with the police
station's answer and the bureau's "open a referral", and the clue's files. Every opening of
a clue's page or file is recorded (models.ClueRead)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from referral import clue_access, clue_selectors
from referral.services import clues as svc
from referral.services.errors import NotFound, ReferralError
from referral.services.referrals import attachment_content
from referral.timeutil import now

from . import clue_forms as f

LIST_LIMIT = 200


@login_required
@require_GET
def clue_list(request):
    text = request.GET.get("q", "")
    rows = clue_selectors.clue_list_for_user(request.user, text=text)
    return render(
        request,
        "workflows/clues/list.html",
        {
            "rows": list(rows[:LIST_LIMIT]),
            "q": text,
            "now": now(),
            "may_pass": clue_access.may_pass_clue(request.user),
        },
    )


@login_required
def clue_new(request):
    if not clue_access.may_pass_clue(request.user):
        raise DjangoPermissionDenied
    form = f.PassForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clue = svc.clue_pass(
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                place=data["place"],
                parties=svc.parse_parties(data["parties"]),
                files=[(u.name, u.read()) for u in data["files"]],
            )
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Clue passed to the police station."))
            return redirect("xianjie:clue_detail", clue.pk)
    return render(request, "workflows/clues/new.html", {"form": form})


@login_required
@require_GET
def clue_detail(request, pk: int):
    user = request.user
    try:
        clue = clue_selectors.clue_detail_for_user(user, pk)
    except NotFound:
        raise Http404 from None
    svc.clue_read_record(clue=clue, actor=user)
    return render(
        request,
        "workflows/clues/detail.html",
        {
            "clue": clue,
            "now": now(),
            "overdue": clue.is_overdue(now()),
            "answer_form": f.AnswerForm()
            if clue.answered_at is None and clue_access.may_answer_clue(user, clue)
            else None,
            "may_make_referral": clue.answer == "needs_transfer"
            and clue.referral_id is None
            and clue_access.may_make_referral(user, clue),
        },
    )


@login_required
@require_POST
def clue_answer(request, pk: int):
    form = f.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(" ".join(map(str, e)) for e in form.errors.values()))
        return redirect("xianjie:clue_detail", pk)
    try:
        svc.clue_answer(actor=request.user, clue_id=pk, **form.cleaned_data)
    except NotFound:
        raise Http404 from None
    except ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Answer sent."))
    return redirect("xianjie:clue_detail", pk)


@login_required
@require_POST
def clue_to_referral(request, pk: int):
    try:
        referral = svc.clue_to_referral(actor=request.user, clue_id=pk)
    except NotFound:
        raise Http404 from None
    except ReferralError as exc:
        messages.error(request, str(exc))
        return redirect("xianjie:clue_detail", pk)
    messages.success(request, _("Referral %(ref)s opened.") % {"ref": referral.reference})
    return redirect("xianjie:referral_detail", referral.pk)


@login_required
@require_GET
def clue_file(request, pk: int, file_pk: int):
    """A file of a clue the user may see, as a download, each one recorded; an altered copy is
    refused."""
    try:
        clue = clue_selectors.clue_detail_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    attachment = next((a for a in clue.attachments.all() if a.pk == file_pk), None)
    if attachment is None:
        raise Http404
    svc.clue_read_record(clue=clue, actor=request.user, attachment=attachment)
    data = attachment_content(attachment=attachment)
    if data is None:
        raise Http404
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
