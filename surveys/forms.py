"""The survey the guest fills in, and the same questions for staff taking it on paper or by
phone. No side effects: surveys.services records the answers."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.filters import ListFilter
from surveys.models import Area, SurveyResponse

SCALE_5 = [(str(n), str(n)) for n in range(1, 6)]
SCALE_10 = [(str(n), str(n)) for n in range(0, 11)]
SKIP = ("", _("Skip"))
COMMENT_MAX = 2000


def rating(label, *, required: bool, choices=SCALE_5, help_text="") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices if required else [SKIP, *choices],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": _("Please choose a score.")},
    )


class SurveyForm(forms.Form):
    """Overall (1–5), recommend (0–10), five areas (1–5, may be skipped), two comments."""

    overall = rating(
        _("Overall, how satisfied were you with your stay?"),
        required=True,
        help_text=_("1 = very dissatisfied, 5 = very satisfied"),
    )
    recommend = rating(
        _("How likely are you to recommend us to a friend or colleague?"),
        required=True,
        choices=SCALE_10,
        help_text=_("0 = not at all likely, 10 = extremely likely"),
    )
    room = rating(Area.ROOM.label, required=False)
    cleanliness = rating(Area.CLEANLINESS.label, required=False)
    service = rating(Area.SERVICE.label, required=False)
    food = rating(Area.FOOD.label, required=False)
    value = rating(Area.VALUE.label, required=False)
    improve = forms.CharField(
        label=_("What should we do better?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    praise = forms.CharField(
        label=_("Anyone who deserved thanks?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell us their name and we will pass on your thanks."),
    )

    AREA_FIELDS = ("room", "cleanliness", "service", "food", "value")

    def area_fields(self) -> list:
        return [self[name] for name in self.AREA_FIELDS]


class StaffSurveyForm(SurveyForm):
    """The same questions, taken down by staff from a paper form or a call."""

    channel = forms.ChoiceField(
        label=_("How the guest answered"),
        choices=[
            (SurveyResponse.Channel.PAPER, SurveyResponse.Channel.PAPER.label),
            (SurveyResponse.Channel.PHONE, SurveyResponse.Channel.PHONE.label),
        ],
        widget=forms.RadioSelect,
    )


class SurveyFilter(ListFilter):
    """The Surveys list's filters (each backed by an index of SurveyResponse)."""

    BANDS = [
        ("low", _("Low (1–2)")),
        ("neutral", _("Neutral (3)")),
        ("high", _("High (4–5)")),
    ]

    date_from = forms.DateField(label=_("Answered from"), required=False)
    date_to = forms.DateField(label=_("Answered to"), required=False)
    band = forms.ChoiceField(
        label=_("Score"),
        required=False,
        choices=[("", _("Any score")), *BANDS],
        help_text=_("Overall, or the area's score when an area is chosen."),
    )
    area = forms.ChoiceField(
        label=_("Area"), required=False, choices=[("", _("Any area")), *Area.choices]
    )
    has_comment = forms.BooleanField(label=_("With a comment"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=None,
        empty_label=_("Any department"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.input_type = "date"


class VoiceFilter(ListFilter):
    """The Guest voice page's range and period (the last 90 days by week unless chosen)."""

    MAX_DAYS = 3 * 366

    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    period = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[("week", _("Week")), ("month", _("Month"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.input_type = "date"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and (end - start).days > self.MAX_DAYS:
            self.add_error("date_from", _("Choose at most three years."))
        return cleaned

    def range(self) -> tuple:
        """(start, end, period) with the defaults filled in."""
        values = self.values
        end = values.get("date_to") or timezone.localdate()
        start = values.get("date_from") or end - timedelta(days=89)
        if start > end or (end - start).days > self.MAX_DAYS:
            start = end - timedelta(days=89)
        return start, end, values.get("period") or "week"


class PraiseFilter(ListFilter):
    date_from = forms.DateField(label=_("Answered from"), required=False)
    date_to = forms.DateField(label=_("Answered to"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.input_type = "date"


class ThankedForm(forms.Form):
    """Who the guest's thanks are for (managers choose when the name matched nobody)."""

    colleague = forms.ModelChoiceField(
        label=_("Colleague thanked"),
        queryset=None,
        required=False,
        empty_label=_("Nobody in particular"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .select_related("department")
            .order_by("first_name", "last_name", "username")
        )
