"""What surveys holds about a guest, for the guest merge and the privacy export and erasure
(providers of core.seams.guest_merge_hooks, privacy_export_contributors and
privacy_erase_contributors; contracts in core/seams.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.models import SurveyLink, SurveyResponse


def surveys_merge(*, kept_guest_id: int, merged_guest_id: int, by=None) -> None:
    """Move the duplicate's survey links and answers to the guest kept (inside the merge's
    transaction). Each belongs to a stay, so nothing can collide."""
    SurveyResponse.objects.filter(guest_id=merged_guest_id).update(guest_id=kept_guest_id)
    SurveyLink.objects.filter(guest_id=merged_guest_id).update(guest_id=kept_guest_id)


def surveys_export(guest) -> dict:
    """The guest's survey answers, one row per stay answered, in the reader's language."""
    rows = []
    responses = SurveyResponse.objects.filter(guest_id=guest.pk).select_related("stay")
    for response in responses.order_by("submitted_at"):
        row = {
            _(
                "Stay"
            ): f"{response.stay.arrival.isoformat()} – {response.stay.departure.isoformat()}",
            _("Answered at"): response.submitted_at.isoformat(),
            _("Channel"): str(response.get_channel_display()),
            _("Overall satisfaction"): response.overall,
            _("Likelihood to recommend"): response.recommend,
        }
        for _area, label, score in response.area_scores:
            row[str(label)] = score
        row[_("What should we do better?")] = response.improve
        row[_("Anyone who deserved thanks?")] = response.praise
        rows.append(row)
    return {_("Satisfaction surveys"): rows}


def surveys_erase(*, guest_id: int, by=None) -> None:
    """Blank what the guest wrote in their own words; the scores stay, with nobody's words,
    for the hotel's figures."""
    SurveyResponse.objects.filter(guest_id=guest_id).update(
        improve="", praise="", has_comment=False
    )
