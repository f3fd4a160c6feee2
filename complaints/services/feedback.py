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
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import ResolutionFeedback, Ticket, TimelineEvent
from complaints.services.errors import FeedbackLinkError, TransitionError
from complaints.services.logging import timeline_add
from complaints.services.workflow import ticket_reopen

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
            _("This feedback link has expired. Please contact the hotel and we will gladly help.")
        ) from exc
    except signing.BadSignature as exc:
        raise FeedbackLinkError(_("This feedback link is not valid.")) from exc
    try:
        return FeedbackLink(ticket_id=int(payload["t"]), resolution_round=int(payload["r"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise FeedbackLinkError(_("This feedback link is not valid.")) from exc


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
        ticket_reopen(
            ticket=locked,
            by=None,
            reason=_("The guest scored the resolution %(score)s out of 5.") % {"score": score},
        )
        from complaints.tasks import feedback_owner_notify_task

        transaction.on_commit(partial(feedback_owner_notify_task.delay, feedback.pk))
    return feedback


@transaction.atomic
def feedback_owner_notify(*, feedback_id: int) -> bool:
    """E-mail the ticket's owner that the guest is unhappy; False if already done.

    The row stays locked while the mail goes out: if sending fails, nothing is marked and the
    task's retry tries again; a second delivery of the task finds it done.
    """
    from django.core.mail import send_mail
    from django.utils import translation

    feedback = (
        ResolutionFeedback.objects.select_for_update(of=("self",))
        .select_related("ticket__assigned_to", "ticket__logged_by")
        .filter(pk=feedback_id, owner_notified_at=None)
        .first()
    )
    if feedback is None:
        return False
    ticket = feedback.ticket
    owner = ticket.assigned_to or ticket.logged_by
    link = f"{settings.SITE_URL}{ticket.get_absolute_url()}"
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        subject = _("Complaint %(number)s reopened: the guest scored %(score)s/5") % {
            "number": ticket.number,
            "score": feedback.score,
        }
        body = _(
            "The guest is not satisfied with how complaint %(number)s was resolved and "
            "the ticket is open again.\n\nScore: %(score)s/5\nComment: %(comment)s\n\n%(link)s"
        ) % {
            "number": ticket.number,
            "score": feedback.score,
            "comment": feedback.comment or "—",
            "link": link,
        }
        note = _("%(name)s was told by e-mail.") % {"name": owner}
    if owner.email:
        send_mail(subject, body, None, [owner.email])
    feedback.owner_notified_at = timezone.now()
    feedback.save(update_fields=["owner_notified_at"])
    timeline_add(
        ticket=ticket,
        by=None,
        kind=Kind.OWNER_NOTIFIED,
        text=note,
        data={"user": owner.pk, "feedback": feedback.pk, "emailed": bool(owner.email)},
    )
    return True
