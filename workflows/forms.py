"""Forms for the lifecycle steps, uploads and new referrals; validation messages in Chinese."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from referral import lifecycle
from referral.charges import CHARGE_CHOICES
from referral.clock_rules import ALL_RULES
from referral.documents.grounds import NonFilingGround
from referral.lifecycle.attachments import UPLOAD_KINDS
from referral.models import (
    Agency,
    AgencyKind,
    AttachmentKind,
    PartyKind,
    ReceiptMark,
    Role,
    SeizedItem,
    User,
)
from referral.services.seized_items import ITEM_FIELDS
from referral.timeutil import now

# The heads who decide what an officer, a reviewer or a procurator proposes: their steps are
# approvals, and what they write is an approval opinion (审批意见), not a reason.
APPROVING_ROLES = (Role.AGENCY_HEAD, Role.POLICE_HEAD, Role.CHIEF_PROCURATOR)

# The largest id a database column holds: a bigger number posted as an id is no choice at all,
# and SQLite raises OverflowError (a server error) when a query is given one (issue 10).
MAX_ID = 2**63 - 1


def _is_id(value) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class StepForm(forms.Form):
    """One lifecycle step: a reason box only where the law requires a reason, an approval
    opinion (审批意见) on the heads' decisions, and the step's extra data."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    police_agency = IdChoiceField(
        label=_("Receiving police organ"),
        queryset=Agency.objects.filter(kind=AgencyKind.POLICE),
        required=False,
    )
    detention_days = forms.IntegerField(
        label=_("Days of detention"), min_value=5, max_value=15, required=False
    )
    # The page asks for the ground found: the non-filing notice states that one (CPL 112).
    non_filing_ground = forms.ChoiceField(
        label=_("Ground for not filing"), choices=NonFilingGround.choices, required=True
    )

    def __init__(self, *args, step: lifecycle.Step, referral=None, **kwargs):
        """`referral` (on the page, not when posted) preselects the receiving police organ."""
        super().__init__(*args, **kwargs)
        self.step = step
        accepted = set(step.inputs) | set(step.required_inputs)
        for name in ("police_agency", "detention_days", "non_filing_ground"):
            if name not in accepted:
                del self.fields[name]
            elif name in step.required_inputs:
                self.fields[name].required = True
        # The receipt: each item of the transfer (Decree 310 art. 6) marked complete or missing.
        self.checklist = "receipt_checklist" in accepted
        if self.checklist:
            self.fields.update(checklist_fields())
        self._reason_field(step)
        if referral is not None and "police_agency" in step.inputs:
            # The organ of the case's jurisdiction (the same-level police chosen when the case
            # was opened); a step that requires another organ (a forward) preselects nothing.
            self.fields["police_agency"].initial = referral.police_agency_id

    def _reason_field(self, step) -> None:
        approval = step.role in APPROVING_ROLES
        if not (step.reason_required or approval):
            del self.fields["reason"]
            return
        field = self.fields["reason"]
        field.required = step.reason_required
        if approval:
            field.label = (
                _("Approval opinion (required)") if step.reason_required else _("Approval opinion")
            )
        else:
            field.label = _("Reason (required)")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        police = data.get("police_agency")
        return {
            "reason": data.get("reason") or "",
            "police_agency_id": police.pk if police else None,
            "detention_days": data.get("detention_days"),
            "non_filing_ground": data.get("non_filing_ground") or None,
            "receipt_checklist": checklist_from(data) if self.checklist else None,
        }


def checklist_fields() -> dict[str, forms.ChoiceField]:
    """One required choice per item of 《行政执法机关移送涉嫌犯罪案件的规定》第六条."""
    return {
        f"item_{kind}": forms.ChoiceField(
            label=AttachmentKind(kind).label,
            choices=ReceiptMark.choices,
            widget=forms.RadioSelect,
        )
        for kind in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS
    }


def checklist_from(cleaned_data) -> dict[str, str]:
    return {
        str(kind): cleaned_data[f"item_{kind}"] for kind in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS
    }


class AttachmentForm(forms.Form):
    # Never a document the system issues itself (the transfer letter and its kin).
    kind = forms.ChoiceField(label=_("Kind"), choices=UPLOAD_KINDS)
    file = forms.FileField(label=_("File"))


class ReferralForm(forms.Form):
    title = forms.CharField(label=_("case title"), max_length=200)
    kind = forms.ChoiceField(label=_("referral type"), choices=lifecycle.ReferralKind.choices)
    # From the controlled list (referral/charges.py); the documents print its name.
    charge = forms.ChoiceField(
        label=_("suspected charge"), choices=[("", "—"), *CHARGE_CHOICES], required=False
    )
    discovered_on = forms.DateField(
        label=_("discovered on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    offence_place = forms.CharField(label=_("place of the offence"), max_length=300, required=False)
    amount_involved = forms.DecimalField(
        label=_("amount involved (yuan)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    facts = forms.CharField(label=_("facts"), widget=forms.Textarea(attrs={"rows": 5}))
    # 货值金额 and 生产/销售金额 apart: the 2021 food-crime interpretation uses them differently.
    goods_value = forms.DecimalField(
        label=_("value of the goods (yuan)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    sales_amount = forms.DecimalField(
        label=_("production / sales amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    case_source = forms.CharField(
        label=_("case source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    investigation_process = forms.CharField(
        label=_("investigation process"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    coercive_measures = forms.CharField(
        label=_("coercive measures taken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_list = forms.CharField(
        label=_("evidence list"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    prosecution_standard = forms.CharField(
        label=_("prosecution standard met"), required=False, max_length=2000
    )
    contact_phone = forms.CharField(label=_("contact phone"), required=False, max_length=32)

    def clean_discovered_on(self):
        value = self.cleaned_data.get("discovered_on")
        if value is not None and value > timezone.localdate(now()):
            raise ValidationError(_("The discovery date cannot be in the future."))
        return value


class CaseTeamForm(forms.Form):
    members = IdMultipleChoiceField(
        label=_("special case group"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, referral, members=(), **kwargs):
        """`members`: the group as it stands (the case page has loaded it already)."""
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            agency_id=referral.agency_id, is_active=True, groups__name=Role.CASE_OFFICER
        ).order_by("username")
        self.fields["members"].initial = [user.pk for user in members]


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PartyKind.choices)
    name = forms.CharField(label=_("name"), max_length=200)
    id_number = forms.CharField(
        label=_("ID number / unified social credit code"), max_length=32, required=False
    )
    legal_representative = forms.CharField(
        label=_("legal representative"), max_length=100, required=False
    )
    phone = forms.CharField(label=_("phone"), max_length=32, required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        # The case page also shows the upload and seized-item forms, which have `kind` and
        # `name` fields too: with the default ids their labels pointed at this form's inputs.
        kwargs.setdefault("auto_id", "id_party_%s")
        super().__init__(*args, **kwargs)


class SeizedItemForm(forms.ModelForm):
    """A line of the seized-item list (涉案物品清单); the service numbers it."""

    class Meta:
        model = SeizedItem
        fields = list(ITEM_FIELDS)  # the fields the service writes and audits
        widgets = {
            "seized_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity <= 0:
            raise forms.ValidationError(_("The quantity must be greater than zero."))
        return quantity


class CorrectionForm(forms.Form):
    """Which document is issued again as a corrected version, and why. The case page writes one
    small form per document (`correct-document`, `correct-reason`)."""

    document = forms.IntegerField(min_value=1, max_value=MAX_ID)
    reason = forms.CharField()


class SignForDocumentForm(forms.Form):
    """The addressee signs for one document (签收); one small form per document (`sign-`)."""

    document = forms.IntegerField()


class PaperServiceForm(forms.Form):
    """The sender records a paper service of one document: the date on the receipt and its scan
    (`paper-`)."""

    document = forms.IntegerField()
    received_at = forms.DateTimeField(
        label=_("Received at (as on the receipt)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    scan = forms.FileField(label=_("Scan of the signed receipt"))


def extension_label(rule) -> str:
    """An extension as the police read it: what it is for, its period and its source."""
    return _("%(label)s: %(amount)s days (%(article)s)") % {
        "label": ALL_RULES[rule.code].label,
        "amount": rule.amount,
        "article": rule.article,
    }


class ExtensionRequestForm(forms.Form):
    """The case reviewer asks the police head to extend the review under a rule of the
    jurisdiction (`extension-`)."""

    rule = forms.ChoiceField(label=_("Extension"))
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, rules, **kwargs):
        kwargs.setdefault("prefix", "extension")
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(rule.code, extension_label(rule)) for rule in rules]


class ExtensionDecisionForm(forms.Form):
    """The police head extends the review as asked (or under another rule of the jurisdiction)
    or refuses; the reason is the head's approval opinion (`extension-decision-`)."""

    rule = forms.ChoiceField(label=_("Extension"), required=False)
    reason = forms.CharField(label=_("Approval opinion"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rules, **kwargs):
        kwargs.setdefault("prefix", "extension-decision")
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(rule.code, extension_label(rule)) for rule in rules]


class ReassignForm(forms.Form):
    to_user = IdChoiceField(label=_("Reassign to"), queryset=User.objects.none())

    def __init__(self, *args, head, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = User.objects.filter(
            agency_id=head.agency_id, is_active=True, groups__name=role
        ).order_by("username")


__all__ = [
    "AttachmentForm",
    "CorrectionForm",
    "ExtensionDecisionForm",
    "ExtensionRequestForm",
    "PaperServiceForm",
    "ReassignForm",
    "ReferralForm",
    "Role",
    "SeizedItemForm",
    "SignForDocumentForm",
    "StepForm",
]
