"""Case-consultation pages: the list (with search), opening one from a case, the thread, and
one small view per POST action of the thread."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from referral import consultation_access, consultation_selectors, selectors
from referral.models import Agency, ConsultationState
from referral.services import consultations as svc
from referral.services.errors import NotFound, ReferralError

from . import consultation_forms as f
from .form_actions import act_on_form

LIST_LIMIT = 200


@login_required
@require_GET
def consultation_list(request):
    text = request.GET.get("q", "")
    rows = consultation_selectors.consultation_list_for_user(request.user, text=text)
    return render(
        request,
        "workflows/consultations/list.html",
        {"rows": list(rows[:LIST_LIMIT]), "q": text},
    )


@login_required
def consultation_new(request, pk: int):
    """Opens a consultation on referral `pk`; a refused one shows the form again as typed."""
    try:
        referral = selectors.referral_get_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = f.OpenForm(
        request.POST or None,
        agencies=Agency.objects.exclude(pk=request.user.agency_id).order_by("level", "code"),
        attachments=referral.attachments.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = svc.consultation_open(
                actor=request.user, referral_id=referral.pk, **form.cleaned_data
            )
        except NotFound:
            raise Http404 from None
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Consultation opened."))
            return redirect("xianjie:consultation_detail", consultation.pk)
    return render(request, "workflows/consultations/new.html", {"form": form, "referral": referral})


@login_required
@require_GET
def consultation_detail(request, pk: int):
    try:
        consultation = consultation_selectors.consultation_detail_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    is_open = consultation.state == ConsultationState.OPEN
    opening = consultation_access.is_opening_side(request.user, consultation)
    return render(
        request,
        "workflows/consultations/detail.html",
        {
            "c": consultation,
            "opening": opening,
            "is_open": is_open,
            "may_close": is_open and opening,
        },
    )


def _act(request, pk: int, form, act, done: str):
    return act_on_form(request, form, act, done, back=("xianjie:consultation_detail", pk))


@login_required
@require_POST
def consultation_reply(request, pk: int):
    return _act(
        request,
        pk,
        f.ReplyForm(request.POST),
        lambda d: svc.consultation_reply(actor=request.user, consultation_id=pk, **d),
        _("Reply sent."),
    )


@login_required
@require_POST
def consultation_close(request, pk: int):
    return _act(
        request,
        pk,
        f.CloseForm(request.POST),
        lambda d: svc.consultation_close(actor=request.user, consultation_id=pk, **d),
        _("Consultation concluded."),
    )
