"""Forms of the complaints pages: validation and layout only, no side effects."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from complaints.models import Category, RecoveryAction, RootCause, Ticket, TimelineEvent
from core.filters import ListFilter
from core.forms import ChoicePrompts


class LocalisedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class LocalisedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


def active_departments():
    return Department.objects.filter(is_active=True)


class TicketLogForm(forms.Form):
    """The one-screen quick log at the desk."""

    guest_query = forms.CharField(
        label=_("Find the guest"),
        required=False,
        max_length=100,
        help_text=_("Name, e-mail or the last digits of a phone number."),
    )
    guest = forms.IntegerField(label=_("Guest"), required=False, widget=forms.HiddenInput)
    guest_name = forms.CharField(label=_("Walk-in name"), required=False, max_length=200)
    room_number = forms.CharField(label=_("Room"), required=False, max_length=10)
    department = LocalisedChoiceField(
        label=_("Department"),
        queryset=active_departments(),
        empty_label=_("Choose a department"),
    )
    category = LocalisedChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose a category"),
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=Ticket._meta.get_field("severity").choices,
        coerce=int,
        initial=2,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Ticket.Channel.choices, initial=Ticket.Channel.IN_PERSON
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    log_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("log_key", uuid.uuid4())

    def clean_guest(self):
        from guests.models import Guest

        guest_id = self.cleaned_data.get("guest")
        if guest_id is None:
            return None
        guest = Guest.objects.shown().filter(pk=guest_id).first()
        if guest is None:
            raise forms.ValidationError(_("That guest could not be found; search again."))
        return guest

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("guest") and not (cleaned.get("guest_name") or "").strip():
            self.add_error(
                "guest_name", _("Choose a guest from the search, or type the walk-in's name.")
            )
        return cleaned


class TicketEditForm(ChoicePrompts, forms.ModelForm):
    """Details, classification and owner; `version` guards against lost updates."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    department = LocalisedChoiceField(
        label=_("Responsible department"), queryset=active_departments()
    )
    category = LocalisedChoiceField(label=_("Category"), queryset=Category.objects.all())
    root_causes = LocalisedMultipleChoiceField(
        label=_("Root causes"),
        queryset=RootCause.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Ticket
        fields = [
            "guest_name",
            "room_number",
            "department",
            "category",
            "severity",
            "channel",
            "description",
            "kind",
            "root_causes",
            "assigned_to",
            "follow_up_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, assignable=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if assignable is not None:
            self.fields["assigned_to"].queryset = assignable
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:
        # Validate fields only: the service applies the change to a locked, fresh row.
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PageForm(forms.Form):
    """A form sharing the ticket page with others: its own ids, so labels find their fields."""

    id_prefix = "form"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class TransitionForm(PageForm):
    id_prefix = "transition"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ResolveForm(TransitionForm):
    id_prefix = "resolve"
    note = forms.CharField(
        label=_("How it was resolved"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=True,
        max_length=2000,
    )


class ReopenForm(TransitionForm):
    id_prefix = "reopen"
    reason = forms.CharField(
        label=_("Why reopen"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CloseForm(TransitionForm):
    id_prefix = "close"
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=Ticket.CloseReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


STEP_CHOICES = [
    (kind.value, kind.label) for kind in TimelineEvent.Kind if kind in TimelineEvent.HANDLING_STEPS
]


class StepForm(PageForm):
    id_prefix = "step"
    kind = forms.ChoiceField(label=_("Step"), choices=STEP_CHOICES)
    text = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, note_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if note_only:
            self.fields["kind"].choices = [(TimelineEvent.Kind.NOTE, TimelineEvent.Kind.NOTE.label)]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == TimelineEvent.Kind.NOTE
            and not (cleaned.get("text") or "").strip()
        ):
            self.add_error("text", _("Write the note first."))
        return cleaned


class BringInForm(ChoicePrompts, PageForm):
    id_prefix = "bringin"
    department = LocalisedChoiceField(label=_("Department"), queryset=active_departments())
    text = forms.CharField(label=_("What they should look at"), required=False, max_length=2000)


class EscalateForm(PageForm):
    id_prefix = "escalate"
    to = forms.ModelChoiceField(
        label=_("Duty manager"),
        queryset=None,
        required=False,
        empty_label=_("Any duty manager"),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, duty_managers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from complaints.selectors import users_with_permission

        self.fields["to"].queryset = (
            duty_managers
            if duty_managers is not None
            else users_with_permission("handle_escalation")
        )


class RecoveryForm(PageForm):
    id_prefix = "recovery"
    kind = forms.ChoiceField(label=_("Gesture"), choices=RecoveryAction.Kind.choices)
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("What the gesture is worth in money; not needed for an apology or points."),
    )
    currency = forms.CharField(label=_("Currency"), initial="CNY", max_length=3, min_length=3)
    points = forms.IntegerField(label=_("Points"), required=False, min_value=0)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == RecoveryAction.Kind.LOYALTY_POINTS and not cleaned.get("points"):
            self.add_error("points", _("Give the number of points to award."))
        if kind in RecoveryAction.KINDS_WITH_VALUE and not cleaned.get("value"):
            self.add_error(
                "value",
                _("Give what this is worth in money: an upgrade or a gift has a value too."),
            )
        return cleaned


class DecisionForm(PageForm):
    id_prefix = "decision"
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say why the request is rejected."))
        return cleaned


SCORE_CHOICES = [
    (5, _("5 — Very satisfied")),
    (4, _("4 — Satisfied")),
    (3, _("3 — Neither satisfied nor dissatisfied")),
    (2, _("2 — Dissatisfied")),
    (1, _("1 — Very dissatisfied")),
]


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how we resolved your complaint?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class StaffFeedbackForm(FeedbackForm):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)

    score = forms.TypedChoiceField(
        label=_("Guest's satisfaction with the resolution"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What the guest said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class TicketFilterForm(ListFilter):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Ticket.Status.choices]
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any severity")), *Ticket._meta.get_field("severity").choices],
    )
    department = LocalisedChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("Any department"),
    )
    category = LocalisedChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.all(),
        empty_label=_("Any category"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Ticket.Kind.choices]
    )
    date_from = forms.DateField(
        label=_("Logged from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Logged to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    guest = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("due", _("Due soonest")),
            ("severity", _("Most severe")),
        ],
    )
