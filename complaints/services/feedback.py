"""Resolution feedback (投诉处理结果客户反馈): the guest's verdict, from staff or the guest's own
signed link. A score of 1–2 reopens the ticket and tells its owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from complaints.models import ResolutionFeedback, Ticket, TimelineEvent
from complaints.services.errors import FeedbackLinkError, TransitionError
from complaints.services.logging import timeline_add
from complaints.services.workflow import ticket_reopen
from core.i18n import staff_language
from core.retry import queue_or_run_now
from guests.greetings import PHONES, guest_route
from guests.messages import GuestMessage, guest_messages_record
from guests.models import CareTask, Guest
from notifications.models import Notification
from notifications.services import NewNotification, notifications_create

Kind = TimelineEvent.Kind
FEEDBACK_LINK_SALT = "complaints.feedback-link"
FEEDBACK_LINK_MAX_AGE = timedelta(days=14)
UNHAPPY_SCORE = 2


@dataclass(frozen=True)
class FeedbackLink:
    ticket_id: int
    resolution_round: int


def feedback_token_make(*, ticket: Ticket) -> str:
    """A signed, timestamped token for this resolution of the ticket; no login needed."""
    return signing.dumps(
        {"t": ticket.pk, "r": ticket.resolution_round}, salt=FEEDBACK_LINK_SALT, compress=True
    )


def feedback_url(*, ticket: Ticket) -> str:
    """The absolute link staff send the guest."""
    path = reverse("complaints:feedback_public", args=[feedback_token_make(ticket=ticket)])
    return f"{settings.SITE_URL}{path}"


def feedback_token_read(*, token: str, max_age: timedelta | None = None) -> FeedbackLink:
    """What a token points at; FeedbackLinkError if it expired or was changed."""
    max_age = FEEDBACK_LINK_MAX_AGE if max_age is None else max_age
    try:
        payload = signing.loads(token, salt=FEEDBACK_LINK_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise FeedbackLinkError(
            gettext_lazy(
                "This feedback link has expired. Please contact the hotel and we will gladly help."
            )
        ) from exc
    except signing.BadSignature as exc:
        raise FeedbackLinkError(gettext_lazy("This feedback link is not valid.")) from exc
    try:
        return FeedbackLink(ticket_id=int(payload["t"]), resolution_round=int(payload["r"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise FeedbackLinkError(gettext_lazy("This feedback link is not valid.")) from exc


def feedback_for_round(*, ticket: Ticket, resolution_round: int) -> ResolutionFeedback | None:
    return ResolutionFeedback.objects.filter(
        ticket=ticket, resolution_round=resolution_round
    ).first()


@transaction.atomic
def feedback_record(
    *,
    ticket: Ticket,
    score: int,
    comment: str = "",
    by=None,
    via: str = ResolutionFeedback.Via.STAFF,
    resolution_round: int | None = None,
) -> ResolutionFeedback:
    """Record how satisfied the guest is with the latest resolution; once per resolution.

    `by` is the member of staff who took it down, or None when the guest used their link.
    """
    if via == ResolutionFeedback.Via.STAFF and (
        by is None or not by.has_perm("complaints.add_resolutionfeedback")
    ):
        raise TransitionError(_("Your role cannot record resolution feedback."))
    if not 1 <= int(score) <= 5:
        raise TransitionError(_("The score must be from 1 to 5."))
    locked = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    round_ = locked.resolution_round if resolution_round is None else resolution_round
    existing = feedback_for_round(ticket=locked, resolution_round=round_)
    if existing is not None:
        return existing  # a second submit of the same verdict changes nothing
    if round_ != locked.resolution_round or locked.status not in (
        Ticket.Status.RESOLVED,
        Ticket.Status.CLOSED,
    ):
        raise FeedbackLinkError(
            _(
                "This complaint is being looked at again, so this feedback request is no "
                "longer open."
            )
        )
    try:
        with transaction.atomic():
            feedback = ResolutionFeedback.objects.create(
                ticket=locked,
                resolution_round=round_,
                score=int(score),
                comment=comment.strip(),
                via=via,
                recorded_by=by,
                at=timezone.now(),
            )
    except IntegrityError:
        # Recorded by a concurrent request for this round: answer with that one.
        existing = feedback_for_round(ticket=locked, resolution_round=round_)
        assert existing is not None
        return existing
    timeline_add(
        ticket=locked,
        by=by,
        kind=Kind.FEEDBACK_RECORDED,
        text=feedback.comment,
        data={"score": feedback.score, "via": via, "round": round_},
    )
    if feedback.is_unhappy:
        ticket_reopen(ticket=locked, by=None, guest_score=feedback.score)
        from complaints.tasks import feedback_owner_notify_task

        # the guest's page must not fail after their verdict is saved: broker down, the owner's
        # message is recorded in the outbox at once instead
        transaction.on_commit(
            partial(
                queue_or_run_now,
                feedback_owner_notify_task,
                feedback.pk,
                run=partial(feedback_owner_notify, feedback_id=feedback.pk),
                what=f"owner notice for feedback {feedback.pk}",
            )
        )
    return feedback


def feedback_owner_notify(*, feedback_id: int) -> bool:
    """Tell the ticket's owner, through the outbox, that the guest is unhappy; False if done.

    The message is recorded (and so retried, visible on the Notifications page and worded by
    the hotel's templates) under a unique key; the feedback row is claimed with a conditional
    UPDATE, so a second delivery of the task records nothing twice.
    """
    with transaction.atomic():
        claimed = ResolutionFeedback.objects.filter(pk=feedback_id, owner_notified_at=None).update(
            owner_notified_at=timezone.now()
        )
        if not claimed:
            return False
        feedback = ResolutionFeedback.objects.select_related(
            "ticket__assigned_to", "ticket__logged_by", "ticket__guest"
        ).get(pk=feedback_id)
        ticket = feedback.ticket
        owner = ticket.assigned_to or ticket.logged_by
        if owner.email:
            notifications_create(
                items=[
                    NewNotification(
                        key=f"complaint_reopened_by_guest:feedback:{feedback.pk}:user:{owner.pk}",
                        kind=Notification.Kind.COMPLAINT_REOPENED_BY_GUEST,
                        channel=Notification.Channel.EMAIL,
                        to=owner.email,
                        occasion_date=timezone.localdate(feedback.at),
                        language=staff_language(owner),
                        recipient_user_id=owner.pk,
                        context={
                            "recipient": owner.get_short_name() or owner.username,
                            "number": ticket.number,
                            "who": ticket.who,
                            "score": feedback.score,
                            "comment": feedback.comment or "—",
                            "site_url": settings.SITE_URL,
                            "ticket_url": ticket.get_absolute_url(),
                        },
                    )
                ]
            )
        timeline_add(
            ticket=ticket,
            by=None,
            kind=Kind.OWNER_NOTIFIED,
            data={
                "user": owner.pk,
                "user_name": str(owner),
                "feedback": feedback.pk,
                "emailed": bool(owner.email),
            },
        )
    return True


# --- Asking the guest -----------------------------------------------------------------------------


def feedback_request_key(*, ticket: Ticket, resolution_round: int) -> str:
    return f"complaint_feedback_request:ticket:{ticket.pk}:round:{resolution_round}"


def feedback_request_send(*, ticket_id: int, by=None) -> str:
    """Send the guest their feedback link on their preferred channel, once per resolution.

    E-mail or SMS go through the outbox; a guest who prefers a call, a visit or a letter gets
    a follow-up task for the ticket's owner instead. Nothing is sent to a walk-in without a
    profile, to an erased guest, or to one who has not agreed to be contacted.

    `by` is the member of staff who asked to send it again from the ticket page; a resend is
    a new message (under its own key), the first request is recorded once however often this
    runs. Returns what happened: "sent", "task", "already", "no_guest", "no_consent",
    "no_address", "not_awaiting".
    """
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("guest", "assigned_to", "logged_by")
            .get(pk=ticket_id)
        )
        if ticket.status not in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
            return "not_awaiting"
        if feedback_for_round(ticket=ticket, resolution_round=ticket.resolution_round):
            return "not_awaiting"
        guest = ticket.guest
        if guest is None:
            return "no_guest"
        if not Guest.objects.contactable().filter(pk=guest.pk).exists():
            return "no_consent"
        guest = (
            Guest.objects.select_related("account_manager")
            .prefetch_related(PHONES)
            .get(pk=guest.pk)
        )
        base_key = feedback_request_key(ticket=ticket, resolution_round=ticket.resolution_round)
        key = base_key
        if by is not None:
            # the ticket row is locked: two clicks count the same earlier messages, and the
            # unique key lets only one of them through
            earlier = Notification.objects.filter(key__startswith=base_key).count()
            earlier += CareTask.objects.filter(key__startswith=f"task:{base_key}").count()
            key = f"{base_key}:resend:{earlier}"
        elif (
            Notification.objects.filter(key=base_key).exists()
            or CareTask.objects.filter(key=f"task:{base_key}").exists()
        ):
            return "already"
        owner = ticket.assigned_to or ticket.logged_by
        route = guest_route(guest)
        if route is None:
            if guest.preferred_channel in (Guest.Channel.EMAIL, Guest.Channel.SMS):
                return "no_address"
            with translation.override(staff_language(owner)):
                title = gettext("Ask %(name)s how satisfied they are with complaint %(number)s") % {
                    "name": guest.address_as,
                    "number": ticket.number,
                }
            _task, created = CareTask.objects.get_or_create(
                key=f"task:{key}",
                defaults={
                    "kind": CareTask.Kind.FEEDBACK_ASK,
                    "guest": guest,
                    "assigned_to": owner,
                    "title": title,
                    "due_on": timezone.localdate(),
                },
            )
            if not created:
                return "already"
            timeline_add(
                ticket=ticket,
                by=by,
                kind=Kind.FEEDBACK_REQUESTED,
                data={"task": True, "round": ticket.resolution_round, "resent": by is not None},
            )
            return "task"
        channel, to = route
        guest_messages_record(
            items=[
                GuestMessage(
                    guest_id=guest.pk,
                    message=NewNotification(
                        key=key,
                        kind=Notification.Kind.COMPLAINT_FEEDBACK_REQUEST,
                        channel=channel,
                        to=to,
                        occasion_date=timezone.localdate(),
                        language=guest.preferred_language,
                        context={
                            "name": guest.address_as,
                            "hotel": settings.HOTEL_NAME,
                            "number": ticket.number,
                            "feedback_url": feedback_url(ticket=ticket),
                        },
                    ),
                )
            ]
        )
        timeline_add(
            ticket=ticket,
            by=by,
            kind=Kind.FEEDBACK_REQUESTED,
            data={
                "channel": channel,
                "round": ticket.resolution_round,
                "resent": by is not None,
                "key": key,
            },
        )
    return "sent"


def feedback_request_resend(*, ticket: Ticket, by) -> str:
    """Staff send the guest their feedback link again from the ticket page."""
    from complaints.services.actions import may_resend_feedback, ticket_awaiting_feedback

    current = feedback_for_round(ticket=ticket, resolution_round=ticket.resolution_round)
    awaiting = ticket_awaiting_feedback(ticket=ticket, current_feedback=current)
    if not may_resend_feedback(ticket=ticket, user=by, awaiting=awaiting):
        raise TransitionError(
            _("The feedback link can be sent only while the guest's feedback is awaited.")
        )
    return feedback_request_send(ticket_id=ticket.pk, by=by)
