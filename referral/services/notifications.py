"""Notifications (models/notifications.py): who is told what, once each, and the e-mail that
follows each one after commit for the kinds its recipient chose.

Events and recipients:
- a lifecycle step (called by the gate after it commits, `notifications_after_step`): the users
  who must act next (the case's own officers where a case officer acts, else the holders of the
  role in the agency) are told the case awaits them; after a decision step
  (`DECISION_STEPS`) everyone else handling the case on each side that sees it is told too;
- a document sent to another agency (`notifications_after_service`): that agency's officers who
  sign for documents (permissions.SIDE_ROLES);
- a clock about to run out or run out: services/clock_notifications.py, from the clock sweep.
"""

from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .. import lifecycle, permissions
from ..models import (
    Clock,
    Notification,
    NotificationKind,
    Referral,
    ServiceRecord,
    User,
)
from ..roles import Role, Side
from ..timeutil import now

# Steps that decide something the other organs of the case want to know at once: approval or
# refusal of the transfer, the police accepting, returning, filing or declining it, the
# reconsideration, and the procuratorate's supervision (DOMAIN.md §3.2–3.4).
DECISION_STEPS = frozenset(
    {
        "approve_transfer",
        "refuse_transfer",
        "sign_receipt",
        "request_supplement",
        "forward_to_competent_police",
        "return_not_police_matter",
        "file_case",
        "decline_filing",
        "reconsider_file",
        "reconsider_uphold",
        "withdraw_case",
        "reverse_transfer",
        "transfer_to_other_police",
        "accept_supervision_request",
        "open_supervision",
        "request_explanation",
        "close_supervision_review",
        "order_filing",
        "accept_explanation",
        "issue_correction_notice",
        "correct_overdue_decision",
        "demand_transfer",
        "file_as_ordered",
        "reverse_transfer_after_non_prosecution",
        "report_opinion_handling",
        "open_non_transfer_review",
        "close_non_transfer_review",
    }
)

# --- recipients ---------------------------------------------------------------------------------
#
# Each list of recipients is one query: the clauses below are OR-ed (`users_where`).


def holding_role(agency_id: int | None, roles) -> Q | None:
    """The users of `agency_id` holding one of `roles`."""
    if agency_id is None:
        return None
    return Q(agency_id=agency_id, groups__name__in=list(roles))


def owning_case(referral: Referral) -> Q:
    """The case officer and the special case group: the agency's users who own the case."""
    team = Referral.case_team.through.objects.filter(referral_id=referral.pk).values("user_id")
    return Q(pk=referral.case_officer_id) | Q(pk__in=team)


def users_where(*clauses, without: int | None = None) -> list[User]:
    clauses = [c for c in clauses if c is not None]
    if not clauses:
        return []
    where = clauses[0]
    for clause in clauses[1:]:
        where |= clause
    users = User.objects.filter(where, is_active=True).exclude(pk=without).distinct()
    return list(users.order_by("pk"))


def _next_actors(referral: Referral, status: str, *, without: int | None) -> list[User]:
    """Who acts next in `status`: the case's own officers where a case officer acts, else the
    role's holders in the agency on the acting side."""
    owner = lifecycle.STATE_OWNERS.get(status)
    if owner is None:
        return []
    side, role = owner
    if side == Side.AGENCY and role == Role.CASE_OFFICER and referral.case_officer_id:
        return users_where(owning_case(referral), without=without)
    holders = holding_role(permissions.side_agency_id(referral, side), [role])
    if holders is not None and _principal_only(status, role):
        holders &= Q(is_principal_head=True)  # only the principal head may act (Decree 310 art 5)
    return users_where(holders, without=without)


@cache  # the lifecycle is fixed at import: one answer per (status, role)
def _principal_only(status: str, role: str) -> bool:
    """Whether every step `role` may take in `status` is the principal head's."""
    steps = [
        lifecycle.step_of(t)
        for ts in lifecycle.transitions().values()
        for t in ts
        if t.source == status and lifecycle.step_of(t).role == role
    ]
    return bool(steps) and all(step.principal_only for step in steps)


def _case_handlers(referral: Referral, *, at: datetime, without: int | None) -> list[User]:
    """Everyone handling the case on each side that sees it at `at`: the agency's case owners
    and head, the police organ's officers once it was transferred, the procurators."""
    transferred = referral.transferred_at is not None and referral.transferred_at <= at
    police = referral.police_agency_id if transferred else None
    return users_where(
        owning_case(referral),
        holding_role(referral.agency_id, [Role.AGENCY_HEAD]),
        holding_role(police, permissions.SIDE_ROLES[Side.POLICE]),
        holding_role(referral.procuratorate_id, permissions.SIDE_ROLES[Side.PROCURATORATE]),
        without=without,
    )


# --- writing ------------------------------------------------------------------------------------


def _referral_link(referral_id: int) -> str:
    try:
        return reverse("xianjie:referral_detail", args=[referral_id])
    except NoReverseMatch:  # a bare domain without the workflow site
        return ""


def notifications_create(
    *,
    recipients,
    key: str,
    title: str,
    body: str = "",
    referral: Referral | None = None,
    clock: Clock | None = None,
    link: str = "",
    at: datetime,
) -> list[Notification]:
    """Writes a notification under `key` for each (user, kind) in `recipients` whose user has
    none under it yet, and returns the new ones; those whose recipient chose the kind by e-mail
    are sent after commit. Runs inside the caller's transaction."""
    kind_of = {}
    users = {}
    for user, kind in recipients:
        kind_of.setdefault(user.pk, kind)
        users.setdefault(user.pk, user)
    if not users:
        return []
    have = set(
        Notification.objects.filter(key=key, recipient_id__in=list(users)).values_list(
            "recipient_id", flat=True
        )
    )
    new = [pk for pk in users if pk not in have]
    link = link or (_referral_link(referral.pk) if referral else "")
    created = Notification.objects.bulk_create(
        Notification(
            recipient=users[pk],
            kind=kind_of[pk],
            key=key,
            referral=referral,
            clock=clock,
            link=link,
            title=title[:200],
            body=body,
            created_at=at,
        )
        for pk in new
    )
    if created:
        unread_counts_refresh(user_ids=new)
        mailed = [n.pk for n in created if _wants_email(n.recipient, n.kind)]
        if mailed:
            transaction.on_commit(lambda: notifications_email(notification_ids=mailed))
    return created


def _wants_email(user: User, kind: str) -> bool:
    return bool(user.email) and kind in (user.email_notification_kinds or [])


def unread_counts_refresh(*, user_ids) -> None:
    """Sets each user's unread count from the notifications table, in one UPDATE."""
    unread = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=list(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


def in_site_language(fn, *args):
    """Notification texts are stored in the site's default language (Simplified Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return fn(*args)


# --- events -------------------------------------------------------------------------------------


def notifications_after_step(*, referral, event, actor) -> None:
    """Declares, inside the gate's transaction, that the users concerned by the step recorded
    as `event` are told once it has committed (the task it routes exists then)."""
    step = {
        "referral_id": referral.pk,
        "status": event.to_status,
        "seq": event.seq,
        "action": event.action,
        "actor_id": actor.pk,
        "actor_name": str(actor),
        "at": event.created_at,
    }
    transaction.on_commit(lambda: notifications_for_step(**step))


def notifications_for_step(
    *,
    referral_id: int,
    status: str,
    seq: int,
    action: str,
    actor_id: int,
    actor_name: str,
    at: datetime,
) -> list[Notification]:
    """One notification per user concerned by the step: those who act next in `status`, where
    the step left the case, are told it awaits them, the others handling it (decision steps
    only) what was decided. The status is the step's, not the referral's when this runs: several
    steps may commit together (the demo's seeding) or another may follow before it runs."""
    with transaction.atomic():
        referral = Referral.objects.get(pk=referral_id)
        recipients = [
            (user, NotificationKind.CASE_ARRIVED)
            for user in _next_actors(referral, status, without=actor_id)
        ]
        if action in DECISION_STEPS:
            recipients += [
                (user, NotificationKind.DECISION)
                for user in _case_handlers(referral, at=at, without=actor_id)
            ]
        if not recipients:
            return []
        title, body = in_site_language(_step_texts, referral, status, action, actor_name)
        return notifications_create(
            recipients=recipients,
            key=f"step:{seq}",
            title=title,
            body=body,
            referral=referral,
            at=at,
        )


def _step_texts(referral, status, action, actor_name):
    step = lifecycle.step_of(lifecycle.transitions()[action][0])
    title = _("%(ref)s: %(step)s") % {"ref": referral.reference, "step": step.label}
    body = _("“%(title)s”: %(who)s took the step “%(step)s”; the case now stands at “%(status)s”.")
    body %= {
        "title": referral.title,
        "who": actor_name,
        "step": step.label,
        "status": lifecycle.Status(status).label,
    }
    return title, body


def notifications_after_service(*, records) -> None:
    """Declares, inside the issuing transaction, that the addressees of the documents sent
    (service `records`) are told once it has committed: one notification per addressee agency,
    naming every document sent to it."""
    by_addressee: dict[int, list[int]] = {}
    for record in records:
        by_addressee.setdefault(record.addressee_id, []).append(record.pk)
    for record_ids in by_addressee.values():
        transaction.on_commit(lambda ids=record_ids: notifications_for_service(record_ids=ids))


def notifications_for_service(*, record_ids) -> list[Notification]:
    """Tells the officers of the agency the documents (service records `record_ids`, one
    addressee) were sent to, those who sign for documents, that they await their receipt."""
    with transaction.atomic():
        records = list(
            ServiceRecord.objects.select_related("document__referral").filter(
                pk__in=list(record_ids)
            )
        )
        if not records:
            return []
        referral, addressee_id = records[0].document.referral, records[0].addressee_id
        side = next(
            (s for s in Side.values if permissions.side_agency_id(referral, s) == addressee_id),
            None,
        )
        if side is None:
            return []
        users = users_where(holding_role(addressee_id, permissions.SIDE_ROLES[side]))
        title, body = in_site_language(_service_texts, referral, [r.document for r in records])
        return notifications_create(
            recipients=[(user, NotificationKind.DOCUMENT_SERVED) for user in users],
            key=f"served:{min(r.pk for r in records)}",
            title=title,
            body=body,
            referral=referral,
            at=records[0].sent_at,
        )


def _service_texts(referral, documents):
    names = "、".join(f"{d.type.title}（{d.number}）" for d in documents)
    title = _("%(ref)s: documents sent to your agency") % {"ref": referral.reference}
    body = _("“%(title)s”: %(documents)s await your signature for receipt.") % {
        "title": referral.title,
        "documents": names,
    }
    return title, body


# --- reading and e-mail -------------------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int, at: datetime | None = None) -> bool:
    """Marks the user's own notification read; False when it is not theirs or already read."""
    with transaction.atomic():
        changed = Notification.objects.filter(
            pk=notification_id, recipient=user, read_at__isnull=True
        ).update(read_at=at or now())
        unread_counts_refresh(user_ids=[user.pk])
    return bool(changed)


def notifications_mark_all_read(*, user, at: datetime | None = None) -> int:
    with transaction.atomic():
        changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=at or now()
        )
        unread_counts_refresh(user_ids=[user.pk])
    return changed


def notification_settings_update(*, user, email_kinds) -> None:
    """Sets which kinds the user also receives by e-mail (in the app every kind is shown)."""
    kinds = [k for k in NotificationKind.values if k in set(email_kinds)]
    User.objects.filter(pk=user.pk).update(email_notification_kinds=kinds)
    user.email_notification_kinds = kinds


def _site_name():
    return _("Xianjie case referral")


def notifications_email(*, notification_ids) -> int:
    """Sends each notification by e-mail, once, to a recipient with an address who chose its
    kind; returns how many were sent. Runs after the notifications committed."""
    sent = 0
    notifications = Notification.objects.select_related("recipient").filter(
        pk__in=list(notification_ids), emailed_at__isnull=True
    )
    for notification in notifications:
        user = notification.recipient
        if not user.email or notification.kind not in (user.email_notification_kinds or []):
            continue
        link = notification.link and settings.XIANJIE_PUBLIC_URL.rstrip("/") + notification.link
        message = EmailMessage(
            subject=f"[{in_site_language(_site_name)}] {notification.title}",
            body="\n\n".join(part for part in (notification.body, link) if part),
            to=[user.email],
        )
        message.send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=now())
        sent += 1
    return sent
