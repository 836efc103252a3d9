from .agencies import (
    ADMINISTRATIVE_KINDS,
    ROLE_AGENCY_KINDS,
    SEPARATED_ADMIN_ROLES,
    Agency,
    AgencyKind,
    AgencyLevel,
    Role,
    User,
)
from .audit import AppendOnlyError, AuditChainHead, AuditEvent
from .clocks import (
    OPEN_CLOCK_STATES,
    CalendarDay,
    CalendarDayKind,
    CalendarYear,
    Clock,
    ClockState,
    DeadlineRule,
    RuleSet,
)
from .documents import (
    Document,
    DocumentCounter,
    DocumentStatus,
    RenderState,
    SeizedItem,
)
from .notices import Notice
from .passwords import LoginLockout, PasswordHistory
from .referral import (
    AdministrativePenalty,
    Attachment,
    AttachmentKind,
    AttachmentRead,
    Party,
    PartyKind,
    Referral,
)
from .service import ServiceMethod, ServiceRecord

__all__ = [
    "ADMINISTRATIVE_KINDS",
    "OPEN_CLOCK_STATES",
    "ROLE_AGENCY_KINDS",
    "SEPARATED_ADMIN_ROLES",
    "AdministrativePenalty",
    "Agency",
    "AgencyKind",
    "AgencyLevel",
    "AppendOnlyError",
    "Attachment",
    "AttachmentKind",
    "AttachmentRead",
    "AuditChainHead",
    "AuditEvent",
    "CalendarDay",
    "CalendarDayKind",
    "CalendarYear",
    "Clock",
    "ClockState",
    "DeadlineRule",
    "Document",
    "DocumentCounter",
    "DocumentStatus",
    "LoginLockout",
    "Notice",
    "Party",
    "PartyKind",
    "PasswordHistory",
    "Referral",
    "RenderState",
    "Role",
    "RuleSet",
    "SeizedItem",
    "ServiceMethod",
    "ServiceRecord",
    "User",
]
