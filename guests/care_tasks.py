"""Follow-up tasks for people: who sees which, and marking one done with a report."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from guests.errors import CareTaskError
from guests.models import CareTask, guest_contactable_q

__all__ = ["CareTaskError"]


def caretask_list_for_user(*, user: User, status: str | None = CareTask.Status.OPEN) -> QuerySet:
    """Account managers see their own tasks; guest relations and managers see everyone's.

    Every follow-up is care the guest agreed to: once they withdraw their consent or are
    erased, the open ones leave the to-do list (and the counts) at once, without waiting for
    a sweep; the done ones stay in the history.
    """
    tasks = CareTask.objects.select_related("guest", "assigned_to", "done_by").filter(
        Q(status=CareTask.Status.DONE) | guest_contactable_q("guest__")
    )
    if not user.has_perm("guests.view_all_caretasks"):
        tasks = tasks.filter(assigned_to=user)
    if status:
        tasks = tasks.filter(status=status)
    return tasks.order_by("due_on", "pk")


def caretask_get_for_user(*, user: User, pk: int) -> CareTask:
    try:
        return caretask_list_for_user(user=user, status=None).get(pk=pk)
    except CareTask.DoesNotExist:
        raise Http404 from None


def caretask_complete(*, task: CareTask, by: User, report: str) -> CareTask:
    """Mark a task done with a short report. A second click changes nothing."""
    report = report.strip()
    if not report:
        raise CareTaskError(_("Write a short report of what was done."), status=422, field="report")
    done = CareTask.objects.filter(pk=task.pk, status=CareTask.Status.OPEN).update(
        status=CareTask.Status.DONE, report=report, done_at=timezone.now(), done_by=by
    )
    task.refresh_from_db()
    if not done and task.report != report:
        raise CareTaskError(
            _("This task was already completed by %(name)s.") % {"name": task.done_by or "—"}
        )
    return task
