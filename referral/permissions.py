"""Pure predicates: who may do what to which referral. No queries beyond the user's roles."""

from django.utils.translation import gettext as _

from . import lifecycle
from .models.agencies import (
    ADMINISTRATIVE_KINDS,
    ROLE_AGENCY_KINDS,
    SEPARATED_ADMIN_ROLES,
    AgencyKind,
    AgencyLevel,
)
from .roles import Role, Side

# The referral field holding each side's agency.
SIDE_AGENCY_FIELD = {
    Side.AGENCY: "agency_id",
    Side.POLICE: "police_agency_id",
    Side.PROCURATORATE: "procuratorate_id",
}


def side_agency_id(referral, side: str) -> int | None:
    return getattr(referral, SIDE_AGENCY_FIELD[side])


def side_agency(referral, side: str):
    """The Agency standing on `side` of the referral (loaded through its relation), or None."""
    return getattr(referral, SIDE_AGENCY_FIELD[side].removesuffix("_id"))


def may_act(user, referral, side: str, role: str) -> bool:
    """True when `user` holds `role` in the agency that stands on `side` of `referral`."""
    if user is None or not user.is_authenticated or not user.has_role(role):
        return False
    agency_id = side_agency_id(referral, side)
    return agency_id is not None and user.agency_id == agency_id


def may_take_step(user, referral, step) -> bool:
    """`may_act` for the step's side and role; a step reserved to the principal head (transfer
    approval, 《行政执法机关移送涉嫌犯罪案件的规定》第五条) also asks for the principal mark."""
    return may_act(user, referral, step.side, step.role) and (
        not step.principal_only or user.is_principal_head
    )


def may_create_referral(user) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.CASE_OFFICER)
        and user.agency is not None
        and user.agency.kind in ADMINISTRATIVE_KINDS
        # A station passes clues to its police station; its county bureau transfers.
        and user.agency.level != AgencyLevel.STATION
    )


def may_edit_case_record(user, referral) -> bool:
    """Case data, parties, team, attachments and penalties belong to the transferring agency."""
    return may_act(user, referral, Side.AGENCY, Role.CASE_OFFICER) or may_act(
        user, referral, Side.AGENCY, Role.AGENCY_HEAD
    )


# Besides the roles whose steps issue a document, who of the issuing organ handles its
# documents (corrections, recording a paper service): the head, and where a head decides, the
# officers who prepare its decisions (a filing notice is the police head's decision, served by
# the case reviewer).
DOCUMENT_HANDLERS = {
    Side.AGENCY: {Role.AGENCY_HEAD},
    Side.POLICE: {Role.POLICE_REVIEWER, Role.POLICE_HEAD},
    Side.PROCURATORATE: {Role.PROCURATOR, Role.CHIEF_PROCURATOR},
}


def may_correct_document(user, document) -> bool:
    """Officers of the issuing agency holding a role that issues the document, or one that
    handles its documents (DOCUMENT_HANDLERS), may issue a corrected version."""
    roles = {lifecycle.step_named(name).role for name in document.type.issued_by_steps}
    roles |= DOCUMENT_HANDLERS.get(document.type.issuer_side, set())
    return (
        user.is_authenticated
        and user.agency_id == document.issuing_agency_id
        and any(map(user.has_role, roles))
    )


def role_assignment_errors(agency_kind: str | None, roles: set[str]) -> list[str]:
    """Why a set of roles cannot be held together in an agency of `agency_kind` (empty if fine)."""
    errors = []
    admin_roles = [r for r in roles if r in SEPARATED_ADMIN_ROLES]
    if len(admin_roles) > 1:
        errors.append(
            _("System, security and audit administration must be held by different people.")
        )
    if admin_roles and len(roles) > len(admin_roles):
        errors.append(_("An administrator may not also hold a case-handling role."))
    for role in roles:
        allowed = ROLE_AGENCY_KINDS.get(role)
        if allowed is not None and agency_kind not in allowed:
            errors.append(
                _("The role “%(role)s” does not exist in an agency of kind “%(kind)s”.")
                % {
                    "role": Role(role).label,
                    "kind": AgencyKind(agency_kind).label if agency_kind else "—",
                }
            )
    return errors


# The case-handling roles of each side: who may sign for a document addressed to that side.
SIDE_ROLES = {
    Side.AGENCY: (Role.CASE_OFFICER, Role.AGENCY_HEAD),
    Side.POLICE: (Role.POLICE_INTAKE, Role.POLICE_REVIEWER),
    Side.PROCURATORATE: (Role.PROCURATOR,),
}


def may_sign_for_document(user, record, side: str) -> bool:
    """The addressee's officers sign for a document sent to their agency (签收)."""
    return (
        user is not None
        and user.is_authenticated
        and user.agency_id == record.addressee_id
        and any(map(user.has_role, SIDE_ROLES[side]))
    )
