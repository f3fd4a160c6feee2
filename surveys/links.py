"""The per-stay survey link: a signed, timestamped token, the same pattern as the complaint
feedback link (complaints.services.feedback). Its signature (HMAC with SECRET_KEY) makes it
impossible to guess or enumerate; its timestamp makes it expire after SURVEY_LINK_DAYS.

Each link sent is recorded as a `SurveyLink` row (the response rate's denominator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guests.models import Stay
from surveys.errors import SurveyLinkError
from surveys.models import SurveyLink

SURVEY_LINK_SALT = "surveys.link"

EXPIRED = gettext_lazy(
    "This survey link has expired. Thank you for thinking of us: please contact the hotel if "
    "you would like to tell us about your stay."
)
NOT_VALID = gettext_lazy(
    "This survey link is not valid. Please check that you copied the whole link from our "
    "message, or contact the hotel."
)


@dataclass(frozen=True)
class SurveyLinkToken:
    stay_id: int


def survey_token_make(*, stay: Stay) -> str:
    """A signed, timestamped token for this stay; no login needed."""
    return signing.dumps({"s": stay.pk}, salt=SURVEY_LINK_SALT)


def survey_link_max_age() -> timedelta:
    return timedelta(days=settings.SURVEY_LINK_DAYS)


def survey_token_read(*, token: str, max_age: timedelta | None = None) -> SurveyLinkToken:
    """What a token points at; SurveyLinkError if it expired or was changed."""
    max_age = survey_link_max_age() if max_age is None else max_age
    try:
        payload = signing.loads(token, salt=SURVEY_LINK_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        # Genuine but old: the stay is known, so the polite page speaks the guest's language.
        error = SurveyLinkError(EXPIRED)
        error.stay_id = _stay_id(signing.loads(token, salt=SURVEY_LINK_SALT))
        raise error from exc
    except signing.BadSignature as exc:
        raise SurveyLinkError(NOT_VALID) from exc
    try:
        return SurveyLinkToken(stay_id=int(payload["s"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SurveyLinkError(NOT_VALID) from exc


def _stay_id(payload) -> int | None:
    try:
        return int(payload["s"])
    except (KeyError, TypeError, ValueError):
        return None


def survey_url(*, stay: Stay) -> str:
    """The absolute link put in a message to the guest."""
    path = reverse("surveys:survey_public", args=[survey_token_make(stay=stay)])
    return f"{settings.SITE_URL}{path}"


def survey_link_issue(*, stay: Stay, resend: bool = False) -> str:
    """A fresh link for the stay, recorded as sent (one row per stay; a resend counts up).

    The `survey_links` seam's provider (guests.followups, for each thank-you): the daily job
    run twice records the link once.
    """
    now = timezone.now()
    link, created = SurveyLink.objects.get_or_create(
        stay=stay, defaults={"guest_id": stay.guest_id, "sent_at": now, "last_sent_at": now}
    )
    if resend and not created:
        SurveyLink.objects.filter(pk=link.pk).update(
            last_sent_at=now, times_sent=F("times_sent") + 1
        )
    return survey_url(stay=stay)


def survey_link_provider(stay: Stay) -> str | None:
    """core.seams.survey_links: the link for the post-stay thank-you."""
    return survey_link_issue(stay=stay)
