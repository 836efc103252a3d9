"""The case list's search, filters and sort order (django-filter). The queries themselves are
referral.selectors'; this module only turns the request's GET parameters into calls to them."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from referral import lifecycle, selectors
from referral.models import Agency
from referral.timeutil import now

STAGES = (
    (selectors.STAGE_AGENCY, _("With the administrative agency")),
    (selectors.STAGE_POLICE, _("With the police")),
    (selectors.STAGE_PROCURATORATE, _("With the procuratorate")),
    (selectors.STAGE_OUTCOME, _("Outcome, file to be closed")),
    (selectors.STAGE_CLOSED, _("Closed")),
)


class _Ordering(django_filters.OrderingFilter):
    descending_fmt = _("%s (descending)")

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        # Titles and statuses repeat: the id breaks ties so that pages do not overlap.
        return qs.order_by(*qs.query.order_by, "-pk") if value else qs


class ReferralFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("Reference, title, party, ID / credit code, document no.")}
        ),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=STAGES, method="in_stage", empty_label=_("All stages")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=lifecycle.Status.choices, empty_label=_("All statuses")
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        queryset=Agency.objects.all(),
        method="involving",
        empty_label=_("All agencies"),
    )
    created_from = django_filters.DateFilter(
        label=_("Created from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_to = django_filters.DateFilter(
        label=_("Created until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput
    )
    sort = _Ordering(
        label=_("Sort by"),
        fields=(
            ("created_at", "created"),
            ("reference", "reference"),
            ("title", "title"),
            ("status", "status"),
        ),
        field_labels={
            "created": _("created at"),
            "reference": _("Reference"),
            "title": _("case title"),
            "status": _("Status"),
        },
        # Without a choice the list is newest first (the view's order), and the menu says so.
        empty_label=_("Newest first"),
    )

    def search(self, queryset, name, value):
        return selectors.referral_search(referrals=queryset, text=value)

    def in_stage(self, queryset, name, value):
        return queryset.filter(status__in=selectors.stage_states(value))

    def involving(self, queryset, name, value):
        # Any of the referral's three agencies: a police organ looks for the cases of one
        # transferring agency, an agency for those it sent to one police organ.
        return queryset.filter(Q(agency=value) | Q(police_agency=value) | Q(procuratorate=value))

    def only_overdue(self, queryset, name, value):
        return selectors.referral_overdue(referrals=queryset, now=now()) if value else queryset
