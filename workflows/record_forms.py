"""Forms for the case record: its particulars before transfer, a party or seized item changed,
a supplement after transfer; validation messages in Chinese."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from referral import lifecycle, permissions
from referral.models import SupplementKind
from referral.timeutil import now

from .forms import PartyForm, ReferralForm, SeizedItemForm


def not_in_future(value, message):
    if value is not None and value > timezone.localdate(now()):
        raise forms.ValidationError(message)
    return value


class CaseRecordForm(ReferralForm):
    """The case particulars the agency may correct before transfer (and the transfer documents
    print): the charge from the controlled list, 货值金额 and 销售金额 apart, discovery date
    and place of the offence."""

    field_order = [
        "title",
        "charge",
        "discovered_on",
        "offence_place",
        "facts",
        "goods_value",
        "sales_amount",
        "amount_involved",
    ]

    def __init__(self, *args, referral=None, **kwargs):
        kwargs.setdefault("auto_id", "id_record_%s")
        if referral is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {name: getattr(referral, name) for name in RECORD_FIELDS}
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        if referral is not None and referral.suspected_charge and not referral.charge:
            # Entered as free text before the controlled list: shown until a charge is chosen.
            self.fields["charge"].help_text = _("Entered before: %(text)s") % {
                "text": referral.suspected_charge
            }


RECORD_FIELDS = (
    "title",
    "charge",
    "discovered_on",
    "offence_place",
    "facts",
    "goods_value",
    "sales_amount",
    "amount_involved",
    "case_source",
    "investigation_process",
    "coercive_measures",
    "evidence_list",
    "prosecution_standard",
    "contact_phone",
)


class PartyEditForm(PartyForm):
    """A party's particulars changed; one small form per party (`party-<pk>-`)."""

    def __init__(self, *args, party=None, **kwargs):
        if party is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {name: getattr(party, name) for name in self.base_fields}
        kwargs.setdefault("prefix", f"party-{party.pk}" if party is not None else None)
        kwargs["auto_id"] = f"id_party{party.pk if party else ''}_%s"
        super().__init__(*args, **kwargs)


class SeizedItemEditForm(SeizedItemForm):
    def clean_seized_on(self):
        return not_in_future(
            self.cleaned_data.get("seized_on"), _("The seizure date cannot be in the future.")
        )


class SupplementForm(forms.Form):
    """A supplement or correction after transfer: what changes, why, and files."""

    kind = forms.ChoiceField(label=_("kind"), choices=SupplementKind.choices)
    subject = forms.CharField(label=_("what changes"), max_length=200)
    content = forms.CharField(
        label=_("the supplement or correction"), widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(label=_("why"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("File (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_supplement_%s")
        super().__init__(*args, **kwargs)


def record_forms_for(user, page, bound) -> dict:
    """The case page's forms for the record: before transfer the particulars, each party and
    seized item changed or removed and attachments removed; after it, a supplement."""
    referral = page.referral
    may_edit = permissions.may_edit_case_record(user, referral)
    before = may_edit and referral.transferred_at is None
    before = before and referral.status in lifecycle.EDITABLE_STATES
    after = may_edit and referral.transferred_at is not None
    after = after and referral.status != lifecycle.Status.CLOSED
    return {
        "record_form": (
            (bound.get("record") or CaseRecordForm(referral=referral, prefix="record"))
            if before
            else None
        ),
        "party_forms": [
            (party, bound.get(f"party:{party.pk}") or PartyEditForm(party=party))
            for party in page.parties
        ]
        if before
        else [],
        "item_forms": [
            (
                item,
                bound.get(f"item:{item.pk}")
                or SeizedItemEditForm(instance=item, prefix=f"item-{item.pk}"),
            )
            for item in page.seized_items
        ]
        if before
        else [],
        "may_remove_attachments": before,
        "may_print_summary": may_edit,
        "supplement_form": (
            (bound.get("supplement") or SupplementForm(prefix="supplement")) if after else None
        ),
    }
