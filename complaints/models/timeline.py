"""A ticket's permanent, append-only timeline."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models.recovery import RecoveryAction, ResolutionFeedback
from complaints.models.tickets import SlaBreach, Ticket


class TimelineEventQuerySet(models.QuerySet):
    """The timeline is append-only: no bulk update or delete through the ORM."""

    def update(self, **kwargs):
        raise PermissionError("The complaint timeline is append-only.")

    def delete(self):
        raise PermissionError("The complaint timeline is append-only.")


class TimelineEvent(models.Model):
    """One step in a ticket's story. Never changed, never deleted (a database trigger agrees)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Logged")
        STATUS_CHANGED = "status_changed", _("Status changed")
        LISTENED = "listened", _("Listened")
        APOLOGISED = "apologised", _("Apologised")
        SOLUTION_OFFERED = "solution_offered", _("Solution offered")
        FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
        SURPRISE_GIVEN = "surprise_given", _("Surprise given")
        NOTE = "note", _("Note")
        DEPARTMENT_BROUGHT_IN = "department_brought_in", _("Department brought in")
        ESCALATED = "escalated", _("Escalated")
        RECOVERY_PROPOSED = "recovery_proposed", _("Recovery action granted")
        APPROVAL_ASKED = "approval_asked", _("Approval asked")
        APPROVAL_GIVEN = "approval_given", _("Approval given")
        APPROVAL_REJECTED = "approval_rejected", _("Approval rejected")
        FEEDBACK_RECORDED = "feedback_recorded", _("Feedback recorded")
        REOPENED = "reopened", _("Reopened")
        ASSIGNED = "assigned", _("Assigned")
        CLASSIFIED = "classified", _("Classified")
        UPDATED = "updated", _("Details changed")
        OWNER_NOTIFIED = "owner_notified", _("Owner notified")
        FEEDBACK_REQUESTED = "feedback_requested", _("Feedback asked for")

    # Steps an officer records by hand on the ticket page (the five steps, and notes).
    HANDLING_STEPS = (
        Kind.LISTENED,
        Kind.APOLOGISED,
        Kind.SOLUTION_OFFERED,
        Kind.FOLLOW_UP_DONE,
        Kind.SURPRISE_GIVEN,
        Kind.NOTE,
    )

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=Kind)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the guest or the system did it."),
    )
    at = models.DateTimeField(_("when"))
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "pk"]
        indexes = [models.Index(name="timeline_ticket_at", fields=["ticket", "at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The complaint timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The complaint timeline is append-only.")

    @property
    def detail(self) -> str:
        """A short line from the entry's codes and data, in the reader's language.

        System entries store codes with parameters (never translated text), so an entry reads
        in Chinese on a Chinese page and in English on an English one, whoever caused it.
        """
        from django.utils.translation import gettext

        from core.formatting import instant_text, number_text

        data = self.data or {}
        statuses = dict(Ticket.Status.choices)
        lines: list[str] = []
        if self.kind in (self.Kind.STATUS_CHANGED, self.Kind.REOPENED) and data.get("to"):
            lines.append(
                gettext("%(old)s → %(new)s")
                % {
                    "old": statuses.get(data.get("from"), data.get("from")),
                    "new": statuses.get(data["to"], data["to"]),
                }
            )
            if data.get("close_reason"):
                reasons = dict(Ticket.CloseReason.choices)
                lines.append(str(reasons.get(data["close_reason"], data["close_reason"])))
            if data.get("guest_score") is not None:
                lines.append(
                    gettext("The guest scored the resolution %(score)s out of 5.")
                    % {"score": data["guest_score"]}
                )
            return " ".join(lines)
        if self.kind == self.Kind.FEEDBACK_RECORDED and "score" in data:
            if data.get("via") == ResolutionFeedback.Via.GUEST_LINK:
                return gettext("Score %(score)s/5, given by the guest through their link.") % data
            return gettext("Score %(score)s/5.") % data
        if self.kind == self.Kind.OWNER_NOTIFIED and data.get("user_name"):
            if data.get("emailed"):
                return gettext("%(name)s was told by e-mail.") % {"name": data["user_name"]}
            return gettext("%(name)s has no e-mail address and was not told by e-mail.") % {
                "name": data["user_name"]
            }
        if self.kind == self.Kind.FEEDBACK_REQUESTED:
            return _feedback_requested_line(data)
        if self.kind == self.Kind.CLASSIFIED and data.get("kind"):
            kinds = dict(Ticket.Kind.choices)
            return str(kinds.get(data["kind"], data["kind"]))
        if "kind" in data and "action" in data:
            kinds = dict(RecoveryAction.Kind.choices)
            label = kinds.get(data["kind"], data["kind"])
            if data["kind"] == RecoveryAction.Kind.LOYALTY_POINTS:
                return gettext("%(kind)s: %(points)s points") % {
                    "kind": label,
                    "points": number_text(data.get("points")),
                }
            if data.get("value") and data["value"] not in ("0", "0.00"):
                return gettext("%(kind)s: %(value)s %(currency)s") % {
                    "kind": label,
                    "value": number_text(data["value"]),
                    "currency": data.get("currency", ""),
                }
            return str(label)
        if self.kind == self.Kind.DEPARTMENT_BROUGHT_IN:
            return data.get("department_name", "")
        if self.kind == self.Kind.ESCALATED and data.get("sla"):
            due = instant_text(datetime.fromisoformat(data["due_at"]))
            if data["sla"] == SlaBreach.Target.ACKNOWLEDGE:
                line = gettext("SLA breached: not acknowledged by %(due)s.")
            else:
                line = gettext("SLA breached: not resolved by %(due)s.")
            return line % {"due": due}
        if self.kind == self.Kind.ESCALATED and data.get("escalated_to_name"):
            return gettext("To %(name)s") % {"name": data["escalated_to_name"]}
        if self.kind == self.Kind.UPDATED:
            names = {f.name for f in Ticket._meta.get_fields()}
            parts = []
            for name, (old, new) in data.items():
                if name not in names:
                    continue
                field = Ticket._meta.get_field(name)
                labels = {str(k): v for k, v in (field.choices or [])}
                old, new = labels.get(old, old), labels.get(new, new)
                parts.append(f"{field.verbose_name}: {old or '—'} → {new or '—'}")
            return "; ".join(parts)
        return ""


def _feedback_requested_line(data: dict) -> str:
    from django.utils.translation import gettext

    if data.get("task"):
        return gettext("A follow-up task asks staff to get the guest's feedback in person.")
    if data.get("channel") == "sms":
        if data.get("resent"):
            return gettext("Feedback link sent to the guest again by SMS.")
        return gettext("Feedback link sent to the guest by SMS.")
    if data.get("resent"):
        return gettext("Feedback link sent to the guest again by e-mail.")
    return gettext("Feedback link sent to the guest by e-mail.")
