"""Overdue warnings: to the head of the agency whose clock ran out, and for the police periods
the procuratorate supervises also to the same-level procuratorate."""

from ..clock_rules import PROCURATORATE_WARNED_CLOCKS
from ..models import AgencyKind, Clock, Notice, Role

# Who answers for an agency's overdue clock, by kind of agency: its head, the official who
# decides (DOMAIN.md §9.2: the county-level police head, MPS rules art. 178; the chief
# procurator, SPP rules art. 561).
HEAD_ROLE = {
    AgencyKind.MARKET_SUPERVISION: Role.AGENCY_HEAD,
    AgencyKind.OTHER_ADMIN: Role.AGENCY_HEAD,
    AgencyKind.POLICE: Role.POLICE_HEAD,
    AgencyKind.PROCURATORATE: Role.CHIEF_PROCURATOR,
}


def notices_for_overdue_clock(*, clock: Clock) -> list[Notice]:
    """Writes the warnings for `clock`, once each (the sweep may meet a clock twice)."""
    referral = clock.referral
    recipients = [(clock.owner_agency, HEAD_ROLE[clock.owner_agency.kind])]
    if clock.rule in PROCURATORATE_WARNED_CLOCKS and referral.procuratorate_id:
        recipients.append((referral.procuratorate, Role.PROCURATOR))
    return [
        Notice.objects.get_or_create(
            clock=clock,
            recipient_agency=agency,
            recipient_role=role,
            defaults={"referral": referral, "created_at": clock.due_at},
        )[0]
        for agency, role in recipients
    ]
