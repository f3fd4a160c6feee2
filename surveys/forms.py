"""The survey the guest fills in, and the same questions for staff taking it on paper or by
phone. No side effects: surveys.services records the answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Area, SurveyResponse

SCALE_5 = [(str(n), str(n)) for n in range(1, 6)]
SCALE_10 = [(str(n), str(n)) for n in range(0, 11)]
SKIP = ("", _("Skip"))
COMMENT_MAX = 2000


def rating(label, *, required: bool, choices=SCALE_5, help_text="") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices if required else [*choices, SKIP],
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
