"""The hotel's memory of every guest: profile, family, special dates, preferences, stays,
corporate accounts, and who looked at a guest's full contact details."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.i18n import LocalisedName
from notifications.models import Notification


class Company(models.Model):
    """A corporate account: its contacts, billing details and charge-to-account privilege."""

    class ChargePrivilege(models.TextChoices):
        NONE = "none", _("No charge-to-account")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")

    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("local name"), max_length=200, blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=50, blank=True)
    billing_email = models.EmailField(_("billing e-mail"), blank=True)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    charge_privilege = models.CharField(
        _("charge to account"),
        max_length=10,
        choices=ChargePrivilege,
        default=ChargePrivilege.NONE,
    )
    # Finance and managers only: the front desk sees a discreet cue, never the reason.
    charge_paused_reason = models.TextField(_("reason the privilege is paused"), blank=True)
    charge_paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    charge_paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    charge_resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    charge_resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resumed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        permissions = [
            ("view_charge_reason", _("Can see why a company's charge privilege is paused")),
            ("manage_charge_privilege", _("Can pause and resume a company's charge privilege")),
        ]
        indexes = [models.Index(name="company_name", fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(charge_privilege="paused") | ~Q(charge_paused_reason=""),
                name="company_paused_needs_reason",
                violation_error_message=_("Give the reason the privilege is paused."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CompanyContact(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_billing = models.BooleanField(_("billing contact"), default=False)

    class Meta:
        verbose_name = _("company contact")
        verbose_name_plural = _("company contacts")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return self.name


# The one rule for "may this guest be shown / contacted", as field values, so the database
# (guest_*_q, the querysets below) and a loaded row (Guest.is_shown, is_contactable) agree.
GUEST_SHOWN = {"erased_at": None}
GUEST_CONTACTABLE = {**GUEST_SHOWN, "greetings_consent": True}


def guest_shown_q(prefix: str = "") -> Q:
    """Not erased. `prefix` reaches the guest from a related row ("guest__")."""
    return Q(**{f"{prefix}{field}": value for field, value in GUEST_SHOWN.items()})


def guest_contactable_q(prefix: str = "") -> Q:
    """Shown, and agrees to greetings, thank-yous and feedback requests."""
    return Q(**{f"{prefix}{field}": value for field, value in GUEST_CONTACTABLE.items()})


class GuestQuerySet(models.QuerySet["Guest"]):
    def shown(self) -> GuestQuerySet:
        """Guests who may appear on a page or in a search (not erased)."""
        return self.filter(guest_shown_q())

    def contactable(self) -> GuestQuerySet:
        """Guests we may send greetings, thank-yous and requests to."""
        return self.filter(guest_contactable_q())


class OfGuestQuerySet(models.QuerySet):
    """For rows that belong to a guest (stays, family, special dates, tasks)."""

    def of_shown_guests(self) -> OfGuestQuerySet:
        return self.filter(guest_shown_q("guest__"))

    def of_contactable_guests(self) -> OfGuestQuerySet:
        return self.filter(guest_contactable_q("guest__"))


class Guest(models.Model):
    """A guest's profile: who they are, how to address them, how they like to be contacted."""

    class NameOrder(models.TextChoices):
        GIVEN_FIRST = "given_first", _("Given name first (Wei Chen)")
        FAMILY_FIRST = "family_first", _("Family name first (陈伟)")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")

    class Stage(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        IN_HOUSE = "in_house", _("In-house")
        PAST = "past", _("Past guest")
        REFERRED = "referred", _("Referred")

    class VipLevel(models.IntegerChoices):
        NONE = 0, _("Not VIP")
        VIP1 = 1, _("VIP 1")
        VIP2 = 2, _("VIP 2")
        VIP3 = 3, _("VIP 3")

    family_name = models.CharField(_("family name"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    name_order = models.CharField(
        _("name order"), max_length=12, choices=NameOrder, default=NameOrder.GIVEN_FIRST
    )
    salutation = models.CharField(
        _("salutation"),
        max_length=60,
        blank=True,
        help_text=_("How staff should address the guest, e.g. “Mr. Chen”, “陈生”, “陈女士”."),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("birth day"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(
        _("preferred contact channel"), max_length=10, choices=Channel, default=Channel.EMAIL
    )
    greetings_consent = models.BooleanField(_("agrees to greetings"), default=False)
    greetings_consent_at = models.DateTimeField(
        _("greetings consent changed"), null=True, blank=True
    )
    marketing_consent = models.BooleanField(_("agrees to marketing"), default=False)
    marketing_consent_at = models.DateTimeField(
        _("marketing consent changed"), null=True, blank=True
    )
    vip_level = models.PositiveSmallIntegerField(
        _("VIP level"), choices=VipLevel, default=VipLevel.NONE
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    stage = models.CharField(
        _("lifecycle stage"), max_length=10, choices=Stage, default=Stage.PROSPECT
    )
    referred_by = models.ForeignKey(
        "self",
        verbose_name=_("referred by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guests",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guests",
    )
    # Lower-cased names in both orders and the salutation (never the e-mail), for one
    # trigram-indexed search.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # Every one- and two-character piece of the names ("陈", "伟明", "ch"): queries too short
    # for trigrams are answered from this array's GIN index.
    name_grams = ArrayField(
        models.CharField(max_length=2),
        verbose_name=_("short name pieces"),
        default=list,
        blank=True,
        editable=False,
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    # Stays that have ended and the last departure, stored so that lists of many guests (today's
    # arrivals) sort returning guests first without counting every guest's stays. Kept by
    # guests.services.guest_stay_summary_refresh: the services that write stays and the nightly
    # stages job (stays end overnight). Pages show counts computed live for the rows shown.
    completed_stays = models.PositiveIntegerField(
        _("completed stays"), default=0, db_default=0, editable=False
    )
    last_departure = models.DateField(_("last departure"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GuestQuerySet.as_manager()

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["family_name", "given_name"]
        permissions = [
            ("view_guest_contact", _("Can see guests' full phone numbers and e-mail addresses")),
            ("handle_privacy_request", _("Can export and erase a guest's data on request")),
        ]
        indexes = [
            GinIndex(name="guest_search_trgm", fields=["search_text"], opclasses=["gin_trgm_ops"]),
            GinIndex(name="guest_name_grams", fields=["name_grams"]),
            models.Index(name="guest_name_order", fields=["family_name", "given_name", "id"]),
            # The lookup's order (VIPs first, then by name) over shown guests, carrying the short
            # name pieces: a common one- or two-letter query ("ma") walks this index alone and
            # stops at the first rows that match, instead of sorting every match. (Not the
            # search text: then a rare 3-letter query could walk most of the index, 1.2 s at
            # 1,000,000 guests, where the trigram index and a sort of its matches take 10 ms.)
            models.Index(
                name="guest_lookup_order",
                fields=["-vip_level", "family_name", "given_name", "id"],
                include=["name_grams"],
                condition=Q(erased_at__isnull=True),
            ),
            models.Index(name="guest_vip", fields=["vip_level"]),
            models.Index(name="guest_stage", fields=["stage"]),
            models.Index(name="guest_birthday", fields=["birth_month", "birth_day"]),
            models.Index(name="guest_email", fields=["email"]),
            models.Index(name="guest_account_manager", fields=["account_manager"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="guest_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="guest_birth_day_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_shown(self) -> bool:
        return all(getattr(self, f) == v for f, v in GUEST_SHOWN.items())

    @property
    def is_contactable(self) -> bool:
        return all(getattr(self, f) == v for f, v in GUEST_CONTACTABLE.items())

    @property
    def display_name(self) -> str:
        if self.name_order == self.NameOrder.FAMILY_FIRST:
            return f"{self.family_name}{self.given_name}"
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def address_as(self) -> str:
        """How staff should greet the guest: the salutation, else the full name."""
        return self.salutation or self.display_name


class GuestPhone(models.Model):
    """A phone number, kept normalised (E.164) whatever way it was typed."""

    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=32, help_text=_("E.164, e.g. +8613800138000"))
    # Digits in reverse, so "ends with 1234" is a prefix search on an ordinary index.
    digits_reversed = models.CharField(max_length=32, editable=False)
    label = models.CharField(_("label"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["-is_primary", "pk"]
        indexes = [
            # Two profiles with one number (the duplicate suggestions).
            models.Index(name="guestphone_number", fields=["number"]),
            models.Index(
                name="guestphone_tail",
                fields=["digits_reversed"],
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["guest", "number"], name="guestphone_unique_per_guest")
        ]

    def __str__(self) -> str:
        return self.number


class FamilyMember(models.Model):
    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        DAUGHTER = "daughter", _("Daughter")
        SON = "son", _("Son")
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        OTHER = "other", _("Other")

    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="family"
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation)
    name = models.CharField(_("name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("birth day"), null=True, blank=True)

    objects = OfGuestQuerySet.as_manager()

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["guest", "relation", "name"]
        indexes = [models.Index(name="family_birthday", fields=["birth_month", "birth_day"])]

    def __str__(self) -> str:
        return self.name


class SpecialDate(models.Model):
    """A dated occasion worth remembering: a wedding anniversary, a child born, a graduation."""

    class Kind(models.TextChoices):
        WEDDING = "wedding", _("Wedding anniversary")
        CHILD_BORN = "child_born", _("Child born")
        GRADUATION = "graduation", _("Graduation")
        OTHER = "other", _("Other")

    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="special_dates"
    )
    kind = models.CharField(_("occasion"), max_length=12, choices=Kind)
    date = models.DateField(_("date"))
    month = models.PositiveSmallIntegerField(editable=False)
    day = models.PositiveSmallIntegerField(editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = OfGuestQuerySet.as_manager()

    class Meta:
        verbose_name = _("special date")
        verbose_name_plural = _("special dates")
        ordering = ["month", "day"]
        indexes = [models.Index(name="specialdate_day", fields=["month", "day"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class PreferenceCategory(LocalisedName):
    """A managed list: Pillow, Floor, Diet, Newspaper …"""

    name = models.CharField(_("name (English)"), max_length=60, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("preference category")
        verbose_name_plural = _("preference categories")
        ordering = ["sort_order", "name"]


class Preference(models.Model):
    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="preferences"
    )
    category = models.ForeignKey(
        PreferenceCategory, verbose_name=_("category"), on_delete=models.PROTECT
    )
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["category__sort_order", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["guest", "category", "value"], name="preference_unique_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.value}"


class Stay(models.Model):
    """One stay: dates, room, rate and what the guest spent."""

    class Source(models.TextChoices):
        DIRECT = "direct", _("Direct")
        WEBSITE = "website", _("Hotel website")
        OTA = "ota", _("Online travel agency")
        CORPORATE = "corporate", _("Corporate")
        TRAVEL_AGENT = "agent", _("Travel agent")
        WALK_IN = "walk_in", _("Walk-in")

    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.PROTECT, related_name="stays"
    )
    arrival = models.DateField(_("arrival"))
    departure = models.DateField(_("departure"))
    room_number = models.CharField(_("room"), max_length=10, blank=True)
    room_type = models.CharField(_("room type"), max_length=50, blank=True)
    rate_plan = models.CharField(_("rate plan"), max_length=50, blank=True)
    spend_room = models.DecimalField(_("room spend"), max_digits=12, decimal_places=2, default=0)
    spend_fb = models.DecimalField(
        _("food & beverage spend"), max_digits=12, decimal_places=2, default=0
    )
    spend_other = models.DecimalField(_("other spend"), max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    source = models.CharField(_("booking source"), max_length=10, choices=Source, blank=True)
    pms_reference = models.CharField(
        _("PMS reference"), max_length=50, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfGuestQuerySet.as_manager()

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["-arrival"]
        indexes = [
            models.Index(name="stay_guest_arrival", fields=["guest", "-arrival"]),
            models.Index(name="stay_departure", fields=["departure"]),
            # Today's arrivals (the home page) from the index alone.
            models.Index(name="stay_arrival", fields=["arrival"], include=["guest"]),
            models.Index(name="stay_room_dates", fields=["room_number", "arrival", "departure"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(departure__gt=models.F("arrival")),
                name="stay_departure_after_arrival",
                violation_error_message=_("Departure must be after arrival."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.guest} {self.arrival:%Y-%m-%d}–{self.departure:%Y-%m-%d}"

    @property
    def nights(self) -> int:
        return (self.departure - self.arrival).days

    @property
    def spend_total(self):
        return self.spend_room + self.spend_fb + self.spend_other


class GuestAccessLog(models.Model):
    """Who saw a guest's full contact details, and when. Managers can list it."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed full details")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased on request")

    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=10, choices=Action, default=Action.VIEW)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("guest access record")
        verbose_name_plural = _("guest access records")
        ordering = ["-at"]
        indexes = [models.Index(name="guestaccess_guest_at", fields=["guest", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.guest} {self.at:%Y-%m-%d %H:%M}"


class GuestChange(models.Model):
    """Who changed what on a guest's record (or a company's), when, and which fields.

    Written by the services in the same transaction as the change, with the `by` they are given
    (None: a scheduled job or an import). `changes` maps a field to its [old, new] value as
    text; the guest card shows them, masking contact details as it masks them on the card.
    """

    class Subject(models.TextChoices):
        GUEST = "guest", _("Profile")
        PHONE = "phone", _("Phone")
        FAMILY = "family", _("Family member")
        SPECIAL_DATE = "special_date", _("Special date")
        PREFERENCE = "preference", _("Preference")
        STAY = "stay", _("Stay")
        COMPANY = "company", _("Company")
        CONTACT = "contact", _("Company contact")
        DOCUMENT = "document", _("Identity document")

    class Action(models.TextChoices):
        CREATED = "created", _("Added")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Removed")

    guest = models.ForeignKey(
        Guest,
        verbose_name=_("guest"),
        on_delete=models.CASCADE,
        related_name="changes",
        null=True,
        blank=True,
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="changes",
        null=True,
        blank=True,
    )
    subject = models.CharField(_("what"), max_length=20, choices=Subject)
    subject_id = models.BigIntegerField(_("record"))
    action = models.CharField(_("action"), max_length=10, choices=Action)
    changes = models.JSONField(_("fields changed"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("guest record change")
        verbose_name_plural = _("guest record changes")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(name="guestchange_guest_at", fields=["guest", "-at"]),
            models.Index(name="guestchange_company_at", fields=["company", "-at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(guest__isnull=False) | Q(company__isnull=False),
                name="guestchange_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class CareTask(models.Model):
    """A follow-up a person must do: call, visit or write to a guest, then report briefly."""

    class Kind(models.TextChoices):
        POST_STAY_CALL = "post_stay_call", _("Caring call after a stay")
        POST_STAY_VISIT = "post_stay_visit", _("Visit after a stay")
        POST_STAY_LETTER = "post_stay_letter", _("Thank-you letter after a stay")
        GREETING_CALL = "greeting_call", _("Greet in person")
        FEEDBACK_ASK = "feedback_ask", _("Ask for feedback on a complaint's resolution")
        WIN_BACK = "win_back", _("Win back a guest who stopped coming")
        KEEP_IN_TOUCH = "keep_in_touch", _("Keep in touch")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    key = models.CharField(_("occasion key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="care_tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_tasks",
    )
    title = models.CharField(_("what to do"), max_length=255)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    report = models.TextField(_("report"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfGuestQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        permissions = [("view_all_caretasks", _("Can see everyone's follow-up tasks"))]
        ordering = ["due_on", "pk"]
        db_table = "grc_caretask"  # kept from when the kernel held it: no data copied
        indexes = [
            models.Index(name="caretask_assignee_open", fields=["assigned_to", "status", "due_on"]),
            models.Index(name="caretask_status_due", fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(report=""),
                name="caretask_done_needs_report",
                violation_error_message=_("Write a short report of what was done."),
            )
        ]

    def __str__(self) -> str:
        return self.title


def _with_the_messages(collector, field, sub_objs, using) -> None:
    """Deleting a guest deletes the messages to them too, not only the links to them."""
    models.CASCADE(collector, field, sub_objs, using)
    keys = [link.notification_id for link in sub_objs]
    if keys:
        collector.collect(Notification.objects.using(using).filter(key__in=keys), source=None)


class GuestNotification(models.Model):
    """Which guest a message in the outbox is to: the guests side of the kernel's outbox.

    The outbox (notifications) knows nothing of guests, so the link lives here. It points at
    the message's unique occasion key, so a whole chunk of greetings is linked in one INSERT
    right after the messages are recorded, without first reading their ids back.
    """

    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        to_field="key",
        db_column="notification_key",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="guest_link",
    )
    guest = models.ForeignKey(
        Guest,
        verbose_name=_("guest"),
        on_delete=_with_the_messages,
        related_name="notification_links",
    )

    class Meta:
        verbose_name = _("message to a guest")
        verbose_name_plural = _("messages to guests")
        indexes = [models.Index(name="guestnotification_guest", fields=["guest"])]

    def __str__(self) -> str:
        return f"{self.guest_id} ← {self.notification_id}"


# Identity documents, duplicate suggestions and merges live in their own module (issue 18).
from guests.data_models import DuplicatePair, GuestDocument, GuestMerge  # noqa: E402, F401
