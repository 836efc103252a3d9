"""Demo convenience: open tasks handed to the demo users, so every login shows a full inbox."""

from referral.models import User

from .selectors import task_queue_for_user
from .services import task_claim


def claim_demo_tasks() -> int:
    """Gives every queued task to the first demo user holding its role in its agency (a case's
    officer tasks are its owner's already); the second officers (`*_officer2`) claim nothing."""
    claimed = 0
    for user in User.objects.exclude(username__endswith="_officer2").order_by("pk"):
        for task in list(task_queue_for_user(user)):
            task_claim(task_id=task.pk, user=user)
            claimed += 1
    return claimed
