"""What the whole product records about itself: the days each daily job has done."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobDay(models.Model):
    """A day a daily job (greetings, post-stay follow-ups, stay points) has done.

    The job run by beat looks back to the last day recorded here, so a day beat missed entirely
    (workers and beat down all day) is caught up once when they return (core.catch_up).
    """

    job = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    completed_at = models.DateTimeField(_("completed"), auto_now=True)

    class Meta:
        verbose_name = _("daily job day")
        verbose_name_plural = _("daily job days")
        ordering = ["job", "-day"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="jobday_unique")]

    def __str__(self) -> str:
        return f"{self.job} {self.day.isoformat()}"
