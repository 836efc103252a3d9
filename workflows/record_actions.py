"""POST actions on the case record, one small view each (the actions.py pattern): the record's
particulars, a party, a seized item or an attachment changed or removed before transfer, and a
supplement or correction after it."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from referral.services import case_record, seized_items, supplements
from referral.services import referrals as case
from referral.services.documents import case_summary_print

from .actions import _origin, _referral, _submit
from .record_forms import CaseRecordForm, PartyEditForm, SeizedItemEditForm, SupplementForm


class _Confirm:
    """A removal carries no input: always valid, nothing to show again."""

    cleaned_data: dict = {}

    def is_valid(self) -> bool:
        return True


@login_required
@require_POST
def referral_record(request, pk: int):
    referral = _referral(request, pk)

    def act(data):
        changes = dict(data)
        if changes.get("charge") == referral.charge:
            # Unchanged: a charge entered as free text before the list stays as it was.
            changes.pop("charge")
        case.referral_update_case(referral_id=pk, actor=request.user, **changes)
        return _("Case record saved.")

    task, form = _origin(request, pk), CaseRecordForm(request.POST, prefix="record")
    return _submit(request, referral_id=pk, task=task, key="record", form=form, act=act)


@login_required
@require_POST
def referral_party_update(request, pk: int, party_pk: int):
    def act(data):
        case_record.party_update(referral_id=pk, actor=request.user, party_id=party_pk, **data)
        return _("Party changed.")

    task = _origin(request, pk)
    form = PartyEditForm(request.POST, prefix=f"party-{party_pk}")
    return _submit(request, referral_id=pk, task=task, key=f"party:{party_pk}", form=form, act=act)


@login_required
@require_POST
def referral_party_remove(request, pk: int, party_pk: int):
    def act(data):
        case_record.party_remove(referral_id=pk, actor=request.user, party_id=party_pk)
        return _("Party removed.")

    task = _origin(request, pk)
    return _submit(request, referral_id=pk, task=task, key="remove", form=_Confirm(), act=act)


@login_required
@require_POST
def referral_seized_item_update(request, pk: int, item_pk: int):
    def act(data):
        seized_items.seized_item_update(referral_id=pk, actor=request.user, item_id=item_pk, **data)
        return _("Seized item changed.")

    task = _origin(request, pk)
    form = SeizedItemEditForm(request.POST, prefix=f"item-{item_pk}")
    return _submit(request, referral_id=pk, task=task, key=f"item:{item_pk}", form=form, act=act)


@login_required
@require_POST
def referral_seized_item_remove(request, pk: int, item_pk: int):
    def act(data):
        seized_items.seized_item_remove(referral_id=pk, actor=request.user, item_id=item_pk)
        return _("Seized item removed.")

    task = _origin(request, pk)
    return _submit(request, referral_id=pk, task=task, key="remove", form=_Confirm(), act=act)


@login_required
@require_POST
def referral_attachment_remove(request, pk: int, attachment_pk: int):
    def act(data):
        case_record.attachment_remove(
            referral_id=pk, actor=request.user, attachment_id=attachment_pk
        )
        return _("Attachment removed.")

    task = _origin(request, pk)
    return _submit(request, referral_id=pk, task=task, key="remove", form=_Confirm(), act=act)


@login_required
@require_POST
def referral_supplement(request, pk: int):
    """A supplement or correction after transfer, with an optional file (at most the upload
    limit: config/uploads.py stops a larger body while it is read)."""

    def act(data):
        upload = data.pop("file", None)
        supplements.supplement_record(
            referral_id=pk,
            actor=request.user,
            file_name=upload.name if upload else "",
            file_data=upload.read() if upload else b"",
            **data,
        )
        return _("Supplement recorded.")

    task = _origin(request, pk)
    form = SupplementForm(request.POST, request.FILES, prefix="supplement")
    return _submit(request, referral_id=pk, task=task, key="supplement", form=form, act=act)


@login_required
@require_POST
def referral_case_summary(request, pk: int):
    """Prints the case summary (案件概况及卷宗目录) through the document machinery; the case
    page lists it among the documents while it renders."""

    def act(data):
        document = case_summary_print(referral_id=pk, actor=request.user)
        return _("Case summary %(number)s is being prepared.") % {"number": document.display_number}

    task = _origin(request, pk)
    return _submit(request, referral_id=pk, task=task, key="summary", form=_Confirm(), act=act)
