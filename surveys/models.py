"""Guest satisfaction surveys: the link sent after a stay and the guest's answers.

Most unhappy guests never complain; they just do not come back (DOMAIN idea 3, seeds
000_…txt, 001_…txt). The hotel asks every guest after a stay; a low score opens a complaint
ticket so the silent ones are heard.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Area(models.TextChoices):
    """The parts of a stay a guest rates (each may be skipped)."""

    ROOM = "room", pgettext_lazy("survey area", "Room")
    CLEANLINESS = "cleanliness", pgettext_lazy("survey area", "Cleanliness")
    SERVICE = "service", pgettext_lazy("survey area", "Service")
    FOOD = "food", pgettext_lazy("survey area", "Food & beverage")
    VALUE = "value", pgettext_lazy("survey area", "Value for money")


AREAS: tuple[str, ...] = tuple(Area.values)


class SurveyLink(models.Model):
    """A survey link sent for a stay: the denominator of the response rate.

    The link itself is a signed, timestamped token (surveys.links); this row records that one
    went out, when, how often, and whether the guest answered.
    """

    stay = models.OneToOneField(
        "guests.Stay", verbose_name=_("stay"), on_delete=models.CASCADE, related_name="survey_link"
    )
    guest = models.ForeignKey(
        "guests.Guest",
        verbose_name=_("guest"),
        on_delete=models.CASCADE,
        related_name="survey_links",
    )
    sent_at = models.DateTimeField(_("first sent"))
    last_sent_at = models.DateTimeField(_("last sent"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        indexes = [
            models.Index(name="surveylink_sent", fields=["sent_at"], include=["responded_at"]),
            models.Index(name="surveylink_guest", fields=["guest"]),
        ]

    def __str__(self) -> str:
        return f"{self.stay_id} @ {self.sent_at:%Y-%m-%d}"


def rating_field(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class SurveyResponse(models.Model):
    """One guest's answers about one stay: at most one per stay."""

    class Channel(models.TextChoices):
        LINK = "link", _("Guest's own link")
        PAPER = "paper", _("Paper form")
        PHONE = "phone", _("Phone call")

    stay = models.OneToOneField(
        "guests.Stay",
        verbose_name=_("stay"),
        on_delete=models.CASCADE,
        related_name="survey_response",
    )
    guest = models.ForeignKey(
        "guests.Guest",
        verbose_name=_("guest"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    language = models.CharField(_("language"), max_length=10, default="en")
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    recommend = models.PositiveSmallIntegerField(_("likelihood to recommend"))
    room = rating_field(pgettext_lazy("survey area", "room"))
    cleanliness = rating_field(pgettext_lazy("survey area", "cleanliness"))
    service = rating_field(pgettext_lazy("survey area", "service"))
    food = rating_field(pgettext_lazy("survey area", "food & beverage"))
    value = rating_field(pgettext_lazy("survey area", "value for money"))
    improve = models.TextField(_("what should we do better?"), blank=True)
    praise = models.TextField(_("anyone who deserved thanks?"), blank=True)
    has_comment = models.BooleanField(_("has a comment"), default=False)
    # The colleague the guest thanked, when the name matches one person (or staff chose one).
    praised = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague thanked"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_praise",
    )
    praised_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department of the colleague thanked"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The department of the lowest-rated area: the Surveys list's department filter.
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the guest answered through their link."),
    )
    submitted_at = models.DateTimeField(_("answered at"))
    needs_recovery = models.BooleanField(_("needs service recovery"), default=False)
    # Claimed (conditional UPDATE) by the recovery job before it acts: it acts once.
    recovery_done_at = models.DateTimeField(_("recovery handled"), null=True, blank=True)
    ticket = models.ForeignKey(
        "complaints.Ticket",
        verbose_name=_("complaint ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    ticket_opened = models.BooleanField(
        _("ticket opened by this response"),
        default=False,
        help_text=_("False when the response was attached to a ticket already open."),
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("view_all_responses", _("Can see every survey response")),
            ("export_responses", _("Can export survey responses")),
            ("view_guest_voice", _("Can see the Guest voice figures")),
        ]
        indexes = [
            models.Index(name="survey_submitted", fields=["-submitted_at", "-id"]),
            # The Guest voice figures read only these columns: an index-only scan of the range.
            models.Index(
                name="survey_voice",
                fields=["submitted_at"],
                include=["overall", "recommend", *AREAS],
            ),
            models.Index(name="survey_overall", fields=["overall", "-submitted_at"]),
            models.Index(name="survey_recommend", fields=["recommend", "-submitted_at"]),
            models.Index(name="survey_room", fields=["room", "-submitted_at"]),
            models.Index(name="survey_cleanliness", fields=["cleanliness", "-submitted_at"]),
            models.Index(name="survey_service", fields=["service", "-submitted_at"]),
            models.Index(name="survey_food", fields=["food", "-submitted_at"]),
            models.Index(name="survey_value", fields=["value", "-submitted_at"]),
            models.Index(
                name="survey_with_comment",
                fields=["-submitted_at"],
                condition=Q(has_comment=True),
            ),
            models.Index(name="survey_department", fields=["department", "-submitted_at"]),
            models.Index(
                name="survey_praise",
                fields=["praised_department", "-submitted_at"],
                condition=~Q(praise=""),
            ),
            models.Index(name="survey_guest", fields=["guest", "-submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="survey_overall_1_5"
            ),
            models.CheckConstraint(
                condition=Q(recommend__gte=0, recommend__lte=10), name="survey_recommend_0_10"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{area}__isnull": True})
                    | Q(**{f"{area}__gte": 1, f"{area}__lte": 5}),
                    name=f"survey_{area}_1_5",
                )
                for area in AREAS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stay_id}: {self.overall}/5, {self.recommend}/10"

    @property
    def area_scores(self) -> list[tuple[str, object, int | None]]:
        """(area, label, score) for every area, in the survey's order."""
        return [(area.value, area.label, getattr(self, area.value)) for area in Area]

    @property
    def nps_group(self) -> str:
        if self.recommend >= 9:
            return "promoter"
        return "detractor" if self.recommend <= 6 else "passive"
