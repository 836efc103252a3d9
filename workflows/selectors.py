"""Task lists and counts for one user, each a fixed number of queries however many rows."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from referral.models import OPEN_CLOCK_STATES, Clock, ClockState, Referral
from referral.selectors import referral_list_for_user

from .auth import task_permission
from .flows import ReferralFlow
from .models import ReferralProcess

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def process_for(referral) -> ReferralProcess | None:
    """The referral's process, None before it started."""
    return ReferralProcess.objects.filter(
        flow_class=ReferralFlow,
        artifact_content_type=ContentType.objects.get_for_model(Referral),
        artifact_object_id=referral.pk,
    ).first()


def task_open_for_referral(referral_id: int, *, node: str | None = None) -> QuerySet:
    """The referral's open human tasks (normally one), oldest first, with their process;
    only those of `node` when given."""
    tasks = Task.objects.filter(
        process__flow_class=ReferralFlow,
        process__artifact_content_type=ContentType.objects.get_for_model(Referral),
        process__artifact_object_id=referral_id,
        flow_task_type="HUMAN",
        status__in=OPEN,
    )
    if node is not None:
        tasks = tasks.filter(flow_task=getattr(ReferralFlow, node))
    return tasks.select_related("process").order_by("pk")


def _referral_value(field):
    return Subquery(
        Referral.objects.filter(pk=OuterRef("process__artifact_object_id"))
        .order_by()
        .values(field)[:1]
    )


def _with_referral_and_due(tasks: QuerySet) -> QuerySet:
    """Annotates each task with its referral's reference, title and status, and the earliest
    open clock the task's agency owns on that referral (the due moment shown in the lists)."""
    due = (
        Clock.objects.filter(
            referral_id=OuterRef("process__artifact_object_id"),
            owner_agency_id=Cast(OuterRef("owner_permission_obj_pk"), IntegerField()),
            state__in=OPEN_CLOCK_STATES,
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return tasks.annotate(
        referral_id=Cast("process__artifact_object_id", IntegerField()),
        referral_reference=_referral_value("reference"),
        referral_title=_referral_value("title"),
        referral_status=_referral_value("status"),
        due_at=Subquery(due, output_field=DateTimeField()),
    )


def _flow_tasks(user) -> QuerySet:
    return Task.objects.filter(
        process__flow_class=ReferralFlow,
        flow_task_type="HUMAN",
        owner_permission_obj_pk=str(user.agency_id),
    )


def _by_due(tasks: QuerySet) -> QuerySet:
    """Earliest deadline first; tasks without a running period last (on every database)."""
    return tasks.order_by(F("due_at").asc(nulls_last=True), "created")


def task_queue_for_user(user) -> QuerySet:
    """Unclaimed tasks of the user's agency for roles the user holds."""
    if user.agency_id is None:
        return Task.objects.none()
    perms = [task_permission(role) for role in user.role_codes]
    tasks = _flow_tasks(user).filter(
        status=STATUS.NEW, owner__isnull=True, owner_permission__in=perms
    )
    return _by_due(_with_referral_and_due(tasks))  # unclaimed: no owner to join


def task_inbox_for_user(user) -> QuerySet:
    tasks = Task.objects.filter(
        process__flow_class=ReferralFlow, owner=user, status__in=(STATUS.ASSIGNED, STATUS.STARTED)
    )
    return _by_due(_with_referral_and_due(tasks)).select_related("owner")


def task_archive_for_user(user) -> QuerySet:
    tasks = Task.objects.filter(process__flow_class=ReferralFlow, owner=user, status=STATUS.DONE)
    return _with_referral_and_due(tasks).select_related("owner").order_by("-finished")


def task_agency_open_for_head(user) -> QuerySet:
    """Open tasks of the head's agency, for reassignment."""
    tasks = _flow_tasks(user).filter(status__in=OPEN)
    return _by_due(_with_referral_and_due(tasks)).select_related("owner")


def home_counts_for_user(user, *, now) -> dict:
    """The numbers on a role's home page: my tasks, claimable tasks, overdue clocks of my agency
    for my roles, my unread notifications (kept on the user row), and my agency's referrals by
    stage."""
    overdue = Clock.objects.filter(
        owner_agency_id=user.agency_id, owner_role__in=user.role_codes
    ).filter(Q(state=ClockState.OVERDUE) | Q(state=ClockState.RUNNING, due_at__lt=now))
    by_stage = referral_list_for_user(user).order_by().values("status").annotate(n=Count("pk"))
    return {
        "inbox": task_inbox_for_user(user).count(),
        "queue": task_queue_for_user(user).count(),
        "overdue": overdue.count(),
        "unread": user.unread_notifications,
        "by_stage": {row["status"]: row["n"] for row in by_stage},
    }
