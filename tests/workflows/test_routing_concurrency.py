"""Races on PostgreSQL between changing a task's holder and routing after a step on the same
referral."""

import threading

import pytest
from django.db import DatabaseError, connection
from viewflow.workflow.status import STATUS

from referral.models import Role
from referral.services.errors import ReferralError
from workflows.selectors import process_for
from workflows.services import step_take, task_reassign

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def test_a_reassignment_racing_a_step_from_the_case_page_neither_deadlocks_nor_loses_the_task(
    tx_world,
):
    """Regression guard: the route locks the process row first, as claims and reassignments do,
    so a change of holder and a route never wait on each other in opposite order (a deadlock
    PostgreSQL would abort). The owner steps while the head hands the task to a colleague."""
    world = tx_world
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    colleague = world.user("fc-msa", "case_officer2")
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    referrals = [world.new_referral() for _ in range(8)]
    tasks = {r.pk: process_for(r).task_set.get(status__in=OPEN) for r in referrals}
    assert {t.owner for t in tasks.values()} == {officer}  # the owner's (issue 9)
    barrier = threading.Barrier(2 * len(referrals))
    errors, lock = [], threading.Lock()

    def run(job):
        try:
            barrier.wait(timeout=30)
            with world.at():
                job()
        except ReferralError:
            pass  # refused either way round: the claim came first, or the step did
        except DatabaseError as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    jobs = []
    for referral in referrals:
        jobs.append(
            lambda r=referral: task_reassign(
                task_id=tasks[r.pk].pk, head=head, to_user_id=colleague.pk
            )
        )
        jobs.append(
            lambda r=referral: step_take(
                referral_id=r.pk, actor=officer, name="find_suspected_crime"
            )
        )
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    for referral in referrals:
        referral.refresh_from_db()
        task = tasks[referral.pk]
        task.refresh_from_db()
        open_tasks = process_for(referral).task_set.filter(status__in=OPEN)
        assert open_tasks.count() == 1
        if referral.status == "SUSPECTED_CRIME_FOUND":  # the step won: its task is done
            assert task.status == STATUS.DONE
        else:  # the reassignment won and the step was refused
            assert (task.status, task.owner) == (STATUS.ASSIGNED, colleague)
